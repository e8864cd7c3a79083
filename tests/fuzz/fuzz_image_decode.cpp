// The image-decoding path the service feeds untrusted uploads into: magic bytes, header
// dimension caps, decoding, EXIF orientation. Must reject or decode, never crash. HEIF goes to
// the confined decoder program, as in the service (a crash there is its own process's).
#include <cstdint>
#include <string_view>

#include "image/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  idcard::EngineSettings limits;
  limits.max_decoded_pixels = 4'000'000;  // keep single runs fast; the cap logic is what matters
  limits.heif_decoder = IDCARD_HEIF_DECODER;
  const auto img = idcard::decode_image(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (img.ok() && (img.bgr.empty() || img.bgr.channels() != 3)) __builtin_trap();
  return 0;
}
