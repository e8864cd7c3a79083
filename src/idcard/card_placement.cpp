#include "idcard/card_placement.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/core.hpp>
#include <utility>
#include <vector>

#include "idcard/card_template.h"
#include "idcard/field_text.h"
#include "idcard/front_fields.h"
#include "idcard/line_values.h"
#include "idcard/place_names.h"

namespace idcard {

Quad front_card_from_number(const Quad& number) {
  return card_from_line(number, kIdLeft, kIdWidth, kIdCentreY);
}

std::optional<Quad> number_quad_from_digits(const TextLine& line) {
  const auto chars = utf8_chars(line.text);
  if (line.char_x.size() != chars.size()) return std::nullopt;
  size_t best_from = 0, best_len = 0;
  for (size_t k = 0; k < chars.size();) {
    size_t e = k;
    while (e < chars.size() && is_id_char(chars[e])) ++e;
    if (e - k > best_len) best_len = e - k, best_from = k;
    k = e + 1;
  }
  if (best_len < 12) return std::nullopt;  // 11 digits are a phone number
  const auto& x = line.char_x;
  const float pitch = (x[best_from + best_len - 1] - x[best_from]) / static_cast<float>(best_len - 1);
  const float from = x[best_from] - pitch / 2;
  return line.quad_between(from, from + 18 * pitch);  // quad_between extends past 1 linearly
}

namespace {

// 居民身份证 boxed a character or two at a time (it prints letter-spaced; blur splits it): boxes
// of one row, left to right, joined as one line of exactly its five characters, four of them
// right and in place (one blurred past reading: 居民身à证). Other text never spaces so.
std::optional<TextLine> spaced_card_title(const std::vector<TextLine>& lines) {
  static const std::vector<std::string> kTitle = utf8_chars("居民身份证");
  std::vector<size_t> order(lines.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lines[a].x0 < lines[b].x0; });
  auto short_box = [&](const TextLine& l) {
    const size_t n = utf8_chars(l.text).size();
    return n >= 1 && n <= 3 && l.char_x.size() == n;
  };
  for (size_t a = 0; a < order.size(); ++a) {
    const TextLine& first = lines[order[a]];
    if (!short_box(first)) continue;
    std::vector<TextLine> row{first};
    size_t chars = utf8_chars(first.text).size();
    for (size_t b = a + 1; b < order.size() && chars < kTitle.size(); ++b) {
      const TextLine& prev = row.back();
      const TextLine& l = lines[order[b]];
      const float h = prev.height();
      if (!short_box(l) || std::fabs(l.cy() - prev.cy()) > 0.4f * h || l.height() < 0.6f * h ||
          l.height() > 1.6f * h || l.x0 < prev.x1 - 0.3f * h)
        continue;
      if (l.x0 - prev.x1 > 1.5f * h) break;
      row.push_back(l);
      chars += utf8_chars(l.text).size();
    }
    if (row.size() < 3 || chars != kTitle.size()) continue;
    TextLine joined = join_row(row);
    const auto got = utf8_chars(joined.text);
    int right = 0;
    for (size_t k = 0; k < kTitle.size(); ++k) right += got[k] == kTitle[k];
    if (right < 4) continue;
    joined.text.clear();
    for (const auto& c : kTitle) joined.text += c;  // as printed: find_chars places it
    return joined;
  }
  return std::nullopt;
}

}  // namespace

std::optional<BackByTitle> back_card_from_title(const std::vector<TextLine>& lines) {
  using card_template::kTitleCard, card_template::kTitleCountry, card_template::LinePlace;
  const std::optional<TextLine> spaced = spaced_card_title(lines);
  for (const auto& [text, t] : {std::pair<const char*, LinePlace>{"中华人民共和国", kTitleCountry},
                                std::pair<const char*, LinePlace>{"居民身份证", kTitleCard}}) {
    std::vector<const TextLine*> candidates;
    for (const auto& l : lines) candidates.push_back(&l);
    if (spaced) candidates.push_back(&*spaced);
    for (const TextLine* l : candidates) {
      const auto span = l->find_chars(text);
      if (!span) continue;
      const auto [from, to] = *span;
      const float pitch = (l->char_x[to] - l->char_x[from]) / static_cast<float>(to - from);
      // The title's characters are spaced: its ends lie about a third of a pitch beyond them.
      return BackByTitle{
          card_from_line(l->quad_between(l->char_x[from] - pitch / 3, l->char_x[to] + pitch / 3), t.left,
                         t.width, t.centre_y),
          {Point{t.left, t.centre_y}, Point{t.right(), t.centre_y}}};
    }
  }
  return std::nullopt;
}

