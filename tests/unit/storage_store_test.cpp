// The same contract for both stores. PostgreSQL runs when IDCARD_TEST_PG_URL is set (make unit
// sets it from scripts/ensure_postgres.sh); under CI=true a missing URL fails instead of skipping.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "storage/credentials.h"
#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"

namespace idcard::storage {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("idcard-store-" + std::to_string(::getpid()) + "-" + new_secret().substr(0, 8));
      path_ = (dir_ / "sub" / "t.db").string();
      store_ = std::make_unique<SqliteStore>(path_);
    } else {
      const std::string url = env("IDCARD_TEST_PG_URL");
      if (url.empty()) {
        if (env("CI") == "true") FAIL() << "CI=true but IDCARD_TEST_PG_URL is not set";
        GTEST_SKIP() << "IDCARD_TEST_PG_URL not set";
      }
      store_ = std::make_unique<PostgresStore>(url, 8);
    }
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Store> second_store() {
    if (GetParam() == "sqlite") return std::make_unique<SqliteStore>(path_);
    return std::make_unique<PostgresStore>(env("IDCARD_TEST_PG_URL"), 8);
  }
  AppRecord new_app(int quota = 100) {
    AppRecord a{new_appid(), "test", hash_credential("s3cret"), quota, 1700000000};
    EXPECT_TRUE(store_->create_app(a));
    return a;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, AppsRoundTrip) {
  const AppRecord a = new_app(7);
  EXPECT_FALSE(store_->create_app(a)) << "duplicate appid must be refused";
  auto found = store_->find_app(a.appid);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "test");
  EXPECT_EQ(found->daily_quota, 7);
  EXPECT_EQ(found->secret_hash, hash_credential("s3cret"));
  EXPECT_TRUE(store_->set_quota(a.appid, 9));
  EXPECT_EQ(store_->find_app(a.appid)->daily_quota, 9);
  EXPECT_TRUE(store_->set_secret_hash(a.appid, "x"));
  EXPECT_EQ(store_->find_app(a.appid)->secret_hash, "x");
  bool listed = false;
  for (const auto& app : store_->list_apps()) listed |= app.appid == a.appid;
  EXPECT_TRUE(listed);
  EXPECT_TRUE(store_->ping());
  EXPECT_TRUE(store_->delete_app(a.appid));
  EXPECT_FALSE(store_->find_app(a.appid));
  EXPECT_FALSE(store_->delete_app(a.appid));
  EXPECT_FALSE(store_->set_quota(a.appid, 1));
}

TEST_P(StoreTest, NewTokenCutsOldOnesToOverlap) {
  const AppRecord a = new_app();
  const std::int64_t now = 1700000000;
  store_->issue_token(a.appid, "h1", now, now + 7200, 300);
  EXPECT_EQ(store_->find_token("h1")->expires_at, now + 7200);
  store_->issue_token(a.appid, "h2", now + 10, now + 7210, 300);
  EXPECT_EQ(store_->find_token("h1")->expires_at, now + 310) << "old token: 5 more minutes";
  EXPECT_EQ(store_->find_token("h2")->expires_at, now + 7210);
  EXPECT_EQ(store_->find_token("h2")->appid, a.appid);
  // An already shorter expiry is never extended.
  store_->issue_token(a.appid, "h3", now + 20, now + 7220, 300);
  EXPECT_EQ(store_->find_token("h1")->expires_at, now + 310);
  EXPECT_FALSE(store_->find_token("nope"));
  store_->delete_app(a.appid);
  EXPECT_FALSE(store_->find_token("h2")) << "deleting an app drops its tokens";
}

TEST_P(StoreTest, QuotaCountsPerDayAndRefunds) {
  const AppRecord a = new_app();
  EXPECT_TRUE(store_->consume_quota(a.appid, "2024-01-01", 2));
  EXPECT_TRUE(store_->consume_quota(a.appid, "2024-01-01", 2));
  EXPECT_FALSE(store_->consume_quota(a.appid, "2024-01-01", 2));
  EXPECT_EQ(store_->quota_used(a.appid, "2024-01-01"), 2);
  EXPECT_TRUE(store_->consume_quota(a.appid, "2024-01-02", 2)) << "a new day starts at zero";
  store_->refund_quota(a.appid, "2024-01-01");
  EXPECT_EQ(store_->quota_used(a.appid, "2024-01-01"), 1);
  EXPECT_FALSE(store_->consume_quota(a.appid, "2024-01-03", 0)) << "quota 0 admits nothing";
}

