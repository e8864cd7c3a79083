#include "idcard/front_fields.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <opencv2/core.hpp>

#include "idcard/field_text.h"
#include "idcard/line_values.h"
#include "idcard/name_prior.h"
#include "idcard/place_names.h"

namespace idcard {
namespace {

// A box of one character read under this (mean) confidence is more likely a speck than a digit.
constexpr float kSpeckConfidence = 0.5f;

// A birth one digit off the checked number's date (1909 of 1969, 1月20日 of 1月29日: a digit
// blurred) where the reader itself considered the number's digit there: the number's date. The
// row stands otherwise (a card's printed birth and number may disagree; number_mismatch tells
// that). The row prints its month and day unpadded: their digits are matched from the right.
std::string birth_as_numbered(const std::string& birth, const std::string& id_date, const ReadText& row) {
  if (birth.size() != 8 || id_date.size() != 8 || birth == id_date) return birth;
  size_t off = 8;
  for (size_t k = 0; k < 8; ++k)
    if (birth[k] != id_date[k]) off = off == 8 ? k : 9;
  if (off >= 8) return birth;  // not exactly one digit
  // The row's digit groups, as positions of its characters.
  std::vector<std::vector<size_t>> groups;
  for (size_t c = 0; c < row.chars.size(); ++c) {
    const std::string& ch = row.chars[c];
    const bool digit = ch.size() == 1 && ch[0] >= '0' && ch[0] <= '9';
    if (!digit) continue;
    if (groups.empty() || groups.back().back() + 1 != c) groups.emplace_back();
    groups.back().push_back(c);
  }
  while (!groups.empty() && groups.front().size() != 4)
    groups.erase(groups.begin());  // specks before the year
  if (groups.size() < 3 || groups[1].size() > 2 || groups[2].size() > 2) return birth;
  size_t at = row.chars.size();
  if (off < 4) {
    at = groups[0][off];
  } else {
    const auto& group = groups[off < 6 ? 1 : 2];
    const size_t from_right = (off < 6 ? 5 : 7) - off;  // 0: the last digit
    if (from_right < group.size()) at = group[group.size() - 1 - from_right];
  }
  if (at >= row.chars.size() || row.chars[at][0] != birth[off] || at >= row.alts.size()) return birth;
  constexpr float kConsidered = 0.01f;
  for (const auto& alt : row.alts[at])
    if (alt.text.size() == 1 && alt.text[0] == id_date[off] && alt.prob >= kConsidered) return id_date;
  return birth;
}

// A short row whose value starts 男 or 女 (its 性别 label lost or misread).
template <typename Strip>
bool starts_with_gender(const Row& row, const Strip& strip) {
  std::string values;
  for (size_t i : row.lines) values += remove_spaces(strip(i, {"性别"}).text);
  auto chars = utf8_chars(values);
  // Specks of a faint label read as digits or letters (5Y, 29) are not the row's value.
  const auto value =
      std::find_if(chars.begin(), chars.end(), [](const std::string& c) { return c.size() > 1; });
  chars.erase(chars.begin(), value);
  return !chars.empty() && (chars[0] == "男" || chars[0] == "女") && chars.size() <= 8;
}

// `text` appended to `so_far` with the digits that end `so_far` dropped where `text` starts with
// them (the same digit read at the end of one box and the start of the next).
std::string joined_over_overlap(const std::string& so_far, const std::string& text) {
  std::string base = so_far;
  while (!base.empty() && base.back() == ' ') base.pop_back();
  size_t tail = base.size();
  while (tail > 0 && std::isdigit(static_cast<unsigned char>(base[tail - 1]))) --tail;
  const std::string digits = base.substr(tail);
  if (!digits.empty() && text.compare(0, digits.size(), digits) == 0) base.erase(tail);
  return base.empty() ? text : base + " " + text;
}

}  // namespace

// 18 characters printed; one may be lost to glare or blur. 16 digits are a bank card or a
// validity period read without its dots, never the number.
constexpr size_t kMinIdRun = 17;

namespace {

// A line's number: its longest run of 0-9/X (spaces and fillers inside kept), at least kMinIdRun
// long, with the run's length; nullopt for a line without one.
std::optional<std::pair<IdLineSpan, size_t>> id_span_of(const std::vector<TextLine>& lines, size_t i) {
  const auto chars = utf8_chars(lines[i].text);
  size_t run = 0, run_start = 0, top = 0, top_start = 0;
  for (size_t k = 0; k < chars.size(); ++k) {
    if (is_id_char(chars[k])) {
      if (run == 0) run_start = k;
      if (++run > top) top = run, top_start = run_start;
    } else if (!is_run_filler(chars[k])) {
      run = 0;
    }
  }
  if (top < kMinIdRun) return std::nullopt;
  IdLineSpan span{i, 0.f, 1.f};
  const auto& x = lines[i].char_x;
  if (x.size() == chars.size() && top_start > 0)
    span.from = std::max(0.f, (x[top_start - 1] + x[top_start]) / 2);
  const size_t end = top_start + top;  // one past the run (spaces inside counted in chars only)
  if (x.size() == chars.size() && end < chars.size())
    span.to = std::min(1.f, (x[end - 1] + x[end]) / 2 + 0.01f);
  return std::make_pair(span, top);
}

}  // namespace

std::optional<IdLineSpan> find_id_line(const std::vector<TextLine>& lines,
                                       std::optional<cv::Point2f> expected) {
  std::optional<IdLineSpan> best;
  size_t best_run = 0;
  float best_dist = 1e9f;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto found = id_span_of(lines, i);
    if (!found) continue;
    if (expected) {
      const float dist = std::hypot(lines[i].cx() - expected->x, lines[i].cy() - expected->y);
      if (dist >= best_dist) continue;
      best_dist = dist;
    } else if (found->second <= best_run) {
      continue;
    }
    best_run = found->second;
    best = found->first;
  }
  return best;
}

