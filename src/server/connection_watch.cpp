#include "server/connection_watch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

namespace idcard::server {
namespace {

std::string key(const std::string& ip, int port) { return ip + " " + std::to_string(port); }

// The address and port of a socket's local or remote end; nullopt for what is not inet.
std::optional<std::pair<std::string, int>> endpoint(int fd, bool peer) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  if ((peer ? getpeername(fd, sa, &len) : getsockname(fd, sa, &len)) != 0) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return std::pair{std::string(text), static_cast<int>(ntohs(in->sin_port))};
  }
  if (ss.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    return std::pair{std::string(text), static_cast<int>(ntohs(in6->sin6_port))};
  }
  return std::nullopt;
}

}  // namespace

ConnectionWatch::ConnectionWatch(int listen_socket, std::chrono::seconds head_timeout,
                                 std::size_t min_body_rate)
    : port_(endpoint(listen_socket, false).value_or(std::pair{std::string(), -1}).second),
      head_timeout_(head_timeout),
      min_body_rate_(min_body_rate),
      thread_([this] { run(); }) {}

ConnectionWatch::~ConnectionWatch() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ConnectionWatch::set_phase(const std::string& peer_ip, int peer_port, Phase phase) {
  std::lock_guard lock(mu_);
  auto [it, fresh] = conns_.try_emplace(key(peer_ip, peer_port));
  if (fresh) it->second.born = scans_;
  Conn& c = it->second;
  if (c.phase == phase) return;  // e.g. body_started() after request_started(body_follows)
  c.phase = phase;
  c.since = Clock::now();
  c.body_bytes = 0;
}

void ConnectionWatch::request_started(const std::string& peer_ip, int peer_port, bool body_follows) {
  set_phase(peer_ip, peer_port, body_follows ? Phase::kBody : Phase::kAnswering);
}

void ConnectionWatch::body_started(const std::string& peer_ip, int peer_port) {
  set_phase(peer_ip, peer_port, Phase::kBody);
}

void ConnectionWatch::body_progress(const std::string& peer_ip, int peer_port, std::size_t bytes) {
  std::lock_guard lock(mu_);
  const auto it = conns_.find(key(peer_ip, peer_port));
  if (it != conns_.end()) it->second.body_bytes += bytes;
}

void ConnectionWatch::body_finished(const std::string& peer_ip, int peer_port) {
  std::lock_guard lock(mu_);
  const auto it = conns_.find(key(peer_ip, peer_port));
  if (it != conns_.end() && it->second.phase == Phase::kBody) it->second.phase = Phase::kAnswering;
}

void ConnectionWatch::answered(const std::string& peer_ip, int peer_port) {
  std::lock_guard lock(mu_);
  const auto it = conns_.find(key(peer_ip, peer_port));
  if (it == conns_.end()) return;
  it->second.phase = Phase::kHead;
  it->second.since = Clock::now();
}

bool ConnectionWatch::late(const Conn& c, Clock::time_point now) const {
  switch (c.phase) {
    case Phase::kHead:
      return now - c.since > head_timeout_;
    case Phase::kBody: {
      if (min_body_rate_ == 0 || now - c.since <= head_timeout_) return false;
      const double paced_s = std::chrono::duration<double>(now - c.since - head_timeout_).count();
      return static_cast<double>(c.body_bytes) < paced_s * static_cast<double>(min_body_rate_);
    }
    case Phase::kAnswering:
      return false;
  }
  return false;
}

void ConnectionWatch::run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; })) {
    lock.unlock();
    scan();
    lock.lock();
  }
}

void ConnectionWatch::scan() {
  if (port_ <= 0) return;
  unsigned long this_scan = 0;
  {
    std::lock_guard lock(mu_);
    this_scan = ++scans_;
  }
  // The service's connections: sockets whose local port is the service's, and that have a peer.
  std::vector<std::pair<int, std::string>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    const auto local = endpoint(fd, false);
    if (!local || local->second != port_) continue;
    const auto peer = endpoint(fd, true);
    if (!peer) continue;  // the listening socket itself
    found.emplace_back(fd, key(peer->first, peer->second));
  }
  const auto now = Clock::now();
  std::vector<std::pair<int, std::string>> cut;
  {
    std::lock_guard lock(mu_);
    for (auto& [k, c] : conns_) c.seen = false;
    for (const auto& [fd, k] : found) {
      auto [it, fresh] = conns_.try_emplace(k);
      if (fresh) {
        it->second.since = now;
        it->second.born = this_scan;
      }
      it->second.seen = true;
      if (late(it->second, now)) cut.emplace_back(fd, k);
    }
    // Gone since: not found, and known before this scan's listing began.
    for (auto it = conns_.begin(); it != conns_.end();)
      it = it->second.seen || it->second.born >= this_scan ? std::next(it) : conns_.erase(it);
  }
  for (const auto& [fd, k] : cut) {
    // Still the same connection (a closed fd may have been reused meanwhile)?
    const auto peer = endpoint(fd, true);
    if (!peer || key(peer->first, peer->second) != k) continue;
    shutdown(fd, SHUT_RDWR);
    std::lock_guard lock(mu_);
    conns_.erase(k);
  }
}

}  // namespace idcard::server
