// `idcard-ocr apps …`: manage apps in the database IDCARD_OCR_DATABASE_URL names. Output is one
// JSON line per result so scripts and tests can parse it; a secret is shown only when created.
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "storage/credentials.h"
#include "storage/open_store.h"
#include "storage/rate_limit.h"
#include "storage/shanghai_day.h"

namespace idcard::cli {
namespace {

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

void print(const nlohmann::json& j) { std::cout << j.dump() << "\n" << std::flush; }

[[noreturn]] void no_such_app(const std::string& appid) {
  std::cerr << "idcard-ocr: no app with appid " << appid << "\n";
  throw CLI::RuntimeError(2);
}

// The rate as it is enforced: an unset burst shows the default one it stands for.
nlohmann::json rate_json(const storage::AppRecord& a) {
  if (a.rate_rps <= 0) return {{"rps", 0}, {"burst", 0}};
  return {{"rps", a.rate_rps},
          {"burst", a.rate_burst > 0 ? a.rate_burst : storage::default_burst(a.rate_rps)}};
}

nlohmann::json app_json(storage::Store& store, const storage::AppRecord& a, const std::string& today) {
  return {{"appid", a.appid},
          {"name", a.name},
          {"daily_quota", a.daily_quota},
          {"used_today", store.quota_used(a.appid, today)},
          {"rate", rate_json(a)},
          {"created_at", a.created_at}};
}

}  // namespace

void add_apps_command(CLI::App& app, Settings& settings) {
  auto* apps = app.add_subcommand("apps", "Manage apps (appid/secret, quotas, rates)");
  apps->require_subcommand(1);
  struct Opts {
    std::string name, appid;
    int quota = -1;
    double rps = 0;
    int burst = 0;
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
    for (const auto& a : store->list_apps()) print(app_json(*store, a, today));
  });

  auto* show = apps->add_subcommand("show", "One app as JSON (never its secret)");
  show->add_option("appid", o->appid)->required();
  show->callback([&settings, o] {
    auto store = storage::open_store(settings.storage, 1);
    const auto a = store->find_app(o->appid);
    if (!a) no_such_app(o->appid);
    print(app_json(*store, *a, storage::shanghai_day(unix_now())));
  });

  auto* set_quota = apps->add_subcommand("set-quota", "Change an app's daily quota");
  set_quota->add_option("appid", o->appid)->required();
  set_quota->add_option("quota", o->quota)->required()->check(CLI::NonNegativeNumber);
  set_quota->callback([&settings, o] {
    auto store = storage::open_store(settings.storage, 1);
    if (!store->set_quota(o->appid, o->quota)) no_such_app(o->appid);
    print({{"appid", o->appid}, {"daily_quota", o->quota}});
  });

  auto* set_rate = apps->add_subcommand(
      "set-rate",
      "Limit the app's calls to /cv/ocr/idcard per second (errcode 45011 beyond); --rps 0: unlimited");
  set_rate->add_option("appid", o->appid)->required();
  set_rate->add_option("--rps", o->rps, "Calls per second (fractions allowed); 0 removes the limit")
      ->required()
      ->check(CLI::Range(0.0, storage::kMaxRps));
  set_rate
      ->add_option("--burst", o->burst,
                   "Calls admitted at once after a quiet spell (default: one second's worth)")
      ->check(CLI::Range(0, storage::kMaxBurst));
  set_rate->callback([&settings, o] {
    if (o->rps > 0 && o->rps < storage::kMinRps) {
      std::cerr << "idcard-ocr: --rps must be 0 or at least " << storage::kMinRps << "\n";
      throw CLI::RuntimeError(2);
    }
    auto store = storage::open_store(settings.storage, 1);
    const int burst = o->rps > 0 ? o->burst : 0;
    if (!store->set_rate(o->appid, o->rps, burst)) no_such_app(o->appid);
    storage::AppRecord a;
    a.rate_rps = o->rps;
    a.rate_burst = burst;
    print({{"appid", o->appid}, {"rate", rate_json(a)}});
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
