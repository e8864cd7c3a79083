#pragma once
// Identifies an image by its magic bytes and reads its dimensions from the header alone, so
// oversized images (decompression bombs) are refused before any pixel is decoded. HEIF is only
// recognised here (its boxes are parsed by the confined decoder alone, image/heif_sandbox.h),
// so its sides read 0 and the decoder checks the pixel cap itself.
#include <cstdint>
#include <optional>
#include <string_view>

namespace idcard {

enum class ImageFormat { kJpeg, kPng, kBmp, kWebp, kHeif };

struct ImageHeader {
  ImageFormat format;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

// nullopt: not one of the supported formats, or a header too damaged to give dimensions.
// HEIF (an ISO-BMFF "ftyp" box with a HEIF brand): width and height 0, unknown until decoded.
std::optional<ImageHeader> read_image_header(std::string_view bytes);

// The EXIF orientation (1-8; 1 = as stored) of a PNG (eXIf chunk) or WebP (EXIF chunk). OpenCV
// applies JPEG's itself but not these when decoding with alpha; 1 when absent or unreadable.
int png_webp_exif_orientation(std::string_view bytes, ImageFormat format);

}  // namespace idcard
