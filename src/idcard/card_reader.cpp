#include "idcard/card_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "idcard/card_checks.h"
#include "idcard/card_outline.h"
#include "idcard/card_report.h"
#include "idcard/find_cards.h"
#include "idcard/onnx_line_reader.h"
#include "idcard/place_names.h"
#include "image/decode.h"
#include "ocr/text_detector.h"

namespace idcard {
namespace {

// Every position an answer holds, moved by f (a point to a point).
template <typename F>
void move_positions(CardResult& card, F f) {
  auto move = [&f](Quad& q) {
    for (auto& p : q) p = f(p);
  };
  if (card.front) {
    FrontFields& fr = *card.front;
    for (Field* field : fr.fields()) move(field->quad);
    move(fr.card_quad);
  }
  if (card.back) {
    move(card.back->authority.quad);
    move(card.back->valid_date.quad);
    move(card.back->card_quad);
  }
}

void scale_positions(CardResult& card, float sx, float sy) {
  if (sx == 1.f && sy == 1.f) return;
  move_positions(card, [sx, sy](Point p) { return Point{p.x * sx, p.y * sy}; });
}

// The area about the largest cluster of text boxes when it is a small part of a large image (a
// card from a third of the frame down): cut out, its text is detected at the image's resolution
// instead of the detector's (its long side scaled to 960). Nullopt when the text spreads over the
// image, there is little of it, or the image is no larger than the detector's input.
std::optional<cv::Rect> text_cluster(const std::vector<ocr::TextBox>& boxes, cv::Size size) {
  constexpr size_t kMinBoxes = 3;
  constexpr float kLinkage = 4.f;    // boxes this many line heights apart belong together
  constexpr float kGrow = 2.5f;      // the card reaches beyond the text boxed in it by this much
  constexpr float kMaxShare = 0.6f;  // of the image's long side: a zoom of 1.6x at least
  const int long_side = std::max(size.width, size.height);
  if (boxes.size() < kMinBoxes || long_side <= ocr::DetectorParams{}.max_side) return std::nullopt;
  std::vector<size_t> parent(boxes.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&parent](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (size_t i = 0; i < boxes.size(); ++i)
    for (size_t j = i + 1; j < boxes.size(); ++j) {
      const cv::RotatedRect &a = boxes[i].rect, &b = boxes[j].rect;
      const float h = std::max(std::min(a.size.width, a.size.height), std::min(b.size.width, b.size.height));
      const float reach =
          kLinkage * h + (std::max(a.size.width, a.size.height) + std::max(b.size.width, b.size.height)) / 2;
      if (cv::norm(a.center - b.center) < reach) parent[root(i)] = root(j);
    }
  std::vector<size_t> count(boxes.size(), 0);
  for (size_t i = 0; i < boxes.size(); ++i) ++count[root(i)];
  const size_t best = static_cast<size_t>(std::max_element(count.begin(), count.end()) - count.begin());
  if (count[best] < kMinBoxes) return std::nullopt;
  std::vector<cv::Point2f> points;
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (root(i) != best) continue;
    cv::Point2f corners[4];
    boxes[i].rect.points(corners);
    points.insert(points.end(), corners, corners + 4);
  }
  // A square about the cluster, large enough for the card around it (stage 1 may have boxed only a
  // few of its lines), at most kMaxShare of the image's long side.
  const cv::Rect2f r = cv::boundingRect(points);
  const float side = std::min(kGrow * std::max(r.width, r.height), kMaxShare * static_cast<float>(long_side));
  const cv::Point2f c(r.x + r.width / 2, r.y + r.height / 2);
  const cv::Rect area = cv::Rect(cv::Rect2f(c.x - side / 2, c.y - side / 2, side, side)) &
                        cv::Rect(0, 0, size.width, size.height);
  if (area.width < 32 || area.height < 32) return std::nullopt;
  return area;
}

// Where to look again for a card not found: the text cluster, else (stage 1 boxed next to no text)
// the largest card-shaped region that is a small part of the picture.
std::optional<cv::Rect> second_look(const std::vector<ocr::TextBox>& boxes, const cv::Mat& img) {
  constexpr size_t kFewBoxes = 4;
  constexpr float kMaxShare = 0.7f;  // of the picture's long side: a region larger gains nothing
  if (auto area = text_cluster(boxes, img.size())) return area;
  if (boxes.size() >= kFewBoxes) return std::nullopt;
  for (const cv::Rect& r : card_shaped_regions(img))
    if (std::max(r.width, r.height) <= kMaxShare * static_cast<float>(std::max(img.cols, img.rows))) return r;
  return std::nullopt;
}

}  // namespace

struct CardReader::Impl {
  EngineSettings settings;
  ReaderModels models;

