#include "idcard/card_layout.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/core.hpp>

#include "idcard/card_template.h"
#include "idcard/field_text.h"
#include "idcard/place_names.h"

namespace idcard {
namespace {

bool is_id_char(const std::string& ch) {
  return ch.size() == 1 && (std::isdigit(static_cast<unsigned char>(ch[0])) || ch[0] == 'X' || ch[0] == 'x');
}

// Specks a fast read may put between digits (6103041969021.0.0928): they neither count nor break.
bool is_run_filler(const std::string& ch) {
  return ch == " " || ch == "." || ch == "," || ch == "·" || ch == "'";
}

float mean_of(const std::vector<float>& v, size_t from, size_t to) {
  if (to <= from) return 0.f;
  return std::accumulate(v.begin() + static_cast<long>(from), v.begin() + static_cast<long>(to), 0.f) /
         static_cast<float>(to - from);
}

// Characters of a line after an optional leading label, with the span they occupy.
struct Value {
  std::string text;
  float confidence = 0;
  float from = 0, to = 1;
  ReadText read;  // the characters with their alternatives (place-name snapping)
};

void append(ReadText& to, const ReadText& from) {
  to.chars.insert(to.chars.end(), from.chars.begin(), from.chars.end());
  to.alts.insert(to.alts.end(), from.alts.begin(), from.alts.end());
}

Value value_after(const TextLine& line, size_t skip_chars) {
  const auto chars = utf8_chars(line.text);
  Value v;
  // char_x is per emitted character; text has exactly those characters.
  const bool have_x = line.char_x.size() == chars.size();
  for (size_t i = skip_chars; i < chars.size(); ++i) {
    v.text += chars[i];
    v.read.chars.push_back(chars[i]);
    v.read.alts.push_back(i < line.char_alts.size() ? line.char_alts[i] : CharAlternatives{});
  }
  v.confidence = skip_chars < line.char_confidence.size()
                     ? mean_of(line.char_confidence, skip_chars, line.char_confidence.size())
                     : 0.f;
  if (have_x && skip_chars > 0 && skip_chars < chars.size())
    v.from = std::clamp((line.char_x[skip_chars - 1] + line.char_x[skip_chars]) / 2, 0.f, 1.f);
  return v;
}

Field make_field(const TextLine& line, const Value& v, std::string text) {
  Field f;
  f.text = std::move(text);
  f.confidence = v.confidence;
  f.quad = line.quad_between(v.from, v.to);
  return f;
}

// Joins quads of several lines into their bounding quad in frame order (address lines).
Quad union_quad(const std::vector<Quad>& quads) {
  Quad q = quads.front();
  for (const auto& o : quads) {
    // left-top: min x+y; right-top: max x-y; right-bottom: max x+y; left-bottom: min x-y
    for (const auto& p : o) {
      if (p.x + p.y < q[0].x + q[0].y) q[0] = p;
      if (p.x - p.y > q[1].x - q[1].y) q[1] = p;
      if (p.x + p.y > q[2].x + q[2].y) q[2] = p;
      if (p.x - p.y < q[3].x - q[3].y) q[3] = p;
    }
  }
  return q;
}

struct Row {
  std::vector<size_t> lines;  // left to right
  float cy = 0, height = 0;
};

std::vector<Row> group_rows(const std::vector<TextLine>& lines, const std::vector<size_t>& idx) {
  std::vector<size_t> order = idx;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lines[a].cy() < lines[b].cy(); });
  std::vector<Row> rows;
  for (size_t i : order) {
    const TextLine& l = lines[i];
    if (!rows.empty() &&
        std::fabs(l.cy() - rows.back().cy) < 0.5f * std::max(l.height(), rows.back().height)) {
      Row& r = rows.back();
      r.lines.push_back(i);
      r.cy = (r.cy * static_cast<float>(r.lines.size() - 1) + l.cy()) / static_cast<float>(r.lines.size());
      r.height = std::max(r.height, l.height());
    } else {
      rows.push_back({{i}, l.cy(), l.height()});
    }
  }
  for (auto& r : rows)
    std::sort(r.lines.begin(), r.lines.end(), [&](size_t a, size_t b) { return lines[a].x0 < lines[b].x0; });
  return rows;
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

bool has_cjk(const std::string& s) {
  const auto chars = utf8_chars(s);
  return std::any_of(chars.begin(), chars.end(), [](const std::string& c) { return c.size() >= 3; });
}

// A date row whose label was lost: 年 and 月, or (年/月 blurred) a run of 4+ digits starting within
// its first three characters, five digits or more, and a 日 after them (日照市 is no date).
bool looks_like_date(const std::string& text) {
  if (contains(text, "年") && contains(text, "月")) return true;
  const auto chars = utf8_chars(text);
  auto is_digit = [](const std::string& c) { return c.size() == 1 && c[0] >= '0' && c[0] <= '9'; };
  size_t first = 0;
  while (first < chars.size() && first < 3 && !is_digit(chars[first])) ++first;
  size_t year = first;
  while (year < chars.size() && is_digit(chars[year])) ++year;
  if (first >= 3 || year - first < 4) return false;  // year, month, day may have run together
  const auto digits = std::count_if(chars.begin(), chars.end(), is_digit);
  const auto day = std::find(chars.begin() + static_cast<long>(year), chars.end(), "日");
  return digits >= 5 && day != chars.end();
}

// A short row whose value starts 男 or 女 (its 性别 label lost or misread).
template <typename Strip>
bool starts_with_gender(const Row& row, const std::vector<TextLine>& lines, const Strip& strip) {
  std::string values;
  for (size_t i : row.lines) values += remove_spaces(strip(lines[i], {"性别"}).text);
  const auto chars = utf8_chars(values);
  return !chars.empty() && (chars[0] == "男" || chars[0] == "女") && chars.size() <= 8;
}

// A box holding only label characters (labels are often detected apart from their values, and
// two-character labels even split into single characters).
bool is_label_only(const std::string& text) {
  static const std::vector<std::string> kLabelChars = {"姓", "名", "性", "别", "民",
                                                       "族", "出", "生", "住", "址"};
  const auto chars = utf8_chars(text);
  if (chars.empty() || chars.size() > 2) return false;
  return std::all_of(chars.begin(), chars.end(), [](const std::string& c) {
    return std::find(kLabelChars.begin(), kLabelChars.end(), c) != kLabelChars.end();
  });
}

// Stamps people put on copies of their card ("仅限XX使用", "复印无效"): never field text.
bool is_watermark(const std::string& text) {
  // A line a stamp was laid over keeps the rest (its fields remove the phrase).
  if (contains(text, "复印")) return utf8_chars(remove_stamp_phrase(text)).size() <= 1;
  if (contains(text, "无效")) return true;
  // Pieces of a big stamp read box by box (复禁 | 印止 of 复印禁止).
  static const std::vector<std::string> kStampChars = {"复", "印", "禁", "止", "正",
                                                       "无", "效", "仅", "限"};  // 正: 止 misread
  const auto chars = utf8_chars(text);
  if (chars.size() >= 2 && chars.size() <= 4 &&
      std::all_of(chars.begin(), chars.end(), [](const std::string& c) {
        return std::find(kStampChars.begin(), kStampChars.end(), c) != kStampChars.end();
      }))
    return true;
  return (text.rfind("仅限", 0) == 0 || text.rfind("仅供", 0) == 0) && contains(text, "用");
}

// The number line's and the period's places on the card (card_template.h).
constexpr float kIdLeft = card_template::kNumber.left, kIdWidth = card_template::kNumber.width,
                kIdCentreY = card_template::kNumber.centre_y;
constexpr float kPeriodLeft = card_template::kPeriod.left, kPeriodCentreY = card_template::kPeriod.centre_y;
constexpr float kCardAspect = card_template::kAspect;

// The card's corners from one line of known place, using the line's own direction (a card in a
// photo is often turned relative to the text around it).
Quad card_from_line(const Quad& line, float left_frac, float width_frac, float centre_y_frac) {
  const cv::Point2f lt(line[0].x, line[0].y), rt(line[1].x, line[1].y), rb(line[2].x, line[2].y),
      lb(line[3].x, line[3].y);
  const cv::Point2f lm = (lt + lb) * 0.5f, rm = (rt + rb) * 0.5f;
  const float len = static_cast<float>(cv::norm(rm - lm));
  if (len < 1) return line;
  const cv::Point2f u = (rm - lm) / len, v(-u.y, u.x);
  const float w = len / width_frac, h = w * kCardAspect;
  const cv::Point2f tl = lm - u * (left_frac * w) - v * (centre_y_frac * h);
  auto pt = [](const cv::Point2f& p) { return Point{p.x, p.y}; };
  return {pt(tl), pt(tl + u * w), pt(tl + u * w + v * h), pt(tl + v * h)};
}

}  // namespace

