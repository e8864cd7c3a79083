#include "ocr/rec_tuning.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace idcard::ocr {
namespace {

constexpr char kMagic[8] = {'I', 'D', 'R', 'E', 'C', 'T', '1', '\0'};
constexpr size_t kShaHex = 64;

// Reads little-endian values off the front of a byte string; throws when it runs out.
class Cursor {
 public:
  explicit Cursor(const std::string& bytes) : bytes_(bytes) {}
  const char* take(size_t n) {
    if (n > bytes_.size() - at_) throw std::runtime_error("recognizer tuning: file is truncated");
    const char* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  template <typename T>
  T value() {
    T v;
    std::memcpy(&v, take(sizeof(T)), sizeof(T));  // x86-64 and aarch64 are little-endian
    return v;
  }
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  size_t at_ = 0;
};

}  // namespace

void apply_rec_tuning(std::string& rec_bytes, const std::string& rec_sha256_hex, const std::string& tuning) {
  Cursor in(tuning);
  if (std::memcmp(in.take(sizeof kMagic), kMagic, sizeof kMagic) != 0)
    throw std::runtime_error("recognizer tuning: not a tuning file");
  if (std::string(in.take(kShaHex), kShaHex) != rec_sha256_hex)
    throw std::runtime_error("recognizer tuning: made for another recognizer model");
  const uint64_t hidden = in.value<uint32_t>(), classes = in.value<uint32_t>();
  const uint64_t w_offset = in.value<uint64_t>(), b_offset = in.value<uint64_t>();
  const uint32_t k = in.value<uint32_t>();
  const uint64_t w_bytes = hidden * classes * 4, b_bytes = classes * 4;
  if (hidden == 0 || classes == 0 || k > classes || w_offset > rec_bytes.size() ||
      w_bytes > rec_bytes.size() - w_offset || b_offset > rec_bytes.size() ||
      b_bytes > rec_bytes.size() - b_offset)
    throw std::runtime_error("recognizer tuning: its layer lies outside the model");
  std::vector<uint32_t> cls(k);
  for (uint32_t j = 0; j < k; ++j) {
    cls[j] = in.value<uint32_t>();
    if (cls[j] >= classes || (j > 0 && cls[j] <= cls[j - 1]))
      throw std::runtime_error("recognizer tuning: class indices out of order or range");
  }
  const char* w = in.take(size_t{k} * hidden * 4);
  const char* b = in.take(size_t{k} * 4);
  if (!in.at_end()) throw std::runtime_error("recognizer tuning: trailing bytes");
  char* model = rec_bytes.data();
  for (uint32_t j = 0; j < k; ++j) {
    for (uint64_t h = 0; h < hidden; ++h)
      std::memcpy(model + w_offset + 4 * (h * classes + cls[j]), w + 4 * (uint64_t{j} * hidden + h), 4);
    std::memcpy(model + b_offset + 4 * uint64_t{cls[j]}, b + 4 * uint64_t{j}, 4);
  }
}

}  // namespace idcard::ocr
