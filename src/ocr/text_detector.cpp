#include "ocr/text_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace idcard::ocr {

TextDetector::TextDetector(Ort::Env& env, const std::string& model_bytes) : session_(env, model_bytes) {}

std::vector<TextBox> TextDetector::detect(const cv::Mat& bgr, const DetectorParams& p) const {
  return boxes_from_map(probability_map(bgr, p), p);
}

TextMap TextDetector::probability_map(const cv::Mat& bgr, const DetectorParams& p) const {
  const double scale = std::min(1.0, static_cast<double>(p.max_side) / std::max(bgr.cols, bgr.rows));
  const int w = std::max(32, static_cast<int>(std::round(bgr.cols * scale / 32.0)) * 32);
  const int h = std::max(32, static_cast<int>(std::round(bgr.rows * scale / 32.0)) * 32);
  cv::Mat resized;
  cv::resize(bgr, resized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);

  // NCHW float, ImageNet mean/std applied in the image's BGR channel order, as PaddleOCR does;
  // each channel scaled by OpenCV straight into its plane of the input (a loop per pixel and
  // channel cost ~5 ms a picture).
  static constexpr double kMean[3] = {0.485, 0.456, 0.406};
  static constexpr double kStd[3] = {0.229, 0.224, 0.225};
  std::vector<float> input(3 * static_cast<size_t>(w) * h);
  cv::Mat channels[3];
  cv::split(resized, channels);
  for (int c = 0; c < 3; ++c) {
    cv::Mat plane(h, w, CV_32F, input.data() + static_cast<size_t>(c) * w * h);
    channels[c].convertTo(plane, CV_32F, 1.0 / (255.0 * kStd[c]), -kMean[c] / kStd[c]);
  }
  const OnnxOutput prob = session_.run(input, {1, 3, h, w});
  TextMap map;
  map.prob = cv::Mat(h, w, CV_32F, const_cast<float*>(prob.data())).clone();
  map.sx = static_cast<double>(bgr.cols) / w;
  map.sy = static_cast<double>(bgr.rows) / h;
  return map;
}

std::vector<TextBox> TextDetector::boxes_from_map(const TextMap& map, const DetectorParams& p) {
  const cv::Mat& prob_map = map.prob;
  const int w = prob_map.cols, h = prob_map.rows;
  cv::Mat binary = prob_map > p.bin_threshold;

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  const double sx = map.sx, sy = map.sy;
  std::vector<TextBox> boxes;
  for (const auto& contour : contours) {
    if (contour.size() < 4) continue;
    cv::RotatedRect r = cv::minAreaRect(contour);
    if (std::min(r.size.width, r.size.height) < p.min_side) continue;
    // Mean probability inside the contour (DB's "slow" score: robust for curved/merged regions).
    const cv::Rect bb = cv::boundingRect(contour) & cv::Rect(0, 0, w, h);
    if (bb.empty()) continue;
    cv::Mat mask = cv::Mat::zeros(bb.size(), CV_8U);
    std::vector<std::vector<cv::Point>> shifted(1);
    for (const auto& pt : contour) shifted[0].emplace_back(pt.x - bb.x, pt.y - bb.y);
    cv::fillPoly(mask, shifted, cv::Scalar(1));
    const float score = static_cast<float>(cv::mean(prob_map(bb), mask)[0]);
    if (score < p.box_threshold) continue;
    const double area = static_cast<double>(r.size.width) * r.size.height;
    const double perimeter = 2.0 * (r.size.width + r.size.height);
    const float d = static_cast<float>(area * p.unclip_ratio / perimeter);
    r.size.width += 2 * d;
    r.size.height += 2 * d;
    if (std::min(r.size.width, r.size.height) < p.min_side + 2) continue;
    // Back to input-image coordinates; anisotropic scale is tiny (rounding to 32), so scaling the
    // corners and refitting keeps the box exact.
    cv::Point2f pts[4];
    r.points(pts);
    std::vector<cv::Point2f> scaled;
    for (auto& pt : pts) scaled.emplace_back(static_cast<float>(pt.x * sx), static_cast<float>(pt.y * sy));
    boxes.push_back({cv::minAreaRect(scaled), score});
  }
  return boxes;
}

}  // namespace idcard::ocr
