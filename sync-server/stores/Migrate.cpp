#include "stores/Migrate.h"

#include "replica/Migrations.h"
#include "schema/Schema.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <chrono>
#include <optional>
#include <vector>

namespace fieldsync::server {

namespace {

using storage::Connection;
using storage::Statement;

// Copies every row of `table`, column by column, keeping each value's type.
int64_t copyTable(Connection& from, Connection& to, const std::string& table)
{
    Statement select(from, "SELECT * FROM \"" + table + "\"");
    std::unique_ptr<Statement> insert;
    int64_t rows = 0;
    while (select.step()) {
        const int n = select.columnCount();
        if (!insert) {
            std::string columns, params;
            for (int c = 0; c < n; ++c) {
                columns += (c ? ", \"" : "\"") + select.columnName(c) + "\"";
                params += c ? ", ?" : "?";
            }
            insert = std::make_unique<Statement>(to, "INSERT INTO \"" + table + "\" (" + columns + ") VALUES (" + params + ")");
        }
        for (int c = 0; c < n; ++c) {
            switch (select.columnType(c)) {
            case storage::kNull: insert->bind(c + 1, nullptr); break;
            case storage::kInteger: insert->bind(c + 1, select.getInt(c)); break;
            case storage::kFloat: insert->bind(c + 1, select.getDouble(c)); break;
            case storage::kBlob: insert->bind(c + 1, storage::Blob{select.getBlobView(c)}); break;
            default: insert->bind(c + 1, select.getTextView(c)); break;
            }
        }
        insert->run();
        ++rows;
    }
    return rows;
}

std::vector<std::string> hubTables()
{
    std::vector<std::string> tables = {"peer", "meta", "set_dot", "hub_log", "owner_change", "hub_device"};
    for (const auto& e : schema::fieldsyncSchema().entities()) tables.push_back(e.table);
    return tables;
}

// Every log record, in order, as one string per position.
std::vector<std::string> logOf(Connection& db)
{
    std::vector<std::string> out;
    Statement st(db, "SELECT seq, device, device_seq, \"user\", customer, record, received_at FROM hub_log ORDER BY seq");
    while (st.step()) {
        std::string line = std::to_string(st.getInt(0)) + "|" + std::string(st.getBlobView(1)) + "|"
                           + std::to_string(st.getInt(2)) + "|" + st.getText(3) + "|" + st.getText(4) + "|"
                           + st.getText(5) + "|" + std::to_string(st.getInt(6));
        out.push_back(std::move(line));
    }
    return out;
}

std::string accountsOf(Accounts& a)
{
    std::string out;
    for (const auto& t : a.teams()) out += "team " + t + "\n";
    for (const auto& u : a.users())
        out += "user " + u.name + " " + std::string(roleName(u.role)) + " " + u.team.value_or("-") + "\n";
    for (const auto& d : a.devices())
        out += "device " + d.device + " " + d.user + " " + d.name + " " + std::to_string(d.createdAt) + " "
               + std::to_string(d.lastSeen) + " " + (d.revokedAt ? std::to_string(*d.revokedAt) : "-") + "\n";
    return out;
}

} // namespace

Result<MigrateReport> migrateStore(const StoreLocation& from, const StoreLocation& to,
                                   const Accounts::Options& accountOptions)
{
    const auto started = std::chrono::steady_clock::now();
    if (from.kind == to.kind && from.dir == to.dir && from.url == to.url)
        return invalidArgument("--from and --to are the same store");
    if (from.kind == StoreLocation::Kind::Sqlite && storeIsEmpty(from))
        return notFound(from.describe() + " holds no fieldsync data (no hub.db / accounts.db with data)");
    if (!storeIsEmpty(to))
        return failedPrecondition(to.describe() + " already holds data; migrate only fills an empty store");

    MigrateReport report;
    {
        // Bring the source to this build's schema first, so both sides have
        // the same tables and columns.
        auto sourceHub = openHub(from);
        auto sourceAccounts = openAccounts(from, accountOptions);
    }
    {
        // The destination's schema first, hub and accounts alike, so nothing
        // is copied into a store that cannot take all of it.
        auto dstHub = connectStore(to, "hub.db");
        storage::migrate(*dstHub, replica::hubMigrations(dstHub->dialect()));
        openAccounts(to, accountOptions);  // creates the accounts' tables
        // On PostgreSQL hub and accounts share one database: one transaction
        // copies both, so a failure leaves the destination as empty as it
        // was. Two SQLite files commit one after the other.
        std::unique_ptr<Connection> dstAccounts;
        if (to.kind == StoreLocation::Kind::Sqlite) dstAccounts = connectStore(to, "accounts.db");
        auto srcHub = connectStore(from, "hub.db");
        auto srcAccounts = connectStore(from, "accounts.db");
        storage::ReadTransaction hubSnapshot(*srcHub);
        storage::ReadTransaction accountsSnapshot(*srcAccounts);
        storage::Transaction hubTx(*dstHub);
        for (const auto& t : hubTables()) report.rows[t] = copyTable(*srcHub, *dstHub, t);
        Connection& accountsDst = dstAccounts ? *dstAccounts : *dstHub;
        std::optional<storage::Transaction> accountsTx;
        if (dstAccounts) accountsTx.emplace(*dstAccounts);
        for (const char* t : {"team", "user", "device"}) report.rows[t] = copyTable(*srcAccounts, accountsDst, t);
        if (accountsTx) accountsTx->commit();
        hubTx.commit();
    }

    // Verify: both sides, opened as a server would open them, hold the same.
    auto a = openHub(from), b = openHub(to);
    if (a->deviceId() != b->deviceId()) return Error{ErrorCode::Internal, "migrate: the hub's device id differs after the copy"};
    if (a->head() != b->head() || logOf(a->database()) != logOf(b->database()))
        return Error{ErrorCode::Internal, "migrate: the global log differs after the copy"};
    if (a->dump().dump() != b->dump().dump()) return Error{ErrorCode::Internal, "migrate: the merged state differs after the copy"};
    auto accountsA = openAccounts(from, accountOptions), accountsB = openAccounts(to, accountOptions);
    if (accountsOf(*accountsA) != accountsOf(*accountsB))
        return Error{ErrorCode::Internal, "migrate: users, teams or devices differ after the copy"};
    report.head = a->head();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace fieldsync::server
