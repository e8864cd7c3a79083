#pragma once
// Credentials are random, high-entropy strings; only their SHA-256 is stored. A fast hash is the
// right tool here (no password stretching needed): guessing a 128-bit secret is infeasible.
#include <string>
#include <string_view>

namespace idcard::storage {

std::string new_appid();         // "wx" + 16 hex digits, like WeChat's
std::string new_secret();        // 32 hex digits (128 bits), like WeChat's AppSecret
std::string new_access_token();  // 64 url-safe characters (384 bits)

std::string hash_credential(std::string_view credential);  // sha256 hex
// Constant-time comparison (OpenSSL CRYPTO_memcmp); false for different lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace idcard::storage
