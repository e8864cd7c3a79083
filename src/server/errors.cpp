#include "server/errors.h"

namespace idcard::server {

const char* errmsg_for(int errcode) {
  switch (errcode) {
    case kOk: return "ok";
    case kSystemError: return "system error";
    case kInvalidCredential: return "invalid credential, access_token is invalid or not latest";
    case kInvalidGrantType: return "invalid grant_type";
    case kInvalidFileSize: return "invalid file size";
    case kInvalidAppid: return "invalid appid";
    case kInvalidAccessToken: return "invalid access_token";
    case kInvalidUrl: return "invalid url";
    case kAccessTokenMissing: return "access_token missing";
    case kAppidMissing: return "appid missing";
    case kSecretMissing: return "appsecret missing";
    case kMediaDataMissing: return "media data missing";
    case kAccessTokenExpired: return "access_token expired";
    case kRequireGet: return "require GET method";
    case kRequirePost: return "require POST method";
    case kDailyQuota: return "reach max api daily quota limit";
    // WeChat's global return codes and its live answers spell it so (the code2Session page's
    // "mustslower" cell is a garbled copy of this).
    case kMinuteQuota: return "api minute-quota reach limit, must slower, retry next minute";
    case kInvalidArgs: return "invalid args";
    case kInvalidImageUrl: return "invalid image url";
    case kCertificateNotFound: return "certificate not found";
    case kInvalidImageData: return "invalid image data";
    default: return "system error";
  }
}

nlohmann::json error_body(int errcode, const std::string& rid, const std::string& detail) {
  std::string msg = detail.empty() ? errmsg_for(errcode) : detail;
  msg += " rid: " + rid;
  return {{"errcode", errcode}, {"errmsg", msg}};
}

}  // namespace idcard::server
