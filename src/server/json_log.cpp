#include "server/json_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <utility>

namespace idcard::server {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_credential_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

void mask_values(nlohmann::json& j) {
  if (j.is_string()) {
    j = mask_sensitive(j.get_ref<const std::string&>());
  } else if (j.is_object() || j.is_array()) {
    for (auto& v : j) mask_values(v);
  }
}

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

std::string mask_sensitive(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {  // a UTF-8 run: CJK names, addresses
      while (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80) ++i;
      out += "***";
      continue;
    }
    if (is_credential_char(c)) {
      std::size_t j = i;
      std::size_t digits = 0, max_digits = 0;
      while (j < text.size() && is_credential_char(text[j])) {
        digits = is_digit(text[j]) ? digits + 1 : 0;
        if (digits > max_digits) max_digits = digits;
        ++j;
      }
      const std::size_t len = j - i;
      if (len >= 24 || max_digits >= 15) out += "***";
      else out.append(text.substr(i, len));
      i = j;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

void JsonLogger::log(std::string_view level, std::string_view event, nlohmann::json fields) {
  if (!fields.is_object()) fields = nlohmann::json::object();
  mask_values(fields);
  nlohmann::json line = {{"ts", utc_timestamp()}, {"level", level}, {"event", event}};
  line.update(fields);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mu_);
  out_ << text << '\n';
  out_.flush();
}

bool LogThrottle::admit(const std::string& kind, TimePoint now, long long& held) {
  std::lock_guard lock(mu_);
  auto [it, first] = kinds_.try_emplace(kind);
  Kind& k = it->second;
  if (!first && now - k.last_logged < interval_) {
    ++k.held;
    any_held_ = true;
    return false;
  }
  held = k.held;
  k.held = 0;
  k.last_logged = now;
  return true;
}

std::map<std::string, long long> LogThrottle::take_held() {
  std::map<std::string, long long> out;
  std::lock_guard lock(mu_);
  if (!any_held_) return out;
  for (auto& [kind, k] : kinds_)
    if (k.held > 0) out[kind] = std::exchange(k.held, 0);
  any_held_ = false;
  return out;
}

}  // namespace idcard::server
