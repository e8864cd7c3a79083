#pragma once
// The card's outline: its four straight edges found in the image near an estimate of the card
// (placed from its text), intersected into corners. The text gives where the card is; the outline
// gives exactly where, perspective included, so the card can be rectified by a homography.
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "idcard/card_result.h"

namespace idcard {

// The card's corners (reading order of the upright card, image pixels, sub-pixel) when all four
// edges are found near `estimate`'s edges: each a straight run of contrast along most of the
// edge's length, roughly parallel to it, within a band of a fifth of the card's height (keystone
// and a text-based estimate's error fit in it). A card's edge is a step (a ramp of light counts
// for less) that ends at its corners (a sheet's edge or a rule running on past them costs). Where
// an edge has several such lines (a row of text, a table's rule, a shadow), the choice that keeps
// `anchors` where the template prints them wins: points on the card (fractions of its width and height)
// through which the estimate was placed from the text read there (the number line's ends, a title's).
// `slack_y`: how far up or down together (fraction of the card's height) the anchors may lie from the
// template's places at no cost, where printed cards differ (the number's row); never at a slant.
// `max_drift`: an outline that puts any anchor further than this beyond the slack off its row is
// not the card, where the row's place is known that well (the number's: an edge taken at its foot
// or a table's rule at a slant puts it 0.07 or more off).
// Failing that, a closed outline about the estimate gives new bands; failing that too (a strong
// keystone on a textured ground), bands half as wide again, the anchors within 3 % of the card's
// width of the template's places or no card. Every outline must have a card's proportions for its
// keystone (a number's foot taken for the bottom edge of a card seen square on leaves it a fifth
// too flat). In that last try one edge that shows no line (white on white, under a sheet or glare)
// may be placed from the other three, where they are clear steps on a card at least 560 px wide:
// the line about the estimate's that the anchors choose. Nullopt when an edge is not found
// otherwise (two edges unseen, a card cut by the frame); the caller keeps its estimate then.
std::optional<Quad> fit_card_outline(const cv::Mat& bgr, const Quad& estimate,
                                     const std::vector<Point>& anchors = {}, float slack_y = 0.f,
                                     float max_drift = 1.f);

// Card-shaped regions of a picture found from their outline alone, largest first: closed contours
// of a card's proportions (a long side 1.25-2.1 times the short, keystone included) filling their
// rotated rectangle, from a hundredth of the picture up. Where to look again when no card's text
// showed at the detector's scale (a small card in a large, dim or blurred photo). Bounding boxes in
// the picture's pixels, grown by a tenth; `standing` when the card's long side is nearer the
// vertical (its text then runs up or down the picture, which the detector boxes poorly).
struct CardRegion {
  cv::Rect bounds;
  bool standing = false;
};
std::vector<CardRegion> card_shaped_regions(const cv::Mat& bgr);

}  // namespace idcard
