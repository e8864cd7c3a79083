#include "idcard/rectify.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace idcard {
namespace {

// Stage 1's text map stands in for a second detection where it holds the card at this share of the
// warp's resolution or more (at 0.7 a stamped external card lost its rows; detecting the warp at
// 736 px instead of 912 cost one card of 200).
constexpr float kMapResolutionNeeded = 0.8f;

}  // namespace

RectifiedCard::RectifiedCard(const SourceImage& source, const Quad& card) {
  const cv::Mat& img = source.bgr;
  constexpr float kW = kWarpWidth, kH = kWarpHeight, kMargin = kWarpMargin;
  const cv::Point2f src[4] = {
      {card[0].x, card[0].y}, {card[1].x, card[1].y}, {card[2].x, card[2].y}, {card[3].x, card[3].y}};
  const cv::Point2f dst[4] = {{kMargin * kW, kMargin * kH},
                              {(1 + kMargin) * kW, kMargin * kH},
                              {(1 + kMargin) * kW, (1 + kMargin) * kH},
                              {kMargin * kW, (1 + kMargin) * kH}};
  to_card = cv::getPerspectiveTransform(src, dst);
  from_card = to_card.inv();
  const cv::Size size(static_cast<int>(kW * (1 + 2 * kMargin)), static_cast<int>(kH * (1 + 2 * kMargin)));
  cv::warpPerspective(img, image, to_card, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                      cv::Scalar(255, 255, 255));
  const ocr::TextMap& map = source.text_map;
  const float map_w = std::hypot(card[1].x - card[0].x, card[1].y - card[0].y) / static_cast<float>(map.sx);
  const float map_h = std::hypot(card[3].x - card[0].x, card[3].y - card[0].y) / static_cast<float>(map.sy);
  const float resolution = std::min(map_w / kW, map_h / kH);
  spdlog::debug("rectified: stage 1's map at {:.2f} of the warp's resolution", resolution);
  if (!map.prob.empty() && resolution >= kMapResolutionNeeded) {
    // map pixels -> image pixels -> the card's frame
    const cv::Mat map_to_image = (cv::Mat_<double>(3, 3) << map.sx, 0, 0, 0, map.sy, 0, 0, 0, 1);
    text_map.emplace();
    cv::warpPerspective(map.prob, text_map->prob, to_card * map_to_image, size, cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT, cv::Scalar(0));
  }
}

}  // namespace idcard
