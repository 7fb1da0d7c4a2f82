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

std::optional<std::string> textAt(const RowState& row, int field)
{
    if (field < 0 || !row.exists) return std::nullopt;
    const auto* v = std::get_if<std::string>(&row.fields[static_cast<size_t>(field)].reg.value);
    return v ? std::optional<std::string>(*v) : std::nullopt;
}

const protocol::FieldWrite* writeOf(const protocol::ChangeRecord& r, int field)
{
    if (field < 0) return nullptr;
    for (const auto& w : r.writes)
        if (w.field == field) return &w;
    return nullptr;
}

std::optional<std::string> writtenText(const protocol::ChangeRecord& r, int field)
{
    const auto* w = writeOf(r, field);
    const auto* v = w ? std::get_if<std::string>(&w->value) : nullptr;
    return v ? std::optional<std::string>(*v) : std::nullopt;
}

} // namespace

std::string Hub::rootOf(const EntityDef& e, const RowState& stored, const protocol::ChangeRecord* creating)
{
    switch (e.scope.kind) {
    case schema::ScopeKind::Shared: return {};
    case schema::ScopeKind::Root: return creating ? creating->id : std::string();  // callers pass the id below
    case schema::ScopeKind::Child:
        if (stored.exists) return textAt(stored, e.scope.parent).value_or("");
        return creating ? writtenText(*creating, e.scope.parent).value_or("") : std::string();
    case schema::ScopeKind::Subject: {
        std::optional<std::string> target, row;
        if (stored.exists) {
            target = textAt(stored, e.scope.subjectEntity);
            row = textAt(stored, e.scope.subjectRow);
        } else if (creating) {  // the hub's own new entries
            target = writtenText(*creating, e.scope.subjectEntity);
            row = writtenText(*creating, e.scope.subjectRow);
        }
        const auto* te = target ? m_schema.entity(*target) : nullptr;
        if (!te || te->scope.kind == schema::ScopeKind::Subject || !row) return {};
        return rootOf(te->code, *row);
    }
    }
    return {};
}

std::string Hub::rootOf(int entity, const std::string& id)
{
    const auto& e = m_schema.entity(entity);
    if (e.scope.kind == schema::ScopeKind::Root) return id;
    if (e.scope.kind == schema::ScopeKind::Shared) return {};
    return rootOf(e, m_rows.load(e, id), nullptr);
}

std::vector<std::string> Hub::rowsNaming(int entity, int field, const std::string& value, const Viewer* viewer)
{
    const auto& e = m_schema.entity(entity);
    const auto& f = e.fields.at(static_cast<size_t>(field));
    if (f.type != schema::FieldType::Text && f.type != schema::FieldType::Ref)
        throw std::logic_error("rowsNaming reads a text field; " + e.name + "." + f.name + " is not one");
    std::vector<std::string> ids;
    {
        UsingStatement st(*m_db, "SELECT id FROM \"" + e.table + "\" WHERE \"" + f.name + "\" = ? ORDER BY id");
        st->bind(1, value);
        while (st->step()) ids.push_back(st->getText(0));
    }
    if (!viewer) return ids;
    std::erase_if(ids, [&](const std::string& id) {
        const std::string root = rootOf(entity, id);
        if (root.empty()) return !viewer->canSee(std::nullopt, std::nullopt);
        const CustomerKey key = keyOf(root);
        return !viewer->canSee(key.owner, key.team);
    });
    return ids;
}

std::optional<std::string> Hub::ownerOf(const std::string& customer)
{
    const auto& root = m_schema.root();
    return textAt(m_rows.load(root, customer), root.scope.owner);
}

std::vector<CustomerKey> Hub::keysOf(const std::vector<std::string>& customers)
{
    const auto& root = m_schema.root();
    RowStore::ReadAhead scope(m_rows);
    m_rows.readAhead(root, customers);
    std::vector<CustomerKey> out;
    out.reserve(customers.size());
    for (const auto& c : customers) {
        if (c.empty()) {
            out.emplace_back();
            continue;
        }
        RowState row = m_rows.load(root, c);
        out.push_back({textAt(row, root.scope.owner), textAt(row, root.scope.team)});
    }
    return out;
}

