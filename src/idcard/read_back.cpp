#include "idcard/read_back.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "idcard/back_fields.h"
#include "idcard/card_checks.h"
#include "idcard/card_outline.h"
#include "idcard/card_template.h"
#include "idcard/field_text.h"
#include "idcard/front_fields.h"
#include "idcard/read_front.h"
#include "idcard/read_lines.h"
#include "idcard/reading_helpers.h"

namespace idcard {
namespace {

// Both lines of the back's title (中华人民共和国, 居民身份证) read where the card prints them on
// the card rectified from its outline: a card's back is there whatever covers its values. Text
// elsewhere (a form that names the card) is neither both lines nor at their places on an outline.
bool title_in_place(const std::vector<TextLine>& upright) {
  using card_template::kTitleCard, card_template::kTitleCountry, card_template::kWarpHeight,
      card_template::kWarpMargin, card_template::kWarpWidth, card_template::LinePlace;
  // Off its place by under about half a title character (the warp from an outline is exact to a
  // few px; the title prints a little higher or lower by printer: 0.05 missed one 0.052 low).
  constexpr float kTolerance = 0.07f;  // of the card's width (x) and height (y)
  auto placed = [&upright](const char* title, const LinePlace& at) {
    for (const TextLine& l : upright) {
      const auto span = l.find_chars(title);
      if (!span) continue;
      const auto [from, to] = *span;
      const float cx = l.x0 + l.width() * (l.char_x[from] + l.char_x[to]) / 2;
      const float want_x = (kWarpMargin + at.left + at.width / 2) * kWarpWidth;
      const float want_y = (kWarpMargin + at.centre_y) * kWarpHeight;
      if (std::fabs(cx - want_x) < kTolerance * kWarpWidth &&
          std::fabs(l.cy() - want_y) < kTolerance * kWarpHeight)
        return true;
    }
    return false;
  };
  return placed("中华人民共和国", kTitleCountry) && placed("居民身份证", kTitleCard);
}

// A period whose end glare or a faint print hid from the detector (2021.09.08- with its 长期 washed
// out): its line read again from where it starts to the card's right edge, the band's light
// stretched. The reading replaces the line only when it parses as a card's period (5/10/20 years,
// 长期; three months on a temporary card) starting on the date the line read.
void read_cut_period(const LineReader& reader, const cv::Mat& warped, std::vector<TextLine>& upright,
                     bool temporary) {
  using card_template::kWarpMargin, card_template::kWarpWidth;
  const auto digits_of = [](const std::string& t) {
    std::string d;
    for (char c : t)
      if (c >= '0' && c <= '9') d += c;
    return d;
  };
  if (std::any_of(upright.begin(), upright.end(),
                  [](const TextLine& l) { return parse_valid_period(remove_spaces(l.text)).has_value(); }))
    return;
  const float edge = (kWarpMargin + 0.98f) * kWarpWidth;
  std::vector<size_t> cut;
  std::vector<Quad> bands;
  for (size_t i = 0; i < upright.size(); ++i) {
    const TextLine& l = upright[i];
    const size_t digits = digits_of(l.text).size();
    if (digits < 8 || digits > 15 || l.x1 > edge - 2 * l.height()) continue;
    const float x0 = l.x0 - 0.2f * l.height(), y0 = l.cy() - 0.6f * l.height(),
                y1 = l.cy() + 0.6f * l.height();
    cut.push_back(i);
    bands.push_back({Point{x0, y0}, Point{edge, y0}, Point{edge, y1}, Point{x0, y1}});
  }
  if (cut.empty()) return;
  const auto readings = reader.read_regions(stretched_bands(warped, bands), bands, Dictionary::kFull);
  for (size_t k = 0; k < cut.size(); ++k) {
    TextLine& l = upright[cut[k]];
    const auto period = parse_valid_period(remove_spaces(readings[k].text));
    if (!period || period->compare(0, 8, digits_of(l.text).substr(0, 8)) != 0 ||
        !valid_span_ok(*period, temporary))
      continue;
    l = band_line(bands[k], readings[k]);
  }
}

}  // namespace

BackRead read_back(const LineReader& reader, const SourceImage& img, const Quad& card,
                   const std::vector<Point>& printed_at) {
  // Its outline where the edges show, its title kept in place (rows of text and the period's line
  // run parallel to its edges); else the area about the title's guess, grown (a guess).
  const std::optional<Quad> outline = fit_card_outline(img.bgr, card, printed_at);
  const RectifiedCard rc(img, outline ? *outline : scaled(card, kRoughCardScale));
  std::vector<TextLine> lines = card_lines(reader, rc, /*rows_from=*/0.6f);
  if (outline) keep_lines_on_card(lines);
  std::vector<size_t> all;
  for (size_t i = 0; i < lines.size(); ++i)
    if (std::fabs(angle_diff(lines[i].angle_deg, 0.f)) < 30.f) all.push_back(i);
  reader.read(lines, all, Dictionary::kFull);
  std::vector<TextLine> upright;
  for (size_t i : all) upright.push_back(lines[i]);
  // A temporary card's title (临时居民身份证) says its period runs three months.
  const bool temporary = std::any_of(upright.begin(), upright.end(), [](const TextLine& l) {
    return temporary_title(remove_spaces(l.text));
  });
  read_cut_period(reader, rc.image, upright, temporary);
  trace_lines(upright, 0);
  // A register's rows (证件号码…, 出生日期…) about a title: a form, no card's back.
  if (count_form_labels(upright) >= 2) return {};
  auto back = assign_back(upright);
  // A second look at a hard image: its period must be a card's (same day 5/10/20 years on, or 长期;
  // three months on a temporary card); a period that does not read as one is not answered, the
  // title and the bureau's row still are.
  if (!back || !back->authority.found() || !valid_span_ok(back->valid_date.text, temporary)) {
    const bool titles = outline && title_in_place(upright);
    std::optional<BackFields> by_title = assign_back_without_period(upright, titles);
    // Its bureau's row covered (a finger, a reflection) or cut off: a card's period (5/10/20 years
    // or 长期) under the card's title stands alone, as the bureau does without the period.
    const bool titled = std::any_of(upright.begin(), upright.end(), [](const TextLine& l) {
      return remove_spaces(l.text).find("居民身份证") != std::string::npos;
    });
    if (!by_title && back && valid_span_ok(back->valid_date.text, temporary) && titled)
      by_title = std::move(back);
    back = std::move(by_title);
    // Nothing of its values legible (a finger over both rows): the card is still there, its
    // outline about its title in place. Answered with both values empty, never guessed.
    if (!back && titles) back = BackFields{};
    if (!back) return {};
  }
  back->temporary = temporary;
  if (back->authority.found()) rc.to_image(back->authority.quad);
  if (back->valid_date.found()) rc.to_image(back->valid_date.quad);
  back->card_quad = outline ? *outline : card;
  return {std::move(back), outline.has_value()};
}

}  // namespace idcard
