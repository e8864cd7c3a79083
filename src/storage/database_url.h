#pragma once
#include <string>

#include "core/settings.h"

namespace idcard::storage {

struct DatabaseTarget {
  enum class Kind { kSqlite, kPostgres } kind = Kind::kSqlite;
  std::string location;  // sqlite: file path; postgres: the URL as given (libpq parses it)
};

// "sqlite:///abs/file.db", "sqlite://rel/file.db", "postgresql://…" / "postgres://…";
// empty = "<data_dir>/idcard-ocr.db". Throws std::invalid_argument for anything else.
DatabaseTarget parse_database_url(const StorageSettings& settings);

// The URL with any password replaced by "***", for messages.
std::string redact_database_url(const std::string& url);

}  // namespace idcard::storage
