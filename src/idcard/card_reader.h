#pragma once
// The library's entry point: image bytes in, CardResult out. Models are loaded once in the
// constructor; read() is const and thread-safe (ONNX Runtime sessions are shared across threads).
#include <memory>
#include <string_view>

#include "core/settings.h"
#include "idcard/card_result.h"

namespace idcard {

class CardReader {
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
