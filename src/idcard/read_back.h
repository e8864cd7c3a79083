#pragma once
// Stage 2 for a back the first pass could not read: the card rectified from its title's place,
// every line read with the full recognizer (a back has few), its fields assigned.
#include <optional>

#include "idcard/card_result.h"
#include "idcard/line_reader.h"
#include "idcard/reading_helpers.h"
#include "idcard/rectify.h"

namespace idcard {

// A back the first pass could not read (blur, glare, a small card): warped upright from its
// outline near `card` (placed from its title; where no outline shows, an area about it grown by
// kRoughCardScale), detected again and every line read with the full recognizer (a back has few).
// Neither value legible but the title in place on its outline: a back with both values empty.
struct BackRead {
  std::optional<BackFields> fields;
  bool outlined = false;  // placed by its outline (exact), not only from its title
};
// `printed_at`: where the card prints the line it was placed from (its outline keeps them there).
BackRead read_back(const LineReader& reader, const SourceImage& img, const Quad& card,
                   const std::vector<Point>& printed_at = {});

}  // namespace idcard