std::optional<Quad> front_card_from_rows(const std::vector<TextLine>& lines) {
  // The part of a line from character `from` to `to` (inclusive), half a pitch beyond each.
  auto span = [](const TextLine& l, size_t from, size_t to) {
    const auto& x = l.char_x;
    const float pitch = to > from ? (x[to] - x[from]) / static_cast<float>(to - from) : 0.05f;
    return l.quad_between(std::max(0.f, x[from] - pitch / 2), std::min(1.f, x[to] + pitch / 2));
  };
  // 公民身份号码 (its number hidden or split by a stamp): the label spans 0.06-0.24 of the width.
  for (const auto& l : lines) {
    const auto chars = utf8_chars(l.text);
    const size_t e = label_end(chars, "公民身份号码");
    // Six label characters from the first (one may be misread as a digit: 公民身份号4).
    if (e >= 5 && l.char_x.size() == chars.size())
      return card_from_line(span(l, 0, std::min<size_t>(5, chars.size() - 1)), 0.06f, 0.18f, kIdCentreY);
  }
  // A birth date read whole (YYYY年M月D日 in one box): from 0.18 of the width, 0.30 wide, at 0.40.
  // A date alone is any document's: a front's label must be read too (出生 with it, or another).
  // Labels print small and faint; a gender value (男/女 alone) in the value column just above the
  // date is the front's row structure too.
  const bool labelled = count_front_labels(lines) > 0;
  auto gender_above = [&lines](const TextLine& date) {
    const float h = date.height();
    return std::any_of(lines.begin(), lines.end(), [&](const TextLine& g) {
      const std::string t = remove_spaces(g.text);
      return (t == "男" || t == "女") && g.cy() < date.cy() - 0.6f * h && g.cy() > date.cy() - 2.2f * h &&
             std::fabs(g.x0 - date.x0) < 1.5f * h;
    });
  };
  for (const auto& l : lines) {
    const auto chars = utf8_chars(l.text);
    if (l.char_x.size() != chars.size()) continue;
    size_t first = 0;
    while (first < chars.size() &&
           !(chars[first].size() == 1 && std::isdigit(static_cast<unsigned char>(chars[first][0]))))
      ++first;
    const auto day = std::find(chars.begin(), chars.end(), "日");
    // Only the 出生 label (or a speck) may precede the date: a date in a sentence is no card's.
    if (first > 2 || first >= chars.size() || day == chars.end() ||
        day - chars.begin() <= static_cast<long>(first))
      continue;
    std::string date;
    for (size_t k = first; k <= static_cast<size_t>(day - chars.begin()); ++k) date += chars[k];
    if (!looks_like_date(date) || !parse_birth(date) || !(labelled || gender_above(l))) continue;
    return card_from_line(span(l, first, static_cast<size_t>(day - chars.begin())), 0.18f, 0.30f, 0.40f);
  }
  return std::nullopt;
}

std::optional<float> front_height_scale(const std::vector<TextLine>& warp_lines, const TextLine& number) {
  using namespace card_template;
  constexpr float kW = kWarpWidth, kH = kWarpHeight, kMargin = kWarpMargin;
  constexpr float kAgree = 0.04f, kLeast = 0.1f, kMost = 0.4f;
  const float number_y = number.cy() / kH - kMargin;
  std::vector<std::pair<float, float>> seen;  // (printed, read), each less the number's row
  for (const TextLine& l : warp_lines) {
    if (l.box.center.x >= (kMargin + kNameRow.left) * kW) continue;  // centred left of the values
    const auto chars = utf8_chars(remove_spaces(l.text));
    for (const auto& [label, row] : {std::pair{"姓名", kNameRow}, {"性别", kGenderRow}, {"出生", kBirthRow}})
      if (label_end(chars, label)) {
        seen.emplace_back(row.centre_y - kNumberRowY, l.cy() / kH - kMargin - number_y);
        break;
      }
  }
  if (seen.size() < 2) return std::nullopt;
  float num = 0, den = 0;
  for (const auto& [printed, read] : seen) num += printed * read, den += printed * printed;
  const float s = num / den;
  for (const auto& [printed, read] : seen)
    if (std::fabs(read - s * printed) > kAgree) return std::nullopt;
  if (std::fabs(s - 1.f) < kLeast || std::fabs(s - 1.f) > kMost) return std::nullopt;
  return s;
}

}  // namespace idcard
