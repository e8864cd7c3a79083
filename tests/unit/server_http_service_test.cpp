// The service in-process on loopback with a fake engine and a temporary SQLite store.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
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
    return get("/cgi-bin/token?grant_type=client_credential&appid=" + appid_ +
               "&secret=" + secret_)["access_token"];
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

// A second server on a taken port must fail to bind, not share the port with the first
// (SO_REUSEPORT would let the kernel split callers between two processes).
TEST_F(ServiceTest, ATakenPortIsRefusedNotShared) {
  start();
  HttpService second(settings_, *store_, *log_, *clock_);
  EXPECT_EQ(second.bind("127.0.0.1", port_), -1);
  auto h = client_->Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

TEST_F(ServiceTest, TokenGrantErrors) {
  start();
  EXPECT_EQ(get("/cgi-bin/token?grant_type=x&appid=" + appid_ + "&secret=" + secret_)["errcode"], 40002);
  EXPECT_EQ(get("/cgi-bin/token?grant_type=client_credential&appid=wxnope&secret=" + secret_)["errcode"],
            40013);
  EXPECT_EQ(get("/cgi-bin/token?grant_type=client_credential&appid=" + appid_ + "&secret=bad")["errcode"],
            40001);
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

// One call per 100 s with a burst of 2: the clock moves only by the test's hand. A call refused
// for its rate (45011, WeChat's words) does not use the daily quota.
TEST_F(ServiceTest, RateLimitAnswers45011AndSparesTheQuota) {
  store_->set_quota(appid_, 10);
  ASSERT_TRUE(store_->set_rate(appid_, 0.01, 2));
  start();
  const std::string t = token();
  EXPECT_EQ(ocr(t, "junk")["errcode"], 101002);
  EXPECT_EQ(ocr(t, "junk")["errcode"], 101002);
  const auto limited = ocr(t, "junk");
  EXPECT_EQ(limited["errcode"], 45011);
  EXPECT_EQ(limited["errmsg"].get<std::string>().rfind(
                "api minute-quota reach limit, must slower, retry next minute rid: ", 0),
            0u)
      << limited;
  EXPECT_EQ(ocr(t, "junk")["errcode"], 45011);
  EXPECT_EQ(store_->quota_used(appid_, storage::shanghai_day(clock_->now())), 2);
  advance_clock(100);
  EXPECT_EQ(ocr(t, "junk")["errcode"], 101002) << "one interval later: one more call";
  EXPECT_EQ(ocr(t, "junk")["errcode"], 45011);
  ASSERT_TRUE(store_->set_rate(appid_, 0, 0));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ocr(t, "junk")["errcode"], 101002) << "rate 0: unlimited";
}

// WxJava's upload names the part `file`.
TEST_F(ServiceTest, UploadInFileFieldIsRead) {
  start();
  httplib::MultipartFormDataItems items = {{"file", "card", "card.jpg", "image/jpeg"}};
  auto r = client_->Post(("/cv/ocr/idcard?type=photo&access_token=" + token()).c_str(), items);
  ASSERT_TRUE(r);
  const auto body = nlohmann::json::parse(r->body);
  EXPECT_EQ(body["errcode"], 0) << body;
  EXPECT_EQ(body["name"], "姚秋霞");
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
  // Answered while the only worker is still held: were it queued, no answer could come before
  // the release below.
  auto r = c2.Post(("/cv/ocr/idcard?access_token=" + t).c_str(), items);
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

// A real outage of the real store: its apps table renamed away under the running service (by a
// second connection, as an operator's mistake or a broken migration would), then back.
TEST_F(ServiceTest, StorageOutageIsLoggedOncePerIntervalWithACount) {
  settings_.failure_log_interval_s = 3600;  // one interval for the whole test: no timing involved
  start();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "t.db").string().c_str(), &other), SQLITE_OK);
  const auto exec = [&](const char* sql) {
    sqlite3_busy_timeout(other, 5000);
    ASSERT_EQ(sqlite3_exec(other, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(other);
  };
  exec("ALTER TABLE apps RENAME TO apps_away");
  const std::string grant =
      "/cgi-bin/token?grant_type=client_credential&appid=" + appid_ + "&secret=" + secret_;
  for (int i = 0; i < 50; ++i) ASSERT_EQ(get(grant)["errcode"], -1);
  exec("ALTER TABLE apps_away RENAME TO apps");
  sqlite3_close(other);
  EXPECT_EQ(get(grant)["expires_in"], 7200);

  std::vector<nlohmann::json> failures, summaries;
  std::istringstream lines(log_text_.str());
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j["event"] == "request" && j.value("note", "") == "storage error") failures.push_back(j);
    if (j["event"] == "repeated failure") summaries.push_back(j);
  }
  ASSERT_EQ(failures.size(), 1u) << log_text_.str();
  EXPECT_FALSE(failures[0].contains("not_logged"));
  ASSERT_EQ(summaries.size(), 1u) << log_text_.str();
  EXPECT_EQ(summaries[0]["not_logged"], 49);
  EXPECT_EQ(summaries[0]["level"], "warn");
}

