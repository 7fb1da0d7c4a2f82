#include "stores/Audit.h"

#include "schema/Schema.h"
#include "storage-pg/PgConnection.h"
#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace fieldsync::server {

using storage::Statement;

namespace {

constexpr size_t kChunk = 500;  // log rows per query: bounds memory on both engines

const schema::Schema& theSchema() { return schema::fieldsyncSchema(); }

std::string_view blobView(const crdt::DeviceId& d)
{
    return {reinterpret_cast<const char*>(d.bytes.data()), d.bytes.size()};
}

} // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::open(const StoreLocation& store)
{
    std::unique_ptr<storage::Connection> db;
    if (store.kind == StoreLocation::Kind::Sqlite) {
        const std::string path = store.dir + "/hub.db";
        if (!std::filesystem::exists(path))
            return notFound("no hub.db in " + store.dir + ": is it the server's data directory (--data)?");
        db = std::make_unique<storage::Database>(path, storage::Database::Mode::ReadWrite);
    } else {
        db = std::make_unique<storage::pg::PgConnection>(store.url);
    }
    if (!db->hasTable("hub_log")) return notFound(store.describe() + " holds no fieldsync hub (no change log)");
    return std::make_unique<AuditLog>(std::move(db));
}

AuditLog::AuditLog(std::unique_ptr<storage::Connection> hub) : m_db(std::move(hub))
{
    Statement st(*m_db, "SELECT value FROM meta WHERE key = 'device_id'");
    if (st.step())
        if (auto id = crdt::DeviceId::fromHex(st.getText(0))) m_server = *id;
}

AuditLog::~AuditLog() = default;

std::vector<std::string> AuditLog::customersNamed(const std::string& name)
{
    std::vector<std::string> ids;
    Statement st(*m_db, "SELECT id FROM customer WHERE name = ? ORDER BY id");
    st.bind(1, name);
    while (st.step()) ids.push_back(st.getText(0));
    return ids;
}

std::optional<AuditRow> AuditLog::findRow(const std::string& id)
{
    // As Hub::customerOf decides the log's `customer`: the row itself for a
    // customer, its `customer` field for the rows hanging off one, the
    // subject row's customer for a conflict entry, none for the rest.
    for (const auto& e : theSchema().entities()) {
        const std::string table = "\"" + e.table + "\"";
        if (e.name == "customer" || (!e.field("customer") && e.name != schema::kConflictEntity)) {
            Statement st(*m_db, "SELECT 1 FROM " + table + " WHERE id = ?");
            st.bind(1, id);
            if (st.step()) return AuditRow{e.code, e.name == "customer" ? id : std::string()};
        } else if (e.name == schema::kConflictEntity) {
            Statement st(*m_db, "SELECT \"row\" FROM conflict WHERE id = ?");
            st.bind(1, id);
            if (!st.step()) continue;
            std::string subject = st.isNull(0) ? std::string() : st.getText(0);
            auto of = subject.empty() || subject == id ? std::nullopt : findRow(subject);
            return AuditRow{e.code, of ? of->customer : std::string()};
        } else {
            Statement st(*m_db, "SELECT customer FROM " + table + " WHERE id = ?");
            st.bind(1, id);
            if (st.step()) return AuditRow{e.code, st.isNull(0) ? std::string() : st.getText(0)};
        }
    }
    return std::nullopt;
}

