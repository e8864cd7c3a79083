#include "image/decode.h"

#include <algorithm>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "image/image_header.h"

namespace idcard {
namespace {

cv::Mat flatten_alpha(const cv::Mat& bgra) {
  cv::Mat out(bgra.size(), CV_8UC3);
  for (int y = 0; y < bgra.rows; ++y) {
    const auto* s = bgra.ptr<cv::Vec4b>(y);
    auto* d = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgra.cols; ++x) {
      const int a = s[x][3];
      for (int c = 0; c < 3; ++c) d[x][c] = static_cast<uchar>((s[x][c] * a + 255 * (255 - a) + 127) / 255);
    }
  }
  return out;
}

// Decoders fill a truncated file's missing rows with grey and call it a success; a file cut
// short is invalid image data, so look for the format's end marker near the end.
bool looks_complete(std::string_view bytes, ImageFormat format) {
  const std::string_view tail = bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0);
  switch (format) {
    case ImageFormat::kJpeg:
      return tail.find("\xFF\xD9") != std::string_view::npos;
    case ImageFormat::kPng:
      return tail.find("IEND") != std::string_view::npos;
    default:
      return true;  // BMP/WebP decoders reject short data themselves
  }
}

}  // namespace

DecodedImage decode_image(std::string_view bytes, const EngineSettings& limits) {
  DecodedImage out;
  if (bytes.size() > limits.max_image_bytes) {
    out.error = DecodeError::kTooLarge;
    return out;
  }
  const auto header = read_image_header(bytes);
  if (!header) {
    out.error = DecodeError::kUnsupported;
    return out;
  }
  if (static_cast<double>(header->width) * header->height > static_cast<double>(limits.max_decoded_pixels)) {
    out.error = DecodeError::kTooLarge;
    return out;
  }
  if (!looks_complete(bytes, header->format)) {
    out.error = DecodeError::kCorrupt;
    return out;
  }
  const cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat img;
  int reduction = 1;  // decoded at 1/reduction of the image's size
  try {
    // IMREAD_UNCHANGED keeps alpha but skips EXIF rotation; only PNG/WebP carry alpha we care about.
    const bool may_have_alpha = header->format == ImageFormat::kPng || header->format == ImageFormat::kWebp;
    int flags = may_have_alpha ? cv::IMREAD_UNCHANGED : cv::IMREAD_COLOR;
    if (header->format == ImageFormat::kJpeg) {  // libjpeg scales while decoding (DCT scaling)
      const int long_side = std::max(header->width, header->height);
      for (const auto& [factor, reduced] : {std::pair{8, cv::IMREAD_REDUCED_COLOR_8},
                                            {4, cv::IMREAD_REDUCED_COLOR_4},
                                            {2, cv::IMREAD_REDUCED_COLOR_2}})
        if (long_side >= factor * kDecodedLongSide) {
          flags = reduced;
          reduction = factor;
          break;
        }
    }
    img = cv::imdecode(buf, flags);
  } catch (const cv::Exception&) {
    img.release();
  }
  if (img.empty()) {
    out.error = DecodeError::kCorrupt;
    return out;
  }
  if (img.depth() != CV_8U) img.convertTo(img, CV_8U, img.depth() == CV_16U ? 1.0 / 257 : 1.0);
  if (img.channels() == 4)
    img = flatten_alpha(img);
  else if (img.channels() == 1)
    cv::cvtColor(img, img, cv::COLOR_GRAY2BGR);
  out.bgr = img;
  // EXIF orientation may have turned the image a quarter: the header's sides swap with it. The
  // reduced sides are rounded up, so of the two ways round the nearer one is the image's.
  const auto off = [&](int w, int h) {
    return std::abs(img.cols * reduction - w) + std::abs(img.rows * reduction - h);
  };
  const bool turned = off(header->height, header->width) < off(header->width, header->height);
  out.width = turned ? header->height : header->width;
  out.height = turned ? header->width : header->height;
  return out;
}

}  // namespace idcard
