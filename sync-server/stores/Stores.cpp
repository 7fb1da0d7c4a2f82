#include "stores/Stores.h"

#include "storage-pg/PgConnection.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <filesystem>

namespace fieldsync::server {

std::string StoreLocation::describe() const
{
    return kind == Kind::Sqlite ? "sqlite:" + dir : storage::pg::redactUrl(url);
}

Result<StoreLocation> parseStore(const std::string& text)
{
    StoreLocation s;
    if (storage::pg::isPostgresUrl(text)) {
        s.kind = StoreLocation::Kind::Postgres;
        s.url = text;
        return s;
    }
    if (text.starts_with("sqlite:") && text.size() > 7) {
        s.dir = text.substr(7);
        return s;
    }
    return invalidArgument("--store \"" + text + "\" is neither sqlite:DIR nor postgres://USER@HOST:PORT/DATABASE");
}

std::unique_ptr<storage::Connection> connectStore(const StoreLocation& store, const std::string& file)
{
    if (store.kind == StoreLocation::Kind::Postgres) return std::make_unique<storage::pg::PgConnection>(store.url);
    std::filesystem::create_directories(store.dir);
    return std::make_unique<storage::Database>(store.dir + "/" + file);
}

std::unique_ptr<replica::Hub> openHub(const StoreLocation& store, replica::Hub::Options options)
{
    return replica::Hub::open(connectStore(store, "hub.db"), std::move(options));
}

std::unique_ptr<Accounts> openAccounts(const StoreLocation& store, Accounts::Options options)
{
    return std::make_unique<Accounts>(connectStore(store, "accounts.db"), std::move(options));
}

std::function<std::unique_ptr<replica::Hub>()> hubReaders(const StoreLocation& store)
{
    if (store.kind == StoreLocation::Kind::Sqlite) {
        const std::string path = store.dir + "/hub.db";
        return [path] { return replica::Hub::openReader(path); };
    }
    return [url = store.url] {
        auto connection = std::make_unique<storage::pg::PgConnection>(url);
        // A reader writes only hub_device.served (Hub::noteServed), which
        // bounds what a device may claim to have seen: losing the last ones
        // in a database crash costs at most a conflict entry for an edit
        // that was not concurrent; waiting for their flush on every pull
        // would cost every pull.
        connection->exec("SET synchronous_commit TO off");
        return replica::Hub::openReader(std::move(connection));
    };
}

bool storeIsEmpty(const StoreLocation& store)
{
    if (store.kind == StoreLocation::Kind::Sqlite) {
        namespace fs = std::filesystem;
        if (!fs::exists(store.dir + "/hub.db") && !fs::exists(store.dir + "/accounts.db")) return true;
    }
    auto rows = [&](const std::string& file, const char* table) {
        auto db = connectStore(store, file);
        if (!db->hasTable(table)) return int64_t{0};
        storage::Statement st(*db, std::string("SELECT count(*) FROM \"") + table + "\"");
        st.step();
        return st.getInt(0);
    };
    // Teams count too: seed-demo and migrate would otherwise add theirs to
    // a store that already has some, and fail half-way on the same name.
    return rows("hub.db", "hub_log") == 0 && rows("accounts.db", "user") == 0 && rows("accounts.db", "team") == 0;
}

} // namespace fieldsync::server
