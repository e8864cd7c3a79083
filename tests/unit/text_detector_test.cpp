#include "ocr/text_detector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace idcard::ocr {
namespace {

// A map with two text regions, as the detector's map shows a line (DB shrinks a line's region in
// training; boxes_from_map grows it back by the unclip ratio).
TextMap two_lines_map(double sx, double sy) {
  TextMap map;
  map.prob = cv::Mat::zeros(200, 300, CV_32F);
  cv::rectangle(map.prob, cv::Rect(20, 30, 200, 16), cv::Scalar(0.9), cv::FILLED);
  cv::rectangle(map.prob, cv::Rect(40, 120, 120, 20), cv::Scalar(0.8), cv::FILLED);
  map.sx = sx, map.sy = sy;
  return map;
}

TEST(TextDetectorMap, BoxesComeBackInTheImagesCoordinates) {
  const auto boxes = TextDetector::boxes_from_map(two_lines_map(2.0, 3.0), DetectorParams{});
  ASSERT_EQ(boxes.size(), 2u);
  auto upper = boxes[0], lower = boxes[1];
  if (upper.rect.center.y > lower.rect.center.y) std::swap(upper, lower);
  // Map centres (120, 38) and (100, 130) scaled by (2, 3).
  EXPECT_NEAR(upper.rect.center.x, 2 * 119.5, 3);
  EXPECT_NEAR(upper.rect.center.y, 3 * 37.5, 3);
  EXPECT_NEAR(lower.rect.center.x, 2 * 99.5, 3);
  EXPECT_NEAR(lower.rect.center.y, 3 * 129.5, 3);
  EXPECT_NEAR(upper.score, 0.9, 0.01);
  // Grown back beyond the region: wider and taller than 200x16 map pixels, in image pixels.
  const cv::Rect2f r = upper.rect.boundingRect2f();
  EXPECT_GT(r.width, 2 * 200.f);
  EXPECT_GT(r.height, 3 * 16.f);
  EXPECT_LT(r.height, 3 * 40.f);
}

TEST(TextDetectorMap, FaintRegionsAndEmptyMapsGiveNoBoxes) {
  TextMap faint = two_lines_map(1, 1);
  faint.prob *= 0.4;  // text pixels (0.36, 0.32 > 0.3) but below the score a box needs (0.5)
  EXPECT_TRUE(TextDetector::boxes_from_map(faint, DetectorParams{}).empty());
  TextMap empty;
  empty.prob = cv::Mat::zeros(64, 64, CV_32F);
  EXPECT_TRUE(TextDetector::boxes_from_map(empty, DetectorParams{}).empty());
}

// A map warped into another frame (as a rectified card uses stage 1's) yields the boxes the
// warp moves the regions to.
TEST(TextDetectorMap, AWarpedMapGivesTheWarpedBoxes) {
  const TextMap map = two_lines_map(1, 1);
  cv::Mat m = (cv::Mat_<double>(2, 3) << 2, 0, 10, 0, 2, 5);  // scale 2, shift (10, 5)
  TextMap warped;
  cv::warpAffine(map.prob, warped.prob, m, cv::Size(620, 410), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  const auto a = TextDetector::boxes_from_map(map, DetectorParams{});
  const auto b = TextDetector::boxes_from_map(warped, DetectorParams{});
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (const auto& box : a) {
    const cv::Point2f want(2 * box.rect.center.x + 10, 2 * box.rect.center.y + 5);
    const bool found = std::any_of(b.begin(), b.end(), [&](const TextBox& w) {
      return std::hypot(w.rect.center.x - want.x, w.rect.center.y - want.y) < 3;
    });
    EXPECT_TRUE(found) << want;
  }
}

}  // namespace
}  // namespace idcard::ocr
