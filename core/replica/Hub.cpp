#include "replica/Hub.h"

#include "replica/Migrations.h"
#include "replica/Ids.h"
#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace fieldsync::replica {

using nlohmann::json;
using schema::EntityDef;
using storage::Blob;
using storage::Statement;
using storage::Transaction;
using storage::UsingStatement;

namespace {

Blob deviceBlob(const crdt::DeviceId& d)
{
    return Blob{std::string_view(reinterpret_cast<const char*>(d.bytes.data()), d.bytes.size())};
}

} // namespace

std::unique_ptr<Hub> Hub::open(const std::string& path, Options options)
{
    return open(std::make_unique<storage::Database>(path), std::move(options));
}

std::unique_ptr<Hub> Hub::open(std::unique_ptr<storage::Connection> db, Options options)
{
    storage::migrate(*db, hubMigrations(db->dialect()));
    return std::unique_ptr<Hub>(new Hub(std::move(db), std::move(options)));
}

std::unique_ptr<Hub> Hub::openReader(const std::string& path)
{
    return openReader(std::make_unique<storage::Database>(path, storage::Database::Mode::ReadWrite));
}

std::unique_ptr<Hub> Hub::openReader(std::unique_ptr<storage::Connection> db)
{
    const int expected = static_cast<int>(hubMigrations(db->dialect()).size());
    if (db->userVersion() != expected)
        throw std::runtime_error(db->path() + " is at hub version " + std::to_string(db->userVersion()) + ", not "
                                 + std::to_string(expected) + ": open it with Hub::open first");
    return std::unique_ptr<Hub>(new Hub(std::move(db), Options{}, true));
}

Hub::Hub(std::unique_ptr<storage::Connection> db, Options options, bool reader)
    : m_db(std::move(db)), m_schema(schema::fieldsyncSchema()), m_rows(*m_db, m_schema), m_hlc(std::move(options.time)),
      m_reader(reader)
{
    if (m_reader) return;  // the writer has set up meta; a reader only reads rows and the log
    Transaction tx(*m_db);
    m_device = ownDeviceId(*m_db, m_rows);
    catchUp();
    tx.commit();
}

void Hub::catchUp()
{
    m_rows.loadNewPeers();
    UsingStatement st(*m_db, "SELECT value FROM meta WHERE key = 'hlc'");
    if (st->step()) m_hlc.observe(static_cast<crdt::Hlc>(st->getInt(0)));
}

Hub::~Hub() = default;

uint64_t Hub::head()
{
    UsingStatement st(*m_db, "SELECT coalesce(max(seq), 0) FROM hub_log");
    st->step();
    return static_cast<uint64_t>(st->getInt(0));
}

crdt::Hlc Hub::ackedFor(const crdt::DeviceId& device)
{
    UsingStatement st(*m_db, "SELECT acked FROM hub_device WHERE device = ?");
    st->bind(1, deviceBlob(device));
    return st->step() ? static_cast<crdt::Hlc>(st->getInt(0)) : 0;
}

namespace {

std::optional<std::string> textValue(const RowState& row, const EntityDef& e, const char* field)
{
    const auto* f = e.field(field);
    if (!f) return std::nullopt;
    const auto* v = std::get_if<std::string>(&row.fields[static_cast<size_t>(f->index)].reg.value);
    return v ? std::optional<std::string>(*v) : std::nullopt;
}

std::optional<std::string> writtenText(const protocol::ChangeRecord& r, const EntityDef& e, const char* field)
{
    const auto* f = e.field(field);
    if (!f) return std::nullopt;
    for (const auto& w : r.writes)
        if (w.field == f->index)
            if (const auto* v = std::get_if<std::string>(&w.value)) return *v;
    return std::nullopt;
}

const char* kChildEntities[] = {"contact", "visit", "task", "complaint"};

} // namespace

