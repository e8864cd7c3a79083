#include "idcard/anchors.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "idcard/field_text.h"

namespace idcard {

bool is_back_title(const std::string& text) {
  const std::string t = remove_spaces(text);
  return t.find("中华人民共和国") != std::string::npos || t.find("居民身份证") != std::string::npos;
}

bool is_back_anchor(const std::string& text) {
  const std::string t = remove_spaces(text);
  return parse_valid_period(t).has_value() || t.find("中华人民共和国") != std::string::npos ||
         t.find("签发机关") != std::string::npos || t.find("有效期限") != std::string::npos ||
         t.find("居民身份证") != std::string::npos;
}

bool is_anchor(const std::string& text) {
  int run = 0, best = 0;
  for (char c : text) {
    if (c == '.' || c == ',' || c == ' ') continue;  // specks between digits (see find_id_line)
    run = (std::isdigit(static_cast<unsigned char>(c)) || c == 'X' || c == 'x') ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best >= 15 || is_back_anchor(text);
}

std::vector<std::vector<size_t>> group_by_angle(const std::vector<TextLine>& lines) {
  std::vector<std::vector<size_t>> groups;
  std::vector<float> group_angle;
  for (size_t i = 0; i < lines.size(); ++i) {
    size_t g = 0;
    for (; g < groups.size(); ++g)
      if (std::fabs(angle_diff(lines[i].angle_deg, group_angle[g])) < 25.f) break;
    if (g == groups.size()) {
      groups.emplace_back();
      group_angle.push_back(lines[i].angle_deg);
    }
    groups[g].push_back(i);
  }
  return groups;
}

float group_angle(const std::vector<TextLine>& lines, const std::vector<size_t>& idx) {
  const float ref = lines[idx[0]].angle_deg;
  double sum = 0, wsum = 0;
  for (size_t i : idx) {
    const double w = std::max(lines[i].box.size.width, lines[i].box.size.height);
    sum += w * (ref + angle_diff(lines[i].angle_deg, ref));
    wsum += w;
  }
  return static_cast<float>(sum / wsum);
}

}  // namespace idcard
