#include "storage/Statement.h"

#include "storage/Database.h"
#include "storage/SqliteStatement.h"

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

// SQLite's side of a Statement.
class SqliteStatement final : public StatementImpl {
public:
    SqliteStatement(Database& db, std::string_view sql);
    ~SqliteStatement() override { sqlite3_finalize(m_stmt); }

    void bindNull(int index) override { checkBind(sqlite3_bind_null(m_stmt, index)); }
    void bindInt(int index, int64_t value) override { checkBind(sqlite3_bind_int64(m_stmt, index, value)); }
    void bindDouble(int index, double value) override { checkBind(sqlite3_bind_double(m_stmt, index, value)); }
    // SQLite binds a null pointer as NULL, and an empty string_view may well
    // have one; "" keeps an empty value empty rather than NULL.
    void bindText(int index, std::string_view text) override
    {
        checkBind(sqlite3_bind_text64(m_stmt, index, text.data() ? text.data() : "", text.size(), SQLITE_TRANSIENT,
                                      SQLITE_UTF8));
    }
    void bindBlob(int index, std::string_view bytes) override
    {
        checkBind(sqlite3_bind_blob64(m_stmt, index, bytes.data() ? bytes.data() : "", bytes.size(), SQLITE_TRANSIENT));
    }

    bool step() override
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        StorageError error = lastError(m_db->handle(), sqlOf(m_stmt));
        // Leaves the statement ready for another attempt (e.g. after
        // SQLITE_BUSY or a constraint violation), with its bindings.
        sqlite3_reset(m_stmt);
        throw error;
    }
    // sqlite3_reset repeats the error of the last step, which step() has
    // already thrown, so its result is ignored here.
    void reset() override { sqlite3_reset(m_stmt); }
    void clearBindings() override { sqlite3_clear_bindings(m_stmt); }

    int columnCount() const override { return sqlite3_column_count(m_stmt); }
    int columnType(int column) const override { return sqlite3_column_type(m_stmt, column); }
    std::string columnName(int column) const override
    {
        const char* name = sqlite3_column_name(m_stmt, column);
        return name ? name : "";
    }
    int64_t getInt(int column) const override { return sqlite3_column_int64(m_stmt, column); }
    double getDouble(int column) const override { return sqlite3_column_double(m_stmt, column); }
    // The pointer must be fetched before the size: sqlite3_column_bytes
    // reports the size of the value in the form the previous call converted it to.
    std::string_view getTextView(int column) const override
    {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        return text ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)))
                    : std::string_view();
    }
    std::string_view getBlobView(int column) const override
    {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
        return bytes ? std::string_view(bytes, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)))
                     : std::string_view();
    }
    const char* sql() const override { return sqlite3_sql(m_stmt); }

private:
    void checkBind(int rc)
    {
        if (rc != SQLITE_OK) throw lastError(sqlite3_db_handle(m_stmt), sqlOf(m_stmt));
    }

    Database* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

SqliteStatement::SqliteStatement(Database& db, std::string_view sql)
    : m_db(&db)
{
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0, &m_stmt, &tail) != SQLITE_OK)
        throw lastError(db.handle(), sql);
    if (!m_stmt)
        throw StorageError(SQLITE_MISUSE, withSql("no SQL statement", sql));
    // A second statement would be silently ignored by sqlite3_prepare: refuse
    // it instead (Connection::exec is the way to run several).
    const std::string_view rest = sql.substr(static_cast<size_t>(tail - sql.data()));
    if (!isOnlyTrivia(db.handle(), rest)) {
        sqlite3_finalize(std::exchange(m_stmt, nullptr));
        throw StorageError(SQLITE_MISUSE, withSql("more than one SQL statement", sql));
    }
}

} // namespace

std::unique_ptr<StatementImpl> prepareSqlite(Database& db, std::string_view sql)
{
    return std::make_unique<SqliteStatement>(db, sql);
}

Statement::Statement(Connection& db, std::string_view sql)
    : m_impl(db.prepare(sql))
{
}

Statement::~Statement() = default;
Statement::Statement(Statement&& other) noexcept = default;
Statement& Statement::operator=(Statement&& other) noexcept = default;

Statement& Statement::bind(int index, std::nullptr_t)
{
    m_impl->bindNull(index);
    return *this;
}

Statement& Statement::bind(int index, int64_t value)
{
    m_impl->bindInt(index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    m_impl->bindDouble(index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    m_impl->bindText(index, text);
    return *this;
}

Statement& Statement::bind(int index, Blob blob)
{
    m_impl->bindBlob(index, blob.bytes);
    return *this;
}

bool Statement::step()
{
    return m_impl->step();
}

void Statement::run()
{
    const bool returnedRow = m_impl->step();
    // Reset either way: SQLite refuses new bindings on a statement that has
    // run until it is reset, and bind-run-bind-run is the common use.
    m_impl->reset();
    if (returnedRow)
        throw StorageError(kErrorMisuse, "statement returned a row where none was expected (SQL: "
                                             + std::string(m_impl->sql()) + ")");
}

void Statement::reset()
{
    m_impl->reset();
}

void Statement::clearBindings()
{
    m_impl->clearBindings();
}

int Statement::columnCount() const
{
    return m_impl->columnCount();
}

bool Statement::isNull(int column) const
{
    return m_impl->columnType(column) == kNull;
}

int64_t Statement::getInt(int column) const
{
    return m_impl->getInt(column);
}

double Statement::getDouble(int column) const
{
    return m_impl->getDouble(column);
}

std::string Statement::getText(int column) const
{
    return std::string(m_impl->getTextView(column));
}

std::string_view Statement::getTextView(int column) const
{
    return m_impl->getTextView(column);
}

std::string_view Statement::getBlobView(int column) const
{
    return m_impl->getBlobView(column);
}

int Statement::columnType(int column) const
{
    return m_impl->columnType(column);
}

std::string Statement::columnName(int column) const
{
    return m_impl->columnName(column);
}

const char* Statement::sql() const
{
    return m_impl ? m_impl->sql() : nullptr;  // null once moved from
}

UsingStatement::UsingStatement(Connection& db, std::string_view sql)
    : m_stmt(db.cached(sql))
{
}

UsingStatement::~UsingStatement()
{
    m_stmt.reset();
    m_stmt.clearBindings();
}

} // namespace fieldsync::storage
