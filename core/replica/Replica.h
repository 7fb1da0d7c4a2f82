// Replica: one device's local database — the merged state of every row it can
// see, plus what it has written and not yet had acknowledged.
//
// Two paths, kept apart (DESIGN §3, STYLE "local capture and remote apply"):
//
//  * Local capture (create/update): validates against the schema, stamps one
//    HLC clock for the whole write, updates the row and appends one outbox
//    record, in one transaction. Invalid input changes nothing.
//  * Remote apply (applyRemote/importBundle): merges records through the same
//    rule functions (crdt/Rules.h) in one transaction together with the
//    caller's cursor. It never appends to the outbox, so a round trip through
//    the hub leaves the outbox empty, and applying a batch twice changes
//    nothing.
//
// Device-only tables:
//
//   outbox(hlc PK, entity, row, mask, seen, payload)
//     One record per local write not yet acknowledged by the hub.
//     hlc      the write's clock (this device's HLC); also its device sequence
//              number: strictly increasing, so "acknowledged up to H" is one
//              comparison. A field whose clock is this device's and above the
//              acknowledged mark is an unsynced local edit — no lookup needed.
//     mask     the register fields the write set (bit i = field index i).
//              Their values are read from the row at push time: while the
//              edit is unsynced and not overwritten, the row holds exactly it.
//     seen     the pull cursor when the write was made (DESIGN §3 `seen`).
//     payload  JSON, only when needed: {"add":[...], "remove":[...]} for set
//              operations, and {"set":{field: value}} for a field whose
//              unsynced value was overwritten by a remote change (the value is
//              moved here so it is still pushed and the hub logs the conflict).
//     Coalescing: writing a field again while its previous edit is unsynced
//     drops that field from the earlier record (and the record, once empty) —
//     unless the earlier edit met a concurrent remote change (it overwrote it
//     or lost to it). Such an edit is pinned (its value copied into payload)
//     and always pushed, so the hub sees both sides and logs the conflict.
//
//   local_conflict(entity, row, field, loser_clock, loser_value, winner_clock,
//                  winner_value, detected_at, local_hlc)
//     Provisional flags: a remote change that overwrote, or lost to, one of
//     this device's unsynced edits (local_hlc = that edit's clock). Removed
//     when the hub's conflict entry for the same (row, field, losing clock)
//     arrives, or, once the hub has ruled on the edit (acknowledged, and
//     pulled past the push: meta settle_hlc/settle_at), without one. Not synced.
//
//   rejected(hlc PK, entity, row, record, code, message, rejected_at)
//     Changes the hub refused for good (reject()), as pushed.
//
//   meta: device_id, cursor (global position pulled to), acked (highest
//     acknowledged outbox hlc), hlc (last clock observed from remote changes),
//     clock_offset, settle_hlc/settle_at (above), evict_pending (customers to
//     drop once their edits are acknowledged), setting:<name> (setting()).
//
// Thread safety: one thread at a time (like its storage::Database). Several
// Replica objects may open the same file (the app's UI and its sync engine,
// on their own threads): each notices the others' commits (PRAGMA
// data_version) when it next starts an operation and re-reads what it caches.
#pragma once

