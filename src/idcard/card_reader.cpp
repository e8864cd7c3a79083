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
#include "idcard/reading_helpers.h"
#include "image/contrast.h"
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

// A closer look at part of a picture: `turn` reads it turned a quarter clockwise (a card standing
// on its short side: the detector boxes text running up or down the picture poorly).
struct Look {
  cv::Rect area;
  bool turn = false;
};

// Where to look again for a card not found, likeliest first: the text cluster, then the largest
// card-shaped region (found by its outline) that is a small part of the picture (a dim or small
// card whose text stage 1 boxed little of, beside printed text that makes a cluster).
std::vector<Look> second_looks(const std::vector<ocr::TextBox>& boxes, const cv::Mat& img) {
  constexpr float kMaxShare = 0.7f;  // of the picture's long side: a region larger gains nothing
  constexpr size_t kMaxLooks = 2;
  std::vector<Look> looks;
  if (auto area = text_cluster(boxes, img.size())) looks.push_back({*area, false});
  for (const CardRegion& r : card_shaped_regions(img)) {
    if (looks.size() == kMaxLooks) break;
    const cv::Rect& b = r.bounds;
    if (std::max(b.width, b.height) > kMaxShare * static_cast<float>(std::max(img.cols, img.rows))) continue;
    // (an area already looked at that holds the whole card would read the same text again, unless
    // this look turns it; one that cuts through the card read only part of it)
    const int gx = b.width / 12, gy = b.height / 12;  // the bounds less the tenth they were grown by
    const cv::Rect card(b.x + gx, b.y + gy, b.width - 2 * gx, b.height - 2 * gy);
    if (std::none_of(looks.begin(), looks.end(),
                     [&](const Look& l) { return (l.area & card) == card && l.turn == r.standing; }))
      looks.push_back({b, r.standing});
  }
  return looks;
}

// Reads a look's area; the card found, its positions in the picture's pixels.
PictureRead read_look(const cv::Mat& img, const Look& look, const LineReader& reader) {
  cv::Mat part = img(look.area).clone();
  if (look.turn) cv::rotate(part, part, cv::ROTATE_90_CLOCKWISE);
  PictureRead read = find_cards(part, reader);
  const float dx = static_cast<float>(look.area.x), dy = static_cast<float>(look.area.y);
  const float h = static_cast<float>(look.area.height);
  // Turned clockwise, the area's (x, y) is at (h - y, x): back is (y', h - x').
  move_positions(read.card, [&](Point p) {
    return look.turn ? Point{p.y + dx, h - p.x + dy} : Point{p.x + dx, p.y + dy};
  });
  return read;
}

// The first card of a picture: stage 1 on all of it; no card: a closer look, cut out at the image's
// resolution, where a card too small for the detector's scale would be: about the text stage 1 found in one
// place of a large picture, then the largest card-shaped region. Two at most: a picture without a card costs
// no more. Card-shaped regions are looked for with a dim picture's light stretched; every look reads the
// picture as sent (stretching a dim picture's noise reads worse). The boxes and anchors answered are always
// the whole picture's.
PictureRead find_card(const cv::Mat& img, const LineReader& reader) {
  PictureRead view = find_cards(img, reader);
  // A back seen by its title alone (its values covered) is looked at more closely too: a closer
  // look may read them; it stands when none does.
  auto values_read = [](const CardResult& c) { return c.front || (c.back && !c.back->values_hidden()); };
  if (!values_read(view.card)) {
    const cv::Mat stretched = stretch_contrast(img);
    for (const Look& look : second_looks(view.boxes, stretched)) {
      spdlog::debug("no card: reading {}x{} at ({}, {}) again{}", look.area.width, look.area.height,
                    look.area.x, look.area.y, look.turn ? ", turned" : "");
      PictureRead zoomed = read_look(img, look, reader);
      // A closer look that reads a card's values answers it, over a weak back too: a back it finds
      // has its title inside it or its outline about it, which the weak back lacked (a small back
      // read at the whole picture's scale is placed from its period's guessed size).
      if (values_read(zoomed.card)) {
        view.card = std::move(zoomed.card);
        view.weak_back.reset();
        break;
      }
      if (!view.card.back && !view.weak_back && zoomed.card.back)
        view.card.back = std::move(zoomed.card.back);
    }
    if (!view.card.front && !view.card.back && view.weak_back) view.card.back = std::move(view.weak_back);
  }
  return view;
}

std::vector<Quad> card_quads(const CardResult& card) {
  std::vector<Quad> out;
  if (card.front) out.push_back(card.front->card_quad);
  if (card.back) out.push_back(card.back->card_quad);
  return out;
}