bool AuditLog::read(const AuditFilter& f, const std::function<void(const AuditEntry&)>& each)
{
    if (f.limit == 0) return false;
    storage::ReadTransaction snapshot(*m_db);

    std::optional<std::string> customer = f.customer;
    std::set<std::string> rowIds;  // the row and the conflict entries about it
    if (f.row) {
        auto row = findRow(*f.row);
        if (!row) return false;
        if (customer && *customer != row->customer) return false;
        customer = row->customer;
        rowIds.insert(*f.row);
        Statement conflicts(*m_db, "SELECT id FROM conflict WHERE \"row\" = ?");
        conflicts.bind(1, *f.row);
        while (conflicts.step()) rowIds.insert(conflicts.getText(0));
    }

    const bool sqlite = m_db->dialect() == storage::Dialect::Sqlite;
    const bool desc = !f.oldestFirst;
    std::string sql = "SELECT l.seq, l.device, l.\"user\", l.customer, l.record, l.received_at, c.name FROM hub_log l";
    // SQLite would walk the whole table for `customer = ?`; the (seq,
    // customer) index gives the same order at a twentieth of the reading.
    // PostgreSQL picks that index by itself.
    if (customer && sqlite) sql += " INDEXED BY hub_log_scan";
    sql += " LEFT JOIN customer c ON c.id = l.customer WHERE l.seq ";
    sql += desc ? "< ?" : "> ?";
    std::vector<std::function<void(Statement&, int)>> binds;
    auto where = [&](const std::string& condition, std::function<void(Statement&, int)> bind) {
        sql += " AND " + condition;
        binds.push_back(std::move(bind));
    };
    if (desc && f.after) where("l.seq > ?", [v = static_cast<int64_t>(*f.after)](Statement& s, int i) { s.bind(i, v); });
    if (!desc && f.before) where("l.seq < ?", [v = static_cast<int64_t>(*f.before)](Statement& s, int i) { s.bind(i, v); });
    if (f.user) where("l.\"user\" = ?", [v = *f.user](Statement& s, int i) { s.bind(i, v); });
    if (f.device)
        where("l.device = ?", [v = *f.device](Statement& s, int i) { s.bind(i, storage::Blob{blobView(v)}); });
    if (customer) where("l.customer = ?", [v = *customer](Statement& s, int i) { s.bind(i, v); });
    if (f.since) where("l.received_at >= ?", [v = *f.since](Statement& s, int i) { s.bind(i, v); });
    if (f.until) where("l.received_at < ?", [v = *f.until](Statement& s, int i) { s.bind(i, v); });
    if (f.entity) {
        // The log holds each record as the codec's compact JSON, so a record
        // of this entity contains `"entity":"<name>"`; the decoded record is
        // checked below (a conflict entry about such a row contains it too).
        const std::string pattern = "%\"entity\":\"" + theSchema().entity(*f.entity).name + "\"%";
        where("l.record LIKE ?", [pattern](Statement& s, int i) { s.bind(i, pattern); });
    }
    sql += desc ? " ORDER BY l.seq DESC LIMIT ?" : " ORDER BY l.seq LIMIT ?";
    Statement st(*m_db, sql);

    int64_t cursor = desc ? static_cast<int64_t>(f.before.value_or(std::numeric_limits<int64_t>::max()))
                          : static_cast<int64_t>(f.after.value_or(0));
    size_t given = 0;
    for (;;) {
        // Rows the checks below may drop (other rows of the customer) call
        // for full chunks; otherwise no more than are needed.
        const size_t chunk = f.row ? kChunk : std::min(kChunk, f.limit + 1 - given);
        st.reset();
        int p = 1;
        st.bind(p++, cursor);
        for (const auto& bind : binds) bind(st, p++);
        st.bind(p, static_cast<int64_t>(chunk));
        size_t rows = 0;
        while (st.step()) {
            ++rows;
            AuditEntry e;
            e.seq = static_cast<uint64_t>(st.getInt(0));
            cursor = st.getInt(0);
            auto device = st.getBlobView(1);
            if (device.size() == e.device.bytes.size()) std::copy(device.begin(), device.end(), e.device.bytes.begin());
            e.user = st.getText(2);
            e.customer = st.getText(3);
            auto json = nlohmann::json::parse(st.getTextView(4), nullptr, false);
            auto record = json.is_discarded() ? Result<protocol::ChangeRecord>(invalidArgument("not JSON"))
                                              : protocol::recordFromJson(json, theSchema());
            if (!record)
                throw std::runtime_error("change " + std::to_string(e.seq) + " of the log cannot be read: "
                                         + record.error().message);
            e.record = std::move(*record);
            e.record.seq = e.seq;
            e.receivedAt = st.getInt(5);
            if (!st.isNull(6)) e.customerName = st.getText(6);
            e.byServer = !m_server.isNull() && e.device == m_server;

            if (f.entity && e.record.entity != *f.entity) continue;
            if (f.row && !rowIds.contains(e.record.id)) continue;
            if (given == f.limit) return true;
            each(e);
            ++given;
        }
        if (rows < chunk) return false;
    }
}

} // namespace fieldsync::server
