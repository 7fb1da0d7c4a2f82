// Where a server keeps its data, and opening it (docs/scale-out.md):
//   sqlite:DIR            hub.db and accounts.db in DIR (the default; --data DIR
//                         means the same); one server process per directory
//   postgres://…          one PostgreSQL database holding the hub and the
//   postgresql://…        accounts, shared by any number of server processes
// The URL is libpq's (user, password, host, port, database, ?sslmode=…).
#pragma once

#include "api/SyncApi.h"
#include "base/Result.h"
#include "replica/Hub.h"
#include "storage/Connection.h"
#include "store/Accounts.h"

#include <functional>
#include <memory>
#include <string>

namespace fieldsync::server {

struct StoreLocation {
    enum class Kind { Sqlite, Postgres } kind = Kind::Sqlite;
    std::string dir;  // Sqlite
    std::string url;  // Postgres
    // For messages and logs: never the password.
    std::string describe() const;
};

// Parses --store (InvalidArgument with the accepted forms if it is neither).
Result<StoreLocation> parseStore(const std::string& text);

// A new connection to the store; `file` names the SQLite file (hub.db or
// accounts.db) and is ignored for PostgreSQL, which holds both.
std::unique_ptr<storage::Connection> connectStore(const StoreLocation& store, const std::string& file);
std::unique_ptr<replica::Hub> openHub(const StoreLocation& store, replica::Hub::Options options = {});
std::unique_ptr<Accounts> openAccounts(const StoreLocation& store, Accounts::Options options);
// What SyncApi needs to open read-only hub connections for pulls.
std::function<std::unique_ptr<replica::Hub>()> hubReaders(const StoreLocation& store);
// True if the store holds no hub changes, no users and no teams yet
// (seed-demo and migrate refuse to write into a store that holds data).
bool storeIsEmpty(const StoreLocation& store);

} // namespace fieldsync::server
