#pragma once
// Stage 1 of a read: which recognised lines anchor a card (the number line, the back's title,
// labels and validity period), and which lines belong together (read the same way round).
#include <string>
#include <vector>

#include "idcard/text_lines.h"

namespace idcard {

// The back's title, or a line of it: 中华人民共和国 / 居民身份证.
bool is_back_title(const std::string& text);
bool is_back_anchor(const std::string& text);
// A back anchor, or a run of 15+ digits/X (specks between digits allowed).
bool is_anchor(const std::string& text);

// Lines read the same way round (within a few degrees) belong to one card, or to cards lying alike.
std::vector<std::vector<size_t>> group_by_angle(const std::vector<TextLine>& lines);

// Mean reading angle of a group, weighted by line length (long lines give the angle best).
float group_angle(const std::vector<TextLine>& lines, const std::vector<size_t>& idx);

}  // namespace idcard
