// Placeholder until the HTTP service lands (issue 3).
#include "cli/commands.h"

namespace idcard::cli {
void add_serve_command(CLI::App& app, Settings&) {
  app.add_subcommand("serve", "Serve the WeChat-compatible HTTP API")->callback([] { throw CLI::RuntimeError(1); });
}
}  // namespace idcard::cli
