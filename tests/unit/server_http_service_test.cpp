// The service in-process on loopback with a fake engine and a temporary SQLite store.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server/http_service.h"
#include "storage/credentials.h"
#include "storage/shanghai_day.h"
#include "storage/sqlite_store.h"

namespace idcard::server {
namespace {

namespace fs = std::filesystem;

ReadOutcome fake_card(std::string_view image, ImageType, const ReadOptions& = {}) {
  ReadOutcome o;
  if (image == "junk") return {ReadStatus::kInvalidImage, {}, "junk", {}};
  if (image == "blank") return {ReadStatus::kNotFound, {}, "no card", {}};
  FrontFields f;
  f.name.text = "姚秋霞";
  f.id.text = "410423197912047122";
  f.gender.text = "女";
  o.card.front = f;
  return o;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("idcard-svc-" + storage::new_secret().substr(0, 10));
    fs::create_directories(dir_);
    clock_file_ = (dir_ / "clock").string();
    settings_.ocr_workers = 1;
    settings_.ocr_queue = 0;
    store_ = std::make_unique<storage::SqliteStore>((dir_ / "t.db").string());
    clock_ = std::make_unique<Clock>(0, clock_file_);
    log_ = std::make_unique<JsonLogger>(log_text_);
    secret_ = storage::new_secret();
    store_->create_app({appid_, "t", storage::hash_credential(secret_), 3, 0});
  }
  void start(Recognizer r = fake_card) {
    service_ = std::make_unique<HttpService>(settings_, *store_, *log_, *clock_);
    service_->set_recognizer(std::move(r));
    port_ = service_->bind("127.0.0.1", 0);
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { service_->run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    for (int i = 0; i < 100; ++i) {
      if (auto h = client_->Get("/healthz"); h && h->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void TearDown() override {
    if (service_) service_->stop();
    if (thread_.joinable()) thread_.join();
    service_.reset();
    fs::remove_all(dir_);
  }
  void advance_clock(long long seconds) { std::ofstream(clock_file_) << seconds; }
  nlohmann::json get(const std::string& path) {
    auto r = client_->Get(path.c_str());
    return r ? nlohmann::json::parse(r->body) : nlohmann::json();
  }
  std::string token() {
    return get("/cgi-bin/token?grant_type=client_credential&appid=" + appid_ + "&secret=" + secret_)["access_token"];
  }
  nlohmann::json ocr(const std::string& token, const std::string& image, const std::string& extra = "") {
    httplib::MultipartFormDataItems items = {{"img", image, "card.jpg", "image/jpeg"}};
    auto r = client_->Post(("/cv/ocr/idcard?type=photo&access_token=" + token + extra).c_str(), items);
    if (!r) return {};
    EXPECT_EQ(r->status, 200);
    return nlohmann::json::parse(r->body);
  }

  fs::path dir_;
  std::string clock_file_;
  ServerSettings settings_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<Clock> clock_;
  std::ostringstream log_text_;
  std::unique_ptr<JsonLogger> log_;
  std::unique_ptr<HttpService> service_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
  const std::string appid_ = storage::new_appid();
  std::string secret_;
};

TEST_F(ServiceTest, TokenGrantErrors) {
  start();
  EXPECT_EQ(get("/cgi-bin/token?grant_type=x&appid=" + appid_ + "&secret=" + secret_)["errcode"], 40002);
  EXPECT_EQ(get("/cgi-bin/token?grant_type=client_credential&appid=wxnope&secret=" + secret_)["errcode"], 40013);
  EXPECT_EQ(get("/cgi-bin/token?grant_type=client_credential&appid=" + appid_ + "&secret=bad")["errcode"], 40001);
  const auto ok = get("/cgi-bin/token?grant_type=client_credential&appid=" + appid_ + "&secret=" + secret_);
  EXPECT_EQ(ok["expires_in"], 7200);
  EXPECT_EQ(ok["access_token"].get<std::string>().size(), 64u);
}

TEST_F(ServiceTest, RecognitionErrcodesAndQuota) {
  start();
  const std::string t = token();
  const auto front = ocr(t, "card");
  EXPECT_EQ(front["errcode"], 0);
  EXPECT_EQ(front["type"], "Front");
  EXPECT_EQ(front["name"], "姚秋霞");
  EXPECT_EQ(ocr(t, "junk")["errcode"], 101002);
  EXPECT_EQ(ocr(t, "blank")["errcode"], 101001);
  EXPECT_EQ(ocr(t, "card")["errcode"], 45009) << "quota 3 spent";
  EXPECT_EQ(ocr("", "card")["errcode"], 41001);
  EXPECT_EQ(ocr("nope", "card")["errcode"], 40014);
  // Personal data never reaches the log.
  const std::string log = log_text_.str();
  EXPECT_EQ(log.find("410423197912047122"), std::string::npos);
  EXPECT_EQ(log.find("姚秋霞"), std::string::npos);
  EXPECT_EQ(log.find(t), std::string::npos);
  EXPECT_EQ(log.find(secret_), std::string::npos);
}

TEST_F(ServiceTest, TokenExpiryAndOverlapFollowTheClock) {
  settings_.token_ttl_s = 600;
  start();
  const std::string first = token();
  advance_clock(100);
  const std::string second = token();
  EXPECT_EQ(ocr(first, "junk")["errcode"], 101002) << "old token valid in the overlap";
  advance_clock(100 + 301);
  EXPECT_EQ(ocr(first, "junk")["errcode"], 42001);
  EXPECT_EQ(ocr(second, "junk")["errcode"], 101002);
  advance_clock(100 + 601);
  EXPECT_EQ(ocr(second, "junk")["errcode"], 42001);
}

TEST_F(ServiceTest, OverloadAnswersMinusOneAtOnce) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> started{0};
  store_->set_quota(appid_, 100);
  start([&](std::string_view img, ImageType type, const ReadOptions&) {
    ++started;
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
    return fake_card(img, type);
  });
  const std::string t = token();
  std::thread busy([&] { EXPECT_EQ(ocr(t, "card")["errcode"], 0); });
  for (int i = 0; i < 200 && started == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  httplib::Client c2("127.0.0.1", port_);
  httplib::MultipartFormDataItems items = {{"img", "card", "c.jpg", "image/jpeg"}};
  const auto t0 = std::chrono::steady_clock::now();
  auto r = c2.Post(("/cv/ocr/idcard?access_token=" + t).c_str(), items);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  busy.join();
  ASSERT_TRUE(r);
  const auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["errcode"], -1);
  EXPECT_NE(j["errmsg"].get<std::string>().find("overloaded"), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  EXPECT_EQ(store_->quota_used(appid_, storage::shanghai_day(clock_->now())), 1) << "overload refunded";
}

TEST_F(ServiceTest, MethodsPathsAndMissingMedia) {
  start();
  EXPECT_EQ(get("/cv/ocr/idcard")["errcode"], 43002);
  auto r = client_->Get("/no/such/path");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(nlohmann::json::parse(r->body)["errcode"], 40066);
  const std::string t = token();
  auto m = client_->Post(("/cv/ocr/idcard?access_token=" + t).c_str(), "", "text/plain");
  ASSERT_TRUE(m);
  EXPECT_EQ(nlohmann::json::parse(m->body)["errcode"], 41005);
  EXPECT_EQ(get("/readyz")["status"], "ready");
  r = client_->Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404) << "demo off unless enabled";
}

}  // namespace
}  // namespace idcard::server
