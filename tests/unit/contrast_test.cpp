// stretch_contrast: a dim picture's narrow band of light spread over the full range, a picture
// already spanning it left alone.
#include "image/contrast.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

namespace idcard {
namespace {

TEST(StretchContrast, SpreadsADimPictureOverTheFullRange) {
  cv::Mat dim(200, 300, CV_8UC3, cv::Scalar(60, 60, 60));
  dim(cv::Rect(100, 50, 100, 100)).setTo(cv::Scalar(90, 90, 90));  // a card 30 levels lighter
  const cv::Mat out = stretch_contrast(dim);
  double lo = 0, hi = 0;
  cv::minMaxLoc(out.reshape(1), &lo, &hi);
  EXPECT_LE(lo, 5);
  EXPECT_GE(hi, 250);
}

TEST(StretchContrast, LeavesAPictureThatSpansTheRangeAlone) {
  cv::Mat normal(200, 300, CV_8UC3, cv::Scalar(30, 30, 30));
  normal(cv::Rect(100, 50, 100, 100)).setTo(cv::Scalar(220, 220, 220));
  const cv::Mat out = stretch_contrast(normal);
  EXPECT_EQ(out.data, normal.data);  // not copied
  EXPECT_TRUE(stretch_contrast(cv::Mat()).empty());
}

}  // namespace
}  // namespace idcard
