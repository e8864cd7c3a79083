#pragma once
// Image measures of one card, taken on the card rectified upright (its quad's homography): how
// sharp, bright, glared, coloured and moiré-striped it is, how large it is in the picture and
// whether its corners lie inside it; and the warnings they raise. Pure image arithmetic, no models.
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "idcard/card_result.h"

namespace idcard {

struct CardMeasures {
  float long_side_px = 0;  // the card's long edge in the picture as sent
  float sharpness = 0;     // variance of the Laplacian over the variance of the grey card
  float mean_luma = 0;     // 0..255
  float glare_share = 0;   // the largest solid white blob (no print in it), share of the measured area
  float chroma = 0;        // 95th percentile of max-min over B, G, R on the lit card: 0 is grey
  float moire = 0;         // strongest periodic peak of the chroma spectrum over its median
  float skin_share = 0;    // skin-toned pixels over the text area (fingers), share of it
  float outside = 0;       // how far the farthest corner lies outside the picture, share of the long side
  float border_gap = 1;    // how near the nearest corner comes to the picture's border (or past it), share
  float aspect_error = 0;  // |(left+right)/(top+bottom) / (54/85.6) - 1|: a card cut short reads off
};

// The card warped upright to `width` pixels (height from the card's 85.6:54), corners from `quad`;
// only `window` of it (in those pixels) when one is given.
cv::Mat rectify_card(const cv::Mat& bgr, const Quad& quad, int width, const cv::Rect& window = {});

// The card's measures. `quad` in `bgr`'s pixels; `scale` takes those pixels to the picture as
// sent (a large JPEG is decoded reduced); `front`: the portrait area is left out of the skin and
// glare measures (a face is skin-toned, its background light).
CardMeasures measure_card(const cv::Mat& bgr, const Quad& quad, float scale, bool front);

// The image warnings' codes the measures raise (border_incomplete, occluded, glare, blurred,
// too_small, too_dark, overexposed, copy, reshoot), and the quality score they leave.
std::vector<std::string> image_warnings(const CardMeasures& m);
int quality_score(const CardMeasures& m, const std::vector<std::string>& codes);

}  // namespace idcard
