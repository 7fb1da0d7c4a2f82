// RowStore: the merged state of every synced row in one SQLite database — the
// entity tables, the device dictionary (`peer`) and the set state (`set_dot`).
// Shared by the device Replica and the Hub, which differ only in how they
// decide (crdt/Rules.h: decideOnDevice / decideAtHub), not in how state is kept.
//
// Tables it owns (created by the migrations in Migrations.cpp):
//   <entity>(id TEXT PRIMARY KEY, <one column per field>, <stage>_gen, _clocks BLOB)
//   peer(idx INTEGER PRIMARY KEY, device BLOB UNIQUE)      device id <-> small number
//   set_dot(entity, row, field, element, hlc, peer, removed)  OR-set state (crdt/OrSet.h)
// Callers hold the transaction; RowStore never opens one.
#pragma once

#include "crdt/Clock.h"
#include "protocol/ChangeRecord.h"
#include "replica/RowState.h"
#include "schema/Schema.h"
#include "storage/Connection.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fieldsync::replica {

class RowStore {
public:
    RowStore(storage::Connection& db, const schema::Schema& schema);

    uint32_t peerOf(const crdt::DeviceId& device);  // adds the device if new
    // Re-reads the peer dictionary: call after a rolled-back transaction, which
    // may have taken back peers this cache still holds.
    void reloadPeers();
    // Adds the peers other connections appended since this one last looked
    // (the hub's read-only connections: peers are only ever appended there).
    void loadNewPeers() const;
    // A peer this object has not cached yet is looked up once more before it
    // counts as corrupt: a row read right after another connection committed
    // it may name a device that connection added (peers are only appended).
    const crdt::DeviceId& deviceOf(uint32_t peer) const;

    RowState load(const schema::EntityDef& entity, std::string_view id);
    // Reads many rows of one entity in a few queries (ids may repeat) and
    // keeps them, present or absent, so that load() and exists() answer from
    // memory: the hub reads a push's rows this way instead of one query per
    // record (a round trip each on PostgreSQL). A row leaves the read-ahead
    // when it is written (save, remove), so it is read again, from the
    // database, after a change: what load() returns is always what the
    // database holds; while the read-ahead holds rows, a row read from the
    // database is kept in it too. Only valid inside the caller's transaction: drop it
    // (dropReadAhead, or a ReadAhead scope) before the transaction ends.
    void readAhead(const schema::EntityDef& entity, const std::vector<std::string>& ids);
    void dropReadAhead();
    // Drops the read-ahead when the scope ends, however it ends.
    class ReadAhead {
    public:
        explicit ReadAhead(RowStore& rows) : m_rows(rows) {}
        ~ReadAhead() { m_rows.dropReadAhead(); }
        ReadAhead(const ReadAhead&) = delete;
        ReadAhead& operator=(const ReadAhead&) = delete;

    private:
        RowStore& m_rows;
    };
    // How many rows the read-ahead holds (for tests).
    size_t readAheadSize() const;

    // While a WriteBehind scope is open, a new row's INSERT waits: rows
    // created together go in multi-row INSERTs (one per entity and set of
    // columns), written by flushWrites() or before anything reads the tables
    // (a load or exists of a waiting row, a listing, a dump), so every read
    // still sees every write. Callers flush before they commit; a scope that
    // ends unflushed drops what waits (its transaction is being rolled back).
    class WriteBehind {
    public:
        // `enabled` false: saves are written at once, as without the scope.
        explicit WriteBehind(RowStore& rows, bool enabled = true) : m_rows(rows) { m_rows.m_writeBehind = enabled; }
        ~WriteBehind() { m_rows.dropWrites(); }
        WriteBehind(const WriteBehind&) = delete;
        WriteBehind& operator=(const WriteBehind&) = delete;

    private:
        RowStore& m_rows;
    };
    void flushWrites();
    size_t waitingWrites() const { return m_waiting.size(); }  // for tests
    // A row that does not exist yet, with every field unwritten (no read).
    RowState blank(const schema::EntityDef& entity) const;
    // Inserts a new row whole; for a stored row writes only the dirty fields
    // and the clocks, so unchanged columns and their indexes are not touched.
    void save(const schema::EntityDef& entity, std::string_view id, const RowState& row);
    bool exists(const schema::EntityDef& entity, std::string_view id);
    // Deletes a row and its set state (scope exit, or a refused creation).
    void remove(const schema::EntityDef& entity, std::string_view id);

