#pragma once
// The pinned model files and their SHA-256 digests, checked on load: a swapped or corrupted model
// must fail loudly at start-up, not read cards subtly wrong.
#include <string>
#include <vector>

namespace idcard::ocr {

struct ModelBytes {
  std::string det;                   // DB text detector (ONNX)
  std::string rec;                   // CTC recognizer (ONNX)
  std::string cls;                   // text-line 0/180 classifier (ONNX)
  std::vector<std::string> charset;  // recognizer classes 1..N (0 is the CTC blank)
  // A five-times-cheaper recognizer with a 6,904-character dictionary: good enough to find the
  // card's anchor lines among everything in a photo, not for rare name characters.
  std::string rec_fast;
  std::vector<std::string> charset_fast;
};

// Reads det.onnx, rec.onnx, dict.txt, cls.onnx, rec_fast.onnx and dict_fast.txt from dir and,
// with `tuned`, applies rec_tuning.bin to the recognizer (see rec_tuning.h); throws
// std::runtime_error on a missing file or a digest mismatch (when verify is set).
ModelBytes load_model_files(const std::string& dir, bool verify, bool tuned = true);

}  // namespace idcard::ocr
