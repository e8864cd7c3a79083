#pragma once
// PostgreSQL store (libpqxx) for replicas that share apps, tokens and quotas. A small bounded
// connection pool: pqxx connections are not thread-safe, and each HTTP thread needs one at most.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "storage/store.h"

namespace idcard::storage {

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string url, int max_connections);  // connects and migrates; throws
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  bool ping() override;
  bool create_app(const AppRecord& app) override;
  std::optional<AppRecord> find_app(const std::string& appid) override;
  std::vector<AppRecord> list_apps() override;
  bool set_quota(const std::string& appid, int daily_quota) override;
  bool set_rate(const std::string& appid, double rps, int burst) override;
  bool set_secret_hash(const std::string& appid, const std::string& secret_hash) override;
  bool delete_app(const std::string& appid) override;
  void issue_token(const std::string& appid, const std::string& token_hash, std::int64_t now,
                   std::int64_t expires_at, std::int64_t overlap_s) override;
  std::optional<TokenRecord> find_token(const std::string& token_hash) override;
  bool consume_quota(const std::string& appid, const std::string& day, int limit) override;
  void refund_quota(const std::string& appid, const std::string& day) override;
  int quota_used(const std::string& appid, const std::string& day) override;
  bool consume_rate(const std::string& appid, std::int64_t now_us, std::int64_t interval_us,
                    int burst) override;

 private:
  class Lease;
  std::unique_ptr<pqxx::connection> acquire();
  void release(std::unique_ptr<pqxx::connection> conn);
  void migrate();

  const std::string url_;
  const int max_connections_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // connections created and not yet dropped (idle + leased)
};

}  // namespace idcard::storage
