#pragma once
// Identifies an image by its magic bytes and reads its dimensions from the header alone, so
// oversized images (decompression bombs) are refused before any pixel is decoded.
#include <cstdint>
#include <optional>
#include <string_view>

namespace idcard {

enum class ImageFormat { kJpeg, kPng, kBmp, kWebp };

struct ImageHeader {
  ImageFormat format;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

// nullopt: not one of the supported formats, or a header too damaged to give dimensions.
std::optional<ImageHeader> read_image_header(std::string_view bytes);

}  // namespace idcard
