#include "core/settings_keys.h"

#include <algorithm>
#include <stdexcept>

namespace idcard {
namespace {

int parse_int(const std::string& v, int lo, int hi) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(v, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("not an integer: " + v);
  }
  if (used != v.size()) throw std::invalid_argument("not an integer: " + v);
  if (n < lo || n > hi)
    throw std::invalid_argument(v + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(n);
}

bool parse_bool(const std::string& v) {
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  throw std::invalid_argument("not true or false: " + v);
}

std::string quoted(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// `field` is a generic lambda `[](auto& s) -> auto& { return s.x.y; }`: one accessor serves the
// setter (Settings&) and the printer (const Settings&). Ranges match the flags' checks in src/cli.
template <typename Field>
SettingKey int_key(const char* name, const char* env, Field field, int lo, int hi) {
  return {name, env, Secret::kNo,
          [field, lo, hi](Settings& s, const std::string& v) { field(s) = parse_int(v, lo, hi); },
          [field](const Settings& s) { return std::to_string(field(s)); }};
}

template <typename Field>
SettingKey string_key(const char* name, const char* env, Field field, Secret secret = Secret::kNo) {
  return {name, env, secret, [field](Settings& s, const std::string& v) { field(s) = v; },
          [field, secret](const Settings& s) { return quoted(redacted(secret, field(s))); }};
}

}  // namespace

std::string redact_url_password(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto host_start = scheme + 3;
  // user:pass@host: the last '@' before the path ends the credentials (a password may hold '@').
  const auto authority_end = std::min(url.find('/', host_start), url.size());
  const auto at = url.rfind('@', authority_end);
  if (at == std::string::npos || at < host_start) return url;
  const auto colon = url.find(':', host_start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string redacted(Secret how, const std::string& value) {
  switch (how) {
    case Secret::kNo:
      return value;
    case Secret::kUrlPassword:
      return redact_url_password(value);
    case Secret::kWhole:
      return value.empty() ? value : "***";
  }
  return "***";
}

const std::vector<SettingKey>& setting_keys() {
  static const std::vector<SettingKey> keys = [] {
    std::vector<SettingKey> k;
    k.push_back(string_key(
        "host", "IDCARD_OCR_HOST", [](auto& s) -> auto& { return s.server.host; }));
    k.push_back(int_key(
        "port", "IDCARD_OCR_PORT", [](auto& s) -> auto& { return s.server.port; }, 0, 65535));
    k.push_back(int_key(
        "threads", "IDCARD_OCR_THREADS", [](auto& s) -> auto& { return s.server.http_threads; }, 1, 256));
    k.push_back(int_key(
        "max-connections", "IDCARD_OCR_MAX_CONNECTIONS",
        [](auto& s) -> auto& { return s.server.max_connections; }, 1, 10000));
    k.push_back(int_key(
        "head-timeout", "IDCARD_OCR_HEAD_TIMEOUT", [](auto& s) -> auto& { return s.server.head_timeout_s; },
        0, 3600));
    k.push_back(int_key(
        "min-body-rate", "IDCARD_OCR_MIN_BODY_RATE", [](auto& s) -> auto& { return s.server.min_body_rate; },
        0, 1 << 30));
    k.push_back(string_key(
        "metrics-token", "IDCARD_OCR_METRICS_TOKEN", [](auto& s) -> auto& { return s.server.metrics_token; },
        Secret::kWhole));
    k.push_back(int_key(
        "ocr-workers", "IDCARD_OCR_OCR_WORKERS", [](auto& s) -> auto& { return s.server.ocr_workers; }, 1,
        64));
    k.push_back(int_key(
        "queue", "IDCARD_OCR_QUEUE", [](auto& s) -> auto& { return s.server.ocr_queue; }, 0, 10000));
    k.push_back({"demo", "IDCARD_OCR_DEMO", Secret::kNo,
                 [](Settings& s, const std::string& v) {
                   s.server.demo_explicit = v != "auto";  // "auto": on for loopback hosts only
                   s.server.demo = s.server.demo_explicit && parse_bool(v);
                 },
                 [](const Settings& s) {
                   return s.server.demo_explicit ? std::string(s.server.demo ? "true" : "false")
                                                 : std::string("\"auto\"");  // on for loopback
                 }});
    k.push_back(int_key(
        "token-ttl", "IDCARD_OCR_TOKEN_TTL", [](auto& s) -> auto& { return s.server.token_ttl_s; }, 1,
        7 * 24 * 3600));
    k.push_back({"allow-fetch-host", "IDCARD_OCR_ALLOW_FETCH_HOST", Secret::kNo,
                 [](Settings& s, const std::string& v) {
                   if (v.empty()) throw std::invalid_argument("empty host");
                   s.server.fetch_allow_hosts.push_back(v);
                 },
                 [](const Settings& s) {
                   std::string out = "[";
                   for (const auto& h : s.server.fetch_allow_hosts)
                     out += (out.size() > 1 ? ", " : "") + quoted(h);
                   return out + "]";
                 },
                 [](Settings& s) { s.server.fetch_allow_hosts.clear(); }});
    k.push_back(string_key(
        "data-dir", "IDCARD_OCR_DATA_DIR", [](auto& s) -> auto& { return s.storage.data_dir; }));
    k.push_back(string_key(
        "database-url", "IDCARD_OCR_DATABASE_URL", [](auto& s) -> auto& { return s.storage.database_url; },
        Secret::kUrlPassword));
    k.push_back(string_key(
        "models", "IDCARD_OCR_MODEL_DIR", [](auto& s) -> auto& { return s.engine.model_dir; }));
    k.push_back(string_key(
        "heif-decoder", "IDCARD_OCR_HEIF_DECODER", [](auto& s) -> auto& { return s.engine.heif_decoder; }));
    k.push_back({"recognizer", "IDCARD_OCR_RECOGNIZER", Secret::kNo,
                 [](Settings& s, const std::string& v) {
                   if (v != "tuned" && v != "base") throw std::invalid_argument("not tuned or base: " + v);
                   s.engine.rec_tuning = v == "tuned";
                 },
                 [](const Settings& s) { return quoted(s.engine.rec_tuning ? "tuned" : "base"); }});
    k.push_back(int_key(
        "threads-per-read", "IDCARD_OCR_THREADS_PER_READ",
        [](auto& s) -> auto& { return s.engine.intra_op_threads; }, 0, 64));
    k.push_back(string_key(
        "log-level", "IDCARD_OCR_LOG_LEVEL", [](auto& s) -> auto& { return s.log_level; }));
    return k;
  }();
  return keys;
}

}  // namespace idcard
