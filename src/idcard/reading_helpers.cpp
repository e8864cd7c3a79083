#include "idcard/reading_helpers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "idcard/field_text.h"

namespace idcard {

void set_reading(TextLine& line, const ocr::LineReading& r) {
  const auto chars = utf8_chars(r.text);
  const bool aligned = chars.size() == r.char_confidence.size() && chars.size() == r.char_x.size() &&
                       chars.size() == r.char_step.size() && chars.size() == r.char_alternatives.size();
  line.text.clear();
  line.char_confidence.clear();
  line.char_x.clear();
  line.char_step.clear();
  line.char_alts.clear();
  line.id_steps = r.id_steps;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i] == " ") continue;
    line.text += chars[i];
    if (aligned) {
      line.char_confidence.push_back(r.char_confidence[i]);
      line.char_x.push_back(r.char_x[i]);
      line.char_step.push_back(r.char_step[i]);
      line.char_alts.push_back(r.char_alternatives[i]);
    }
  }
  line.confidence = r.confidence;
}

bool read_surely(const TextLine& line) {
  const auto& c = line.char_confidence;
  return !line.text.empty() && !c.empty() && *std::min_element(c.begin(), c.end()) >= kSureChar;
}

void trace_lines(const std::vector<TextLine>& lines, float angle) {
  if (!spdlog::should_log(spdlog::level::trace)) return;  // personal data: only ever at trace
  for (auto& l : lines)
    spdlog::trace("[{:.0f}] y={:.0f} x={:.0f} h={:.0f} '{}' {:.2f}", angle, l.cy(), l.x0, l.height(), l.text,
                  l.confidence);
}

cv::Point2f centre_of(const Quad& q) {
  return {(q[0].x + q[1].x + q[2].x + q[3].x) / 4, (q[0].y + q[1].y + q[2].y + q[3].y) / 4};
}

Quad scaled(const Quad& q, float factor) {
  const cv::Point2f c = centre_of(q);
  Quad out = q;
  for (auto& p : out) p = Point{c.x + (p.x - c.x) * factor, c.y + (p.y - c.y) * factor};
  return out;
}

cv::Mat stretched_bands(const cv::Mat& image, const std::vector<Quad>& bands) {
  cv::Mat out = image.clone();
  for (const Quad& q : bands) {
    const cv::Rect r = cv::Rect(cv::Point(static_cast<int>(q[0].x), static_cast<int>(q[0].y)),
                                cv::Point(static_cast<int>(q[2].x) + 1, static_cast<int>(q[2].y) + 1)) &
                       cv::Rect(0, 0, image.cols, image.rows);
    if (r.empty()) continue;
    cv::Mat grey;
    cv::cvtColor(image(r), grey, cv::COLOR_BGR2GRAY);
    cv::normalize(grey, grey, 0, 255, cv::NORM_MINMAX);
    cv::cvtColor(grey, out(r), cv::COLOR_GRAY2BGR);
  }
  return out;
}

TextLine band_line(const Quad& q, const ocr::LineReading& reading) {
  TextLine band;
  band.box = cv::RotatedRect(cv::Point2f((q[0].x + q[1].x) / 2, (q[0].y + q[3].y) / 2),
                             cv::Size2f(q[1].x - q[0].x, (q[3].y - q[0].y) / 1.2f), 0.f);
  place_in_frame(band, 0.f);
  set_reading(band, reading);
  return band;
}

IdReading read_id(const TextLine& line, const IdLineSpan& span) {
  // Restrict to the number's time steps, cutting halfway to the neighbouring label character.
  const auto& steps = line.id_steps;
  int from = 0, to = static_cast<int>(steps.size());
  const auto& cs = line.char_step;
  const auto& cx = line.char_x;
  for (size_t k = 0; k + 1 < cs.size(); ++k)
    if (cx[k] < span.from && cx[k + 1] >= span.from) from = (cs[k] + cs[k + 1] + 1) / 2;
  for (size_t k = 0; k + 1 < cs.size(); ++k)
    if (cx[k] <= span.to && cx[k + 1] > span.to) to = (cs[k] + cs[k + 1] + 1) / 2;
  return decode_id_number(std::vector<ocr::IdStep>(steps.begin() + from, steps.begin() + std::max(from, to)));
}

}  // namespace idcard
