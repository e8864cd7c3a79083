#include "storage/database_url.h"

#include <stdexcept>

namespace idcard::storage {
namespace {
bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

DatabaseTarget parse_database_url(const StorageSettings& settings) {
  const std::string& url = settings.database_url;
  if (url.empty()) {
    const std::string dir = settings.data_dir.empty() ? "." : settings.data_dir;
    return {DatabaseTarget::Kind::kSqlite, dir + "/idcard-ocr.db"};
  }
  if (starts_with(url, "sqlite://")) {
    std::string path = url.substr(9);  // sqlite:///abs -> /abs ; sqlite://rel -> rel
    if (path.empty()) throw std::invalid_argument("sqlite URL without a path");
    return {DatabaseTarget::Kind::kSqlite, path};
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://"))
    return {DatabaseTarget::Kind::kPostgres, url};
  throw std::invalid_argument("unsupported database URL scheme (use sqlite:/// or postgresql://)");
}

std::string redact_database_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto at = url.find('@', scheme_end);
  if (at == std::string::npos) return url;
  const auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace idcard::storage