    // A register built from a write in a record (value, clock, stage rank).
    crdt::Register registerFor(const schema::FieldDef& field, const protocol::FieldWrite& write,
                               const crdt::Clock& clock) const;
    // Makes `reg` the value of field `field` of `row` (marks it dirty).
    void assign(RowState& row, int field, const crdt::Register& reg);

    // OR-set operations on set_dot, then the row's cached element list is
    // refreshed in `row`. Returns true if the state changed.
    bool addDot(const schema::EntityDef& entity, std::string_view id, int field, const std::string& element,
                const crdt::Clock& dot);
    bool removeDots(const schema::EntityDef& entity, std::string_view id, int field, const std::string& element,
                    const std::vector<crdt::Clock>& dots);
    std::vector<crdt::Clock> liveDots(const schema::EntityDef& entity, std::string_view id, int field,
                                      const std::string& element);
    void refreshSetCache(const schema::EntityDef& entity, std::string_view id, RowState& row);

    // Every row of an entity in id order.
    void forEachRow(const schema::EntityDef& entity,
                    const std::function<void(const std::string& id, const RowState&)>& fn);

    // The whole state as change records, one per (row, clock) group plus one
    // per set dot: what a bundle carries.
    std::vector<protocol::ChangeRecord> exportRecords();
    // The same for one row (nothing if it does not exist).
    void exportRow(const schema::EntityDef& entity, std::string_view id, std::vector<protocol::ChangeRecord>& out);
    // Ids of the rows of `entity` whose Ref field `field` is `value`.
    std::vector<std::string> idsWhere(const schema::EntityDef& entity, std::string_view field, std::string_view value);

    // Canonical JSON of all synced state: entities by name, rows by id, every
    // field with its value and clock, set fields with their dots. Replicas that
    // hold the same state produce the same bytes (json::dump of std::map order).
    nlohmann::json dump();
    // One row as JSON {id, field: value, ...} (no clocks), for listings.
    nlohmann::json rowJson(const schema::EntityDef& entity, std::string_view id, const RowState& row) const;

private:
    struct EntitySql {
        std::string select, exists, all, many;  // many: by a JSON array of ids
        std::vector<int> stageFields;  // field indices with a _gen column
        std::unordered_map<uint64_t, std::string> inserts, updates;  // by field mask
    };
    const std::string& insertSql(const schema::EntityDef& entity, uint64_t fields);
    const std::string& updateSql(const schema::EntityDef& entity, uint64_t dirty);
    void bindValue(class storage::Statement& st, int index, const crdt::Value& v) const;
    std::vector<EntitySql> m_sql;
    // The read-ahead, by entity code then id.
    std::vector<std::unordered_map<std::string, RowState>> m_ahead;
    size_t m_aheadRows = 0;
    bool m_aheadActive = false;  // from readAhead() to dropReadAhead()
    const RowState* ahead(const schema::EntityDef& entity, std::string_view id) const;
    // The write-behind: inserts waiting, and their ids by entity code.
    struct WaitingInsert {
        int entity;
        std::string id;
        uint64_t columns;
        RowState row;
        std::string clocks;
    };
    bool m_writeBehind = false;
    std::vector<WaitingInsert> m_waiting;
    std::vector<std::unordered_set<std::string>> m_waitingIds;
    bool waiting(const schema::EntityDef& entity, std::string_view id) const;
    void dropWrites();
    void bindColumns(storage::Statement& st, int& p, const schema::EntityDef& entity, const RowState& row,
                     uint64_t columns) const;
    void forget(const schema::EntityDef& entity, std::string_view id);
    storage::Connection& m_db;
    const schema::Schema& m_schema;
    // A cache of the peer table (mutable: deviceOf() fills it on a miss).
    mutable std::vector<crdt::DeviceId> m_devices;  // index = peer number
    mutable std::unordered_map<crdt::DeviceId, uint32_t> m_peers;

    void decodeRow(const schema::EntityDef& entity, class storage::Statement& st, RowState& row) const;
    void appendDotRecords(const schema::EntityDef& entity, const std::string* id,
                          std::vector<protocol::ChangeRecord>& out);
};

} // namespace fieldsync::replica