std::vector<IdLineSpan> find_id_lines(const std::vector<TextLine>& lines) {
  std::vector<std::pair<IdLineSpan, size_t>> found;
  for (size_t i = 0; i < lines.size(); ++i)
    if (auto f = id_span_of(lines, i)) found.push_back(*f);
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<IdLineSpan> out;
  for (const auto& f : found) out.push_back(f.first);
  return out;
}

IdLineSpan tight_number_span(const TextLine& line, IdLineSpan span) {
  const auto chars = utf8_chars(line.text);
  const auto& x = line.char_x;
  if (x.size() != chars.size()) return span;
  std::vector<size_t> digits;
  for (size_t k = 0; k < chars.size(); ++k)
    if (is_id_char(chars[k]) && x[k] >= span.from && x[k] <= span.to) digits.push_back(k);
  if (digits.size() < 2) return span;
  const size_t first = digits.front(), last = digits.back();
  const float pitch = (x[last] - x[first]) / static_cast<float>(digits.size() - 1);
  span.from = std::max(span.from, x[first] - pitch / 2);
  span.to = std::min(span.to, x[last] + pitch / 2);
  return span;
}

FrontFields assign_front(const std::vector<TextLine>& lines, const IdLineSpan& id_span, const IdReading& id) {
  FrontFields f;
  const TextLine& idl = lines[id_span.line];
  const float id_x0 = idl.x0 + idl.width() * id_span.from, id_x1 = idl.x0 + idl.width() * id_span.to;
  const float num_w = id_x1 - id_x0;
  // Card extent from the number line: the 18 digits span roughly 0.5-0.6 of the card's width,
  // starting about a third in; the card is 54/85.6 as tall as wide.
  const float card_w = num_w / kIdWidth, card_h = card_w * kCardAspect;
  const float left = id_x0 - 0.42f * card_w, right = id_x0 + 0.75f * card_w;
  const float top = idl.cy() - 0.95f * card_h, bottom = idl.cy() - 0.4f * idl.height();
  const float portrait_x = id_x0 + 0.35f * card_w;  // address/name never reach the portrait

  std::vector<size_t> inside;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i == id_span.line) continue;
    const TextLine& l = lines[i];
    if (l.cx() < left || l.cx() > right || l.cy() < top || l.cy() > bottom) continue;
    if (l.x0 > portrait_x) continue;
    if (l.height() > 1.6f * idl.height() || l.height() < 0.45f * idl.height())
      continue;  // faint label specks
    if (l.text.empty() || is_watermark(l.text)) continue;
    inside.push_back(i);
  }
  // Label-only boxes (姓名 detected apart from its value) name their row, then leave it.
  std::vector<Row> rows = group_rows(lines, inside);
  std::vector<std::string> row_labels(rows.size());
  // Lines right of a whole label detected apart (姓名 | 侯晖): no label left in them to strip.
  std::vector<bool> after_label(lines.size(), false);
  for (size_t r = 0; r < rows.size(); ++r) {
    auto& members = rows[r].lines;
    for (size_t i : members)
      if (is_label_only(lines[i].text)) row_labels[r] += remove_spaces(lines[i].text);
    for (size_t k : members) {
      const TextLine& label = lines[k];
      if (!is_label_only(label.text) || utf8_chars(remove_spaces(label.text)).size() != 2) continue;
      for (size_t i : members)
        if (i != k && !is_label_only(lines[i].text) && lines[i].x0 >= label.x1 - 0.3f * label.height())
          after_label[i] = true;
    }
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [&](size_t i) { return is_label_only(lines[i].text); }),
                  members.end());
    // Labels print smaller than values (and the number): boxes well below the number's height,
    // left of the row's first value, are pieces of a misread label (性别 read 9 | 夏), never values.
    // Digit boxes are kept (a birth row's year box is short and leftmost); no value, no filter.
    const float small = 0.6f * idl.height();
    float first_value_x = 1e9f;
    for (size_t i : members)
      if (lines[i].height() >= small) first_value_x = std::min(first_value_x, lines[i].x0);
    if (first_value_x < 1e9f)
      members.erase(std::remove_if(members.begin(), members.end(),
                                   [&](size_t i) {
                                     const std::string& t = lines[i].text;
                                     const bool digits = std::any_of(
                                         t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
                                     return !digits && lines[i].height() < small &&
                                            lines[i].x1 <= first_value_x + 0.1f * idl.height();
                                   }),
                    members.end());
  }

  // Strip labels line by line; each line's text is label + value or value only.
  // Labels sit in a column left of the values (values start at 0.18 of the width): characters
  // whose centre lies left of that are label, however they were misread (佳址 for 住址).
  const float value_col = id_x0 - (kIdLeft - 0.165f) * card_w;
  auto strip = [&](size_t line, std::initializer_list<std::string_view> labels) {
    const TextLine& l = lines[line];
    const auto chars = utf8_chars(l.text);
    const bool have_x = l.char_x.size() == chars.size();
    auto in_label_column = [&](size_t k) { return have_x && l.x0 + l.char_x[k] * l.width() < value_col; };
    size_t by_text = 0;
    for (auto lab : labels) {
      // A label read whole ends where it ends: a card placed a little off (no outline, a keystone)
      // must not hand the value's first character to the label column too (祁腾心 read 腾心); only
      // a speck (a digit, a stroke) left of the value column goes with it.
      if (l.text.compare(0, lab.size(), lab) == 0) {
        size_t end = utf8_chars(lab).size();
        while (end < chars.size() && chars[end].size() == 1 && in_label_column(end)) ++end;
        return value_after(l, end);
      }
      if (size_t e = label_end(chars, lab)) by_text = std::max(by_text, e);
    }
    size_t by_place = 0;
    // Right of its label's own box only a speck (a digit, a stroke) goes with the label column: a
    // card placed a little off must not lose the value's first characters (侯晖 read 晖).
    const bool labelled_apart = after_label[line];
    while (by_place < chars.size() && in_label_column(by_place) &&
           (!labelled_apart || chars[by_place].size() == 1))
      ++by_place;
    return value_after(l, std::max(by_text, std::min<size_t>(by_place, 4)));
  };

  enum Kind { kUnknown, kName, kGender, kBirth, kAddr };
  // The field the template prints at each row's height on the card placed from its number.
  std::vector<Kind> by_place(rows.size(), kUnknown);
  {
    using namespace card_template;
    const float card_top = idl.cy() - kNumber.centre_y * card_h;
    struct Band {
      Kind kind;
      float from, to;  // fractions of the card's height
    };
    constexpr float kHalfPitch = 0.06f;
    const Band bands[] = {{kName, kNameRow.centre_y - kHalfPitch, kNameRow.centre_y + kHalfPitch},
                          {kGender, kGenderRow.centre_y - kHalfPitch, kGenderRow.centre_y + kHalfPitch},
                          {kBirth, kBirthRow.centre_y - kHalfPitch, kBirthRow.centre_y + kHalfPitch},
                          {kAddr, kAddrRowsStart, kAddrRowsEnd}};
    for (size_t r = 0; r < rows.size(); ++r) {
      const float y = (rows[r].cy - card_top) / card_h;
      // An address holds Chinese characters: a row of digits alone is a date's pieces.
      const bool cjk = std::any_of(rows[r].lines.begin(), rows[r].lines.end(),
                                   [&](size_t i) { return has_cjk(lines[i].text); });
      for (const Band& b : bands)
        if (y > b.from && y < b.to && (b.kind != kAddr || cjk)) by_place[r] = b.kind;
    }
  }
  // A row's label names it when read whole (姓名, 住址). A label read in part (性 alone, 性名 for
  // 姓名) is weak evidence: where the template prints another field at the row's height, the
  // template wins (the 住址 label misread 性 made an address line the gender row).
  std::vector<Kind> kind(rows.size(), kUnknown);
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string joined = row_labels[r];
    for (size_t i : rows[r].lines) joined += remove_spaces(lines[i].text);
    const auto chars = utf8_chars(joined);
    bool whole = true;
    auto labelled = [&](std::string_view label) {
      if (label_end(chars, label) == 0) return false;
      whole = joined.compare(0, label.size(), label) == 0;
      return true;
    };
    if (labelled("姓名"))
      kind[r] = kName;
    else if (labelled("性别") || contains(joined, "民族") || starts_with_gender(rows[r], strip))
      kind[r] = kGender;
    else if (labelled("住址"))
      kind[r] = kAddr;
    else if (labelled("出生") || looks_like_date(joined))
      kind[r] = kBirth;
    if (!whole && by_place[r] != kUnknown && by_place[r] != kind[r]) kind[r] = kUnknown;
  }
  // Rows whose labels did not read (washed out, faint print, misread) take the field the template
  // prints at their height; only then are rows left filled by order.
  auto first_of = [&](Kind k) {
    for (size_t r = 0; r < rows.size(); ++r)
      if (kind[r] == k) return static_cast<int>(r);
    return -1;
  };
  // Two rows above a birth row, neither read as a field: the name and the gender row, whatever
  // heights the template gives them (a card tilted about its long axis, placed from its number,
  // has its rows nearer the number than the template says: the name falls in the gender's band).
  if (first_of(kBirth) == 2 && kind[0] == kUnknown && kind[1] == kUnknown) kind[0] = kName, kind[1] = kGender;
  for (size_t r = 0; r < rows.size(); ++r)
    if (kind[r] == kUnknown && by_place[r] != kUnknown && (by_place[r] == kAddr || first_of(by_place[r]) < 0))
      kind[r] = by_place[r];
  const int gender_row = first_of(kGender);
  // A birth row whose label and 年/月 were lost (glare): the row after gender, mostly digits.
  if (first_of(kBirth) < 0 && gender_row >= 0 && static_cast<size_t>(gender_row + 1) < rows.size() &&
      kind[gender_row + 1] == kUnknown) {
    int digits = 0;
    for (size_t i : rows[gender_row + 1].lines)
      for (char c : lines[i].text) digits += c >= '0' && c <= '9';
    if (digits >= 6) kind[gender_row + 1] = kBirth;
  }
  const int birth_row = first_of(kBirth);
  if (first_of(kName) < 0) {
    const int anchor = gender_row >= 0 ? gender_row : birth_row >= 1 ? birth_row - 1 : -1;
    if (anchor > 0 && kind[anchor - 1] == kUnknown)
      kind[anchor - 1] = kName;
    else if (anchor < 0 && !rows.empty() && kind[0] == kUnknown)
      kind[0] = kName;
  }
  const int addr_start = first_of(kAddr) >= 0 ? first_of(kAddr) : birth_row >= 0 ? birth_row + 1 : -1;
  if (addr_start >= 0)
    for (size_t r = static_cast<size_t>(addr_start); r < rows.size(); ++r)
      if (kind[r] == kUnknown) kind[r] = kAddr;

  if (spdlog::should_log(spdlog::level::trace))
    for (size_t r = 0; r < rows.size(); ++r)
      spdlog::trace("row {} y={:.0f} lines={} placed as {} read as {}", r, rows[r].cy, rows[r].lines.size(),
                    static_cast<int>(by_place[r]), static_cast<int>(kind[r]));
  std::vector<Quad> addr_quads;
  std::vector<float> addr_conf;
  ReadText addr_read;
  ReadText name_read;  // the name's characters with what the reader considered for each
  bool nationality_labelled = false;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i : rows[r].lines) {
      const TextLine& l = lines[i];
      switch (kind[r]) {
        case kName: {
          const Value v = strip(i, {"姓名"});
          if (v.text.empty() || f.name.found() || !has_cjk(v.text)) break;  // a name is never digits alone
          if (is_name_under_stamp(v.text)) break;
          const std::string name = normalize_name(remove_stamp_phrase(v.text));
          // Printed names are Chinese characters (and ·): Latin letters or digits in the reading
          // are a misread (柯级1), not a name to answer; the name's band is read again instead.
          if (!only_wide_chars(name)) break;
          if (name == "男" || name == "女") break;  // the gender row's value, its row misplaced
          f.name = make_field(l, v, name);
          // Where the name is the value's characters as read, each keeps what the reader
          // considered for it; otherwise (spaces or dots read, a stamp's phrase dropped) only the
          // first character does.
          name_read = {utf8_chars(name), {}};
          name_read.alts.resize(name_read.chars.size());
          if (name_read.chars == v.read.chars && v.read.alts.size() == v.read.chars.size()) {
            name_read.alts = v.read.alts;
          } else {
            for (size_t j = 0; j < v.read.chars.size() && j < v.read.alts.size(); ++j)
              if (v.read.chars[j] == name_read.chars.front()) {
                name_read.alts.front() = v.read.alts[j];
                break;
              }
          }
          break;
        }
        case kGender: {
          Value v = strip(i, {"性别"});
          const auto chars = utf8_chars(remove_spaces(v.text));
          // gender value: first 男/女; nationality: after 民族 (or after the gender character)
          size_t k = 0;
          for (; k < chars.size(); ++k)
            if (chars[k] == "男" || chars[k] == "女") break;
          if (k < chars.size() && !f.gender.found()) f.gender = make_field(l, v, chars[k]);
          std::string nat;
          size_t start = k < chars.size() ? k + 1 : 0;
          bool labelled = false;  // read after (part of) its 民族 label
          for (size_t j = start; j < chars.size(); ++j) {
            if (chars[j] == "民" && j + 1 < chars.size() && chars[j + 1] == "族") {
              start = j + 2, labelled = true;
              break;
            }
            if (chars[j] == "族" || chars[j] == "民") {
              start = j + 1, labelled = true;
              break;
            }
          }
          for (size_t j = start; j < chars.size(); ++j) nat += chars[j];
          nat = remove_stamp_phrase(nat);  // a stamp laid over the row
          // Latin letters and digits are specks or misreads, never part of a nationality.
          nat.erase(std::remove_if(nat.begin(), nat.end(), [](char c) { return (c & 0x80) == 0; }),
                    nat.end());
          // What the reader itself considered beats a spelling guess: 保像 is one character from
          // 保安, but the reader saw 傈 and 僳 there (傈僳), never 安. Only then is the reading
          // normalised (a 民族 label's piece or a speck before it, one character off a name).
          std::string nationality;
          if (!is_known_nationality(nat)) {
            ReadText value;  // the characters after the label, with what else the reader saw
            for (size_t j = 0, c = 0; j < v.read.chars.size(); ++j) {
              if (v.read.chars[j] == " " || v.read.chars[j] == "\t" || c++ < start) continue;
              value.chars.push_back(v.read.chars[j]);
              value.alts.push_back(v.read.alts[j]);
            }
            nationality = snap_nationality(value);
          }
          if (nationality.empty()) nationality = normalize_nationality(nat);
          const bool known = is_known_nationality(nationality);
          const bool better = !f.nationality.found() ||
                              (!is_known_nationality(f.nationality.text) && known) ||
                              (labelled && !nationality_labelled && known);
          if (!nat.empty() && better) {
            nationality_labelled = labelled;
            Value nv = v;
            const size_t total = utf8_chars(l.text).size();
            if (l.char_x.size() == total && start > 0 && total > chars.size() - start)
              nv.from = l.char_x[total - (chars.size() - start)] - 0.02f;
            f.nationality = make_field(l, nv, nationality);
          }
          break;
        }
        case kBirth: {
          // Year, month and day are often separate boxes: parse the row, left to right.
          if (f.birth.found() || i != rows[r].lines.front()) break;
          std::string joined, overlapped, unspecked;
          std::vector<Quad> quads;
          ReadText row_read;
          for (size_t j : rows[r].lines) {
            const Value v = strip(j, {"出生"});
            append(row_read, v.read);
            joined += v.text + " ";  // boxes apart are groups apart (1992 | 12 | 23)
            overlapped = joined_over_overlap(overlapped, v.text) + " ";
            if (utf8_chars(remove_spaces(v.text)).size() > 1 || v.confidence >= kSpeckConfidence)
              unspecked += v.text + " ";
            quads.push_back(lines[j].quad_between(v.from, v.to));
          }
          // Two boxes that overlap may both read the digit they share (1997年1 | 10月10日): the
          // number's date settles whether it is one digit or two.
          const std::string id_date = id_birth_date(id.text).value_or("");
          if (overlapped != joined && !id_date.empty() && parse_birth_checked(overlapped, id_date) == id_date)
            joined = overlapped;
          // A box of one character read unsure between the groups is a speck of the background
          // (1月26日 beside a 5 read at 0.26): without it the row reads the checked number's date.
          if (unspecked != joined && id_checksum_ok(id.text) &&
              parse_birth_checked(joined, id_date) != id_date &&
              parse_birth_checked(unspecked, id_date) == id_date)
            joined = unspecked;
          if (auto b = parse_birth_checked(joined, id_date)) {
            if (id_checksum_ok(id.text)) *b = birth_as_numbered(*b, id_date, row_read);
            f.birth = make_field(l, strip(i, {"出生"}), *b);
            f.birth.quad = union_quad(quads);
          }
          break;
        }
        case kAddr: {
          const Value v = strip(i, {"住址"});
          const std::string t = remove_spaces(v.text);
          if (t.empty()) break;
          f.addr.text += t;
          append(addr_read, v.read);
          addr_quads.push_back(l.quad_between(v.from, v.to));
          addr_conf.push_back(v.confidence);
          break;
        }
        case kUnknown:
          break;
      }
    }
  }
  if (!name_read.chars.empty() && utf8_chars(f.name.text) == name_read.chars)
    f.name.text = weigh_name(name_read, f.nationality.text);
  f.addr.text = remove_stamp_phrase(f.addr.text);
  f.addr.text = trim_before_province(f.addr.text);
  f.addr.text = snap_address(f.addr.text, addr_read, std::string_view(id.text).substr(0, 6));
  f.addr.text = restore_unit_door(f.addr.text);
  if (!addr_quads.empty()) {
    f.addr.quad = union_quad(addr_quads);
    f.addr.confidence = mean_of(addr_conf, 0, addr_conf.size());
  }
  f.id.text = id.text;
  f.id.confidence = id.confidence;
  f.id.quad = idl.quad_between(id_span.from, id_span.to);

  f.card_quad = card_from_line(f.id.quad, kIdLeft, kIdWidth, kIdCentreY);
  return f;
}

