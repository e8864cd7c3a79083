// `idcard-ocr apps …`: manage apps in the database IDCARD_OCR_DATABASE_URL names. Output is one
// JSON line per result so scripts and tests can parse it; a secret is shown only when created.
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "storage/credentials.h"
#include "storage/open_store.h"
#include "storage/shanghai_day.h"

namespace idcard::cli {
namespace {

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

void print(const nlohmann::json& j) { std::cout << j.dump() << "\n" << std::flush; }

[[noreturn]] void no_such_app(const std::string& appid) {
  std::cerr << "idcard-ocr: no app with appid " << appid << "\n";
  throw CLI::RuntimeError(2);
}

}  // namespace

void add_apps_command(CLI::App& app, Settings& settings) {
  auto* apps = app.add_subcommand("apps", "Manage apps (appid/secret, quotas)");
  apps->require_subcommand(1);
  struct Opts {
    std::string name, appid;
    int quota = -1;
  };
  auto o = std::make_shared<Opts>();

  auto* create = apps->add_subcommand("create", "Create an app; prints {\"appid\",\"secret\"} once");
  create->add_option("--name", o->name, "App name")->required();
  create->add_option("--daily-quota", o->quota, "Calls per Asia/Shanghai day (default 100)")->check(CLI::NonNegativeNumber);
  create->callback([&settings, o] {
    auto store = storage::open_store(settings.storage, 1);
    const int quota = o->quota >= 0 ? o->quota : settings.server.default_daily_quota;
    for (;;) {  // appids are random; retry on the (astronomically rare) collision
      const std::string appid = storage::new_appid(), secret = storage::new_secret();
      if (store->create_app({appid, o->name, storage::hash_credential(secret), quota, unix_now()})) {
        print({{"appid", appid}, {"secret", secret}});
        return;
      }
    }
  });

  auto* list = apps->add_subcommand("list", "One JSON line per app (never secrets)");
  list->callback([&settings] {
    auto store = storage::open_store(settings.storage, 1);
    const std::string today = storage::shanghai_day(unix_now());
    for (const auto& a : store->list_apps())
      print({{"appid", a.appid}, {"name", a.name}, {"daily_quota", a.daily_quota},
             {"used_today", store->quota_used(a.appid, today)}, {"created_at", a.created_at}});
  });

  auto* set_quota = apps->add_subcommand("set-quota", "Change an app's daily quota");
  set_quota->add_option("appid", o->appid)->required();
  set_quota->add_option("quota", o->quota)->required()->check(CLI::NonNegativeNumber);
  set_quota->callback([&settings, o] {
    auto store = storage::open_store(settings.storage, 1);
    if (!store->set_quota(o->appid, o->quota)) no_such_app(o->appid);
    print({{"appid", o->appid}, {"daily_quota", o->quota}});
  });

  auto* rotate = apps->add_subcommand("rotate-secret", "Issue a new secret (the old one stops working)");
  rotate->add_option("appid", o->appid)->required();
  rotate->callback([&settings, o] {
    auto store = storage::open_store(settings.storage, 1);
    const std::string secret = storage::new_secret();
    if (!store->set_secret_hash(o->appid, storage::hash_credential(secret))) no_such_app(o->appid);
    print({{"appid", o->appid}, {"secret", secret}});
  });

  auto* del = apps->add_subcommand("delete", "Delete an app with its tokens and counters");
  del->add_option("appid", o->appid)->required();
  del->callback([&settings, o] {
    auto store = storage::open_store(settings.storage, 1);
    if (!store->delete_app(o->appid)) no_such_app(o->appid);
    print({{"appid", o->appid}, {"deleted", true}});
  });
}

}  // namespace idcard::cli
