#pragma once
// SQLite store: one connection guarded by a mutex (SQLite serialises writers anyway), WAL mode
// and a busy timeout so several processes can share the file; quota increments are single
// UPSERT statements, atomic under SQLite's write lock.
#include <mutex>
#include <string>

#include "storage/store.h"

struct sqlite3;

namespace idcard::storage {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path);  // creates the parent directory and schema
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

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
  void exec(const char* sql);
  void migrate();

  std::mutex mu_;
  sqlite3* db_ = nullptr;
};

}  // namespace idcard::storage
