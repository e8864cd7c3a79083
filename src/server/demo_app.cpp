#include "server/demo_app.h"

#include "storage/credentials.h"

namespace idcard::server {

DemoCredentials ensure_demo_app(storage::Store& store, int daily_quota, std::int64_t now) {
  static constexpr const char* kDemoAppid = "wxdemo000000000000";
  DemoCredentials creds{kDemoAppid, storage::new_secret()};
  const std::string hash = storage::hash_credential(creds.secret);
  if (!store.create_app({creds.appid, "demo", hash, daily_quota, now})) store.set_secret_hash(creds.appid, hash);
  return creds;
}

}  // namespace idcard::server
