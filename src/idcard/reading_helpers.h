#pragma once
// Small helpers shared by the card reader's passes (stage 1 in card_reader.cpp, the second passes
// on a rectified card: read_front, read_back). Internal to the library: not part of its API.
#include <chrono>
#include <vector>

#include "idcard/front_fields.h"
#include "idcard/id_number.h"
#include "idcard/text_lines.h"
#include "ocr/text_recognizer.h"

namespace idcard {

// Time spent inside the models (inference with its tensor packing and box decoding), per read.
struct ModelClock {
  double ms = 0;
  template <typename F>
  auto time(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    auto result = f();
    ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return result;
  }
};

// A fast reading whose every character has this probability or more stands as read: a character
// outside the fast reader's dictionary (a rare one) shows as an unsure one.
constexpr float kSureChar = 0.95f;
bool read_surely(const TextLine& line);

// Drops spaces (and their positions) so that character indices line up everywhere downstream.
void set_reading(TextLine& line, const ocr::LineReading& r);

// The lines as read, at trace level only (they carry personal data).
void trace_lines(const std::vector<TextLine>& lines, float angle);

// A quad's centre, and the quad grown (factor > 1) or shrunk about it.
cv::Point2f centre_of(const Quad& q);
Quad scaled(const Quad& q, float factor);

// A copy of `image` with each band's light stretched to the full range (grey): glare leaves the
// characters under it faint, and a band read again sees them at full contrast.
cv::Mat stretched_bands(const cv::Mat& image, const std::vector<Quad>& bands);

// A band of an upright image (left-top, right-top, right-bottom, left-bottom; 1.2 text heights
// tall) read as one line: its box the text's extent, placed in the image's own frame.
TextLine band_line(const Quad& band, const ocr::LineReading& reading);

// The number in a line, decoded from the recognizer's steps within the number's span.
IdReading read_id(const TextLine& line, const IdLineSpan& span);

}  // namespace idcard
