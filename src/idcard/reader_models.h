#pragma once
// The card reader's models, loaded once, and how lines are cut out and read with them. Internal to
// the library: shared by stage 1 (card_reader.cpp) and the second passes (rectified_reads.cpp).
#include <memory>
#include <vector>

#include "core/settings.h"
#include "idcard/reading_helpers.h"
#include "idcard/text_lines.h"
#include "ocr/line_orientation.h"
#include "ocr/text_detector.h"
#include "ocr/text_recognizer.h"

namespace idcard {

struct ReaderModels {
  Ort::Env env = ocr::make_ort_env();
  std::unique_ptr<ocr::TextDetector> detector;
  std::unique_ptr<ocr::LineOrientation> orientation;
  std::unique_ptr<ocr::TextRecognizer> recognizer;       // field values: the full dictionary
  std::unique_ptr<ocr::TextRecognizer> recognizer_fast;  // finding anchors, reading labels

  explicit ReaderModels(const EngineSettings& s);  // throws std::runtime_error on bad models

  // Builds upright lines for boxes: axis from geometry; 0 vs 180 per line from the classifier
  // unless the caller knows the image is upright (a rectified card).
  std::vector<TextLine> upright_lines(const cv::Mat& img, const std::vector<ocr::TextBox>& boxes,
                                      bool classify, std::vector<cv::Mat>& crops, ModelClock& clock) const;

  // Reads the lines `which` from their crops with `rec`, in one batch (one model run).
  void recognise(std::vector<TextLine>& lines, const std::vector<cv::Mat>& crops,
                 const std::vector<size_t>& which, const ocr::TextRecognizer& rec, ModelClock& clock) const;

  // Lines of a rectified card (upright by construction: no orientation classifier).
  std::vector<TextLine> detect_rectified(const cv::Mat& warped, std::vector<cv::Mat>& crops,
                                         ModelClock& clock) const;
};

}  // namespace idcard
