#pragma once
// JSON-lines logger. Callers log only what they mean to (request ids, routes, errcodes, timings,
// appids); as a second line of defence every string value passes through mask_sensitive(), so a
// slip can never put an ID number, a name, a secret or a token into the log.
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

}  // namespace idcard::server
