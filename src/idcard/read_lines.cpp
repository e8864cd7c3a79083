#include "idcard/read_lines.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "idcard/reading_helpers.h"

namespace idcard {

std::vector<TextLine> card_lines(const LineReader& reader, const RectifiedCard& rc, float rows_from) {
  if (rc.text_map) {
    const auto boxes = reader.boxes_in(*rc.text_map);
    const bool merged = std::any_of(boxes.begin(), boxes.end(), [rows_from](const ocr::TextBox& b) {
      const cv::Point2f c = b.rect.center;
      const bool on_text = c.x > kWarpMargin * kWarpWidth && c.x < (kWarpMargin + 0.62f) * kWarpWidth &&
                           c.y > (kWarpMargin + rows_from) * kWarpHeight &&
                           c.y < (1 + kWarpMargin) * kWarpHeight;
      return on_text && std::min(b.rect.size.width, b.rect.size.height) > 0.12f * kWarpHeight;
    });
    if (!merged) return reader.cut_lines(rc.image, boxes, false);
    spdlog::debug("rectified: rows merged in stage 1's map, detecting again");
  }
  return reader.detect_lines(rc.image);
}

std::vector<size_t> take_sure_readings(std::vector<TextLine>& lines, const std::vector<size_t>& which,
                                       const RectifiedCard& rc, const std::vector<TextLine>& stage_one) {
  struct Placed {
    const TextLine* line;
    cv::Point2f left, right;  // its reading axis's ends in the card's frame
    float thickness;
  };
  std::vector<Placed> read;
  for (const TextLine& s : stage_one) {
    if (!read_surely(s) || s.char_x.size() != s.char_confidence.size()) continue;
    const Quad q = s.quad();
    const cv::Point2f lt = rc.to_frame(q[0]), rt = rc.to_frame(q[1]), rb = rc.to_frame(q[2]),
                      lb = rc.to_frame(q[3]);
    const cv::Point2f left = (lt + lb) * 0.5f, right = (rt + rb) * 0.5f;
    if (right.x - left.x < 4 * std::fabs(right.y - left.y)) continue;  // not along the card's rows
    read.push_back({&s, left, right, static_cast<float>(cv::norm(lb - lt))});
  }
  std::vector<size_t> rest;
  for (size_t i : which) {
    TextLine& l = lines[i];
    const cv::Rect2f r = l.box.boundingRect2f();
    if (r.width <= 0 || r.height <= 0) {
      rest.push_back(i);
      continue;
    }
    const float h = r.height, cy = r.y + r.height / 2;
    const auto same = std::find_if(read.begin(), read.end(), [&](const Placed& p) {
      return std::fabs(p.left.x - r.x) < 0.4f * h && std::fabs(p.right.x - (r.x + r.width)) < 0.4f * h &&
             std::fabs((p.left.y + p.right.y) / 2 - cy) < 0.25f * h && p.thickness > 0.7f * h &&
             p.thickness < 1.4f * h;
    });
    if (same == read.end()) {
      rest.push_back(i);
      continue;
    }
    const TextLine& s = *same->line;
    l.text = s.text;
    l.confidence = s.confidence;
    l.char_confidence = s.char_confidence;
    l.char_step = s.char_step;
    l.char_alts = s.char_alts;
    l.id_steps = s.id_steps;
    l.char_x.clear();
    for (float f : s.char_x)
      l.char_x.push_back((same->left.x + f * (same->right.x - same->left.x) - r.x) / r.width);
  }
  return rest;
}

void keep_lines_on_card(std::vector<TextLine>& lines) {
  lines.erase(std::remove_if(lines.begin(), lines.end(),
                             [](const TextLine& l) { return !RectifiedCard::on_card(l.box.center); }),
              lines.end());
}

}  // namespace idcard
