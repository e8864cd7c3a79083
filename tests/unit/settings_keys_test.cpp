#include "core/settings_keys.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace idcard {
namespace {

const SettingKey& key(const std::string& name) {
  for (const auto& k : setting_keys())
    if (name == k.name) return k;
  throw std::out_of_range(name);
}

TEST(SettingKeys, NamesAndVariablesAreUnique) {
  std::set<std::string> names, envs;
  for (const auto& k : setting_keys()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name;
    EXPECT_TRUE(envs.insert(k.env).second) << k.env;
    EXPECT_EQ(std::string(k.env).rfind("IDCARD_OCR_", 0), 0u) << k.env;
  }
}

TEST(SettingKeys, IntegersAreParsedWholeAndRangeChecked) {
  Settings s;
  key("port").set(s, "9000");
  EXPECT_EQ(s.server.port, 9000);
  EXPECT_EQ(key("port").show(s), "9000");
  EXPECT_THROW(key("port").set(s, "90x"), std::invalid_argument);
  EXPECT_THROW(key("port").set(s, "70000"), std::invalid_argument);
  EXPECT_THROW(key("ocr-workers").set(s, "0"), std::invalid_argument);
  EXPECT_THROW(key("threads").set(s, ""), std::invalid_argument);
  EXPECT_EQ(s.server.port, 9000);  // a refused value changes nothing
}

TEST(SettingKeys, DemoIsTrueFalseOrAuto) {
  Settings s;
  EXPECT_EQ(key("demo").show(s), "\"auto\"");
  key("demo").set(s, "false");
  EXPECT_TRUE(s.server.demo_explicit);
  EXPECT_FALSE(s.server.demo);
  key("demo").set(s, "auto");
  EXPECT_FALSE(s.server.demo_explicit);
  EXPECT_THROW(key("demo").set(s, "maybe"), std::invalid_argument);
}

TEST(SettingKeys, ListsClearThenAppend) {
  Settings s;
  const auto& hosts = key("allow-fetch-host");
  ASSERT_TRUE(hosts.clear);
  hosts.set(s, "10.0.0.0/8");
  hosts.set(s, "img.local");
  EXPECT_EQ(hosts.show(s), R"(["10.0.0.0/8", "img.local"])");
  hosts.clear(s);
  EXPECT_TRUE(s.server.fetch_allow_hosts.empty());
}

TEST(SettingKeys, SecretsAreRedacted) {
  Settings s;
  key("database-url").set(s, "postgresql://ocr:pa:ss@db:5432/idcard");
  EXPECT_EQ(key("database-url").show(s), "\"postgresql://ocr:***@db:5432/idcard\"");
  EXPECT_EQ(redact_url_password("postgresql://ocr@db/idcard"), "postgresql://ocr@db/idcard");
  EXPECT_EQ(redact_url_password("sqlite:///var/lib/a.db"), "sqlite:///var/lib/a.db");
  EXPECT_EQ(redact_url_password("postgresql://u:p@ss@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(redacted(Secret::kWhole, "a-bearer-token"), "***");
  EXPECT_EQ(redacted(Secret::kWhole, ""), "");
  EXPECT_EQ(redacted(Secret::kNo, "x"), "x");
  for (const auto& k : setting_keys()) {
    if (k.secret == Secret::kNo) continue;
    Settings with_secret;
    k.set(with_secret, "postgresql://u:hunter2@h/db");
    EXPECT_EQ(k.show(with_secret).find("hunter2"), std::string::npos) << k.name;
  }
  EXPECT_EQ(redact_url_password("postgresql://db:5432/x"), "postgresql://db:5432/x");
}

}  // namespace
}  // namespace idcard
