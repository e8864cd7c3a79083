#pragma once
// The recognizer's fine-tuned last layer (tools/train_rec), shipped as the columns it changed
// rather than a second 21 MB model: applied to the pinned base model's bytes before the session
// is created, so ONNX Runtime reads exactly the graph it was trained against.
#include <string>

namespace idcard::ocr {

// Writes the tuning's columns of linear_8 (weights and biases) into `rec_bytes`, the base
// recognizer whose SHA-256 is `rec_sha256_hex`. Throws std::runtime_error when the tuning is
// malformed, made for another base model, or points outside it. Layout (little-endian):
//   "IDRECT1\0", base SHA-256 (64 hex chars), u32 hidden, u32 classes, u64 w_offset,
//   u64 b_offset, u32 k, u32 class_index[k] (ascending), f32 w[k][hidden], f32 b[k]
// where the base's weight is row-major [hidden][classes] at w_offset and its bias at b_offset.
void apply_rec_tuning(std::string& rec_bytes, const std::string& rec_sha256_hex, const std::string& tuning);

}  // namespace idcard::ocr
