#include "idcard/card_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "build_config.h"
#include "idcard/anchors.h"
#include "idcard/card_checks.h"
#include "idcard/card_layout.h"
#include "idcard/field_text.h"
#include "idcard/id_number.h"
#include "idcard/text_lines.h"
#include "image/decode.h"
#include "ocr/line_orientation.h"
#include "ocr/model_files.h"
#include "ocr/text_detector.h"
#include "ocr/text_recognizer.h"

namespace idcard {
namespace {

constexpr size_t kStageOneLines = 8;
constexpr size_t kBackSearchBatches = 3;  // bounds the cost of a photo full of other text
constexpr size_t kRetryRounds = 3;        // more batches read when the first anchors led to no card
constexpr float kSureChar = 0.95f;        // fast reader's per-character probability trusted as is
// The rectified front: the card at this size, with a margin around it (fractions of its size).
constexpr float kCardW = 800.f, kCardH = kCardW * 54.f / 85.6f, kCardMargin = 0.07f;
// Rows of the front (fractions of the card's height, GA 450): the name ends above 0.2, gender and
// nationality share the next row (the nationality from 0.36 of the width), the birth row starts
// at 0.31, the address runs from 0.43 to 0.79, the number below.
constexpr float kNameRowEnd = 0.2f, kBirthRowStart = 0.31f, kAddrRowsStart = 0.43f, kAddrRowsEnd = 0.79f;
constexpr float kNumberRowY = 0.85f;  // the number's centre
// A card placed from its label or birth row is a guess (layouts vary by printer): read a larger
// area, so that the whole number is in it; the number then places the card exactly.
constexpr float kRoughCardScale = 1.25f;

// Drops spaces (and their positions) so that character indices line up everywhere downstream.
void set_reading(TextLine& line, const ocr::LineReading& r) {
  const auto chars = utf8_chars(r.text);
  const bool aligned = chars.size() == r.char_confidence.size() && chars.size() == r.char_x.size() &&
                       chars.size() == r.char_step.size() && chars.size() == r.char_alternatives.size();
  line.text.clear();
  line.char_confidence.clear();
  line.char_x.clear();
  line.char_step.clear();
  line.char_alts.clear();
  line.id_steps = r.id_steps;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i] == " ") continue;
    line.text += chars[i];
    if (aligned) {
      line.char_confidence.push_back(r.char_confidence[i]);
      line.char_x.push_back(r.char_x[i]);
      line.char_step.push_back(r.char_step[i]);
      line.char_alts.push_back(r.char_alternatives[i]);
    }
  }
  line.confidence = r.confidence;
}

cv::Point2f centre_of(const Quad& q) {
  return {(q[0].x + q[1].x + q[2].x + q[3].x) / 4, (q[0].y + q[1].y + q[2].y + q[3].y) / 4};
}

// The quad grown about its centre.
Quad scaled(const Quad& q, float factor) {
  const cv::Point2f c = centre_of(q);
  Quad out = q;
  for (auto& p : out) p = Point{c.x + (p.x - c.x) * factor, c.y + (p.y - c.y) * factor};
  return out;
}

bool contains_point(const Quad& q, const cv::Point2f& p) {
  std::vector<cv::Point2f> poly;
  for (const auto& c : q) poly.emplace_back(c.x, c.y);
  return cv::pointPolygonTest(poly, p, false) >= 0;
}

// A card warped upright to the canonical size (kCardW wide, a margin around it), and back.
struct RectifiedCard {
  cv::Mat image, to_card, from_card;
  RectifiedCard(const cv::Mat& img, const Quad& card) {
    constexpr float kW = kCardW, kH = kCardH, kMargin = kCardMargin;
    const cv::Point2f src[3] = {{card[0].x, card[0].y}, {card[1].x, card[1].y}, {card[3].x, card[3].y}};
    const cv::Point2f dst[3] = {{kMargin * kW, kMargin * kH}, {(1 + kMargin) * kW, kMargin * kH}, {kMargin * kW, (1 + kMargin) * kH}};
    to_card = cv::getAffineTransform(src, dst);
    cv::invertAffineTransform(to_card, from_card);
    const cv::Size size(static_cast<int>(kW * (1 + 2 * kMargin)), static_cast<int>(kH * (1 + 2 * kMargin)));
    cv::warpAffine(img, image, to_card, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255, 255, 255));
  }
  void to_image(Quad& q) const {
    const cv::Mat& m = from_card;
    for (auto& p : q) {
      const double x = m.at<double>(0, 0) * p.x + m.at<double>(0, 1) * p.y + m.at<double>(0, 2);
      const double y = m.at<double>(1, 0) * p.x + m.at<double>(1, 1) * p.y + m.at<double>(1, 2);
      p = Point{static_cast<float>(x), static_cast<float>(y)};
    }
  }
};

