#include "server/http_service.h"

#include <openssl/crypto.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>

#include "server/connection_threads.h"
#include "server/demo_page.h"
#include "server/errors.h"
#include "server/openapi.h"
#include "server/service_impl.h"
#include "storage/credentials.h"

namespace idcard::server {

HttpService::Impl::Impl(const ServerSettings& s, storage::Store& st, JsonLogger& l, const Clock& c)
    : settings(s),
      store(st),
      log(l),
      clock(c),
      pool(s.ocr_workers, s.ocr_queue),
      failure_log(std::chrono::seconds(s.failure_log_interval_s)),
      tokens(st, c, s),
      fetcher(s),
      rid_prefix(storage::new_secret().substr(0, 8)) {
  const auto warm = static_cast<std::size_t>(std::max(1, s.http_threads));
  const auto most = static_cast<std::size_t>(std::max(s.http_threads, s.max_connections));
  http.new_task_queue = [warm, most] { return new ConnectionThreads(warm, most); };
  // httplib 0.11 listens with a backlog of 5: connects in a burst beyond it have their SYNs
  // dropped and retried a second later. The listening socket is noted here, raised in bind().
  // Not httplib's default options: they set SO_REUSEPORT, with which a second `serve` on a taken
  // port binds too and the kernel splits callers between the two processes. SO_REUSEADDR alone
  // still allows a restart while old connections sit in TIME_WAIT.
  http.set_socket_options([this](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket = sock;
  });
  // The limit is checked against Content-Length before any byte of the body is read; larger
  // bodies are skipped (read and dropped), never buffered. Chunked bodies are capped while
  // streaming in handle_ocr.
  http.set_payload_max_length(s.max_body_bytes);
  http.set_read_timeout(s.read_timeout_s, 0);
  http.set_write_timeout(s.write_timeout_s, 0);
  // Short keep-alive: an idle client must not pin one of the few connection threads for long.
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(100);
  // Answers are small and written at once: without this, Nagle's algorithm holds each answer on
  // a kept-alive connection until the client's delayed ACK (~40 ms a call).
  http.set_tcp_nodelay(true);
  install_routes();
}

std::string HttpService::Impl::next_rid() {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08llx", rid_counter.fetch_add(1) + 1);
  return rid_prefix + "-" + buf;
}

Recognizer HttpService::Impl::recognizer() const {
  std::lock_guard lock(recognizer_mu);
  return recognize;
}

HttpService::Impl::Call HttpService::Impl::begin(const httplib::Request& req, std::string route) {
  Call call{next_rid(), std::move(route), std::chrono::steady_clock::now(), {}, req.body.size(), {}};
  if (watch) watch->body_finished(req.remote_addr, req.remote_port);  // the handler runs: body read
  return call;
}

namespace {

// Notes of failures that repeat call after call while something underneath is down.
bool is_repeating_failure(const std::string& note) {
  return note == "storage error" || note == "internal error" || note == "unhandled exception";
}

}  // namespace

void HttpService::Impl::answer(Call& call, const httplib::Request& req, httplib::Response& res,
                               const nlohmann::json& body, int http_status) {
  res.status = http_status;
  std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (call.close_connection) {
    // httplib 0.11 keeps a connection open after an answer unless the *request* asked to close;
    // a content provider that cancels after writing the whole body is its documented way to
    // drop the connection, and the answer is complete on the wire before it does.
    res.set_header("Connection", "close");
    auto shared = std::make_shared<const std::string>(std::move(text));
    res.set_content_provider(shared->size(), "application/json; charset=utf-8",
                             [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                               sink.write(shared->data() + offset, length);
                               return false;
                             });
  } else {
    res.set_content(std::move(text), "application/json; charset=utf-8");
  }
  const int errcode = body.value("errcode", 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - call.start).count();
  metrics.observe(call.route, errcode, seconds);
  long long held = 0;
  if (errcode == kSystemError && is_repeating_failure(call.note)) {
    if (!failure_log.admit(call.note, call.start, held)) return;  // counted in /metrics, not logged
  } else {
    for (const auto& [note, count] : failure_log.take_held())  // the failures have stopped
      log.warn("repeated failure", {{"note", note}, {"not_logged", count}});
  }
  // Path only, never the query string: it carries access_token and img_url.
  nlohmann::json fields = {{"rid", call.rid},         {"method", req.method},
                           {"route", call.route},     {"status", http_status},
                           {"errcode", errcode},      {"ms", static_cast<long long>(seconds * 1000)},
                           {"bytes", call.body_bytes}};
  if (!call.appid.empty()) fields["appid"] = call.appid;
  if (!call.note.empty()) fields["note"] = call.note;
  if (held > 0) fields["not_logged"] = held;  // like calls since the last one logged
  log.info("request", std::move(fields));
}

void HttpService::Impl::answer_error(Call& call, const httplib::Request& req, httplib::Response& res,
                                     int errcode, const std::string& detail, int http_status) {
  answer(call, req, res, error_body(errcode, call.rid, detail), http_status);
}

void HttpService::Impl::install_routes() {
  const char* kOcr = "/cv/ocr/idcard";
  http.Post(kOcr, [this](const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader) { handle_ocr(req, res, reader); });
  const auto require_post = [this](const httplib::Request& req, httplib::Response& res) {
    Call call = begin(req, "/cv/ocr/idcard");
    answer_error(call, req, res, kRequirePost);
  };
  http.Get(kOcr, require_post);
  http.Put(kOcr, require_post);
  http.Delete(kOcr, require_post);
  http.Patch(kOcr, require_post);
  http.Options(kOcr, require_post);

  http.Get("/cgi-bin/token",
           [this](const httplib::Request& req, httplib::Response& res) { handle_token(req, res); });
  http.Post("/cgi-bin/token", [this](const httplib::Request& req, httplib::Response& res) {
    Call call = begin(req, "/cgi-bin/token");
    answer_error(call, req, res, kRequireGet);
  });

  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  http.Get("/readyz", [this](const httplib::Request& req, httplib::Response& res) {
    handle_ready(res, metrics_authorized(req));
  });
  http.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    if (!metrics_authorized(req)) {
      Call call = begin(req, "/metrics");
      res.set_header("WWW-Authenticate", "Bearer");
      return answer_error(call, req, res, kInvalidCredential, {}, 401);
    }
    res.set_content(metrics.render(pool.queue_depth(), pool.capacity(), pool.busy()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  http.Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(openapi_json()), "application/json; charset=utf-8");
  });
  http.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    if (demo_appid.empty()) return handle_routing_error(req, res);
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' blob: data:; style-src 'unsafe-inline'; "
                   "script-src 'unsafe-inline'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(std::string(demo_page_html()), "text/html; charset=utf-8");
  });
  http.Get("/demo/token", [this](const httplib::Request& req, httplib::Response& res) {
    if (demo_appid.empty()) return handle_routing_error(req, res);
    handle_demo_token(req, res);
  });

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // httplib reads a body before calling a route's handler, except the OCR route's (it streams
    // its body through read_upload, which reports its own pace).
    const bool body_follows =
        (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0") ||
        req.has_header("Transfer-Encoding");
    const bool streamed = req.method == "POST" && req.path == "/cv/ocr/idcard";
    if (watch) watch->request_started(req.remote_addr, req.remote_port, body_follows && !streamed);
    return refuse_content_length(req, res) ? httplib::Server::HandlerResponse::Handled
                                           : httplib::Server::HandlerResponse::Unhandled;
  });

  http.set_logger([this](const httplib::Request& req, const httplib::Response&) {
    if (watch) watch->answered(req.remote_addr, req.remote_port);  // the next head's time starts
  });

  // Whatever the router or the HTTP layer refuses still answers JSON, in WeChat's shape.
  http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (res.get_header_value("Content-Type").rfind("application/json", 0) == 0) return;  // ours
    handle_routing_error(req, res);
  });
  http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    Call call = begin(req, "other");
    call.note = "unhandled exception";
    answer_error(call, req, res, kSystemError, {}, 500);
  });
}

