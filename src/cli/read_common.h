#pragma once
// Shared by `read` and `batch`: file loading and the outcome -> WeChat JSON step.
#include <nlohmann/json.hpp>
#include <string>

#include "idcard/card_reader.h"

namespace idcard::cli {
bool read_file(const std::string& path, std::string& out);
ImageType parse_image_type(const std::string& type);
// `timings`, when given, receives where the read's time went (batch --profile).
nlohmann::json wechat_response(const CardReader& reader, const std::string& bytes, ImageType type,
                               bool detail, ReadTimings* timings = nullptr);
}  // namespace idcard::cli