// Time spent inside the models (inference with its tensor packing and box decoding), per read.
struct ModelClock {
  double ms = 0;
  template <typename F>
  auto time(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    auto result = f();
    ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return result;
  }
};

}  // namespace

struct CardReader::Impl {
  Ort::Env env{ORT_LOGGING_LEVEL_ERROR, "idcard-ocr"};
  EngineSettings settings;
  std::unique_ptr<ocr::TextDetector> detector;
  std::unique_ptr<ocr::LineOrientation> orientation;
  std::unique_ptr<ocr::TextRecognizer> recognizer;       // field values: the full dictionary
  std::unique_ptr<ocr::TextRecognizer> recognizer_fast;  // finding anchors, reading labels

  explicit Impl(const EngineSettings& s) : settings(s) {
    const std::string dir = s.model_dir.empty() ? IDCARD_DEFAULT_MODEL_DIR : s.model_dir;
    ocr::ModelBytes models = ocr::load_model_files(dir, s.verify_model_checksums);
    // A caller that left the thread count open gets one read's worth: every core.
    const int threads = intra_op_threads_for(s, 1);
    detector = std::make_unique<ocr::TextDetector>(env, models.det, threads);
    orientation = std::make_unique<ocr::LineOrientation>(env, models.cls, threads);
    recognizer = std::make_unique<ocr::TextRecognizer>(env, models.rec, std::move(models.charset), threads,
                                                       /*alternatives=*/true);
    recognizer_fast =
        std::make_unique<ocr::TextRecognizer>(env, models.rec_fast, std::move(models.charset_fast), threads);
  }

  // Builds upright lines for boxes: axis from geometry; 0 vs 180 per line from the classifier
  // unless the caller knows the image is upright (a rectified card).
  std::vector<TextLine> upright_lines(const cv::Mat& img, const std::vector<ocr::TextBox>& boxes, bool classify,
                                      std::vector<cv::Mat>& crops, ModelClock& clock) const {
    const std::vector<float> axes = reading_axes(boxes, classify ? dominant_text_angle(boxes) : 0.f);
    std::vector<TextLine> lines;
    crops.clear();
    for (size_t i = 0; i < boxes.size(); ++i) {
      lines.push_back(make_line(boxes[i], classify ? axes[i] : 0.f));
      crops.push_back(crop_line(img, lines.back().box, lines.back().angle_deg));
    }
    if (!classify) return lines;
    const std::vector<float> flipped = clock.time([&] { return orientation->upside_down(crops); });
    for (size_t i = 0; i < lines.size(); ++i) {
      if (flipped[i] < 0.5f) continue;
      cv::rotate(crops[i], crops[i], cv::ROTATE_180);
      lines[i].angle_deg += 180.f;
    }
    return lines;
  }

  void recognise(std::vector<TextLine>& lines, const std::vector<cv::Mat>& crops, const std::vector<size_t>& which,
                 const ocr::TextRecognizer& rec, ModelClock& clock) const {
    if (which.empty()) return;
    std::vector<cv::Mat> batch;
    for (size_t i : which) batch.push_back(crops[i]);
    const auto readings = clock.time([&] { return rec.recognize(batch); });
    for (size_t k = 0; k < which.size(); ++k) set_reading(lines[which[k]], readings[k]);
  }

  // Lines of a rectified card (upright by construction: no orientation classifier).
  std::vector<TextLine> detect_rectified(const cv::Mat& warped, std::vector<cv::Mat>& crops, ModelClock& clock) const {
    ocr::DetectorParams params;
    params.max_side = std::max(warped.cols, warped.rows);
    const auto boxes = clock.time([&] { return detector->detect(warped, params); });
    return upright_lines(warped, boxes, false, crops, clock);
  }