bool inside_any(const std::vector<Quad>& cards, cv::Point2f p) {
  return std::any_of(cards.begin(), cards.end(), [&p](const Quad& q) {
    std::vector<cv::Point2f> poly;
    for (const Point& c : scaled(q, 1.1f)) poly.emplace_back(c.x, c.y);
    return cv::pointPolygonTest(poly, p, false) >= 0;
  });
}

// Whether a further card may lie outside the cards found: an anchor line read there (a number, a
// back's title, a period). Text beside a card (a receipt, a form) seldom holds one, so a single
// card's photo costs nothing more.
bool anchor_outside(const std::vector<cv::RotatedRect>& anchors, const std::vector<Quad>& cards) {
  return std::any_of(anchors.begin(), anchors.end(),
                     [&cards](const cv::RotatedRect& a) { return !inside_any(cards, a.center); });
}

// A card found, painted over in the colour about it: the picture read again finds the others.
void paint_over(cv::Mat& img, const Quad& card) {
  auto poly = [](const Quad& q) {
    std::vector<cv::Point> out;
    for (const Point& c : q)
      out.emplace_back(static_cast<int>(std::lround(c.x)), static_cast<int>(std::lround(c.y)));
    return out;
  };
  cv::Mat ring(img.size(), CV_8U, cv::Scalar(0));
  cv::fillConvexPoly(ring, poly(scaled(card, 1.2f)), cv::Scalar(255));
  cv::fillConvexPoly(ring, poly(scaled(card, 1.08f)), cv::Scalar(0));
  const cv::Scalar about = cv::countNonZero(ring) ? cv::mean(img, ring) : cv::Scalar::all(128);
  cv::fillConvexPoly(img, poly(scaled(card, 1.08f)), about);
}

// The picture's cards besides `first` (two people's cards photographed together), each found as
// the first was, closer looks included (an anchor outside says a card is there), on the picture
// with the cards found so far painted over; bounded.
std::vector<CardResult> other_cards(const cv::Mat& img, const CardResult& first, const PictureRead& view,
                                    const LineReader& reader) {
  constexpr size_t kMaxOthers = 3;
  std::vector<CardResult> others;
  std::vector<Quad> found = card_quads(first);
  std::vector<cv::RotatedRect> anchors = view.anchor_boxes;
  cv::Mat rest;
  while (others.size() < kMaxOthers && anchor_outside(anchors, found)) {
    spdlog::debug("an anchor outside the {} card(s) found: reading the rest", found.size());
    if (rest.empty()) rest = img.clone();
    for (const Quad& q : found) paint_over(rest, q);
    PictureRead more = find_card(rest, reader);
    const std::vector<Quad> quads = card_quads(more.card);
    // None, or one where a card was found already (its outline read off the paint): no more.
    if (quads.empty() || std::any_of(quads.begin(), quads.end(),
                                     [&](const Quad& q) { return inside_any(found, centre_of(q)); }))
      break;
    spdlog::debug("a further card: {}{}", more.card.front ? "front" : "", more.card.back ? " back" : "");
    found.insert(found.end(), quads.begin(), quads.end());
    anchors = std::move(more.anchor_boxes);
    others.push_back(std::move(more.card));
  }
  return others;
}

// A card's answer in the picture as sent: its number's values completed, the reports asked for
// made (on `img`, the picture its positions are in), positions scaled, checks computed.
void finish(CardResult& card, const cv::Mat& img, const DecodedImage& decoded, const ReadOptions& options) {
  card.image_width = decoded.width;
  card.image_height = decoded.height;
  if (card.front) complete_from_id(*card.front);
  if (options.any())
    add_reports(card, img, static_cast<float>(decoded.width) / static_cast<float>(img.cols), options);
  // Positions in the image as sent, not as decoded (a big JPEG is decoded at a reduced scale).
  scale_positions(card, static_cast<float>(decoded.width) / static_cast<float>(img.cols),
                  static_cast<float>(decoded.height) / static_cast<float>(img.rows));
  const bool corrected = card.checks.id_corrected;
  card.checks = compute_checks(card);
  card.checks.id_corrected = corrected;
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
    PictureRead view = find_card(img, reader);
    if (!view.card.front && !view.card.back) {
      out.status = ReadStatus::kNotFound;
      return out;
    }
    out.card = std::move(view.card);
    // Further cards only when the answer could list them (the plain answer is one card's).
    if (options.any() || options.list_cards) out.card.others = other_cards(img, out.card, view, reader);
    finish(out.card, img, decoded, options);
    for (CardResult& other : out.card.others) finish(other, img, decoded, options);
    return out;
  }
};

CardReader::CardReader(const EngineSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
CardReader::~CardReader() = default;
ReadOutcome CardReader::read(std::string_view image_bytes, ImageType type, const ReadOptions& options) const {
  return impl_->read(image_bytes, type, options);
}

}  // namespace idcard