// 18 characters printed; one may be lost to glare or blur. 16 digits are a bank card or a
// validity period read without its dots, never the number.
constexpr size_t kMinIdRun = 17;

std::optional<IdLineSpan> find_id_line(const std::vector<TextLine>& lines,
                                       std::optional<cv::Point2f> expected) {
  std::optional<IdLineSpan> best;
  size_t best_run = 0;
  float best_dist = 1e9f;
  for (size_t i = 0; i < lines.size(); ++i) {
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
    if (top < kMinIdRun) continue;
    if (expected) {
      const float dist = std::hypot(lines[i].cx() - expected->x, lines[i].cy() - expected->y);
      if (dist >= best_dist) continue;
      best_dist = dist;
    } else if (top <= best_run) {
      continue;
    }
    best_run = top;
    IdLineSpan span{i, 0.f, 1.f};
    const auto& x = lines[i].char_x;
    if (x.size() == chars.size() && top_start > 0)
      span.from = std::max(0.f, (x[top_start - 1] + x[top_start]) / 2);
    const size_t end = top_start + top;  // one past the run (spaces inside counted in chars only)
    if (x.size() == chars.size() && end < chars.size())
      span.to = std::min(1.f, (x[end - 1] + x[end]) / 2 + 0.01f);
    best = span;
  }
  return best;
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
  for (size_t r = 0; r < rows.size(); ++r) {
    auto& members = rows[r].lines;
    for (size_t i : members)
      if (is_label_only(lines[i].text)) row_labels[r] += remove_spaces(lines[i].text);
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
  auto strip = [&](const TextLine& l, std::initializer_list<std::string_view> labels) {
    const auto chars = utf8_chars(l.text);
    size_t by_text = 0;
    for (auto lab : labels)
      if (size_t e = label_end(chars, lab)) by_text = std::max(by_text, e);
    size_t by_place = 0;
    if (l.char_x.size() == chars.size())
      while (by_place < chars.size() && l.x0 + l.char_x[by_place] * l.width() < value_col) ++by_place;
    return value_after(l, std::max(by_text, std::min<size_t>(by_place, 4)));
  };

  enum Kind { kUnknown, kName, kGender, kBirth, kAddr };
  std::vector<Kind> kind(rows.size(), kUnknown);
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string joined = row_labels[r];
    for (size_t i : rows[r].lines) joined += remove_spaces(lines[i].text);
    const auto chars = utf8_chars(joined);
    if (label_end(chars, "姓名"))
      kind[r] = kName;
    else if (label_end(chars, "性别") || contains(joined, "民族") ||
             starts_with_gender(rows[r], lines, strip))
      kind[r] = kGender;
    else if (label_end(chars, "住址"))
      kind[r] = kAddr;
    else if (label_end(chars, "出生") || looks_like_date(joined))
      kind[r] = kBirth;
  }
  // Fill unknown rows by order: name, gender, birth, then address lines.
  auto first_of = [&](Kind k) {
    for (size_t r = 0; r < rows.size(); ++r)
      if (kind[r] == k) return static_cast<int>(r);
    return -1;
  };
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

  std::vector<Quad> addr_quads;
  std::vector<float> addr_conf;
  ReadText addr_read;
  bool nationality_labelled = false;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i : rows[r].lines) {
      const TextLine& l = lines[i];
      switch (kind[r]) {
        case kName: {
          const Value v = strip(l, {"姓名"});
          if (v.text.empty() || f.name.found() || !has_cjk(v.text)) break;  // a name is never digits alone
          if (is_name_under_stamp(v.text)) break;
          const std::string name = normalize_name(remove_stamp_phrase(v.text));
          // Printed names are Chinese characters (and ·): Latin letters or digits in the reading
          // are a misread (柯级1), not a name to answer; the name's band is read again instead.
          if (!only_wide_chars(name)) break;
          f.name = make_field(l, v, name);
          break;
        }
        case kGender: {
          Value v = strip(l, {"性别"});
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
          // A speck between the gender value and the 民族 label (家 read from a background
          // pattern) loses to the value after the label.
          const bool known = is_known_nationality(normalize_nationality(nat));
          const bool better = !f.nationality.found() ||
                              (!is_known_nationality(f.nationality.text) && known) ||
                              (labelled && !nationality_labelled && known);
          if (!nat.empty() && better) {
            nationality_labelled = labelled;
            Value nv = v;
            const size_t total = utf8_chars(l.text).size();
            if (l.char_x.size() == total && start > 0 && total > chars.size() - start)
              nv.from = l.char_x[total - (chars.size() - start)] - 0.02f;
            f.nationality = make_field(l, nv, normalize_nationality(nat));
          }
          break;
        }
        case kBirth: {
          // Year, month and day are often separate boxes: parse the row, left to right.
          if (f.birth.found() || i != rows[r].lines.front()) break;
          std::string joined;
          std::vector<Quad> quads;
          for (size_t j : rows[r].lines) {
            const Value v = strip(lines[j], {"出生"});
            joined += v.text + " ";  // boxes apart are groups apart (1992 | 12 | 23)
            quads.push_back(lines[j].quad_between(v.from, v.to));
          }
          if (auto b = parse_birth_checked(joined, id_birth_date(id.text).value_or(""))) {
            f.birth = make_field(l, strip(l, {"出生"}), *b);
            f.birth.quad = union_quad(quads);
          }
          break;
        }
        case kAddr: {
          const Value v = strip(l, {"住址"});
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
  f.addr.text = remove_stamp_phrase(f.addr.text);
  f.addr.text = trim_before_province(f.addr.text);
  f.addr.text = snap_address(f.addr.text, addr_read, std::string_view(id.text).substr(0, 6));
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

namespace {

// 签发机关 at the start of the line, also when its first characters were misread (整发机关, 签发机美):
// two of the last three characters right is enough for a label that long at that place.
size_t authority_label_end(const std::vector<std::string>& chars) {
  if (const size_t e = label_end(chars, "签发机关")) return e;
  if (chars.size() < 4) return 0;
  const int right = (chars[1] == "发") + (chars[2] == "机") + (chars[3] == "关");
  return right >= 2 ? 4 : 0;
}

}  // namespace

std::optional<BackFields> assign_back(const std::vector<TextLine>& group) {
  // The validity period: a line that parses as a period, with or without its 有效期限 label.
  int valid = -1;
  std::string period;
  for (size_t i = 0; i < group.size(); ++i) {
    if (auto p = parse_valid_period(remove_spaces(group[i].text))) {
      if (valid < 0 || group[i].width() > group[static_cast<size_t>(valid)].width()) {
        valid = static_cast<int>(i);
        period = *p;
      }
    }
  }
  if (valid < 0) return std::nullopt;
  // Rows and columns in the period line's own direction: the card may lie turned against the
  // text around it, and the group's mean angle would tilt the rows.
  std::vector<TextLine> lines = group;
  for (auto& l : lines) place_in_frame(l, group[static_cast<size_t>(valid)].angle_deg);
  const TextLine& vl = lines[static_cast<size_t>(valid)];
  BackFields b;
  float value_x = vl.x0;
  {
    const auto chars = utf8_chars(remove_spaces(vl.text));
    const size_t e = label_end(chars, "有效期限");
    Value v = value_after(vl, e);
    b.valid_date = make_field(vl, v, period);
    value_x = vl.x0 + v.from * vl.width();
  }
  // 签发机关's value: the row just above the period, in the same value column. Characters left of
  // the column are the label, however they were read (整发机关, 营机关) or boxed.
  // The box's short side is the text height; the frame extent grows with any tilt of the card.
  const float h = std::min(vl.height(), std::min(vl.box.size.width, vl.box.size.height));
  std::vector<size_t> above;
  for (size_t i = 0; i < lines.size(); ++i) {
    const TextLine& l = lines[i];
    const float dy = vl.cy() - l.cy();
    if (dy < 0.6f * h || dy > 3.5f * h || l.x1 < value_x + h || l.x0 > vl.x1) continue;
    const std::string t = remove_spaces(l.text);
    if (t.empty() || contains(t, "中华人民共和国") || contains(t, "居民身份证"))
      continue;  // the card's title
    above.push_back(i);
  }
  if (!above.empty()) {
    const float row_cy = lines[*std::max_element(above.begin(), above.end(), [&](size_t a, size_t c) {
                           return lines[a].cy() < lines[c].cy();
                         })].cy();
    std::vector<size_t> row;
    for (size_t i : above)
      if (std::fabs(lines[i].cy() - row_cy) < 0.5f * h) row.push_back(i);
    std::sort(row.begin(), row.end(), [&](size_t a, size_t c) { return lines[a].x0 < lines[c].x0; });
    std::string text;
    std::vector<Quad> quads;
    std::vector<float> conf;
    ReadText read;
    for (size_t i : row) {
      const TextLine& l = lines[i];
      const auto chars = utf8_chars(l.text);
      if (is_watermark(l.text)) continue;
      size_t by_place = 0;
      if (l.char_x.size() == chars.size())
        while (by_place < chars.size() && l.x0 + l.char_x[by_place] * l.width() < value_x - 0.5f * h)
          ++by_place;
      const Value v = value_after(l, std::max(authority_label_end(chars), std::min<size_t>(by_place, 4)));
      std::string t = remove_spaces(v.text);
      if (const size_t at = t.find("签发机关"); at != std::string::npos)
        t = t.substr(at + std::string("签发机关").size());
      if (t.empty()) continue;
      text += t;
      append(read, v.read);
      quads.push_back(l.quad_between(v.from, v.to));
      conf.push_back(v.confidence);
    }
    if (!text.empty()) {
      b.authority.text = snap_authority(remove_stamp_phrase(text), read);
      b.authority.quad = union_quad(quads);
      b.authority.confidence = mean_of(conf, 0, conf.size());
    }
  }
  {
    // Width of the card from the value's height (box height includes DB's unclip margin ~1.5x).
    const float text_h = vl.height() / 1.5f;
    const float card_w = text_h / 0.0365f;
    const float value_len = static_cast<float>(cv::norm(cv::Point2f(
        b.valid_date.quad[1].x - b.valid_date.quad[0].x, b.valid_date.quad[1].y - b.valid_date.quad[0].y)));
    b.card_quad = card_from_line(b.valid_date.quad, kPeriodLeft, std::clamp(value_len / card_w, 0.1f, 0.9f),
                                 kPeriodCentreY);
  }
  return b;
}

bool is_name_under_stamp(const std::string& text) {
  std::string rest = text;
  while (rest.rfind("姓", 0) == 0 || rest.rfind("名", 0) == 0) rest = rest.substr(std::string("名").size());
  return is_watermark(rest);
}

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

std::optional<Quad> back_card_from_title(const std::vector<TextLine>& lines) {
  struct Title {
    const char* text;
    float left, width, centre_y;  // fractions of the card (GA 450 back)
  };
  using card_template::kTitleCard, card_template::kTitleCountry;
  for (const Title& t :
       {Title{"中华人民共和国", kTitleCountry.left, kTitleCountry.width, kTitleCountry.centre_y},
        Title{"居民身份证", kTitleCard.left, kTitleCard.width, kTitleCard.centre_y}}) {
    const auto title = utf8_chars(t.text);
    for (const auto& l : lines) {
      const auto chars = utf8_chars(l.text);
      if (l.char_x.size() != chars.size()) continue;
      const auto at = std::search(chars.begin(), chars.end(), title.begin(), title.end());
      if (at == chars.end()) continue;
      const size_t from = static_cast<size_t>(at - chars.begin()), to = from + title.size() - 1;
      const float pitch = (l.char_x[to] - l.char_x[from]) / static_cast<float>(to - from);
      // The title's characters are spaced: its ends lie about a third of a pitch beyond them.
      return card_from_line(l.quad_between(l.char_x[from] - pitch / 3, l.char_x[to] + pitch / 3), t.left,
                            t.width, t.centre_y);
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

std::optional<BackFields> assign_back_without_period(const std::vector<TextLine>& lines) {
  const auto title = std::find_if(lines.begin(), lines.end(), [](const TextLine& l) {
    return contains(remove_spaces(l.text), "居民身份证");
  });
  if (title == lines.end()) return std::nullopt;
  // 签发机关's row lies about three title heights below 居民身份证 (GA 450: 0.40 -> 0.74 of the card).
  const float th = title->height();
  std::vector<size_t> row;
  bool labelled = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const TextLine& l = lines[i];
    if (l.cy() < title->cy() + 1.5f * th || l.cy() > title->cy() + 5.f * th) continue;
    const std::string t = remove_spaces(l.text);
    const bool label = authority_label_end(utf8_chars(t)) > 0;
    labelled = labelled || label;
    if (label || contains(t, "公安")) row.push_back(i);
  }
  if (!labelled || row.empty()) return std::nullopt;
  // The bureau's line: the label cut off; it must name a bureau (…公安局, …分局) to stand alone.
  for (size_t i : row) {
    const TextLine& l = lines[i];
    const Value v = value_after(l, authority_label_end(utf8_chars(l.text)));
    const std::string t = remove_stamp_phrase(remove_spaces(v.text));
    const bool bureau = utf8_chars(t).size() >= 5 && (ends_with(t, "公安局") || ends_with(t, "分局"));
    if (!bureau) continue;
    BackFields b;
    b.authority = make_field(l, v, snap_authority(t, v.read));
    return b;
  }
  return std::nullopt;
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