std::string Hub::customerOf(int entity, const std::string& id, const protocol::ChangeRecord* record)
{
    const auto& e = m_schema.entity(entity);
    if (e.name == "customer") return id;
    if (e.name == schema::kConflictEntity) {
        std::optional<std::string> target, row;
        if (record) {
            target = writtenText(*record, e, "entity");
            row = writtenText(*record, e, "row");
        }
        if (!target || !row) {
            RowState stored = m_rows.load(e, id);
            target = textValue(stored, e, "entity");
            row = textValue(stored, e, "row");
        }
        const auto* te = target ? m_schema.entity(*target) : nullptr;
        return te && te->name != schema::kConflictEntity ? customerOf(te->code, *row, nullptr) : std::string();
    }
    if (record)
        if (auto c = writtenText(*record, e, "customer")) return *c;
    return textValue(m_rows.load(e, id), e, "customer").value_or("");
}

std::optional<std::string> Hub::ownerOf(const std::string& customer)
{
    const auto& ce = *m_schema.entity("customer");
    return textValue(m_rows.load(ce, customer), ce, "owner");
}

std::vector<std::optional<std::string>> Hub::ownersOf(const std::vector<std::string>& customers)
{
    const auto& ce = *m_schema.entity("customer");
    RowStore::ReadAhead scope(m_rows);
    m_rows.readAhead(ce, customers);
    std::vector<std::optional<std::string>> out;
    out.reserve(customers.size());
    for (const auto& c : customers) out.push_back(c.empty() ? std::nullopt : textValue(m_rows.load(ce, c), ce, "owner"));
    return out;
}

CustomerKey Hub::keyOf(const std::string& customer)
{
    if (customer.empty()) return {};
    const auto& ce = *m_schema.entity("customer");
    RowState row = m_rows.load(ce, customer);
    return {textValue(row, ce, "owner"), textValue(row, ce, "team")};
}

RecordScope Hub::scopeOf(const protocol::ChangeRecord& r)
{
    const auto& e = m_schema.entity(r.entity);
    const auto& ce = *m_schema.entity("customer");
    RecordScope s;
    s.customer = customerOf(r.entity, r.id, &r);
    s.createsRow = !m_rows.exists(e, r.id);
    if (!s.customer.empty()) {
        RowState c = m_rows.load(ce, s.customer);
        s.customerExists = c.exists;
        s.owner = textValue(c, ce, "owner");
        s.team = textValue(c, ce, "team");
    }
    s.ownerAtWrite = s.owner;
    if (s.customerExists)
        if (auto before = ownerBefore(s.customer, r.clock.hlc)) s.ownerAtWrite = std::move(*before);
    if (e.name == "customer") {
        for (const auto& w : r.writes)
            if (w.field == ce.field("owner")->index) {
                s.writesOwner = true;
                const auto* v = std::get_if<std::string>(&w.value);
                s.newOwner = v ? std::optional<std::string>(*v) : std::nullopt;
            } else if (w.field == ce.field("team")->index) {
                s.writesTeam = true;
                const auto* v = std::get_if<std::string>(&w.value);
                s.newTeam = v ? std::optional<std::string>(*v) : std::nullopt;
            }
    }
    return s;
}

std::optional<std::optional<std::string>> Hub::ownerBefore(const std::string& customer, crdt::Hlc hlc)
{
    if (auto known = m_ownerHistory.find(customer); known != m_ownerHistory.end()) {
        const auto& changes = known->second;
        auto it = std::upper_bound(changes.begin(), changes.end(), hlc,
                                   [](crdt::Hlc h, const auto& change) { return h < change.first; });
        if (it == changes.end()) return std::nullopt;
        return it->second;
    }
    // The owner before the first reassignment written after `hlc`.
    UsingStatement st(*m_db, "SELECT old_owner FROM owner_change WHERE customer = ? AND hlc > ? ORDER BY hlc, seq LIMIT 1");
    st->bind(1, customer).bind(2, static_cast<int64_t>(hlc));
    if (!st->step()) return std::nullopt;
    return st->isNull(0) ? std::optional<std::string>() : std::optional<std::string>(st->getText(0));
}

