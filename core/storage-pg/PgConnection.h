// PgConnection: a storage::Connection (storage/Connection.h) over libpq, so
// the hub and the accounts run unchanged on PostgreSQL.
//
// How SQL written for both engines runs here:
//   * `?` and `?N` parameters become $1, $2, ... (outside quoted text);
//   * every statement is prepared on the server once per connection, on its
//     first run, with the parameter types of that run: BYTEA for a Blob,
//     "unknown" (the server infers it from the column or operator) for the
//     rest, which are sent as text. A later run with a different mix of
//     blobs prepares it again under a new name;
//   * results come back as text and are converted on read: getInt parses
//     the digits ("t"/"f" for booleans), getBlobView decodes BYTEA's hex form;
//   * columnType follows the column's type (BIGINT -> kInteger, DOUBLE
//     PRECISION -> kFloat, BYTEA -> kBlob, anything else kText), kNull for NULL.
// A result is held whole (PQexecPrepared), then stepped row by row: pulls are
// paged, so no query of the hub returns more than a page at a time except the
// dumps, which read everything anyway.
//
// Write transactions take pg_advisory_xact_lock(kWriterLock): one writer at
// a time in the whole database, across processes, exactly as SQLite's file
// lock gives on one machine. The hub's global sequence relies on it
// (docs/scale-out.md): positions are assigned under the lock, so they commit
// in order and a reader never sees position N+1 without N.
//
// LISTEN/NOTIFY: listen(), socket() and notifications() are enough for a
// caller to wait on the socket (poll) and read what arrived.
#pragma once

#include "storage/Connection.h"

#include <optional>
#include <string>
#include <vector>

struct pg_conn;

namespace fieldsync::storage::pg {

// The advisory lock key of write transactions ("fieldsyn" in ASCII).
inline constexpr int64_t kWriterLock = 0x6669656c6473796e;

struct Notification {
    std::string channel, payload;
    int senderPid = 0;
};

class PgConnection final : public Connection {
public:
    // `url`: postgres://user:password@host:port/database?... or a libpq
    // "key=value" string. Throws StorageError if it cannot connect.
    explicit PgConnection(const std::string& url);
    ~PgConnection() override;

    Dialect dialect() const override { return Dialect::Postgres; }
    void exec(std::string_view sql) override;
    std::unique_ptr<StatementImpl> prepare(std::string_view sql) override;
    int changes() const override { return m_changes; }
    bool inTransaction() const override;
    void begin(Begin kind) override;
    void commit() override;
    void rollback() override;
    int userVersion() override;
    void setUserVersion(int version) override;
    bool hasTable(std::string_view name) override;
    const std::string& path() const override { return m_description; }

    // LISTEN on `channel` (an identifier: letters, digits, '_').
    void listen(const std::string& channel);
    // Sends NOTIFY channel, payload (delivered at commit when in a transaction).
    void notify(const std::string& channel, const std::string& payload);
    int socket() const;
    // Reads what the server sent (call when socket() is readable) and returns
    // the notifications received so far. Throws if the connection is lost.
    std::vector<Notification> notifications();
    int backendPid() const;

    // Reconnects a connection the server or the network dropped (PQreset);
    // throws if it cannot. Called before every command, so a long-lived
    // connection survives a PostgreSQL restart: the command in flight fails,
    // the next one runs on the new connection. generation() counts resets
    // (server-side prepared statements do not survive one).
    void ensureConnected();
    uint64_t generation() const { return m_generation; }

    // Internal: used by statements to report their row counts.
    void noteChanges(int rows) { m_changes = rows; }
    pg_conn* handle() const { return m_conn; }
    std::string nextStatementName();

private:
    pg_conn* m_conn = nullptr;
    std::string m_description;
    int m_changes = 0;
    uint64_t m_statements = 0;
    uint64_t m_generation = 0;
};

// "postgres://" or "postgresql://" (what --store accepts for this engine).
bool isPostgresUrl(std::string_view url);
// The address without its password (in the URL's user info, its
// ?password= parameter, or libpq's key=value form), for messages and logs.
std::string redactUrl(const std::string& url);

} // namespace fieldsync::storage::pg
