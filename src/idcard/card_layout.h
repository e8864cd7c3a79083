#pragma once
// Assigns recognised lines to the card's fields by the card's layout: label anchors and positions
// in the upright text frame. Pure functions over TextLine (no models), so they are unit-tested.
#include <optional>
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

// The span cut down to its number's characters, half a pitch beyond the first and last: for a
// line read from a band wider than its text (the detector's boxes end where the text ends).
IdLineSpan tight_number_span(const TextLine& line, IdLineSpan span);

// Front fields around the ID line: rows above it inside the card's extent, identified by their
// labels (姓名, 性别, 民族, 出生, 住址) or, where a label was not read, by their order.
FrontFields assign_front(const std::vector<TextLine>& lines, const IdLineSpan& id_span, const IdReading& id);

// Back fields: the 有效期限 line (a period of two dates or date-长期) and the 签发机关 line above it.
std::optional<BackFields> assign_back(const std::vector<TextLine>& lines);

// A back whose period does not read (glare, blur, a stamp): its authority alone, where the title
// 居民身份证 places 签发机关's row, when that row's label reads and its value names a bureau
// (…公安局, …分局). The period is left empty; the caller checks nothing else is a card's.
std::optional<BackFields> assign_back_without_period(const std::vector<TextLine>& lines);

// A name row's reading that is a copy stamp's pieces, after a label character or not (名复禁):
// the name lies under the stamp.
bool is_name_under_stamp(const std::string& text);

// The front card's corners estimated from its number line's quad (GA 450 layout).
Quad front_card_from_number(const Quad& number);

// The back card's corners, roughly, from its title (中华人民共和国, else 居民身份证) read whole.
std::optional<Quad> back_card_from_title(const std::vector<TextLine>& lines);

// Where the whole 18-character number lies, from a run of 12+ of its digits in a line (a card
// placed too small cut the rest off): their pitch and start. Nullopt without such a run.
std::optional<Quad> number_quad_from_digits(const TextLine& line);

// The front card's corners, roughly, when its number was not read whole (a stamp across it): from
// the 公民身份号码 label or a birth date read in one box. Nullopt when neither was read.
std::optional<Quad> front_card_from_rows(const std::vector<TextLine>& lines);

// How many of the front's six labels (姓名 性别 民族 出生 住址 公民身份号码) the lines carry: card
// evidence when a stamp hides values.
int count_front_labels(const std::vector<TextLine>& lines);

// A front's rows without its number: three of its labels, the gender row (a gender value or the
// 民族 label) and a birth row read.
bool has_front_signature(const std::vector<TextLine>& lines);

}  // namespace idcard
