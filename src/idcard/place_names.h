#pragma once
// Place names in the address and the issuing authority snapped onto the GB/T 2260 divisions
// (province, city, county), where the recognizer misread a character but itself considered the
// printed one. Most address and authority errors are one wrong character in a place name.
#include <string>
#include <string_view>
#include <vector>

#include "ocr/text_recognizer.h"

namespace idcard {

using CharAlternatives = std::vector<ocr::CharChoice>;

// The embedded data/divisions.csv (code,province,city,county) and data/streets.csv.gz
// (county_code,town).
std::string_view divisions_csv();
std::string_view streets_csv_gz();

// Builds the lexicon now (a few ms) rather than in the first read.
void load_place_names();

// A field as read: its characters and, per character, what else the recognizer considered
// (empty for characters it was sure of).
struct ReadText {
  std::vector<std::string> chars;
  std::vector<CharAlternatives> alts;  // as long as chars
};

// `text` is the field as assembled from `read` (the same characters, some possibly dropped, such
// as a stamp's phrase). An address is walked province, city, county, town from its start; a character is
// replaced only by one of its alternatives, and only where exactly one division name fits best.
// `region_code` (the number's first six digits, on a front) settles ties, and its own division's
// names (four characters or more) may replace one character the reader did not consider.
std::string snap_address(std::string_view text, const ReadText& read, std::string_view region_code = {});

// The authority: [province|city][county]公安局, or <city>公安局<district>分局; one ending 公安 (its
// 局 hidden) gets its 局 back.
std::string snap_authority(std::string_view text, const ReadText& read);

// Whether an authority as read names a bureau of a known division exactly ([province|city][county]
// 公安局, or <city>公安局<district>分局), with no character to correct: a sure fast reading of it
// stands without a second read.
bool is_known_authority(std::string_view text);

}  // namespace idcard
