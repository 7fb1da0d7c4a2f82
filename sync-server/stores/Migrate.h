// Moving a company's data between stores (`fieldsync-server migrate`), e.g.
// from the SQLite folder it started on to the PostgreSQL database several
// instances will share. Any direction works (sqlite -> postgres, postgres ->
// sqlite, postgres -> postgres).
//
// The destination must be empty. Its schema is created by its own engine's
// ladders (the hub's, the accounts'), then every row of every hub and
// accounts table is copied as is — the global log with its positions, the
// peer dictionary, the per-device acknowledgements, the hub's own device id
// and clock, password hashes and device tokens — after the destination's
// schema is in place, in one transaction on PostgreSQL (two SQLite files
// commit one after the other), so a failed copy leaves a PostgreSQL
// destination empty, and devices carry on against the new store as if
// nothing happened (same cursors, same tokens). Afterwards both stores are opened as hubs and
// compared: the canonical dump, every log record, and the accounts; any
// difference fails the command.
#pragma once

#include "base/Result.h"
#include "stores/Stores.h"

#include <cstdint>
#include <map>
#include <string>

namespace fieldsync::server {

struct MigrateReport {
    std::map<std::string, int64_t> rows;  // table -> rows copied
    uint64_t head = 0;                    // global position (the same on both sides)
    double seconds = 0;
};

Result<MigrateReport> migrateStore(const StoreLocation& from, const StoreLocation& to,
                                   const Accounts::Options& accountOptions);

} // namespace fieldsync::server
