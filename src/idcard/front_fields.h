#pragma once
// Stage "assign fields", front: which of a front's lines is which field (by its label, else its
// row in the template's order), the number read with its grammar, the address joined in reading
// order. Pure functions over TextLine (no models), unit-tested.
#include <optional>
#include <string>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/id_number.h"
#include "idcard/text_lines.h"

namespace idcard {

struct IdLineSpan {
  size_t line = 0;
  float from = 0, to = 1;  // the number's part of the line (a merged label is cut off)
};

// The line printing 公民身份号码's number: the longest run of 0-9/X of 15+ characters.
// With `expected` (a point in the frame where the number should be, as in a rectified card), the
// candidate nearest to it wins over a longer run elsewhere (numbers printed beside the card).
std::optional<IdLineSpan> find_id_line(const std::vector<TextLine>& lines,
                                       std::optional<cv::Point2f> expected = std::nullopt);

// Every line printing a number (a run of 17+ of 0-9/X), the longest runs first (equals in the
// lines' order; find_id_line's choice comes first): a group of lines at one angle may hold a
// card's number and a form's beside it.
std::vector<IdLineSpan> find_id_lines(const std::vector<TextLine>& lines);

// The span cut down to its number's characters, half a pitch beyond the first and last: for a
// line read from a band wider than its text (the detector's boxes end where the text ends).
IdLineSpan tight_number_span(const TextLine& line, IdLineSpan span);

// Front fields around the ID line: rows above it inside the card's extent, identified by their
// labels (姓名, 性别, 民族, 出生, 住址) or, where a label was not read, by their order.
FrontFields assign_front(const std::vector<TextLine>& lines, const IdLineSpan& id_span, const IdReading& id);

// A name row's reading that is a copy stamp's pieces, after a label character or not (名复禁):
// the name lies under the stamp.
bool is_name_under_stamp(const std::string& text);

// How many of the front's six labels (姓名 性别 民族 出生 住址 公民身份号码) the lines carry: card
// evidence when a stamp hides values.
int count_front_labels(const std::vector<TextLine>& lines);

// How many of the lines are a form's rows (is_form_row: 姓名：…, 身份证号码…): a register or a sheet
// beside the card, not the card.
int count_form_labels(const std::vector<TextLine>& lines);

// A front's rows without its number: three of its labels, the gender row (a gender value or the
// 民族 label) and a birth row read.
bool has_front_signature(const std::vector<TextLine>& lines);

}  // namespace idcard
