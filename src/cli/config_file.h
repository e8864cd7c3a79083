#pragma once
// The optional TOML config file: `--config FILE` (anywhere on the command line) or
// IDCARD_OCR_CONFIG. Layers, lowest first: defaults, this file, IDCARD_OCR_* variables, flags.
#include <string>

#include "core/settings.h"

namespace idcard::cli {

// The --config value found in argv (`--config F` or `--config=F`), else IDCARD_OCR_CONFIG, else "".
// Read before CLI11 parses, because the file's values must sit below the flags.
std::string config_path(int argc, char** argv);

// Applies the file's top-level keys (settings_keys.h). Throws std::runtime_error naming the file
// and key for a missing file, an unknown key, a [section] or a bad value.
void apply_config_file(Settings& settings, const std::string& path);

}  // namespace idcard::cli
