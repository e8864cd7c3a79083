#include "idcard/field_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace idcard {
namespace {

// As printed on cards (without 族). The last two are older names still found on issued cards.
constexpr std::array<std::string_view, 58> kNationalities = {
    "汉",     "蒙古",   "回",       "藏",     "维吾尔", "苗",   "彝",     "壮",   "布依",     "朝鲜",
    "满",     "侗",     "瑶",       "白",     "土家",   "哈尼", "哈萨克", "傣",   "黎",       "傈僳",
    "佤",     "畲",     "高山",     "拉祜",   "水",     "东乡", "纳西",   "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬",   "羌",       "布朗",   "撒拉",   "毛南", "仡佬",   "锡伯", "阿昌",     "普米",
    "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",   "裕固", "京",       "塔塔尔",
    "独龙",   "鄂伦春", "赫哲",     "门巴",   "珞巴",   "基诺", "崩龙",   "毛难"};

size_t edit_distance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> digit_groups(std::string_view text) {
  std::vector<std::string> groups;
  std::string cur;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      cur += c;
    } else if (!cur.empty()) {
      groups.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) groups.push_back(cur);
  return groups;
}

bool plausible_date(int y, int m, int d) {
  if (y < 1850 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= (m == 2 && !leap ? 28 : kDays[m - 1]);
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

}  // namespace

std::vector<std::string> utf8_chars(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string remove_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t') out += c;
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool only_wide_chars(std::string_view s) {
  const auto chars = utf8_chars(s);
  return std::all_of(chars.begin(), chars.end(), [](const std::string& c) { return c.size() > 1; });
}

size_t label_end(const std::vector<std::string>& chars, std::string_view label) {
  const auto lab = utf8_chars(label);
  if (chars.size() < lab.size() - (lab.size() > 2 ? 1 : 0)) return 0;
  // Exact label.
  if (chars.size() >= lab.size() && std::equal(lab.begin(), lab.end(), chars.begin())) return lab.size();
  if (lab.size() < 2) return 0;
  // One character misread (same length) or dropped (one shorter), but the first must match.
  if (chars[0] != lab[0] && !(lab.size() > 2 && chars[0] == lab[1])) return 0;
  if (chars.size() >= lab.size()) {
    int miss = 0;
    for (size_t i = 0; i < lab.size(); ++i) miss += chars[i] != lab[i];
    if (miss <= (lab.size() > 3 ? 2 : 1) && chars[lab.size() - 1] == lab.back()) return lab.size();
  }
  for (size_t skip = 0; skip < lab.size(); ++skip) {  // one label character missing
    std::vector<std::string> shorter = lab;
    shorter.erase(shorter.begin() + static_cast<long>(skip));
    if (chars.size() >= shorter.size() && std::equal(shorter.begin(), shorter.end(), chars.begin()))
      return shorter.size();
  }
  return 0;
}

bool is_form_row(std::string_view text) {
  // A colon where a label ends (姓名：, 号码： of a label cut by the picture's edge, ：2008年… of one
  // lost): within a card's longest label's length of the start.
  constexpr size_t kLongestLabel = 6;  // 公民身份号码
  const auto chars = utf8_chars(remove_spaces(text));
  auto digit = [](const std::string& c) { return c.size() == 1 && c[0] >= '0' && c[0] <= '9'; };
  for (size_t i = 0; i <= kLongestLabel && i + 1 < chars.size(); ++i)  // a value after it
    // (a date's dot read as a colon, 2021:11.29, follows a digit)
    if ((chars[i] == "：" || chars[i] == ":") && (i == 0 || !digit(chars[i - 1]))) return true;
  // Exact: one misread character of these could be a card's own label (出生日 of 出生 1990年…日).
  const std::string t = remove_spaces(text);
  for (std::string_view lab : {"身份证号", "出生日期", "证件号码", "联系电话"})
    if (t.compare(0, lab.size(), lab) == 0) return true;
  // A form's title (身份信息核验单, 个人信息登记表): no card prints a line ending so.
  for (std::string_view title :
       {"登记表", "申请表", "信息表", "采集表", "申报表", "审批表", "核验单", "确认单", "受理单", "回执单"})
    if (t.size() > title.size() && t.compare(t.size() - title.size(), title.size(), title) == 0) return true;
  return false;
}

bool is_known_nationality(std::string_view text) {
  return std::find(kNationalities.begin(), kNationalities.end(), text) != kNationalities.end();
}

std::string normalize_nationality(std::string_view text) {
  std::string t = remove_spaces(text);
  if (t.size() > 3 && t.compare(t.size() - 3, 3, "族") == 0) t.resize(t.size() - 3);
  if (is_known_nationality(t)) return t;
  const auto chars = utf8_chars(t);
  // The 民族 label (two characters) misread in front of the value (底汉, 底告汉): the value alone
  // is a nationality. One label character is tried before a one-off snap, two after it (维吾水 is
  // 维吾尔 misread, not 水 behind a label).
  auto after_label = [&chars](size_t n) {
    std::string rest;
    for (size_t i = n; i < chars.size(); ++i) rest += chars[i];
    return chars.size() > n && is_known_nationality(rest) ? rest : std::string();
  };
  if (std::string rest = after_label(1); !rest.empty()) return rest;
  // The one nationality (of two characters or more) one character off the reading, from its
  // `from`th character on; empty when none or several are.
  auto one_off = [&chars](size_t from) -> std::string {
    if (chars.size() < from + 2) return {};
    const std::vector<std::string> rest(chars.begin() + static_cast<long>(from), chars.end());
    std::string_view match;
    int matches = 0;
    for (auto n : kNationalities) {
      const auto nc = utf8_chars(n);
      if (edit_distance(rest, nc) == 1 && nc.size() >= 2) {
        match = n;
        ++matches;
      }
    }
    return matches == 1 ? std::string(match) : std::string();
  };
  if (std::string match = one_off(0); !match.empty()) return match;
  if (std::string rest = after_label(2); !rest.empty()) return rest;
  // Both: the label misread in front of a value misread by one character (我春微罗斯: 民族俄罗斯).
  for (size_t label : {1, 2})
    if (std::string match = one_off(label); !match.empty()) return match;
  return t;
}

std::string snap_nationality(const ReadText& read) {
  constexpr double kMinSnapProb = 0.05;
  // The wide characters as read; a trailing 族 is printed on old cards only.
  std::vector<size_t> at;
  for (size_t i = 0; i < read.chars.size(); ++i)
    if (read.chars[i].size() > 1) at.push_back(i);
  if (!at.empty() && read.chars[at.back()] == "族") at.pop_back();
  if (at.empty() || at.size() > 4) return {};
  std::string_view best;
  double best_p = 0, second_p = 0;
  for (auto n : kNationalities) {
    const auto nc = utf8_chars(n);
    if (nc.size() != at.size()) continue;
    double p = 1;
    int subs = 0;
    for (size_t k = 0; k < nc.size() && p > 0; ++k) {
      if (read.chars[at[k]] == nc[k]) continue;
      static const CharAlternatives kNone;
      const CharAlternatives& alts = at[k] < read.alts.size() ? read.alts[at[k]] : kNone;
      const auto alt =
          std::find_if(alts.begin(), alts.end(), [&](const ocr::CharChoice& c) { return c.text == nc[k]; });
      p = alt == alts.end() ? 0 : p * alt->prob;
      ++subs;
    }
    if (p <= 0 || subs == 0) continue;
    if (p > best_p)
      second_p = best_p, best_p = p, best = n;
    else if (p > second_p)
      second_p = p;
  }
  if (best_p < kMinSnapProb || second_p * 2 > best_p) return {};
  return std::string(best);
}

// A date's digit groups: short groups before its year are specks of the label column read as
// digits (出生 misread "5 2"), and go.
std::vector<std::string> date_groups(std::string_view text) {
  auto g = digit_groups(text);
  size_t year = 0;
  while (year < g.size() && g[year].size() <= 2) ++year;
  if (year < g.size() && g[year].size() == 4) g.erase(g.begin(), g.begin() + static_cast<long>(year));
  return g;
}

std::optional<std::string> parse_birth(std::string_view text) {
  const auto g = date_groups(text);
  if (g.size() >= 3 && g[0].size() == 4) {
    const int y = std::stoi(g[0]), m = std::stoi(g[1].substr(0, 2)), d = std::stoi(g[2].substr(0, 2));
    if (plausible_date(y, m, d)) return g[0] + two(m) + two(d);
  }
  if (g.size() == 1 && g[0].size() == 8) {
    const int y = std::stoi(g[0].substr(0, 4)), m = std::stoi(g[0].substr(4, 2)),
              d = std::stoi(g[0].substr(6, 2));
    if (plausible_date(y, m, d)) return g[0];
  }
  return std::nullopt;
}

std::optional<std::string> parse_birth_checked(std::string_view text, std::string_view id_date) {
  const auto g = date_groups(text);
  std::string digits;
  for (const auto& group : g) digits += group;
  if (g.size() >= 3 && g[0].size() == 4 && g[1].size() <= 2 && g[2].size() <= 2) {
    // Year, month and day read apart: the row says what it says; the number only confirms it,
    // or settles a day that took its 日 as a digit (3月59 for 3月5日; 10月29 of 10月2日, no 日
    // read after it, where the number says the 2nd).
    auto b = parse_birth(text);
    const bool day_ran_on = b && g.size() == 3 && g[2].size() == 2 && id_date.size() == 8 &&
                            b->compare(0, 6, id_date, 0, 6) == 0 && id_date[6] == '0' &&
                            g[2][0] == id_date[7] &&
                            text.find("日", text.rfind(g[2])) == std::string_view::npos;
    if (day_ran_on) return std::string(id_date);
    if (b) return b;
  }
  if (id_date.size() == 8) {
    // Groups run together (a faint 月 lost): the digits are ambiguous alone, the number settles them.
    const std::string y(id_date.substr(0, 4)), m(id_date.substr(4, 2)), d(id_date.substr(6, 2));
    const std::string m1 = m[0] == '0' ? m.substr(1) : m, d1 = d[0] == '0' ? d.substr(1) : d;
    // Its 日 read as one digit, or as two where the day's group runs on (2004年1月213 of 1月2日:
    // the day 2 or 21, the number says which).
    const size_t extra = g.size() >= 3 && g.back().size() >= 3 ? 2 : 1;
    for (const std::string& form : {y + m + d, y + m1 + d, y + m + d1, y + m1 + d1})
      if (digits.compare(0, form.size(), form) == 0 && digits.size() <= form.size() + extra)
        return std::string(id_date);
  }
  return parse_birth(text);
}

namespace {

// Resident identity cards were first issued in 1984; plausible_date's wider range is for births.
bool period_year_ok(int y) { return y >= 1984 && y <= 2100; }

// yyyymmdd dates of a period whose month and day agree, one year misread into one no card carries:
// that year replaced by the other's 5, 10 or 20 years off when exactly one such year differs from
// the misread one in a single digit.
std::optional<std::string> repair_period_year(const std::string& from, const std::string& to) {
  if (from.compare(4, 4, to, 4, 4) != 0) return std::nullopt;
  const int m = std::stoi(from.substr(4, 2)), d = std::stoi(from.substr(6, 2));
  if (!plausible_date(2000, m, d)) return std::nullopt;  // 2000: a leap year, Feb 29 stays possible
  const int fy = std::stoi(from.substr(0, 4)), ty = std::stoi(to.substr(0, 4));
  const bool from_ok = period_year_ok(fy), to_ok = period_year_ok(ty);
  if (from_ok == to_ok) return std::nullopt;  // both years possible (an odd span stays), or neither
  const std::string misread = (from_ok ? to : from).substr(0, 4);
  std::optional<std::string> repaired;
  for (int span : {5, 10, 20}) {
    const int y = from_ok ? fy + span : ty - span;
    const std::string year = std::to_string(y);
    if (!period_year_ok(y) || !plausible_date(y, m, d)) continue;
    int off = 0;
    for (size_t i = 0; i < 4; ++i) off += year[i] != misread[i];
    if (off != 1) continue;
    if (repaired) return std::nullopt;  // two readings fit: neither is taken
    repaired = from_ok ? from + "-" + year + to.substr(4) : year + from.substr(4) + "-" + to;
  }
  return repaired;
}

}  // namespace

std::optional<std::string> parse_valid_period(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c >= '0' && c <= '9') digits += c;
  const bool long_term =
      text.find("长期") != std::string_view::npos || text.find("长") != std::string_view::npos;
  auto date_ok = [](const std::string& s) {
    return plausible_date(std::stoi(s.substr(0, 4)), std::stoi(s.substr(4, 2)), std::stoi(s.substr(6, 2)));
  };
  if (digits.size() == 16 && date_ok(digits.substr(0, 8)) && date_ok(digits.substr(8, 8)))
    return digits.substr(0, 8) + "-" + digits.substr(8, 8);
  if (digits.size() == 16)
    if (auto repaired = repair_period_year(digits.substr(0, 8), digits.substr(8, 8))) return repaired;
  // One digit of the end's month and day misread into a date no calendar has (2036.0010 for
  // 2036.06.10): a period ends on its start's day, 5, 10 or 20 years on.
  if (digits.size() == 16 && date_ok(digits.substr(0, 8)) && !date_ok(digits.substr(8, 8))) {
    const int span = std::stoi(digits.substr(8, 4)) - std::stoi(digits.substr(0, 4));
    int off = 0;
    for (size_t i = 4; i < 8; ++i) off += digits[i] != digits[8 + i];
    const std::string end = digits.substr(8, 4) + digits.substr(4, 4);
    if ((span == 5 || span == 10 || span == 20) && off == 1 && date_ok(end))
      return digits.substr(0, 8) + "-" + end;
  }
  if (digits.size() == 8 && long_term && date_ok(digits)) return digits + "-长期";
  // The end's month and day hidden (a stamp, glare): a period ends on its start's day, 5, 10 or 20
  // years on, so the year that shows settles the date.
  if (digits.size() == 12 && text.find('-') != std::string_view::npos && date_ok(digits.substr(0, 8))) {
    const int span = std::stoi(digits.substr(8, 4)) - std::stoi(digits.substr(0, 4));
    const std::string end = digits.substr(8, 4) + digits.substr(4, 4);
    if ((span == 5 || span == 10 || span == 20) && date_ok(end)) return digits.substr(0, 8) + "-" + end;
  }
  return std::nullopt;
}

std::string trim_before_province(std::string_view addr) {
  static const std::vector<std::string_view> kProvinces = {
      "北京", "天津", "上海", "重庆",   "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
      "福建", "江西", "山东", "河南",   "湖北", "湖南", "广东", "海南", "四川",   "贵州", "云南", "陕西",
      "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",   "澳门"};
  auto starts_with_province = [](std::string_view t) {
    return std::any_of(kProvinces.begin(), kProvinces.end(),
                       [&](std::string_view p) { return t.substr(0, p.size()) == p; });
  };
  if (starts_with_province(addr)) return std::string(addr);
  const auto chars = utf8_chars(addr);
  // Digits, letters and marks before it (the birth row's digits joined to the address's first
  // line), however many, and one or two characters more.
  size_t ascii = 0;
  while (ascii < chars.size() && chars[ascii].size() == 1) ++ascii;
  size_t offset = 0;
  for (size_t skip = 1; skip <= ascii + 2 && skip < chars.size(); ++skip) {
    offset += chars[skip - 1].size();
    if (starts_with_province(addr.substr(offset))) return std::string(addr.substr(offset));
  }
  return std::string(addr);
}

std::string restore_unit_door(std::string_view addr) {
  size_t at = std::string_view::npos;
  for (std::string_view building : {"楼", "栋", "幢"}) {
    const size_t p = addr.rfind(building);
    if (p != std::string_view::npos && (at == std::string_view::npos || p > at)) at = p + building.size();
  }
  if (at == std::string_view::npos) return std::string(addr);
  std::string_view digits = addr.substr(at), suffix;
  for (std::string_view end : {"室", "号"})
    if (ends_with(digits, end)) suffix = end, digits.remove_suffix(end.size());
  const bool all_digits =
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!all_digits || digits.size() < 5 || digits.size() > 6) return std::string(addr);
  auto flat = [](std::string_view r) {
    if (r.size() < 3 || r.size() > 4 || r[0] == '0') return false;
    const int floor = std::stoi(std::string(r.substr(0, r.size() - 2))),
              door = std::stoi(std::string(r.substr(r.size() - 2)));
    return floor >= 1 && floor <= 60 && door >= 1 && door <= 12;
  };
  const std::string_view unit = digits.substr(0, 1), rest = digits.substr(1);
  std::optional<std::string_view> room;
  int fits = 0;
  for (std::string_view door_read : {"", "7", "1", "17"})
    if (rest.substr(0, door_read.size()) == door_read && flat(rest.substr(door_read.size())))
      ++fits, room = rest.substr(door_read.size());
  if (unit == "0" || fits != 1) return std::string(addr);
  return std::string(addr.substr(0, at)) + std::string(unit) + "门" + std::string(*room) +
         std::string(suffix);
}

