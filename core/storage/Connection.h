// Connection: what the code above storage needs from a SQL database, whichever
// engine holds it. Two implementations:
//   Database            SQLite (this folder): every device, and the server's
//                       default store;
//   pg::PgConnection    PostgreSQL (core/storage-pg): the server's store when
//                       several server instances share one database.
// Code that runs on both (the hub, the server's accounts) takes a Connection&
// and writes SQL both engines accept: `?` parameters (the PostgreSQL side
// numbers them), ON CONFLICT upserts, quoted identifiers for reserved words
// ("user", "row"). Where the engines differ (DDL, index hints) it asks
// dialect(). Device-only code keeps using Database.
//
// Transactions (storage/Transaction.h) map to:
//   write   SQLite: BEGIN IMMEDIATE (the one writer lock of the file).
//           PostgreSQL: BEGIN + a transaction-scoped advisory lock, so writers
//           queue exactly as they do on SQLite, across every server instance.
//   read    a snapshot: SQLite BEGIN DEFERRED in WAL mode; PostgreSQL
//           REPEATABLE READ, READ ONLY.
// A Connection and its statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fieldsync::storage {

class Statement;

enum class Dialect { Sqlite, Postgres };

// Column types as Statement::columnType reports them (SQLite's numbers).
enum ColumnType : int { kInteger = 1, kFloat = 2, kText = 3, kBlob = 4, kNull = 5 };

// Result codes used by StorageError beyond an engine's own.
inline constexpr int kErrorGeneric = 1;  // SQLITE_ERROR
inline constexpr int kErrorMisuse = 21;  // SQLITE_MISUSE: a bug in the caller

class StorageError : public std::runtime_error {
public:
    StorageError(int code, const std::string& message);
    // SQLite: the result code (primary code in the low byte), e.g. SQLITE_BUSY.
    // PostgreSQL: kErrorGeneric or kErrorMisuse; the SQLSTATE is in the message.
    int code() const { return m_code; }

private:
    int m_code;
};

// One prepared statement of an engine. Parameters 1-based, columns 0-based.
class StatementImpl {
public:
    virtual ~StatementImpl() = default;
    virtual void bindNull(int index) = 0;
    virtual void bindInt(int index, int64_t value) = 0;
    virtual void bindDouble(int index, double value) = 0;
    virtual void bindText(int index, std::string_view text) = 0;
    virtual void bindBlob(int index, std::string_view bytes) = 0;
    // True while a row is available. On an error: throws, and the statement
    // is ready to run again with its bindings.
    virtual bool step() = 0;
    virtual void reset() = 0;
    virtual void clearBindings() = 0;
    virtual int columnCount() const = 0;
    virtual int columnType(int column) const = 0;
    virtual std::string columnName(int column) const = 0;
    virtual int64_t getInt(int column) const = 0;
    virtual double getDouble(int column) const = 0;
    virtual std::string_view getTextView(int column) const = 0;
    virtual std::string_view getBlobView(int column) const = 0;
    virtual const char* sql() const = 0;
};

class Connection {
public:
    virtual ~Connection();
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    virtual Dialect dialect() const = 0;
    // Runs one or more statements that return no rows (DDL, PRAGMA, ...).
    virtual void exec(std::string_view sql) = 0;
    // Compiles one statement; use Statement or cached() rather than this.
    virtual std::unique_ptr<StatementImpl> prepare(std::string_view sql) = 0;

    // A statement prepared once per connection and kept for its lifetime,
    // keyed by its SQL text. Use it through UsingStatement so it is reset.
    Statement& cached(std::string_view sql);

    virtual int changes() const = 0;  // rows changed by the last statement
    virtual bool inTransaction() const = 0;

    enum class Begin { Write, Read };
    // Used by Transaction and ReadTransaction.
    virtual void begin(Begin kind) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;

    // The schema version of the file (SQLite: PRAGMA user_version;
    // PostgreSQL: table _user_version), for storage::migrate.
    virtual int userVersion() = 0;
    virtual void setUserVersion(int version) = 0;
    virtual bool hasTable(std::string_view name) = 0;

    // The file name, or the database's address without its password.
    virtual const std::string& path() const = 0;

protected:
    // Statements must go before the engine's handle does.
    void clearCache();

private:
    std::unordered_map<std::string, std::unique_ptr<Statement>> m_cache;
};

} // namespace fieldsync::storage
