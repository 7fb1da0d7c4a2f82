// Hub: the server's side of merging, with no network — the sync server wraps
// it, and the property tests drive it in-process.
//
// The hub sees every change exactly once, in arrival order, and so is where
// two decisions are made once for everybody:
//   * a global position (seq) for every accepted record, 1, 2, 3, ...;
//     devices pull "everything after my cursor";
//   * whether an overwrite was a conflict (crdt::decideAtHub): each field
//     remembers the position at which its current value arrived (the
//     `arrival` of its clock group, RowState.h); a write whose writer had
//     pulled to a position before that, from another device, was concurrent.
//     The loser becomes a row of entity `conflict`, written by the hub with
//     its own device id and clock, logged and pulled like any other record.
//
// Hub-only tables:
//   hub_log(seq PK, device, device_seq, record, received_at)
//     Every accepted record in order, as JSON (protocol/ChangeRecord.h) with
//     its "seq": what pulls return, and the audit trail (which device, when).
//   hub_device(device PK, acked)
//     Per device, the highest device sequence (= record clock hlc) accepted.
//     A push names the mark it follows (`after`); records at or below the
//     hub's mark are replays and are skipped, so a batch delivered twice, late
//     or in part changes nothing. A push whose `after` is above the hub's
//     mark would leave a gap and is refused.
//   meta: device_id (the hub's own), hlc.
//
// Every push is one transaction: all of it is accepted, or none.
#pragma once

#include "base/Result.h"
#include "crdt/Hlc.h"
#include "protocol/ChangeRecord.h"
#include "replica/RowStore.h"
#include "storage/Database.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

namespace fieldsync::replica {

struct PushResult {
    crdt::Hlc acked = 0;      // the device's records up to here are held
    size_t accepted = 0;
    size_t duplicates = 0;    // already held: skipped
    size_t conflicts = 0;     // conflict entries created
    uint64_t head = 0;        // global position after the push
};

struct PullResult {
    std::vector<protocol::ChangeRecord> records;
    uint64_t cursor = 0;      // position of the last record returned (or the one asked for)
    bool more = false;        // more records after `cursor`
};

class Hub {
public:
    struct Options {
        crdt::TimeSource time = crdt::systemTimeSource();
    };

    static std::unique_ptr<Hub> open(const std::string& path, Options options);
    static std::unique_ptr<Hub> open(const std::string& path) { return open(path, Options{}); }
    ~Hub();

    const crdt::DeviceId& deviceId() const { return m_device; }

    Result<PushResult> push(const crdt::DeviceId& device, crdt::Hlc after,
                            std::span<const protocol::ChangeRecord> records);
    PullResult pull(uint64_t after, size_t limit = 500);
    uint64_t head();
    crdt::Hlc ackedFor(const crdt::DeviceId& device);

    nlohmann::json dump();
    storage::Database& database() { return *m_db; }

private:
    Hub(std::unique_ptr<storage::Database> db, Options options);
    void merge(const crdt::DeviceId& device, const protocol::ChangeRecord& record, uint64_t seq,
               std::vector<protocol::ChangeRecord>& conflicts);
    void log(uint64_t seq, const crdt::DeviceId& device, const protocol::ChangeRecord& record);

    std::unique_ptr<storage::Database> m_db;
    const schema::Schema& m_schema;
    RowStore m_rows;
    crdt::HlcClock m_hlc;
    crdt::DeviceId m_device;
};

} // namespace fieldsync::replica
