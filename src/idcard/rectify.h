#pragma once
// Stage "rectify": a card's pixels warped upright to the canonical card by the homography of its
// corners, and positions mapped between the card's frame and the image's.
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/card_template.h"
#include "idcard/text_lines.h"
#include "ocr/text_detector.h"

namespace idcard {

using card_template::kWarpHeight;
using card_template::kWarpMargin;
using card_template::kWarpWidth;

// The input image, stage 1's text map of it and the lines stage 1 boxed and read there (the second
// passes find a large card's lines in the map instead of detecting again, and keep stage 1's sure
// readings of lines boxed alike instead of reading them again).
struct SourceImage {
  const cv::Mat& bgr;
  const ocr::TextMap& text_map;
  const std::vector<TextLine>& lines;  // in the input image; read ones have their text
};

// A card warped upright to the canonical size (card_template::kWarpWidth wide, a margin around it),
// and back: by the homography of its four corners (perspective included when they come from its
// outline).
struct RectifiedCard {
  cv::Mat image, to_card, from_card;  // 3x3, CV_64F
  // Stage 1's text map warped the same way, when it holds the card at nearly the warp's
  // resolution: the card's lines are then found in it without running the detector again.
  std::optional<ocr::TextMap> text_map;

  // `card`: corners in the source image's pixels (reading order of the upright card).
  RectifiedCard(const SourceImage& source, const Quad& card);
  cv::Point2f to_frame(const Point& p) const { return apply(to_card, p); }
  void to_image(Quad& q) const {
    for (auto& p : q) {
      const cv::Point2f r = apply(from_card, p);
      p = Point{r.x, r.y};
    }
  }
  // Whether a point of the warp lies on the card (not in the margin around it).
  static bool on_card(const cv::Point2f& p) {
    return p.x >= kWarpMargin * kWarpWidth && p.x <= (1 + kWarpMargin) * kWarpWidth &&
           p.y >= kWarpMargin * kWarpHeight && p.y <= (1 + kWarpMargin) * kWarpHeight;
  }

 private:
  static cv::Point2f apply(const cv::Mat& m, const Point& p) {  // a 3x3 homography (CV_64F)
    const double x = m.at<double>(0, 0) * p.x + m.at<double>(0, 1) * p.y + m.at<double>(0, 2);
    const double y = m.at<double>(1, 0) * p.x + m.at<double>(1, 1) * p.y + m.at<double>(1, 2);
    const double w = m.at<double>(2, 0) * p.x + m.at<double>(2, 1) * p.y + m.at<double>(2, 2);
    return {static_cast<float>(x / w), static_cast<float>(y / w)};
  }
};

}  // namespace idcard
