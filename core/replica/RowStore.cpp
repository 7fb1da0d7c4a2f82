#include "replica/RowStore.h"

#include "storage/Statement.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

namespace fieldsync::replica {

using schema::EntityDef;
using schema::FieldDef;
using schema::FieldType;
using storage::Blob;
using storage::Statement;
using storage::UsingStatement;
using nlohmann::json;

RowStore::RowStore(storage::Connection& db, const schema::Schema& schema) : m_db(db), m_schema(schema)
{
    for (const auto& e : schema.entities()) {
        EntitySql s;
        std::string cols;
        for (const auto& f : e.fields) {
            cols += (cols.empty() ? "" : ", ") + std::string("\"") + f.name + "\"";
            if (f.type == FieldType::Stage) s.stageFields.push_back(f.index);
        }
        for (int i : s.stageFields) cols += ", \"" + e.fields[static_cast<size_t>(i)].name + "_gen\"";
        cols += ", _clocks";
        s.select = "SELECT " + cols + " FROM \"" + e.table + "\" WHERE id = ?";
        s.all = "SELECT id, " + cols + " FROM \"" + e.table + "\" ORDER BY id";
        s.exists = "SELECT 1 FROM \"" + e.table + "\" WHERE id = ?";
        s.many = "SELECT id, " + cols + " FROM \"" + e.table + "\" WHERE id IN ("
                 + (db.dialect() == storage::Dialect::Sqlite ? "SELECT value FROM json_each(?)"
                                                             : "SELECT json_array_elements_text(?::json) COLLATE \"C\"")
                 + ")";
        m_sql.push_back(std::move(s));
    }
    m_ahead.resize(m_sql.size());
    m_waitingIds.resize(m_sql.size());
    reloadPeers();
}

void RowStore::reloadPeers()
{
    m_devices.clear();
    m_peers.clear();
    loadNewPeers();
}

void RowStore::loadNewPeers() const
{
    UsingStatement peers(m_db, "SELECT idx, device FROM peer WHERE idx >= ? ORDER BY idx");
    peers->bind(1, static_cast<int64_t>(m_devices.size()));
    while (peers->step()) {
        auto idx = static_cast<uint32_t>(peers->getInt(0));
        auto bytes = peers->getBlobView(1);
        crdt::DeviceId d;
        if (bytes.size() != 16) throw std::runtime_error("corrupt peer table");
        std::copy(bytes.begin(), bytes.end(), d.bytes.begin());
        if (m_devices.size() <= idx) m_devices.resize(idx + 1);
        m_devices[idx] = d;
        m_peers[d] = idx;
    }
}

uint32_t RowStore::peerOf(const crdt::DeviceId& device)
{
    if (auto it = m_peers.find(device); it != m_peers.end()) return it->second;
    auto idx = static_cast<uint32_t>(std::max<size_t>(m_devices.size(), 1));
    UsingStatement st(m_db, "INSERT INTO peer (idx, device) VALUES (?, ?)");
    st->bind(1, static_cast<int64_t>(idx))
        .bind(2, Blob{std::string_view(reinterpret_cast<const char*>(device.bytes.data()), 16)});
    st->run();
    if (m_devices.size() <= idx) m_devices.resize(idx + 1);
    m_devices[idx] = device;
    m_peers[device] = idx;
    return idx;
}

const crdt::DeviceId& RowStore::deviceOf(uint32_t peer) const
{
    if (peer != 0 && peer >= m_devices.size()) loadNewPeers();
    if (peer == 0 || peer >= m_devices.size()) throw std::runtime_error("corrupt row clocks: unknown peer");
    return m_devices[peer];
}

void RowStore::decodeRow(const EntityDef& e, Statement& st, RowState& row) const
{
    const auto& sql = m_sql[static_cast<size_t>(e.code)];
    size_t n = e.fields.size();
    int base = st.columnCount() - static_cast<int>(n + sql.stageFields.size() + 1);
    row.exists = true;
    row.fields.assign(n, FieldState{});
    row.setCache.assign(n, std::string());
    for (size_t i = 0; i < n; ++i) {
        int col = base + static_cast<int>(i);
        const auto& f = e.fields[i];
        auto& v = row.fields[i].reg.value;
        if (f.type == FieldType::TagSet) {
            row.setCache[i] = st.isNull(col) ? "[]" : st.getText(col);
            continue;
        }
        if (st.isNull(col)) continue;
        switch (f.type) {
        case FieldType::Bool: v = st.getInt(col) != 0; break;
        case FieldType::Integer:
        case FieldType::Time: v = st.getInt(col); break;
        case FieldType::Real: v = st.getDouble(col); break;
        default: v = st.getText(col); break;
        }
    }
    int col = base + static_cast<int>(n);
    for (int fi : sql.stageFields) {
        auto& fs = row.fields[static_cast<size_t>(fi)];
        fs.reg.generation = st.isNull(col) ? 0 : st.getInt(col);
        if (auto* s = std::get_if<std::string>(&fs.reg.value)) fs.reg.rank = e.fields[static_cast<size_t>(fi)].stageRank(*s);
        ++col;
    }
    for (const auto& g : decodeClockGroups(st.getBlobView(col))) {
        for (size_t i = 0; i < n; ++i) {
            if (!(g.mask >> i & 1)) continue;
            auto& fs = row.fields[i];
            fs.written = true;
            fs.reg.clock = {g.hlc, deviceOf(g.peer)};
            fs.peer = g.peer;
            fs.arrival = g.arrival;
        }
    }
}

const RowState* RowStore::ahead(const EntityDef& e, std::string_view id) const
{
    if (m_aheadRows == 0) return nullptr;
    const auto& rows = m_ahead[static_cast<size_t>(e.code)];
    auto it = rows.find(std::string(id));
    return it == rows.end() ? nullptr : &it->second;
}

void RowStore::forget(const EntityDef& e, std::string_view id)
{
    if (m_aheadRows == 0) return;
    m_aheadRows -= m_ahead[static_cast<size_t>(e.code)].erase(std::string(id));
}

bool RowStore::waiting(const EntityDef& e, std::string_view id) const
{
    return !m_waiting.empty() && m_waitingIds[static_cast<size_t>(e.code)].contains(std::string(id));
}

void RowStore::dropWrites()
{
    m_waiting.clear();
    for (auto& ids : m_waitingIds) ids.clear();
    m_writeBehind = false;
}

void RowStore::flushWrites()
{
    if (m_waiting.empty()) return;
    std::vector<WaitingInsert> waiting = std::move(m_waiting);
    m_waiting.clear();
    for (auto& ids : m_waitingIds) ids.clear();
    // Rows of one entity with the same columns share a statement, in the order they were saved.
    std::map<std::pair<int, uint64_t>, std::vector<const WaitingInsert*>> groups;
    for (const auto& w : waiting) groups[{w.entity, w.columns}].push_back(&w);
    for (const auto& [key, rows] : groups) {
        const auto& e = m_schema.entity(key.first);
        const std::string& one = insertSql(e, key.second);
        const std::string tuple = one.substr(one.rfind(" VALUES ") + 8);
        const size_t params = static_cast<size_t>(std::count(tuple.begin(), tuple.end(), '?'));
        // At most 100 rows and 30,000 parameters a statement (both engines' limits are higher).
        const size_t perStatement = std::max<size_t>(1, std::min<size_t>(100, 30000 / params));
        for (size_t start = 0; start < rows.size(); start += perStatement) {
            const size_t n = std::min(perStatement, rows.size() - start);
            std::string sql = one;
            for (size_t i = 1; i < n; ++i) sql += ", " + tuple;
            // A full statement is prepared once per connection; a shorter last one is run once.
            std::optional<Statement> once;
            if (n > 1 && n < perStatement) once.emplace(m_db, sql);
            UsingStatement st(once ? *once : m_db.cached(sql));
            int p = 1;
            for (size_t i = start; i < start + n; ++i) {
                const auto& w = *rows[i];
                st->bind(p++, w.id);
                bindColumns(*st, p, e, w.row, w.columns);
                st->bind(p++, Blob{w.clocks});
            }
            st->run();
        }
    }
}

void RowStore::readAhead(const EntityDef& e, const std::vector<std::string>& ids)
{
    flushWrites();
    m_aheadActive = true;
    auto& rows = m_ahead[static_cast<size_t>(e.code)];
    std::vector<std::string> wanted;
    for (const auto& id : ids)
        if (!rows.contains(id)) {
            // Absent until the query finds it; a repeated id is asked once.
            rows.emplace(id, blank(e));
            ++m_aheadRows;
            wanted.push_back(id);
        }
    // A few hundred ids a query: one statement, a bounded parameter.
    constexpr size_t kChunk = 500;
    for (size_t start = 0; start < wanted.size(); start += kChunk) {
        nlohmann::json list = nlohmann::json::array();
        for (size_t i = start; i < std::min(wanted.size(), start + kChunk); ++i) list.push_back(wanted[i]);
        UsingStatement st(m_db.cached(m_sql[static_cast<size_t>(e.code)].many));
        st->bind(1, list.dump());
        while (st->step()) {
            RowState row;
            decodeRow(e, *st, row);
            rows[st->getText(0)] = std::move(row);
        }
    }
}

void RowStore::dropReadAhead()
{
    for (auto& rows : m_ahead) rows.clear();
    m_aheadRows = 0;
    m_aheadActive = false;
}

size_t RowStore::readAheadSize() const
{
    return m_aheadRows;
}

RowState RowStore::load(const EntityDef& e, std::string_view id)
{
    if (waiting(e, id)) flushWrites();
    if (const auto* known = ahead(e, id)) return *known;
    RowState row;
    UsingStatement st(m_db.cached(m_sql[static_cast<size_t>(e.code)].select));
    st->bind(1, id);
    if (st->step()) {
        decodeRow(e, *st, row);
    } else {
        row = blank(e);
    }
    // While reading ahead, a row read again after a write is kept too: the
    // customer of a push's visits is read once after each change to it.
    if (m_aheadActive) {
        m_ahead[static_cast<size_t>(e.code)].emplace(std::string(id), row);
        ++m_aheadRows;
    }
    return row;
}

bool RowStore::exists(const EntityDef& e, std::string_view id)
{
    if (waiting(e, id)) flushWrites();
    if (const auto* known = ahead(e, id)) return known->exists;
    if (m_aheadActive) return load(e, id).exists;  // kept for the reads that follow
    UsingStatement st(m_db.cached(m_sql[static_cast<size_t>(e.code)].exists));
    st->bind(1, id);
    return st->step();
}

RowState RowStore::blank(const EntityDef& e) const
{
    RowState row;
    row.fields.assign(e.fields.size(), FieldState{});
    row.setCache.assign(e.fields.size(), "[]");
    return row;
}

const std::string& RowStore::insertSql(const EntityDef& e, uint64_t fields)
{
    // Only the columns a new row sets: the rest default to NULL, and binding
    // them would cost a write on every insert.
    auto& sql = m_sql[static_cast<size_t>(e.code)];
    auto it = sql.inserts.find(fields);
    if (it != sql.inserts.end()) return it->second;
    std::string cols = "id", params = "?";
    for (const auto& f : e.fields) {
        if (!(fields >> f.index & 1)) continue;
        cols += ", \"" + f.name + "\"";
        params += ", ?";
        if (f.type == FieldType::Stage) {
            cols += ", \"" + f.name + "_gen\"";
            params += ", ?";
        }
    }
    return sql.inserts[fields] = "INSERT INTO \"" + e.table + "\" (" + cols + ", _clocks) VALUES (" + params + ", ?)";
}

const std::string& RowStore::updateSql(const EntityDef& e, uint64_t dirty)
{
    auto& sql = m_sql[static_cast<size_t>(e.code)];
    auto it = sql.updates.find(dirty);
    if (it != sql.updates.end()) return it->second;
    std::string set;
    for (const auto& f : e.fields) {
        if (!(dirty >> f.index & 1)) continue;
        set += "\"" + f.name + "\" = ?, ";
        if (f.type == FieldType::Stage) set += "\"" + f.name + "_gen\" = ?, ";
    }
    return sql.updates[dirty] = "UPDATE \"" + e.table + "\" SET " + set + "_clocks = ? WHERE id = ?";
}

void RowStore::bindValue(Statement& st, int index, const crdt::Value& v) const
{
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) st.bind(index, nullptr);
            else st.bind(index, x);
        },
        v);
}

