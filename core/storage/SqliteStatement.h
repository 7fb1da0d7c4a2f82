// Internal to storage: the SQLite implementation of StatementImpl.
#pragma once

#include "storage/Connection.h"

#include <memory>
#include <string_view>

namespace fieldsync::storage {

class Database;

std::unique_ptr<StatementImpl> prepareSqlite(Database& db, std::string_view sql);

} // namespace fieldsync::storage
