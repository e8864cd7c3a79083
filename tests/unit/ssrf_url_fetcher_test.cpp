// Refusals must come from the address check, before any connection: each must be fast, and the
// loopback listener below must never see a connection. No traffic leaves loopback here.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

#include "server/url_fetcher.h"

namespace idcard::server {
namespace {

// A loopback listener that counts connection attempts (accept with a zero timeout).
class Listener {
 public:
  // Accepts one connection, reads its request head and writes `answer` (nothing when empty, and
  // then holds the connection until the listener goes).
  void serve_once(std::string answer) {
    server_ = std::thread([this, answer = std::move(answer)] {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string head;
      char buf[1024];
      while (head.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        head.append(buf, static_cast<std::size_t>(n));
      }
      if (!answer.empty()) {
        (void)!send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
      } else {
        pollfd p{c, POLLIN, 0};
        poll(&p, 1, 5000);  // until the client gives up
      }
      close(c);
    });
  }
  void join() {
    if (server_.joinable()) server_.join();
  }
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(fd_, 16);
  }
  ~Listener() {
    shutdown(fd_, SHUT_RDWR);
    join();
    close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return port_; }
  bool was_contacted() const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread server_;
};

// Answers names from a table and counts the lookups; no DNS.
struct TableResolver {
  std::map<std::string, std::vector<std::string>> table;
  std::shared_ptr<std::atomic<int>> lookups = std::make_shared<std::atomic<int>>(0);
  HostResolver resolver() const {
    return [table = table, lookups = lookups](const std::string& host, std::chrono::milliseconds) {
      ++*lookups;
      Resolution r;
      const auto it = table.find(host);
      if (it == table.end()) return r;
      for (const auto& a : it->second) r.addresses.push_back(*IpAddress::parse(a));
      return r;
    };
  }
};

std::string http_ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

TEST(UrlFetcher, RefusesInternalTargetsBeforeConnecting) {
  Listener listener;
  const std::string port = std::to_string(listener.port());
  ServerSettings s;
  const UrlFetcher fetcher(s);
  for (const std::string& url : std::vector<std::string>{
           "http://127.0.0.1:" + port + "/a.jpg", "http://localhost:" + port + "/a.jpg",
           "http://[::1]:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/",
           "http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/", "http://10.0.0.1/",
           "http://169.254.169.254/latest/meta-data/", "http://192.168.0.1/", "http://[fe80::1]/",
           "http://[fc00::1]/", "http://0.0.0.0:" + port + "/", "ftp://example.com/a.jpg",
           "file:///etc/passwd", "gopher://127.0.0.1/", "not a url", ""}) {
    // kRefused, not kFailed: turned away by the address check, before any connection was tried.
    EXPECT_EQ(fetcher.fetch(url).status, FetchResult::Status::kRefused) << url;
  }
  EXPECT_FALSE(listener.was_contacted());
}

TEST(UrlFetcher, AllowListAdmitsLoopbackAndCapsSize) {
  // Sanity check that an admitted host really is fetched (connection refused on a closed port
  // is a failure, not a refusal).
  ServerSettings s;
  s.fetch_allow_hosts = {"127.0.0.1"};
  const UrlFetcher fetcher(s);
  int port = 0;
  {
    Listener l;
    port = l.port();
  }  // now closed
  EXPECT_EQ(fetcher.fetch("http://127.0.0.1:" + std::to_string(port) + "/").status,
            FetchResult::Status::kFailed);
  // 127.0.0.2 is loopback too but not on the list.
  EXPECT_EQ(fetcher.fetch("http://127.0.0.2:" + std::to_string(port) + "/").status,
            FetchResult::Status::kRefused);
}

TEST(UrlFetcher, OnePrivateAddressAmongPublicOnesRefusesTheHost) {
  Listener listener;
  TableResolver names;
  names.table["mixed.test"] = {"93.184.216.34", "127.0.0.1"};
  names.table["mixed6.test"] = {"2606:2800:220:1::1", "::1"};
  const UrlFetcher fetcher(ServerSettings{}, names.resolver());
  const std::string port = std::to_string(listener.port());
  EXPECT_EQ(fetcher.fetch("http://mixed.test:" + port + "/").status, FetchResult::Status::kRefused);
  EXPECT_EQ(fetcher.fetch("http://mixed6.test:" + port + "/").status, FetchResult::Status::kRefused);
  EXPECT_FALSE(listener.was_contacted());
}

// The checked address is the one connected to: curl gets it pinned and never looks the name up
// itself (card.test exists in no DNS, so a fetch that worked went to the pinned address), and the
// name is looked up once, so a second answer (DNS rebinding) cannot reach curl.
TEST(UrlFetcher, ConnectsToTheCheckedAddressAndLooksUpOnce) {
  Listener listener;
  listener.serve_once(http_ok("card-bytes"));
  TableResolver names;
  names.table["card.test"] = {"127.0.0.1"};
  ServerSettings s;
  s.fetch_allow_hosts = {"127.0.0.1"};
  const UrlFetcher fetcher(s, names.resolver());
  const FetchResult r = fetcher.fetch("http://card.test:" + std::to_string(listener.port()) + "/a.jpg");
  EXPECT_EQ(r.status, FetchResult::Status::kOk) << r.reason;
  EXPECT_EQ(r.body, "card-bytes");
  EXPECT_EQ(*names.lookups, 1);
}

TEST(UrlFetcher, RedirectToAPrivateNameIsRefused) {
  Listener listener;
  listener.serve_once(
      "HTTP/1.1 302 Found\r\nLocation: http://inside.test/secret\r\nContent-Length: 0\r\n\r\n");
  TableResolver names;
  names.table["card.test"] = {"127.0.0.1"};
  names.table["inside.test"] = {"10.0.0.7"};
  ServerSettings s;
  s.fetch_allow_hosts = {"127.0.0.1"};
  const UrlFetcher fetcher(s, names.resolver());
  const FetchResult r = fetcher.fetch("http://card.test:" + std::to_string(listener.port()) + "/");
  EXPECT_EQ(r.status, FetchResult::Status::kRefused);
  EXPECT_EQ(*names.lookups, 2);
}

TEST(UrlFetcher, SilentServerEndsInTheTotalTimeout) {
  Listener listener;
  listener.serve_once("");  // accepts, reads the request, never answers
  ServerSettings s;
  s.fetch_allow_hosts = {"127.0.0.1"};
  s.fetch_total_timeout_s = 1;
  const UrlFetcher fetcher(s);
  const FetchResult r = fetcher.fetch("http://127.0.0.1:" + std::to_string(listener.port()) + "/");
  EXPECT_EQ(r.status, FetchResult::Status::kFailed);
  EXPECT_EQ(r.reason, "timeout");
}

TEST(UrlFetcher, LookupWithoutAnswerInTimeIsAFailureNotARefusal) {
  Listener listener;
  int budget_ms = -1;
  const HostResolver silent = [&budget_ms](const std::string&, std::chrono::milliseconds budget) {
    budget_ms = static_cast<int>(budget.count());
    return Resolution{{}, true};
  };
  ServerSettings s;
  s.fetch_connect_timeout_s = 2;
  const UrlFetcher fetcher(s, silent);
  const FetchResult r = fetcher.fetch("http://slow-dns.test:" + std::to_string(listener.port()) + "/");
  EXPECT_EQ(r.status, FetchResult::Status::kFailed);
  EXPECT_EQ(r.reason, "lookup timeout");
  EXPECT_GT(budget_ms, 0);
  EXPECT_LE(budget_ms, 2000);  // the lookup gets the connect budget, no more
  EXPECT_FALSE(listener.was_contacted());
}

TEST(SystemResolver, AnswersLiteralsAndStopsAtItsPendingCap) {
  const HostResolver resolve = system_resolver(4);
  const Resolution lit = resolve("127.0.0.1", std::chrono::seconds(5));
  ASSERT_FALSE(lit.timed_out);
  ASSERT_EQ(lit.addresses.size(), 1u);
  EXPECT_EQ(lit.addresses[0].to_string(), "127.0.0.1");
  EXPECT_TRUE(resolve("127.0.0.1", std::chrono::milliseconds(0)).timed_out);  // no budget, no lookup
  const HostResolver none = system_resolver(0);
  EXPECT_TRUE(none("127.0.0.1", std::chrono::seconds(5)).timed_out);
}

}  // namespace
}  // namespace idcard::server
