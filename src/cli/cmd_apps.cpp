// Placeholder until app management lands (issue 3).
#include "cli/commands.h"

namespace idcard::cli {
void add_apps_command(CLI::App& app, Settings&) {
  app.add_subcommand("apps", "Manage apps (appid/secret, quotas)")->callback([] { throw CLI::RuntimeError(1); });
}
}  // namespace idcard::cli
