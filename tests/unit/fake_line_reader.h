#pragma once
// A LineReader without models, for testing the stages: text printed at known places of a picture
// (stage 1) or of a card (any rectified card: the canonical warp), boxed exactly there and read
// exactly as printed. Lines are told apart by where their boxes lie, as the models' are.
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "idcard/card_template.h"
#include "idcard/field_text.h"
#include "idcard/line_reader.h"
#include "idcard/reading_helpers.h"
#include "idcard/text_lines.h"

namespace idcard::testing {

// A line of text and where it is printed: in a picture's pixels, or on a card in fractions of its
// width and height (x0..x1 across, centred at cy, h high).
struct Printed {
  std::string text;
  float x0, x1, cy, h;
  // What the fast recognizer answers, surely (a look-alike of a character its dictionary lacks,
  // as 啧 for 赜); empty: it reads the text as printed.
  std::string fast_text = {};
  // Washed out by glare: the detector boxes nothing there, a band read across it still reads it.
  bool glare = false;
  // How sure the recognizer is of each of its characters (a speck of the background: low).
  float confidence = 0.99f;
};

// What a recognizer would answer for `text`: every character sure, evenly spaced, and per time
// step the number alphabet's probabilities (a digit or X sure at its step, blank between).
inline ocr::LineReading reading_of(const std::string& text, float confidence = 0.99f) {
  ocr::LineReading r;
  r.text = text;
  r.confidence = confidence;
  const auto chars = utf8_chars(text);
  const size_t n = chars.size();
  r.id_steps.assign(2 * n + 1, ocr::IdStep{});
  for (auto& step : r.id_steps) step[0] = 1.f;  // blank
  for (size_t i = 0; i < n; ++i) {
    r.char_confidence.push_back(confidence);
    r.char_x.push_back((static_cast<float>(i) + 0.5f) / static_cast<float>(n));
    r.char_step.push_back(static_cast<int>(2 * i + 1));
    r.char_alternatives.emplace_back();
    const std::string& c = chars[i];
    const int cls = c.size() == 1 && c[0] >= '0' && c[0] <= '9' ? 1 + (c[0] - '0') : (c == "X" ? 11 : -1);
    if (cls > 0) {
      auto& step = r.id_steps[2 * i + 1];
      step[0] = 0.f;
      step[static_cast<size_t>(cls)] = 1.f;
    }
  }
  return r;
}

class FakeLineReader final : public LineReader {
 public:
  // `picture`: lines in the picture's pixels; `card`: lines on the card, in fractions.
  FakeLineReader(std::vector<Printed> picture, std::vector<Printed> card)
      : picture_(std::move(picture)), card_(std::move(card)) {}

  ocr::TextMap text_map(const cv::Mat& /*picture*/) const override { return {}; }

  std::vector<ocr::TextBox> boxes_in(const ocr::TextMap& /*map*/) const override {
    std::vector<ocr::TextBox> boxes;
    for (const Printed& p : picture_) boxes.push_back(box_of(p, 1.f, 1.f, 0.f, 0.f));
    return boxes;
  }

  std::vector<TextLine> cut_lines(const cv::Mat& /*image*/, const std::vector<ocr::TextBox>& boxes,
                                  bool /*classify*/) const override {
    std::vector<TextLine> lines;
    for (const ocr::TextBox& b : boxes) lines.push_back(make_line(b, 0.f));
    return lines;
  }

  std::vector<TextLine> detect_lines(const cv::Mat& /*card*/) const override {
    std::vector<TextLine> lines;
    for (const Printed& p : card_)
      if (!p.glare) lines.push_back(make_line(on_warp(p), 0.f));
    return lines;
  }

  void read(std::vector<TextLine>& lines, const std::vector<size_t>& which, Dictionary dict) const override {
    for (size_t i : which) {
      const Printed* p = printed_at(lines[i].box.center);
      const std::string text = !p                                                   ? ""
                               : dict == Dictionary::kFast && !p->fast_text.empty() ? p->fast_text
                                                                                    : p->text;
      set_reading(lines[i], reading_of(text, p ? p->confidence : 0.99f));
    }
  }

  std::vector<ocr::LineReading> read_regions(const cv::Mat& /*image*/, const std::vector<Quad>& regions,
                                             Dictionary /*dict*/) const override {
    std::vector<ocr::LineReading> out;
    for (const Quad& q : regions) {
      std::string text;
      for (const Printed& p : card_) {
        const cv::Point2f c = on_warp(p).rect.center;
        if (c.x > q[0].x && c.x < q[1].x && c.y > q[0].y && c.y < q[3].y) text += p.text;
      }
      out.push_back(reading_of(text));
    }
    return out;
  }

 private:
  static ocr::TextBox box_of(const Printed& p, float sx, float sy, float ox, float oy) {
    const float w = (p.x1 - p.x0) * sx, h = p.h * sy;
    return {cv::RotatedRect(cv::Point2f(ox + (p.x0 + p.x1) / 2 * sx, oy + p.cy * sy), cv::Size2f(w, h), 0.f),
            1.f};
  }
  // A card line's box in the canonical warp (the card kWarpWidth wide, a margin around it).
  static ocr::TextBox on_warp(const Printed& p) {
    using namespace card_template;
    return box_of(p, kWarpWidth, kWarpHeight, kWarpMargin * kWarpWidth, kWarpMargin * kWarpHeight);
  }
  // The line printed where a box is (nearest centre), from either list; null when none is there.
  const Printed* printed_at(cv::Point2f centre) const {
    const Printed* best = nullptr;
    double best_d = 1e18;
    auto consider = [&](const Printed& p, const ocr::TextBox& b) {
      const double d = cv::norm(b.rect.center - centre);
      if (d < best_d) best_d = d, best = &p;
    };
    for (const Printed& p : picture_) consider(p, box_of(p, 1.f, 1.f, 0.f, 0.f));
    for (const Printed& p : card_) consider(p, on_warp(p));
    return best_d < 2.0 ? best : nullptr;
  }

  std::vector<Printed> picture_, card_;
};

}  // namespace idcard::testing
