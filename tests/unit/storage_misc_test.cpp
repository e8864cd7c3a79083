#include <gtest/gtest.h>

#include <set>

#include "storage/credentials.h"
#include "storage/database_url.h"
#include "storage/shanghai_day.h"

namespace idcard::storage {
namespace {

TEST(ShanghaiDay, RollsOverAtBeijingMidnight) {
  EXPECT_EQ(shanghai_day(0), "1970-01-01");
  // 2024-03-01 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the 2nd.
  EXPECT_EQ(shanghai_day(1709308799), "2024-03-01");
  EXPECT_EQ(shanghai_day(1709308800), "2024-03-02");
  EXPECT_EQ(shanghai_day(1709222400 - 8 * 3600), "2024-02-29");  // leap day, Shanghai midnight
  EXPECT_EQ(shanghai_day(-1 - 8 * 3600), "1969-12-31");
}

TEST(Credentials, ShapesAndHashing) {
  const std::string appid = new_appid(), secret = new_secret(), token = new_access_token();
  EXPECT_EQ(appid.size(), 18u);
  EXPECT_EQ(appid.substr(0, 2), "wx");
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(new_access_token());
  EXPECT_EQ(tokens.size(), 100u);
  EXPECT_EQ(hash_credential("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(DatabaseUrl, Schemes) {
  StorageSettings s;
  s.data_dir = "/var/lib/x";
  EXPECT_EQ(parse_database_url(s).location, "/var/lib/x/idcard-ocr.db");
  s.database_url = "sqlite:///tmp/a.db";
  EXPECT_EQ(parse_database_url(s).kind, DatabaseTarget::Kind::kSqlite);
  EXPECT_EQ(parse_database_url(s).location, "/tmp/a.db");
  s.database_url = "postgresql://u:pw@h/db";
  EXPECT_EQ(parse_database_url(s).kind, DatabaseTarget::Kind::kPostgres);
  s.database_url = "mysql://h/db";
  EXPECT_THROW(parse_database_url(s), std::invalid_argument);
  EXPECT_EQ(redact_database_url("postgresql://u:pw@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(redact_database_url("postgresql://u@h/db"), "postgresql://u@h/db");
}

}  // namespace
}  // namespace idcard::storage
