#include "idcard/read_front.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "idcard/card_checks.h"
#include "idcard/card_outline.h"
#include "idcard/card_placement.h"
#include "idcard/card_template.h"
#include "idcard/field_text.h"
#include "idcard/front_fields.h"
#include "idcard/line_values.h"
#include "idcard/name_prior.h"
#include "idcard/read_lines.h"
#include "idcard/reading_helpers.h"
#include "idcard/text_lines.h"

namespace idcard {
namespace {

using card_template::kNameRowEnd;
using card_template::kNumberCentreX;
using card_template::kNumberRowY;

int digit_count(const std::string& text) {
  return static_cast<int>(
      std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

// Whether a line the fast recognizer read must be read again by the full one. The fast reader's
// dictionary (6,904 characters) lacks most rare name and place characters and answers a
// look-alike for them, often surely: so every line holding free text (a name, an address: what
// is not a label, a gender, a known nationality, a date or a number) goes to the full reader, as
// does a line it read nothing on. An unsure label or date stays: the full reader reads those no
// better, and photos hold many of them.
bool needs_full_reader(const TextLine& line) {
  static constexpr std::string_view kClosed[] = {"姓", "名", "性", "别", "民", "族", "出", "生", "年", "月",
                                                 "日", "住", "址", "公", "身", "份", "号", "码", "男", "女"};
  std::string rest;
  const auto chars = utf8_chars(remove_spaces(line.text));
  for (const std::string& c : chars) {
    // A card prints digits, X, the dates' dots and the period's dash; other ASCII (5/]503 for
    // 5门503) is a character the fast reader could not read.
    if (c.size() == 1 && !std::isdigit(static_cast<unsigned char>(c[0])) && c != "X" && c != "." && c != "-")
      return true;
    if (c.size() == 1) continue;  // digits, X, dots and dashes
    if (std::find(std::begin(kClosed), std::end(kClosed), c) == std::end(kClosed)) rest += c;
  }
  return chars.empty() || (!rest.empty() && !is_known_nationality(rest));
}

// The number's band in the rectified card read as one line: its row where the detector saw the
// label or some digits low on the card (else the layout's), from the label's end to the edge.
// `scale`: the warped area is the card grown this much about its centre (a rough placement).
std::optional<TextLine> read_number_band(const LineReader& reader, const cv::Mat& warped,
                                         const std::vector<TextLine>& upright, float scale) {
  constexpr float kW = kWarpWidth, kH = kWarpHeight, kMargin = kWarpMargin;
  // A place on the card (fraction of its width or height) -> the same fraction of the warped area.
  auto in_area = [scale](float f) { return 0.5f + (f - 0.5f) / scale; };
  const float row_h = 0.075f / scale * kH;
  float cy = (kMargin + in_area(kNumberRowY)) * kH, h = row_h, x0 = (kMargin + in_area(0.22f)) * kW;
  int best_digits = 0;
  bool labelled = false;
  for (const TextLine& l : upright) {
    const float y = l.cy() / kH - kMargin;
    if (y < in_area(0.72f) || y > in_area(1.0f)) continue;
    const auto chars = utf8_chars(l.text);
    const size_t e = label_end(chars, "公民身份号码");
    const int digits = digit_count(l.text);
    if (e && l.char_x.size() == chars.size() && !labelled) {
      labelled = true;
      cy = l.cy(), h = l.height();
      x0 = l.x0 +
           l.width() * (l.char_x[e - 1] + (e < chars.size() ? l.char_x[e] : l.char_x[e - 1] + 0.02f)) / 2;
    } else if (!labelled && digits >= 3 && digits > best_digits && l.height() < 1.6f * row_h) {
      // (a box much taller than a row is the number merged with a stamp: its centre is neither's)
      best_digits = digits;
      cy = l.cy(), h = l.height();
    }
  }
  const float x1 = static_cast<float>(warped.cols - 1);
  if (x1 - x0 < 4 * h) return std::nullopt;
  const Quad quad{Point{x0, cy - h / 2}, Point{x1, cy - h / 2}, Point{x1, cy + h / 2}, Point{x0, cy + h / 2}};
  const auto readings = reader.read_regions(warped, {quad}, Dictionary::kFull);
  TextLine line;
  line.box = cv::RotatedRect(cv::Point2f((x0 + x1) / 2, cy), cv::Size2f(x1 - x0, h), 0.f);
  place_in_frame(line, 0.f);
  set_reading(line, readings[0]);
  trace_lines({line}, 0);
  return line;
}

// An address row whose box starts well after the values' column with nothing before it: glare or
// a faint print hid its first characters from the detector. Its band from the values' column on
// is read again, its light stretched; the reading stands when it ends with what the box read (the
// same row, more of it) and adds one to four characters.
void read_late_rows(const LineReader& reader, const cv::Mat& warped, std::vector<TextLine>& upright) {
  constexpr float kW = kWarpWidth, kH = kWarpHeight, kMargin = kWarpMargin;
  const float column = (kMargin + card_template::kNameRow.left) * kW;  // every row's values start there
  std::vector<size_t> late;
  std::vector<Quad> bands;
  for (size_t i = 0; i < upright.size(); ++i) {
    const TextLine& l = upright[i];
    const float y = l.cy() / kH - kMargin, h = l.height();
    if (y < card_template::kAddrRowsStart || y > card_template::kAddrRowsEnd) continue;
    if (l.x0 < column + h || !has_cjk(l.text)) continue;
    const bool after_another = std::any_of(upright.begin(), upright.end(), [&](const TextLine& m) {
      return &m != &l && std::fabs(m.cy() - l.cy()) < 0.5f * h && m.x1 > column && m.x1 < l.x0 + 0.5f * h;
    });
    if (after_another) continue;
    const float x0 = column - 0.3f * h, y0 = l.cy() - 0.6f * h, y1 = l.cy() + 0.6f * h;
    late.push_back(i);
    bands.push_back({Point{x0, y0}, Point{l.x1, y0}, Point{l.x1, y1}, Point{x0, y1}});
  }
  if (late.empty()) return;
  // Glare leaves the hidden characters faint: each band's light is stretched to the full range.
  const cv::Mat stretched = stretched_bands(warped, bands);
  const auto readings = reader.read_regions(stretched, bands, Dictionary::kFull);
  for (size_t k = 0; k < late.size(); ++k) {
    TextLine& l = upright[late[k]];
    const std::string text = remove_spaces(readings[k].text);
    const size_t added =
        utf8_chars(text).size() - std::min(utf8_chars(text).size(), utf8_chars(l.text).size());
    if (!ends_with(text, l.text) || added == 0 || added > 4) continue;
    l = band_line(bands[k], readings[k]);
  }
}

// Rows a stamp or glare hid from the detector: read the band where the layout prints them,
// in the rectified card, and keep what parses as that field.
void read_hidden_rows(const LineReader& reader, const cv::Mat& warped, const std::vector<TextLine>& upright,
                      FrontFields& f, const IdReading& id) {
  constexpr float kW = kWarpWidth, kH = kWarpHeight;
  // The birth row where a piece of it read (a day, a month beside a stamp): printers place the
  // rows a little apart from the template, and a half band must hit the half the stamp left.
  float birth_y = card_template::kBirthRow.centre_y;
  for (const TextLine& l : upright) {
    const float y = l.cy() / kH - kWarpMargin;
    const bool date_piece =
        (contains(l.text, "日") || contains(l.text, "月")) &&
        std::any_of(l.text.begin(), l.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (date_piece && std::fabs(y - card_template::kBirthRow.centre_y) < 0.06f) birth_y = y;
  }
  struct Band {
    Field* field;
    float x0, x1, cy;      // fractions of the card
    float half_h = 0.05f;  // half the band's height, fraction of the card
  };
  std::vector<Band> bands;
  if (!f.name.found()) bands.push_back({&f.name, 0.175f, 0.60f, card_template::kNameRow.centre_y});
  if (!f.gender.found()) bands.push_back({&f.gender, 0.175f, 0.28f, card_template::kGenderRow.centre_y});
  // An unknown nationality (伍 for 佤) is read again too: the band's reading replaces it only
  // when it is a known one.
  if (!is_known_nationality(f.nationality.text))
    bands.push_back({&f.nationality, 0.38f, 0.58f, card_template::kGenderRow.centre_y});
  if (!f.birth.found()) {
    bands.push_back({&f.birth, 0.175f, 0.60f, birth_y});
    // A stamp's text or frame across the row's lower or upper half: its other half alone.
    bands.push_back({&f.birth, 0.175f, 0.60f, birth_y - 0.02f, 0.035f});
    bands.push_back({&f.birth, 0.175f, 0.60f, birth_y + 0.02f, 0.035f});
  }
  if (bands.empty()) return;
  std::vector<Quad> quads;
  for (const Band& b : bands) {
    const float x0 = (kWarpMargin + b.x0) * kW, x1 = (kWarpMargin + b.x1) * kW;
    const float y0 = (kWarpMargin + b.cy - b.half_h) * kH, y1 = (kWarpMargin + b.cy + b.half_h) * kH;
    quads.push_back({Point{x0, y0}, Point{x1, y0}, Point{x1, y1}, Point{x0, y1}});
  }
  const auto readings = reader.read_regions(warped, quads, Dictionary::kFull);
  const std::string id_date = id_birth_date(id.text).value_or("");
  for (size_t k = 0; k < bands.size(); ++k) {
    const std::string text = remove_spaces(readings[k].text);
    if (text.empty()) continue;
    // The band's characters as read, each with what the reader considered (per emitted character).
    ReadText read{utf8_chars(readings[k].text), readings[k].char_alternatives};
    read.alts.resize(read.chars.size());
    std::string value;
    Field* field = bands[k].field;
    const auto chars = utf8_chars(text);
    if (field == &f.name) {
      const bool plain = chars.size() <= 8 && only_wide_chars(text);
      if (plain && !is_name_under_stamp(text)) value = normalize_name(text);
    } else if (field == &f.gender) {
      for (const auto& c : chars)
        if (c == "男" || c == "女") {
          value = c;
          break;
        }
    } else if (field == &f.nationality) {
      // As in the row's own reading: what the reader considered first, then the spelling.
      std::string n;
      if (!is_known_nationality(text)) n = snap_nationality(read);
      if (n.empty()) n = normalize_nationality(text);
      if (is_known_nationality(n)) value = n;
    } else if (f.birth.found()) {
      continue;  // read from an earlier band
    } else if (auto b = parse_birth_checked(text, id_date)) {
      // A half band reads less: its date must be the number's, where the number gives one.
      if (bands[k].half_h >= 0.05f || id_date.empty() || *b == id_date) value = *b;
    }
    if (value.empty()) continue;
    if (field == &f.name && read.chars == utf8_chars(value)) value = weigh_name(read, f.nationality.text);
    field->text = value;
    field->confidence = readings[k].confidence;
    field->quad = quads[k];
  }
}

// Whether the front's rows lie where the template prints them (within a row's pitch): a form
// beside a card prints labels, a name and a number too, in rows spaced otherwise.
bool rows_where_printed(const FrontFields& f) {
  using namespace card_template;
  int off = 0;
  for (const auto& [field, row] :
       {std::pair{&f.name, kNameRow}, {&f.gender, kGenderRow}, {&f.birth, kBirthRow}}) {
    if (!field->found() || field->from_id) continue;
    const Quad& q = field->quad;
    const float y = (q[0].y + q[1].y + q[2].y + q[3].y) / 4 / kWarpHeight - kWarpMargin;
    off += std::fabs(y - row.centre_y) > kRowTolerance;
  }
  return off < 2;
}

// The number line's ends on the card: where a card placed from its number has them.
std::vector<Point> number_anchors() {
  using card_template::kNumber;
  return {Point{kNumber.left, kNumber.centre_y}, Point{kNumber.right(), kNumber.centre_y}};
}

// A line where the layout prints the number, with nothing read on it: the frame the front's
// rows are assigned in when the number itself does not read.
TextLine number_placeholder() {
  constexpr float kW = kWarpWidth, kH = kWarpHeight, kMargin = kWarpMargin;
  TextLine l;
  l.box = cv::RotatedRect(cv::Point2f((kMargin + kNumberCentreX) * kW, (kMargin + kNumberRowY) * kH),
                          cv::Size2f(0.57f * kW, 0.08f * kH), 0.f);
  place_in_frame(l, 0.f);
  return l;
}

// Where a front is read next, and how it was placed there.
struct Placed {
  Quad card;
  FrontPlacement placement;
};

// One read's outcome: the read, or (its fields empty) a better placement to read again from; or
// both, a placement from the rows' labels (kFromRows) whose read competes with this one.
struct FrontPass {
  FrontRead read;
  std::optional<Placed> again;
};

// How many of the rows above the number read as a front's (name, gender, a known nationality,
// birth); with this many, a read is not tried again.
int rows_read(const FrontRead& r) {
  if (!r.fields) return -1;
  const FrontFields& f = *r.fields;
  return f.name.found() + (f.gender.text == "男" || f.gender.text == "女") +
         is_known_nationality(f.nationality.text) + f.birth.found();
}
constexpr int kRowsForSure = 3;

// A rough placement leads to a second read (from the number or its digits); none leads further.
constexpr int kMaxFrontReads = 2;

// One read of a front placed at `card`: its fields, or where to place it for another read.
FrontPass read_front_once(const LineReader& reader, const SourceImage& img, const Quad& card,
                          FrontPlacement placement, bool fit_outline = true) {
  constexpr float kW = kWarpWidth, kH = kWarpHeight, kMargin = kWarpMargin;
  const bool rough = placement == FrontPlacement::kRough;
  const bool numberless = placement == FrontPlacement::kNumberless;
  FrontPass pass;
  IdReading& id_out = pass.read.id;
  // A card placed from its number: its outline places it exactly, perspective included, and
  // then nothing outside it is read as its own.
  std::optional<Quad> outline;
  if (!rough && fit_outline)
    outline = fit_card_outline(img.bgr, card, numberless ? std::vector<Point>{} : number_anchors(),
                               card_template::kNumberRowSlack, card_template::kNumberRowDrift);
  spdlog::debug("front: placed {} by its outline", outline ? "exactly" : "not");
  const RectifiedCard rc(img, outline ? *outline : card);
  const cv::Mat& warped = rc.image;
  std::vector<TextLine> lines = card_lines(reader, rc, /*rows_from=*/0.f);
  if (outline) keep_lines_on_card(lines);
  // Which recognizer reads a line is decided by what the fast one read on it, not by where the
  // line is thought to lie (a misplaced row would otherwise hand a name to a reader that lacks
  // its character). Lines in the name row skip the fast read: they hold a name (or its label).
  std::vector<size_t> all, fast, full;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (std::fabs(angle_diff(lines[i].angle_deg, 0.f)) >= 30.f) continue;
    all.push_back(i);
    const cv::Rect2f r = lines[i].box.boundingRect2f();
    const float y = (r.y + r.height / 2) / kH - kMargin;  // 0..1 down the card
    const bool label = r.x + r.width < (kMargin + 0.17f) * kW && r.width < 0.16f * kW;
    (!label && y < kNameRowEnd ? full : fast).push_back(i);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<size_t> unread = take_sure_readings(lines, fast, rc, img.lines);
  reader.read(lines, unread, Dictionary::kFast);
  for (size_t i : fast)
    if (needs_full_reader(lines[i])) full.push_back(i);
  const auto t1 = std::chrono::steady_clock::now();
  reader.read(lines, full, Dictionary::kFull);
  spdlog::debug("stage 2: {} boxes, {} fast ({} from stage 1) in {:.1f} ms, {} full in {:.1f} ms",
                lines.size(), fast.size(), fast.size() - unread.size(),
                std::chrono::duration<double, std::milli>(t1 - t0).count(), full.size(),
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
  std::vector<TextLine> upright;
  for (size_t i : all) upright.push_back(lines[i]);
  read_late_rows(reader, warped, upright);
  trace_lines(upright, 0);
  // Where the warp put the number line: numbers printed beside the card lose to it.
  const cv::Point2f expected((kMargin + kNumberCentreX) * kW, (kMargin + kNumberRowY) * kH);
  pass.read.labels = count_front_labels(upright);
  pass.read.form_labels = count_form_labels(upright);
  auto span = find_id_line(upright, expected);
  if (span) id_out = read_id(upright[span->line], *span);
  if (span && !id_checksum_ok(id_out.text)) {
    const size_t at = all[span->line];
    reader.read(lines, {at}, Dictionary::kFull);
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
    band = read_number_band(reader, warped, upright, rough ? kRoughCardScale : 1.f);
    if (band) {
      if (auto bspan = find_id_line({*band})) {
        *bspan = tight_number_span(*band, *bspan);
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
        pass.again = Placed{front_card_from_number(*number), FrontPlacement::kNumberless};
        return pass;
      }
    }
    // Only a card's whole front signature stands without its number: three labels, the gender
    // row, a birth row, and digits in the number's band (printed there, not readable whole).
    const bool signature = band && digit_count(band->text) >= 6 && has_front_signature(upright);
    // On a card placed from its label or birth row (the rows read here already show whether it
    // can stand without its number): read it once more in place, and answer it without one.
    if (rough && signature) {
      pass.again = Placed{scaled(card, 1.f / kRoughCardScale), FrontPlacement::kNumberless};
      return pass;
    }
    if (!numberless || !signature) return pass;
    upright.push_back(number_placeholder());
    span = IdLineSpan{upright.size() - 1, 0.f, 1.f};
    id_out = IdReading{};  // nothing is reported for a number that did not read
  }
  if (rough) {  // the card was a guess: place it from the number and read it again
    Quad number = upright[span->line].quad_between(span->from, span->to);
    map(number);
    pass.again = Placed{front_card_from_number(number), FrontPlacement::kFromNumber};
    return pass;
  }
  FrontFields f = assign_front(upright, *span, id_out);
  pass.read.rows_in_place = rows_where_printed(f);
  spdlog::debug("front: number at {:.1f} deg on the warp, centre y {:.3f}", upright[span->line].angle_deg,
                upright[span->line].cy() / kH - kMargin);
  if (placement == FrontPlacement::kFromNumber && !outline) {
    const TextLine& number = upright[span->line];
    if (const auto s = front_height_scale(upright, number)) {
      const float number_y = number.cy() / kH - kMargin;
      const float top = (kMargin + number_y - *s * kNumberRowY) * kH;
      const float bottom = (kMargin + number_y + *s * (1.f - kNumberRowY)) * kH;
      Quad refined{Point{kMargin * kW, top}, Point{(1 + kMargin) * kW, top},
                   Point{(1 + kMargin) * kW, bottom}, Point{kMargin * kW, bottom}};
      map(refined);
      spdlog::debug("front: rows read at {:.2f} of the card's height from its number: placed again", *s);
      pass.again = Placed{refined, FrontPlacement::kFromRows};
    }
  }
  read_hidden_rows(reader, warped, upright, f, id_out);
  // Positions back into the input image.
  for (Field* field : f.fields()) map(field->quad);
  f.card_quad = outline ? *outline : card;
  // No outline: the card stays placed from text, and the number as read here places it better
  // than the box it was placed from (a detector's box reaches past the glyphs by a margin of its
  // own): the digits' pitch gives the number's printed extent.
  if (!outline && placement == FrontPlacement::kFromNumber && id_checksum_ok(id_out.text))
    if (auto number = number_quad_from_digits(upright[span->line])) {
      map(*number);
      f.card_quad = front_card_from_number(*number);
    }
  pass.read.fields = std::move(f);
  pass.read.outlined = outline.has_value();
  return pass;
}

}  // namespace

FrontRead read_front(const LineReader& reader, const SourceImage& img, const Quad& card,
                     FrontPlacement placement) {
  // A guess placed again from what its read found: from the number (or its digits), at most twice.
  Placed at{card, placement};
  for (int reads = 1;; ++reads) {
    FrontPass pass = read_front_once(reader, img, at.card, at.placement);
    if (pass.again && pass.again->placement == FrontPlacement::kFromRows) {
      FrontPass by_rows = read_front_once(reader, img, pass.again->card, FrontPlacement::kFromRows);
      // A form's rows spaced like a card's have no card's outline about them: it must show.
      if (!by_rows.again && by_rows.read.outlined && rows_read(by_rows.read) > rows_read(pass.read))
        return std::move(by_rows.read);
      return std::move(pass.read);
    }
    if (!pass.again || reads == kMaxFrontReads) {
      // Placed by its outline, a card's rows sit where the template puts them relative to its
      // edges; some printers place them nearer to the number's. When rows a stamp or glare hid do
      // not read there, the card is read once more placed from its number alone, and the read
      // with more of the front's rows wins (its position stays the outline's).
      if (pass.read.outlined && rows_read(pass.read) < kRowsForSure) {
        FrontPass by_text = read_front_once(reader, img, at.card, at.placement, /*fit_outline=*/false);
        if (!by_text.again && rows_read(by_text.read) > rows_read(pass.read)) {
          by_text.read.fields->card_quad = pass.read.fields ? pass.read.fields->card_quad : at.card;
          by_text.read.outlined = true;
          return std::move(by_text.read);
        }
      }
      return std::move(pass.read);
    }
    at = *pass.again;
  }
}

}  // namespace idcard
