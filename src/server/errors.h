#pragma once
// WeChat's errcodes and errmsgs for the calls this service answers. Every error answer is HTTP 200
// with {"errcode","errmsg"}; errmsg ends with " rid: <request id>" as WeChat's do.
#include <nlohmann/json.hpp>
#include <string>

namespace idcard::server {

enum ErrCode : int {
  kOk = 0,
  kSystemError = -1,
  kInvalidCredential = 40001,  // wrong secret
  kInvalidGrantType = 40002,
  kInvalidFileSize = 40006,
  kInvalidAppid = 40013,
  kInvalidAccessToken = 40014,
  kInvalidUrl = 40066,          // unknown path
  kInvalidArgs = 40097,         // an option's value is not one of those documented
  kAccessTokenMissing = 41001,
  kAppidMissing = 41002,
  kSecretMissing = 41004,
  kMediaDataMissing = 41005,
  kAccessTokenExpired = 42001,
  kRequireGet = 43001,
  kRequirePost = 43002,
  kDailyQuota = 45009,
  kMinuteQuota = 45011,  // the app's request rate (apps set-rate) exceeded
  kInvalidImageUrl = 101000,
  kCertificateNotFound = 101001,
  kInvalidImageData = 101002,
};

// WeChat's text for the code (no rid).
const char* errmsg_for(int errcode);

// {"errcode": code, "errmsg": "<msg> rid: <rid>"}; `detail` (safe, fixed text) refines the
// message, e.g. "system error: overloaded".
nlohmann::json error_body(int errcode, const std::string& rid, const std::string& detail = {});

}  // namespace idcard::server
