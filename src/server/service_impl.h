#pragma once
// Internal: the state behind HttpService, shared by the files that implement its endpoints.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "server/connection_watch.h"
#include "server/http_service.h"
#include "server/json_log.h"
#include "server/metrics.h"
#include "server/ocr_pool.h"
#include "server/token_service.h"
#include "server/url_fetcher.h"

namespace idcard::server {

struct HttpService::Impl {
  Impl(const ServerSettings& s, storage::Store& st, JsonLogger& l, const Clock& c);

  void install_routes();
  void handle_ocr(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
  void handle_token(const httplib::Request& req, httplib::Response& res);
  void handle_demo_token(const httplib::Request& req, httplib::Response& res);
  void handle_ready(httplib::Response& res, bool details);
  void handle_routing_error(const httplib::Request& req, httplib::Response& res);
  bool refuse_content_length(const httplib::Request& req, httplib::Response& res);
  bool metrics_authorized(const httplib::Request& req) const;

  // Per-request bookkeeping: id, start time, and one place that answers, counts and logs.
  struct Call {
    std::string rid;
    std::string route;
    std::chrono::steady_clock::time_point start;
    std::string appid;
    std::size_t body_bytes = 0;
    std::string note;  // fixed words for the log (e.g. why a fetch was refused)
    // The request could not be parsed to its end (a protocol error): bytes after it on the
    // connection are no request, so it is closed once this answer is sent.
    bool close_connection = false;
  };
  Call begin(const httplib::Request& req, std::string route);
  void answer(Call& call, const httplib::Request& req, httplib::Response& res, const nlohmann::json& body,
              int http_status = 200);
  void answer_error(Call& call, const httplib::Request& req, httplib::Response& res, int errcode,
                    const std::string& detail = {}, int http_status = 200);
  std::string next_rid();
  Recognizer recognizer() const;

  const ServerSettings& settings;
  storage::Store& store;
  JsonLogger& log;
  const Clock& clock;
  httplib::Server http;
  socket_t listen_socket = -1;  // httplib's, noted when it is made (see the constructor)
  std::unique_ptr<ConnectionWatch> watch;  // head deadlines, from bind() on (head_timeout_s > 0)
  OcrPool pool;
  Metrics metrics;
  LogThrottle failure_log;
  TokenService tokens;
  UrlFetcher fetcher;
  std::string demo_appid;
  std::string rid_prefix;
  std::atomic<unsigned long long> rid_counter{0};
  mutable std::mutex recognizer_mu;
  Recognizer recognize;  // empty until models are loaded
};

}  // namespace idcard::server