CustomerKey Hub::keyOf(const std::string& customer)
{
    if (customer.empty()) return {};
    const auto& root = m_schema.root();
    RowState row = m_rows.load(root, customer);
    return {textAt(row, root.scope.owner), textAt(row, root.scope.team)};
}

RecordScope Hub::scopeOf(const protocol::ChangeRecord& r, const RowState& stored)
{
    const auto& e = m_schema.entity(r.entity);
    const auto& root = m_schema.root();
    RecordScope s;
    s.createsRow = !stored.exists;
    s.root = e.scope.kind == schema::ScopeKind::Root ? r.id : rootOf(e, stored, &r);
    s.shared = s.root.empty() && (e.scope.kind == schema::ScopeKind::Shared || e.scope.kind == schema::ScopeKind::Subject);
    if (!s.root.empty()) {
        RowState c = e.scope.kind == schema::ScopeKind::Root ? stored : m_rows.load(root, s.root);
        s.rootExists = c.exists;
        s.owner = textAt(c, root.scope.owner);
        s.team = textAt(c, root.scope.team);
    }
    s.ownerAtWrite = s.owner;
    if (s.rootExists)
        if (auto before = ownerBefore(s.root, r.clock.hlc)) s.ownerAtWrite = std::move(*before);
    if (e.scope.kind == schema::ScopeKind::Root) {
        if (writeOf(r, e.scope.owner)) {
            s.writesOwner = true;
            s.newOwner = writtenText(r, e.scope.owner);
        }
        if (writeOf(r, e.scope.team)) {
            s.writesTeam = true;
            s.newTeam = writtenText(r, e.scope.team);
        }
    }
    return s;
}

std::optional<Error> Hub::confine(const protocol::ChangeRecord& r, const RecordScope& s, const RowState& stored,
                                  const PushContext& context)
{
    const auto& e = m_schema.entity(r.entity);
    const auto& root = m_schema.root();
    auto refuse = [&](const char* reason, const std::string& why) {
        return Error{ErrorCode::PermissionDenied, e.name + " " + r.id + ": " + why, reason};
    };
    // Without a policy (trusted callers, in-process tests) a child may
    // arrive before its root; with one, its scope must be known.
    if (context.allow && e.scope.kind == schema::ScopeKind::Child && s.createsRow) {
        const std::string parent = e.fields[static_cast<size_t>(e.scope.parent)].name;
        if (s.root.empty()) return refuse("unknown_parent", "a new " + e.name + " needs its " + parent);
        if (!s.rootExists)
            return refuse("unknown_parent", "its " + parent + " " + s.root + " is unknown to the server");
    }
    // Ownership and role, judged on the stored root.
    if (context.allow) {
        RecordScope judged = s;
        judged.storedHolds = [&](std::string_view name) {
            const auto* f = e.field(name);
            if (!f || !stored.exists || static_cast<size_t>(f->index) >= stored.fields.size()) return false;
            const FieldState& held = stored.fields[static_cast<size_t>(f->index)];
            return held.written && !crdt::isNull(held.reg.value);
        };
        if (auto refusal = context.allow(r, judged)) return refusal;
    }
    // What scope hangs on is written once, whoever writes.
    // (A row with no parent yet exists only without a policy: a change from
    // a device that had the row by bundle arrived before its creation.)
    const auto& storedParent = e.scope.kind == schema::ScopeKind::Child
        ? stored.fields[static_cast<size_t>(e.scope.parent)] : FieldState{};
    if (!s.createsRow && storedParent.written && !crdt::isNull(storedParent.reg.value))
        if (const auto* w = writeOf(r, e.scope.parent); w && w->value != storedParent.reg.value) {
            const std::string parent = e.fields[static_cast<size_t>(e.scope.parent)].name;
            return refuse("reparent", "its " + parent + " is set when it is created and never changes; a " + e.name
                                          + " cannot be moved to another " + root.name);
        }
    if (!s.createsRow && s.writesTeam)
        return refuse("team_fixed", "a " + root.name + "'s " + root.fields[static_cast<size_t>(root.scope.team)].name
                                        + " is set when it is created; to move it to another team, reassign it to "
                                          "an owner in that team");
    // References name rows the writer may see: in its own root, or visible;
    // a same-root reference (FieldDef::sameRoot) only rows of its own root,
    // whoever writes. A row the hub does not hold yet (made on another
    // device, not pushed yet) reveals nothing and is accepted: refusing it
    // would lose the write.
    for (const auto& w : r.writes) {
        const auto& f = e.fields[static_cast<size_t>(w.field)];
        if (f.type != schema::FieldType::Ref || f.index == e.scope.parent) continue;
        if (!context.viewer && !f.sameRoot) continue;
        const auto* id = std::get_if<std::string>(&w.value);
        const auto* target = id ? m_schema.entity(f.refEntity) : nullptr;
        if (!target) continue;  // cleared
        RowState t = m_rows.load(*target, *id);
        if (!t.exists) continue;
        const std::string targetRoot = target->scope.kind == schema::ScopeKind::Root ? *id : rootOf(*target, t, nullptr);
        if (targetRoot == s.root) continue;
        if (f.sameRoot)
            return refuse("reference", f.name + " names a " + target->name + " of another " + root.name + "; a "
                                           + e.name + " stays with its own " + root.name);
        const CustomerKey key = keyOf(targetRoot);
        if (!context.viewer->canSee(key.owner, key.team))
            return refuse("reference", f.name + " names a " + target->name + " you cannot see");
    }
    return std::nullopt;
}

