#include "cli/config_file.h"

#include <CLI/CLI.hpp>
#include <cstring>
#include <stdexcept>

#include "core/settings_env.h"
#include "core/settings_keys.h"

namespace idcard::cli {

std::string config_path(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc) return argv[i + 1];
    if (std::strncmp(argv[i], "--config=", 9) == 0) return argv[i] + 9;
  }
  return config_file_from_environment();
}

void apply_config_file(Settings& settings, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);  // CLI11's TOML reader: keys, strings, arrays
  } catch (const CLI::Error&) {
    throw std::runtime_error("config file " + path + ": cannot read it");
  }
  const auto fail = [&path](const std::string& what) {
    return std::runtime_error("config file " + path + ": " + what);
  };
  for (const CLI::ConfigItem& item : items) {
    if (!item.parents.empty()) {
      if (item.name == "++" || item.name == "--") continue;  // CLI11's section markers
      throw fail("sections are not used; put '" + item.name + "' at the top level");
    }
    const SettingKey* key = nullptr;
    for (const SettingKey& k : setting_keys())
      if (item.name == k.name) key = &k;
    if (!key) throw fail("unknown key '" + item.name + "'");
    if (!key->clear && item.inputs.size() != 1) throw fail(item.name + ": one value expected");
    try {
      if (key->clear) key->clear(settings);
      for (const std::string& v : item.inputs) key->set(settings, v);
    } catch (const std::invalid_argument& e) {
      throw fail(item.name + ": " + e.what());
    }
  }
}

}  // namespace idcard::cli
