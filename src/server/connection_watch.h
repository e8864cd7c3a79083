#pragma once
// Deadlines for request heads and a minimum pace for bodies, which httplib 0.11 cannot enforce.
//
// httplib reads with a timeout per recv, never for a whole head or body, and gives no hook to the
// accepted socket. So this watch finds the service's connections itself: twice a second it lists
// the process's sockets (/proc/self/fd) whose local port is the service's, and shuts down
// (SHUT_RDWR) each one that is late; the thread serving it then reads EOF and closes it. Late:
//   - waiting for a head: no whole request head within `head_timeout` of being seen or of its
//     last answer;
//   - sending a body: after `head_timeout` of grace, fewer than `min_body_rate` bytes a second on
//     average since the body began (0 = no pace).
// A request being answered (recognition, a database call) is never cut.
// Handlers report progress by the peer's address and port (the same connection's key):
// request_started() once a head is parsed, body_started()/body_progress()/body_finished() around
// reading a body, answered() once a response is written.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace idcard::server {

class ConnectionWatch {
 public:
  using Clock = std::chrono::steady_clock;
  // `listen_socket`: the service's listening socket (its port names the connections to watch).
  ConnectionWatch(int listen_socket, std::chrono::seconds head_timeout, std::size_t min_body_rate);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  // `body_follows`: httplib reads this request's body before calling the handler.
  void request_started(const std::string& peer_ip, int peer_port, bool body_follows = false);
  void body_started(const std::string& peer_ip, int peer_port);
  void body_progress(const std::string& peer_ip, int peer_port, std::size_t bytes);
  void body_finished(const std::string& peer_ip, int peer_port);
  void answered(const std::string& peer_ip, int peer_port);

 private:
  enum class Phase { kHead, kBody, kAnswering };
  struct Conn {
    Phase phase = Phase::kHead;
    Clock::time_point since;  // first seen, last answered (kHead); the body's start (kBody)
    std::size_t body_bytes = 0;
    bool seen = false;       // found by the scan in progress
    unsigned long born = 0;  // the scan during (or before) which it was first known
  };
  void run();
  void scan();
  bool late(const Conn& c, Clock::time_point now) const;
  void set_phase(const std::string& peer_ip, int peer_port, Phase phase);

  const int port_;
  const std::chrono::seconds head_timeout_;
  const std::size_t min_body_rate_;  // bytes a second; 0 = none
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, Conn> conns_;  // by "ip port"
  unsigned long scans_ = 0;
  std::thread thread_;
};

}  // namespace idcard::server
