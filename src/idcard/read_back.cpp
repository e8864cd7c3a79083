#include "idcard/read_back.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "idcard/back_fields.h"
#include "idcard/card_checks.h"
#include "idcard/card_outline.h"
#include "idcard/field_text.h"
#include "idcard/read_front.h"
#include "idcard/read_lines.h"

namespace idcard {

BackRead read_back(const LineReader& reader, const SourceImage& img, const Quad& card) {
  // Its outline where the edges show; else the area about the title's guess, grown (a guess).
  const std::optional<Quad> outline = fit_card_outline(img.bgr, card);
  const RectifiedCard rc(img, outline ? *outline : scaled(card, kRoughCardScale));
  std::vector<TextLine> lines = card_lines(reader, rc, /*rows_from=*/0.6f);
  if (outline) keep_lines_on_card(lines);
  std::vector<size_t> all;
  for (size_t i = 0; i < lines.size(); ++i)
    if (std::fabs(angle_diff(lines[i].angle_deg, 0.f)) < 30.f) all.push_back(i);
  reader.read(lines, all, Dictionary::kFull);
  std::vector<TextLine> upright;
  for (size_t i : all) upright.push_back(lines[i]);
  trace_lines(upright, 0);
  auto back = assign_back(upright);
  // A second look at a hard image: its period must be a card's (same day 5/10/20 years on, or 长期);
  // a period that does not read as one is not answered, the title and the bureau's row still are.
  if (!back || !back->authority.found() || !valid_span_ok(back->valid_date.text)) {
    std::optional<BackFields> by_title = assign_back_without_period(upright);
    // Its bureau's row covered (a finger, a reflection) or cut off: a card's period (5/10/20 years
    // or 长期) under the card's title stands alone, as the bureau does without the period.
    const bool titled = std::any_of(upright.begin(), upright.end(), [](const TextLine& l) {
      return remove_spaces(l.text).find("居民身份证") != std::string::npos;
    });
    if (!by_title && back && valid_span_ok(back->valid_date.text) && titled) by_title = std::move(back);
    back = std::move(by_title);
    if (!back) return {};
  }
  if (back->authority.found()) rc.to_image(back->authority.quad);
  if (back->valid_date.found()) rc.to_image(back->valid_date.quad);
  back->card_quad = outline ? *outline : card;
  return {std::move(back), outline.has_value()};
}

}  // namespace idcard
