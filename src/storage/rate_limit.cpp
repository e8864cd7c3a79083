#include "storage/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace idcard::storage {

std::int64_t rate_interval_us(double rps) { return std::max<std::int64_t>(1, std::llround(1e6 / rps)); }

int default_burst(double rps) { return std::max(1, static_cast<int>(std::ceil(rps))); }

}  // namespace idcard::storage
