#pragma once
// 公民身份号码 (GB 11643): 6-digit region, 8-digit birth date, 3-digit sequence (odd = male),
// ISO 7064 MOD 11-2 check character (0-9 or X).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ocr/text_recognizer.h"

namespace idcard {

// The check character for the first 17 digits; '\0' if they are not 17 digits.
char id_check_char(std::string_view first17);
bool id_format_ok(std::string_view id);                         // 17 digits + digit/X
bool id_checksum_ok(std::string_view id);                       // format ok and check character right
std::optional<std::string> id_birth_date(std::string_view id);  // YYYYMMDD when digits 7-14 are a date
std::optional<char> id_gender(std::string_view id);             // 'M' / 'F' from digit 17
// Whether the first two digits are a province of GB/T 2260 (11-15, 21-23, 31-37, 41-46, 50-54,
// 61-65, 71, 81-83): retired county codes stay valid on old cards, provinces do not change.
bool id_province_ok(std::string_view id);

struct IdReading {
  std::string text;  // what is printed, best reading
  float confidence = 0.f;
  bool corrected = false;  // the top reading failed the checksum; a close second-best passed
};

// Decodes an ID-number line from the recognizer's per-step probabilities over blank,0-9,X.
// When the best path is 18 characters but fails the checksum, tries the most probable readings
// that differ in one or two positions, only among characters the model itself found plausible,
// and keeps the first that passes. Never changes the length, never invents a digit.
IdReading decode_id_number(const std::vector<ocr::IdStep>& steps);

}  // namespace idcard
