#include "ocr/line_orientation.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace idcard::ocr {
namespace {
constexpr int kH = 48, kW = 192, kBatch = 16;
}

LineOrientation::LineOrientation(Ort::Env& env, const std::string& model_bytes)
    : session_(env, model_bytes) {}

std::vector<float> LineOrientation::upside_down(const std::vector<cv::Mat>& crops) const {
  std::vector<float> out;
  out.reserve(crops.size());
  for (size_t start = 0; start < crops.size(); start += kBatch) {
    const size_t n = std::min<size_t>(kBatch, crops.size() - start);
    std::vector<float> input(n * 3 * kH * kW, 0.f);
    for (size_t b = 0; b < n; ++b) {
      const cv::Mat& crop = crops[start + b];
      const double ratio = static_cast<double>(crop.cols) / std::max(1, crop.rows);
      const int w = std::clamp(static_cast<int>(std::ceil(kH * ratio)), 1, kW);
      cv::Mat resized;
      cv::resize(crop, resized, cv::Size(w, kH));
      float* base = input.data() + b * 3 * kH * kW;
      for (int y = 0; y < kH; ++y) {
        const auto* row = resized.ptr<cv::Vec3b>(y);
        for (int x = 0; x < w; ++x)
          for (int c = 0; c < 3; ++c)
            base[(static_cast<size_t>(c) * kH + y) * kW + x] = row[x][c] / 127.5f - 1.f;
      }
    }
    const OnnxOutput probs = session_.run(input, {static_cast<int64_t>(n), 3, kH, kW});
    for (size_t b = 0; b < n; ++b) out.push_back(probs.data()[b * 2 + 1]);
  }
  return out;
}

}  // namespace idcard::ocr
