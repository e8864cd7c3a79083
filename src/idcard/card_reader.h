#pragma once
// The library's entry point, installed with card_result.h and engine_settings.h as the public
// headers of libidcard-ocr (cmake --install): image bytes in, CardResult out. Models are loaded
// once in the constructor; read() is const and thread-safe (ONNX Runtime sessions are shared).
#include <memory>
#include <string_view>

#include "core/engine_settings.h"
#include "idcard/card_result.h"

// The shared library (libidcard-ocr) is built with hidden symbols: this class is what it exports.
#ifndef IDCARD_API
#define IDCARD_API __attribute__((visibility("default")))
#endif

namespace idcard {

class IDCARD_API CardReader {
 public:
  explicit CardReader(const EngineSettings& settings);  // throws std::runtime_error on bad models
  ~CardReader();
  CardReader(const CardReader&) = delete;
  CardReader& operator=(const CardReader&) = delete;

  ReadOutcome read(std::string_view image_bytes, ImageType type = ImageType::kPhoto,
                   const ReadOptions& options = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace idcard
