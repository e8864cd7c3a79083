#pragma once
// Stage 2 for a front: the card rectified from its placement, its lines read there, its fields
// assigned by the template, the rows a stamp hid read from their bands.
#include <optional>

#include "idcard/card_result.h"
#include "idcard/id_number.h"
#include "idcard/line_reader.h"
#include "idcard/reading_helpers.h"
#include "idcard/rectify.h"

namespace idcard {

// A card placed from its label or birth row is a guess (layouts vary by printer): a larger area
// (this factor about its centre) is read, so that the whole number is in it; the number then
// places the card exactly.
constexpr float kRoughCardScale = 1.25f;

// How the card handed to a front read was placed.
enum class FrontPlacement {
  kFromNumber,  // from its number line read whole (GA 450 places the rest from it)
  kRough,       // from its label or birth row (the number not read whole): a guess
  kNumberless,  // a card whose number does not read whole, answered without it when its rows do
  kFromRows,    // from its number, its height measured by its rows' labels on a first read
};

// What a front read found: its fields (none when the card's rows do not read as a front's), the
// number as read, how many of the front's labels read, and whether the card was placed by its
// outline (exact) rather than from its text alone.
struct FrontRead {
  std::optional<FrontFields> fields;
  IdReading id;
  int labels = 0;
  int form_labels = 0;  // lines that are a form's rows (is_form_row), not a card's
  bool outlined = false;
  bool rows_in_place = false;  // name, gender and birth rows where the template prints them
};

// Stage 2 for a front: warp the card (placed from its number, and exactly by its outline where
// the edges show) upright to a canonical size, detect again at a resolution where 6-pt labels are
// clear, read every line there. A rough placement is read in a larger area; once the number is
// found there, the card is placed again from it and read once more; when it is not, the card is
// read in place once more as kNumberless: a front whose labels, gender and birth row read, with
// digits in its number's band, is answered without a number (id empty). A card placed from its
// number alone whose rows read off their places has its height measured by their labels (a card
// tilted about its long axis is foreshortened across it) and is read once more placed so; the read
// with more of the front's rows stands.
FrontRead read_front(const LineReader& reader, const SourceImage& img, const Quad& card,
                     FrontPlacement placement);

// A back the first pass could not read (blur, glare, a small card): warped upright from its
// outline near `card` (placed from its title; where no outline shows, an area about it grown by
// kRoughCardScale), detected again and every line read with the full recognizer (a back has few).
}  // namespace idcard
