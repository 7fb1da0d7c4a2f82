// Numbered schema migrations, tracked in PRAGMA user_version — or, for a
// second, independent ladder in the same file (a layer above the owner of
// the file adding tables of its own), in a named track:
//
//   _migration_track(name TEXT PRIMARY KEY, version INTEGER NOT NULL)
//     One row per track: the number of the last migration of that track
//     applied to this file. No row: version 0. Created by the first
//     migrate() of any track.
//
// A database at version N gets migrations N+1, N+2, ... applied in order, each
// inside its own transaction together with the user_version bump, so a failing
// migration leaves the file exactly at the last good version. A database whose
// version is newer than the newest migration this build knows is refused
// (opening it with old code could corrupt it).
//
// The version is read inside each step's write transaction, so two processes
// migrating the same database at once (two server instances starting on one
// PostgreSQL database) apply each step once: the second waits for the
// writer lock, then sees the step done and moves on.
#pragma once

#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fieldsync::storage {

class Connection;

struct Migration {
    int version;               // 1, 2, 3, ... contiguous
    const char* description;   // for error messages
    const char* sql;           // run with Connection::exec; may be null if `apply` is set
    std::function<void(Connection&)> apply = {};  // for steps SQL alone cannot express
};

class MigrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Applies every migration newer than the file's user_version, up to `target`
// (default: all). Returns the version the database is at afterwards.
// Throws MigrationError if the list is not numbered 1..N contiguously, if the
// database is newer than the list, or if a step fails (with its number and
// description in the message; that step is rolled back).
int migrate(Connection& db, std::span<const Migration> migrations, int target = -1);

// The same, with the version kept in _migration_track under `track` (not in
// user_version, so it never interferes with the file's own ladder). Each
// step commits together with its track's version bump.
int migrate(Connection& db, std::span<const Migration> migrations, std::string_view track, int target = -1);

// The version a track is at (0 if it was never migrated).
int trackVersion(Connection& db, std::string_view track);

} // namespace fieldsync::storage
