#include "storage/Statement.h"

#include "storage/Database.h"

#include <sqlite3.h>

#include <utility>

namespace fieldsync::storage {

namespace {

std::string withSql(const std::string& reason, std::string_view sql)
{
    return reason + " (SQL: " + std::string(sql) + ")";
}

// Built before anything else touches the connection, which would overwrite
// SQLite's last error.
StorageError lastError(sqlite3* db, std::string_view sql)
{
    return StorageError(sqlite3_extended_errcode(db), withSql(sqlite3_errmsg(db), sql));
}

std::string_view sqlOf(sqlite3_stmt* stmt)
{
    const char* sql = sqlite3_sql(stmt);
    return sql ? sql : "";
}

// Whitespace and comments compile to no statement at all; anything else
// (another statement, or garbage) is something the caller expected to run.
bool isOnlyTrivia(sqlite3* db, std::string_view rest)
{
    // SQLite stops reading at a NUL byte, which would hide whatever follows it.
    if (rest.find('\0') != std::string_view::npos)
        return false;
    sqlite3_stmt* next = nullptr;
    const int rc = sqlite3_prepare_v3(db, rest.data(), static_cast<int>(rest.size()), 0, &next, nullptr);
    sqlite3_finalize(next);
    return rc == SQLITE_OK && next == nullptr;
}

} // namespace

Statement::Statement(Database& db, std::string_view sql)
    : m_db(&db)
{
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0, &m_stmt, &tail) != SQLITE_OK)
        throw lastError(db.handle(), sql);
    if (!m_stmt)
        throw StorageError(SQLITE_MISUSE, withSql("no SQL statement", sql));
    // A second statement would be silently ignored by sqlite3_prepare: refuse
    // it instead (Database::exec is the way to run several).
    const std::string_view rest = sql.substr(static_cast<size_t>(tail - sql.data()));
    if (!isOnlyTrivia(db.handle(), rest)) {
        sqlite3_finalize(std::exchange(m_stmt, nullptr));
        throw StorageError(SQLITE_MISUSE, withSql("more than one SQL statement", sql));
    }
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

namespace {

void checkBind(int rc, sqlite3_stmt* stmt)
{
    if (rc != SQLITE_OK)
        throw lastError(sqlite3_db_handle(stmt), sqlOf(stmt));
}

} // namespace

Statement& Statement::bind(int index, std::nullptr_t)
{
    checkBind(sqlite3_bind_null(m_stmt, index), m_stmt);
    return *this;
}

Statement& Statement::bind(int index, int64_t value)
{
    checkBind(sqlite3_bind_int64(m_stmt, index, value), m_stmt);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    checkBind(sqlite3_bind_double(m_stmt, index, value), m_stmt);
    return *this;
}

// SQLite binds a null pointer as NULL, and an empty string_view may well have
// one; "" keeps an empty value empty rather than NULL.
Statement& Statement::bind(int index, std::string_view text)
{
    checkBind(sqlite3_bind_text64(m_stmt, index, text.data() ? text.data() : "", text.size(),
                                  SQLITE_TRANSIENT, SQLITE_UTF8),
              m_stmt);
    return *this;
}

Statement& Statement::bind(int index, Blob blob)
{
    checkBind(sqlite3_bind_blob64(m_stmt, index, blob.bytes.data() ? blob.bytes.data() : "", blob.bytes.size(),
                                  SQLITE_TRANSIENT),
              m_stmt);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    StorageError error = lastError(m_db->handle(), sqlOf(m_stmt));
    // Leaves the statement ready for another attempt (e.g. after SQLITE_BUSY
    // or a constraint violation), with its bindings.
    sqlite3_reset(m_stmt);
    throw error;
}

void Statement::run()
{
    const bool returnedRow = step();
    // Reset either way: SQLite refuses new bindings on a statement that has
    // run until it is reset, and bind-run-bind-run is the common use.
    sqlite3_reset(m_stmt);
    if (returnedRow)
        throw StorageError(SQLITE_MISUSE, withSql("statement returned a row where none was expected", sqlOf(m_stmt)));
}

// sqlite3_reset repeats the error of the last step, which step() has already
// thrown, so its result is ignored here.
void Statement::reset()
{
    sqlite3_reset(m_stmt);
}

void Statement::clearBindings()
{
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

bool Statement::isNull(int column) const
{
    return columnType(column) == SQLITE_NULL;
}

int64_t Statement::getInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::getDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::getText(int column) const
{
    return std::string(getTextView(column));
}

// The pointer must be fetched before the size: sqlite3_column_bytes reports
// the size of the value in the form the previous call converted it to.
std::string_view Statement::getTextView(int column) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return text ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)))
                : std::string_view();
}

std::string_view Statement::getBlobView(int column) const
{
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    return bytes ? std::string_view(bytes, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string_view();
}

int Statement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

const char* Statement::sql() const
{
    return sqlite3_sql(m_stmt);
}

UsingStatement::UsingStatement(Database& db, std::string_view sql)
    : m_stmt(db.cached(sql))
{
}

UsingStatement::~UsingStatement()
{
    m_stmt.reset();
    m_stmt.clearBindings();
}

} // namespace fieldsync::storage
