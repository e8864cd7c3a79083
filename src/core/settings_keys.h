#pragma once
// The settings a user can give outside the command line: one table, read by the environment
// layer (IDCARD_OCR_*), the config file layer (TOML keys) and `idcard-ocr config`. Keys are the
// long flag names without dashes, so a file reads like the command line.
#include <functional>
#include <string>
#include <vector>

#include "core/settings.h"

namespace idcard {

// How `idcard-ocr config` prints a value: as is, with a URL's password hidden, or hidden whole.
enum class Secret { kNo, kUrlPassword, kWhole };

struct SettingKey {
  const char* name;  // TOML key, e.g. "ocr-workers"
  const char* env;   // environment variable, e.g. "IDCARD_OCR_OCR_WORKERS"
  Secret secret;
  // Parses and range-checks one value (a list: one element per call); throws
  // std::invalid_argument with a short reason.
  std::function<void(Settings&, const std::string&)> set;
  std::function<std::string(const Settings&)> show;  // TOML value text, redacted per `secret`
  // Set only for lists (a TOML array, a comma-separated environment value): empties the list,
  // so a later layer replaces an earlier one's list instead of adding to it.
  std::function<void(Settings&)> clear = {};
};

const std::vector<SettingKey>& setting_keys();

// "postgresql://user:pass@host/db" -> "postgresql://user:***@host/db"; other text unchanged.
std::string redact_url_password(const std::string& url);

// The value as `idcard-ocr config` may print it.
std::string redacted(Secret how, const std::string& value);

}  // namespace idcard
