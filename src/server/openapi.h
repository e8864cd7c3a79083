#pragma once
// The API reference, docs/openapi.json, embedded at build time so the binary serves the document
// that matches its own code (nothing read at run time).
#include <string_view>

namespace idcard::server {
std::string_view openapi_json();
}  // namespace idcard::server
