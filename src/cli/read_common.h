#pragma once
// Shared by `read` and `batch`: file loading, the report options and the outcome -> WeChat JSON
// step.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "idcard/card_reader.h"

namespace idcard::cli {

// What `read` and `batch` answer besides the fields (--warnings, --crop, --crop-dir, --cards).
struct ReportOptions {
  bool warnings = false, cards = false;
  std::string crop;      // "card", "portrait" or "card,portrait"
  std::string crop_dir;  // crops written here as files instead of base64 in the JSON
  // The engine's options (today in Asia/Shanghai for `expired`); throws CLI::ValidationError on a
  // bad --crop.
  ReadOptions read_options() const;
};
void add_report_options(CLI::App& cmd, ReportOptions& opts);

bool read_file(const std::string& path, std::string& out);
ImageType parse_image_type(const std::string& type);
// `timings`, when given, receives where the read's time went (batch --profile). `source`: the
// image file, whose name the crop files take in crop_dir.
nlohmann::json wechat_response(const CardReader& reader, const std::string& bytes, ImageType type,
                               bool detail, ReadTimings* timings = nullptr, const ReportOptions& report = {},
                               const std::string& source = {});
}  // namespace idcard::cli
