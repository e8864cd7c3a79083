#pragma once
// Wall clock for token expiry, quota days and rate limits, with a test hook: a fixed offset from settings
// and, optionally, an offset re-read from a file on every call. Both come only from the command line of the
// operator (hidden --fake-clock-file); no request can move the clock.
#include <cstdint>
#include <string>

namespace idcard::server {

class Clock {
 public:
  explicit Clock(long long offset_s = 0, std::string offset_file = {})
      : offset_s_(offset_s), offset_file_(std::move(offset_file)) {}
  std::int64_t now() const;     // unix seconds
  std::int64_t now_us() const;  // unix microseconds (rate limits), same offsets

 private:
  long long offset_s_;
  std::string offset_file_;
};

}  // namespace idcard::server
