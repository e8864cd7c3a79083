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

// The detector's text-probability map of an image at the size it ran at, and how its pixels map to
// the image's. Kept by a read so that a card found in it can be rectified without detecting again.
struct TextMap {
  cv::Mat prob;           // CV_32F, 0..1
  double sx = 1, sy = 1;  // image pixels per map pixel
};

class TextDetector {
 public:
  TextDetector(Ort::Env& env, const std::string& model_bytes);
  std::vector<TextBox> detect(const cv::Mat& bgr, const DetectorParams& params) const;
  TextMap probability_map(const cv::Mat& bgr, const DetectorParams& params) const;
  // Boxes in image coordinates from a map: the detector's own, or one warped into another frame.
  static std::vector<TextBox> boxes_from_map(const TextMap& map, const DetectorParams& params);

 private:
  OnnxSession session_;
};

}  // namespace idcard::ocr
