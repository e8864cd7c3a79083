#include "image/contrast.h"

#include <algorithm>
#include <array>
#include <opencv2/imgproc.hpp>

namespace idcard {

cv::Mat stretch_contrast(const cv::Mat& bgr, int min_span) {
  if (bgr.empty() || bgr.type() != CV_8UC3) return bgr;
  // Percentiles from a reduced copy: a few hundred thousand pixels are plenty.
  constexpr int kSampleSide = 512;
  const double scale = std::min(1.0, kSampleSide / static_cast<double>(std::max(bgr.cols, bgr.rows)));
  cv::Mat small, gray;
  cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  std::array<int, 256> hist{};
  for (int y = 0; y < gray.rows; ++y) {
    const uint8_t* row = gray.ptr<uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) ++hist[row[x]];
  }
  const long total = static_cast<long>(gray.total()), cut = total / 200;  // 0.5 %
  int lo = 0, hi = 255;
  for (long seen = 0; lo < 255 && (seen += hist[static_cast<size_t>(lo)]) <= cut;) ++lo;
  for (long seen = 0; hi > 0 && (seen += hist[static_cast<size_t>(hi)]) <= cut;) --hi;
  if (hi - lo >= min_span || hi <= lo) return bgr;
  cv::Mat out;
  const double gain = 255.0 / (hi - lo);
  bgr.convertTo(out, CV_8UC3, gain, -gain * lo);
  return out;
}

}  // namespace idcard
