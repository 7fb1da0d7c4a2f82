#include "replica/Replica.h"

#include "replica/Ids.h"
#include "replica/Migrations.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

namespace fieldsync::replica {

using nlohmann::json;
using schema::EntityDef;
using schema::FieldDef;
using schema::FieldType;
using storage::Statement;
using storage::Transaction;
using storage::UsingStatement;

// ---------------------------------------------------------------- Write

Write& Write::set(std::string field, crdt::Value value)
{
    m_items.push_back({Item::Set, std::move(field), std::move(value)});
    return *this;
}

Write& Write::add(std::string field, std::string element)
{
    m_items.push_back({Item::Add, std::move(field), std::move(element)});
    return *this;
}

Write& Write::remove(std::string field, std::string element)
{
    m_items.push_back({Item::Remove, std::move(field), std::move(element)});
    return *this;
}

Write& Write::reopen(std::string field, std::string stage)
{
    m_items.push_back({Item::Reopen, std::move(field), std::move(stage)});
    return *this;
}

json ConflictEntry::toJson() const
{
    json j = {{"entity", entity},          {"row", row},
              {"field", field},            {"rule", rule},
              {"loser_value", loserValue}, {"loser_clock", loserClock},
              {"winner_value", winnerValue}, {"winner_clock", winnerClock},
              {"detected_at", detectedAt}, {"provisional", provisional},
              {"resolved", resolved},      {"needs_resolution", needsResolution}};
    if (!id.empty()) j["id"] = id;
    return j;
}

// ---------------------------------------------------------------- open

namespace {

std::optional<int64_t> metaInt(storage::Database& db, std::string_view key)
{
    UsingStatement st(db, "SELECT value FROM meta WHERE key = ?");
    st->bind(1, key);
    if (!st->step() || st->isNull(0)) return std::nullopt;
    return st->getInt(0);
}

} // namespace

std::unique_ptr<Replica> Replica::open(const std::string& path, Options options)
{
    // A replica written before it had a key is encrypted on its first open
    // with one (storage::encryptFile: a crash leaves it plain or encrypted,
    // whole); from then on it opens with that key only.
    if (options.key && storage::fileKind(path) == storage::FileKind::Plain) storage::encryptFile(path, *options.key);
    std::unique_ptr<storage::Database> db;
    try {
        db = std::make_unique<storage::Database>(path, storage::Database::Mode::ReadWriteCreate, 5000, options.key);
    } catch (const storage::StorageError&) {
        // A replica encrypted under the cipher before AEGIS-256 is moved to
        // it once, the same crash-safe way (storage::upgradeLegacyEncryption).
        if (!options.key || !storage::upgradeLegacyEncryption(path, *options.key))
            throw;
        db = std::make_unique<storage::Database>(path, storage::Database::Mode::ReadWriteCreate, 5000, options.key);
    }
    storage::migrate(*db, replicaMigrations());
    return std::unique_ptr<Replica>(new Replica(std::move(db), std::move(options)));
}

Replica::Replica(std::unique_ptr<storage::Database> db, Options options)
    : m_db(std::move(db)), m_schema(schema::fieldsyncSchema()), m_rows(*m_db, m_schema),
      m_hlc(std::move(options.time))
{
    {
        Transaction tx(*m_db);
        m_device = ownDeviceId(*m_db, m_rows);
        tx.commit();
    }
    m_dataVersion = m_db->dataVersion();
    loadState();
}

void Replica::loadState()
{
    m_cursor = static_cast<uint64_t>(metaInt(*m_db, "cursor").value_or(0));
    m_acked = static_cast<crdt::Hlc>(metaInt(*m_db, "acked").value_or(0));
    m_settleHlc = static_cast<crdt::Hlc>(metaInt(*m_db, "settle_hlc").value_or(0));
    m_settleAt = static_cast<uint64_t>(metaInt(*m_db, "settle_at").value_or(0));
    m_hlc.setOffset(metaInt(*m_db, "clock_offset").value_or(0));
    // Never issue a clock below one already used or observed, even if the
    // wall clock went back while the app was closed.
    crdt::Hlc last = std::max<crdt::Hlc>(m_acked, static_cast<crdt::Hlc>(metaInt(*m_db, "hlc").value_or(0)));
    {
        UsingStatement st(*m_db, "SELECT max(hlc) FROM outbox");
        if (st->step() && !st->isNull(0)) last = std::max(last, static_cast<crdt::Hlc>(st->getInt(0)));
    }
    m_hlc.observe(last);
}

void Replica::followFile()
{
    // Another connection (the app's sync engine, another process) committed:
    // what this object caches — peers, cursor, marks, clock — may be stale.
    int64_t version = m_db->dataVersion();
    if (version == m_dataVersion) return;
    m_dataVersion = version;
    m_rows.reloadPeers();
    loadState();
}

Replica::~Replica() = default;

void Replica::setMeta(std::string_view key, int64_t value)
{
    UsingStatement st(*m_db, "INSERT INTO meta (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    st->bind(1, key).bind(2, value);
    st->run();
}

// ---------------------------------------------------------------- local capture

namespace {

const EntityDef* findEntity(const schema::Schema& s, std::string_view name, Error& err)
{
    const auto* e = s.entity(name);
    if (!e) {
        std::string names;
        for (const auto& x : s.entities()) names += (names.empty() ? "" : ", ") + x.name;
        err = invalidArgument("unknown entity \"" + std::string(name) + "\" (known: " + names + ")");
    }
    return e;
}

const FieldDef* findField(const EntityDef& e, std::string_view name, Error& err)
{
    const auto* f = e.field(name);
    if (!f) {
        std::string names;
        for (const auto& x : e.fields)
            if (!x.serverOnly) names += (names.empty() ? "" : ", ") + x.name;
        err = invalidArgument("unknown field " + e.name + "." + std::string(name) + " (fields: " + names + ")");
    } else if (f->serverOnly) {
        err = invalidArgument(e.name + "." + f->name + " is written by the server only");
        return nullptr;
    }
    return f;
}

crdt::Value normalized(const FieldDef& f, crdt::Value v)
{
    if (f.type == FieldType::Real && std::holds_alternative<int64_t>(v))
        return static_cast<double>(std::get<int64_t>(v));
    return v;
}

const char* tombstoneField(const EntityDef& e)
{
    if (e.field("archived")) return "archived";
    if (e.field("voided")) return "voided";
    return nullptr;
}

} // namespace

Error Replica::refuse(Error error)
{
    if (m_inBatch) m_batchFailed = true;  // an ignored failure still fails the batch
    return error;
}

Result<std::string> Replica::create(std::string_view entity, const Write& w)
{
    Error err{ErrorCode::Internal, ""};
    const auto* e = findEntity(m_schema, entity, err);
    if (!e) return refuse(err);
    if (e->name == schema::kConflictEntity)
        return refuse(invalidArgument("conflict entries are created by the server, not by devices"));
    return write(*e, newRowId(m_hlc.physicalMillis()), true, w);
}

Status Replica::update(std::string_view entity, std::string_view id, const Write& w)
{
    Error err{ErrorCode::Internal, ""};
    const auto* e = findEntity(m_schema, entity, err);
    if (!e) return refuse(err);
    auto r = write(*e, std::string(id), false, w);
    if (!r) return r.error();
    return Ok{};
}

Status Replica::put(std::string_view entity, std::string_view id, const Write& w)
{
    Error err{ErrorCode::Internal, ""};
    const auto* e = findEntity(m_schema, entity, err);
    if (!e) return refuse(err);
    if (e->name == schema::kConflictEntity)
        return refuse(invalidArgument("conflict entries are created by the server, not by devices"));
    if (!protocol::isValidRowId(id)) return refuse(invalidArgument("not a row id: " + std::string(id)));
    auto r = write(*e, std::string(id), false, w, /*orCreate=*/true);
    if (!r) return r.error();
    return Ok{};
}

Status Replica::archive(std::string_view entity, std::string_view id)
{
    Error err{ErrorCode::Internal, ""};
    const auto* e = findEntity(m_schema, entity, err);
    if (!e) return refuse(err);
    const char* field = tombstoneField(*e);
    if (!field) return refuse(invalidArgument(e->name + " rows cannot be archived"));
    return update(entity, id, Write().set(field, true));
}

Status Replica::batch(const std::function<Status()>& writes)
{
    if (m_inBatch) throw std::logic_error("Replica::batch cannot be nested");
    Transaction tx(*m_db);
    followFile();
    m_inBatch = true;
    m_batchFailed = false;
    struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{m_inBatch};
    Status st = Ok{};
    try {
        st = writes();
    } catch (...) {
        m_rows.reloadPeers();
        throw;
    }
    if (!st) return st;
    if (m_batchFailed) return failedPrecondition("a write in the batch failed; nothing was saved");
    tx.commit();
    return Ok{};
}

Result<std::string> Replica::write(const EntityDef& e, std::string id, bool creating, const Write& w, bool orCreate)
{
    if (w.empty()) return refuse(invalidArgument("nothing to write"));
    // In a batch, the batch holds the transaction; any failure below poisons it.
    std::optional<Transaction> ownTx;
    if (!m_inBatch) {
        ownTx.emplace(*m_db);
        followFile();
    }
    struct FailMark {
        bool& failed;
        bool active;
        bool done = false;
        ~FailMark() { if (active && !done) failed = true; }
    } mark{m_batchFailed, m_inBatch};
    // A new row's id was generated just now: nothing to read.
    RowState row = creating ? m_rows.blank(e) : m_rows.load(e, id);
    if (!creating && !row.exists) {
        if (!orCreate) return notFound("no " + e.name + " with id " + id);
        // put(): read inside this transaction, so the choice cannot race
        // another connection's write of the same row.
        creating = true;
        row = m_rows.blank(e);
    }

    const crdt::Clock clock{m_hlc.now(), m_device};
    const uint32_t me = m_rows.peerOf(m_device);
    uint64_t mask = 0;
    json add = json::array(), remove = json::array();
    Error err{ErrorCode::Internal, ""};

    auto setRegister = [&](const FieldDef& f, crdt::Value value, int64_t generation) {
        auto& fs = row.fields[static_cast<size_t>(f.index)];
        // Coalesce: this field's previous edit is still unsynced and current.
        if (fs.written && fs.reg.clock.device == m_device && fs.reg.clock.hlc > m_acked && fs.reg.clock.hlc != clock.hlc)
            dropFromOutbox(fs.reg.clock.hlc, f.index, f.name);
        crdt::Register reg;
        reg.value = std::move(value);
        reg.clock = clock;
        reg.generation = generation;
        if (auto* s = std::get_if<std::string>(&reg.value); s && f.type == FieldType::Stage) reg.rank = f.stageRank(*s);
        fs.written = true;
        fs.reg = std::move(reg);
        fs.peer = me;
        fs.arrival = 0;
        mask |= uint64_t{1} << f.index;
        row.dirty |= uint64_t{1} << f.index;
    };

    for (const auto& item : w.items()) {
        const auto* f = findField(e, item.field, err);
        if (!f) return err;
        auto& fs = row.fields[static_cast<size_t>(f->index)];
        switch (item.kind) {
        case Write::Item::Set: {
            if (f->type == FieldType::TagSet)
                return invalidArgument(e.name + "." + f->name + " is a set: add or remove elements instead");
            crdt::Value v = normalized(*f, item.value);
            // Not even an id: no such row here (a typo, a name), said the way
            // an unknown id is (below).
            if (const auto* ref = std::get_if<std::string>(&v); ref && f->type == FieldType::Ref && !ref->empty()
                                                               && !schema::isRowId(*ref))
                return notFound(e.name + "." + f->name + ": no " + f->refEntity + " with id " + ref->substr(0, 80));
            if (auto st = schema::validate(e, *f, v); !st) return st.error();
            if (f->type == FieldType::Stage) {
                int rank = f->stageRank(std::get<std::string>(v));
                if (fs.written && !crdt::isNull(fs.reg.value)) {
                    if (rank == fs.reg.rank) break;  // already there
                    if (rank < fs.reg.rank)
                        return failedPrecondition(e.name + "." + f->name + " cannot move back from "
                                                  + crdt::describe(fs.reg.value) + " to " + crdt::describe(v)
                                                  + "; reopen it instead");
                }
                setRegister(*f, std::move(v), fs.written ? fs.reg.generation : 0);
                break;
            }
            if (f->rule == crdt::Rule::Once && fs.written && !crdt::isNull(fs.reg.value)) {
                if (fs.reg.value == v) break;
                return failedPrecondition(e.name + "." + f->name + " is write-once and already set to "
                                          + crdt::describe(fs.reg.value));
            }
            if (fs.written && fs.reg.value == v) break;  // unchanged: no change to sync
            if (!fs.written && crdt::isNull(v)) break;
            // What a row's scope hangs on is set at creation (schema/Schema.h,
            // ScopeKind): the hub refuses to move a row, so refuse it here.
            if (!creating && row.exists && fs.written && f->index == e.scope.parent)
                return failedPrecondition(e.name + "." + f->name + " is set when the " + e.name
                                          + " is created and never changes; create a new " + e.name + " instead");
            setRegister(*f, std::move(v), 0);
            break;
        }
        case Write::Item::Reopen: {
            if (f->type != FieldType::Stage) return invalidArgument(e.name + "." + f->name + " is not a stage field");
            crdt::Value stage = std::get<std::string>(item.value).empty() ? crdt::Value(f->options.front()) : item.value;
            if (auto st = schema::validate(e, *f, stage); !st) return st.error();
            int64_t gen = fs.written ? fs.reg.generation + 1 : 0;
            setRegister(*f, std::move(stage), gen);
            break;
        }
        case Write::Item::Add:
        case Write::Item::Remove: {
            if (f->type != FieldType::TagSet)
                return invalidArgument(e.name + "." + f->name + " is not a set; use set instead");
            if (auto st = schema::validate(e, *f, item.value); !st) return st.error();
            const auto& element = std::get<std::string>(item.value);
            if (item.kind == Write::Item::Add) {
                m_rows.addDot(e, id, f->index, element, clock);
                add.push_back({{"field", f->name}, {"value", element}});
            } else {
                auto dots = m_rows.liveDots(e, id, f->index, element);
                if (dots.empty()) break;  // not present: removing it changes nothing
                m_rows.removeDots(e, id, f->index, element, dots);
                json ds = json::array();
                for (const auto& d : dots) ds.push_back(d.str());
                remove.push_back({{"field", f->name}, {"value", element}, {"dots", std::move(ds)}});
            }
            break;
        }
        }
    }

    if (creating) {
        for (const auto& f : e.fields) {
            const auto& fs = row.fields[static_cast<size_t>(f.index)];
            if (f.required && (!fs.written || crdt::isNull(fs.reg.value)))
                return invalidArgument("a new " + e.name + " needs " + f.name);
        }
    }
    for (const auto& f : e.fields) {
        if (f.type != FieldType::Ref || !(mask >> f.index & 1)) continue;
        const auto* target = m_schema.entity(f.refEntity);
        const auto& v = row.fields[static_cast<size_t>(f.index)].reg.value;
        if (auto* s = std::get_if<std::string>(&v); s && target && !m_rows.exists(*target, *s))
            return notFound(e.name + "." + f.name + ": no " + target->name + " with id " + *s);
    }
    if (mask == 0 && add.empty() && remove.empty()) {  // nothing changed
        mark.done = true;
        return id;
    }

    if (!add.empty() || !remove.empty()) m_rows.refreshSetCache(e, id, row);
    m_rows.save(e, id, row);
    json payload = json::object();
    if (!add.empty()) payload["add"] = std::move(add);
    if (!remove.empty()) payload["remove"] = std::move(remove);
    UsingStatement st(*m_db, "INSERT INTO outbox (hlc, entity, \"row\", mask, seen, payload) VALUES (?, ?, ?, ?, ?, ?)");
    st->bind(1, static_cast<int64_t>(clock.hlc)).bind(2, e.code).bind(3, id)
        .bind(4, static_cast<int64_t>(mask)).bind(5, static_cast<int64_t>(m_cursor));
    if (payload.empty()) st->bind(6, nullptr);
    else st->bind(6, payload.dump());
    st->run();
    if (ownTx) ownTx->commit();
    mark.done = true;
    return id;
}

void Replica::dropFromOutbox(crdt::Hlc hlc, int field, std::string_view fieldName)
{
    {
        UsingStatement st(*m_db, "SELECT payload FROM outbox WHERE hlc = ?");
        st->bind(1, static_cast<int64_t>(hlc));
        if (!st->step()) return;
        if (!st->isNull(0) && json::parse(st->getTextView(0)).value("set", json::object()).contains(fieldName))
            return;  // pinned: it met a concurrent change and must reach the hub
    }
    UsingStatement up(*m_db, "UPDATE outbox SET mask = mask & ~? WHERE hlc = ?");
    up->bind(1, static_cast<int64_t>(uint64_t{1} << field)).bind(2, static_cast<int64_t>(hlc));
    up->run();
    UsingStatement del(*m_db, "DELETE FROM outbox WHERE hlc = ? AND mask = 0 AND payload IS NULL");
    del->bind(1, static_cast<int64_t>(hlc));
    del->run();
}

// ---------------------------------------------------------------- remote apply

ApplyStats Replica::applyRemote(std::span<const protocol::ChangeRecord> records, std::optional<uint64_t> cursor)
{
    ApplyStats stats;
    crdt::Hlc before = m_hlc.last();
    try {
        Transaction tx(*m_db);
        followFile();
        for (const auto& r : records) applyOne(r, stats);
        retryEvictions();
        if (cursor && *cursor > m_cursor) setMeta("cursor", static_cast<int64_t>(*cursor));
        if (m_hlc.last() != before) setMeta("hlc", static_cast<int64_t>(m_hlc.last()));
        if (cursor && m_settleAt && *cursor >= m_settleAt) {
            // The hub's decisions on every edit up to m_settleHlc are now here:
            // its entries replaced the flags they confirm; the rest were not
            // conflicts after all (e.g. an old value delivered again).
            UsingStatement del(*m_db, "DELETE FROM local_conflict WHERE local_hlc <= ?");
            del->bind(1, static_cast<int64_t>(m_settleHlc));
            del->run();
            setMeta("settle_at", 0);
        }
        tx.commit();
        if (cursor && m_settleAt && *cursor >= m_settleAt) m_settleAt = 0;
    } catch (...) {
        m_rows.reloadPeers();
        throw;
    }
    if (cursor && *cursor > m_cursor) m_cursor = *cursor;
    return stats;
}

void Replica::applyOne(const protocol::ChangeRecord& r, ApplyStats& stats)
{
    const auto& e = m_schema.entity(r.entity);
    ++stats.records;
    m_hlc.observe(r.clock.hlc);
    RowState row = m_rows.load(e, r.id);
    bool changed = !row.exists;
    for (const auto& w : r.writes) {
        const auto& f = e.fields.at(static_cast<size_t>(w.field));
        auto& fs = row.fields[static_cast<size_t>(w.field)];
        crdt::Register incoming = m_rows.registerFor(f, w, r.clock);
        bool unsynced = fs.written && fs.reg.clock.device == m_device && fs.reg.clock.hlc > m_acked;
        auto d = crdt::decideOnDevice(f.rule, fs.written ? &fs.reg : nullptr, incoming, unsynced);
        if (d.provisionalConflict) {
            ++stats.provisionalConflicts;
            if (d.takeIncoming) flagProvisional(e, r.id, f, fs.reg, incoming, fs.reg.clock.hlc);
            else flagProvisional(e, r.id, f, incoming, fs.reg, fs.reg.clock.hlc);
        }
        // An unsynced edit that met a concurrent change must reach the hub even
        // if it is overwritten here or edited again: pin its value in the outbox.
        if (unsynced && (d.takeIncoming || d.provisionalConflict)) materialize(e, fs, w.field);
        if (d.takeIncoming) {
            m_rows.assign(row, w.field, incoming);
            changed = true;
        }
    }
    bool setsChanged = false;
    for (const auto& op : r.setOps) {
        if (op.remove) setsChanged |= m_rows.removeDots(e, r.id, op.field, op.element, op.dots);
        else setsChanged |= m_rows.addDot(e, r.id, op.field, op.element, r.clock);
    }
    if (setsChanged) m_rows.refreshSetCache(e, r.id, row);
    if (changed || setsChanged) {
        m_rows.save(e, r.id, row);
        ++stats.rowsChanged;
    }
    if (e.name == schema::kConflictEntity) {
        // The hub's entry supersedes this device's provisional flag.
        auto text = [&](const char* name) {
            const auto* v = std::get_if<std::string>(&row.fields[static_cast<size_t>(e.field(name)->index)].reg.value);
            return v ? *v : std::string();
        };
        const auto* target = m_schema.entity(text("entity"));
        const auto* field = target ? target->field(text("field")) : nullptr;
        if (field) {
            UsingStatement del(*m_db, "DELETE FROM local_conflict WHERE entity = ? AND \"row\" = ? AND field = ? "
                                      "AND loser_clock = ?");
            del->bind(1, target->code).bind(2, text("row")).bind(3, field->index).bind(4, text("loser_clock"));
            del->run();
        }
    }
}

void Replica::materialize(const EntityDef& e, const FieldState& fs, int field)
{
    // Copy the unsynced value into its outbox record, so it is pushed as it
    // was even after the row stops holding it, and is never coalesced away.
    UsingStatement st(*m_db, "SELECT payload FROM outbox WHERE hlc = ?");
    st->bind(1, static_cast<int64_t>(fs.reg.clock.hlc));
    if (!st->step()) return;  // coalesced away already: nothing unsynced to keep
    json payload = st->isNull(0) ? json::object() : json::parse(st->getText(0));
    const auto& f = e.fields.at(static_cast<size_t>(field));
    payload["set"][f.name] = f.type == FieldType::Stage
        ? json{{"stage", crdt::toJson(fs.reg.value)}, {"gen", fs.reg.generation}}
        : crdt::toJson(fs.reg.value);
    UsingStatement up(*m_db, "UPDATE outbox SET payload = ? WHERE hlc = ?");
    up->bind(1, payload.dump()).bind(2, static_cast<int64_t>(fs.reg.clock.hlc));
    up->run();
}

void Replica::flagProvisional(const EntityDef& e, std::string_view id, const FieldDef& f, const crdt::Register& loser,
                              const crdt::Register& winner, crdt::Hlc localHlc)
{
    // Already settled by the hub: its entry is here, nothing provisional about it.
    const auto& conflicts = *m_schema.entity(schema::kConflictEntity);
    if (m_rows.exists(conflicts, conflictRowId(e.name, id, f.name, loser.clock))) return;
    UsingStatement st(*m_db, "INSERT OR IGNORE INTO local_conflict (entity, \"row\", field, loser_clock, loser_value, "
                             "winner_clock, winner_value, detected_at, local_hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st->bind(1, e.code).bind(2, id).bind(3, f.index).bind(4, loser.clock.str())
        .bind(5, crdt::toJson(loser.value).dump()).bind(6, winner.clock.str())
        .bind(7, crdt::toJson(winner.value).dump()).bind(8, m_hlc.physicalMillis())
        .bind(9, static_cast<int64_t>(localHlc));
    st->run();
}

protocol::Bundle Replica::exportBundle()
{
    protocol::Bundle b;
    b.from = m_device;
    b.records = m_rows.exportRecords();
    return b;
}

ApplyStats Replica::importBundle(const protocol::Bundle& bundle)
{
    // A hub refuses stamps too far ahead of its clock (the device re-stamps
    // them once told); a bundle travels without a hub, so this device bounds
    // them by its own corrected clock. What is held back is not lost: its
    // device pushes it, re-stamped, and it arrives here with a pull.
    followFile();
    const crdt::Hlc bound = crdt::hlcFromMillis(m_hlc.physicalMillis() + kMaxClockAheadMs);
    std::vector<protocol::ChangeRecord> trusted;
    size_t ahead = 0;
    for (const auto& r : bundle.records) {
        if (r.clock.hlc > bound) ++ahead;
        else trusted.push_back(r);
    }
    ApplyStats stats = applyRemote(trusted, std::nullopt);
    stats.aheadRefused = ahead;
    return stats;
}

// ---------------------------------------------------------------- outbound

protocol::ChangeRecord Replica::outboxRecord(Statement& st)
{
    // Columns: hlc, entity, row, mask, seen, payload.
    protocol::ChangeRecord r;
    r.clock = {static_cast<crdt::Hlc>(st.getInt(0)), m_device};
    r.entity = static_cast<int>(st.getInt(1));
    r.id = st.getText(2);
    auto mask = static_cast<uint64_t>(st.getInt(3));
    r.seen = static_cast<uint64_t>(st.getInt(4));
    json payload = st.isNull(5) ? json::object() : json::parse(st.getText(5));
    const auto& e = m_schema.entity(r.entity);
    RowState row = mask ? m_rows.load(e, r.id) : RowState{};
    for (const auto& f : e.fields) {
        if (!(mask >> f.index & 1)) continue;
        protocol::FieldWrite w;
        w.field = f.index;
        if (payload.contains("set") && payload["set"].contains(f.name)) {
            const auto& v = payload["set"][f.name];
            if (f.type == FieldType::Stage) {
                w.value = crdt::valueFromJson(v["stage"]);
                w.generation = v["gen"].get<int64_t>();
            } else {
                w.value = crdt::valueFromJson(v);
            }
        } else {
            const auto& fs = row.fields[static_cast<size_t>(f.index)];
            if (fs.reg.clock != r.clock) throw std::logic_error("outbox record out of step with its row");
            w.value = fs.reg.value;
            w.generation = fs.reg.generation;
        }
        r.writes.push_back(std::move(w));
    }
    for (const char* key : {"add", "remove"}) {
        if (!payload.contains(key)) continue;
        for (const auto& o : payload[key]) {
            protocol::SetOp op;
            op.field = e.field(o["field"].get<std::string>())->index;
            op.element = o["value"].get<std::string>();
            op.remove = std::string_view(key) == "remove";
            if (op.remove)
                for (const auto& d : o["dots"]) op.dots.push_back(*crdt::Clock::parse(d.get<std::string>()));
            r.setOps.push_back(std::move(op));
        }
    }
    return r;
}

PendingBatch Replica::pending(size_t limit)
{
    followFile();
    PendingBatch batch;
    batch.after = m_acked;
    Statement st(*m_db, "SELECT hlc, entity, \"row\", mask, seen, payload FROM outbox ORDER BY hlc LIMIT ?");
    st.bind(1, static_cast<int64_t>(limit));
    while (st.step()) batch.records.push_back(outboxRecord(st));
    return batch;
}

void Replica::acknowledge(crdt::Hlc upTo, uint64_t hubHead)
{
    Transaction tx(*m_db);
    followFile();
    if (upTo <= m_acked) {
        // Already acknowledged; still learn where the hub ruled on it.
        if (hubHead && upTo > 0 && hubHead > m_settleAt) {
            setMeta("settle_hlc", static_cast<int64_t>(std::max(upTo, m_settleHlc)));
            setMeta("settle_at", static_cast<int64_t>(hubHead));
            tx.commit();
            m_settleHlc = std::max(upTo, m_settleHlc);
            m_settleAt = hubHead;
        }
        return;
    }
    UsingStatement del(*m_db, "DELETE FROM outbox WHERE hlc <= ?");
    del->bind(1, static_cast<int64_t>(upTo));
    del->run();
    retryEvictions();
    setMeta("acked", static_cast<int64_t>(upTo));
    if (hubHead) {
        setMeta("settle_hlc", static_cast<int64_t>(upTo));
        setMeta("settle_at", static_cast<int64_t>(hubHead));
    }
    tx.commit();
    m_acked = upTo;
    if (hubHead) {
        m_settleHlc = upTo;
        m_settleAt = hubHead;
    }
}

size_t Replica::pendingCount()
{
    UsingStatement st(*m_db, "SELECT count(*) FROM outbox");
    st->step();
    return static_cast<size_t>(st->getInt(0));
}

std::map<std::string, size_t> Replica::pendingRows()
{
    std::map<std::string, size_t> out;
    UsingStatement st(*m_db, "SELECT entity, count(DISTINCT \"row\") FROM outbox GROUP BY entity");
    while (st->step()) out[m_schema.entity(static_cast<int>(st->getInt(0))).name] = static_cast<size_t>(st->getInt(1));
    return out;
}

// ---------------------------------------------------------------- reads

Result<json> Replica::get(std::string_view entity, std::string_view id)
{
    followFile();  // rows another connection wrote may name peers not cached yet
    Error err{ErrorCode::Internal, ""};
    const auto* e = findEntity(m_schema, entity, err);
    if (!e) return err;
    RowState row = m_rows.load(*e, id);
    if (!row.exists) return notFound("no " + e->name + " with id " + std::string(id));
    return m_rows.rowJson(*e, id, row);
}

std::vector<json> Replica::list(std::string_view entity)
{
    followFile();
    std::vector<json> out;
    const auto* e = m_schema.entity(entity);
    if (!e) return out;
    m_rows.forEachRow(*e, [&](const std::string& id, const RowState& row) { out.push_back(m_rows.rowJson(*e, id, row)); });
    return out;
}

json Replica::dump()
{
    followFile();
    return m_rows.dump();
}

std::vector<ConflictEntry> Replica::conflicts(bool includeResolved)
{
    followFile();
    std::vector<ConflictEntry> out;
    auto text = [](const json& row, const char* name) {
        auto it = row.find(name);
        return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto parsed = [&](const json& row, const char* name) {
        auto t = text(row, name);
        return t.empty() ? json() : json::parse(t, nullptr, false);
    };
    for (const auto& c : list(schema::kConflictEntity)) {
        ConflictEntry ce;
        ce.id = c["id"];
        ce.entity = text(c, "entity");
        ce.row = text(c, "row");
        ce.field = text(c, "field");
        ce.rule = text(c, "rule");
        ce.loserValue = parsed(c, "loser_value");
        ce.winnerValue = parsed(c, "winner_value");
        ce.loserClock = text(c, "loser_clock");
        ce.winnerClock = text(c, "winner_clock");
        ce.detectedAt = c["detected_at"].is_number() ? c["detected_at"].get<int64_t>() : 0;
        ce.resolved = c["resolved"].is_boolean() && c["resolved"].get<bool>();
        ce.needsResolution = ce.rule == "text" && !ce.resolved;
        if (!ce.resolved || includeResolved) out.push_back(std::move(ce));
    }
    Statement st(*m_db, "SELECT entity, \"row\", field, loser_clock, loser_value, winner_clock, winner_value, detected_at "
                        "FROM local_conflict ORDER BY detected_at, \"row\"");
    while (st.step()) {
        ConflictEntry ce;
        ce.provisional = true;
        const auto& e = m_schema.entity(static_cast<int>(st.getInt(0)));
        const auto& f = e.fields.at(static_cast<size_t>(st.getInt(2)));
        ce.entity = e.name;
        ce.row = st.getText(1);
        ce.field = f.name;
        ce.rule = std::string(crdt::ruleName(f.rule));
        ce.loserClock = st.getText(3);
        ce.loserValue = json::parse(st.getText(4));
        ce.winnerClock = st.getText(5);
        ce.winnerValue = json::parse(st.getText(6));
        ce.detectedAt = st.getInt(7);
        out.push_back(std::move(ce));
    }
    return out;
}

// ---------------------------------------------------------------- sync client support

std::optional<std::string> Replica::setting(std::string_view key)
{
    UsingStatement st(*m_db, "SELECT value FROM meta WHERE key = ?");
    st->bind(1, "setting:" + std::string(key));
    if (!st->step() || st->isNull(0)) return std::nullopt;
    return st->getText(0);
}

void Replica::setSetting(std::string_view key, std::optional<std::string_view> value)
{
    if (!value) {
        UsingStatement st(*m_db, "DELETE FROM meta WHERE key = ?");
        st->bind(1, "setting:" + std::string(key));
        st->run();
        return;
    }
    UsingStatement st(*m_db, "INSERT INTO meta (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    st->bind(1, "setting:" + std::string(key)).bind(2, *value);
    st->run();
}

void Replica::reject(std::span<const Rejection> rejections, std::span<const protocol::ChangeRecord> restore)
{
    ApplyStats stats;
    try {
        Transaction tx(*m_db);
        followFile();
        for (const auto& rj : rejections) {
            Statement st(*m_db, "SELECT hlc, entity, \"row\", mask, seen, payload FROM outbox WHERE hlc = ?");
            st.bind(1, static_cast<int64_t>(rj.clock));
            if (!st.step()) continue;  // already gone (acknowledged or rejected before)
            protocol::ChangeRecord r = outboxRecord(st);
            const auto& e = m_schema.entity(r.entity);
            UsingStatement keep(*m_db, "INSERT OR REPLACE INTO rejected (hlc, entity, \"row\", record, code, message, "
                                       "rejected_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            keep->bind(1, static_cast<int64_t>(rj.clock)).bind(2, r.entity).bind(3, r.id)
                .bind(4, protocol::toJson(r, m_schema).dump()).bind(5, rj.code).bind(6, rj.message)
                .bind(7, m_hlc.physicalMillis()).bind(8, rj.reason);
            keep->run();
            UsingStatement del(*m_db, "DELETE FROM outbox WHERE hlc = ?");
            del->bind(1, static_cast<int64_t>(rj.clock));
            del->run();
            // Forget what the hub refused, so its own state (restore) shows again.
            RowState row = m_rows.load(e, r.id);
            if (!row.exists) continue;
            bool any = false;
            for (auto& fs : row.fields)
                if (fs.written && fs.reg.clock == r.clock) fs = FieldState{};
            for (const auto& op : r.setOps)
                if (!op.remove) {
                    UsingStatement d(*m_db, "DELETE FROM set_dot WHERE entity = ? AND \"row\" = ? AND field = ? "
                                            "AND element = ? AND hlc = ? AND peer = ?");
                    d->bind(1, e.code).bind(2, r.id).bind(3, op.field).bind(4, op.element)
                        .bind(5, static_cast<int64_t>(r.clock.hlc)).bind(6, static_cast<int64_t>(m_rows.peerOf(m_device)));
                    d->run();
                }
            m_rows.refreshSetCache(e, r.id, row);
            for (size_t i = 0; i < row.fields.size(); ++i)
                any = any || row.fields[i].written
                    || (e.fields[i].type == FieldType::TagSet && !row.setCache[i].empty() && row.setCache[i] != "[]");
            row.dirty = ~uint64_t{0} >> (64 - e.fields.size());
            if (any) m_rows.save(e, r.id, row);
            else m_rows.remove(e, r.id);
        }
        for (const auto& r : restore) applyOne(r, stats);
        tx.commit();
    } catch (...) {
        m_rows.reloadPeers();
        throw;
    }
}

std::vector<RejectedChange> Replica::rejected()
{
    std::vector<RejectedChange> out;
    Statement st(*m_db, "SELECT hlc, entity, \"row\", record, code, message, rejected_at, reason FROM rejected ORDER BY hlc");
    while (st.step()) {
        RejectedChange rc;
        rc.clock = static_cast<crdt::Hlc>(st.getInt(0));
        rc.entity = m_schema.entity(static_cast<int>(st.getInt(1))).name;
        rc.id = st.getText(2);
        rc.record = json::parse(st.getText(3));
        rc.code = st.getText(4);
        rc.message = st.getText(5);
        rc.rejectedAt = st.getInt(6);
        rc.reason = st.getText(7);
        out.push_back(std::move(rc));
    }
    return out;
}

std::vector<std::pair<const EntityDef*, std::string>> Replica::rowsOfRoot(const std::string& root)
{
    // The root, its children (schema::ScopeKind::Child) and the entries of
    // the subject entity (the conflict log) about any of them.
    std::vector<std::pair<const EntityDef*, std::string>> rows;
    const EntityDef* subject = m_schema.subject();
    auto add = [&](const EntityDef& e, const std::string& id) {
        rows.emplace_back(&e, id);
        if (!subject) return;
        const auto& rowField = subject->fields[static_cast<size_t>(subject->scope.subjectRow)].name;
        for (const auto& c : m_rows.idsWhere(*subject, rowField, id)) rows.emplace_back(subject, c);
    };
    add(m_schema.root(), root);
    for (const EntityDef* e : m_schema.children()) {
        const auto& parent = e->fields[static_cast<size_t>(e->scope.parent)].name;
        for (const auto& id : m_rows.idsWhere(*e, parent, root)) add(*e, id);
    }
    return rows;
}

bool Replica::evictNow(const std::string& customer)
{
    auto rows = rowsOfRoot(customer);
    for (const auto& [e, id] : rows) {
        UsingStatement st(*m_db, "SELECT 1 FROM outbox WHERE entity = ? AND \"row\" = ? LIMIT 1");
        st->bind(1, e->code).bind(2, id);
        if (st->step()) return false;  // unsynced edits: push them first
    }
    for (const auto& [e, id] : rows) {
        m_rows.remove(*e, id);
        UsingStatement lc(*m_db, "DELETE FROM local_conflict WHERE entity = ? AND \"row\" = ?");
        lc->bind(1, e->code).bind(2, id);
        lc->run();
    }
    return true;
}

std::vector<std::string> Replica::pendingEvictions()
{
    std::vector<std::string> out;
    UsingStatement st(*m_db, "SELECT value FROM meta WHERE key = 'evict_pending'");
    if (st->step() && !st->isNull(0))
        for (const auto& c : json::parse(st->getText(0))) out.push_back(c.get<std::string>());
    return out;
}

void Replica::storeEvictions(const std::vector<std::string>& customers)
{
    UsingStatement st(*m_db, "INSERT INTO meta (key, value) VALUES ('evict_pending', ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    st->bind(1, json(customers).dump());
    st->run();
}

void Replica::retryEvictions()
{
    auto waiting = pendingEvictions();
    if (waiting.empty()) return;
    std::vector<std::string> still;
    for (const auto& c : waiting)
        if (!evictNow(c)) still.push_back(c);
    if (still.size() != waiting.size()) storeEvictions(still);
}

void Replica::evict(std::span<const std::string> customers)
{
    if (customers.empty()) return;
    Transaction tx(*m_db);
    followFile();
    auto waiting = pendingEvictions();
    for (const auto& c : customers)
        if (!evictNow(c) && std::find(waiting.begin(), waiting.end(), c) == waiting.end()) waiting.push_back(c);
    storeEvictions(waiting);
    tx.commit();
}

void Replica::correctClock(int64_t offsetMs)
{
    try {
        Transaction tx(*m_db);
        followFile();
        const int64_t delta = offsetMs - m_hlc.offset();
        m_hlc.setOffset(offsetMs);
        setMeta("clock_offset", offsetMs);
        const int64_t nowMs = std::max<int64_t>(m_hlc.physicalMillis(), 0);
        // What this device observed counts as a floor only up to the bound a
        // hub enforces: a stamp beyond it was never accepted anywhere (an old
        // bundle from a device whose clock ran ahead) and must not keep this
        // device's own edits above it for ever.
        auto observed = static_cast<crdt::Hlc>(metaInt(*m_db, "hlc").value_or(0));
        const crdt::Hlc trusted = crdt::hlcFromMillis(nowMs + kMaxClockAheadMs);
        if (observed > trusted) {
            observed = crdt::hlcFromMillis(nowMs);
            setMeta("hlc", static_cast<int64_t>(observed));
        }
        const crdt::Hlc floor = std::max(m_acked, observed);
        m_hlc.rewindTo(floor);

        // Every unacknowledged write moves by the correction, to when it was
        // really written — later if this clock ran behind, earlier if ahead —
        // but never past now, keeping their order and staying above the floor.
        std::vector<std::tuple<crdt::Hlc, int, std::string, uint64_t, std::optional<std::string>>> records;
        {
            Statement st(*m_db, "SELECT hlc, entity, \"row\", mask, payload FROM outbox ORDER BY hlc");
            while (st.step())
                records.emplace_back(static_cast<crdt::Hlc>(st.getInt(0)), static_cast<int>(st.getInt(1)), st.getText(2),
                                     static_cast<uint64_t>(st.getInt(3)),
                                     st.isNull(4) ? std::nullopt : std::optional<std::string>(st.getText(4)));
        }
        std::map<crdt::Hlc, crdt::Hlc> stamps;  // old -> new, every pending write
        bool moved = false;
        crdt::Hlc previous = floor;
        for (const auto& rec : records) {
            const crdt::Hlc old = std::get<0>(rec);
            const int64_t target = std::clamp<int64_t>(crdt::hlcMillis(old) + delta, 0, nowMs);
            const crdt::Hlc now = std::max(crdt::hlcFromMillis(target) | (old & 0xffff), previous + 1);
            previous = now;
            m_hlc.observe(now);
            stamps[old] = now;
            moved |= now != old;
        }
        if (moved || delta != 0) restamp(stamps, records, delta);
        tx.commit();
    } catch (...) {
        m_rows.reloadPeers();
        throw;
    }
}

void Replica::restamp(const std::map<crdt::Hlc, crdt::Hlc>& stamps,
                      const std::vector<std::tuple<crdt::Hlc, int, std::string, uint64_t, std::optional<std::string>>>& records,
                      int64_t delta)
{
    // `stamps`: every pending write's old stamp -> its new one (maybe the
    // same). Stamps can move up as well as down, so one write's new stamp
    // may be another's old one: every table is rewritten through negative
    // values (stamps are positive) and each row once, from the map.
    const uint32_t me = m_rows.peerOf(m_device);
    // A time read from the clock at a write (schema: captured) carries the
    // clock's error: it moves by the correction, and never lies after its
    // write's new stamp (a clock fixed while edits waited says nothing of
    // them; their stamps are brought back to now, and so are their times).
    auto corrected = [&](int64_t value, crdt::Hlc old) {
        return std::min(value + delta, crdt::hlcMillis(stamps.at(old)));
    };
    std::set<std::pair<int, std::string>> rows;
    for (const auto& [old, entity, id, mask, payload] : records) rows.emplace(entity, id);
    for (const auto& [entity, id] : rows) {
        const auto& e = m_schema.entity(entity);
        RowState row = m_rows.load(e, id);
        if (!row.exists) continue;
        row.dirty = 0;
        for (const auto& f : e.fields) {
            auto& fs = row.fields[static_cast<size_t>(f.index)];
            if (!fs.written || fs.reg.clock.device != m_device) continue;
            auto to = stamps.find(fs.reg.clock.hlc);
            if (to == stamps.end()) continue;
            if (f.captured && std::holds_alternative<int64_t>(fs.reg.value)) {
                const int64_t was = std::get<int64_t>(fs.reg.value);
                const int64_t is = corrected(was, to->first);
                if (is != was) {
                    fs.reg.value = crdt::Value(is);
                    row.dirty |= uint64_t{1} << f.index;
                }
            }
            fs.reg.clock.hlc = to->second;
        }
        m_rows.save(e, id, row);
    }
    for (const auto& [old, entity, id, mask, payload] : records) {
        auto to = stamps.find(old);
        std::optional<std::string> text = payload;
        if (payload) {
            json p = json::parse(*payload);
            const auto& e = m_schema.entity(entity);
            if (p.contains("set"))  // a pinned value: a captured time moves with it too
                for (auto& [name, v] : p["set"].items()) {
                    const auto* f = e.field(name);
                    if (f && f->captured && v.is_number_integer()) v = corrected(v.get<int64_t>(), old);
                }
            if (p.contains("remove"))  // removes name add dots: follow the ones that moved
                for (auto& o : p["remove"])
                    for (auto& d : o["dots"]) {
                        auto c = crdt::Clock::parse(d.get<std::string>());
                        if (c && c->device == m_device && stamps.count(c->hlc))
                            d = crdt::Clock{stamps.at(c->hlc), m_device}.str();
                    }
            text = p.dump();
        }
        UsingStatement up(*m_db, "UPDATE outbox SET hlc = ?, payload = ? WHERE hlc = ?");
        up->bind(1, -static_cast<int64_t>(to->second)).bind(2, text).bind(3, static_cast<int64_t>(old));
        up->run();
        UsingStatement dots(*m_db, "UPDATE set_dot SET hlc = ? WHERE hlc = ? AND peer = ?");
        dots->bind(1, -static_cast<int64_t>(to->second)).bind(2, static_cast<int64_t>(old)).bind(3, static_cast<int64_t>(me));
        dots->run();
        UsingStatement lc(*m_db, "UPDATE local_conflict SET local_hlc = ? WHERE local_hlc = ?");
        lc->bind(1, -static_cast<int64_t>(to->second)).bind(2, static_cast<int64_t>(old));
        lc->run();
    }
    m_db->exec("UPDATE outbox SET hlc = -hlc WHERE hlc < 0");
    {
        UsingStatement dots(*m_db, "UPDATE set_dot SET hlc = -hlc WHERE hlc < 0 AND peer = ?");
        dots->bind(1, static_cast<int64_t>(me));
        dots->run();
    }
    m_db->exec("UPDATE local_conflict SET local_hlc = -local_hlc WHERE local_hlc < 0");
}

Status Replica::resolveConflict(std::string_view conflictId, std::optional<crdt::Value> chosen)
{
    auto c = get(schema::kConflictEntity, conflictId);
    if (!c) return refuse(notFound("no conflict with id " + std::string(conflictId)));
    // Taking a value and marking the entry resolved persist together or not at
    // all: in the caller's batch if there is one, else in a batch of their own.
    auto resolve = [&]() -> Status {
        if (chosen) {
            auto st = update((*c)["entity"].get<std::string>(), (*c)["row"].get<std::string>(),
                             Write().set((*c)["field"].get<std::string>(), *chosen));
            if (!st) return st;
        }
        return update(schema::kConflictEntity, conflictId, Write().set("resolved", true));
    };
    return m_inBatch ? resolve() : batch(resolve);
}

} // namespace fieldsync::replica
