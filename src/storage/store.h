#pragma once
// Apps, access tokens and daily quota counters behind one interface, so SQLite (one machine) and
// PostgreSQL (replicas sharing state) are interchangeable. Every method is thread-safe; every
// state change that must be atomic across processes is one statement or one transaction in the
// database itself, never a read-then-write in this process.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idcard::storage {

struct AppRecord {
  std::string appid;
  std::string name;
  std::string secret_hash;  // sha256 hex of the secret; the secret itself is never stored
  int daily_quota = 0;
  std::int64_t created_at = 0;  // unix seconds
  double rate_rps = 0;          // calls per second on /cv/ocr/idcard; 0: unlimited
  int rate_burst = 0;           // calls admitted at once after a quiet spell (see rate_limit.h)
};

struct TokenRecord {
  std::string appid;
  std::int64_t expires_at = 0;  // unix seconds
};

class Store {
 public:
  virtual ~Store() = default;

  // True when a trivial query succeeds (readiness).
  virtual bool ping() = 0;

  // Returns false when the appid already exists.
  virtual bool create_app(const AppRecord& app) = 0;
  virtual std::optional<AppRecord> find_app(const std::string& appid) = 0;
  virtual std::vector<AppRecord> list_apps() = 0;
  // Each returns false when no such app.
  virtual bool set_quota(const std::string& appid, int daily_quota) = 0;
  // Also forgets the app's rate history, so the new rate starts with a full burst.
  virtual bool set_rate(const std::string& appid, double rps, int burst) = 0;
  virtual bool set_secret_hash(const std::string& appid, const std::string& secret_hash) = 0;
  virtual bool delete_app(const std::string& appid) = 0;  // also its tokens, counters, rate

  // Stores a new token for the app and, in the same transaction, cuts every older live token of
  // that app down to `now + overlap_s` (WeChat: the previous token stays valid 5 more minutes).
  virtual void issue_token(const std::string& appid, const std::string& token_hash,
                           std::int64_t now, std::int64_t expires_at, std::int64_t overlap_s) = 0;
  virtual std::optional<TokenRecord> find_token(const std::string& token_hash) = 0;

  // Atomically: if the app's counter for `day` is below `limit`, add one and return true.
  // With limit Q, exactly Q of any number of concurrent callers (threads or processes) win.
  virtual bool consume_quota(const std::string& appid, const std::string& day, int limit) = 0;
  // Gives one unit back (a counted call that the service then could not serve).
  virtual void refund_quota(const std::string& appid, const std::string& day) = 0;
  virtual int quota_used(const std::string& appid, const std::string& day) = 0;

  // Atomically (GCRA, rate_limit.h): admits a call at `now_us` (unix microseconds) when the app's
  // theoretical arrival time, pushed one `interval_us` past max(itself, now), stays within
  // `burst` (>= 1) intervals of now, and then stores it; otherwise changes nothing. Concurrent
  // callers in any process serialise on the app's row, so the bound holds across replicas.
  virtual bool consume_rate(const std::string& appid, std::int64_t now_us, std::int64_t interval_us,
                            int burst) = 0;
};

}  // namespace idcard::storage
