// `idcard-ocr config`: the settings `serve` would start with before its flags, as TOML (usable
// as a --config file once secrets are filled back in), each line saying where its value came from.
#include <iostream>

#include "cli/commands.h"
#include "cli/config_file.h"
#include "core/settings_env.h"
#include "core/settings_keys.h"

namespace idcard::cli {

void add_config_command(CLI::App& app, const std::string& config_file) {
  auto* cmd = app.add_subcommand(
      "config",
      "Print the effective settings (defaults < config file < IDCARD_OCR_* environment), secrets redacted");
  cmd->callback([config_file] {
    const Settings defaults;
    Settings from_file = defaults;
    if (!config_file.empty()) apply_config_file(from_file, config_file);
    Settings effective = from_file;
    apply_environment(effective);
    std::cout << "# idcard-ocr settings; flags given to a command override these. Secrets are redacted.\n";
    for (const SettingKey& key : setting_keys()) {
      const std::string value = key.show(effective);
      const char* source = value != key.show(from_file)  ? key.env
                           : value != key.show(defaults) ? "config file"
                                                         : "default";
      std::cout << key.name << " = " << value << "  # " << source << "\n";
    }
  });
}

}  // namespace idcard::cli
