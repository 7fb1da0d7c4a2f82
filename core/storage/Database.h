// The only code in fieldsync that calls sqlite3_*. Everything above it talks to
// SQLite through these types:
//   Database       one connection (WAL, busy timeout, statement cache)
//   Statement      one prepared statement (RAII, typed bind/get)
//   Transaction    BEGIN IMMEDIATE ... rolls back unless commit() was called
//   UsingStatement a guard that resets a cached statement when the scope ends
// Errors are exceptions (StorageError): inside the core, I/O failures are not
// expected outcomes. A Database and its statements belong to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;

namespace fieldsync::storage {

class Statement;

class StorageError : public std::runtime_error {
public:
    StorageError(int code, const std::string& message);
    // The SQLite result code (primary code in the low byte), e.g. SQLITE_BUSY.
    int code() const { return m_code; }

private:
    int m_code;
};

class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    // Opens (or creates) the file. Turns on WAL journaling (except for
    // ":memory:"), synchronous=NORMAL (durable at checkpoint, never corrupt),
    // foreign keys, and a busy timeout so a second connection waits instead of
    // failing at once.
    explicit Database(const std::string& path, Mode mode = Mode::ReadWriteCreate,
                      int busyTimeoutMs = 5000);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements that return no rows (DDL, PRAGMA, ...).
    void exec(std::string_view sql);

    // A statement prepared once per connection and kept for its lifetime,
    // keyed by its SQL text. Use it through UsingStatement so it is reset.
    Statement& cached(std::string_view sql);

    int64_t lastInsertRowid() const;
    int changes() const;            // rows changed by the last statement
    bool inTransaction() const;

    // Changes whenever another connection commits to the file (PRAGMA
    // data_version): a cheap way to know cached state may be stale.
    int64_t dataVersion();

    int userVersion();
    void setUserVersion(int version);

    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
    std::unordered_map<std::string, std::unique_ptr<Statement>> m_cache;
};

} // namespace fieldsync::storage
