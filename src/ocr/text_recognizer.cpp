#include "ocr/text_recognizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace idcard::ocr {
namespace {

constexpr int kMaxWidth = 1280;
constexpr size_t kBatch = 8;
constexpr double kMaxWidthRatio = 2.0;  // widest / narrowest line in one batch
constexpr float kSureProb = 0.995f;     // characters read at least this sure get no alternatives
constexpr size_t kAlternatives = 20;
constexpr float kMinAlternativeProb = 0.0005f;

// The likeliest classes over a character's time steps (each class at its best step), best first.
std::vector<CharChoice> alternatives(const float* seq, int classes, int from, int to,
                                     const std::vector<std::string>& charset) {
  std::vector<std::pair<float, int>> top;  // (prob, class), kept sorted, at most kAlternatives
  for (int t = from; t < to; ++t) {
    const float* p = seq + static_cast<size_t>(t) * classes;
    for (int k = 1; k < classes; ++k) {
      if (p[k] < kMinAlternativeProb || (top.size() == kAlternatives && p[k] <= top.back().first)) continue;
      auto same = std::find_if(top.begin(), top.end(), [k](const auto& e) { return e.second == k; });
      if (same != top.end()) {
        if (same->first >= p[k]) continue;
        top.erase(same);
      }
      top.insert(std::upper_bound(top.begin(), top.end(), std::make_pair(p[k], k),
                                  [](const auto& a, const auto& b) { return a.first > b.first; }),
                 {p[k], k});
      if (top.size() > kAlternatives) top.pop_back();
    }
  }
  std::vector<CharChoice> out;
  for (const auto& [prob, k] : top)
    if (k - 1 < static_cast<int>(charset.size())) out.push_back({charset[k - 1], prob});
  return out;
}

// The class a step puts first. The recognizers end in a softmax: a class above one half is the
// first (no other can reach it), so a blank or a sure character, most steps, ends the scan early
// instead of after all 18,708 classes. Ties go to the lower class, as std::max_element's.
int best_class(const float* p, int classes) {
  int best = 0;
  for (int k = 0; k < classes; ++k) {
    if (p[k] > 0.5f) return k;
    if (p[k] > p[best]) best = k;
  }
  return best;
}

int target_width(const cv::Mat& crop) {
  const double ratio = static_cast<double>(crop.cols) / std::max(1, crop.rows);
  return std::clamp(static_cast<int>(std::ceil(TextRecognizer::kHeight * ratio)), 16, kMaxWidth);
}

}  // namespace

TextRecognizer::TextRecognizer(Ort::Env& env, const std::string& model_bytes,
                               std::vector<std::string> charset, bool alternatives)
    : session_(env, model_bytes), charset_(std::move(charset)), alternatives_(alternatives) {
  const char* id_chars[kIdClasses - 1] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X"};
  id_class_[0] = 0;
  for (int i = 0; i < kIdClasses - 1; ++i) {
    auto it = std::find(charset_.begin(), charset_.end(), id_chars[i]);
    if (it == charset_.end()) throw std::runtime_error("recognizer dictionary lacks digits");
    id_class_[i + 1] = static_cast<int>(it - charset_.begin()) + 1;
  }
}

