#include "storage/open_store.h"

#include "storage/database_url.h"
#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"

namespace idcard::storage {

std::unique_ptr<Store> open_store(const StorageSettings& settings, int connections) {
  const DatabaseTarget target = parse_database_url(settings);
  if (target.kind == DatabaseTarget::Kind::kPostgres)
    return std::make_unique<PostgresStore>(target.location, connections);
  return std::make_unique<SqliteStore>(target.location);
}

}  // namespace idcard::storage
