// AuditLog: reads the hub's change log for `fieldsync-server audit`
// (docs/operations.md): who changed which row, when, from which device.
//
// The source is hub_log (replica/Hub.h): every accepted change, with the
// user and device of the token that pushed it (never what the request
// claims), the time the hub received it (`received_at`, ms, the server's
// wall clock) and the customer the row belongs to. Conflict entries (entity
// `conflict`) are logged under the hub's own device id (meta 'device_id') and
// the user whose push caused them: `byServer` marks them.
//
// Read-only: it opens an existing store, never creates, migrates or writes
// one, and reads inside one snapshot (storage::ReadTransaction), so it can
// run beside a serving server and every page it prints is as of one commit.
//
// Order and paging: by global position (seq), newest first unless
// `oldestFirst`; `before`/`after` bound seq (exclusive), so the next page
// starts where the last one ended. At most `limit` entries; read() says
// whether more match.
//
// Cost (docs/operations.md has the figures): no index is added for the audit
// (each would cost every push an index write). `customer` and `row` walk the
// narrow (seq, customer) index hub_log_scan; `user`, `device`, `since` and
// `until` are filters over the log in seq order, which stop as soon as
// `limit` + 1 entries matched, and otherwise read the whole log (~0.3 s per
// million changes). The log is read in chunks of at most 500 rows, so memory
// stays flat whatever the limit.
#pragma once

#include "base/Result.h"
#include "crdt/Clock.h"
#include "protocol/ChangeRecord.h"
#include "storage/Connection.h"
#include "stores/Stores.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::server {

struct AuditFilter {
    std::optional<std::string> user;          // the user whose token pushed it
    std::optional<crdt::DeviceId> device;     // the device whose token pushed it
    std::optional<std::string> customer;      // customer id: the customer and everything hanging off it
    // Row id: the changes to that row and the conflict entries about it
    // (found through the row's customer, which is set once, at creation).
    std::optional<std::string> row;
    std::optional<int> entity;                // schema entity code
    std::optional<int64_t> since, until;      // received_at in [since, until), ms
    std::optional<uint64_t> after, before;    // seq in (after, before)
    bool oldestFirst = false;
    size_t limit = 100;
};

struct AuditEntry {
    uint64_t seq = 0;
    int64_t receivedAt = 0;                   // ms since the epoch
    std::string user;
    crdt::DeviceId device;                    // as authenticated, not as the record's clock says
    bool byServer = false;                    // a conflict entry the hub wrote itself
    std::string customer;                     // "" for a row of no customer (team_config)
    std::optional<std::string> customerName;  // its current name, if the hub holds the customer
    protocol::ChangeRecord record;            // with its seq
};

// Where a row is: its entity and the customer it belongs to ("" for none).
struct AuditRow {
    int entity = -1;
    std::string customer;
};

class AuditLog {
public:
    // The log of an existing store. NotFound if it holds no hub (SQLite: no
    // hub.db in the directory; PostgreSQL: no hub_log table).
    static Result<std::unique_ptr<AuditLog>> open(const StoreLocation& store);
    explicit AuditLog(std::unique_ptr<storage::Connection> hub);
    ~AuditLog();

    // The hub's own device id (its conflict entries); null for a hub that
    // never ran.
    const crdt::DeviceId& serverDevice() const { return m_server; }

    // Ids of the customers named exactly `name`, in id order.
    std::vector<std::string> customersNamed(const std::string& name);
    // The row with this id, if the hub holds it.
    std::optional<AuditRow> findRow(const std::string& id);

    // Calls `each` for the matching entries in order, at most filter.limit of
    // them; returns true if more match after the last one given.
    bool read(const AuditFilter& filter, const std::function<void(const AuditEntry&)>& each);

private:
    std::unique_ptr<storage::Connection> m_db;
    crdt::DeviceId m_server;
};

} // namespace fieldsync::server