std::vector<std::string> Hub::restoreOf(const protocol::ChangeRecord& r, const RecordScope& s,
                                        const PushContext& context, const std::vector<int>& done)
{
    std::vector<std::string> out;
    if (s.createsRow) return out;  // nothing held: the device drops its row
    if (context.viewer) {
        const bool sees = s.shared ? context.viewer->canSee(std::nullopt, std::nullopt)
                                   : s.rootExists && context.viewer->canSee(s.owner, s.team);
        if (!sees) return out;
    }
    uint64_t wanted = 0;
    for (const auto& w : r.writes) wanted |= uint64_t{1} << w.field;
    for (const auto& op : r.setOps) wanted |= uint64_t{1} << op.field;
    for (int f : done) wanted &= ~(uint64_t{1} << f);
    if (!wanted) return out;
    const auto& e = m_schema.entity(r.entity);
    std::vector<protocol::ChangeRecord> rows;
    m_rows.exportRow(e, r.id, rows);
    for (auto& rec : rows) {
        std::erase_if(rec.writes, [&](const protocol::FieldWrite& w) { return !(wanted >> w.field & 1); });
        std::erase_if(rec.setOps, [&](const protocol::SetOp& op) { return !(wanted >> op.field & 1); });
        if (!rec.writes.empty() || !rec.setOps.empty()) out.push_back(protocol::toJson(rec, m_schema).dump());
    }
    return out;
}

void Hub::dropRestoresOutOfScope(PushResult& result, const std::vector<std::string>& roots, const Viewer& viewer)
{
    // A refusal was restored while the viewer saw its row; a later change of
    // the same push may have taken the row out of the viewer's scope (a
    // manager returning a customer of another team's owner to that team's
    // pool). What the answer carries is judged on the scope it is sent in.
    std::unordered_map<std::string, bool> visible;
    size_t kept = 0;
    for (size_t i = 0; i < result.restore.size(); ++i) {
        const std::string& root = roots[i];
        bool sees = true;
        if (!root.empty()) {
            auto [it, fresh] = visible.try_emplace(root, false);
            if (fresh) {
                const CustomerKey key = keyOf(root);
                it->second = viewer.canSee(key.owner, key.team);
            }
            sees = it->second;
        }
        if (!sees) {
            result.restoreBytes -= result.restore[i].size() + 1;
            continue;
        }
        if (kept != i) result.restore[kept] = std::move(result.restore[i]);
        ++kept;
    }
    result.restore.resize(kept);
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
    // Their roots: the stored ones, or named by a record creating its row.
    std::vector<std::string> customers;
    std::unordered_set<std::string> seen;
    for (const auto& r : records) {
        if (r.clock.hlc <= acked) continue;
        const auto& e = m_schema.entity(r.entity);
        std::string c = e.scope.kind == schema::ScopeKind::Root ? r.id : rootOf(e, m_rows.load(e, r.id), &r);
        if (!c.empty() && seen.insert(c).second) customers.push_back(std::move(c));
    }
    m_rows.readAhead(m_schema.root(), customers);
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
        // A row of no root (a Shared entity) is seen as unowned, as pulls do.
        const CustomerKey key = keyOf(rootOf(entity, id));
        if (!viewer->canSee(key.owner, key.team)) return out;
    }
    m_rows.exportRow(m_schema.entity(entity), id, out);
    return out;
}

