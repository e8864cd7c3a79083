// `idcard-ocr serve`: binds first (so --port 0 can print the port at once), loads the models in
// the background (/readyz turns 200 when done), stops cleanly on SIGINT/SIGTERM.
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "idcard/card_reader.h"
#include "server/clock.h"
#include "server/demo_app.h"
#include "server/http_service.h"
#include "server/json_log.h"
#include "storage/open_store.h"

namespace idcard::cli {
namespace {

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string url_host(const std::string& host) {
  if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
  if (host == "::") return "[::1]";
  if (host.find(':') != std::string::npos) return "[" + host + "]";
  return host;
}

// libcurl's global state, initialised once before any thread may fetch.
struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

void print_demo_banner(const std::string& base, const server::DemoCredentials& demo) {
  std::cout << "demo page: " << base << "/\n"
            << "demo app:  appid=" << demo.appid << " secret=" << demo.secret
            << "  (new secret on every start)\n"
            << "try it:\n"
            << "  TOKEN=$(curl -s '" << base
            << "/cgi-bin/token?grant_type=client_credential&appid=" << demo.appid << "&secret=" << demo.secret
            << "' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n"
            << "  curl -s -F img=@card.jpg \"" << base << "/cv/ocr/idcard?type=photo&access_token=$TOKEN\"\n"
            << std::flush;
}

void serve(Settings& settings) {
  ServerSettings& s = settings.server;
  // Signals go to one waiting thread, never to an arbitrary worker: block them before any
  // thread starts (threads inherit the mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the server

  CurlGlobal curl;
  server::JsonLogger log(std::cout);
  auto store = storage::open_store(settings.storage, s.http_threads + 2);
  const server::Clock clock(s.clock_offset_s, s.clock_offset_file);
  const bool demo = s.demo_explicit ? s.demo : is_loopback_host(s.host);

  server::HttpService service(s, *store, log, clock);
  const int port = service.bind(s.host, s.port);
  if (port < 0) throw std::runtime_error("cannot listen on " + s.host + ":" + std::to_string(s.port));
  const std::string base = "http://" + url_host(s.host) + ":" + std::to_string(port);
  log.info("listening", {{"url", base},
                         {"host", s.host},
                         {"port", port},
                         {"demo", demo},
                         {"threads", s.http_threads},
                         {"max_connections", s.max_connections},
                         {"head_timeout_s", s.head_timeout_s},
                         {"min_body_rate", s.min_body_rate},
                         {"ocr_workers", s.ocr_workers},
                         {"ocr_queue", s.ocr_queue}});
  if (demo) {
    const auto creds = server::ensure_demo_app(*store, s.demo_daily_quota, clock.now());
    service.enable_demo(creds.appid);
    print_demo_banner(base, creds);
  }

  bool load_failed = false;
  std::string load_error;
  std::thread loader([&] {
    try {
      EngineSettings engine = settings.engine;
      engine.intra_op_threads = intra_op_threads_for(engine, s.ocr_workers);
      auto reader = std::make_shared<const CardReader>(engine);
      service.set_recognizer([reader](std::string_view image, ImageType type, const ReadOptions& options) {
        return reader->read(image, type, options);
      });
      log.info("ready");
    } catch (const std::exception& e) {
      log.error("models failed to load", {{"error", e.what()}});
      load_error = e.what();  // the log masks long path names; stderr gets it whole (below)
      load_failed = true;
      service.stop();
    }
  });
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    service.stop();
  });

  const bool ok = service.run();
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes the waiter if no signal came
  signal_waiter.join();
  loader.join();
  log.info("stopped");
  if (!ok && !load_failed) throw std::runtime_error("listener failed");
  // An operator's own paths, not request data: printed unmasked so the wrong one can be found.
  if (load_failed) throw std::runtime_error("models failed to load: " + load_error);
}

}  // namespace

void add_serve_command(CLI::App& app, Settings& settings) {
  auto* cmd = app.add_subcommand("serve", "Serve the WeChat-compatible HTTP API");
  ServerSettings& s = settings.server;
  cmd->add_option("--host", s.host, "Address to bind")->capture_default_str();
  cmd->add_option("--port", s.port, "Port (0 picks a free one and prints it)")->capture_default_str();
  cmd->add_option("--threads", s.http_threads, "HTTP connection threads started at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--head-timeout", s.head_timeout_s,
                  "Seconds a connection has to send a whole request head (after connecting or an answer), "
                  "0 = off")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  cmd->add_option("--min-body-rate", s.min_body_rate,
                  "Bytes a second a request body must average after --head-timeout seconds of grace, 0 = any")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--max-connections", s.max_connections,
                  "Connections served at once, a thread each (started on demand); more wait")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--ocr-workers", s.ocr_workers, "Recognition threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--queue", s.ocr_queue, "Recognitions allowed to wait; beyond that answer -1 at once")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  cmd->add_flag("--demo,!--no-demo", s.demo, "Serve the demo page and demo app (default: on for loopback)")
      ->each([&s](const std::string&) { s.demo_explicit = true; });
  cmd->add_option("--token-ttl", s.token_ttl_s, "access_token lifetime in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 24 * 3600));
  cmd->add_option("--allow-fetch-host", s.fetch_allow_hosts,
                  "Host name, IP or CIDR that img_url may reach even if private (repeatable)");
  cmd->add_option("--metrics-token", s.metrics_token,
                  "Bearer token that /metrics and /readyz's details require (better: the environment's "
                  "IDCARD_OCR_METRICS_TOKEN, not shown in the process list)");
  cmd->add_option("--data-dir", settings.storage.data_dir, "Directory for the default SQLite database")
      ->capture_default_str();
  // Test hook, deliberately undocumented: seconds to add to the clock, re-read per request.
  cmd->add_option("--fake-clock-file", s.clock_offset_file)->group("");
  cmd->callback([&settings] { serve(settings); });
}

}  // namespace idcard::cli