void RowStore::remove(const EntityDef& e, std::string_view id)
{
    flushWrites();
    forget(e, id);
    UsingStatement row(m_db, "DELETE FROM \"" + e.table + "\" WHERE id = ?");
    row->bind(1, id);
    row->run();
    UsingStatement dots(m_db, "DELETE FROM set_dot WHERE entity = ? AND \"row\" = ?");
    dots->bind(1, e.code).bind(2, id);
    dots->run();
}

void RowStore::bindColumns(Statement& st, int& p, const EntityDef& e, const RowState& row, uint64_t columns) const
{
    for (const auto& f : e.fields) {
        if (!(columns >> f.index & 1)) continue;
        const auto i = static_cast<size_t>(f.index);
        if (f.type == FieldType::TagSet) {
            const auto& cache = row.setCache[i];
            if (cache.empty() || cache == "[]") st.bind(p++, nullptr);
            else st.bind(p++, cache);
        } else {
            bindValue(st, p++, row.fields[i].reg.value);
        }
        if (f.type == FieldType::Stage) st.bind(p++, row.fields[i].reg.generation);
    }
}

void RowStore::save(const EntityDef& e, std::string_view id, const RowState& row)
{
    forget(e, id);
    // A row written again is written in place: its first INSERT goes first.
    if (waiting(e, id)) flushWrites();
    // Clock groups: one per distinct (clock, arrival) over the written fields.
    std::vector<ClockGroup> groups;
    for (size_t i = 0; i < e.fields.size(); ++i) {
        const auto& fs = row.fields[i];
        if (!fs.written || e.fields[i].type == FieldType::TagSet) continue;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const ClockGroup& g) {
            return g.hlc == fs.reg.clock.hlc && g.peer == fs.peer && g.arrival == fs.arrival;
        });
        if (it == groups.end()) groups.push_back({fs.reg.clock.hlc, fs.peer, fs.arrival, uint64_t{1} << i});
        else it->mask |= uint64_t{1} << i;
    }
    std::string clocks = encodeClockGroups(groups);

    int p = 1;
    // Columns to write: a new row's non-null ones, a stored row's dirty ones.
    uint64_t columns = row.dirty;
    if (!row.exists) {
        columns = 0;
        for (size_t i = 0; i < e.fields.size(); ++i) {
            bool set = e.fields[i].type == FieldType::TagSet ? !(row.setCache[i].empty() || row.setCache[i] == "[]")
                                                             : row.fields[i].written;
            if (set) columns |= uint64_t{1} << i;
        }
        if (m_writeBehind) {
            m_waiting.push_back({e.code, std::string(id), columns, row, std::move(clocks)});
            m_waitingIds[static_cast<size_t>(e.code)].insert(std::string(id));
            return;
        }
        UsingStatement st(m_db.cached(insertSql(e, columns)));
        st->bind(p++, id);
        bindColumns(*st, p, e, row, columns);
        st->bind(p, Blob{clocks});
        st->run();
        return;
    }
    UsingStatement st(m_db.cached(updateSql(e, columns)));
    bindColumns(*st, p, e, row, columns);
    st->bind(p++, Blob{clocks});
    st->bind(p, id);
    st->run();
}

