#pragma once
#include <string_view>

namespace idcard::server {
// The single-file demo page served at "/" (HTML, CSS and JS compiled into the binary).
std::string_view demo_page_html();
}  // namespace idcard::server