#include "base/Result.h"
#include "crdt/Hlc.h"
#include "protocol/ChangeRecord.h"
#include "replica/Ids.h"
#include "replica/RowStore.h"
#include "schema/Schema.h"
#include "storage/Database.h"

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace fieldsync::replica {

// The fields and set operations of one local write to one row.
class Write {
public:
    Write& set(std::string field, crdt::Value value);
    Write& add(std::string field, std::string element);
    Write& remove(std::string field, std::string element);
    // Stage fields: set() moves forward within the current generation; moving
    // back is refused. reopen() starts a new generation at `stage` (default:
    // the first stage), which outranks everything in the old one.
    Write& reopen(std::string field, std::string stage = {});

    struct Item {
        enum Kind { Set, Add, Remove, Reopen } kind;
        std::string field;
        crdt::Value value;
    };
    const std::vector<Item>& items() const { return m_items; }
    bool empty() const { return m_items.empty(); }

private:
    std::vector<Item> m_items;
};

struct ApplyStats {
    size_t records = 0;
    size_t rowsChanged = 0;
    size_t provisionalConflicts = 0;
    size_t aheadRefused = 0;  // importBundle: records stamped beyond kMaxClockAheadMs, left out
};

// How far ahead of this device's corrected clock a stamp may be and still be
// trusted: the hub's default bound (fieldsync-server --max-drift-ms). A
// bundle's records beyond it are not imported; an observed stamp beyond it is
// no floor for re-stamping (correctClock).
inline constexpr int64_t kMaxClockAheadMs = 5 * 60 * 1000;


struct PendingBatch {
    crdt::Hlc after = 0;  // the acknowledged mark the batch follows
    std::vector<protocol::ChangeRecord> records;
};

// A change the hub refused for good (scope or role), kept for the user.
struct Rejection {
    crdt::Hlc clock = 0;
    std::string code, message;
    std::string reason = {};  // the server's one word (docs/api.md); empty from older servers
};

struct RejectedChange {
    crdt::Hlc clock = 0;
    std::string entity, id, code, message;
    std::string reason;
    nlohmann::json record;  // the change as it was pushed
    int64_t rejectedAt = 0;
};

struct ConflictEntry {
    std::string id;           // conflict row id; empty for a provisional flag
    bool provisional = false;
    std::string entity, row, field, rule;
    nlohmann::json loserValue, winnerValue;
    std::string loserClock, winnerClock;
    int64_t detectedAt = 0;
    bool resolved = false;
    bool needsResolution = false;  // a text field's loser, waiting for the user

    nlohmann::json toJson() const;
};

class Replica {
public:
    struct Options {
        crdt::TimeSource time = crdt::systemTimeSource();
        // The replica's encryption key (storage/Encryption.h; replica::newReplicaKey):
        // the file, its WAL and journal are encrypted with it. A plain replica
        // is encrypted in place when first opened with a key. No key: a plain
        // file (tests, and only by explicit choice elsewhere).
        std::optional<storage::EncryptionKey> key = std::nullopt;
    };

    // Opens or creates the file (migrating it), and gives a new file a fresh
    // random device id. Throws storage::StorageError for a wrong key, or none
    // for an encrypted file (the file is left as it was).
    static std::unique_ptr<Replica> open(const std::string& path, Options options);
    static std::unique_ptr<Replica> open(const std::string& path) { return open(path, Options{}); }
    ~Replica();

    const crdt::DeviceId& deviceId() const { return m_device; }
    const schema::Schema& schema() const { return m_schema; }

    // Local capture. create() returns the new row's id.
    Result<std::string> create(std::string_view entity, const Write& write);
    Status update(std::string_view entity, std::string_view id, const Write& write);
    // Creates the row with this id when this replica does not have it, else
    // updates it: for rows whose id is derived from a natural key
    // (team_config: schema::teamConfigRowId), which devices may each create
    // offline and then merge field by field like any concurrent writes.
    Status put(std::string_view entity, std::string_view id, const Write& write);
    // Sets the entity's tombstone field (archived or voided) to true.
    Status archive(std::string_view entity, std::string_view id);

    // Runs several local writes in one transaction (a form saved at once, a
    // bulk import): all of them persist, or none. The batch is rolled back if
    // `writes` returns an error, throws, or any write inside it failed, even
    // if `writes` ignored that failure.
    Status batch(const std::function<Status()>& writes);

    // Remote apply, with the pull cursor to store in the same transaction.
    ApplyStats applyRemote(std::span<const protocol::ChangeRecord> records,
                           std::optional<uint64_t> cursor = std::nullopt);
    protocol::Bundle exportBundle();
    ApplyStats importBundle(const protocol::Bundle& bundle);

    // Outbound: the oldest unacknowledged writes, and their acknowledgement.
    PendingBatch pending(size_t limit = 500);
    // `hubHead`: the hub's position after the push that acknowledged them.
    // Once this device has pulled that far, the hub has ruled on every
    // provisional flag about these edits, and the flags it did not confirm
    // are dropped.
    void acknowledge(crdt::Hlc upTo, uint64_t hubHead = 0);
    size_t pendingCount();
    // Rows with changes waiting to be pushed, per entity name: what the user
    // did ("1 visit, 1 task"), where pendingCount() counts writes (a visit
    // planned, checked in and out is three).
    std::map<std::string, size_t> pendingRows();
    uint64_t cursor() const { return m_cursor; }
    crdt::Hlc acked() const { return m_acked; }

    // Reads.
    Result<nlohmann::json> get(std::string_view entity, std::string_view id);
    std::vector<nlohmann::json> list(std::string_view entity);
    nlohmann::json dump();

    // The conflict log as this device knows it: the hub's entries (synced)
    // and this device's provisional flags.
    std::vector<ConflictEntry> conflicts(bool includeResolved = false);
    // Resolves a hub conflict entry: optionally writes `chosen` to the field
    // (a normal write, synced like any other), then marks the entry resolved.
    Status resolveConflict(std::string_view conflictId, std::optional<crdt::Value> chosen);

    // --- for the sync client (core/sync) ---

    // Small named settings kept in the replica file (server URL, token, ...).
    std::optional<std::string> setting(std::string_view key);
    void setSetting(std::string_view key, std::optional<std::string_view> value);

    // Changes the hub refused for good: moved from the outbox to `rejected`
    // with the values as pushed (visible, never pushed again); the fields
    // they wrote are forgotten locally and `restore` (the hub's current state
    // of those rows) is applied, so this device shows what everybody else
    // sees. One transaction.
    void reject(std::span<const Rejection> rejections, std::span<const protocol::ChangeRecord> restore);
    std::vector<RejectedChange> rejected();

    // Scope exit: drops these customers and every row hanging off them.
    // A customer with unsynced edits is dropped only once they are
    // acknowledged (the hub accepts a rep's edits made while they owned it).
    void evict(std::span<const std::string> customers);
    std::vector<std::string> pendingEvictions();

    // This device's clock is off (a hub said so, or its answers' server_time
    // did): applies the offset and moves every unacknowledged write's clock
    // by the correction, to the time it was really written — back if the
    // clock ran ahead, forward if it ran behind, never past now — keeping
    // their order and never below what the hub accepted or this device
    // observed within kMaxClockAheadMs, so a wrong clock wins and loses
    // nothing. Time values read from the clock at a write (schema: captured —
    // a check-in, a check-out) move by the correction, never after their
    // write's new stamp. An observed stamp beyond the bound (a bundle from a
    // clock that ran ahead) is forgotten as a floor. One transaction.
    void correctClock(int64_t offsetMs);

    crdt::HlcClock& clock() { return m_hlc; }
    storage::Database& database() { return *m_db; }

private:
    Replica(std::unique_ptr<storage::Database> db, Options options);
    Result<std::string> write(const schema::EntityDef& entity, std::string id, bool creating, const Write& write,
                              bool orCreate = false);
    Error refuse(Error error);
    void applyOne(const protocol::ChangeRecord& record, ApplyStats& stats);
    void restamp(const std::map<crdt::Hlc, crdt::Hlc>& stamps,
                 const std::vector<std::tuple<crdt::Hlc, int, std::string, uint64_t, std::optional<std::string>>>& records,
                 int64_t delta);
    protocol::ChangeRecord outboxRecord(storage::Statement& outboxRow);
    std::vector<std::pair<const schema::EntityDef*, std::string>> rowsOfRoot(const std::string& root);
    bool evictNow(const std::string& customer);
    void storeEvictions(const std::vector<std::string>& customers);
    void retryEvictions();
    void loadState();
    void followFile();
    void materialize(const schema::EntityDef& entity, const FieldState& fs, int field);
    void dropFromOutbox(crdt::Hlc hlc, int field, std::string_view fieldName);
    void setMeta(std::string_view key, int64_t value);
    void flagProvisional(const schema::EntityDef& entity, std::string_view id, const schema::FieldDef& field,
                         const crdt::Register& loser, const crdt::Register& winner, crdt::Hlc localHlc);

    std::unique_ptr<storage::Database> m_db;
    const schema::Schema& m_schema;
    RowStore m_rows;
    crdt::HlcClock m_hlc;
    crdt::DeviceId m_device;
    uint64_t m_cursor = 0;
    crdt::Hlc m_acked = 0;
    crdt::Hlc m_settleHlc = 0;
    uint64_t m_settleAt = 0;
    int64_t m_dataVersion = 0;
    bool m_inBatch = false;
    bool m_batchFailed = false;
};

} // namespace fieldsync::replica
