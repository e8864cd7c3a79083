// Refusals must come from the address check, before any connection: each must be fast, and the
// loopback listener below must never see a connection. No traffic leaves loopback here.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>


#include "server/url_fetcher.h"

namespace idcard::server {
namespace {

// A loopback listener that counts connection attempts (accept with a zero timeout).
class Listener {
 public:
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
  ~Listener() { close(fd_); }
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
};

TEST(UrlFetcher, RefusesInternalTargetsBeforeConnecting) {
  Listener listener;
  const std::string port = std::to_string(listener.port());
  ServerSettings s;
  const UrlFetcher fetcher(s);
  for (const std::string& url : std::vector<std::string>
       {"http://127.0.0.1:" + port + "/a.jpg", "http://localhost:" + port + "/a.jpg",
        "http://LOCALHOST.:" + port + "/", "http://[::1]:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/",
        "http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/", "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/", "http://192.168.0.1/", "http://[fe80::1]/",
        "http://[fc00::1]/", "http://0.0.0.0:" + port + "/", "ftp://example.com/a.jpg", "file:///etc/passwd",
        "gopher://127.0.0.1/", "not a url", ""}) {
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
  EXPECT_EQ(fetcher.fetch("http://127.0.0.2:" + std::to_string(port) + "/").status, FetchResult::Status::kRefused);
}

}  // namespace
}  // namespace idcard::server
