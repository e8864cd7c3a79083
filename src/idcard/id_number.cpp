#include "idcard/id_number.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace idcard {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
constexpr char kIdChars[ocr::kIdClasses] = {0, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'};
// A substitute must carry at least this probability at its step: a plausible misreading, not a guess.
constexpr float kMinAlternative = 0.02f;

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

struct Emitted {
  int step;                                     // time step where the character peaks
  std::vector<std::pair<char, float>> options;  // candidates at that step, best first
};

}  // namespace

char id_check_char(std::string_view first17) {
  if (first17.size() != 17 || !all_digits(first17)) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

bool id_format_ok(std::string_view id) {
  return id.size() == 18 && all_digits(id.substr(0, 17)) &&
         ((id[17] >= '0' && id[17] <= '9') || id[17] == 'X');
}

bool id_checksum_ok(std::string_view id) {
  return id_format_ok(id) && id_check_char(id.substr(0, 17)) == id[17];
}

std::optional<std::string> id_birth_date(std::string_view id) {
  if (id.size() < 14 || !all_digits(id.substr(6, 8))) return std::nullopt;
  const int y = std::stoi(std::string(id.substr(6, 4))), m = std::stoi(std::string(id.substr(10, 2))),
            d = std::stoi(std::string(id.substr(12, 2)));
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1850 || y > 2100 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > kDays[m - 1] + (m == 2 && is_leap(y) ? 1 : 0)) return std::nullopt;
  return std::string(id.substr(6, 8));
}

std::optional<char> id_gender(std::string_view id) {
  if (id.size() < 17 || id[16] < '0' || id[16] > '9') return std::nullopt;
  return (id[16] - '0') % 2 == 1 ? 'M' : 'F';
}

bool id_province_ok(std::string_view id) {
  static constexpr int kProvinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
                                       44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
  if (id.size() < 2 || !all_digits(id.substr(0, 2))) return false;
  const int p = (id[0] - '0') * 10 + (id[1] - '0');
  return std::find(std::begin(kProvinces), std::end(kProvinces), p) != std::end(kProvinces);
}

IdReading decode_id_number(const std::vector<ocr::IdStep>& steps) {
  // Best path, remembering at which step each character was emitted.
  std::vector<Emitted> chars;
  int prev = 0;
  for (int t = 0; t < static_cast<int>(steps.size()); ++t) {
    const auto& p = steps[t];
    const int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
    if (best != 0 && best != prev) {
      chars.push_back({t, {}});
    } else if (best != 0 && best == prev && p[best] > steps[chars.back().step][best]) {
      chars.back().step = t;  // same character continues: keep its most confident step
    }
    prev = best;
  }
  IdReading out;
  float conf_sum = 0;
  for (auto& c : chars) {
    const auto& p = steps[c.step];
    for (int k = 1; k < ocr::kIdClasses; ++k) c.options.emplace_back(kIdChars[k], p[k]);
    std::sort(c.options.begin(), c.options.end(), [](auto& a, auto& b) { return a.second > b.second; });
    out.text += c.options[0].first;
    conf_sum += c.options[0].second;
  }
  out.confidence = chars.empty() ? 0.f : conf_sum / static_cast<float>(chars.size());
  if (out.text.size() != 18 || id_checksum_ok(out.text)) return out;

  // Most probable readings differing in one or two positions; cost = log-prob loss.
  struct Candidate {
    float loss;
    std::string text;
  };
  std::vector<Candidate> candidates;
  auto loss_of = [&](size_t i, size_t k) {
    return std::log(chars[i].options[0].second + 1e-9f) - std::log(chars[i].options[k].second + 1e-9f);
  };
  for (size_t i = 0; i < 18; ++i)
    for (size_t k = 1; k < chars[i].options.size() && chars[i].options[k].second >= kMinAlternative; ++k) {
      std::string t = out.text;
      t[i] = chars[i].options[k].first;
      if (id_checksum_ok(t)) candidates.push_back({loss_of(i, k), t});
      for (size_t j = i + 1; j < 18; ++j)
        for (size_t l = 1; l < chars[j].options.size() && chars[j].options[l].second >= kMinAlternative;
             ++l) {
          std::string u = t;
          u[j] = chars[j].options[l].first;
          if (id_checksum_ok(u)) candidates.push_back({loss_of(i, k) + loss_of(j, l), u});
        }
    }
  if (candidates.empty()) return out;
  const auto best = std::min_element(candidates.begin(), candidates.end(),
                                     [](const Candidate& a, const Candidate& b) { return a.loss < b.loss; });
  out.text = best->text;
  out.corrected = true;
  return out;
}

}  // namespace idcard
