#include "idcard/back_fields.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/core.hpp>

#include "idcard/field_text.h"
#include "idcard/line_values.h"
#include "idcard/place_names.h"

namespace idcard {
namespace {

// 签发机关 at the start of the line, also when its first characters were misread (整发机关, 签发机美):
// two of the last three characters right is enough for a label that long at that place.
size_t authority_label_end(const std::vector<std::string>& chars) {
  if (const size_t e = label_end(chars, "签发机关")) return e;
  if (chars.size() < 4) return 0;
  const int right = (chars[1] == "发") + (chars[2] == "机") + (chars[3] == "关");
  return right >= 2 ? 4 : 0;
}

// A period ends on its start's month and day, 5, 10 or 20 years on: where the two read differ in
// one digit (20230128-20430120), the digit the reader was surer of is the card's. `line` is the
// period's line as read, its 16 digits in the period's order.
std::string agree_period_days(const std::string& period, const TextLine& line) {
  if (period.size() != 17 || period[8] != '-') return period;  // 长期, or not whole
  const std::string from = period.substr(0, 8), to = period.substr(9);
  const int span = std::stoi(to.substr(0, 4)) - std::stoi(from.substr(0, 4));
  if ((span != 5 && span != 10 && span != 20) || from.substr(4) == "0229") return period;
  int differ = -1;
  for (int j = 4; j < 8; ++j)
    if (from[j] != to[j]) {
      if (differ >= 0) return period;  // two digits: not one misread
      differ = j;
    }
  if (differ < 0) return period;
  const auto chars = utf8_chars(line.text);
  if (line.char_confidence.size() != chars.size()) return period;
  std::vector<float> conf;  // per digit of the line
  for (size_t i = 0; i < chars.size(); ++i)
    if (chars[i].size() == 1 && chars[i][0] >= '0' && chars[i][0] <= '9')
      conf.push_back(line.char_confidence[i]);
  if (conf.size() != 16) return period;
  const auto d = static_cast<size_t>(differ);
  std::string day = from.substr(4);
  day[d - 4] = conf[d] >= conf[8 + d] ? from[d] : to[d];
  const std::string fixed = from.substr(0, 4) + day + "-" + to.substr(0, 4) + day;
  return parse_valid_period(fixed).value_or("") == fixed ? fixed : period;
}

// The period's line with each letter or stray mark read where the card prints only digits and
// separators (2021.0T25 for 2021.0725, /o1o.02.21 for 2010.02.21) replaced by the digit the reader
// put first at that character's step. Chinese characters (长期, a label) are kept as read.
std::string digits_for_letters(const TextLine& line) {
  const auto chars = utf8_chars(remove_spaces(line.text));
  if (chars.size() != line.char_step.size()) return remove_spaces(line.text);
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    const std::string& c = chars[i];
    const bool letter = c.size() == 1 && !(c[0] >= '0' && c[0] <= '9') && c != "." && c != "-";
    const auto step = static_cast<size_t>(line.char_step[i]);
    if (!letter || step >= line.id_steps.size()) {
      out += c;
      continue;
    }
    const ocr::IdStep& p = line.id_steps[step];
    const auto best = std::max_element(p.begin() + 1, p.begin() + 11);  // '0'..'9'
    out += static_cast<char>('0' + (best - (p.begin() + 1)));
  }
  return out;
}

}  // namespace

std::optional<BackFields> assign_back(const std::vector<TextLine>& group) {
  // The validity period: a line that parses as a period, with or without its 有效期限 label.
  int valid = -1;
  std::string period;
  for (size_t i = 0; i < group.size(); ++i) {
    if (is_form_row(group[i].text)) continue;  // 有效期限：… on a form beside the card
    auto p = parse_valid_period(remove_spaces(group[i].text));
    if (!p) p = parse_valid_period(digits_for_letters(group[i]));
    if (p) {
      if (valid < 0 || group[i].width() > group[static_cast<size_t>(valid)].width()) {
        valid = static_cast<int>(i);
        period = agree_period_days(*p, group[i]);
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
  // Width of the card from the value's height (box height includes DB's unclip margin ~1.5x).
  const float card_w = vl.height() / 1.5f / 0.0365f;
  // The bureau's row may run on past the period's end (…鲅鱼圈分局 above 2005.05.17-长期), a piece
  // of it boxed apart there; the card's right edge lies 0.6 of its width past the value column.
  const float row_end = std::max(vl.x1, value_x + 0.5f * card_w);
  std::vector<size_t> above;
  for (size_t i = 0; i < lines.size(); ++i) {
    const TextLine& l = lines[i];
    const float dy = vl.cy() - l.cy();
    if (dy < 0.6f * h || dy > 3.5f * h || l.x1 < value_x + h || l.x0 > row_end) continue;
    const std::string t = remove_spaces(l.text);
    if (t.empty() || contains(t, "中华人民共和国") || contains(t, "居民身份证") || is_form_row(t))
      continue;  // the card's title; a form's row
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
    const float value_len = static_cast<float>(cv::norm(cv::Point2f(
        b.valid_date.quad[1].x - b.valid_date.quad[0].x, b.valid_date.quad[1].y - b.valid_date.quad[0].y)));
    b.card_quad = card_from_line(b.valid_date.quad, kPeriodLeft, std::clamp(value_len / card_w, 0.1f, 0.9f),
                                 kPeriodCentreY);
  }
  return b;
}

std::optional<BackFields> assign_back_without_period(const std::vector<TextLine>& lines,
                                                     bool titles_in_place) {
  // 居民身份证, or its start where the card's edge lies outside the picture (居民身份): the bureau's
  // labelled row below must still name a bureau.
  const auto title = std::find_if(lines.begin(), lines.end(), [](const TextLine& l) {
    return contains(remove_spaces(l.text), "居民身份");
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
  if ((!labelled && !titles_in_place) || row.empty()) return std::nullopt;
  // The bureau's line: the label cut off; it must name a bureau (…公安局, …分局) to stand alone.
  for (size_t i : row) {
    const TextLine& l = lines[i];
    const Value v = value_after(l, authority_label_end(utf8_chars(l.text)));
    // Named as snapped: a bureau whose 局 a stamp or the light hid (惠来县公安) gets it back first.
    const std::string t = snap_authority(remove_stamp_phrase(remove_spaces(v.text)), v.read);
    const bool bureau = utf8_chars(t).size() >= 5 && (ends_with(t, "公安局") || ends_with(t, "分局"));
    if (!bureau) continue;
    BackFields b;
    b.authority = make_field(l, v, t);
    return b;
  }
  return std::nullopt;
}

}  // namespace idcard
