#pragma once
// Stage 1, "locate": the cards of one picture. Its text lines are boxed and the longest read a few
// at a time until one anchors a card (the number line, the back's title, 签发机关, a period); each
// card the anchors place is read by read_front or read_back (rectified, read, assigned), and the
// best front and back are kept.
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/line_reader.h"
#include "ocr/text_detector.h"

namespace idcard {

// What a picture gave: its cards (positions in its pixels) and stage 1's text boxes in it (where
// a card too small to be found is looked for again, cut out).
struct PictureRead {
  CardResult card;
  std::vector<ocr::TextBox> boxes;
  // A back read with neither its title inside it nor a card's outline about it (card.back then
  // empty): a form prints the period and bureau lines too. The caller answers it only when a
  // closer look reads no card's values.
  std::optional<BackFields> weak_back;
  // Stage 1's anchor lines as read (a number, the back's title or labels, a period) wherever they
  // lie: one outside the cards answered shows a further card (two people's cards in one picture).
  std::vector<cv::RotatedRect> anchor_boxes;
};

PictureRead find_cards(const cv::Mat& picture, const LineReader& reader);

}  // namespace idcard
