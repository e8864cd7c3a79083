#pragma once
#include <cstdint>
#include <string>

#include "storage/store.h"

namespace idcard::server {

struct DemoCredentials {
  std::string appid;
  std::string secret;
};

// The built-in demo app (fixed appid). Its secret is stored hashed like any other, so it cannot
// be shown again: every start gives it a fresh secret and returns it for the console banner.
DemoCredentials ensure_demo_app(storage::Store& store, int daily_quota, std::int64_t now);

}  // namespace idcard::server
