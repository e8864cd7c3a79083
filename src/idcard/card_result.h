#pragma once
// What the engine answers for one image: typed, independent of any wire format.
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace idcard {

struct Point {
  float x = 0, y = 0;
};
// Corners in reading order of the upright card: left-top, right-top, right-bottom, left-bottom,
// in input-image pixels (after EXIF orientation).
using Quad = std::array<Point, 4>;

struct Field {
  std::string text;
  float confidence = 0.f;  // 0..1
  Quad quad{};
  // Not legible where the card prints it, taken from the number by the rules every number follows
  // (birth date: digits 7-14; gender: digit 17). Its position is the number's.
  bool from_id = false;
  bool found() const { return !text.empty(); }
};

// What is wrong with one card's picture or its values (quality and risk), asked for by the
// caller (ReadOptions); a code from a fixed set and a short zh-CN message for an end user.
struct Warning {
  std::string code, message;
};

// A card's report, made only when asked: warnings and a 0-100 quality score (warnings asked), the
// rectified card and its portrait as JPEG bytes (crops asked; empty when not).
struct CardReport {
  bool assessed = false;  // warnings and quality were computed
  std::vector<Warning> warnings;
  int quality = 100;
  std::string card_jpeg, portrait_jpeg;
};

struct FrontFields {
  Field name, gender, nationality, birth /* YYYYMMDD */, addr, id;
  Quad card_quad{};
  CardReport report;
  // Every field, for what applies to all of them alike (their positions moved to another frame).
  std::array<Field*, 6> fields() { return {&name, &gender, &nationality, &birth, &addr, &id}; }
};

struct BackFields {
  Field authority, valid_date /* 20150619-20350619 or 20100301-长期 */;
  Quad card_quad{};
  CardReport report;
  // Titled 临时居民身份证: a temporary card, valid three months (临时居民身份证管理办法, art. 5).
  bool temporary = false;
  // Seen by its title and outline only, neither value legible (a finger over both rows).
  bool values_hidden() const { return !authority.found() && !valid_date.found(); }
};

// Validation flags; each is true only when the check could be made and passed.
struct Checks {
  bool id_format_ok = false;       // 17 digits + digit/X
  bool id_checksum_ok = false;     // ISO 7064 MOD 11-2
  bool id_corrected = false;       // the top reading failed the checksum; a next-best reading passed
  bool birth_matches_id = false;   // digits 7-14 equal the printed birth date
  bool gender_matches_id = false;  // digit 17 odd = 男, even = 女
  bool valid_span_ok = false;      // back: 5/10/20 years, or 长期; a temporary card 3 months
};

struct CardResult {
  std::optional<FrontFields> front;
  std::optional<BackFields> back;
  Checks checks;
  int image_width = 0, image_height = 0;
  // The picture's further cards (another person's front or back), each its own read with its own
  // checks; looked for only when the caller lists cards or asks for a report (ReadOptions).
  std::vector<CardResult> others;
  bool has_front() const { return front.has_value(); }
  bool has_back() const { return back.has_value(); }
};

// The three outcomes a caller must tell apart; they map onto WeChat's errcodes.
enum class ReadStatus {
  kOk = 0,
  kNotFound = 101001,      // decodable image, no card in it
  kInvalidImage = 101002,  // not a decodable image, too large, unsupported format
};

// Where a read's time went: inside the models (inference, tensor packing, box decoding) and in all.
struct ReadTimings {
  double model_ms = 0, total_ms = 0;
};

struct ReadOutcome {
  ReadStatus status = ReadStatus::kOk;
  CardResult card;
  std::string reason;  // short, safe for clients: never personal data or internals
  ReadTimings timings;
};

enum class ImageType { kPhoto, kScan };

// What a caller asks for beyond the fields (all off: the answer is the plain read's).
struct ReadOptions {
  bool warnings = false;       // each card's warnings and quality
  bool crop_card = false;      // each card rectified, as JPEG
  bool crop_portrait = false;  // a front's portrait, as JPEG
  std::string today;           // YYYYMMDD in Asia/Shanghai, for `expired`; empty: not checked
  bool list_cards = false;     // the answer lists every card ("cards") when there are several
  bool any() const { return warnings || crop_card || crop_portrait; }
};

}  // namespace idcard
