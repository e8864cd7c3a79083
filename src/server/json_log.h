#pragma once
// JSON-lines logger. Callers log only what they mean to (request ids, routes, errcodes, timings,
// appids); as a second line of defence every string value passes through mask_sensitive(), so a
// slip can never put an ID number, a name, a secret or a token into the log.
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace idcard::server {

// Replaces: runs of 15+ digits (ID numbers, 15- or 18-digit with X), runs of 24+ credential
// characters [A-Za-z0-9_-] (secrets, tokens, base64 image data), and every non-ASCII run (names,
// addresses, authorities are CJK) with "***".
std::string mask_sensitive(std::string_view text);

class JsonLogger {
 public:
  explicit JsonLogger(std::ostream& out) : out_(out) {}
  JsonLogger(const JsonLogger&) = delete;
  JsonLogger& operator=(const JsonLogger&) = delete;

  // One line: {"ts","level","event", ...fields}; string values masked.
  void log(std::string_view level, std::string_view event, nlohmann::json fields = nlohmann::json::object());
  void info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log("info", event, std::move(fields));
  }
  void warn(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log("warn", event, std::move(fields));
  }
  void error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log("error", event, std::move(fields));
  }

 private:
  std::mutex mu_;
  std::ostream& out_;
};

// Lets one line of a repeated failure through per interval and counts the rest, so an outage
// (every call failing the same way, thousands a second) costs a line per interval, not per call.
class LogThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit LogThrottle(std::chrono::steady_clock::duration interval) : interval_(interval) {}

  // Whether to log this occurrence of `kind` at `now`; `held` gets how many occurrences of it
  // were counted and not logged since the last one that was.
  bool admit(const std::string& kind, TimePoint now, long long& held);
  // The counts not yet reported, per kind, reset to none: for a line when the failures stop.
  std::map<std::string, long long> take_held();

 private:
  struct Kind {
    TimePoint last_logged;
    long long held = 0;
  };
  std::chrono::steady_clock::duration interval_;
  std::mutex mu_;
  std::map<std::string, Kind> kinds_;
  bool any_held_ = false;
};

}  // namespace idcard::server