void Hub::readAheadFor(std::span<const protocol::ChangeRecord> records, crdt::Hlc acked)
{
    std::vector<std::vector<std::string>> ids(m_schema.entities().size());
    for (const auto& r : records)
        if (r.clock.hlc > acked) ids[static_cast<size_t>(r.entity)].push_back(r.id);
    for (const auto& e : m_schema.entities())
        if (!ids[static_cast<size_t>(e.code)].empty()) m_rows.readAhead(e, ids[static_cast<size_t>(e.code)]);
    // Their customers: named in the record, or by the row just read.
    std::vector<std::string> customers;
    std::unordered_set<std::string> seen;
    for (const auto& r : records)
        if (r.clock.hlc > acked)
            if (auto c = customerOf(r.entity, r.id, &r); !c.empty() && seen.insert(c).second) customers.push_back(std::move(c));
    m_rows.readAhead(*m_schema.entity("customer"), customers);
    constexpr size_t kChunk = 500;
    for (size_t start = 0; start < customers.size(); start += kChunk) {
        json list = json::array();
        for (size_t i = start; i < std::min(customers.size(), start + kChunk); ++i) {
            list.push_back(customers[i]);
            m_ownerHistory[customers[i]];  // read: an empty history is known to be empty
        }
        UsingStatement st(*m_db, m_db->dialect() == storage::Dialect::Sqlite
                                     ? "SELECT customer, hlc, old_owner FROM owner_change WHERE customer IN "
                                       "(SELECT value FROM json_each(?)) ORDER BY customer, hlc, seq"
                                     : "SELECT customer, hlc, old_owner FROM owner_change WHERE customer IN "
                                       "(SELECT json_array_elements_text(?::json) COLLATE \"C\") "
                                       "ORDER BY customer, hlc, seq");
        st->bind(1, list.dump());
        while (st->step())
            m_ownerHistory[st->getText(0)].emplace_back(
                static_cast<crdt::Hlc>(st->getInt(1)),
                st->isNull(2) ? std::optional<std::string>() : std::optional<std::string>(st->getText(2)));
    }
}

std::vector<protocol::ChangeRecord> Hub::rowState(int entity, const std::string& id, const Viewer* viewer)
{
    std::vector<protocol::ChangeRecord> out;
    if (viewer) {
        std::string customer = customerOf(entity, id, nullptr);
        // A row of no customer (team_config) is seen as unowned, as pulls do.
        const CustomerKey key = keyOf(customer);
        if (!viewer->canSee(key.owner, key.team)) return out;
    }
    m_rows.exportRow(m_schema.entity(entity), id, out);
    return out;
}

std::vector<protocol::ChangeRecord> Hub::customerState(const std::string& customer)
{
    std::vector<protocol::ChangeRecord> out;
    const auto& conflicts = *m_schema.entity(schema::kConflictEntity);
    auto withConflicts = [&](const EntityDef& e, const std::string& id) {
        m_rows.exportRow(e, id, out);
        for (const auto& c : m_rows.idsWhere(conflicts, "row", id)) m_rows.exportRow(conflicts, c, out);
    };
    withConflicts(*m_schema.entity("customer"), customer);
    for (const char* name : kChildEntities) {
        const auto& e = *m_schema.entity(name);
        for (const auto& id : m_rows.idsWhere(e, "customer", customer)) withConflicts(e, id);
    }
    return out;
}

