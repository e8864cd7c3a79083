#pragma once
// Each subcommand registers itself on the CLI11 app; `run` callbacks read the shared Settings.
#include <CLI/CLI.hpp>

#include "core/settings.h"

namespace idcard::cli {
void add_read_command(CLI::App& app, Settings& settings);
void add_batch_command(CLI::App& app, Settings& settings);
void add_serve_command(CLI::App& app, Settings& settings);
void add_apps_command(CLI::App& app, Settings& settings);
}  // namespace idcard::cli
