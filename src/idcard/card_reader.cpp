#include "idcard/card_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "build_config.h"
#include "idcard/card_layout.h"
#include "idcard/field_text.h"
#include "idcard/id_number.h"
#include "idcard/text_lines.h"
#include "image/decode.h"
#include "ocr/model_files.h"
#include "ocr/text_detector.h"
#include "ocr/text_recognizer.h"

namespace idcard {
namespace {

constexpr int kOrientationVoteLines = 3;

// Drops spaces (and their positions) so that character indices line up everywhere downstream.
void set_reading(TextLine& line, const ocr::LineReading& r) {
  const auto chars = utf8_chars(r.text);
  const bool aligned = chars.size() == r.char_confidence.size() && chars.size() == r.char_x.size();
  line.text.clear();
  line.char_confidence.clear();
  line.char_x.clear();
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i] == " ") continue;
    line.text += chars[i];
    if (aligned) {
      line.char_confidence.push_back(r.char_confidence[i]);
      line.char_x.push_back(r.char_x[i]);
    }
  }
  line.confidence = r.confidence;
}

bool valid_span_ok(const std::string& period) {
  if (period.size() < 12) return false;
  if (period.compare(9, std::string::npos, "长期") == 0) return true;
  if (period.size() != 17) return false;
  const int years = std::stoi(period.substr(9, 4)) - std::stoi(period.substr(0, 4));
  return period.substr(4, 4) == period.substr(13, 4) && (years == 5 || years == 10 || years == 20);
}

Checks compute_checks(const CardResult& card) {
  Checks c;
  if (card.front) {
    const std::string& id = card.front->id.text;
    c.id_format_ok = id_format_ok(id);
    c.id_checksum_ok = id_checksum_ok(id);
    const auto birth = id_birth_date(id);
    c.birth_matches_id = birth && *birth == card.front->birth.text;
    const auto g = id_gender(id);
    c.gender_matches_id = g && ((*g == 'M' && card.front->gender.text == "男") || (*g == 'F' && card.front->gender.text == "女"));
  }
  if (card.back) c.valid_span_ok = valid_span_ok(card.back->valid_date.text);
  return c;
}

}  // namespace

struct CardReader::Impl {
  Ort::Env env{ORT_LOGGING_LEVEL_ERROR, "idcard-ocr"};
  EngineSettings settings;
  std::unique_ptr<ocr::TextDetector> detector;
  std::unique_ptr<ocr::TextRecognizer> recognizer;

  explicit Impl(const EngineSettings& s) : settings(s) {
    const std::string dir = s.model_dir.empty() ? IDCARD_DEFAULT_MODEL_DIR : s.model_dir;
    ocr::ModelBytes models = ocr::load_model_files(dir, s.verify_model_checksums);
    detector = std::make_unique<ocr::TextDetector>(env, models.det, s.intra_op_threads);
    recognizer = std::make_unique<ocr::TextRecognizer>(env, models.rec, std::move(models.charset), s.intra_op_threads);
  }

  // Picks between reading the text at angle and at angle+180 by recognising a few long lines
  // both ways: upside-down text reads with clearly lower confidence.
  float upright_angle(const cv::Mat& img, const std::vector<ocr::TextBox>& boxes, float angle,
                      std::vector<std::pair<size_t, ocr::LineReading>>& reused) const {
    std::vector<size_t> order(boxes.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto len = [&](size_t i) { return std::max(boxes[i].rect.size.width, boxes[i].rect.size.height); };
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return len(a) > len(b); });
    order.resize(std::min<size_t>(order.size(), kOrientationVoteLines));
    std::vector<cv::Mat> crops;
    for (size_t i : order) crops.push_back(crop_line(img, boxes[i].rect, angle));
    for (size_t i : order) crops.push_back(crop_line(img, boxes[i].rect, angle + 180.f));
    const auto readings = recognizer->recognize(crops);
    float score[2] = {0, 0};
    for (size_t k = 0; k < readings.size(); ++k)
      score[k / order.size()] += readings[k].confidence * static_cast<float>(readings[k].char_confidence.size());
    const int pick = score[1] > score[0] ? 1 : 0;
    for (size_t k = 0; k < order.size(); ++k) reused.emplace_back(order[k], readings[pick * order.size() + k]);
    return pick ? angle + 180.f : angle;
  }

  ReadOutcome read(std::string_view bytes, ImageType /*type*/) const {
    ReadOutcome out;
    DecodedImage decoded = decode_image(bytes, settings);
    if (!decoded.ok()) {
      out.status = ReadStatus::kInvalidImage;
      out.reason = decoded.error == DecodeError::kTooLarge ? "image too large" : "invalid image data";
      return out;
    }
    const cv::Mat& img = decoded.bgr;
    out.card.image_width = img.cols;
    out.card.image_height = img.rows;

    const auto t0 = std::chrono::steady_clock::now();
    auto since = [&t0] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
    const auto boxes = detector->detect(img, ocr::DetectorParams{});
    spdlog::debug("detect: {} boxes at {:.1f} ms", boxes.size(), since());
    if (boxes.size() < 2) {
      out.status = ReadStatus::kNotFound;
      return out;
    }
    std::vector<std::pair<size_t, ocr::LineReading>> known;
    const float angle = upright_angle(img, boxes, dominant_text_angle(boxes), known);
    std::vector<TextLine> lines = lines_in_frame(boxes, angle);
    spdlog::debug("orientation {:.1f} at {:.1f} ms", angle, since());

    std::vector<cv::Mat> crops;
    std::vector<size_t> todo;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (std::any_of(known.begin(), known.end(), [&](auto& k) { return k.first == i; })) continue;
      todo.push_back(i);
      crops.push_back(crop_line(img, lines[i].box, lines[i].angle_deg));
    }
    const auto readings = recognizer->recognize(crops);
    for (size_t k = 0; k < todo.size(); ++k) set_reading(lines[todo[k]], readings[k]);
    for (auto& [i, r] : known) set_reading(lines[i], r);
    spdlog::debug("recognised {} lines at {:.1f} ms", crops.size(), since());
    if (spdlog::should_log(spdlog::level::trace))  // personal data: only ever at trace, never by default
      for (auto& l : lines) spdlog::trace("line y={:.0f} x={:.0f} '{}' {:.2f}", l.cy(), l.x0, l.text, l.confidence);

    if (auto span = find_id_line(lines)) {
      // Re-read only the number, restricted to 0-9/X, with per-step probabilities for the checksum.
      const TextLine& idl = lines[span->line];
      const float pad = 0.3f * idl.height() / std::max(1.f, idl.width());
      const cv::Mat crop = crop_quad(img, idl.quad_between(std::max(0.f, span->from - pad), std::min(1.f, span->to + pad)));
      const auto r = recognizer->recognize({crop}, {ocr::Alphabet::kIdNumber});
      IdReading id = decode_id_number(r[0].id_steps);
      out.card.front = assign_front(lines, *span, id);
      out.card.checks.id_corrected = id.corrected;
    }
    out.card.back = assign_back(lines);
    spdlog::debug("fields at {:.1f} ms", since());
    if (!out.card.front && !out.card.back) {
      out.status = ReadStatus::kNotFound;
      return out;
    }
    const bool corrected = out.card.checks.id_corrected;
    out.card.checks = compute_checks(out.card);
    out.card.checks.id_corrected = corrected;
    return out;
  }
};

CardReader::CardReader(const EngineSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
CardReader::~CardReader() = default;
ReadOutcome CardReader::read(std::string_view image_bytes, ImageType type) const {
  return impl_->read(image_bytes, type);
}

}  // namespace idcard
