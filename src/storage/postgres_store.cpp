#include "storage/postgres_store.h"

#include <pqxx/pqxx>

namespace idcard::storage {

// Borrows a connection for one operation; a connection that broke is dropped, not returned.
class PostgresStore::Lease {
 public:
  explicit Lease(PostgresStore& store) : store_(store), conn_(store.acquire()) {}
  ~Lease() {
    if (conn_ && conn_->is_open())
      store_.release(std::move(conn_));
    else
      store_.release(nullptr);
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  pqxx::connection& operator*() { return *conn_; }

 private:
  PostgresStore& store_;
  std::unique_ptr<pqxx::connection> conn_;
};

namespace {

constexpr const char* kAppColumns = "appid, name, secret_hash, daily_quota, created_at, rate_rps, rate_burst";

AppRecord app_from(const pqxx::row& r) {
  return {r[0].as<std::string>(),  r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<int>(),
          r[4].as<std::int64_t>(), r[5].as<double>(),      r[6].as<int>()};
}

// One retry on a broken connection (server restart, idle timeout); other errors propagate.
template <typename Fn>
auto with_retry(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const pqxx::broken_connection&) {
    return fn();
  }
}

}  // namespace

PostgresStore::PostgresStore(std::string url, int max_connections)
    : url_(std::move(url)), max_connections_(max_connections < 1 ? 1 : max_connections) {
  migrate();
}

PostgresStore::~PostgresStore() = default;

std::unique_ptr<pqxx::connection> PostgresStore::acquire() {
  std::unique_lock lock(mu_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  try {
    return std::make_unique<pqxx::connection>(url_);
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void PostgresStore::release(std::unique_ptr<pqxx::connection> conn) {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      // A broken connection: the server restarted or dropped its clients, so the idle ones are
      // most likely broken too. Dropped together, or each next call would meet one of them.
      --open_;
      dropped.swap(idle_);
      open_ -= static_cast<int>(dropped.size());
    }
  }
  available_.notify_all();
}

void PostgresStore::migrate() {
  Lease conn(*this);
  pqxx::work tx(*conn);
  // Replicas starting together: the advisory lock serialises their CREATE TABLE IF NOT EXISTS.
  tx.exec("SELECT pg_advisory_xact_lock(7314201)");
  tx.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const int version = tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0].as<int>();
  if (version < 1) {
    tx.exec(
        "CREATE TABLE apps (appid TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL,"
        " daily_quota INTEGER NOT NULL, created_at BIGINT NOT NULL);"
        "CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, appid TEXT NOT NULL,"
        " expires_at BIGINT NOT NULL);"
        "CREATE INDEX tokens_by_app ON tokens (appid, expires_at);"
        "CREATE TABLE quota_usage (appid TEXT NOT NULL, day TEXT NOT NULL,"
        " used INTEGER NOT NULL, PRIMARY KEY (appid, day));"
        "INSERT INTO schema_version (version) VALUES (1);");
  }
  if (version < 2) {  // per-app rate limit: its setting on the app, its GCRA state apart
    tx.exec(
        "ALTER TABLE apps ADD COLUMN rate_rps DOUBLE PRECISION NOT NULL DEFAULT 0,"
        " ADD COLUMN rate_burst INTEGER NOT NULL DEFAULT 0;"
        "CREATE TABLE rate_limits (appid TEXT PRIMARY KEY, tat_us BIGINT NOT NULL);"
        "INSERT INTO schema_version (version) VALUES (2);");
  }
  tx.commit();
}

bool PostgresStore::ping() {
  try {
    Lease conn(*this);
    pqxx::nontransaction tx(*conn);
    tx.exec("SELECT 1 FROM apps LIMIT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool PostgresStore::create_app(const AppRecord& app) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    const auto r = tx.exec_params(
        "INSERT INTO apps (appid, name, secret_hash, daily_quota, created_at, rate_rps, rate_burst)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (appid) DO NOTHING",
        app.appid, app.name, app.secret_hash, app.daily_quota, app.created_at, app.rate_rps, app.rate_burst);
    tx.commit();
    return r.affected_rows() == 1;
  });
}

std::optional<AppRecord> PostgresStore::find_app(const std::string& appid) {
  return with_retry([&]() -> std::optional<AppRecord> {
    Lease conn(*this);
    pqxx::nontransaction tx(*conn);
    const auto r =
        tx.exec_params(std::string("SELECT ") + kAppColumns + " FROM apps WHERE appid = $1", appid);
    if (r.empty()) return std::nullopt;
    return app_from(r[0]);
  });
}

std::vector<AppRecord> PostgresStore::list_apps() {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::nontransaction tx(*conn);
    std::vector<AppRecord> out;
    for (const auto& row :
         tx.exec(std::string("SELECT ") + kAppColumns + " FROM apps ORDER BY created_at, appid"))
      out.push_back(app_from(row));
    return out;
  });
}

