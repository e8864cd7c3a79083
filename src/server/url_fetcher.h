#pragma once
// Fetches an untrusted img_url (libcurl) without letting it reach internal services:
// http/https only; every hop's host is resolved here and every address checked (ip_policy.h);
// curl is pinned to the checked address (CURLOPT_RESOLVE) and the socket callback refuses any
// other (no DNS rebinding, no proxy from the environment); redirects are followed by hand, each
// re-checked; name lookups, connect and total time and the body size are capped.
#include <string>

#include "core/settings.h"
#include "server/host_resolver.h"
#include "server/ip_policy.h"

namespace idcard::server {

struct FetchResult {
  enum class Status {
    kOk,
    kRefused,   // bad scheme/URL, forbidden address, too many redirects: refused before connecting
    kFailed,    // connect/transfer error, timeout, non-2xx answer
    kTooLarge,  // body over the size cap
  };
  Status status = Status::kFailed;
  std::string body;
  std::string reason;  // fixed, client-safe words (for logs); never a resolved address
};

class UrlFetcher {
 public:
  explicit UrlFetcher(const ServerSettings& settings, HostResolver resolve = system_resolver());
  FetchResult fetch(const std::string& url) const;  // thread-safe

 private:
  FetchAllowList allow_;
  HostResolver resolve_;
  long connect_timeout_ms_;
  long total_timeout_ms_;
  int max_redirects_;
  std::size_t max_bytes_;
};

}  // namespace idcard::server