std::string remove_stamp_phrase(std::string_view text) {
  const auto chars = utf8_chars(text);
  auto without = [&chars](size_t from, size_t to) {  // inclusive
    std::string out;
    for (size_t k = 0; k < chars.size(); ++k)
      if (k < from || k > to) out += chars[k];
    return out;
  };
  // 复印无效 / 复印禁止 / 禁止复印 / 复印件 laid over a line, however much of it was read.
  for (size_t i = 0; i + 1 < chars.size(); ++i) {
    if (chars[i] != "复" || chars[i + 1] != "印") continue;
    size_t from = i, to = i + 1;
    if (from >= 2 && chars[from - 2] == "禁" && chars[from - 1] == "止") from -= 2;
    static const std::vector<std::string> kTail = {"无", "效", "禁", "止", "件"};
    while (to + 1 < chars.size() && to - i < 3 &&
           std::find(kTail.begin(), kTail.end(), chars[to + 1]) != kTail.end())
      ++to;
    return remove_stamp_phrase(without(from, to));
  }
  for (size_t i = 0; i + 1 < chars.size(); ++i) {
    if (chars[i] != "仅" || (chars[i + 1] != "供" && chars[i + 1] != "限")) continue;
    for (size_t j = i + 2; j < chars.size() && j <= i + 10; ++j) {
      // The phrase ends at 使用; at 使 alone when its 用 was not read.
      if (chars[j] == "使" && !(j + 1 < chars.size() && chars[j + 1] == "用")) {
      } else if (chars[j] != "用") {
        continue;
      }
      // Back over what leads into it, however much of it was read: (此)(复印)件 仅供….
      size_t from = i;
      auto back_over = [&](const char* c) {
        if (from == 0 || chars[from - 1] != c) return false;
        --from;
        return true;
      };
      if (back_over("件") && back_over("印")) back_over("复");
      back_over("此");
      return remove_stamp_phrase(without(from, j));
    }
  }
  return std::string(text);
}

std::string normalize_name(std::string_view text) {
  std::string out;
  for (const auto& ch : utf8_chars(remove_spaces(text))) {
    if (ch == "•" || ch == "・" || ch == "‧" || ch == "." || ch == "·" || ch == "∙" || ch == "-")
      out += "·";
    else
      out += ch;
  }
  return out;
}

}  // namespace idcard
