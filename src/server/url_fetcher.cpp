#include "server/url_fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace idcard::server {
namespace {

using Clock = std::chrono::steady_clock;

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct CurlListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlStrDeleter {
  void operator()(char* s) const { curl_free(s); }
};
using CurlStr = std::unique_ptr<char, CurlStrDeleter>;

struct Target {
  std::string url;   // normalised by curl's URL parser
  std::string host;  // as curl will look it up (IPv6 without brackets)
  long port = 0;
};

std::optional<Target> parse_target(const std::string& url) {
  std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
  char* raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &raw, 0) != CURLUE_OK) return std::nullopt;
  const std::string scheme = CurlStr(raw).get();
  if (scheme != "http" && scheme != "https") return std::nullopt;
  if (curl_url_get(u.get(), CURLUPART_HOST, &raw, 0) != CURLUE_OK) return std::nullopt;
  std::string host = CurlStr(raw).get();
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::nullopt;
  if (curl_url_get(u.get(), CURLUPART_PORT, &raw, CURLU_DEFAULT_PORT) != CURLUE_OK) return std::nullopt;
  const long port = std::strtol(CurlStr(raw).get(), nullptr, 10);
  if (curl_url_get(u.get(), CURLUPART_URL, &raw, 0) != CURLUE_OK) return std::nullopt;
  return Target{CurlStr(raw).get(), host, port};
}

struct Resolved {
  IpAddress addr;
  FetchResult::Status status = FetchResult::Status::kRefused;  // kOk: addr is the one to use
};

// Resolves the host and checks every address it has: one forbidden address refuses the host,
// so a name cannot smuggle a private address in next to a public one.
Resolved resolve_checked(const std::string& host, const FetchAllowList& allow, const HostResolver& resolve,
                         std::chrono::milliseconds budget) {
  const Resolution found = resolve(host, budget);
  if (found.timed_out) return {{}, FetchResult::Status::kFailed};
  if (found.addresses.empty()) return {};
  const bool host_allowed = allow.admits_host(host);
  for (const IpAddress& addr : found.addresses)
    if (!host_allowed && !allow.admits_address(addr) && !is_public_address(addr)) return {};
  return {found.addresses.front(), FetchResult::Status::kOk};
}

struct Transfer {
  const IpAddress* pinned = nullptr;
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->body.size() + len > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->body.append(data, len);
  return len;
}

// Last line of defence: whatever curl resolved or was told, it may only open a socket to the
// address we checked.
curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const auto addr = IpAddress::from_sockaddr(&address->addr);
  if (!addr || !(*addr == *t->pinned)) return CURL_SOCKET_BAD;
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

UrlFetcher::UrlFetcher(const ServerSettings& settings, HostResolver resolve)
    : allow_(settings.fetch_allow_hosts),
      resolve_(std::move(resolve)),
      connect_timeout_ms_(settings.fetch_connect_timeout_s * 1000L),
      total_timeout_ms_(settings.fetch_total_timeout_s * 1000L),
      max_redirects_(settings.fetch_max_redirects),
      max_bytes_(settings.fetch_max_bytes) {}

FetchResult UrlFetcher::fetch(const std::string& url) const {
  const auto deadline = Clock::now() + std::chrono::milliseconds(total_timeout_ms_);
  std::string current = url;
  for (int hop = 0; hop <= max_redirects_; ++hop) {
    const auto target = parse_target(current);
    if (!target) return {FetchResult::Status::kRefused, {}, "unsupported url"};
    const auto left = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    };
    // The lookup may use the connect budget, never more than what is left of the total.
    const Resolved resolved = resolve_checked(
        target->host, allow_, resolve_, std::min(left(), std::chrono::milliseconds(connect_timeout_ms_)));
    if (resolved.status == FetchResult::Status::kFailed)
      return {FetchResult::Status::kFailed, {}, "lookup timeout"};
    if (resolved.status != FetchResult::Status::kOk)
      return {FetchResult::Status::kRefused, {}, "forbidden or unresolvable host"};

    const long remaining_ms = static_cast<long>(left().count());
    if (remaining_ms <= 0) return {FetchResult::Status::kFailed, {}, "timeout"};

    std::unique_ptr<CURL, CurlEasyDeleter> curl(curl_easy_init());
    if (!curl) return {FetchResult::Status::kFailed, {}, "curl init"};
    const std::string addr_text =
        resolved.addr.v6 ? "[" + resolved.addr.to_string() + "]" : resolved.addr.to_string();
    const std::string pin = target->host + ":" + std::to_string(target->port) + ":" + addr_text;
    std::unique_ptr<curl_slist, CurlListDeleter> resolve(curl_slist_append(nullptr, pin.c_str()));
    Transfer t;
    t.pinned = &resolved.addr;
    t.max_bytes = max_bytes_;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, target->url.c_str());
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");  // ignore http_proxy & co. from the environment
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(connect_timeout_ms_, remaining_ms));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, remaining_ms);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes_));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "idcard-ocr/img_url");
    const CURLcode rc = curl_easy_perform(c);
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED)
      return {FetchResult::Status::kTooLarge, {}, "image too large"};
    if (rc == CURLE_OPERATION_TIMEDOUT) return {FetchResult::Status::kFailed, {}, "timeout"};
    if (rc != CURLE_OK) return {FetchResult::Status::kFailed, {}, "transfer failed"};
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 300 && status < 400) {
      char* location = nullptr;
      curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);  // absolute, resolved against `current`
      if (!location) return {FetchResult::Status::kFailed, {}, "redirect without location"};
      current = location;
      continue;
    }
    if (status < 200 || status >= 300) return {FetchResult::Status::kFailed, {}, "http status"};
    return {FetchResult::Status::kOk, std::move(t.body), "ok"};
  }
  return {FetchResult::Status::kRefused, {}, "too many redirects"};
}

}  // namespace idcard::server
