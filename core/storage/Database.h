// The only code in fieldsync that calls sqlite3_*. Everything above it talks to
// SQLite through these types:
//   Database       one connection (WAL, busy timeout, statement cache); a
//                  storage::Connection (Connection.h), as PostgreSQL's is
//   Statement      one prepared statement (RAII, typed bind/get)
//   Transaction    BEGIN IMMEDIATE ... rolls back unless commit() was called
//   UsingStatement a guard that resets a cached statement when the scope ends
// Errors are exceptions (StorageError): inside the core, I/O failures are not
// expected outcomes. A Database and its statements belong to one thread.
#pragma once

#include "storage/Connection.h"
#include "storage/Encryption.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;

namespace fieldsync::storage {

class Database final : public Connection {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    // Opens (or creates) the file. Turns on WAL journaling (except for
    // ":memory:"), synchronous=NORMAL (durable at checkpoint, never corrupt),
    // foreign keys, and a busy timeout so a second connection waits instead of
    // failing at once. With a key the file is encrypted (Encryption.h; a new
    // file from its first page); a wrong key, or none for an encrypted file,
    // throws StorageError (SQLITE_NOTADB) saying so, and changes nothing.
    explicit Database(const std::string& path, Mode mode = Mode::ReadWriteCreate, int busyTimeoutMs = 5000,
                      const std::optional<EncryptionKey>& key = std::nullopt);
    ~Database() override;

    Dialect dialect() const override { return Dialect::Sqlite; }
    void exec(std::string_view sql) override;
    std::unique_ptr<StatementImpl> prepare(std::string_view sql) override;

    int64_t lastInsertRowid() const;
    int changes() const override;
    bool inTransaction() const override;
    void begin(Begin kind) override;
    void commit() override;
    void rollback() override;
    bool hasTable(std::string_view name) override;

    // Changes whenever another connection commits to the file (PRAGMA
    // data_version): a cheap way to know cached state may be stale.
    int64_t dataVersion();

    int userVersion() override;
    void setUserVersion(int version) override;

    const std::string& path() const override { return m_path; }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

} // namespace fieldsync::storage
