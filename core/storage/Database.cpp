#include "storage/Database.h"
#include "storage/Cipher.h"

#include "storage/SqliteStatement.h"
#include "storage/Statement.h"

#include <sqlite3.h>

#include <cassert>

namespace fieldsync::storage {

StorageError::StorageError(int code, const std::string& message)
    : std::runtime_error(message)
    , m_code(code)
{
}

Connection::~Connection() = default;

void Connection::clearCache()
{
    m_cache.clear();
}

Statement& Connection::cached(std::string_view sql)
{
    std::string key(sql);
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
        auto statement = std::make_unique<Statement>(*this, sql); // may throw: nothing cached then
        it = m_cache.emplace(std::move(key), std::move(statement)).first;
    }
    return *it->second;
}

namespace {

int openFlags(Database::Mode mode)
{
    switch (mode) {
    case Database::Mode::ReadWriteCreate:
        return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    case Database::Mode::ReadWrite:
        return SQLITE_OPEN_READWRITE;
    case Database::Mode::ReadOnly:
        break;
    }
    return SQLITE_OPEN_READONLY;
}

bool isInMemory(const std::string& path)
{
    return path.empty() || path == ":memory:";
}

} // namespace

Database::Database(const std::string& path, Mode mode, int busyTimeoutMs, const std::optional<EncryptionKey>& key)
    : m_path(path)
{
    // NOMUTEX: a connection belongs to one thread, so SQLite's per-connection
    // mutex would only cost time.
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, openFlags(mode) | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        // Even a failed open usually hands back a handle (it carries the error
        // text), and that handle still has to be closed.
        const int code = m_db ? sqlite3_extended_errcode(m_db) : rc;
        const std::string reason = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        throw StorageError(code, "cannot open database '" + path + "': " + reason);
    }

    try {
        // First, so that switching to WAL (which needs a lock) already waits
        // for another connection instead of failing.
        sqlite3_busy_timeout(m_db, busyTimeoutMs);
        if (key) {
            if (keyConnection(m_db, *key, CipherScheme::Aegis256) != SQLITE_OK)
                throw StorageError(sqlite3_extended_errcode(m_db), sqlite3_errmsg(m_db));
        }
        // The first read: where a wrong key, or no key for an encrypted file, shows.
        if (sqlite3_exec(m_db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) != SQLITE_OK) {
            const int code = sqlite3_extended_errcode(m_db);
            if ((code & 0xff) != SQLITE_NOTADB) throw StorageError(code, sqlite3_errmsg(m_db));
            throw StorageError(code, key ? "this key does not open it (the key of another file, or the file is "
                                           "damaged); nothing was changed"
                                         : "it is encrypted, or not a database: open it with its key");
        }
        // A read-only connection cannot change the journal mode; it uses
        // whatever the file already has.
        if (mode != Mode::ReadOnly && !isInMemory(path)) {
            Statement wal(*this, "PRAGMA journal_mode=WAL");
            wal.step();
            // SQLite answers with the mode it ended up in rather than failing
            // (e.g. on file systems without shared memory). Readers blocking
            // the writer would break the engine's assumptions, so refuse.
            if (wal.getTextView(0) != "wal")
                throw StorageError(SQLITE_ERROR, "cannot enable WAL journaling (got '" + wal.getText(0) + "')");
        }
        exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
    } catch (const StorageError& e) {
        sqlite3_close(m_db);
        throw StorageError(e.code(), "cannot open database '" + path + "': " + e.what());
    } catch (...) {
        sqlite3_close(m_db);
        throw;
    }
}

Database::~Database()
{
    // sqlite3_close refuses while any statement is alive, so the cache goes first.
    clearCache();
    if (sqlite3_close(m_db) != SQLITE_OK) {
        // Only possible if a caller's Statement outlived its Database. Catch it
        // in debug builds; in release let SQLite close the connection once that
        // statement is finalized instead of leaking the file.
        assert(!"a Statement outlived its Database");
        sqlite3_close_v2(m_db);
    }
}

void Database::exec(std::string_view sql)
{
    const std::string text(sql); // sqlite3_exec wants a terminated string
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string reason = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw StorageError(sqlite3_extended_errcode(m_db), reason + " (SQL: " + text + ")");
    }
}

std::unique_ptr<StatementImpl> Database::prepare(std::string_view sql)
{
    return prepareSqlite(*this, sql);
}

void Database::begin(Begin kind)
{
    // IMMEDIATE takes the write lock up front, so a write transaction never
    // fails half-way with SQLITE_BUSY on its first write.
    exec(kind == Begin::Write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

void Database::commit()
{
    exec("COMMIT");
}

void Database::rollback()
{
    exec("ROLLBACK");
}

bool Database::hasTable(std::string_view name)
{
    Statement st(*this, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    st.bind(1, name);
    return st.step();
}

int64_t Database::lastInsertRowid() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

int64_t Database::dataVersion()
{
    Statement& st = cached("PRAGMA data_version");
    UsingStatement guard(st);
    if (!st.step()) throw StorageError(SQLITE_ERROR, "PRAGMA data_version returned no row");
    return st.getInt(0);
}

int Database::userVersion()
{
    Statement query(*this, "PRAGMA user_version");
    query.step();
    return static_cast<int>(query.getInt(0));
}

void Database::setUserVersion(int version)
{
    // PRAGMA arguments cannot be bound parameters.
    exec("PRAGMA user_version = " + std::to_string(version));
}

} // namespace fieldsync::storage