std::vector<LineReading> TextRecognizer::recognize(const std::vector<cv::Mat>& crops) const {
  std::vector<LineReading> out(crops.size());
  std::vector<size_t> order(crops.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<int> widths(crops.size());
  for (size_t i = 0; i < crops.size(); ++i) widths[i] = target_width(crops[i]);
  // Similar widths together: less padding computed for nothing.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return widths[a] < widths[b]; });
  // A batch holds lines of similar width only: padding is computed for nothing, and a short line
  // (a name) padded to an address's width reads differently from the same line alone.
  std::vector<size_t> idx;
  for (size_t i : order) {
    if (!idx.empty() && (idx.size() == kBatch || widths[i] > kMaxWidthRatio * widths[idx.front()])) {
      run_batch(crops, idx, out);
      idx.clear();
    }
    idx.push_back(i);
  }
  if (!idx.empty()) run_batch(crops, idx, out);
  return out;
}

void TextRecognizer::run_batch(const std::vector<cv::Mat>& crops, const std::vector<size_t>& idx,
                               std::vector<LineReading>& out) const {
  int batch_w = 0;
  for (size_t i : idx) batch_w = std::max(batch_w, target_width(crops[i]));
  const int n = static_cast<int>(idx.size()), h = kHeight, w = batch_w;
  std::vector<float> input(static_cast<size_t>(n) * 3 * h * w, 0.f);  // 0 = mid-grey after normalising
  for (int b = 0; b < n; ++b) {
    const cv::Mat& crop = crops[idx[b]];
    cv::Mat resized;
    cv::resize(crop, resized, cv::Size(target_width(crop), h), 0, 0, cv::INTER_LINEAR);
    // The red channel alone, in all three: red stamps and seals ("仅限…使用" on copies) fade
    // into the background while black values and blue labels stay dark.
    float* base = input.data() + static_cast<size_t>(b) * 3 * h * w;
    cv::Mat red;
    cv::extractChannel(resized, red, 2);
    const cv::Mat plane(h, w, CV_32F, base);
    red.convertTo(plane(cv::Rect(0, 0, resized.cols, h)), CV_32F, 1 / 127.5, -1);
    std::copy(base, base + static_cast<size_t>(h) * w, base + static_cast<size_t>(h) * w);
    std::copy(base, base + static_cast<size_t>(h) * w, base + 2 * static_cast<size_t>(h) * w);
  }
  const OnnxOutput probs = session_.run(input, {n, 3, h, w});
  const std::vector<int64_t>& shape = probs.shape();
  const int steps = static_cast<int>(shape[1]), classes = static_cast<int>(shape[2]);

  for (int b = 0; b < n; ++b) {
    LineReading& line = out[idx[b]];
    const float* seq = probs.data() + static_cast<size_t>(b) * steps * classes;
    // The crop was resized to its own width inside a padded batch: steps beyond it are padding.
    const int own_w = target_width(crops[idx[b]]);
    const int own_steps =
        std::min(steps, static_cast<int>(std::ceil(static_cast<double>(own_w) * steps / w)));
    int prev = -1;
    line.id_steps.reserve(own_steps);
    for (int t = 0; t < own_steps; ++t) {
      const float* p = seq + static_cast<size_t>(t) * classes;
      const int best = best_class(p, classes);
      IdStep step{};
      float sum = 0.f;
      for (int k = 0; k < kIdClasses; ++k) sum += step[k] = p[id_class_[k]];
      for (auto& v : step) v /= std::max(sum, 1e-12f);
      line.id_steps.push_back(step);
      if (best != 0 && best != prev && best - 1 < static_cast<int>(charset_.size())) {
        line.text += charset_[best - 1];
        line.char_confidence.push_back(p[best]);
        line.char_x.push_back((t + 0.5f) / static_cast<float>(own_steps));
        line.char_step.push_back(t);
      }
      prev = best;
    }
    // Alternatives of unsure characters, over the steps up to the next character's (three at most).
    line.char_alternatives.resize(line.char_step.size());
    for (size_t c = 0; c < line.char_step.size(); ++c) {
      if (!alternatives_ || line.char_confidence[c] >= kSureProb) continue;
      const int from = line.char_step[c];
      const int to = c + 1 < line.char_step.size() ? line.char_step[c + 1] : own_steps;
      line.char_alternatives[c] = alternatives(seq, classes, from, std::min(to, from + 3), charset_);
    }
    if (!line.char_confidence.empty())
      line.confidence = std::accumulate(line.char_confidence.begin(), line.char_confidence.end(), 0.f) /
                        static_cast<float>(line.char_confidence.size());
  }
}

}  // namespace idcard::ocr
