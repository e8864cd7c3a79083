#pragma once
// WeChat's client_credential grant and access_token checks, over the Store.
#include <string>

#include "core/settings.h"
#include "server/clock.h"
#include "storage/store.h"

namespace idcard::server {

class TokenService {
 public:
  TokenService(storage::Store& store, const Clock& clock, const ServerSettings& settings)
      : store_(store), clock_(clock), ttl_s_(settings.token_ttl_s), overlap_s_(settings.token_overlap_s) {}

  struct Grant {
    int errcode = 0;  // 0, 40002, 41002, 41004, 40013, 40001
    std::string access_token;
    int expires_in = 0;
  };
  Grant grant(const std::string& grant_type, const std::string& appid, const std::string& secret);

  struct Check {
    int errcode = 0;  // 0, 41001, 40014, 42001
    std::string appid;
  };
  Check check(const std::string& access_token);

  // Issues a token for an app already known to exist (the demo page's own token).
  Grant issue_for(const std::string& appid);

 private:
  storage::Store& store_;
  const Clock& clock_;
  int ttl_s_;
  int overlap_s_;
};

}  // namespace idcard::server
