#include "server/host_resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace idcard::server {
namespace {

// Shared by the caller and the lookup thread: whichever finishes last frees it.
struct Lookup {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<IpAddress> addresses;
};

struct Pending {
  std::mutex mu;
  int count = 0;
};

std::vector<IpAddress> lookup(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::vector<IpAddress> out;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return out;
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, &freeaddrinfo);
  for (const addrinfo* ai = res; ai; ai = ai->ai_next)
    if (const auto addr = IpAddress::from_sockaddr(ai->ai_addr)) out.push_back(*addr);
  return out;
}

}  // namespace

HostResolver system_resolver(int max_pending) {
  auto pending = std::make_shared<Pending>();
  return [pending, max_pending](const std::string& host, std::chrono::milliseconds budget) -> Resolution {
    if (budget.count() <= 0) return {{}, true};
    {
      std::lock_guard lock(pending->mu);
      if (pending->count >= max_pending) return {{}, true};
      ++pending->count;
    }
    auto job = std::make_shared<Lookup>();
    try {
      std::thread([job, pending, host] {
        std::vector<IpAddress> found = lookup(host);
        {
          std::lock_guard lock(job->mu);
          job->addresses = std::move(found);
          job->done = true;
        }
        job->done_cv.notify_all();
        std::lock_guard lock(pending->mu);
        --pending->count;
      }).detach();
    } catch (const std::system_error&) {  // no thread to be had: as busy
      std::lock_guard lock(pending->mu);
      --pending->count;
      return {{}, true};
    }
    std::unique_lock lock(job->mu);
    if (!job->done_cv.wait_for(lock, budget, [&] { return job->done; })) return {{}, true};
    return {std::move(job->addresses), false};
  };
}

}  // namespace idcard::server
