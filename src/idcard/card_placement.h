#pragma once
// Stage "locate", from text: where a card lies, placed by the template from a line read on it (its
// number, its title, its label or birth row). The outline (card_outline.h) then places it exactly.
#include <optional>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/text_lines.h"

namespace idcard {

// The front card's corners estimated from its number line's quad (GA 450 layout).
Quad front_card_from_number(const Quad& number);

// Where the whole 18-character number lies, from a run of 12+ of its digits in a line (a card
// placed too small cut the rest off): their pitch and start. Nullopt without such a run.
std::optional<Quad> number_quad_from_digits(const TextLine& line);

// The front card's corners, roughly, when its number was not read whole (a stamp across it): from
// the 公民身份号码 label or a birth date read in one box. Nullopt when neither was read.
std::optional<Quad> front_card_from_rows(const std::vector<TextLine>& lines);

// A front placed from its number alone, read in the canonical warp (card_template.h): how far its
// rows lie from the number over how far the template prints them, measured by the labels of the
// name, gender and birth rows read left of the values (a card tilted about its long axis is
// foreshortened across it). Nullopt unless two labels agree within a third of a row's pitch, and
// when the scale is within a tenth of 1 (printers place the number at 0.81-0.85 of the height) or
// further than 0.4 from it (a form's rows, packed above its number).
std::optional<float> front_height_scale(const std::vector<TextLine>& warp_lines, const TextLine& number);

// A back placed from one of its title's lines: its corners, roughly, and the ends of that line
// where the card prints them (the anchors its outline must keep in place).
struct BackByTitle {
  Quad card;
  std::vector<Point> printed_at;
};
// The back card from its title (中华人民共和国, else 居民身份证) read whole.
std::optional<BackByTitle> back_card_from_title(const std::vector<TextLine>& lines);

}  // namespace idcard
