#pragma once
#include <memory>

#include "core/settings.h"
#include "storage/store.h"

namespace idcard::storage {
// Opens (and creates/migrates the schema of) the database StorageSettings names.
// `connections` bounds the PostgreSQL connection pool. Throws std::runtime_error.
std::unique_ptr<Store> open_store(const StorageSettings& settings, int connections = 4);
}  // namespace idcard::storage