crdt::Register RowStore::registerFor(const FieldDef& f, const protocol::FieldWrite& w, const crdt::Clock& clock) const
{
    crdt::Register r;
    r.value = w.value;
    r.clock = clock;
    if (f.type == FieldType::Stage) {
        r.generation = w.generation;
        if (auto* s = std::get_if<std::string>(&w.value)) r.rank = f.stageRank(*s);
    }
    return r;
}

void RowStore::assign(RowState& row, int field, const crdt::Register& reg)
{
    auto& fs = row.fields[static_cast<size_t>(field)];
    fs.written = true;
    fs.reg = reg;
    fs.peer = peerOf(reg.clock.device);
    row.dirty |= uint64_t{1} << field;
}

bool RowStore::addDot(const EntityDef& e, std::string_view id, int field, const std::string& element,
                      const crdt::Clock& dot)
{
    UsingStatement st(m_db, "INSERT INTO set_dot (entity, \"row\", field, element, hlc, peer, removed) "
                            "VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING");
    st->bind(1, e.code).bind(2, id).bind(3, field).bind(4, element)
        .bind(5, static_cast<int64_t>(dot.hlc)).bind(6, static_cast<int64_t>(peerOf(dot.device)));
    st->run();
    return m_db.changes() > 0;
}

bool RowStore::removeDots(const EntityDef& e, std::string_view id, int field, const std::string& element,
                          const std::vector<crdt::Clock>& dots)
{
    bool changed = false;
    for (const auto& dot : dots) {
        UsingStatement st(m_db, "INSERT INTO set_dot (entity, \"row\", field, element, hlc, peer, removed) "
                                "VALUES (?, ?, ?, ?, ?, ?, 1) "
                                "ON CONFLICT (entity, \"row\", field, element, hlc, peer) "
                                "DO UPDATE SET removed = 1 WHERE removed = 0");
        st->bind(1, e.code).bind(2, id).bind(3, field).bind(4, element)
            .bind(5, static_cast<int64_t>(dot.hlc)).bind(6, static_cast<int64_t>(peerOf(dot.device)));
        st->run();
        changed = changed || m_db.changes() > 0;
    }
    return changed;
}

