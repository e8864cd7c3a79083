#include "storage/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

namespace idcard::storage {
namespace {

// Prepared statement with bound parameters; finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  // True while a row is available. The busy timeout already waited; BUSY here is an error.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kAppColumns = "appid, name, secret_hash, daily_quota, created_at, rate_rps, rate_burst";

AppRecord app_from(const Stmt& s) {
  return {s.text(0), s.text(1), s.text(2), static_cast<int>(s.int64(3)), s.int64(4), s.real(5),
          static_cast<int>(s.int64(6))};
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open SQLite database: " + msg);
  }
  // Other processes (a second server, the `apps` CLI) may hold the write lock briefly.
  sqlite3_busy_timeout(db_, 15000);
  try {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    migrate();
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

void SqliteStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

void SqliteStore::migrate() {
  // BEGIN IMMEDIATE takes the write lock first, so two processes starting together serialise.
  exec("BEGIN IMMEDIATE");
  try {
    exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = 0;
    {
      Stmt s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (s.step()) version = static_cast<int>(s.int64(0));
    }
    if (version < 1) {
      exec(
          "CREATE TABLE apps (appid TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL,"
          " daily_quota INTEGER NOT NULL, created_at INTEGER NOT NULL);"
          "CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, appid TEXT NOT NULL,"
          " expires_at INTEGER NOT NULL);"
          "CREATE INDEX tokens_by_app ON tokens (appid, expires_at);"
          "CREATE TABLE quota_usage (appid TEXT NOT NULL, day TEXT NOT NULL,"
          " used INTEGER NOT NULL, PRIMARY KEY (appid, day));"
          "INSERT INTO schema_version (version) VALUES (1);");
    }
    if (version < 2) {  // per-app rate limit: its setting on the app, its GCRA state apart
      exec(
          "ALTER TABLE apps ADD COLUMN rate_rps REAL NOT NULL DEFAULT 0;"
          "ALTER TABLE apps ADD COLUMN rate_burst INTEGER NOT NULL DEFAULT 0;"
          "CREATE TABLE rate_limits (appid TEXT PRIMARY KEY, tat_us INTEGER NOT NULL);"
          "INSERT INTO schema_version (version) VALUES (2);");
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

bool SqliteStore::ping() {
  std::lock_guard lock(mu_);
  try {
    Stmt s(db_, "SELECT 1 FROM apps LIMIT 1");
    s.step();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool SqliteStore::create_app(const AppRecord& app) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT INTO apps (appid, name, secret_hash, daily_quota, created_at, rate_rps, rate_burst)"
         " VALUES (?,?,?,?,?,?,?) ON CONFLICT (appid) DO NOTHING");
  s.bind(1, app.appid).bind(2, app.name).bind(3, app.secret_hash)
      .bind(4, std::int64_t{app.daily_quota}).bind(5, app.created_at).bind(6, app.rate_rps)
      .bind(7, std::int64_t{app.rate_burst}).step();
  return sqlite3_changes(db_) == 1;
}

std::optional<AppRecord> SqliteStore::find_app(const std::string& appid) {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT ") + kAppColumns + " FROM apps WHERE appid = ?").c_str());
  s.bind(1, appid);
  if (!s.step()) return std::nullopt;
  return app_from(s);
}

std::vector<AppRecord> SqliteStore::list_apps() {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT ") + kAppColumns + " FROM apps ORDER BY created_at, appid").c_str());
  std::vector<AppRecord> out;
  while (s.step()) out.push_back(app_from(s));
  return out;
}

bool SqliteStore::set_quota(const std::string& appid, int daily_quota) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE apps SET daily_quota = ? WHERE appid = ?").bind(1, std::int64_t{daily_quota}).bind(2, appid).step();
  return sqlite3_changes(db_) == 1;
}

bool SqliteStore::set_rate(const std::string& appid, double rps, int burst) {
  std::lock_guard lock(mu_);
  exec("BEGIN IMMEDIATE");
  try {
    Stmt(db_, "UPDATE apps SET rate_rps = ?, rate_burst = ? WHERE appid = ?")
        .bind(1, rps).bind(2, std::int64_t{burst}).bind(3, appid).step();
    const bool found = sqlite3_changes(db_) == 1;
    Stmt(db_, "DELETE FROM rate_limits WHERE appid = ?").bind(1, appid).step();
    exec("COMMIT");
    return found;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

bool SqliteStore::set_secret_hash(const std::string& appid, const std::string& secret_hash) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE apps SET secret_hash = ? WHERE appid = ?").bind(1, secret_hash).bind(2, appid).step();
  return sqlite3_changes(db_) == 1;
}

bool SqliteStore::delete_app(const std::string& appid) {
  std::lock_guard lock(mu_);
  exec("BEGIN IMMEDIATE");
  try {
    Stmt(db_, "DELETE FROM tokens WHERE appid = ?").bind(1, appid).step();
    Stmt(db_, "DELETE FROM quota_usage WHERE appid = ?").bind(1, appid).step();
    Stmt(db_, "DELETE FROM rate_limits WHERE appid = ?").bind(1, appid).step();
    Stmt(db_, "DELETE FROM apps WHERE appid = ?").bind(1, appid).step();
    const bool deleted = sqlite3_changes(db_) == 1;
    exec("COMMIT");
    return deleted;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteStore::issue_token(const std::string& appid, const std::string& token_hash,
                              std::int64_t now, std::int64_t expires_at, std::int64_t overlap_s) {
  std::lock_guard lock(mu_);
  exec("BEGIN IMMEDIATE");
  try {
    // Long-dead tokens are dropped here so the table stays small; a day's grace keeps the
    // "expired" (42001) answer distinct from "invalid" (40014) for a while.
    Stmt(db_, "DELETE FROM tokens WHERE appid = ? AND expires_at < ?").bind(1, appid).bind(2, now - 86400).step();
    Stmt(db_, "UPDATE tokens SET expires_at = ? WHERE appid = ? AND expires_at > ?")
        .bind(1, now + overlap_s).bind(2, appid).bind(3, now + overlap_s).step();
    Stmt(db_, "INSERT INTO tokens (token_hash, appid, expires_at) VALUES (?,?,?)")
        .bind(1, token_hash).bind(2, appid).bind(3, expires_at).step();
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<TokenRecord> SqliteStore::find_token(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT appid, expires_at FROM tokens WHERE token_hash = ?");
  s.bind(1, token_hash);
  if (!s.step()) return std::nullopt;
  return TokenRecord{s.text(0), s.int64(1)};
}

bool SqliteStore::consume_quota(const std::string& appid, const std::string& day, int limit) {
  if (limit <= 0) return false;
  std::lock_guard lock(mu_);
  // One statement: the row is read and bumped under SQLite's write lock, so concurrent callers in
  // any process are serialised and the WHERE guard is evaluated on the latest count.
  Stmt(db_,
       "INSERT INTO quota_usage (appid, day, used) VALUES (?, ?, 1)"
       " ON CONFLICT (appid, day) DO UPDATE SET used = used + 1 WHERE used < ?")
      .bind(1, appid).bind(2, day).bind(3, std::int64_t{limit}).step();
  return sqlite3_changes(db_) == 1;
}

void SqliteStore::refund_quota(const std::string& appid, const std::string& day) {
  std::lock_guard lock(mu_);
  Stmt(db_, "UPDATE quota_usage SET used = used - 1 WHERE appid = ? AND day = ? AND used > 0")
      .bind(1, appid).bind(2, day).step();
}

int SqliteStore::quota_used(const std::string& appid, const std::string& day) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT used FROM quota_usage WHERE appid = ? AND day = ?");
  s.bind(1, appid).bind(2, day);
  return s.step() ? static_cast<int>(s.int64(0)) : 0;
}

bool SqliteStore::consume_rate(const std::string& appid, std::int64_t now_us, std::int64_t interval_us,
                               int burst) {
  std::lock_guard lock(mu_);
  // One statement, as consume_quota: a write statement takes SQLite's write lock before it reads,
  // so the WHERE guard sees the TAT every other process left. A refused call changes no row.
  Stmt(db_,
       "INSERT INTO rate_limits (appid, tat_us) VALUES (?1, ?2 + ?3)"
       " ON CONFLICT (appid) DO UPDATE SET tat_us = max(tat_us, ?2) + ?3"
       " WHERE max(tat_us, ?2) + ?3 - ?2 <= ?3 * ?4")
      .bind(1, appid).bind(2, now_us).bind(3, interval_us).bind(4, std::int64_t{burst}).step();
  return sqlite3_changes(db_) == 1;
}

}  // namespace idcard::storage
