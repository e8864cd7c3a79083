#include "idcard/line_values.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/core.hpp>

#include "idcard/field_text.h"

namespace idcard {

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

std::vector<Row> group_rows(const std::vector<TextLine>& lines, const std::vector<size_t>& idx) {
  std::vector<size_t> order = idx;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lines[a].cy() < lines[b].cy(); });
  std::vector<Row> rows;
  for (size_t i : order) {
    const TextLine& l = lines[i];
    // Boxes of one row lie side by side; one above another (tall boxes of tightly set address
    // lines, half a row apart) are two rows however close their centres. Boxes overlapping at the
    // same height (a character the detector boxed again inside a longer box) are one row.
    const auto stacked = [&](size_t j) {
      const float overlap = std::min(l.x1, lines[j].x1) - std::max(l.x0, lines[j].x0);
      const float apart = std::fabs(l.cy() - lines[j].cy());
      return overlap > 0.5f * std::min(l.width(), lines[j].width()) &&
             apart > 0.25f * std::min(l.height(), lines[j].height());
    };
    if (!rows.empty() &&
        std::fabs(l.cy() - rows.back().cy) < 0.5f * std::max(l.height(), rows.back().height) &&
        std::none_of(rows.back().lines.begin(), rows.back().lines.end(), stacked)) {
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

}  // namespace idcard