std::vector<crdt::Clock> RowStore::liveDots(const EntityDef& e, std::string_view id, int field,
                                            const std::string& element)
{
    std::vector<crdt::Clock> out;
    UsingStatement st(m_db, "SELECT hlc, peer FROM set_dot WHERE entity = ? AND \"row\" = ? AND field = ? "
                            "AND element = ? AND removed = 0 ORDER BY hlc, peer");
    st->bind(1, e.code).bind(2, id).bind(3, field).bind(4, element);
    while (st->step())
        out.push_back({static_cast<crdt::Hlc>(st->getInt(0)), deviceOf(static_cast<uint32_t>(st->getInt(1)))});
    return out;
}

void RowStore::refreshSetCache(const EntityDef& e, std::string_view id, RowState& row)
{
    for (const auto& f : e.fields) {
        if (f.type != FieldType::TagSet) continue;
        UsingStatement st(m_db, "SELECT DISTINCT element FROM set_dot WHERE entity = ? AND \"row\" = ? AND field = ? "
                                "AND removed = 0 ORDER BY element");
        st->bind(1, e.code).bind(2, id).bind(3, f.index);
        json arr = json::array();
        while (st->step()) arr.push_back(st->getText(0));
        row.setCache[static_cast<size_t>(f.index)] = arr.dump();
        row.dirty |= uint64_t{1} << f.index;
    }
}

