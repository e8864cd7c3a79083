#include "idcard/onnx_line_reader.h"

#include <algorithm>
#include <opencv2/core.hpp>
#include <string>

#include "build_config.h"
#include "ocr/model_files.h"

namespace idcard {

// A caller that left the thread count open gets one read's worth: every core.
ReaderModels::ReaderModels(const EngineSettings& s) : env(ocr::make_ort_env(intra_op_threads_for(s, 1))) {
  const std::string dir = s.model_dir.empty() ? IDCARD_DEFAULT_MODEL_DIR : s.model_dir;
  ocr::ModelBytes models = ocr::load_model_files(dir, s.verify_model_checksums, s.rec_tuning);
  detector = std::make_unique<ocr::TextDetector>(env, models.det);
  orientation = std::make_unique<ocr::LineOrientation>(env, models.cls);
  recognizer = std::make_unique<ocr::TextRecognizer>(env, models.rec, std::move(models.charset),
                                                     /*alternatives=*/true);
  recognizer_fast =
      std::make_unique<ocr::TextRecognizer>(env, models.rec_fast, std::move(models.charset_fast));
}

ocr::TextMap OnnxLineReader::text_map(const cv::Mat& picture) const {
  return clock_.time([&] { return models_.detector->probability_map(picture, ocr::DetectorParams{}); });
}

std::vector<ocr::TextBox> OnnxLineReader::boxes_in(const ocr::TextMap& map) const {
  return clock_.time([&] { return ocr::TextDetector::boxes_from_map(map, ocr::DetectorParams{}); });
}

std::vector<TextLine> OnnxLineReader::cut_lines(const cv::Mat& img, const std::vector<ocr::TextBox>& boxes,
                                                bool classify) const {
  const std::vector<float> axes = reading_axes(boxes, classify ? dominant_text_angle(boxes) : 0.f);
  std::vector<TextLine> lines;
  for (size_t i = 0; i < boxes.size(); ++i) {
    lines.push_back(make_line(boxes[i], classify ? axes[i] : 0.f));
    lines.back().crop = crop_line(img, lines.back().box, lines.back().angle_deg);
  }
  if (!classify) return lines;
  // The classifier looks at lines; a short box (a lone character, a label) is turned the way the
  // nearest line is, as its axis came from that line too. An image without lines: every box.
  std::vector<size_t> sampled;  // boxes classified
  std::vector<cv::Mat> sample;
  for (size_t i = 0; i < boxes.size(); ++i) {
    const cv::Size2f size = boxes[i].rect.size;
    if (std::max(size.width, size.height) >= 2.5f * std::min(size.width, size.height)) sampled.push_back(i);
  }
  if (sampled.empty())
    for (size_t i = 0; i < boxes.size(); ++i) sampled.push_back(i);
  std::vector<size_t> like(boxes.size());  // which of `sampled` gives each box its turn
  for (size_t i = 0; i < boxes.size(); ++i) {
    float best = 1e18f;
    for (size_t k = 0; k < sampled.size(); ++k) {
      const cv::Point2f d = boxes[i].rect.center - boxes[sampled[k]].rect.center;
      if (d.dot(d) < best) best = d.dot(d), like[i] = k;
    }
  }
  for (size_t i : sampled) sample.push_back(lines[i].crop);
  std::vector<cv::RotatedRect> sampled_boxes;
  for (size_t i : sampled) sampled_boxes.push_back(boxes[i].rect);
  const std::vector<float> sampled_flip = follow_neighbours_turn(
      sampled_boxes, clock_.time([&] { return models_.orientation->upside_down(sample); }));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (sampled_flip[like[i]] < 0.5f) continue;
    cv::rotate(lines[i].crop, lines[i].crop, cv::ROTATE_180);
    lines[i].angle_deg += 180.f;
  }
  return lines;
}

void OnnxLineReader::read(std::vector<TextLine>& lines, const std::vector<size_t>& which,
                          Dictionary dict) const {
  if (which.empty()) return;
  std::vector<cv::Mat> batch;
  for (size_t i : which) batch.push_back(lines[i].crop);
  const auto readings = clock_.time([&] { return recognizer(dict).recognize(batch); });
  for (size_t k = 0; k < which.size(); ++k) set_reading(lines[which[k]], readings[k]);
}

std::vector<TextLine> OnnxLineReader::detect_lines(const cv::Mat& card) const {
  ocr::DetectorParams params;
  params.max_side = std::max(card.cols, card.rows);
  const auto boxes = clock_.time([&] { return models_.detector->detect(card, params); });
  return cut_lines(card, boxes, false);
}

std::vector<ocr::LineReading> OnnxLineReader::read_regions(const cv::Mat& image,
                                                           const std::vector<Quad>& regions,
                                                           Dictionary dict) const {
  std::vector<cv::Mat> crops;
  for (const Quad& q : regions) crops.push_back(crop_quad(image, q));
  return clock_.time([&] { return recognizer(dict).recognize(crops); });
}

}  // namespace idcard
