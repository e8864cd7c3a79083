#pragma once
// HEIF/HEIC pictures (iPhones' default) decoded in a separate, confined process.
//
// libheif is not safe on hostile input (it crashed and hung under libFuzzer), so it never runs in
// the engine's process: decode_heif_sandboxed() starts the decoder program
// (src/heif/idcard_heif_decode.cpp), gives it the bytes on a pipe and reads the pixels back. A
// crash, a hang past the deadline (the process is killed) or a malformed answer is an empty Mat.
#include <chrono>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

namespace idcard {

// 8-bit BGR, or BGRA when the picture has alpha; empty when it cannot be decoded, is over
// `max_pixels`, or the decoder program is missing or misbehaves. Thread-safe.
cv::Mat decode_heif_sandboxed(std::string_view bytes, const std::string& decoder_program,
                              std::size_t max_pixels,
                              std::chrono::milliseconds deadline = std::chrono::seconds(10));

// The decoder installed beside the running program (…/idcard-heif-decode), or empty.
std::string default_heif_decoder();

}  // namespace idcard