void RowStore::forEachRow(const EntityDef& e, const std::function<void(const std::string&, const RowState&)>& fn)
{
    flushWrites();
    Statement st(m_db, m_sql[static_cast<size_t>(e.code)].all);
    while (st.step()) {
        RowState row;
        decodeRow(e, st, row);
        fn(st.getText(0), row);
    }
}

namespace {

// A row's registers grouped by clock: one record per write that still shows.
void appendRowRecords(const EntityDef& e, const std::string& id, const RowState& row,
                      std::vector<protocol::ChangeRecord>& out)
{
    std::vector<protocol::ChangeRecord> groups;
    for (size_t i = 0; i < e.fields.size(); ++i) {
        const auto& fs = row.fields[i];
        if (!fs.written) continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const protocol::ChangeRecord& r) { return r.clock == fs.reg.clock; });
        if (it == groups.end()) {
            protocol::ChangeRecord r;
            r.entity = e.code;
            r.id = id;
            r.clock = fs.reg.clock;
            groups.push_back(std::move(r));
            it = groups.end() - 1;
        }
        it->writes.push_back({static_cast<int>(i), fs.reg.value, fs.reg.generation});
    }
    std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.clock < b.clock; });
    for (auto& g : groups) out.push_back(std::move(g));
}

} // namespace

