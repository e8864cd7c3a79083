#pragma once
// From detection boxes to recognised lines in an upright "text frame": the image rotated so the
// card's text reads left to right, horizontally. Handles 0/90/180/270 and skew in one step.
#include <array>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idcard/card_result.h"
#include "ocr/text_detector.h"
#include "ocr/text_recognizer.h"

namespace idcard {

struct TextLine {
  std::string text;
  float confidence = 0.f;
  std::vector<float> char_confidence, char_x;
  std::vector<int> char_step;                           // recogniser time step of each character
  std::vector<std::vector<ocr::CharChoice>> char_alts;  // per character: what else it may be
  std::vector<ocr::IdStep> id_steps;                    // per time step: blank,0-9,X probabilities
  cv::RotatedRect box;                                  // detection box in the input image
  cv::Mat crop;                                         // the line cut out upright: what a recognizer reads
  float angle_deg = 0;                                  // this line's reading direction in the image, degrees
  float frame_angle_deg = 0;  // the text frame's rotation (shared by all lines of an image)
  // Axis-aligned extent in the text frame (image rotated by -angle about its origin).
  float x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
  float height() const { return y1 - y0; }
  float width() const { return x1 - x0; }
  // Corners in the input image: left-top, right-top, right-bottom, left-bottom of the upright text.
  Quad quad_between(float from, float to) const;  // sub-span of the line, 0..1 of its width
  Quad quad() const { return quad_between(0, 1); }
  // The first run of `chars` (UTF-8) in the text, first and last character's index, when each
  // character read has its place (char_x); nullopt otherwise.
  std::optional<std::pair<size_t, size_t>> find_chars(std::string_view chars) const;
};

// The rotation that makes text horizontal and readable, from the boxes' long axes (mod 180) and a
// recognition vote between the two readings that leaves (0 vs 180).
float dominant_text_angle(const std::vector<ocr::TextBox>& boxes);

// Upright crop of a box, its reading direction aligned with angle_deg.
cv::Mat crop_line(const cv::Mat& image, const cv::RotatedRect& box, float angle_deg, float pad_ratio = 0.f);

// Upright crop of a quadrilateral given as left-top, right-top, right-bottom, left-bottom.
cv::Mat crop_quad(const cv::Mat& image, const Quad& quad);

// Reading axis of each box (mod 180): its own long axis when elongated; for short boxes (a lone
// character, a two-character label) the axis of the nearest elongated box, else the fallback.
std::vector<float> reading_axes(const std::vector<ocr::TextBox>& boxes, float fallback_deg);

// The line classifier's upside-down probabilities of `boxes`, each unsure one (0.02..0.98) turned
// the way its neighbours agree on where they are sure and many: lines of one card read one way, but
// a line of digits reads almost alike turned round (0, 1, 8, 6/9), and the classifier may be wrong
// about it with some confidence. Neighbours: parallel boxes (within 6 degrees) whose centres lie
// within the longer of the two boxes' lengths. A sure line keeps its own turn (two cards the
// opposite way round, a scanned front beside its back, meet only at their edges).
std::vector<float> follow_neighbours_turn(const std::vector<cv::RotatedRect>& boxes, std::vector<float> flip);

// A line (no text yet) for a box read along angle_deg.
TextLine make_line(const ocr::TextBox& box, float angle_deg);

// Lines of one row of a text frame (placed in it, left to right) as one line: their texts joined,
// each character at its place along the joined extent. A title printed letter-spaced (居 民 身 份
// 证) is often boxed a character at a time. Every part must have a place for each character.
TextLine join_row(const std::vector<TextLine>& parts);

// Sets the line's frame coordinates (x0..y1) for a text frame rotated by frame_angle_deg.
void place_in_frame(TextLine& line, float frame_angle_deg);

// Smallest signed difference between two angles, degrees.
float angle_diff(float a, float b);

}  // namespace idcard
