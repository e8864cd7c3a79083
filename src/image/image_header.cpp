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

// Tag 0x0112 of a TIFF block's first IFD.
int tiff_orientation(std::string_view tiff) {
  if (tiff.size() >= 6 && tiff.compare(0, 6, std::string_view("Exif\0\0", 6)) == 0) tiff.remove_prefix(6);
  const auto* p = reinterpret_cast<const unsigned char*>(tiff.data());
  const std::size_t n = tiff.size();
  if (n < 8) return 1;
  const bool big = p[0] == 'M' && p[1] == 'M';
  if (!big && !(p[0] == 'I' && p[1] == 'I')) return 1;
  const auto u16 = [&](std::size_t at) { return big ? be16(p + at) : le16(p + at); };
  const auto u32 = [&](std::size_t at) { return big ? be32(p + at) : le32(p + at); };
  if (u16(2) != 42) return 1;
  const std::size_t ifd = u32(4);
  if (ifd > n || n - ifd < 2) return 1;
  const std::size_t count = u16(ifd);
  for (std::size_t e = 0; e < count; ++e) {
    const std::size_t at = ifd + 2 + e * 12;
    if (at > n || n - at < 12) return 1;
    if (u16(at) == 0x0112 && u16(at + 2) == 3) {  // Orientation, SHORT
      const std::uint32_t v = u16(at + 8);
      return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
    }
  }
  return 1;
}

std::string_view png_exif(std::string_view bytes) {
  std::size_t i = 8;
  while (i + 8 <= bytes.size()) {
    const std::size_t len = be32(reinterpret_cast<const unsigned char*>(bytes.data() + i));
    const std::string_view type = bytes.substr(i + 4, 4);
    if (type == "IDAT" || type == "IEND" || len > bytes.size() - i - 8) break;  // eXIf precedes IDAT
    if (type == "eXIf") return bytes.substr(i + 8, len);
    i += 12 + len;
  }
  return {};
}

std::string_view webp_exif(std::string_view bytes) {
  std::size_t i = 12;  // after "RIFF" size "WEBP"
  while (i + 8 <= bytes.size()) {
    const std::size_t len = le32(reinterpret_cast<const unsigned char*>(bytes.data() + i + 4));
    if (len > bytes.size() - i - 8) break;
    if (bytes.compare(i, 4, "EXIF") == 0) return bytes.substr(i + 8, len);
    i += 8 + len + (len & 1);  // chunks are padded to an even size
  }
  return {};
}

}  // namespace

int png_webp_exif_orientation(std::string_view bytes, ImageFormat format) {
  if (format == ImageFormat::kPng) return tiff_orientation(png_exif(bytes));
  if (format == ImageFormat::kWebp) return tiff_orientation(webp_exif(bytes));
  return 1;
}

// ISO base media file whose "ftyp" box names a HEIF brand (major brand first, as phones write).
bool is_heif(const unsigned char* p, std::size_t n) {
  if (n < 12 || std::memcmp(p + 4, "ftyp", 4) != 0) return false;
  for (const char* brand : {"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"})
    if (std::memcmp(p + 8, brand, 4) == 0) return true;
  return false;
}

std::optional<ImageHeader> read_image_header(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::optional<ImageHeader> h;
  if (n >= 8 && std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
    h = png_header(p, n);
  else if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
    h = jpeg_header(p, n);
  else if (n >= 2 && p[0] == 'B' && p[1] == 'M')
    h = bmp_header(p, n);
  else if (n >= 16 && std::memcmp(p, "RIFF", 4) == 0 && std::memcmp(p + 8, "WEBP", 4) == 0)
    h = webp_header(p, n);
  else if (is_heif(p, n))
    return ImageHeader{ImageFormat::kHeif, 0, 0};
  if (h && (h->width == 0 || h->height == 0)) return std::nullopt;
  return h;
}

}  // namespace idcard
