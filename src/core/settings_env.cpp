#include "core/settings_env.h"

#include <cstdlib>

namespace idcard {
namespace {
const char* env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once at start-up
  return (v && *v) ? v : nullptr;
}
}  // namespace

void apply_environment(Settings& s) {
  if (const char* v = env("IDCARD_OCR_DATABASE_URL")) s.storage.database_url = v;
  if (const char* v = env("IDCARD_OCR_DATA_DIR")) s.storage.data_dir = v;
  if (const char* v = env("IDCARD_OCR_MODEL_DIR")) s.engine.model_dir = v;
  if (const char* v = env("IDCARD_OCR_LOG_LEVEL")) s.log_level = v;
  if (const char* v = env("IDCARD_OCR_METRICS_TOKEN")) s.server.metrics_token = v;
}
}  // namespace idcard
