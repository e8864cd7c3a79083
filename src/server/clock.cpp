#include "server/clock.h"

#include <chrono>
#include <fstream>

namespace idcard::server {

namespace {

long long file_offset_s(const std::string& path) {
  long long extra = 0;
  if (path.empty()) return 0;
  std::ifstream in(path);
  if (!(in >> extra)) extra = 0;  // missing or empty file: no offset
  return extra;
}

}  // namespace

std::int64_t Clock::now() const {
  const auto real = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return real + offset_s_ + file_offset_s(offset_file_);
}

std::int64_t Clock::now_us() const {
  const auto real = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return real + (offset_s_ + file_offset_s(offset_file_)) * 1000000;
}

}  // namespace idcard::server