  // A back the first pass could not read (blur, glare, a small card): warped upright from its
  // title, detected again and every line read with the full recognizer (a back has few).
  std::optional<BackFields> read_back_rectified(const cv::Mat& img, const Quad& card, ModelClock& clock) const {
    const RectifiedCard rc(img, card);
    std::vector<cv::Mat> crops;
    std::vector<TextLine> lines = detect_rectified(rc.image, crops, clock);
    std::vector<size_t> all;
    for (size_t i = 0; i < lines.size(); ++i)
      if (std::fabs(angle_diff(lines[i].angle_deg, 0.f)) < 30.f) all.push_back(i);
    recognise(lines, crops, all, *recognizer, clock);
    std::vector<TextLine> upright;
    for (size_t i : all) upright.push_back(lines[i]);
    trace_lines(upright, 0);
    auto back = assign_back(upright);
    // A second look at a hard image: its period must be a card's (same day 5/10/20 years on, or 长期).
    if (!back || !back->authority.found() || !valid_span_ok(back->valid_date.text)) return std::nullopt;
    rc.to_image(back->authority.quad);
    rc.to_image(back->valid_date.quad);
    back->card_quad = card;
    return back;
  }

  // Stage 2 for a front: warp the card (estimated from its number line) upright to a canonical
  // size, detect again at a resolution where 6-pt labels are clear, read every line there.
  // `rough`: the card was estimated from other rows (its number not read whole); once the number
  // is found in the warp, the card is placed again from it and read once more.
  std::optional<FrontFields> read_front_rectified(const cv::Mat& img, const Quad& card, IdReading& id_out,
                                                  int& front_labels, ModelClock& clock, bool rough = false) const {
    constexpr float kW = kCardW, kH = kCardH, kMargin = kCardMargin;
    const RectifiedCard rc(img, card);
    const cv::Mat& warped = rc.image;
    std::vector<cv::Mat> crops;
    std::vector<TextLine> lines = detect_rectified(warped, crops, clock);
    // The full recognizer only where rare characters are printed: the name and the address
    // (by their place on the card). Labels, gender, nationality, birth and the number are common
    // characters; the fast reader reads them, and the number again in full if its check fails.
    std::vector<size_t> all, fast, full, maybe_full;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (std::fabs(angle_diff(lines[i].angle_deg, 0.f)) >= 30.f) continue;
      all.push_back(i);
      const cv::Rect2f r = lines[i].box.boundingRect2f();
      const float y = (r.y + r.height / 2) / kH - kMargin;  // 0..1 down the card
      const bool label = r.x + r.width < (kMargin + 0.17f) * kW && r.width < 0.16f * kW;
      const bool nationality = y > kNameRowEnd && y < kBirthRowStart && r.x > (kMargin + 0.36f) * kW;
      const bool address = !label && y > kAddrRowsStart && y < kAddrRowsEnd;
      const bool rare = !label && (y < kNameRowEnd || nationality);
      (rare ? full : fast).push_back(i);
      if (address) maybe_full.push_back(i);
    }
    const auto t0 = std::chrono::steady_clock::now();
    recognise(lines, crops, fast, *recognizer_fast, clock);
    // Address lines: the fast reading stands when every character is sure; a rare character
    // (outside the fast dictionary) shows as an unsure one and sends the line to the full reader.
    for (size_t i : maybe_full) {
      const auto& c = lines[i].char_confidence;
      if (c.empty() || *std::min_element(c.begin(), c.end()) < kSureChar) full.push_back(i);
    }
    const auto t1 = std::chrono::steady_clock::now();
    recognise(lines, crops, full, *recognizer, clock);
    spdlog::debug("stage 2: {} boxes, {} fast in {:.1f} ms, {} full in {:.1f} ms", lines.size(), fast.size(),
                  std::chrono::duration<double, std::milli>(t1 - t0).count(), full.size(),
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
    std::vector<TextLine> upright;
    for (size_t i : all) upright.push_back(lines[i]);
    trace_lines(upright, 0);
    // Where the warp put the number line: numbers printed beside the card lose to it.
    const cv::Point2f expected((kMargin + 0.345f + 0.285f) * kW, (kMargin + 0.85f) * kH);
    front_labels = count_front_labels(upright);
    auto span = find_id_line(upright, expected);
    if (span) id_out = read_id(upright[span->line], *span);
    if (span && !id_checksum_ok(id_out.text)) {
      const size_t at = all[span->line];
      recognise(lines, crops, {at}, *recognizer, clock);
      upright[span->line] = lines[at];
      if (const auto again = find_id_line({lines[at]})) {
        const IdReading full_id = read_id(lines[at], *again);
        if (id_checksum_ok(full_id.text) || full_id.text.size() > id_out.text.size()) {
          span->from = again->from, span->to = again->to;
          id_out = full_id;
        }
      }
    }
    // A stamp across the number splits or hides its boxes: read its whole band as one line.
    std::optional<TextLine> band;
    if (!span || (!id_checksum_ok(id_out.text) && id_out.text.size() < 17)) {
      band = read_number_band(warped, upright, clock);
      if (band) {
        if (auto bspan = find_id_line({*band})) {
          const IdReading bid = read_id(*band, *bspan);
          if (!span || id_checksum_ok(bid.text) || bid.text.size() > id_out.text.size()) {
            upright.push_back(*band);
            bspan->line = upright.size() - 1;
            span = bspan;
            id_out = bid;
          }
        }
      }
    }
    auto map = [&rc](Quad& q) { rc.to_image(q); };
    if (!span) {
      // A guessed card too small cuts its number: the digits it holds, by their pitch, say where
      // the whole number lies; the card is placed from that.
      if (rough && band) {
        if (auto number = number_quad_from_digits(*band)) {
          map(*number);
          return read_front_rectified(img, front_card_from_number(*number), id_out, front_labels, clock);
        }
      }
      return std::nullopt;
    }
    if (rough) {  // the card was a guess: place it from the number and read it again
      Quad number = upright[span->line].quad_between(span->from, span->to);
      map(number);
      return read_front_rectified(img, front_card_from_number(number), id_out, front_labels, clock);
    }
    FrontFields f = assign_front(upright, *span, id_out);
    read_hidden_rows(warped, f, id_out, clock);
    // Positions back into the input image.
    for (Field* field : {&f.name, &f.gender, &f.nationality, &f.birth, &f.addr, &f.id}) map(field->quad);
    f.card_quad = card;
    return f;
  }