std::vector<protocol::ChangeRecord> Hub::customerState(const std::string& customer)
{
    std::vector<protocol::ChangeRecord> out;
    const EntityDef* subject = m_schema.subject();
    auto withSubjects = [&](const EntityDef& e, const std::string& id) {
        m_rows.exportRow(e, id, out);
        if (!subject) return;
        const auto& rowField = subject->fields[static_cast<size_t>(subject->scope.subjectRow)].name;
        for (const auto& c : m_rows.idsWhere(*subject, rowField, id)) m_rows.exportRow(*subject, c, out);
    };
    withSubjects(m_schema.root(), customer);
    for (const EntityDef* e : m_schema.children()) {
        const auto& parent = e->fields[static_cast<size_t>(e->scope.parent)].name;
        for (const auto& id : m_rows.idsWhere(*e, parent, customer)) withSubjects(*e, id);
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
        // What this device was served bounds what its changes say they saw.
        std::optional<uint64_t> seenBound;
        uint64_t storedServed = 0;
        if (context.servedAtLeast) {
            UsingStatement st(*m_db, "SELECT served FROM hub_device WHERE device = ?");
            st->bind(1, deviceBlob(device));
            if (st->step()) storedServed = static_cast<uint64_t>(st->getInt(0));
            seenBound = std::max(storedServed, *context.servedAtLeast);
        }
        // Fields already restored, per refused row (each field of a row once).
        std::unordered_map<std::string, std::vector<int>> restored;
        // The root of each restore entry ("" for a shared row), to check it
        // again once the whole push is merged.
        std::vector<std::string> restoreRoots;
        std::unordered_set<std::string> touched;  // result.customers, once each, in first-touch order
        for (const auto& r : records) {
            if (r.clock.hlc <= acked) {
                ++result.duplicates;
                continue;
            }
            const auto& e = m_schema.entity(r.entity);
            RowState stored = m_rows.load(e, r.id);
            // Devices may mark the hub's conflict entries resolved, never make them.
            if (e.scope.kind == schema::ScopeKind::Subject && !stored.exists)
                return invalidArgument("change to " + e.name + " " + r.id + ": " + e.name
                                       + " entries are created by the server, not by devices");
            const RecordScope scope = scopeOf(r, stored);
            if (auto refusal = confine(r, scope, stored, context)) {
                auto& done = restored[r.id];
                std::vector<std::string> restore = restoreOf(r, scope, context, done);
                size_t bytes = 0;
                for (const auto& text : restore) bytes += text.size() + 1;
                if (!result.rejected.empty() && result.restoreBytes + bytes > context.restoreBudget) {
                    result.stoppedEarly = true;  // the rest waits for the device's next push
                    break;
                }
                for (const auto& w : r.writes) done.push_back(w.field);
                for (const auto& op : r.setOps) done.push_back(op.field);
                result.restoreBytes += bytes;
                restoreRoots.insert(restoreRoots.end(), restore.size(), scope.shared ? std::string() : scope.root);
                std::move(restore.begin(), restore.end(), std::back_inserter(result.restore));
                result.rejected.push_back({r.clock, r.entity, r.id, std::move(*refusal)});
                acked = r.clock.hlc;  // held, as refused: the queue moves on
                continue;
            }
            m_hlc.observe(r.clock.hlc);
            protocol::ChangeRecord accepted = r;
            accepted.seq = ++seq;
            if (seenBound) accepted.seen = std::min(accepted.seen, *seenBound);
            if (e.scope.kind == schema::ScopeKind::Root && scope.createsRow && context.creatorTeam && !scope.writesTeam)
                accepted.writes.push_back({e.scope.team, *context.creatorTeam, 0});
            if (touched.insert(scope.root).second) result.customers.push_back(scope.root);
            result.fieldChanges += r.writes.size() + r.setOps.size();
            std::vector<protocol::ChangeRecord> conflicts;
            merge(accepted, std::move(stored), accepted.seq, conflicts, &result.formerKeys);
            log(accepted.seq, device, context.user, scope.root, accepted);
            for (auto& c : conflicts) {
                // An entry about this record's row: in the same root.
                c.seq = ++seq;
                std::vector<protocol::ChangeRecord> none;
                merge(c, m_rows.load(m_schema.entity(c.entity), c.id), c.seq, none);
                log(c.seq, m_device, context.user, scope.root, c);
                ++result.conflicts;
            }
            if (context.derive && (!context.derivesFrom || context.derivesFrom(accepted))) {
                m_rows.flushWrites();  // the callback reads the tables
                auto fields = context.derive(accepted, *m_db, m_hlc.physicalMillis());
                if (!fields.empty()) {
                    protocol::ChangeRecord d;
                    d.entity = accepted.entity;
                    d.id = accepted.id;
                    d.clock = {m_hlc.now(), m_device};
                    d.seq = ++seq;
                    for (auto& [name, value] : fields) {
                        const auto* f = e.field(name);
                        if (!f || !f->serverOnly) throw std::logic_error("derive may write server-owned fields only: " + name);
                        d.writes.push_back({f->index, std::move(value), 0});
                    }
                    std::vector<protocol::ChangeRecord> none;
                    merge(d, m_rows.load(e, d.id), d.seq, none);
                    log(d.seq, m_device, context.user, scope.root, d);
                }
            }
            acked = r.clock.hlc;
            ++result.accepted;
        }
        m_rows.flushWrites();
        flushLog();
        if (context.viewer) dropRestoresOutOfScope(result, restoreRoots, *context.viewer);
        if (seenBound && *seenBound > storedServed) noteServed(device, *seenBound);
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

void Hub::merge(const protocol::ChangeRecord& r, RowState row, uint64_t seq,
                std::vector<protocol::ChangeRecord>& conflicts, std::vector<CustomerKey>* formerKeys)
{
    const auto& e = m_schema.entity(r.entity);
    const auto* ownerField = e.scope.kind == schema::ScopeKind::Root ? &e.fields[static_cast<size_t>(e.scope.owner)] : nullptr;
    bool changed = !row.exists;
    for (const auto& w : r.writes) {
        const auto& f = e.fields.at(static_cast<size_t>(w.field));
        auto& fs = row.fields[static_cast<size_t>(w.field)];
        crdt::Register incoming = m_rows.registerFor(f, w, r.clock);
        crdt::HubField current{fs.reg, fs.arrival};
        auto d = crdt::decideAtHub(f.rule, fs.written ? &current : nullptr, incoming, r.seen);
        // The conflict log does not log itself: marking an entry resolved
        // from a device that had it by bundle is not a conflict worth an entry.
        if (e.scope.kind == schema::ScopeKind::Subject) d.conflict = false;
        if (d.conflict) {
            const crdt::Register& loser = d.takeIncoming ? fs.reg : incoming;
            const crdt::Register& winner = d.takeIncoming ? incoming : fs.reg;
            const auto& ce = *m_schema.subject();
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
                if (formerKeys) formerKeys->push_back({text(fs.reg.value), textAt(row, e.scope.team)});
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

void Hub::noteServed(const crdt::DeviceId& device, uint64_t position)
{
    UsingStatement st(*m_db, m_db->dialect() == storage::Dialect::Sqlite
                                 ? "INSERT INTO hub_device (device, acked, served) VALUES (?, 0, ?) ON CONFLICT (device) "
                                   "DO UPDATE SET served = max(served, excluded.served)"
                                 : "INSERT INTO hub_device (device, acked, served) VALUES (?, 0, ?) ON CONFLICT (device) "
                                   "DO UPDATE SET served = greatest(hub_device.served, excluded.served)");
    st->bind(1, deviceBlob(device)).bind(2, static_cast<int64_t>(position));
    st->run();
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

PullResult Hub::pull(uint64_t after, size_t limit, const Viewer* viewer, PullEncoding encoding, size_t maxBytes)
{
    if (!m_reader && m_db->dialect() == storage::Dialect::Sqlite)
        return pullInSnapshot(after, limit, viewer, encoding, maxBytes);
    // Another connection writes meanwhile (or, on PostgreSQL, another
    // process may): read everything as of one commit, and learn the devices
    // it added since this connection last looked.
    storage::ReadTransaction snapshot(*m_db);
    m_rows.loadNewPeers();
    return pullInSnapshot(after, limit, viewer, encoding, maxBytes);
}

PullResult Hub::pullInSnapshot(uint64_t after, size_t limit, const Viewer* viewer, PullEncoding encoding,
                               size_t maxBytes)
{
    PullResult out;
    out.cursor = after;
    limit = std::max<size_t>(limit, 1);
    const bool asJson = encoding == PullEncoding::Json;
    size_t returned = 0, bytes = 0;  // bytes: of JSON text (PullEncoding::Json)
    auto emitText = [&](int64_t seq, std::string_view text) {
        ++returned;
        if (asJson) {
            out.json.emplace_back(text);
            bytes += text.size() + 1;
            return;
        }
        auto r = protocol::recordFromJson(json::parse(text), m_schema);
        if (!r) throw std::runtime_error("corrupt hub log at seq " + std::to_string(seq) + ": " + r.error().message);
        out.records.push_back(std::move(*r));
    };
    auto emitRecord = [&](protocol::ChangeRecord&& r) {
        ++returned;
        if (!asJson) {
            out.records.push_back(std::move(r));
            return;
        }
        out.json.push_back(protocol::toJson(r, m_schema).dump());
        bytes += out.json.back().size() + 1;
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
        const auto& ce = m_schema.root();
        RowStore::ReadAhead scope(m_rows);
        m_rows.readAhead(ce, customers);
        for (const auto& c : customers) {
            if (c.empty() || visible.contains(c)) continue;
            RowState row = m_rows.load(ce, c);
            visible[c] = viewer->canSee(textAt(row, ce.scope.owner), textAt(row, ce.scope.team));
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
        std::string entered;                           // a customer entering the scope here,
        std::vector<protocol::ChangeRecord> entering;  // whole
        std::string left;                              // a customer leaving the scope here
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
                if (bytes >= maxBytes) break;
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
                    // Its current state goes out only if the viewer sees it
                    // now: a customer that entered here and left again later
                    // must not show what its later owner wrote since.
                    if (canSee(who)) {
                        step.entered = who;
                        step.entering = customerState(who);
                        planned += step.entering.size();
                    }
                } else if (was && !now) {
                    step.left = who;
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
            if (!step.entered.empty()) {
                // Back within this page: it is not to be dropped after all.
                out.evict.erase(std::remove(out.evict.begin(), out.evict.end(), step.entered), out.evict.end());
                for (auto& r : step.entering) {
                    r.seq = static_cast<uint64_t>(step.seq);
                    emitRecord(std::move(r));
                }
            }
            if (!step.left.empty()) out.evict.push_back(step.left);
            if (step.record) {
                if (sqlite) {
                    UsingStatement one(*m_db, "SELECT seq, record FROM hub_log WHERE seq = ?");
                    one->bind(1, step.seq);
                    if (!one->step()) throw std::runtime_error("hub log position " + std::to_string(step.seq) + " vanished");
                    emitText(step.seq, one->getTextView(1));
                } else {
                    if (!(*rec)->step() || (*rec)->getInt(0) != step.seq)
                        throw std::runtime_error("hub log position " + std::to_string(step.seq) + " vanished");
                    emitText(step.seq, (*rec)->getTextView(1));
                }
            }
            out.cursor = static_cast<uint64_t>(step.seq);
            if (bytes >= maxBytes) break;  // the page is full: the rest is the next page's
        }
        if (bytes >= maxBytes) break;
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
            if (visible(rootOf(e->code, it.key()))) ++it;
            else it = rows.erase(it);
        }
    }
    return all;
}

} // namespace fieldsync::replica
