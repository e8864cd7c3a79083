// The upload path end to end: each input becomes the body (and part of the Content-Type) of a
// POST /cv/ocr/idcard sent over loopback to an in-process HttpService; multipart parsing
// (cpp-httplib), field collection and limits (UploadCollector), auth, quota and the endpoint
// must answer JSON or close, never crash or hang. The engine is a fake that only checks its
// input is a plausible slice of what was sent (the real decoder has its own target).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "server/http_service.h"
#include "server/openapi.h"
#include "storage/credentials.h"
#include "storage/sqlite_store.h"

namespace {

using namespace idcard;

struct Harness {
  ServerSettings settings;
  std::filesystem::path dir;
  std::unique_ptr<storage::SqliteStore> store;
  server::Clock clock;
  std::ostringstream log_text;
  server::JsonLogger log{log_text};
  std::unique_ptr<server::HttpService> service;
  std::thread thread;
  int port = 0;
  std::string token;
  std::set<int> documented;  // errcodes in docs/openapi.json's x-errcodes

  Harness() {
    settings.max_body_bytes = 64 * 1024;  // small limits keep each run fast
    settings.max_image_bytes = 32 * 1024;
    settings.read_timeout_s = 1;
    // An img_url to a host that never answers is answered (101000) well within the harness's wait.
    settings.fetch_connect_timeout_s = 1;
    settings.fetch_total_timeout_s = 2;
    settings.http_threads = 2;
    dir = std::filesystem::temp_directory_path() / ("idcard-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    store = std::make_unique<storage::SqliteStore>((dir / "f.db").string());
    const std::string appid = storage::new_appid();
    store->create_app({appid, "fuzz", storage::hash_credential("s"), 1 << 30, 0});
    token = storage::new_access_token();
    store->issue_token(appid, storage::hash_credential(token), clock.now(), clock.now() + 86400 * 365, 300);
    service = std::make_unique<server::HttpService>(settings, *store, log, clock);
    service->set_recognizer([](std::string_view img, ImageType, const ReadOptions&) {
      if (img.empty() || img.size() > 32 * 1024) __builtin_trap();  // the service must cap and skip empty
      return ReadOutcome{ReadStatus::kInvalidImage, {}, "fuzz"};
    });
    const auto reference = nlohmann::json::parse(server::openapi_json());
    for (const auto& e : reference["x-errcodes"]) documented.insert(e["errcode"].get<int>());
    if (documented.size() < 10) __builtin_trap();  // the list itself went missing
    port = service->bind("127.0.0.1", 0);
    thread = std::thread([this] { service->run(); });
  }
  ~Harness() {
    service->stop();
    thread.join();
    std::filesystem::remove_all(dir);
  }
};

Harness& harness() {
  static Harness h;  // one server for the whole fuzzing session
  return h;
}

void send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;  // the fuzzer's alarm, not the server
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

// libFuzzer's -timeout alarm fires every second; a connect it interrupts (EINTR) goes on in the
// background (a SYN waiting for room in the accept queue): wait for it rather than call the
// server gone.
bool connect_to(int fd, const sockaddr_in& addr) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return true;
  if (errno != EINTR) return false;
  pollfd p{fd, POLLOUT, 0};
  int ready;
  while ((ready = ::poll(&p, 1, 20000)) < 0 && errno == EINTR) {
  }
  int err = 0;
  socklen_t len = sizeof err;
  return ready == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness& h = harness();
  // First line of the input (up to 100 bytes) is the boundary parameter; the rest is the body.
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string boundary = "xyz";
  const auto nl = input.find('\n');
  if (nl != std::string::npos && nl < 100) {
    boundary = input.substr(0, nl);
    input.erase(0, nl + 1);
  }
  for (char& c : boundary)
    if (c == '\r' || c == '\n' || c == '\0') c = '_';
  const bool chunked = !boundary.empty() && boundary[0] == 'C';
  std::string req = "POST /cv/ocr/idcard?type=photo&access_token=" + h.token + " HTTP/1.1\r\nHost: x\r\n" +
                    "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nConnection: close\r\n";
  if (chunked) {
    char len[32];
    std::snprintf(len, sizeof len, "%zx", input.size());
    req += "Transfer-Encoding: chunked\r\n\r\n";
    if (!input.empty()) req += std::string(len) + "\r\n" + input + "\r\n";
    req += "0\r\n\r\n";
  } else {
    req += "Content-Length: " + std::to_string(input.size()) + "\r\n\r\n" + input;
  }

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(h.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{20, 0};  // the slowest honest answer: an img_url fetch timing out (2 s) or a read under ASan
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (!connect_to(fd, addr)) __builtin_trap();  // server gone
  // No shutdown(SHUT_WR): httplib 0.11 takes a half-closed client for gone and answers nothing,
  // which is how every input used to "pass" here with no answer at all. The request asks to
  // close; the server closes after its answer.
  send_all(fd, req);
  std::string answer;
  char buf[4096];
  ssize_t n;
  // libFuzzer's -timeout alarm interrupts a waiting recv (EINTR) every second: wait on.
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) answer.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  // Whatever came in, an answer came back within the wait (none is a failure too: a hang or a
  // dropped request), an HTTP response whose body is JSON with an errcode the API reference
  // documents (its x-errcodes list, the one served at /openapi.json).
  if (answer.rfind("HTTP/1.1 ", 0) != 0) __builtin_trap();
  const std::size_t body_at = answer.find("\r\n\r\n");
  if (body_at == std::string::npos) __builtin_trap();
  const auto body = nlohmann::json::parse(answer.substr(body_at + 4), nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("errcode") ||
      !body["errcode"].is_number_integer())
    __builtin_trap();
  if (!h.documented.count(body["errcode"].get<int>())) __builtin_trap();
  return 0;
}
