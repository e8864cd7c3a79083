#include "idcard/card_checks.h"

#include <algorithm>

#include "idcard/id_number.h"

namespace idcard {
namespace {

// The gender as the card prints it, from digit 17 of the number (odd 男, even 女).
const char* printed_gender(char id_gender) { return id_gender == 'M' ? "男" : "女"; }

bool digits_only(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// yyyymmdd `to` is `from`'s day three months on, or that month's last day when it has no such day
// (20251130 -> 20260228).
bool three_months_on(const std::string& from, const std::string& to) {
  if (from.size() != 8 || to.size() != 8 || !digits_only(from) || !digits_only(to)) return false;
  const int fy = std::stoi(from.substr(0, 4)), fm = std::stoi(from.substr(4, 2));
  const int fd = std::stoi(from.substr(6));
  const int ty = std::stoi(to.substr(0, 4)), tm = std::stoi(to.substr(4, 2)), td = std::stoi(to.substr(6));
  if ((ty * 12 + tm) - (fy * 12 + fm) != 3) return false;
  if (td == fd) return true;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (tm < 1 || tm > 12) return false;
  const bool leap = (ty % 4 == 0 && ty % 100 != 0) || ty % 400 == 0;
  const int last = kDays[tm - 1] + (tm == 2 && leap);
  return td == last && fd > last;
}

}  // namespace

bool valid_span_ok(const std::string& period, bool temporary) {
  if (period.size() < 12) return false;
  if (period.compare(9, std::string::npos, "长期") == 0) return !temporary;
  if (period.size() != 17) return false;
  if (temporary) return three_months_on(period.substr(0, 8), period.substr(9, 8));
  const int years = std::stoi(period.substr(9, 4)) - std::stoi(period.substr(0, 4));
  return period.substr(4, 4) == period.substr(13, 4) && (years == 5 || years == 10 || years == 20);
}

Checks compute_checks(const CardResult& card) {
  Checks c;
  if (card.front) {
    const std::string& id = card.front->id.text;
    c.id_format_ok = id_format_ok(id);
    c.id_checksum_ok = id_checksum_ok(id);
    const auto birth = id_birth_date(id);
    c.birth_matches_id = birth && !card.front->birth.from_id && *birth == card.front->birth.text;
    const auto g = id_gender(id);
    c.gender_matches_id = g && !card.front->gender.from_id && card.front->gender.text == printed_gender(*g);
  }
  if (card.back) c.valid_span_ok = valid_span_ok(card.back->valid_date.text, card.back->temporary);
  return c;
}

std::vector<std::string> front_rule_warnings(const FrontFields& front) {
  const std::string& id = front.id.text;
  if (!id_format_ok(id)) return {};  // not read whole: nothing to compare
  const auto birth = id_birth_date(id);
  const auto g = id_gender(id);
  const bool birth_differs =
      front.birth.found() && !front.birth.from_id && birth && *birth != front.birth.text;
  const bool gender_differs =
      front.gender.found() && !front.gender.from_id && g && front.gender.text != printed_gender(*g);
  if (!id_checksum_ok(id) || birth_differs || gender_differs) return {"number_mismatch"};
  return {};
}

std::vector<std::string> back_rule_warnings(const BackFields& back, const std::string& birth,
                                            const std::string& today) {
  std::vector<std::string> out;
  if (back.temporary) out.push_back("temporary");
  const std::string& period = back.valid_date.text;
  if (period.size() < 12 || period[8] != '-') return out;  // not read whole
  const std::string from = period.substr(0, 8), to = period.substr(9);
  bool fits = valid_span_ok(period, back.temporary);
  // GA 450: under 16 at issue 5 years, 16-25 10 years, 26-45 20 years, older 长期.
  const bool birth_read = birth.size() == 8 && digits_only(birth);
  if (fits && birth_read && !back.temporary) {
    const int age =
        std::stoi(from.substr(0, 4)) - std::stoi(birth.substr(0, 4)) - (from.substr(4) < birth.substr(4));
    const int want = age < 16 ? 5 : age <= 25 ? 10 : age <= 45 ? 20 : 0;
    const int years = to == "长期" ? 0 : std::stoi(to.substr(0, 4)) - std::stoi(from.substr(0, 4));
    fits = years == want && from > birth;
  }
  if (!fits) out.push_back("invalid_date");
  if (today.size() == 8 && to != "长期" && to.size() == 8 && to < today) out.push_back("expired");
  return out;
}

bool temporary_title(const std::string& line_text) {
  // 临时 before the title's 居民身份证, whose end a misread character may cost.
  const size_t at = line_text.find("临时");
  return at != std::string::npos && line_text.find("居民身份", at) != std::string::npos;
}

bool same_holder(const FrontFields& front, const BackFields& back) {
  static const std::string kBureau = "公安局", kBranch = "分局", kCity = "市";
  const std::string& bureau = back.authority.text;
  const std::string& addr = front.addr.text;
  const size_t at = bureau.find(kBureau);
  if (addr.empty() || at == std::string::npos || at == 0) return false;
  // 北京市公安局朝阳分局, 成都市公安局温江分局: the district (朝阳区) is the address's.
  const size_t branch = bureau.find(kBranch, at);
  if (branch != std::string::npos && branch > at + kBureau.size())
    return addr.find(bureau.substr(at + kBureau.size(), branch - at - kBureau.size())) != std::string::npos;
  // 鄯善县公安局, 邵东市公安局, 榆林市定边县公安局: the last unit (定边县) is the address's.
  std::string place = bureau.substr(0, at);
  const size_t city = place.rfind(kCity);
  if (city != std::string::npos && city + kCity.size() < place.size())
    place = place.substr(city + kCity.size());
  return addr.find(place) != std::string::npos;
}

void complete_from_id(FrontFields& front) {
  const Field& id = front.id;
  if (!id_checksum_ok(id.text)) return;
  auto take = [&id](Field& field, std::string text) {
    field.text = std::move(text);
    field.confidence = id.confidence;
    field.quad = id.quad;
    field.from_id = true;
  };
  if (!front.birth.found())
    if (const auto birth = id_birth_date(id.text)) take(front.birth, *birth);
  if (!front.gender.found())
    if (const auto g = id_gender(id.text)) take(front.gender, printed_gender(*g));
}

}  // namespace idcard