TEST_P(StoreTest, ConcurrentQuotaAdmitsExactlyTheLimit) {
  const AppRecord a = new_app();
  auto other = second_store();  // a second connection/handle, as a second process would have
  constexpr int kLimit = 17, kThreads = 8, kPerThread = 10;
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& s = t % 2 ? *other : *store_;
      for (int i = 0; i < kPerThread; ++i)
        if (s.consume_quota(a.appid, "2024-02-02", kLimit)) ++wins;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), kLimit);
  EXPECT_EQ(store_->quota_used(a.appid, "2024-02-02"), kLimit);
}

TEST_P(StoreTest, RateIsStoredAndResetBySetRate) {
  const AppRecord a = new_app();
  EXPECT_EQ(store_->find_app(a.appid)->rate_rps, 0.0) << "a new app is unlimited";
  EXPECT_TRUE(store_->set_rate(a.appid, 2.5, 4));
  auto found = store_->find_app(a.appid);
  EXPECT_EQ(found->rate_rps, 2.5);
  EXPECT_EQ(found->rate_burst, 4);
  EXPECT_FALSE(store_->set_rate("wxnope", 1, 1));

  const std::int64_t t = 1700000000LL * 1000000, interval = 1000000;
  EXPECT_TRUE(store_->consume_rate(a.appid, t, interval, 1));
  EXPECT_FALSE(store_->consume_rate(a.appid, t, interval, 1));
  EXPECT_TRUE(store_->set_rate(a.appid, 1, 1));
  EXPECT_TRUE(store_->consume_rate(a.appid, t, interval, 1)) << "a new rate starts with a full burst";
  EXPECT_TRUE(store_->delete_app(a.appid));
  EXPECT_TRUE(store_->create_app(a));
  EXPECT_TRUE(store_->consume_rate(a.appid, t, interval, 1)) << "deleting an app drops its rate state";
}

// GCRA with the clock passed in: a burst at once, then one call per interval, never more.
TEST_P(StoreTest, RateAdmitsBurstThenOnePerInterval) {
  const AppRecord a = new_app();
  const std::int64_t t = 1700000000LL * 1000000, iv = 100000;  // 10 per second, burst 3
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(store_->consume_rate(a.appid, t, iv, 3)) << i;
  EXPECT_FALSE(store_->consume_rate(a.appid, t, iv, 3));
  EXPECT_FALSE(store_->consume_rate(a.appid, t + iv - 1, iv, 3)) << "one microsecond early";
  EXPECT_TRUE(store_->consume_rate(a.appid, t + iv, iv, 3));
  EXPECT_FALSE(store_->consume_rate(a.appid, t + iv, iv, 3));
  // Refused calls do not push the next slot further out.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(store_->consume_rate(a.appid, t + iv + 10, iv, 3));
  EXPECT_TRUE(store_->consume_rate(a.appid, t + 2 * iv, iv, 3));
  // After a long quiet spell the bucket is full again, but holds no more than the burst.
  const std::int64_t later = t + 60 * 1000000LL;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(store_->consume_rate(a.appid, later, iv, 3)) << i;
  EXPECT_FALSE(store_->consume_rate(a.appid, later, iv, 3));
  // Over a simulated second at one call per millisecond: burst + rate * window, exactly.
  const std::int64_t start = t + 120 * 1000000LL;
  int admitted = 0;
  for (std::int64_t now = start; now <= start + 1000000; now += 1000)
    admitted += store_->consume_rate(a.appid, now, iv, 3) ? 1 : 0;
  EXPECT_EQ(admitted, 3 + 10);
}

// Threads over two handles (as two replicas) at the same simulated instants: each instant admits
// exactly what the bucket holds, however the calls interleave.
TEST_P(StoreTest, ConcurrentRateAdmitsExactlyTheBucket) {
  const AppRecord a = new_app();
  auto other = second_store();
  constexpr int kBurst = 5, kRounds = 4, kThreads = 8, kPerThread = 6;
  const std::int64_t t = 1700000000LL * 1000000, iv = 250000;
  for (int round = 0; round < kRounds; ++round) {
    const std::int64_t now = t + round * 2 * iv;  // two intervals between rounds: two more calls
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int th = 0; th < kThreads; ++th) {
      threads.emplace_back([&, th] {
        Store& s = th % 2 ? *other : *store_;
        for (int i = 0; i < kPerThread; ++i)
          if (s.consume_rate(a.appid, now, iv, kBurst)) ++wins;
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(wins.load(), round == 0 ? kBurst : 2) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace idcard::storage