void HttpService::Impl::handle_routing_error(const httplib::Request& req, httplib::Response& res) {
  Call call = begin(req, req.path == "/cv/ocr/idcard" ? "/cv/ocr/idcard" : "other");
  if (res.status == 413) {  // body over the limit (Content-Length), skipped unread
    call.note = "body too large";
    call.close_connection = true;
    return answer_error(call, req, res, kInvalidFileSize);
  }
  if (res.status == 404 || res.status == 405 || res.status <= 200)
    return answer_error(call, req, res, kInvalidUrl, {}, 404);
  call.close_connection = res.status < 500;  // 400, 414, ...: the rest of the bytes are no request
  answer_error(call, req, res, kSystemError, {}, res.status);
}

// Checked before any byte of a body is read. httplib reads Content-Length with strtoull: a
// negative value wraps to 2^64-1 and a huge one is "skipped" by reading until the read timeout;
// a non-number counts as 0, and the body's bytes would be parsed as the next request.
bool HttpService::Impl::refuse_content_length(const httplib::Request& req, httplib::Response& res) {
  const std::size_t values = req.get_header_value_count("Content-Length");
  if (values == 0) return false;
  const std::string v = req.get_header_value("Content-Length");
  const bool number = values == 1 && !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
  // Over the limit but plausible (an upload of a few MB): httplib reads and drops the body, so
  // the client, still sending, gets the answer. Far beyond it no client sends that much.
  const std::size_t kDrainable = settings.max_body_bytes * 16;
  if (number && v.size() <= 18 && std::stoull(v) <= kDrainable) return false;
  Call call = begin(req, req.path == "/cv/ocr/idcard" ? "/cv/ocr/idcard" : "other");
  call.close_connection = true;
  if (number) {
    call.note = "impossible content length";
    answer_error(call, req, res, kInvalidFileSize);
  } else {
    call.note = "malformed content length";
    answer_error(call, req, res, kSystemError, {}, 400);
  }
  return true;
}

