#pragma once
// Each subcommand registers itself on the CLI11 app; `run` callbacks read the shared Settings.
#include <CLI/CLI.hpp>
#include <string>

#include "core/settings.h"

namespace idcard::cli {
void add_read_command(CLI::App& app, Settings& settings);
void add_batch_command(CLI::App& app, Settings& settings);
void add_serve_command(CLI::App& app, Settings& settings);
void add_apps_command(CLI::App& app, Settings& settings);
// `config_file`: the --config / IDCARD_OCR_CONFIG path already applied to the settings, or "".
void add_config_command(CLI::App& app, const std::string& config_file);
}  // namespace idcard::cli