  // The place-name lexicon is built here, with the models, not in the first read.
  explicit Impl(const EngineSettings& s) : settings(s), models(s) { load_place_names(); }

  ReadOutcome read(std::string_view bytes, ImageType type, const ReadOptions& options) const {
    const auto start = std::chrono::steady_clock::now();
    ModelClock clock;
    ReadOutcome out = read_timed(bytes, type, options, clock);
    out.timings.model_ms = clock.ms;
    out.timings.total_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
  }

  ReadOutcome read_timed(std::string_view bytes, ImageType /*type*/, const ReadOptions& options,
                         ModelClock& clock) const {
    ReadOutcome out;
    DecodedImage decoded = decode_image(bytes, settings);
    if (!decoded.ok()) {
      out.status = ReadStatus::kInvalidImage;
      out.reason = decoded.error == DecodeError::kTooLarge ? "image too large" : "invalid image data";
      return out;
    }
    const cv::Mat& img = decoded.bgr;
    const OnnxLineReader reader(models, clock);
    PictureRead view = find_cards(img, reader);
    // No card: one more look, cut out at the image's resolution, where a card too small for the
    // detector's scale would be: about the text stage 1 found in one place of a large picture, or
    // (next to no text found) the largest card-shaped region (found by its outline). One only: a
    // picture without a card costs one more read, no more.
    if (!view.card.front && !view.card.back) {
      if (const auto area = second_look(view.boxes, img)) {
        spdlog::debug("no card: reading {}x{} at ({}, {}) again", area->width, area->height, area->x,
                      area->y);
        PictureRead zoomed = find_cards(img(*area).clone(), reader);
        if (zoomed.card.front || zoomed.card.back) {
          const float dx = static_cast<float>(area->x), dy = static_cast<float>(area->y);
          move_positions(zoomed.card, [dx, dy](Point p) { return Point{p.x + dx, p.y + dy}; });
          view = std::move(zoomed);
        }
      }
    }
    if (!view.card.front && !view.card.back) {
      out.status = ReadStatus::kNotFound;
      return out;
    }
    out.card = std::move(view.card);
    out.card.image_width = decoded.width;
    out.card.image_height = decoded.height;
    if (out.card.front) complete_from_id(*out.card.front);
    // Reports (asked only) on the picture the positions are in still.
    if (options.any())
      add_reports(out.card, img, static_cast<float>(decoded.width) / static_cast<float>(img.cols), options);
    // Positions in the image as sent, not as decoded (a big JPEG is decoded at a reduced scale).
    scale_positions(out.card, static_cast<float>(decoded.width) / static_cast<float>(img.cols),
                    static_cast<float>(decoded.height) / static_cast<float>(img.rows));
    const bool corrected = out.card.checks.id_corrected;
    out.card.checks = compute_checks(out.card);
    out.card.checks.id_corrected = corrected;
    return out;
  }
};

CardReader::CardReader(const EngineSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
CardReader::~CardReader() = default;
ReadOutcome CardReader::read(std::string_view image_bytes, ImageType type, const ReadOptions& options) const {
  return impl_->read(image_bytes, type, options);
}

}  // namespace idcard