#pragma once
// Stage "read lines": the text lines of a rectified card, boxed (from stage 1's text map where it
// holds the card, else detected again) and, where stage 1 read them surely, read already.
#include <opencv2/core.hpp>
#include <vector>

#include "idcard/line_reader.h"
#include "idcard/rectify.h"
#include "idcard/text_lines.h"

namespace idcard {

// The card's lines, upright in its frame, unread, with their crops. In a map made at a lower
// resolution a stamp's strokes can join the rows it crosses into one box, much taller than a row
// of the card's text (or the number): such a map is not used. `rows_from`: where the card's rows
// of small text start (fraction of its height; the back's large title lies above).
std::vector<TextLine> card_lines(const LineReader& reader, const RectifiedCard& rc, float rows_from);

// Of the lines `which` (boxed in the card's frame), those stage 1 read surely (every character at
// kSureChar or more) in a box that lands on the same place take that reading, moved into the card's
// frame; the others are returned, to be read. A line boxed otherwise in stage 1 (label and value
// together, a stamp joined) or read unsure is read again on the card.
std::vector<size_t> take_sure_readings(std::vector<TextLine>& lines, const std::vector<size_t>& which,
                                       const RectifiedCard& rc, const std::vector<TextLine>& stage_one);

// Lines outside the card (in the warp's margin) removed: text beside a card is never its own.
void keep_lines_on_card(std::vector<TextLine>& lines);

}  // namespace idcard
