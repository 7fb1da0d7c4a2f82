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
//   hub_log(seq PK, device, device_seq, user, customer, record, received_at)
//     index hub_log_scan(seq, customer): a scoped pull walks this narrow
//     index to decide visibility and reads `record` only for what it returns.
//     Every accepted record in order, as JSON (protocol/ChangeRecord.h) with
//     its "seq": what pulls return, and the audit trail (which user, which
//     device, when). `customer` is the scope root the row belongs to
//     (schema::ScopeDef: the row itself for a root; its stored parent
//     reference for a child; the subject row's root for a conflict entry;
//     "" for a Shared row), so a scoped pull filters without decoding records.
//   owner_change(seq PK, customer, old_owner, new_owner, hlc)
//     Every change of a stored root's owner, at the position of the record
//     that made it: scoped pulls send a root whole when it enters a user's
//     scope there, and tell the device to evict it when it leaves.
//     `hlc` is the clock of that write: a change written before it, while the
//     writer still owned the root, is still the writer's to make.
//   hub_device(device PK, acked, served)
//     Per device, the highest device sequence (= record clock hlc) accepted.
//     A push names the mark it follows (`after`); records at or below the
//     hub's mark are replays and are skipped, so a batch delivered twice, late
//     or in part changes nothing. A push whose `after` is above the hub's
//     mark would leave a gap and is refused. `served` (hub version 5): the
//     highest log position a pull answered this device with, as far as the
//     server stored it (noteServed, PushContext::servedAtLeast); 0 if never.
//   meta: device_id (the hub's own), hlc.
//
// Every push is one transaction: all of it is accepted, or none.
//
// Engines: the hub runs on any storage::Connection — SQLite (a file, the
// default) or PostgreSQL (core/storage-pg), where several server processes
// share one database. Nothing the hub keeps in memory is trusted across
// transactions: each push re-reads the hub clock (meta 'hlc') and the peers
// other processes appended, under the writer lock, so two hubs on one
// database behave as one. Positions are assigned under that lock too, so
// they commit in order (docs/scale-out.md).
#pragma once

#include "base/Result.h"
#include "crdt/Hlc.h"
#include "protocol/ChangeRecord.h"
#include "replica/RowStore.h"
#include "storage/Connection.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fieldsync::replica {

// Who is pulling: sees a scope root (and everything hanging off it) when
// canSee(its current owner, its team) is true; a row of no root (a Shared
// entity, schema/Schema.h) is asked as (nullopt, nullopt). Null viewer:
// sees everything. A root's team is written once, at creation, so whether a
// viewer sees a root changes only when its owner does: the owner_change rows
// are every moment a root enters or leaves a viewer's scope.
struct Viewer {
    std::function<bool(const std::optional<std::string>& owner, const std::optional<std::string>& team)> canSee;
};

// A root's owner and team: what visibility depends on.
struct CustomerKey {
    std::optional<std::string> owner, team;
    bool operator==(const CustomerKey&) const = default;
};

// What the hub knows, from what it stores, about the scope of one pushed
// record (schema::ScopeDef): the policy (PushContext::allow) judges the
// record by this, never by what the record says about itself. For an
// existing row the root is its stored root; only a row being created names
// its root (its parent reference), and that reference never changes after.
struct RecordScope {
    std::string root;                       // the scope root's id ("" for a Shared row, or a new child naming none)
    bool rootExists = false;
    bool shared = false;                    // the row belongs to no root (ScopeKind::Shared, or a subject of one)
    std::optional<std::string> owner;       // the root's current owner (nullopt: unowned, in a pool)
    std::optional<std::string> team;        // the root's team (whose pool holds it unowned; nullopt: every team's)
    std::optional<std::string> ownerAtWrite;  // the root's owner when the record was written (by clock)
    bool createsRow = false;                // the record's row does not exist yet
    bool writesOwner = false;               // a root record that sets its owner
    std::optional<std::string> newOwner;    // the owner it sets
    bool writesTeam = false;                // a root record that writes its team
    std::optional<std::string> newTeam;     // the team it writes
    // Whether the row as the hub stores it holds a value in the named field
    // (false for a new row or a field the entity lacks): what a policy judges
    // a field-dependent rule on, never the record's own claims. Set for the
    // call to PushContext::allow only.
    std::function<bool(std::string_view field)> storedHolds = {};
};