void RowStore::appendDotRecords(const EntityDef& e, const std::string* id, std::vector<protocol::ChangeRecord>& out)
{
    Statement dots(m_db, id ? "SELECT \"row\", field, element, hlc, peer, removed FROM set_dot WHERE entity = ? "
                              "AND \"row\" = ? ORDER BY field, element, hlc, peer"
                            : "SELECT \"row\", field, element, hlc, peer, removed FROM set_dot WHERE entity = ? "
                              "ORDER BY \"row\", field, element, hlc, peer");
    dots.bind(1, e.code);
    if (id) dots.bind(2, *id);
    while (dots.step()) {
        protocol::ChangeRecord r;
        r.entity = e.code;
        r.id = dots.getText(0);
        r.clock = {static_cast<crdt::Hlc>(dots.getInt(3)), deviceOf(static_cast<uint32_t>(dots.getInt(4)))};
        int field = static_cast<int>(dots.getInt(1));
        std::string element = dots.getText(2);
        r.setOps.push_back({field, element, false, {}});
        if (dots.getInt(5)) r.setOps.push_back({field, element, true, {r.clock}});
        out.push_back(std::move(r));
    }
}

std::vector<protocol::ChangeRecord> RowStore::exportRecords()
{
    std::vector<protocol::ChangeRecord> out;
    for (const auto& e : m_schema.entities()) {
        forEachRow(e, [&](const std::string& id, const RowState& row) { appendRowRecords(e, id, row, out); });
        appendDotRecords(e, nullptr, out);
    }
    return out;
}

void RowStore::exportRow(const EntityDef& e, std::string_view id, std::vector<protocol::ChangeRecord>& out)
{
    RowState row = load(e, id);
    if (!row.exists) return;
    std::string key(id);
    appendRowRecords(e, key, row, out);
    appendDotRecords(e, &key, out);
}

std::vector<std::string> RowStore::idsWhere(const EntityDef& e, std::string_view field, std::string_view value)
{
    flushWrites();
    std::vector<std::string> ids;
    if (!e.field(field)) return ids;
    UsingStatement st(m_db, "SELECT id FROM \"" + e.table + "\" WHERE \"" + std::string(field) + "\" = ? ORDER BY id");
    st->bind(1, value);
    while (st->step()) ids.push_back(st->getText(0));
    return ids;
}

json RowStore::dump()
{
    json out = json::object();
    for (const auto& e : m_schema.entities()) {
        json rows = json::object();
        forEachRow(e, [&](const std::string& id, const RowState& row) {
            json r = json::object();
            for (size_t i = 0; i < e.fields.size(); ++i) {
                const auto& f = e.fields[i];
                const auto& fs = row.fields[i];
                if (!fs.written) continue;
                json v = {{"value", crdt::toJson(fs.reg.value)}, {"clock", fs.reg.clock.str()}};
                if (f.type == FieldType::Stage) v["gen"] = fs.reg.generation;
                r[f.name] = std::move(v);
            }
            rows[id] = std::move(r);
        });
        Statement dots(m_db, "SELECT \"row\", field, element, hlc, peer, removed FROM set_dot WHERE entity = ?");
        dots.bind(1, e.code);
        while (dots.step()) {
            std::string id = dots.getText(0);
            const auto& f = e.fields.at(static_cast<size_t>(dots.getInt(1)));
            crdt::Clock dot{static_cast<crdt::Hlc>(dots.getInt(3)), deviceOf(static_cast<uint32_t>(dots.getInt(4)))};
            rows[id][f.name][dots.getText(2)][dot.str()] = dots.getInt(5) != 0 ? "removed" : "added";
        }
        out[e.name] = std::move(rows);
    }
    return out;
}

json RowStore::rowJson(const EntityDef& e, std::string_view id, const RowState& row) const
{
    json r = json::object();
    r["id"] = std::string(id);
    for (size_t i = 0; i < e.fields.size(); ++i) {
        const auto& f = e.fields[i];
        if (f.type == FieldType::TagSet) {
            const auto& cache = row.setCache[i];
            r[f.name] = cache.empty() ? json::array() : json::parse(cache);
        } else {
            r[f.name] = crdt::toJson(row.fields[i].reg.value);
            if (f.type == FieldType::Stage && row.fields[i].reg.generation)
                r[f.name + "_gen"] = row.fields[i].reg.generation;
        }
    }
    return r;
}

} // namespace fieldsync::replica
