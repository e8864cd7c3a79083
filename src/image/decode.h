#pragma once
#include <opencv2/core.hpp>
#include <string_view>

#include "core/settings.h"

namespace idcard {

enum class DecodeError { kNone, kUnsupported, kTooLarge, kCorrupt };

struct DecodedImage {
  cv::Mat bgr;  // 8-bit, 3 channels, EXIF orientation applied
  // The image's own size (EXIF orientation applied): larger than bgr's when a big JPEG was
  // decoded at a reduced scale.
  int width = 0, height = 0;
  DecodeError error = DecodeError::kNone;
  bool ok() const { return error == DecodeError::kNone; }
};

// A JPEG this many pixels on its long side or more is decoded at 1/2, 1/4 or 1/8 scale, as long
// as the long side stays at least this long: a card filling half the frame's width is then still
// wider than the rectified card (800 px), and a 12-megapixel phone photo decodes in a third of
// the time, its crops and warps a quarter the size.
constexpr int kDecodedLongSide = 1600;

// Decodes JPEG, PNG, BMP or WebP. Checks magic bytes and header dimensions against the limits
// before decoding; flattens alpha onto white (transparent scans are common).
DecodedImage decode_image(std::string_view bytes, const EngineSettings& limits);

}  // namespace idcard
