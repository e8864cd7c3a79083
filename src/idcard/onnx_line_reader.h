#pragma once
// The card reader's models, loaded once (ReaderModels), and the LineReader that runs them for one
// read, adding the time spent in them to that read's clock (OnnxLineReader).
#include <memory>
#include <vector>

#include "core/settings.h"
#include "idcard/line_reader.h"
#include "idcard/reading_helpers.h"
#include "ocr/line_orientation.h"
#include "ocr/text_detector.h"
#include "ocr/text_recognizer.h"

namespace idcard {

struct ReaderModels {
  Ort::Env env;  // telemetry off, one thread pool for the four models (onnx_session.h)
  std::unique_ptr<ocr::TextDetector> detector;
  std::unique_ptr<ocr::LineOrientation> orientation;
  std::unique_ptr<ocr::TextRecognizer> recognizer;       // field values: the full dictionary
  std::unique_ptr<ocr::TextRecognizer> recognizer_fast;  // finding anchors, reading labels

  explicit ReaderModels(const EngineSettings& s);  // throws std::runtime_error on bad models
};

// One read's view of the models: const and shareable like them, but its clock is the read's own.
class OnnxLineReader final : public LineReader {
 public:
  OnnxLineReader(const ReaderModels& models, ModelClock& clock) : models_(models), clock_(clock) {}

  ocr::TextMap text_map(const cv::Mat& picture) const override;
  std::vector<ocr::TextBox> boxes_in(const ocr::TextMap& map) const override;
  std::vector<TextLine> cut_lines(const cv::Mat& image, const std::vector<ocr::TextBox>& boxes,
                                  bool classify) const override;
  std::vector<TextLine> detect_lines(const cv::Mat& card) const override;
  void read(std::vector<TextLine>& lines, const std::vector<size_t>& which, Dictionary dict) const override;
  std::vector<ocr::LineReading> read_regions(const cv::Mat& image, const std::vector<Quad>& regions,
                                             Dictionary dict) const override;

 private:
  const ocr::TextRecognizer& recognizer(Dictionary dict) const {
    return dict == Dictionary::kFull ? *models_.recognizer : *models_.recognizer_fast;
  }
  const ReaderModels& models_;
  ModelClock& clock_;
};

}  // namespace idcard
