#pragma once
// PaddleOCR's text-line direction classifier: is a line crop upright or upside down? Decided per
// line, because one picture may hold two cards the opposite way round (a scanned front and back).
#include <opencv2/core.hpp>
#include <vector>

#include "ocr/onnx_session.h"

namespace idcard::ocr {

class LineOrientation {
 public:
  LineOrientation(Ort::Env& env, const std::string& model_bytes);
  // Probability that each crop is upside down (rotated 180 degrees).
  std::vector<float> upside_down(const std::vector<cv::Mat>& crops) const;

 private:
  OnnxSession session_;
};

}  // namespace idcard::ocr