bool is_name_under_stamp(const std::string& text) {
  std::string rest = text;
  while (rest.rfind("姓", 0) == 0 || rest.rfind("名", 0) == 0) rest = rest.substr(std::string("名").size());
  return is_watermark(rest);
}

int count_front_labels(const std::vector<TextLine>& lines) {
  int labels = 0;
  for (auto lab : {"姓名", "性别", "民族", "出生", "住址", "公民身份号码"})
    labels += std::any_of(lines.begin(), lines.end(), [&](const TextLine& l) {
      const auto chars = utf8_chars(remove_spaces(l.text));
      if (label_end(chars, lab)) return true;
      // 民族 follows the gender on its row
      return std::string_view(lab) == "民族" && contains(l.text, "民族");
    });
  return labels;
}

int count_form_labels(const std::vector<TextLine>& lines) {
  return static_cast<int>(
      std::count_if(lines.begin(), lines.end(), [](const TextLine& l) { return is_form_row(l.text); }));
}

bool has_front_signature(const std::vector<TextLine>& lines) {
  auto any = [&lines](auto pred) { return std::any_of(lines.begin(), lines.end(), pred); };
  const bool gender_row = any([](const TextLine& l) {
    const std::string t = remove_spaces(l.text);
    return contains(t, "男") || contains(t, "女") || contains(t, "民族");
  });
  return count_front_labels(lines) >= 3 && gender_row &&
         any([](const TextLine& l) { return looks_like_date(remove_spaces(l.text)); });
}

}  // namespace idcard
