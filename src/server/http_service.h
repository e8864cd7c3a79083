#pragma once
// The WeChat-compatible HTTP service: routes, auth, quotas, recognition pool, metrics, demo page.
// cpp-httplib stays behind this header (see docs/service.md for why that library).
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/settings.h"
#include "idcard/card_result.h"
#include "server/clock.h"
#include "server/json_log.h"
#include "storage/store.h"

namespace idcard::server {

// The engine as the service sees it; production wraps CardReader::read, tests inject fakes.
using Recognizer =
    std::function<ReadOutcome(std::string_view image, ImageType type, const ReadOptions& options)>;

class HttpService {
 public:
  HttpService(const ServerSettings& settings, storage::Store& store, JsonLogger& log, const Clock& clock);
  ~HttpService();
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // Serves the demo page and /demo/token for this app (call before run()).
  void enable_demo(const std::string& demo_appid);
  // Until this is called /readyz answers 503 and recognition answers -1 (models still loading).
  void set_recognizer(Recognizer recognizer);

  // Binds; port 0 picks a free one. Returns the bound port, or -1.
  int bind(const std::string& host, int port);
  // Serves until stop(); false if the listener failed.
  bool run();
  void stop();  // thread-safe; run() returns after in-flight requests finish

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace idcard::server
