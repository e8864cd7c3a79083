#pragma once
// A picture whose light spans a narrow band of levels (a card shot in the dark, a dim room, a
// grey veil of haze) stretched to the full range before text is looked for: the detector's
// threshold is absolute, and at 30 levels from dark to light it boxes next to nothing.
#include <opencv2/core.hpp>

namespace idcard {

// The picture with its 0.5th..99.5th percentile of luminance mapped linearly onto 0..255 (one
// gain and offset for all channels: colours keep their hue) when that span is under
// `min_span` levels; otherwise the picture itself (shared, not copied).
cv::Mat stretch_contrast(const cv::Mat& bgr, int min_span = 96);

}  // namespace idcard
