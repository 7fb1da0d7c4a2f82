// `fieldsync-server --data DIR seed-demo`: fills an empty data directory with
// the demo company (domain/DemoCompany.h, docs/demo.md).
//
// The records go in through the hub's real merge path (Hub::push, stamped by
// the company's own device id, audit user "seed-demo", a few thousand records
// per push and transaction), so the hub log, the global sequence and the
// audit trail are exactly as if a device had synced them. Teams and users
// (with their demo passwords, Argon2id-hashed like any other) go into
// accounts.db.
//
// A directory that already holds data (any user, team or change) is refused
// and left untouched: demo data is never mixed into a real company's. There
// is deliberately no flag to force it; use a new directory.
#pragma once

#include "domain/DemoCompany.h"
#include "store/Accounts.h"
#include "stores/Stores.h"

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::server {

struct SeedReport {
    domain::DemoCounts counts;
    size_t changes = 0;                          // hub log records written
    std::map<std::string, size_t> verdicts;      // check-ins by the server's verdict
    std::map<std::string, size_t> customersOf;   // rep -> customers owned
    double seconds = 0;
    double mergeSeconds = 0;                     // of which inside Hub::push
};

// Seeds `dir` (created if missing). FailedPrecondition if it holds data.
Result<SeedReport> seedDemo(const StoreLocation& store, const domain::DemoCompany& company,
                            const Accounts::Options& accountOptions);

// The command: parses `args` (the words after "seed-demo"), seeds, prints
// the users and their demo passwords. Returns the exit status
// (0, 2 bad flags, 4 the directory holds data, 1 failure).
int seedDemoCommand(const std::optional<StoreLocation>& store, const std::vector<std::string>& args,
                    const Accounts::Options& accountOptions, std::ostream& out, std::ostream& err);

} // namespace fieldsync::server
