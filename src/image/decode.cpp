#include "image/decode.h"

#include <algorithm>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "image/heif_sandbox.h"
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

// A JPEG is complete when its segments, walked from the start, reach the end marker (EOI).
// Phones append data after it (Samsung trailers, Motion Photo videos, MPF's further pictures),
// so the end marker is not necessarily near the end of the file.
bool jpeg_reaches_end(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 2;  // after SOI
  while (i + 1 < n) {
    if (p[i] != 0xFF) {  // stray bytes between segments: libjpeg skips them too
      ++i;
      continue;
    }
    const unsigned char marker = p[i + 1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD9) return true;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // standalone markers
      i += 2;
      continue;
    }
    if (i + 4 > n) return false;
    const std::size_t len = (std::size_t{p[i + 2]} << 8) | p[i + 3];
    if (len < 2) return false;
    i += 2 + len;
    if (marker != 0xDA) continue;
    // Entropy-coded data follows a scan header: it runs to the next marker other than a
    // stuffed zero (FF 00) or a restart marker.
    while (i + 1 < n && !(p[i] == 0xFF && p[i + 1] != 0x00 && (p[i + 1] < 0xD0 || p[i + 1] > 0xD7))) ++i;
  }
  return false;
}

// A PNG is complete when its chunks, walked from the signature, reach IEND.
bool png_reaches_end(std::string_view bytes) {
  std::size_t i = 8;  // after the signature
  while (i + 8 <= bytes.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + i);
    const std::size_t len =
        (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
    if (bytes.compare(i + 4, 4, "IEND") == 0) return true;
    if (len > bytes.size()) return false;
    i += 12 + len;  // length, type, data, CRC
  }
  return false;
}

// Decoders fill a truncated file's missing rows with grey and call it a success; a file cut
// short is invalid image data.
bool looks_complete(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return jpeg_reaches_end(bytes);
    case ImageFormat::kPng:
      return png_reaches_end(bytes);
    default:
      return true;  // BMP/WebP/HEIF decoders reject short data themselves
  }
}

// Turns the pixels as an EXIF orientation says (as OpenCV does for JPEG: cv::imread's table).
void apply_orientation(cv::Mat& img, int orientation) {
  switch (orientation) {
    case 2:
      cv::flip(img, img, 1);
      break;
    case 3:
      cv::flip(img, img, -1);
      break;
    case 4:
      cv::flip(img, img, 0);
      break;
    case 5:
      cv::transpose(img, img);
      break;
    case 6:
      cv::transpose(img, img);
      cv::flip(img, img, 1);
      break;
    case 7:
      cv::transpose(img, img);
      cv::flip(img, img, -1);
      break;
    case 8:
      cv::transpose(img, img);
      cv::flip(img, img, 0);
      break;
    default:
      break;
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
  const bool may_have_alpha = header->format == ImageFormat::kPng || header->format == ImageFormat::kWebp;
  if (header->format == ImageFormat::kHeif && limits.heif_decoder.empty()) {
    out.error = DecodeError::kUnsupported;  // no decoder program configured
    return out;
  }
  int reduction = 1;  // decoded at 1/reduction of the image's size
  try {
    // IMREAD_UNCHANGED keeps alpha but skips EXIF rotation (applied below); only PNG/WebP carry
    // alpha we care about.
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
    // OpenCV picks its decoder by signature, not by the format sniffed here: bytes that also carry
    // DICOM's (DICM at 128) would reach GDCM, whose asserts abort the process (found by libFuzzer).
    if (header->format == ImageFormat::kHeif)  // never parsed in this process
      img = decode_heif_sandboxed(bytes, limits.heif_decoder, limits.max_decoded_pixels);
    else if (!(bytes.size() >= 132 && bytes.substr(128, 4) == "DICM"))
      img = cv::imdecode(buf, flags);
  } catch (const cv::Exception&) {
    img.release();
  }
  if (img.empty()) {
    out.error = DecodeError::kCorrupt;
    return out;
  }
  if (may_have_alpha) apply_orientation(img, png_webp_exif_orientation(bytes, header->format));
  if (img.depth() != CV_8U) img.convertTo(img, CV_8U, img.depth() == CV_16U ? 1.0 / 257 : 1.0);
  if (img.channels() == 4)
    img = flatten_alpha(img);
  else if (img.channels() == 1)
    cv::cvtColor(img, img, cv::COLOR_GRAY2BGR);
  out.bgr = img;
  if (header->format == ImageFormat::kHeif) {  // its size is known only now (orientation applied)
    out.width = img.cols;
    out.height = img.rows;
    return out;
  }
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
