#include "image/image_header.h"

#include <cstring>

namespace idcard {
namespace {

std::uint32_t be16(const unsigned char* p) { return (std::uint32_t{p[0]} << 8) | p[1]; }
std::uint32_t be32(const unsigned char* p) { return (be16(p) << 16) | be16(p + 2); }
std::uint32_t le16(const unsigned char* p) { return (std::uint32_t{p[1]} << 8) | p[0]; }
std::uint32_t le24(const unsigned char* p) { return (std::uint32_t{p[2]} << 16) | le16(p); }
std::uint32_t le32(const unsigned char* p) { return (le16(p + 2) << 16) | le16(p); }

std::optional<ImageHeader> png_header(const unsigned char* p, std::size_t n) {
  // signature(8) + IHDR length(4) + "IHDR"(4) + width(4) + height(4)
  if (n < 24 || std::memcmp(p + 12, "IHDR", 4) != 0) return std::nullopt;
  return ImageHeader{ImageFormat::kPng, be32(p + 16), be32(p + 20)};
}

std::optional<ImageHeader> jpeg_header(const unsigned char* p, std::size_t n) {
  std::size_t i = 2;
  while (i + 4 <= n) {
    if (p[i] != 0xFF) return std::nullopt;
    const unsigned char marker = p[i + 1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      i += 2;
      continue;
    }
    const std::uint32_t len = be16(p + i + 2);
    if (len < 2) return std::nullopt;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (i + 9 > n) return std::nullopt;
      return ImageHeader{ImageFormat::kJpeg, be16(p + i + 7), be16(p + i + 5)};
    }
    if (marker == 0xDA || marker == 0xD9) return std::nullopt;  // scan before any frame header
    i += 2 + len;
  }
  return std::nullopt;
}

std::optional<ImageHeader> bmp_header(const unsigned char* p, std::size_t n) {
  if (n < 26) return std::nullopt;
  const std::uint32_t dib = le32(p + 14);
  if (dib == 12) return ImageHeader{ImageFormat::kBmp, le16(p + 18), le16(p + 20)};
  const auto w = static_cast<std::int32_t>(le32(p + 18));
  const auto h = static_cast<std::int32_t>(le32(p + 22));
  if (w <= 0 || h == 0 || h == INT32_MIN) return std::nullopt;
  return ImageHeader{ImageFormat::kBmp, static_cast<std::uint32_t>(w),
                     static_cast<std::uint32_t>(h < 0 ? -h : h)};
}

std::optional<ImageHeader> webp_header(const unsigned char* p, std::size_t n) {
  if (n < 30) return std::nullopt;
  const unsigned char* c = p + 12;  // first chunk
  if (std::memcmp(c, "VP8 ", 4) == 0) {
    // frame tag(3) + start code(3) + 14-bit width/height
    if (c[11] != 0x9D || c[12] != 0x01 || c[13] != 0x2A) return std::nullopt;
    return ImageHeader{ImageFormat::kWebp, le16(c + 14) & 0x3FFF, le16(c + 16) & 0x3FFF};
  }
  if (std::memcmp(c, "VP8L", 4) == 0) {
    if (c[8] != 0x2F) return std::nullopt;
    const std::uint32_t bits = le32(c + 9);
    return ImageHeader{ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
  }
  if (std::memcmp(c, "VP8X", 4) == 0) {
    return ImageHeader{ImageFormat::kWebp, le24(c + 12) + 1, le24(c + 15) + 1};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ImageHeader> read_image_header(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::optional<ImageHeader> h;
  if (n >= 8 && std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) h = png_header(p, n);
  else if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) h = jpeg_header(p, n);
  else if (n >= 2 && p[0] == 'B' && p[1] == 'M') h = bmp_header(p, n);
  else if (n >= 16 && std::memcmp(p, "RIFF", 4) == 0 && std::memcmp(p + 8, "WEBP", 4) == 0) h = webp_header(p, n);
  if (h && (h->width == 0 || h->height == 0)) return std::nullopt;
  return h;
}

}  // namespace idcard