Result<PushResult> Hub::push(const crdt::DeviceId& device, crdt::Hlc after,
                             std::span<const protocol::ChangeRecord> records, const PushContext& context)
{
    if (m_reader) throw std::logic_error("push() on a read-only hub connection");
    // Checks that need no state come first: a bad batch is refused whole.
    crdt::Hlc previous = 0;
    for (size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        std::string where = "change " + std::to_string(i) + " (" + m_schema.entity(r.entity).name + " " + r.id + ")";
        if (r.clock.device != device) return invalidArgument(where + " is stamped by another device");
        if (r.clock.hlc <= previous) return invalidArgument(where + " is out of order: clocks must increase");
        previous = r.clock.hlc;
        const auto& e = m_schema.entity(r.entity);
        for (const auto& w : r.writes)
            if (e.fields.at(static_cast<size_t>(w.field)).serverOnly)
                return invalidArgument(where + ": " + e.name + "." + e.fields[static_cast<size_t>(w.field)].name
                                       + " is written by the server only");
    }

    PushResult result;
    // A refused or failed push rolls back, taking back any peer it added.
    struct PeerGuard {
        RowStore& rows;
        bool committed = false;
        ~PeerGuard()
        {
            if (!committed) rows.reloadPeers();
        }
    } guard{m_rows};
    {
        Transaction tx(*m_db);
        // Another process on the same database may have pushed since.
        catchUp();
        crdt::Hlc acked = ackedFor(device);
        if (after > acked)
            return failedPrecondition("the server holds this device's changes up to " + std::to_string(acked)
                                      + " but the push follows " + std::to_string(after)
                                      + "; changes in between are missing");
        uint64_t seq = head();
        // On PostgreSQL, where every statement is a round trip made while
        // every other pusher waits: the push's rows, customers and owner
        // history in a few queries, not several per record, and its new rows
        // and log in multi-row INSERTs at the end. SQLite runs in this
        // process: there the copies cost more than the statements they save
        // (docs/benchmarks.md, Scale-out).
        const bool batched = m_db->dialect() == storage::Dialect::Postgres;
        RowStore::ReadAhead readAhead(m_rows);
        RowStore::WriteBehind writeBehind(m_rows, batched);
        struct HistoryScope {
            Hub& hub;
            ~HistoryScope()
            {
                hub.m_ownerHistory.clear();
                hub.m_pendingLog.clear();
                hub.m_batchLog = false;
            }
        } historyScope{*this};
        m_batchLog = batched;
        if (batched) readAheadFor(records, acked);
        const auto& conflictEntity = *m_schema.entity(schema::kConflictEntity);
        std::unordered_set<std::string> touched;  // result.customers, once each, in first-touch order
        for (const auto& r : records) {
            if (r.clock.hlc <= acked) {
                ++result.duplicates;
                continue;
            }
            // Devices may mark the hub's conflict entries resolved, never make them.
            if (r.entity == conflictEntity.code && !m_rows.exists(conflictEntity, r.id))
                return invalidArgument("change to conflict " + r.id
                                       + ": conflict entries are created by the server, not by devices");
            if (context.allow) {
                if (auto refusal = context.allow(r, scopeOf(r))) {
                    result.rejected.push_back({r.clock, r.entity, r.id, std::move(*refusal)});
                    acked = r.clock.hlc;  // held, as refused: the queue moves on
                    continue;
                }
            }
            m_hlc.observe(r.clock.hlc);
            protocol::ChangeRecord accepted = r;
            accepted.seq = ++seq;
            std::string customer = customerOf(r.entity, r.id, &r);
            if (touched.insert(customer).second) result.customers.push_back(customer);
            result.fieldChanges += r.writes.size() + r.setOps.size();
            std::vector<protocol::ChangeRecord> conflicts;
            merge(accepted, accepted.seq, conflicts, &result.formerOwners);
            log(accepted.seq, device, context.user, customer, accepted);
            for (auto& c : conflicts) {
                c.seq = ++seq;
                std::vector<protocol::ChangeRecord> none;
                merge(c, c.seq, none);
                log(c.seq, m_device, context.user, customerOf(c.entity, c.id, &c), c);
                ++result.conflicts;
            }
            acked = r.clock.hlc;
            ++result.accepted;
        }
        m_rows.flushWrites();
        flushLog();
        if (acked != ackedFor(device)) {
            UsingStatement st(*m_db, "INSERT INTO hub_device (device, acked) VALUES (?, ?) "
                                     "ON CONFLICT (device) DO UPDATE SET acked = excluded.acked");
            st->bind(1, deviceBlob(device)).bind(2, static_cast<int64_t>(acked));
            st->run();
            UsingStatement meta(*m_db, "INSERT INTO meta (key, value) VALUES ('hlc', ?) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            meta->bind(1, static_cast<int64_t>(m_hlc.last()));
            meta->run();
        }
        tx.commit();
        guard.committed = true;
        result.acked = acked;
        result.head = seq;
    }
    return result;
}

void Hub::merge(const protocol::ChangeRecord& r, uint64_t seq, std::vector<protocol::ChangeRecord>& conflicts,
                std::vector<std::optional<std::string>>* formerOwners)
{
    const auto& e = m_schema.entity(r.entity);
    const auto* ownerField = e.name == "customer" ? e.field("owner") : nullptr;
    RowState row = m_rows.load(e, r.id);
    bool changed = !row.exists;
    for (const auto& w : r.writes) {
        const auto& f = e.fields.at(static_cast<size_t>(w.field));
        auto& fs = row.fields[static_cast<size_t>(w.field)];
        crdt::Register incoming = m_rows.registerFor(f, w, r.clock);
        crdt::HubField current{fs.reg, fs.arrival};
        auto d = crdt::decideAtHub(f.rule, fs.written ? &current : nullptr, incoming, r.seen);
        // The conflict log does not log itself: marking an entry resolved
        // from a device that had it by bundle is not a conflict worth an entry.
        if (e.name == schema::kConflictEntity) d.conflict = false;
        if (d.conflict) {
            const crdt::Register& loser = d.takeIncoming ? fs.reg : incoming;
            const crdt::Register& winner = d.takeIncoming ? incoming : fs.reg;
            const auto& ce = *m_schema.entity(schema::kConflictEntity);
            protocol::ChangeRecord c;
            c.entity = ce.code;
            c.id = conflictRowId(e.name, r.id, f.name, loser.clock);
            c.clock = {m_hlc.now(), m_device};
            auto put = [&](const char* name, crdt::Value v) { c.writes.push_back({ce.field(name)->index, std::move(v), 0}); };
            put("entity", e.name);
            put("row", r.id);
            put("field", f.name);
            put("rule", std::string(crdt::ruleName(f.rule)));
            put("loser_value", crdt::toJson(loser.value).dump());
            put("loser_clock", loser.clock.str());
            put("winner_value", crdt::toJson(winner.value).dump());
            put("winner_clock", winner.clock.str());
            put("detected_at", m_hlc.physicalMillis());
            put("resolved", false);
            conflicts.push_back(std::move(c));
        }
        if (d.takeIncoming) {
            if (ownerField && w.field == ownerField->index && row.exists && fs.reg.value != incoming.value) {
                UsingStatement oc(*m_db, "INSERT INTO owner_change (seq, customer, old_owner, new_owner, hlc) "
                                         "VALUES (?, ?, ?, ?, ?)");
                auto text = [](const crdt::Value& v) {
                    const auto* t = std::get_if<std::string>(&v);
                    return t ? std::optional<std::string>(*t) : std::nullopt;
                };
                oc->bind(1, static_cast<int64_t>(seq)).bind(2, r.id).bind(3, text(fs.reg.value))
                    .bind(4, text(incoming.value)).bind(5, static_cast<int64_t>(incoming.clock.hlc));
                oc->run();
                if (auto known = m_ownerHistory.find(r.id); known != m_ownerHistory.end()) {
                    // After the ones with the same hlc: ordered by (hlc, seq), as read.
                    auto& changes = known->second;
                    auto at = std::upper_bound(changes.begin(), changes.end(), incoming.clock.hlc,
                                               [](crdt::Hlc h, const auto& change) { return h < change.first; });
                    changes.emplace(at, incoming.clock.hlc, text(fs.reg.value));
                }
                if (formerOwners) formerOwners->push_back(text(fs.reg.value));
            }
            m_rows.assign(row, w.field, incoming);
            fs.arrival = seq;
            changed = true;
        }
    }
    bool setsChanged = false;
    for (const auto& op : r.setOps) {
        if (op.remove) setsChanged |= m_rows.removeDots(e, r.id, op.field, op.element, op.dots);
        else setsChanged |= m_rows.addDot(e, r.id, op.field, op.element, r.clock);
    }
    if (setsChanged) m_rows.refreshSetCache(e, r.id, row);
    if (changed || setsChanged) m_rows.save(e, r.id, row);
}

void Hub::log(uint64_t seq, const crdt::DeviceId& device, const std::string& user, const std::string& customer,
              const protocol::ChangeRecord& r)
{
    if (!m_batchLog) {
        UsingStatement st(*m_db, "INSERT INTO hub_log (seq, device, device_seq, \"user\", customer, record, received_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?)");
        st->bind(1, static_cast<int64_t>(seq)).bind(2, deviceBlob(device)).bind(3, static_cast<int64_t>(r.clock.hlc))
            .bind(4, user).bind(5, customer).bind(6, protocol::toJson(r, m_schema).dump())
            .bind(7, m_hlc.physicalMillis());
        st->run();
        return;
    }
    m_pendingLog.push_back({static_cast<int64_t>(seq), static_cast<int64_t>(r.clock.hlc), m_hlc.physicalMillis(), device,
                            user, customer, protocol::toJson(r, m_schema).dump()});
}

void Hub::flushLog()
{
    // Up to 100 rows a statement (700 parameters: within both engines'
    // limits); a full batch reuses one prepared statement.
    constexpr size_t kRows = 100;
    for (size_t start = 0; start < m_pendingLog.size(); start += kRows) {
        const size_t n = std::min(kRows, m_pendingLog.size() - start);
        std::string sql = "INSERT INTO hub_log (seq, device, device_seq, \"user\", customer, record, received_at) VALUES ";
        for (size_t i = 0; i < n; ++i) sql += i ? ", (?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?)";
        // A full batch reuses one prepared statement; the last, shorter one is prepared once.
        std::optional<Statement> once;
        if (n < kRows) once.emplace(*m_db, sql);
        UsingStatement st(once ? *once : m_db->cached(sql));
        int p = 1;
        for (size_t i = start; i < start + n; ++i) {
            const auto& l = m_pendingLog[i];
            st->bind(p, l.seq).bind(p + 1, deviceBlob(l.device)).bind(p + 2, l.deviceSeq).bind(p + 3, l.user)
                .bind(p + 4, l.customer).bind(p + 5, l.record).bind(p + 6, l.receivedAt);
            p += 7;
        }
        st->run();
    }
    m_pendingLog.clear();
}

PullResult Hub::pull(uint64_t after, size_t limit, const Viewer* viewer, PullEncoding encoding)
{
    if (!m_reader && m_db->dialect() == storage::Dialect::Sqlite) return pullInSnapshot(after, limit, viewer, encoding);
    // Another connection writes meanwhile (or, on PostgreSQL, another
    // process may): read everything as of one commit, and learn the devices
    // it added since this connection last looked.
    storage::ReadTransaction snapshot(*m_db);
    m_rows.loadNewPeers();
    return pullInSnapshot(after, limit, viewer, encoding);
}

PullResult Hub::pullInSnapshot(uint64_t after, size_t limit, const Viewer* viewer, PullEncoding encoding)
{
    PullResult out;
    out.cursor = after;
    limit = std::max<size_t>(limit, 1);
    const bool asJson = encoding == PullEncoding::Json;
    size_t returned = 0;
    auto emitText = [&](int64_t seq, std::string_view text) {
        ++returned;
        if (asJson) {
            out.json.emplace_back(text);
            return;
        }
        auto r = protocol::recordFromJson(json::parse(text), m_schema);
        if (!r) throw std::runtime_error("corrupt hub log at seq " + std::to_string(seq) + ": " + r.error().message);
        out.records.push_back(std::move(*r));
    };
    auto emitRecord = [&](protocol::ChangeRecord&& r) {
        ++returned;
        if (asJson) out.json.push_back(protocol::toJson(r, m_schema).dump());
        else out.records.push_back(std::move(r));
    };

    // Whether the viewer sees each customer, once per pull. SQLite reads a
    // customer's owner and team when it first meets it; on PostgreSQL, where
    // that is a round trip, the customers a chunk meets first are read
    // together (keysOf below).
    const bool sqlite = m_db->dialect() == storage::Dialect::Sqlite;
    std::unordered_map<std::string, bool> visible;
    auto canSee = [&](const std::string& customer) {
        auto it = visible.find(customer);
        if (it != visible.end()) return it->second;
        const CustomerKey key = keyOf(customer);
        return visible[customer] = viewer->canSee(key.owner, key.team);
    };
    auto keysOf = [&](const std::vector<std::string>& customers) {
        const auto& ce = *m_schema.entity("customer");
        RowStore::ReadAhead scope(m_rows);
        m_rows.readAhead(ce, customers);
        for (const auto& c : customers) {
            if (c.empty() || visible.contains(c)) continue;
            RowState row = m_rows.load(ce, c);
            visible[c] = viewer->canSee(textValue(row, ce, "owner"), textValue(row, ce, "team"));
        }
    };
    const char* scanSql = sqlite ? "SELECT seq, customer FROM hub_log INDEXED BY hub_log_scan WHERE seq > ? ORDER BY seq LIMIT ?"
                                 : "SELECT seq, customer FROM hub_log WHERE seq > ? ORDER BY seq LIMIT ?";

    // Scan in chunks: a scoped pull may pass over many records it cannot
    // see. Each chunk is decided from the narrow scan first (what it returns,
    // in order), then the records it returns are read (on PostgreSQL in one
    // query).
    const size_t chunk = std::max<size_t>(limit, 512);
    bool exhausted = false;
    struct Step {
        int64_t seq = 0;
        std::vector<protocol::ChangeRecord> entering;  // a customer entering the scope here, whole
        bool record = false;                           // the log record at seq is returned
    };
    while (returned < limit && !exhausted) {
        const int64_t from = static_cast<int64_t>(out.cursor);
        if (!viewer) {
            UsingStatement st(*m_db, "SELECT seq, record FROM hub_log WHERE seq > ? ORDER BY seq LIMIT ?");
            st->bind(1, from).bind(2, static_cast<int64_t>(limit - returned));
            while (st->step()) {
                emitText(st->getInt(0), st->getTextView(1));
                out.cursor = static_cast<uint64_t>(st->getInt(0));
            }
            break;  // no scope: every position is returned, one query is the page
        }
        std::map<int64_t, std::tuple<std::string, std::optional<std::string>, std::optional<std::string>>> changes;
        {
            UsingStatement oc(*m_db, "SELECT seq, customer, old_owner, new_owner FROM owner_change "
                                     "WHERE seq > ? AND seq <= ? ORDER BY seq");
            // Log positions are contiguous: this chunk covers (from, from + chunk].
            oc->bind(1, from).bind(2, from + static_cast<int64_t>(chunk));
            auto opt = [&](int col) { return oc->isNull(col) ? std::nullopt : std::optional<std::string>(oc->getText(col)); };
            while (oc->step()) changes[oc->getInt(0)] = {oc->getText(1), opt(2), opt(3)};
        }
        std::vector<std::pair<int64_t, std::string>> scan;
        {
            UsingStatement st(*m_db, scanSql);
            st->bind(1, from).bind(2, static_cast<int64_t>(chunk));
            while (st->step()) scan.emplace_back(st->getInt(0), st->getText(1));
        }
        if (!sqlite) {
            std::vector<std::string> unknown;
            for (const auto& [seq, customer] : scan)
                if (!customer.empty() && !visible.contains(customer)) unknown.push_back(customer);
            keysOf(unknown);
        }
        const size_t scanned = scan.size();
        size_t planned = returned;
        std::vector<Step> steps;
        std::string wanted;  // the positions whose record is returned, as an array literal
        for (const auto& [seq, customer] : scan) {
            Step step;
            step.seq = seq;
            if (auto oc = changes.find(step.seq); oc != changes.end()) {
                const auto& [who, oldOwner, newOwner] = oc->second;
                // The team is written once, at creation: it is the same at every position.
                const auto team = keyOf(who).team;
                bool was = viewer->canSee(oldOwner, team), now = viewer->canSee(newOwner, team);
                if (now && !was) {
                    // Back within this page: it is not to be dropped after all.
                    out.evict.erase(std::remove(out.evict.begin(), out.evict.end(), who), out.evict.end());
                    step.entering = customerState(who);
                    planned += step.entering.size();
                } else if (was && !now) {
                    out.evict.push_back(who);
                }
            }
            if (canSee(customer)) {
                step.record = true;
                if (!sqlite) wanted += (wanted.empty() ? "" : ",") + std::to_string(step.seq);
                ++planned;
            }
            steps.push_back(std::move(step));
            if (planned >= limit) break;
        }
        // PostgreSQL: the returned records in one query. SQLite: one lookup
        // each, in this process (a json_each list measured no faster).
        std::optional<UsingStatement> rec;
        if (!wanted.empty() && !sqlite) {
            rec.emplace(m_db->cached("SELECT seq, record FROM hub_log WHERE seq = ANY(?::bigint[]) ORDER BY seq"));
            (*rec)->bind(1, "{" + wanted + "}");
        }
        for (auto& step : steps) {
            for (auto& r : step.entering) {
                r.seq = static_cast<uint64_t>(step.seq);
                emitRecord(std::move(r));
            }
            if (!step.record) continue;
            if (sqlite) {
                UsingStatement one(*m_db, "SELECT seq, record FROM hub_log WHERE seq = ?");
                one->bind(1, step.seq);
                if (!one->step()) throw std::runtime_error("hub log position " + std::to_string(step.seq) + " vanished");
                emitText(step.seq, one->getTextView(1));
                continue;
            }
            if (!(*rec)->step() || (*rec)->getInt(0) != step.seq)
                throw std::runtime_error("hub log position " + std::to_string(step.seq) + " vanished");
            emitText(step.seq, (*rec)->getTextView(1));
        }
        if (!steps.empty()) out.cursor = static_cast<uint64_t>(steps.back().seq);
        if (scanned < chunk && returned < limit) exhausted = true;
    }
    UsingStatement more(*m_db, "SELECT 1 FROM hub_log WHERE seq > ? ORDER BY seq LIMIT 1");
    more->bind(1, static_cast<int64_t>(out.cursor));
    out.more = more->step();
    return out;
}

json Hub::dump()
{
    return m_rows.dump();
}

json Hub::dump(const Viewer& viewer)
{
    json all = m_rows.dump();
    std::unordered_map<std::string, bool> seen;
    auto visible = [&](const std::string& customer) {
        auto it = seen.find(customer);
        if (it != seen.end()) return it->second;
        const CustomerKey key = keyOf(customer);
        return seen[customer] = viewer.canSee(key.owner, key.team);
    };
    for (auto& [entity, rows] : all.items()) {
        const auto* e = m_schema.entity(entity);
        for (auto it = rows.begin(); it != rows.end();) {
            if (visible(customerOf(e->code, it.key(), nullptr))) ++it;
            else it = rows.erase(it);
        }
    }
    return all;
}

} // namespace fieldsync::replica
