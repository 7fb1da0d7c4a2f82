// The numbered migrations of a device replica file and of a hub file.
// Migration SQL is literal and frozen once released: a later schema change is
// a new numbered step, never an edit of an old one. tests/replica checks that
// the migrated tables have a column for every field of schema/Schema.h and
// that every earlier version upgrades to the same final schema.
#pragma once

#include "storage/Connection.h"
#include "storage/Migrations.h"

#include <span>

namespace fieldsync::replica {

std::span<const storage::Migration> replicaMigrations();
std::span<const storage::Migration> hubMigrations();
// The hub's ladder for an engine: SQLite's above, or PostgreSQL's, which
// has the same steps, numbers, tables and columns in that engine's types.
// A step added to one is added to the other under the same number.
std::span<const storage::Migration> hubMigrations(storage::Dialect dialect);

} // namespace fieldsync::replica
