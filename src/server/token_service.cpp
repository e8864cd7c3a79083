#include "server/token_service.h"

#include "server/errors.h"
#include "storage/credentials.h"

namespace idcard::server {

TokenService::Grant TokenService::grant(const std::string& grant_type, const std::string& appid,
                                        const std::string& secret) {
  if (grant_type != "client_credential") return {kInvalidGrantType, {}, 0};
  if (appid.empty()) return {kAppidMissing, {}, 0};
  if (secret.empty()) return {kSecretMissing, {}, 0};
  const auto app = store_.find_app(appid);
  if (!app) return {kInvalidAppid, {}, 0};
  // Compare digests in constant time: the time taken says nothing about how much matched.
  if (!storage::constant_time_equal(storage::hash_credential(secret), app->secret_hash))
    return {kInvalidCredential, {}, 0};
  return issue_for(appid);
}

TokenService::Grant TokenService::issue_for(const std::string& appid) {
  const std::string token = storage::new_access_token();
  const auto now = clock_.now();
  store_.issue_token(appid, storage::hash_credential(token), now, now + ttl_s_, overlap_s_);
  return {kOk, token, ttl_s_};
}

TokenService::Check TokenService::check(const std::string& access_token) {
  if (access_token.empty()) return {kAccessTokenMissing, {}};
  // Tokens are looked up by digest: a stored value never equals what a client sends, and the
  // index lookup on a SHA-256 reveals nothing useful through timing.
  const auto record = store_.find_token(storage::hash_credential(access_token));
  if (!record) return {kInvalidAccessToken, {}};
  if (record->expires_at <= clock_.now()) return {kAccessTokenExpired, {}};
  return {kOk, record->appid};
}

}  // namespace idcard::server
