#include "core/settings_env.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "core/settings_keys.h"

namespace idcard {
namespace {
const char* env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once at start-up
  return (v && *v) ? v : nullptr;
}
}  // namespace

void apply_environment(Settings& s) {
  for (const SettingKey& key : setting_keys()) {
    const char* v = env(key.env);
    if (!v) continue;
    try {
      if (!key.clear) {
        key.set(s, v);
        continue;
      }
      key.clear(s);
      const std::string all = v;
      for (std::size_t start = 0; start <= all.size();) {
        const std::size_t comma = std::min(all.find(',', start), all.size());
        key.set(s, all.substr(start, comma - start));
        start = comma + 1;
      }
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(key.env) + ": " + e.what());
    }
  }
}

std::string config_file_from_environment() {
  const char* v = env("IDCARD_OCR_CONFIG");
  return v ? v : "";
}
}  // namespace idcard
