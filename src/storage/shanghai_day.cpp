#include "storage/shanghai_day.h"

#include <cstdio>

namespace idcard::storage {

std::string shanghai_day(std::int64_t unix_seconds) {
  std::int64_t days = unix_seconds + 8 * 3600;
  days = (days >= 0 ? days : days - 86399) / 86400;  // floor division
  // Howard Hinnant's civil_from_days: no time zone database, no global state (unlike gmtime).
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

}  // namespace idcard::storage
