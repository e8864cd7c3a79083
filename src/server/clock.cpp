#include "server/clock.h"

#include <chrono>
#include <fstream>

namespace idcard::server {

std::int64_t Clock::now() const {
  const auto real = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  long long extra = 0;
  if (!offset_file_.empty()) {
    std::ifstream in(offset_file_);
    if (!(in >> extra)) extra = 0;  // missing or empty file: no offset
  }
  return real + offset_s_ + extra;
}

}  // namespace idcard::server