TEST_F(ServiceTest, MetricsTokenGuardsMetricsAndReadinessDetails) {
  settings_.metrics_token = "m3trics-t0ken";
  start();
  auto r = client_->Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(nlohmann::json::parse(r->body)["errcode"], 40001);
  r = client_->Get("/metrics", {{"Authorization", "Bearer wrong-token"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  r = client_->Get("/metrics", {{"Authorization", "Bearer m3trics-t0ken"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("# TYPE"), std::string::npos);
  // Readiness stays open to probes; which part is down is for the token's holder.
  EXPECT_EQ(get("/readyz"), (nlohmann::json{{"status", "ready"}}));
  r = client_->Get("/readyz", {{"Authorization", "Bearer m3trics-t0ken"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(nlohmann::json::parse(r->body),
            (nlohmann::json{{"status", "ready"}, {"models", true}, {"database", true}}));
  EXPECT_EQ(log_text_.str().find("m3trics-t0ken"), std::string::npos);
}

// A client trickling its request head is closed once head_timeout_s has passed (httplib's own
// read timeout is per recv, so it never would be); a request whose answer takes longer than that
// is not cut: only heads are timed.
TEST_F(ServiceTest, SlowHeadIsCutSlowAnswerIsNot) {
  settings_.head_timeout_s = 1;
  std::atomic<bool> entered{false}, release{false};
  start([&](std::string_view img, ImageType type, const ReadOptions&) {
    entered = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return fake_card(img, type);
  });
  const std::string t = token();
  std::thread slow_answer([&] { EXPECT_EQ(ocr(t, "card")["errcode"], 0); });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // its head is in

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval guard{30, 0};  // a hang guard, not a timing check
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  bool closed = false;
  for (std::size_t i = 0; i < head.size() && !closed; ++i) {  // a byte every 300 ms, never done
    if (::send(fd, head.data() + i, 1, MSG_NOSIGNAL) != 1) closed = true;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 300) > 0) {
      char buf[512];
      closed = ::recv(fd, buf, sizeof buf, 0) >= 0;  // a 400 for the cut head, then EOF; or EOF
    }
  }
  ::close(fd);
  EXPECT_TRUE(closed) << "the trickling connection was never cut";
  release = true;  // the OCR call has now waited well past head_timeout_s; it is answered
  slow_answer.join();
}

// A raw connection to the service (the tests below pace its bytes themselves).
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval guard{30, 0};  // a hang guard, not a timing check
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Whether the server has written or closed (without waiting).
  bool server_spoke() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }
  std::string read_all() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// An OCR upload as raw bytes: the head, and a body whose `img` part is `image`.
std::pair<std::string, std::string> raw_upload(const std::string& token, const std::string& image) {
  const std::string b = "pacebound";
  const std::string body = "--" + b +
                           "\r\nContent-Disposition: form-data; name=\"img\"; filename=\"c.jpg\"\r\n" +
                           "Content-Type: image/jpeg\r\n\r\n" + image + "\r\n--" + b + "--\r\n";
  const std::string head = "POST /cv/ocr/idcard?type=photo&access_token=" + token +
                           " HTTP/1.1\r\nHost: x\r\n" + "Content-Type: multipart/form-data; boundary=" + b +
                           "\r\n" + "Content-Length: " + std::to_string(body.size()) +
                           "\r\nConnection: close\r\n\r\n";
  return {head, body};
}

// After head_timeout_s of grace a body must keep min_body_rate on average: a trickle is cut, a
// body at a steady pace above it (taking several times the grace) is read and answered.
TEST_F(ServiceTest, TricklingBodyIsCutSteadyBodyIsNot) {
  settings_.head_timeout_s = 1;
  settings_.min_body_rate = 2000;
  start([](std::string_view img, ImageType type, const ReadOptions& o) {
    return fake_card(img.substr(0, 4), type, o);  // "card" followed by padding
  });
  const std::string t = token();

  RawConnection trickle(port_);
  ASSERT_TRUE(trickle.connected());
  const auto [thead, tbody] = raw_upload(t, "card" + std::string(50000, ' '));
  ASSERT_TRUE(trickle.send(thead));
  bool cut = false;
  for (std::size_t i = 0; i < 40 && !cut; ++i) {  // 20 bytes every 200 ms (100 B/s) for 8 s at most
    if (!trickle.send(std::string_view(tbody).substr(i * 20, 20))) cut = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cut = cut || trickle.server_spoke();
  }
  EXPECT_TRUE(cut) << "the trickling body was never cut";

  RawConnection steady(port_);
  ASSERT_TRUE(steady.connected());
  const auto [shead, sbody] = raw_upload(t, "card" + std::string(24000, ' '));
  ASSERT_TRUE(steady.send(shead));
  for (std::size_t at = 0; at < sbody.size(); at += 800) {  // 800 bytes every 100 ms: ~8 KB/s for 3 s
    ASSERT_TRUE(steady.send(std::string_view(sbody).substr(at, 800)));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string answer = steady.read_all();
  ASSERT_NE(answer.find("\r\n\r\n"), std::string::npos) << answer;
  EXPECT_EQ(nlohmann::json::parse(answer.substr(answer.find("\r\n\r\n") + 4))["errcode"], 0);
}

}  // namespace
}  // namespace idcard::server