  // The number's band in the rectified card read as one line: its row where the detector saw the
  // label or some digits low on the card (else the layout's), from the label's end to the edge.
  std::optional<TextLine> read_number_band(const cv::Mat& warped, const std::vector<TextLine>& upright,
                                           ModelClock& clock) const {
    constexpr float kW = kCardW, kH = kCardH, kMargin = kCardMargin;
    float cy = (kMargin + kNumberRowY) * kH, h = 0.075f * kH, x0 = (kMargin + 0.22f) * kW;
    int best_digits = 0;
    bool labelled = false;
    for (const TextLine& l : upright) {
      const float y = l.cy() / kH - kMargin;
      if (y < 0.72f || y > 1.0f) continue;
      const auto chars = utf8_chars(l.text);
      const size_t e = label_end(chars, "公民身份号码");
      const int digits = static_cast<int>(std::count_if(l.text.begin(), l.text.end(), [](char c) { return c >= '0' && c <= '9'; }));
      if (e && l.char_x.size() == chars.size() && !labelled) {
        labelled = true;
        cy = l.cy(), h = l.height();
        x0 = l.x0 + l.width() * (l.char_x[e - 1] + (e < chars.size() ? l.char_x[e] : l.char_x[e - 1] + 0.02f)) / 2;
      } else if (!labelled && digits >= 3 && digits > best_digits) {
        best_digits = digits;
        cy = l.cy(), h = l.height();
      }
    }
    const float x1 = static_cast<float>(warped.cols - 1);
    if (x1 - x0 < 4 * h) return std::nullopt;
    const Quad quad{Point{x0, cy - h / 2}, Point{x1, cy - h / 2}, Point{x1, cy + h / 2}, Point{x0, cy + h / 2}};
    std::vector<cv::Mat> crops{crop_quad(warped, quad)};
    const auto readings = clock.time([&] { return recognizer->recognize(crops); });
    TextLine line;
    line.box = cv::RotatedRect(cv::Point2f((x0 + x1) / 2, cy), cv::Size2f(x1 - x0, h), 0.f);
    place_in_frame(line, 0.f);
    set_reading(line, readings[0]);
    trace_lines({line}, 0);
    return line;
  }

