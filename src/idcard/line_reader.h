#pragma once
// The models behind one small interface: find the text lines of a picture or of a card, cut them
// out upright and read them. Every stage reads through it; OnnxLineReader runs the models, and
// tests fake it (tests/unit/fake_line_reader.h) so each stage is tested without models.
#include <opencv2/core.hpp>
#include <vector>

#include "idcard/card_result.h"
#include "idcard/text_lines.h"
#include "ocr/text_detector.h"
#include "ocr/text_recognizer.h"

namespace idcard {

// Which recognizer reads: the fast one (6,904 characters: labels, dates, the number, anchors) or
// the full one (18,708: rare name and place-name characters).
enum class Dictionary { kFast, kFull };

class LineReader {
 public:
  virtual ~LineReader() = default;

  // Stage 1: the detector's text map of a whole picture (kept: a card found in it is rectified
  // without detecting again), and the boxes in a map (the picture's or one warped from it).
  virtual ocr::TextMap text_map(const cv::Mat& picture) const = 0;
  virtual std::vector<ocr::TextBox> boxes_in(const ocr::TextMap& map) const = 0;

  // Unread lines for boxes found in `image`, each with its upright crop. `classify`: each turned
  // 0 or 180 by the orientation model (a picture at any angle); else the image is upright (a card).
  virtual std::vector<TextLine> cut_lines(const cv::Mat& image, const std::vector<ocr::TextBox>& boxes,
                                          bool classify) const = 0;

  // The unread lines of an upright card, detected at the card's own resolution.
  virtual std::vector<TextLine> detect_lines(const cv::Mat& card) const = 0;

  // Reads the lines `which` from their crops, in one batch.
  virtual void read(std::vector<TextLine>& lines, const std::vector<size_t>& which,
                    Dictionary dict) const = 0;

  // Reads regions of an upright image (the bands a field is printed in) as lines.
  virtual std::vector<ocr::LineReading> read_regions(const cv::Mat& image, const std::vector<Quad>& regions,
                                                     Dictionary dict) const = 0;
};

}  // namespace idcard
