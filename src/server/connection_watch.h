#pragma once
// A deadline for request heads, which httplib 0.11 cannot enforce itself.
//
// httplib reads a request head with a timeout per recv, never for the whole head, and gives no
// hook to the accepted socket. So this watch finds the service's connections itself: twice a
// second it lists the process's sockets (/proc/self/fd) whose local port is the service's, and
// shuts down (SHUT_RDWR) each one that has not completed a request head within `head_timeout`
// of being seen or of its last answer; the thread serving it then reads EOF and closes it.
// Handlers report progress by the peer's address and port (the same connection's key):
// request_started() once a head is parsed, answered() once a response is written.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace idcard::server {

class ConnectionWatch {
 public:
  using Clock = std::chrono::steady_clock;
  // `listen_socket`: the service's listening socket (its port names the connections to watch).
  ConnectionWatch(int listen_socket, std::chrono::seconds head_timeout);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  void request_started(const std::string& peer_ip, int peer_port);
  void answered(const std::string& peer_ip, int peer_port);

 private:
  struct Conn {
    bool in_request = false;  // head parsed, not answered yet: never cut
    Clock::time_point since;  // first seen, or last answered
    bool seen = false;        // found by the scan in progress
    unsigned long born = 0;   // the scan during (or before) which it was first known
  };
  void run();
  void scan();

  const int port_;
  const std::chrono::seconds head_timeout_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, Conn> conns_;  // by "ip port"
  unsigned long scans_ = 0;
  std::thread thread_;
};

}  // namespace idcard::server
