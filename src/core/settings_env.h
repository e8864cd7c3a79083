#pragma once
#include <string>

#include "core/settings.h"

namespace idcard {
// Overlays IDCARD_OCR_* environment variables (the keys of settings_keys.h) on `settings`; the
// only reader of the environment. Throws std::invalid_argument naming the variable on a bad value.
void apply_environment(Settings& settings);

// IDCARD_OCR_CONFIG: the TOML config file to read when --config is not given; empty if unset.
std::string config_file_from_environment();
}  // namespace idcard
