#pragma once
#include <cstdint>
#include <string>

namespace idcard::storage {
// The calendar day in Asia/Shanghai (UTC+8 all year; China has had no DST since 1991) of a unix
// time, as "YYYY-MM-DD": quota counters roll over at Beijing midnight, as WeChat's do.
std::string shanghai_day(std::int64_t unix_seconds);
}  // namespace idcard::storage