// Why the hub refuses a change whatever the caller's role (Error::reason):
//   unknown_parent  a new child names no root, or one the hub does not hold
//   reparent        a child's parent reference is written once, at creation
//   team_fixed      a root's team is written once, at creation
//   reference       a reference field names a row of another root that the
//                   caller may not see, or a same-root reference
//                   (FieldDef::sameRoot: a photo's visit) a row of another
//                   root, whoever the caller is
// The caller's policy adds its own reasons (sync-server/api/Scope.h).
struct PushContext {
    std::string user;  // recorded in the log (audit trail)
    // Returns an error to refuse one record (it is skipped, reported, and
    // counted as held so the device's queue moves on); null accepts all.
    // Called after the hub's own checks above, with the stored scope.
    std::function<std::optional<Error>(const protocol::ChangeRecord&, const RecordScope&)> allow;
    // Who is pushing, as their pulls see (null: everything). A refused
    // change's restore carries only what this viewer sees, and a reference
    // field may name a row of another root only if this viewer sees it.
    const Viewer* viewer = nullptr;
    // Bytes of restore (JSON) after which the push stops before its next
    // refused change: the rest is not processed and not acknowledged (the
    // device pushes it again). The first refusal is always restored, so a
    // push always moves on.
    size_t restoreBudget = SIZE_MAX;
    // Set: a new root whose record does not write its team field is given
    // this team (in the accepted record, with the record's clock): a root
    // belongs to its creator's team, also when it was made before the
    // device knew that team.
    std::optional<std::string> creatorTeam;
    // Set: a record's `seen` (the position its writer had pulled to) is cut
    // to the highest position the hub served this device — what hub_device
    // stores (served), or this value if higher (the caller's knowledge of
    // pulls the hub has not stored yet) — so a device cannot claim to have
    // seen a value it never received and keep a conflict out of the log.
    // Unset: `seen` is taken as sent (tests, trusted tools).
    std::optional<uint64_t> servedAtLeast;
    // Set: server-owned fields derived from what a push wrote (the server
    // computes a visit's check-in verdict this way). After an accepted
    // record and its conflict entries are merged, and if `derivesFrom`
    // (cheap; unset: every record) says so, `derive` is called inside the
    // push's transaction with the record, the hub's database — every write
    // of the push so far readable — and the hub's time in ms. The fields it
    // returns (by name, only those whose value changes) are written on that
    // record's row as the hub's own record: the hub's clock, logged right
    // after, in the same root, synced like any other change.
    std::function<bool(const protocol::ChangeRecord&)> derivesFrom;
    std::function<std::vector<std::pair<std::string, crdt::Value>>(const protocol::ChangeRecord&, storage::Connection&,
                                                                   int64_t nowMs)>
        derive;
};

struct RejectedRecord {
    crdt::Clock clock;
    int entity = -1;
    std::string id;
    Error error;
};

struct PushResult {
    crdt::Hlc acked = 0;      // the device's records up to here are held
    size_t accepted = 0;
    size_t duplicates = 0;    // already held: skipped
    size_t conflicts = 0;     // conflict entries created
    uint64_t head = 0;        // global position after the push
    std::vector<RejectedRecord> rejected;
    // What the hub holds for the fields the refused records wrote, as
    // records in JSON (protocol/ChangeRecord.h), for the device to show
    // again: only rows the context's viewer sees when the push is merged
    // (a row the same push took out of its scope is not restored), each
    // field of a row once.
    std::vector<std::string> restore;
    size_t restoreBytes = 0;
    bool stoppedEarly = false;  // the restore budget ended the push before its last record
    std::vector<std::string> customers;  // roots the accepted records touched ("" for none)
    size_t fieldChanges = 0;             // field writes and set operations accepted
    std::vector<CustomerKey> formerKeys;  // owner and team of roots before reassignments in this push
};

struct PullResult {
    std::vector<protocol::ChangeRecord> records;
    // With PullEncoding::Json: the same records as JSON text instead (the
    // log's stored text, not decoded and re-encoded), `records` stays empty.
    std::vector<std::string> json;
    uint64_t cursor = 0;      // where to continue: the last position scanned
    bool more = false;        // more positions after `cursor`
    std::vector<std::string> evict;  // customers that left the viewer's scope
};

enum class PullEncoding { Records, Json };

class Hub {
public:
    struct Options {
        crdt::TimeSource time = crdt::systemTimeSource();
    };

    static std::unique_ptr<Hub> open(const std::string& path, Options options);
    static std::unique_ptr<Hub> open(const std::string& path) { return open(path, Options{}); }
    // A hub on an open connection (PostgreSQL, or SQLite): migrates it with
    // that engine's ladder (hubMigrations(dialect)).
    static std::unique_ptr<Hub> open(std::unique_ptr<storage::Connection> connection, Options options);
    // A second connection to a hub file another Hub object has opened (and
    // migrated), for pull() only. The sync server serves pulls from a few of
    // these, so pulls run
    // alongside the one writer instead of queueing behind it; each pull reads
    // inside one snapshot (storage::ReadTransaction), so the log, the owner
    // changes and the rows it backfills are all as of one commit. Its push()
    // throws.
    static std::unique_ptr<Hub> openReader(const std::string& path);
    static std::unique_ptr<Hub> openReader(std::unique_ptr<storage::Connection> connection);
    ~Hub();

    const crdt::DeviceId& deviceId() const { return m_device; }

    Result<PushResult> push(const crdt::DeviceId& device, crdt::Hlc after,
                            std::span<const protocol::ChangeRecord> records, const PushContext& context = {});
    // A page ends after `limit` records, or (PullEncoding::Json) after the
    // position at which its records' JSON reached `maxBytes`: at least one
    // position is always passed, and a customer entering the scope comes whole.
    PullResult pull(uint64_t after, size_t limit = 500, const Viewer* viewer = nullptr,
                    PullEncoding encoding = PullEncoding::Records, size_t maxBytes = SIZE_MAX);
    uint64_t head();
    crdt::Hlc ackedFor(const crdt::DeviceId& device);