bool HttpService::Impl::metrics_authorized(const httplib::Request& req) const {
  const std::string& token = settings.metrics_token;
  if (token.empty()) return true;
  const std::string given = req.get_header_value("Authorization");
  const std::string want = "Bearer " + token;
  return given.size() == want.size() && CRYPTO_memcmp(given.data(), want.data(), want.size()) == 0;
}

void HttpService::Impl::handle_token(const httplib::Request& req, httplib::Response& res) {
  Call call = begin(req, "/cgi-bin/token");
  try {
    const auto g = tokens.grant(req.get_param_value("grant_type"), req.get_param_value("appid"),
                                req.get_param_value("secret"));
    if (g.errcode != kOk) return answer_error(call, req, res, g.errcode);
    call.appid = req.get_param_value("appid");
    answer(call, req, res, {{"access_token", g.access_token}, {"expires_in", g.expires_in}});
  } catch (const std::exception&) {
    call.note = "storage error";
    answer_error(call, req, res, kSystemError);
  }
}

void HttpService::Impl::handle_demo_token(const httplib::Request& req, httplib::Response& res) {
  Call call = begin(req, "/demo/token");
  call.appid = demo_appid;
  try {
    const auto g = tokens.issue_for(demo_appid);
    answer(call, req, res, {{"access_token", g.access_token}, {"expires_in", g.expires_in}});
  } catch (const std::exception&) {
    call.note = "storage error";
    answer_error(call, req, res, kSystemError);
  }
}

void HttpService::Impl::handle_ready(httplib::Response& res, bool details) {
  const bool models = static_cast<bool>(recognizer());
  const bool database = store.ping();
  res.status = models && database ? 200 : 503;
  nlohmann::json body = {{"status", res.status == 200 ? "ready" : "not ready"}};
  if (details) {  // which part is down: for the operator (the token's holder), not for anyone
    body["models"] = models;
    body["database"] = database;
  }
  res.set_content(body.dump(), "application/json");
}

HttpService::HttpService(const ServerSettings& settings, storage::Store& store, JsonLogger& log,
                         const Clock& clock)
    : impl_(std::make_unique<Impl>(settings, store, log, clock)) {}

HttpService::~HttpService() = default;

void HttpService::enable_demo(const std::string& demo_appid) { impl_->demo_appid = demo_appid; }

void HttpService::set_recognizer(Recognizer recognizer) {
  std::lock_guard lock(impl_->recognizer_mu);
  impl_->recognize = std::move(recognizer);
}

int HttpService::bind(const std::string& host, int port) {
  const int bound =
      port == 0 ? impl_->http.bind_to_any_port(host) : (impl_->http.bind_to_port(host, port) ? port : -1);
  if (bound > 0) ::listen(impl_->listen_socket, SOMAXCONN);  // on Linux a second listen() sets the backlog
  if (bound > 0 && impl_->settings.head_timeout_s > 0)
    impl_->watch = std::make_unique<ConnectionWatch>(
        impl_->listen_socket, std::chrono::seconds(impl_->settings.head_timeout_s),
        static_cast<std::size_t>(std::max(0, impl_->settings.min_body_rate)));
  return bound;
}

bool HttpService::run() { return impl_->http.listen_after_bind(); }

void HttpService::stop() { impl_->http.stop(); }

}  // namespace idcard::server
