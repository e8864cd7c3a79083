// apply_rec_tuning on a small stand-in for the model's bytes: the changed columns land where the
// base keeps its weights, and a tuning for another model or out of its bounds is refused.
#include "ocr/rec_tuning.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace idcard::ocr {
namespace {

constexpr uint32_t kHidden = 3, kClasses = 5;
constexpr uint64_t kWOffset = 16, kBOffset = kWOffset + 4 * kHidden * kClasses;
const std::string kSha(64, 'a');

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// A tuning of classes 1 and 4: column j's weights are 10*(j+1)+h, its bias 100*(j+1).
std::string tuning(const std::string& sha = kSha, uint64_t w_offset = kWOffset, uint32_t last = 4) {
  std::string t("IDRECT1", 8);
  t += sha;
  put(t, kHidden), put(t, kClasses), put(t, w_offset), put(t, kBOffset);
  put(t, uint32_t{2}), put(t, uint32_t{1}), put(t, last);
  for (int j = 0; j < 2; ++j)
    for (uint32_t h = 0; h < kHidden; ++h) put(t, static_cast<float>(10 * (j + 1) + h));
  put(t, 100.f), put(t, 200.f);
  return t;
}

float at(const std::string& bytes, uint64_t offset) {
  float v;
  std::memcpy(&v, bytes.data() + offset, 4);
  return v;
}

TEST(RecTuning, WritesTheChangedColumnsIntoTheBaseLayer) {
  std::string model(kBOffset + 4 * kClasses + 8, '\0');
  apply_rec_tuning(model, kSha, tuning());
  for (uint32_t h = 0; h < kHidden; ++h) {
    EXPECT_EQ(at(model, kWOffset + 4 * (h * kClasses + 1)), 10.f + h);
    EXPECT_EQ(at(model, kWOffset + 4 * (h * kClasses + 4)), 20.f + h);
    EXPECT_EQ(at(model, kWOffset + 4 * (h * kClasses + 0)), 0.f);  // untouched
  }
  EXPECT_EQ(at(model, kBOffset + 4), 100.f);
  EXPECT_EQ(at(model, kBOffset + 16), 200.f);
  EXPECT_EQ(at(model, kBOffset), 0.f);
}

TEST(RecTuning, RefusesATuningItCannotApply) {
  std::string model(kBOffset + 4 * kClasses, '\0');
  EXPECT_THROW(apply_rec_tuning(model, kSha, "not a tuning file at all, not at all"), std::runtime_error);
  EXPECT_THROW(apply_rec_tuning(model, kSha, tuning(std::string(64, 'b'))),
               std::runtime_error);                                                            // other model
  EXPECT_THROW(apply_rec_tuning(model, kSha, tuning(kSha, 1u << 20)), std::runtime_error);     // outside it
  EXPECT_THROW(apply_rec_tuning(model, kSha, tuning(kSha, kWOffset, 7)), std::runtime_error);  // no class 7
  std::string cut = tuning();
  cut.pop_back();
  EXPECT_THROW(apply_rec_tuning(model, kSha, cut), std::runtime_error);
  EXPECT_EQ(model, std::string(kBOffset + 4 * kClasses, '\0'));  // nothing written by a refusal
}

}  // namespace
}  // namespace idcard::ocr