bool PostgresStore::set_quota(const std::string& appid, int daily_quota) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    const auto r = tx.exec_params("UPDATE apps SET daily_quota = $1 WHERE appid = $2", daily_quota, appid);
    tx.commit();
    return r.affected_rows() == 1;
  });
}

bool PostgresStore::set_rate(const std::string& appid, double rps, int burst) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    const auto r =
        tx.exec_params("UPDATE apps SET rate_rps = $1, rate_burst = $2 WHERE appid = $3", rps, burst, appid);
    tx.exec_params("DELETE FROM rate_limits WHERE appid = $1", appid);
    tx.commit();
    return r.affected_rows() == 1;
  });
}

bool PostgresStore::set_secret_hash(const std::string& appid, const std::string& secret_hash) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    const auto r = tx.exec_params("UPDATE apps SET secret_hash = $1 WHERE appid = $2", secret_hash, appid);
    tx.commit();
    return r.affected_rows() == 1;
  });
}

bool PostgresStore::delete_app(const std::string& appid) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    tx.exec_params("DELETE FROM tokens WHERE appid = $1", appid);
    tx.exec_params("DELETE FROM quota_usage WHERE appid = $1", appid);
    tx.exec_params("DELETE FROM rate_limits WHERE appid = $1", appid);
    const auto r = tx.exec_params("DELETE FROM apps WHERE appid = $1", appid);
    tx.commit();
    return r.affected_rows() == 1;
  });
}

void PostgresStore::issue_token(const std::string& appid, const std::string& token_hash, std::int64_t now,
                                std::int64_t expires_at, std::int64_t overlap_s) {
  with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    tx.exec_params("DELETE FROM tokens WHERE appid = $1 AND expires_at < $2", appid, now - 86400);
    tx.exec_params("UPDATE tokens SET expires_at = $1 WHERE appid = $2 AND expires_at > $1", now + overlap_s,
                   appid);
    tx.exec_params("INSERT INTO tokens (token_hash, appid, expires_at) VALUES ($1,$2,$3)", token_hash, appid,
                   expires_at);
    tx.commit();
  });
}

std::optional<TokenRecord> PostgresStore::find_token(const std::string& token_hash) {
  return with_retry([&]() -> std::optional<TokenRecord> {
    Lease conn(*this);
    pqxx::nontransaction tx(*conn);
    const auto r = tx.exec_params("SELECT appid, expires_at FROM tokens WHERE token_hash = $1", token_hash);
    if (r.empty()) return std::nullopt;
    return TokenRecord{r[0][0].as<std::string>(), r[0][1].as<std::int64_t>()};
  });
}

bool PostgresStore::consume_quota(const std::string& appid, const std::string& day, int limit) {
  if (limit <= 0) return false;
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    // ON CONFLICT DO UPDATE locks the row and re-evaluates the WHERE on its newest version, so
    // concurrent increments from any replica serialise and never pass the limit.
    const auto r = tx.exec_params(
        "INSERT INTO quota_usage (appid, day, used) VALUES ($1, $2, 1)"
        " ON CONFLICT (appid, day) DO UPDATE SET used = quota_usage.used + 1"
        " WHERE quota_usage.used < $3 RETURNING used",
        appid, day, limit);
    tx.commit();
    return r.size() == 1;
  });
}

void PostgresStore::refund_quota(const std::string& appid, const std::string& day) {
  with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    tx.exec_params("UPDATE quota_usage SET used = used - 1 WHERE appid = $1 AND day = $2 AND used > 0", appid,
                   day);
    tx.commit();
  });
}

int PostgresStore::quota_used(const std::string& appid, const std::string& day) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::nontransaction tx(*conn);
    const auto r = tx.exec_params("SELECT used FROM quota_usage WHERE appid = $1 AND day = $2", appid, day);
    return r.empty() ? 0 : r[0][0].as<int>();
  });
}

bool PostgresStore::consume_rate(const std::string& appid, std::int64_t now_us, std::int64_t interval_us,
                                 int burst) {
  return with_retry([&] {
    Lease conn(*this);
    pqxx::work tx(*conn);
    // As consume_quota: ON CONFLICT DO UPDATE locks the app's row and evaluates the WHERE on its
    // newest TAT, so concurrent calls from every replica are admitted one after the other.
    const auto r = tx.exec_params(
        "INSERT INTO rate_limits (appid, tat_us) VALUES ($1, $2::bigint + $3::bigint)"
        " ON CONFLICT (appid) DO UPDATE SET tat_us = GREATEST(rate_limits.tat_us, $2::bigint) + $3::bigint"
        " WHERE GREATEST(rate_limits.tat_us, $2::bigint) + $3::bigint - $2::bigint <= $3::bigint * $4::bigint"
        " RETURNING tat_us",
        appid, now_us, interval_us, burst);
    tx.commit();
    return r.size() == 1;
  });
}

}  // namespace idcard::storage
