#include "server/http_service.h"

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
      tokens(st, c, s),
      fetcher(s),
      rid_prefix(storage::new_secret().substr(0, 8)) {
  const auto threads = static_cast<std::size_t>(s.http_threads < 1 ? 1 : s.http_threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // The limit is checked against Content-Length before any byte of the body is read; larger
  // bodies are skipped (read and dropped), never buffered. Chunked bodies are capped while
  // streaming in handle_ocr.
  http.set_payload_max_length(s.max_body_bytes);
  http.set_read_timeout(s.read_timeout_s, 0);
  http.set_write_timeout(s.write_timeout_s, 0);
  // Short keep-alive: an idle client must not pin one of the few connection threads for long.
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(100);
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
  return call;
}

void HttpService::Impl::answer(Call& call, const httplib::Request& req, httplib::Response& res,
                               const nlohmann::json& body, int http_status) {
  res.status = http_status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json; charset=utf-8");
  const int errcode = body.value("errcode", 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - call.start).count();
  metrics.observe(call.route, errcode, seconds);
  // Path only, never the query string: it carries access_token and img_url.
  nlohmann::json fields = {{"rid", call.rid},        {"method", req.method},
                           {"route", call.route},    {"status", http_status},
                           {"errcode", errcode},     {"ms", static_cast<long long>(seconds * 1000)},
                           {"bytes", call.body_bytes}};
  if (!call.appid.empty()) fields["appid"] = call.appid;
  if (!call.note.empty()) fields["note"] = call.note;
  log.info("request", std::move(fields));
}

void HttpService::Impl::answer_error(Call& call, const httplib::Request& req, httplib::Response& res,
                                     int errcode, const std::string& detail, int http_status) {
  answer(call, req, res, error_body(errcode, call.rid, detail), http_status);
}

void HttpService::Impl::install_routes() {
  const char* kOcr = "/cv/ocr/idcard";
  http.Post(kOcr, [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    handle_ocr(req, res, reader);
  });
  const auto require_post = [this](const httplib::Request& req, httplib::Response& res) {
    Call call = begin(req, "/cv/ocr/idcard");
    answer_error(call, req, res, kRequirePost);
  };
  http.Get(kOcr, require_post);
  http.Put(kOcr, require_post);
  http.Delete(kOcr, require_post);
  http.Patch(kOcr, require_post);
  http.Options(kOcr, require_post);

  http.Get("/cgi-bin/token", [this](const httplib::Request& req, httplib::Response& res) { handle_token(req, res); });
  http.Post("/cgi-bin/token", [this](const httplib::Request& req, httplib::Response& res) {
    Call call = begin(req, "/cgi-bin/token");
    answer_error(call, req, res, kRequireGet);
  });

  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  http.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) { handle_ready(res); });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
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
    return answer_error(call, req, res, kInvalidFileSize);
  }
  if (res.status == 404 || res.status == 405 || res.status <= 200) return answer_error(call, req, res, kInvalidUrl, {}, 404);
  answer_error(call, req, res, kSystemError, {}, res.status);
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

void HttpService::Impl::handle_ready(httplib::Response& res) {
  const bool models = static_cast<bool>(recognizer());
  const bool database = store.ping();
  res.status = models && database ? 200 : 503;
  res.set_content(nlohmann::json{{"status", res.status == 200 ? "ready" : "not ready"},
                                 {"models", models},
                                 {"database", database}}
                      .dump(),
                  "application/json");
}

HttpService::HttpService(const ServerSettings& settings, storage::Store& store, JsonLogger& log, const Clock& clock)
    : impl_(std::make_unique<Impl>(settings, store, log, clock)) {}

HttpService::~HttpService() = default;

void HttpService::enable_demo(const std::string& demo_appid) { impl_->demo_appid = demo_appid; }

void HttpService::set_recognizer(Recognizer recognizer) {
  std::lock_guard lock(impl_->recognizer_mu);
  impl_->recognize = std::move(recognizer);
}

int HttpService::bind(const std::string& host, int port) {
  if (port == 0) return impl_->http.bind_to_any_port(host);
  return impl_->http.bind_to_port(host, port) ? port : -1;
}

bool HttpService::run() { return impl_->http.listen_after_bind(); }

void HttpService::stop() { impl_->http.stop(); }

}  // namespace idcard::server