  // Rows a stamp or glare hid from the detector: read the band where the layout prints them,
  // in the rectified card, and keep what parses as that field.
  void read_hidden_rows(const cv::Mat& warped, FrontFields& f, const IdReading& id, ModelClock& clock) const {
    constexpr float kW = kCardW, kH = kCardH;
    struct Band {
      Field* field;
      float x0, x1, cy;  // fractions of the card
    };
    std::vector<Band> bands;
    if (!f.name.found()) bands.push_back({&f.name, 0.175f, 0.60f, 0.16f});
    if (!f.gender.found()) bands.push_back({&f.gender, 0.175f, 0.28f, 0.285f});
    // An unknown nationality (伍 for 佤) is read again too: the band's reading replaces it only
    // when it is a known one.
    if (!is_known_nationality(f.nationality.text)) bands.push_back({&f.nationality, 0.38f, 0.58f, 0.285f});
    if (!f.birth.found()) bands.push_back({&f.birth, 0.175f, 0.60f, 0.405f});
    if (bands.empty()) return;
    std::vector<cv::Mat> crops;
    std::vector<Quad> quads;
    for (const Band& b : bands) {
      const float x0 = (kCardMargin + b.x0) * kW, x1 = (kCardMargin + b.x1) * kW;
      const float y0 = (kCardMargin + b.cy - 0.05f) * kH, y1 = (kCardMargin + b.cy + 0.05f) * kH;
      quads.push_back({Point{x0, y0}, Point{x1, y0}, Point{x1, y1}, Point{x0, y1}});
      crops.push_back(crop_quad(warped, quads.back()));
    }
    const auto readings = clock.time([&] { return recognizer->recognize(crops); });
    const std::string id_date = id_birth_date(id.text).value_or("");
    for (size_t k = 0; k < bands.size(); ++k) {
      const std::string text = remove_spaces(readings[k].text);
      if (text.empty()) continue;
      std::string value;
      Field* field = bands[k].field;
      const auto chars = utf8_chars(text);
      if (field == &f.name) {
        const bool plain = chars.size() <= 8 && std::all_of(chars.begin(), chars.end(), [](const std::string& c) {
                             return c.size() > 1;  // CJK or the middle dot, never digits or Latin
                           });
        if (plain && !is_name_under_stamp(text)) value = normalize_name(text);
      } else if (field == &f.gender) {
        for (const auto& c : chars)
          if (c == "男" || c == "女") { value = c; break; }
      } else if (field == &f.nationality) {
        const std::string n = normalize_nationality(text);
        if (is_known_nationality(n)) value = n;
      } else if (auto b = parse_birth_checked(text, id_date)) {
        value = *b;
      }
      if (value.empty()) continue;
      field->text = value;
      field->confidence = readings[k].confidence;
      field->quad = quads[k];
    }
  }

  static void trace_lines(const std::vector<TextLine>& lines, float angle) {
    if (!spdlog::should_log(spdlog::level::trace)) return;  // personal data: only ever at trace
    for (auto& l : lines)
      spdlog::trace("[{:.0f}] y={:.0f} x={:.0f} h={:.0f} '{}' {:.2f}", angle, l.cy(), l.x0, l.height(), l.text, l.confidence);
  }

  static IdReading read_id(const TextLine& line, const IdLineSpan& span) {
    // Restrict to the number's time steps, cutting halfway to the neighbouring label character.
    const auto& steps = line.id_steps;
    int from = 0, to = static_cast<int>(steps.size());
    const auto& cs = line.char_step;
    const auto& cx = line.char_x;
    for (size_t k = 0; k + 1 < cs.size(); ++k)
      if (cx[k] < span.from && cx[k + 1] >= span.from) from = (cs[k] + cs[k + 1] + 1) / 2;
    for (size_t k = 0; k + 1 < cs.size(); ++k)
      if (cx[k] <= span.to && cx[k + 1] > span.to) to = (cs[k] + cs[k + 1] + 1) / 2;
    return decode_id_number(std::vector<ocr::IdStep>(steps.begin() + from, steps.begin() + std::max(from, to)));
  }

