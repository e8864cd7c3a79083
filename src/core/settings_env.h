#pragma once
#include "core/settings.h"

namespace idcard {
// Overlays IDCARD_OCR_* environment variables on the defaults; the only reader of the environment.
void apply_environment(Settings& settings);
}  // namespace idcard
