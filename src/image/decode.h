#pragma once
#include <opencv2/core.hpp>
#include <string_view>

#include "core/settings.h"

namespace idcard {

enum class DecodeError { kNone, kUnsupported, kTooLarge, kCorrupt };

struct DecodedImage {
  cv::Mat bgr;  // 8-bit, 3 channels, EXIF orientation applied
  DecodeError error = DecodeError::kNone;
  bool ok() const { return error == DecodeError::kNone; }
};

// Decodes JPEG, PNG, BMP or WebP. Checks magic bytes and header dimensions against the limits
// before decoding; flattens alpha onto white (transparent scans are common).
DecodedImage decode_image(std::string_view bytes, const EngineSettings& limits);

}  // namespace idcard