    // The current state of one row, as records; nothing if `viewer` may not see it.
    std::vector<protocol::ChangeRecord> rowState(int entity, const std::string& id, const Viewer* viewer = nullptr);
    // The current state of a root and of every row hanging off it.
    std::vector<protocol::ChangeRecord> customerState(const std::string& customer);
    // The scope root of a stored row ("" for a Shared row or an unknown one).
    std::string rootOf(int entity, const std::string& id);
    // The ids, in order, of the stored rows of `entity` whose text field
    // `field` holds `value`, among those `viewer` may see (null: all). What
    // the server authorises a photo's bytes by: a user may send or fetch the
    // bytes of a hash only if a photo row naming it is theirs to see
    // (docs/photos.md). Served by an index on the field.
    std::vector<std::string> rowsNaming(int entity, int field, const std::string& value, const Viewer* viewer = nullptr);
    // Records that this device was served the log up to `position`
    // (hub_device.served, see PushContext::servedAtLeast). Any connection,
    // a reader's too, outside a transaction: it is its own write.
    void noteServed(const crdt::DeviceId& device, uint64_t position);
    // Users whose scope holds this customer's current owner: who to poke.
    std::optional<std::string> ownerOf(const std::string& customer);
    // Owner and team of many roots, in order, in a few queries ({} for "" or an unknown one).
    std::vector<CustomerKey> keysOf(const std::vector<std::string>& customers);
    // Owner and team of a customer in one read ({} for "" or an unknown one).
    CustomerKey keyOf(const std::string& customer);

    nlohmann::json dump();
    // Only the rows `viewer` may see: what a device of that user holds once synced.
    nlohmann::json dump(const Viewer& viewer);
    storage::Connection& database() { return *m_db; }

private:
    Hub(std::unique_ptr<storage::Connection> db, Options options, bool reader = false);
    // Brings this object's memory up to what other writers committed; inside
    // the write transaction.
    void catchUp();
    PullResult pullInSnapshot(uint64_t after, size_t limit, const Viewer* viewer, PullEncoding encoding,
                              size_t maxBytes);
    // `row`: the record's row as stored (load()ed by the caller), merged into.
    void merge(const protocol::ChangeRecord& record, RowState row, uint64_t seq,
               std::vector<protocol::ChangeRecord>& conflicts,
               std::vector<CustomerKey>* formerKeys = nullptr);
    // Inserts a log row, or in a batched push (PostgreSQL) queues it:
    // flushLog() inserts the queue in multi-row INSERTs before the push
    // commits (nothing reads the log inside a push).
    void log(uint64_t seq, const crdt::DeviceId& device, const std::string& user, const std::string& customer,
             const protocol::ChangeRecord& record);
    void flushLog();
    // Reads ahead the rows a push touches: its records' rows, then their
    // customers and those customers' owner_change history (scopeOf).
    void readAheadFor(std::span<const protocol::ChangeRecord> records, crdt::Hlc acked);
    // The old owner of the first reassignment of `customer` written after
    // `hlc`, if there is one (nullopt inside: it was in the pool then).
    std::optional<std::optional<std::string>> ownerBefore(const std::string& customer, crdt::Hlc hlc);
    RecordScope scopeOf(const protocol::ChangeRecord& record, const RowState& stored);
    // The root of a row: its stored root if `stored` exists, else the one the
    // creating record names (nullptr: none).
    std::string rootOf(const schema::EntityDef& entity, const RowState& stored,
                       const protocol::ChangeRecord* creating);
    // The hub's own checks and the caller's policy for one record; null: allowed.
    std::optional<Error> confine(const protocol::ChangeRecord& record, const RecordScope& scope,
                                 const RowState& stored, const PushContext& context);
    // The restore of one refused record (PushResult::restore): the fields it
    // wrote that `done` does not hold yet for its row, as JSON records.
    std::vector<std::string> restoreOf(const protocol::ChangeRecord& record, const RecordScope& scope,
                                       const PushContext& context, const std::vector<int>& done);
    // Drops from result.restore the entries (of roots `roots`, one each)
    // whose row the viewer no longer sees once the whole push is merged.
    void dropRestoresOutOfScope(PushResult& result, const std::vector<std::string>& roots, const Viewer& viewer);

    std::unique_ptr<storage::Connection> m_db;
    const schema::Schema& m_schema;
    RowStore m_rows;
    crdt::HlcClock m_hlc;
    crdt::DeviceId m_device;
    bool m_reader = false;

    struct PendingLog {
        int64_t seq, deviceSeq, receivedAt;
        crdt::DeviceId device;
        std::string user, customer, record;
    };
    std::vector<PendingLog> m_pendingLog;
    bool m_batchLog = false;
    // Inside a push: owner_change rows (hlc, old_owner) of the customers read
    // ahead, in (hlc, seq) order, kept up to date by merge().
    std::unordered_map<std::string, std::vector<std::pair<crdt::Hlc, std::optional<std::string>>>> m_ownerHistory;
};

} // namespace fieldsync::replica
