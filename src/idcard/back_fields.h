#pragma once
// Stage "assign fields", back: the 有效期限 period and the 签发机关 bureau among a back's lines.
// Pure functions over TextLine (no models), unit-tested.
#include <optional>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/text_lines.h"

namespace idcard {

// Back fields: the 有效期限 line (a period of two dates or date-长期) and the 签发机关 line above it.
std::optional<BackFields> assign_back(const std::vector<TextLine>& lines);

// A back whose period does not read (glare, blur, a stamp): its authority alone, where the title
// 居民身份证 places 签发机关's row, when that row's label reads and its value names a bureau
// (…公安局, …分局). The period is left empty; the caller checks nothing else is a card's.
// `titles_in_place`: both titles read where a card prints them, so the row is the bureau's even
// when its label was misread past recognising (B案机务).
std::optional<BackFields> assign_back_without_period(const std::vector<TextLine>& lines,
                                                     bool titles_in_place = false);

}  // namespace idcard
