// A prepared statement: compiled in the constructor, finalized in the
// destructor, movable, not copyable. Parameters are 1-based (SQLite's
// convention), columns 0-based. Like its Connection, one thread at a time.
// The engine's side is a StatementImpl (storage/Connection.h).
#pragma once

#include "storage/Connection.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync::storage {

// A byte string bound or read as a BLOB (not TEXT).
struct Blob {
    std::string_view bytes;
};

class Statement {
public:
    Statement(Connection& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::nullptr_t);
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);     // copied (SQLITE_TRANSIENT)
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, Blob blob);                // copied
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value)
    {
        return value ? bind(index, *value) : bind(index, nullptr);
    }

    // Advances; true while a row is available, false when done. Throws on error.
    bool step();
    // Steps a statement that must not return rows (INSERT/UPDATE/DELETE).
    void run();
    void reset();          // ready to step again; bindings kept
    void clearBindings();

    int columnCount() const;
    bool isNull(int column) const;
    int64_t getInt(int column) const;
    double getDouble(int column) const;
    std::string getText(int column) const;
    std::string_view getTextView(int column) const;  // valid until the next step/reset
    std::string_view getBlobView(int column) const;  // valid until the next step/reset
    // kInteger, kFloat, kText, kBlob or kNull (SQLite's SQLITE_INTEGER, ...).
    int columnType(int column) const;
    std::string columnName(int column) const;

    const char* sql() const;

private:
    std::unique_ptr<StatementImpl> m_impl;
};

// Resets (and clears the bindings of) a cached statement when the scope ends,
// however it ends, so a half-stepped statement never holds a read lock.
class UsingStatement {
public:
    explicit UsingStatement(Statement& statement) : m_stmt(statement) {}
    UsingStatement(Connection& db, std::string_view sql);
    ~UsingStatement();
    UsingStatement(const UsingStatement&) = delete;
    UsingStatement& operator=(const UsingStatement&) = delete;

    Statement* operator->() { return &m_stmt; }
    Statement& operator*() { return m_stmt; }

private:
    Statement& m_stmt;
};

} // namespace fieldsync::storage
