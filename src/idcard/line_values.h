#pragma once
// What the field stages share about lines of text: a value after its label, with its span and
// confidence; rows of lines; what a label, a date or a stamp looks like; a card placed from one
// line of known place. Internal to src/idcard (front_fields, back_fields, card_placement).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/card_template.h"
#include "idcard/place_names.h"
#include "idcard/text_lines.h"

namespace idcard {

// The number line's and the period's places on the card (card_template.h).
constexpr float kIdLeft = card_template::kNumber.left, kIdWidth = card_template::kNumber.width,
                kIdCentreY = card_template::kNumber.centre_y;
constexpr float kPeriodLeft = card_template::kPeriod.left, kPeriodCentreY = card_template::kPeriod.centre_y;
constexpr float kCardAspect = card_template::kAspect;

// A character of the number's alphabet (0-9, X), and specks a fast read may put between digits
// (6103041969021.0.0928): they neither count nor break a run.
bool is_id_char(const std::string& ch);
bool is_run_filler(const std::string& ch);

float mean_of(const std::vector<float>& v, size_t from, size_t to);

// Characters of a line after an optional leading label, with the span they occupy.
struct Value {
  std::string text;
  float confidence = 0;
  float from = 0, to = 1;
  ReadText read;  // the characters with their alternatives (place-name snapping)
};
void append(ReadText& to, const ReadText& from);
Value value_after(const TextLine& line, size_t skip_chars);
Field make_field(const TextLine& line, const Value& v, std::string text);

// Joins quads of several lines into their bounding quad in frame order (address lines).
Quad union_quad(const std::vector<Quad>& quads);

// Lines at one height of the text frame, left to right; lines stacked one above another (their
// extents across overlapping) are never one row.
struct Row {
  std::vector<size_t> lines;  // left to right
  float cy = 0, height = 0;
};
std::vector<Row> group_rows(const std::vector<TextLine>& lines, const std::vector<size_t>& idx);

bool contains(const std::string& s, std::string_view part);
bool has_cjk(const std::string& s);
// A date row whose label was lost (年 and 月, or digits and a 日 after them).
bool looks_like_date(const std::string& text);
// A box holding only label characters.
bool is_label_only(const std::string& text);
// Stamps people put on copies of their card ("仅限XX使用", "复印无效"): never field text.
bool is_watermark(const std::string& text);

// The card's corners from one line of known place (fractions of the card: where it starts, its
// width, the height of its centre), using the line's own direction.
Quad card_from_line(const Quad& line, float left_frac, float width_frac, float centre_y_frac);

}  // namespace idcard
