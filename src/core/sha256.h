#pragma once
#include <string>
#include <string_view>

namespace idcard {
// Lower-case hex SHA-256 of a byte string (OpenSSL).
std::string sha256_hex(std::string_view bytes);
}  // namespace idcard
