#include "idcard/card_reader.h"

namespace idcard {
struct CardReader::Impl {};
CardReader::CardReader(const EngineSettings&) : impl_(std::make_unique<Impl>()) {}
CardReader::~CardReader() = default;
ReadOutcome CardReader::read(std::string_view, ImageType) const { return {ReadStatus::kInvalidImage, {}, "todo"}; }
}  // namespace idcard
