#include "idcard/card_checks.h"

#include "idcard/id_number.h"

namespace idcard {
namespace {

// The gender as the card prints it, from digit 17 of the number (odd 男, even 女).
const char* printed_gender(char id_gender) { return id_gender == 'M' ? "男" : "女"; }

}  // namespace

bool valid_span_ok(const std::string& period) {
  if (period.size() < 12) return false;
  if (period.compare(9, std::string::npos, "长期") == 0) return true;
  if (period.size() != 17) return false;
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
  if (card.back) c.valid_span_ok = valid_span_ok(card.back->valid_date.text);
  return c;
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
