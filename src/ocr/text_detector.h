#pragma once
// DB (differentiable binarization) text detection: image -> oriented text-line boxes.
#include <opencv2/core.hpp>
#include <vector>

#include "ocr/onnx_session.h"

namespace idcard::ocr {

struct TextBox {
  cv::RotatedRect rect;  // in the coordinates of the image passed to detect()
  float score = 0.f;
};

struct DetectorParams {
  int max_side = 960;          // long side the image is scaled to (multiple of 32)
  float bin_threshold = 0.3f;  // probability -> text pixel
  float box_threshold = 0.5f;  // mean probability a box needs
  float unclip_ratio = 1.6f;   // DB shrinks text regions in training; grow them back
  int min_side = 3;
};

class TextDetector {
 public:
  TextDetector(Ort::Env& env, const std::string& model_bytes, int threads);
  std::vector<TextBox> detect(const cv::Mat& bgr, const DetectorParams& params) const;

 private:
  OnnxSession session_;
};

}  // namespace idcard::ocr