  ReadOutcome read(std::string_view bytes, ImageType type) const {
    const auto start = std::chrono::steady_clock::now();
    ModelClock clock;
    ReadOutcome out = read_timed(bytes, type, clock);
    out.timings.model_ms = clock.ms;
    out.timings.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
  }

  ReadOutcome read_timed(std::string_view bytes, ImageType /*type*/, ModelClock& clock) const {
    ReadOutcome out;
    DecodedImage decoded = decode_image(bytes, settings);
    if (!decoded.ok()) {
      out.status = ReadStatus::kInvalidImage;
      out.reason = decoded.error == DecodeError::kTooLarge ? "image too large" : "invalid image data";
      return out;
    }
    const cv::Mat& img = decoded.bgr;
    out.card.image_width = img.cols;
    out.card.image_height = img.rows;

    const auto t0 = std::chrono::steady_clock::now();
    auto since = [&t0] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
    const auto boxes = clock.time([&] { return detector->detect(img, ocr::DetectorParams{}); });
    spdlog::debug("detect: {} boxes at {:.1f} ms", boxes.size(), since());
    if (boxes.size() < 2) {
      out.status = ReadStatus::kNotFound;
      return out;
    }
    std::vector<cv::Mat> crops;
    std::vector<TextLine> lines = upright_lines(img, boxes, true, crops, clock);
    // Stage 1 reads the longest lines first, a few at a time, until one is an anchor (the number
    // line, the validity line, the back's title or 签发机关); then the lines around a back anchor.
    // Distracting text in a photo's background costs a batch, not a read of everything.
    std::vector<size_t> order(lines.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto len = [&](size_t i) { return std::max(lines[i].box.size.width, lines[i].box.size.height); };
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return len(a) > len(b); });
    std::vector<size_t> anchors;
    for (size_t start = 0; start < order.size() && anchors.empty(); start += kStageOneLines) {
      const std::vector<size_t> batch(order.begin() + static_cast<long>(start),
                                      order.begin() + static_cast<long>(std::min(order.size(), start + kStageOneLines)));
      recognise(lines, crops, batch, *recognizer_fast, clock);
      for (size_t i : batch)
        if (is_anchor(lines[i].text)) anchors.push_back(i);
    }
    // Only fronts so far: a back may lie beside them (scans and photos of both sides). Read on
    // among the unread lines outside the fronts, of a card's text size, until a back anchor.
    if (!anchors.empty() && std::none_of(anchors.begin(), anchors.end(), [&](size_t a) { return is_back_anchor(lines[a].text); })) {
      std::vector<std::vector<cv::Point2f>> fronts;
      float text_h = 0;
      for (size_t a : anchors) {
        const Quad q = front_card_from_number(lines[a].quad());
        std::vector<cv::Point2f> poly;
        for (const auto& p : q) poly.emplace_back(p.x, p.y);
        fronts.push_back(poly);
        text_h = std::max(text_h, std::min(lines[a].box.size.width, lines[a].box.size.height));
      }
      std::vector<size_t> rest;
      for (size_t i : order) {
        const TextLine& l = lines[i];
        const float h = std::min(l.box.size.width, l.box.size.height);
        if (!l.text.empty() || l.char_step.size() || h < 0.4f * text_h || h > 1.6f * text_h) continue;
        const bool on_front = std::any_of(fronts.begin(), fronts.end(), [&](const auto& poly) {
          return cv::pointPolygonTest(poly, l.box.center, false) >= 0;
        });
        if (!on_front) rest.push_back(i);
      }
      for (size_t start = 0, tries = 0; start < rest.size() && tries < kBackSearchBatches; start += kStageOneLines, ++tries) {
        const std::vector<size_t> batch(rest.begin() + static_cast<long>(start),
                                        rest.begin() + static_cast<long>(std::min(rest.size(), start + kStageOneLines)));
        recognise(lines, crops, batch, *recognizer_fast, clock);
        bool found = false;
        for (size_t i : batch)
          if (is_back_anchor(lines[i].text)) anchors.push_back(i), found = true;
        if (found) break;
      }
    }
    // Around each back anchor, read what is still unread: the back's few lines are large.
    auto near_back_anchor = [&](size_t i) {
      for (size_t a : anchors) {
        const TextLine& al = lines[a];
        if (!is_back_anchor(al.text)) continue;
        const float reach = 1.6f * std::max(al.box.size.width, al.box.size.height);
        const cv::Point2f d = lines[i].box.center - al.box.center;
        if (std::hypot(d.x, d.y) < reach) return true;
      }
      return false;
    };
    std::vector<size_t> nearby;
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i].text.empty() && lines[i].char_step.empty() && near_back_anchor(i)) nearby.push_back(i);
    recognise(lines, crops, nearby, *recognizer_fast, clock);
    // The back's authority read again with the full dictionary (rare place-name characters): the
    // lines of the period's text size close to it; the period, titles and labels read right already.
    std::vector<size_t> back_values;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string t = remove_spaces(lines[i].text);
      if (t.empty() || t == "签发机关" || t == "有效期限" || parse_valid_period(t) || t.find("中华人民共和国") != std::string::npos ||
          t.find("居民身份证") != std::string::npos)
        continue;
      const float h = std::min(lines[i].box.size.width, lines[i].box.size.height);
      for (size_t a = 0; a < lines.size(); ++a) {
        if (!parse_valid_period(remove_spaces(lines[a].text))) continue;
        const float ah = std::min(lines[a].box.size.width, lines[a].box.size.height);
        const float reach = 1.2f * std::max(lines[a].box.size.width, lines[a].box.size.height);
        const cv::Point2f d = lines[i].box.center - lines[a].box.center;
        if (h > 0.6f * ah && h < 1.6f * ah && std::hypot(d.x, d.y) < reach) {
          back_values.push_back(i);
          break;
        }
      }
    }
    spdlog::debug("stage 1: anchors at {:.1f} ms; {} nearby, {} back values", since(), nearby.size(), back_values.size());
    recognise(lines, crops, back_values, *recognizer, clock);
    spdlog::debug("stage 1: {} boxes, {} anchors at {:.1f} ms", lines.size(), anchors.size(), since());

    int best_front_score = -1;
    // Fronts: every group with a number line is a candidate; the likeliest first (its number's
    // checksum holds), and an 18-character number that checks ends the search.
    struct Candidate {
      Quad card;
      std::optional<size_t> number_line;  // in `lines` of the read (spent when it leads to no card)
      bool checks = false;                // its number's checksum holds
      bool rough = false;                 // card placed from other rows: the number was not read whole
    };
    std::vector<Quad> rough_tried;  // cards placed from rows, read once each
    constexpr int kBestScore = 18 + 10;
    auto read_groups = [&] {
      std::vector<Candidate> fronts;
      for (const auto& group : group_by_angle(lines)) {
        std::vector<TextLine> g;
        std::vector<size_t> from;  // g's lines in `lines`
        const float angle = group_angle(lines, group);
        for (size_t i : group) {
          if (lines[i].text.empty()) continue;
          g.push_back(lines[i]);
          from.push_back(i);
          place_in_frame(g.back(), angle);
        }
        if (g.empty()) continue;
        trace_lines(g, angle);
        if (!out.card.back) {
          auto back = assign_back(g);
          if (back && back->authority.found()) out.card.back = std::move(back);
        }
        std::optional<Quad> numbered;
        if (auto span = find_id_line(g)) {
          const IdReading coarse = read_id(g[span->line], *span);
          numbered = assign_front(g, *span, coarse).card_quad;
          fronts.push_back({*numbered, from[span->line], id_checksum_ok(coarse.text), false});
        }
        // A card whose number was not read whole (or a number beside it was): placed from its rows.
        if (auto card = front_card_from_rows(g)) {
          const bool tried = std::any_of(rough_tried.begin(), rough_tried.end(), [&](const Quad& q) {
            return std::hypot(q[0].x - (*card)[0].x, q[0].y - (*card)[0].y) < 2.f;
          });
          if (!tried && !(numbered && contains_point(*numbered, centre_of(*card)))) {
            rough_tried.push_back(*card);
            fronts.push_back({scaled(*card, kRoughCardScale), std::nullopt, false, true});
          }
        }
      }
      // Likeliest: the number's checksum holds, then the most detected boxes inside the card its
      // line implies (a card has rows of text above its number; a number on a receipt has few).
      std::vector<std::pair<int, int>> rank;
      for (const Candidate& c : fronts) {
        std::vector<cv::Point2f> poly;
        for (const auto& p : c.card) poly.emplace_back(p.x, p.y);
        int inside = 0;
        for (const auto& l : lines) inside += cv::pointPolygonTest(poly, l.box.center, false) >= 0;
        rank.emplace_back(c.checks * 2 + !c.rough, inside);
      }
      std::vector<size_t> by_rank(fronts.size());
      for (size_t k = 0; k < by_rank.size(); ++k) by_rank[k] = k;
      std::stable_sort(by_rank.begin(), by_rank.end(), [&](size_t a, size_t b) { return rank[a] > rank[b]; });
      for (size_t k : by_rank) {
        const Candidate& c = fronts[k];
        if (best_front_score >= kBestScore) break;
        IdReading id;
        int labels = 0;
        std::optional<FrontFields> front = read_front_rectified(img, c.card, id, labels, clock, c.rough);
        spdlog::debug("stage 2 at {:.1f} ms", since());
        // A long digit run alone is not a card (receipts, bank cards): the rows above must read
        // as a card's, two of them at least (the front's labels count as one).
        // A birth date counts when a checked number does not contradict it.
        const bool birth = front && front->birth.found() &&
                           (!id_checksum_ok(id.text) || id_birth_date(id.text) == front->birth.text);
        const int card_rows = front ? (front->gender.text == "男" || front->gender.text == "女") + birth +
                                          is_known_nationality(front->nationality.text) + id_checksum_ok(id.text) +
                                          (labels >= 3)
                                    : 0;
        if (card_rows < 2) {
          if (c.number_line) lines[*c.number_line].text.clear();  // leads to no card (printed beside it): not tried again
          continue;
        }
        const int score = static_cast<int>(id.text.size()) + (id_checksum_ok(id.text) ? 10 : 0);
        if (score > best_front_score) {
          best_front_score = score;
          out.card.front = std::move(front);
          out.card.checks.id_corrected = id.corrected;
        }
      }
    };
    read_groups();
    // Nothing yet, but other lines unread: the anchors found were text beside the card (numbers
    // on a receipt, dates). Read on, a batch at a time, and try again (bounded).
    for (size_t round = 0, next = 0; round < kRetryRounds && !out.card.front && !out.card.back; ++round) {
      std::vector<size_t> batch;
      for (; next < order.size() && batch.size() < kStageOneLines; ++next)
        if (lines[order[next]].text.empty() && lines[order[next]].char_step.empty()) batch.push_back(order[next]);
      recognise(lines, crops, batch, *recognizer_fast, clock);
      const bool fresh = std::any_of(batch.begin(), batch.end(), [&](size_t i) { return is_anchor(lines[i].text); });
      const bool left = std::any_of(lines.begin(), lines.end(), [](const TextLine& l) { return is_anchor(l.text); });
      if (!fresh && !left && batch.empty()) break;
      if (fresh || left) read_groups();
    }
    // A back seen (its title read) but not read: once more, rectified from the title.
    if (!out.card.back) {
      for (const auto& group : group_by_angle(lines)) {
        std::vector<TextLine> g;
        for (size_t i : group)
          if (!lines[i].text.empty()) g.push_back(lines[i]);
        if (g.empty()) continue;
        const float angle = group_angle(lines, group);
        for (auto& l : g) place_in_frame(l, angle);
        if (auto card = back_card_from_title(g)) {
          out.card.back = read_back_rectified(img, scaled(*card, kRoughCardScale), clock);
          spdlog::debug("back stage 2 at {:.1f} ms", since());
          if (out.card.back) break;
        }
      }
    }
    spdlog::debug("fields at {:.1f} ms", since());
    if (!out.card.front && !out.card.back) {
      out.status = ReadStatus::kNotFound;
      return out;
    }
    const bool corrected = out.card.checks.id_corrected;
    out.card.checks = compute_checks(out.card);
    out.card.checks.id_corrected = corrected;
    return out;
  }
};

CardReader::CardReader(const EngineSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
CardReader::~CardReader() = default;
ReadOutcome CardReader::read(std::string_view image_bytes, ImageType type) const {
  return impl_->read(image_bytes, type);
}

}  // namespace idcard
