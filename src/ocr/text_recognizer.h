#pragma once
// CTC text-line recognition (PP-OCR rec): upright line crops -> text with confidences.
#include <array>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "ocr/onnx_session.h"

namespace idcard::ocr {

constexpr int kIdClasses = 12;  // blank, '0'..'9', 'X'
using IdStep = std::array<float, kIdClasses>;

// A character the model also considered at a position, with its probability.
struct CharChoice {
  std::string text;
  float prob = 0.f;
};

struct LineReading {
  std::string text;                    // UTF-8
  float confidence = 0.f;              // mean probability of the emitted characters
  std::vector<float> char_confidence;  // one per emitted character
  std::vector<float> char_x;           // centre of each emitted character, 0..1 of the crop's width
  std::vector<int> char_step;          // time step of each emitted character
  // Per emitted character, the likeliest characters at its time steps (best first) when it was
  // read with less than certainty; empty for sure ones. Lets the caller snap a reading onto a
  // lexicon (place names) only where the model itself saw the lexicon's character.
  std::vector<std::vector<CharChoice>> char_alternatives;
  // Per time step, the probabilities of blank,0-9,X renormalised: lets the caller re-decode a
  // number restricted to its alphabet without running the model again.
  std::vector<IdStep> id_steps;
};

class TextRecognizer {
 public:
  // `alternatives`: fill LineReading::char_alternatives (a scan of the dictionary per unsure
  // character; worth it for the reader of place names, not for one that finds anchors).
  TextRecognizer(Ort::Env& env, const std::string& model_bytes, std::vector<std::string> charset,
                 bool alternatives = false);

  // Crops must be upright text lines (BGR). Batches lines of similar width internally.
  std::vector<LineReading> recognize(const std::vector<cv::Mat>& crops) const;

  static constexpr int kHeight = 48;

 private:
  void run_batch(const std::vector<cv::Mat>& crops, const std::vector<size_t>& idx,
                 std::vector<LineReading>& out) const;

  OnnxSession session_;
  std::vector<std::string> charset_;  // class i+1 -> charset_[i]
  bool alternatives_ = false;
  std::array<int, kIdClasses> id_class_{};  // model class of blank,0-9,X
};

}  // namespace idcard::ocr
