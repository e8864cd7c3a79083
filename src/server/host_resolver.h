#pragma once
// Host-name lookup for img_url fetching, bounded in time.
//
// getaddrinfo has no deadline of its own (resolv.conf's timeouts and attempts, per name server,
// can add up to tens of seconds), so a host whose name server never answers would hold the
// caller's connection thread past the fetch's total timeout. The system resolver here runs the
// lookup on a thread of its own and stops waiting at the budget; the abandoned lookup finishes
// in the background. At most `max_pending` lookups run at once; beyond that one is refused at
// once, as timed out, so a flood of slow names cannot grow threads without end.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "server/ip_policy.h"

namespace idcard::server {

struct Resolution {
  std::vector<IpAddress> addresses;  // empty: unknown host, or no answer in time
  bool timed_out = false;            // no answer within the budget (or too many lookups pending)
};

// Thread-safe. Fetchers take one so tests can answer names without DNS.
using HostResolver = std::function<Resolution(const std::string& host, std::chrono::milliseconds budget)>;

HostResolver system_resolver(int max_pending = 64);

}  // namespace idcard::server
