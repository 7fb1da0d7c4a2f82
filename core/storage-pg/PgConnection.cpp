#include "storage-pg/PgConnection.h"

#include "storage/Statement.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace fieldsync::storage::pg {

namespace {

// Type OIDs of the built-in types (pg_type.h), which never change.
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

std::string errorText(PGconn* conn, const PGresult* result)
{
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (result)
        if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) message += " [SQLSTATE " + std::string(state) + "]";
    return message;
}

// The rows a command wrote, or -1 if it was not a write: changes() counts
// INSERT, UPDATE and DELETE only, as SQLite's does, so a query run between a
// write and the caller's check of changes() does not reset it.
int writtenRows(PGresult* r)
{
    const char* status = PQcmdStatus(r);
    if (!status) return -1;
    const std::string_view command(status);
    if (!command.starts_with("INSERT ") && !command.starts_with("UPDATE ") && !command.starts_with("DELETE ")
        && !command.starts_with("MERGE "))
        return -1;
    const char* affected = PQcmdTuples(r);
    return affected && *affected ? std::atoi(affected) : 0;
}

// `?` and `?N` outside quotes become `$N`.
std::string numberParameters(std::string_view sql, int& count)
{
    std::string out;
    out.reserve(sql.size() + 8);
    count = 0;
    char quote = 0;
    for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            out += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out += c;
            continue;
        }
        if (c != '?') {
            out += c;
            continue;
        }
        size_t j = i + 1;
        int number = 0;
        while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') number = number * 10 + (sql[j++] - '0');
        if (j == i + 1) number = count + 1;
        count = std::max(count, number);
        out += '$' + std::to_string(number);
        i = j - 1;
    }
    return out;
}

class PgStatement final : public StatementImpl {
public:
    PgStatement(PgConnection& db, std::string_view sql) : m_db(db), m_source(sql)
    {
        m_sql = numberParameters(sql, m_count);
        m_params.resize(static_cast<size_t>(m_count));
    }
    ~PgStatement() override
    {
        reset();
        if (m_described) PQclear(m_described);
        // Free the server's copies; a failure (an aborted transaction) only
        // leaves them until the connection closes.
        for (const auto& [signature, name] : m_names) PQclear(PQexec(m_db.handle(), ("DEALLOCATE " + name).c_str()));
    }

    void bindNull(int index) override { param(index) = Param{}; }
    void bindInt(int index, int64_t value) override { param(index) = Param{true, false, std::to_string(value)}; }
    void bindDouble(int index, double value) override
    {
        std::string text;
        if (std::isnan(value)) text = "NaN";
        else if (std::isinf(value)) text = value > 0 ? "Infinity" : "-Infinity";
        else {
            char buffer[32];
            auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;  // shortest exact form
            text.assign(buffer, end);
        }
        param(index) = Param{true, false, std::move(text)};
    }
    void bindText(int index, std::string_view text) override { param(index) = Param{true, false, std::string(text)}; }
    void bindBlob(int index, std::string_view bytes) override { param(index) = Param{true, true, std::string(bytes)}; }

    bool step() override
    {
        if (!m_result) execute();
        return ++m_row < PQntuples(m_result);
    }
    void reset() override
    {
        if (m_result) PQclear(m_result);
        m_result = nullptr;
        m_row = -1;
    }
    void clearBindings() override
    {
        for (auto& p : m_params) p = Param{};
    }

    int columnCount() const override
    {
        if (!m_result) const_cast<PgStatement*>(this)->describe();
        return PQnfields(m_result ? m_result : m_described);
    }
    int columnType(int column) const override
    {
        if (PQgetisnull(m_result, m_row, column)) return kNull;
        switch (PQftype(m_result, column)) {
        case kBool: case kInt8: case kInt2: case kInt4: case kOid: return kInteger;
        case kFloat4: case kFloat8: case kNumeric: return kFloat;
        case kBytea: return kBlob;
        default: return kText;
        }
    }
    std::string columnName(int column) const override
    {
        if (!m_result) const_cast<PgStatement*>(this)->describe();
        const char* name = PQfname(m_result ? m_result : m_described, column);
        return name ? name : "";
    }
    int64_t getInt(int column) const override
    {
        std::string_view text = value(column);
        if (text.empty()) return 0;
        if (text == "t") return 1;
        if (text == "f") return 0;
        int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc() && end == text.data() + text.size()) return v;
        return static_cast<int64_t>(getDouble(column));
    }
    double getDouble(int column) const override
    {
        std::string text(value(column));
        if (text.empty()) return 0;
        if (text == "t") return 1;
        if (text == "f") return 0;
        return std::strtod(text.c_str(), nullptr);  // also reads NaN and Infinity
    }
    std::string_view getTextView(int column) const override { return value(column); }
    std::string_view getBlobView(int column) const override
    {
        std::string_view text = value(column);
        if (PQftype(m_result, column) != kBytea) return text;
        if (text.size() < 2 || text[0] != '\\' || text[1] != 'x')
            throw StorageError(kErrorGeneric, "unexpected BYTEA text form (SQL: " + m_source + ")");
        auto& out = m_blobs[column];
        out.clear();
        out.reserve((text.size() - 2) / 2);
        auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
        for (size_t i = 2; i + 1 < text.size(); i += 2)
            out.push_back(static_cast<char>(nibble(text[i]) << 4 | nibble(text[i + 1])));
        return out;
    }
    const char* sql() const override { return m_source.c_str(); }

private:
    struct Param {
        bool set = false;  // false: NULL
        bool blob = false;
        std::string bytes;
    };
    Param& param(int index)
    {
        if (index < 1 || index > m_count)
            throw StorageError(kErrorMisuse, "parameter " + std::to_string(index) + " out of range (SQL: " + m_source + ")");
        return m_params[static_cast<size_t>(index - 1)];
    }
    std::string_view value(int column) const
    {
        if (!m_result || m_row < 0 || m_row >= PQntuples(m_result))
            throw StorageError(kErrorMisuse, "no current row (SQL: " + m_source + ")");
        if (PQgetisnull(m_result, m_row, column)) return {};
        return {PQgetvalue(m_result, m_row, column), static_cast<size_t>(PQgetlength(m_result, m_row, column))};
    }
    // The name this statement is prepared under for the current parameter
    // types (which parameters are BYTEA), preparing it if needed.
    const std::string& prepared()
    {
        // A connection that was lost and reset has none of our statements.
        m_db.ensureConnected();
        if (m_generation != m_db.generation()) {
            m_names.clear();
            if (m_described) PQclear(m_described);
            m_described = nullptr;
            m_generation = m_db.generation();
        }
        std::string signature;
        for (const auto& p : m_params) signature += p.blob ? 'b' : '-';
        auto it = m_names.find(signature);
        if (it != m_names.end()) return it->second;
        std::vector<Oid> types;
        for (const auto& p : m_params) types.push_back(p.blob ? kBytea : 0);
        std::string name = m_db.nextStatementName();
        PGresult* r = PQprepare(m_db.handle(), name.c_str(), m_sql.c_str(), m_count, types.data());
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        std::string why = ok ? "" : errorText(m_db.handle(), r);
        PQclear(r);
        if (!ok) throw StorageError(kErrorGeneric, why + " (SQL: " + m_source + ")");
        return m_names.emplace(signature, std::move(name)).first->second;
    }
    void describe()
    {
        if (m_described) return;
        const std::string& name = prepared();
        m_described = PQdescribePrepared(m_db.handle(), name.c_str());
    }
    void execute()
    {
        const std::string& name = prepared();
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        for (const auto& p : m_params) {
            values.push_back(p.set ? p.bytes.data() : nullptr);
            lengths.push_back(static_cast<int>(p.bytes.size()));
            formats.push_back(p.blob ? 1 : 0);
        }
        PGresult* r = PQexecPrepared(m_db.handle(), name.c_str(), m_count, values.data(), lengths.data(), formats.data(), 0);
        const auto status = PQresultStatus(r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            std::string why = errorText(m_db.handle(), r);
            PQclear(r);
            throw StorageError(kErrorGeneric, why + " (SQL: " + m_source + ")");
        }
        m_result = r;
        m_row = -1;
        m_blobs.assign(static_cast<size_t>(PQnfields(r)), std::string());
        if (const int rows = writtenRows(r); rows >= 0) m_db.noteChanges(rows);
    }

    PgConnection& m_db;
    std::string m_source, m_sql;
    int m_count = 0;
    std::vector<Param> m_params;
    std::unordered_map<std::string, std::string> m_names;  // BYTEA signature -> prepared name
    PGresult* m_result = nullptr;
    PGresult* m_described = nullptr;
    uint64_t m_generation = 0;  // the connection's generation m_names belong to
    int m_row = -1;
    mutable std::vector<std::string> m_blobs;
};

void ignoreNotice(void*, const char*) {}

} // namespace

bool isPostgresUrl(std::string_view url)
{
    return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

std::string redactUrl(const std::string& url)
{
    const size_t scheme = url.find("://");
    if (scheme != std::string::npos) {
        std::string out = url;
        // postgresql://user:PASSWORD@host...: the authority ends at the first '/' or '?'.
        const size_t end = out.find_first_of("/?", scheme + 3);
        const size_t at = out.rfind('@', end == std::string::npos ? std::string::npos : end);
        if (at != std::string::npos && at > scheme) {
            const size_t colon = out.find(':', scheme + 3);
            if (colon != std::string::npos && colon < at) out = out.substr(0, colon) + ":***" + out.substr(at);
        }
        // ...?password=PASSWORD&...: a query parameter libpq also accepts.
        for (size_t key = out.find('?'); key != std::string::npos; key = out.find('&', key)) {
            ++key;
            if (out.compare(key, 9, "password=") != 0) continue;
            const size_t value = key + 9;
            const size_t stop = std::min(out.find('&', value), out.size());
            out.replace(value, stop - value, "***");
        }
        return out;
    }
    // libpq's key=value form: keyword = value, the value a word or a quoted
    // string ('it\'s'); rebuilt with the password's value masked.
    std::string out;
    size_t i = 0;
    auto skipSpaces = [&] {
        while (i < url.size() && std::isspace(static_cast<unsigned char>(url[i]))) ++i;
    };
    for (skipSpaces(); i < url.size(); skipSpaces()) {
        const size_t keyStart = i;
        while (i < url.size() && url[i] != '=' && !std::isspace(static_cast<unsigned char>(url[i]))) ++i;
        const std::string key = url.substr(keyStart, i - keyStart);
        skipSpaces();
        if (i >= url.size() || url[i] != '=') return "(a malformed connection string)";
        ++i;
        skipSpaces();
        const size_t valueStart = i;
        if (i < url.size() && url[i] == '\'') {
            for (++i; i < url.size() && url[i] != '\''; ++i)
                if (url[i] == '\\') ++i;
            if (i >= url.size()) return "(a malformed connection string)";
            ++i;
        } else {
            while (i < url.size() && !std::isspace(static_cast<unsigned char>(url[i]))) ++i;
        }
        if (!out.empty()) out += ' ';
        out += key + "=" + (key == "password" ? std::string("***") : url.substr(valueStart, i - valueStart));
    }
    return out;
}

PgConnection::PgConnection(const std::string& url)
{
    m_conn = PQconnectdb(url.c_str());
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        std::string why = m_conn ? errorText(m_conn, nullptr) : "out of memory";
        PQfinish(m_conn);
        m_conn = nullptr;
        throw StorageError(kErrorGeneric, "cannot connect to PostgreSQL at " + redactUrl(url) + ": " + why);
    }
    PQsetNoticeProcessor(m_conn, ignoreNotice, nullptr);
    m_description = "postgresql://" + std::string(PQuser(m_conn)) + "@" + PQhost(m_conn) + ":" + PQport(m_conn) + "/"
                    + PQdb(m_conn);
}

PgConnection::~PgConnection()
{
    clearCache();
    PQfinish(m_conn);
}

std::string PgConnection::nextStatementName()
{
    return "fs" + std::to_string(++m_statements);
}

void PgConnection::ensureConnected()
{
    if (PQstatus(m_conn) == CONNECTION_OK) return;
    // The server restarted or the network dropped: whatever transaction was
    // open is gone (the server rolled it back). Reconnect for the next one.
    PQreset(m_conn);
    ++m_generation;
    if (PQstatus(m_conn) != CONNECTION_OK)
        throw StorageError(kErrorGeneric, "lost the connection to " + m_description + " and cannot reconnect: "
                                              + errorText(m_conn, nullptr));
    PQsetNoticeProcessor(m_conn, ignoreNotice, nullptr);
}

void PgConnection::exec(std::string_view sql)
{
    ensureConnected();
    const std::string text(sql);
    PGresult* r = PQexec(m_conn, text.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        std::string why = errorText(m_conn, r);
        PQclear(r);
        throw StorageError(kErrorGeneric, why + " (SQL: " + text + ")");
    }
    if (const int rows = writtenRows(r); rows >= 0) m_changes = rows;
    PQclear(r);
}

std::unique_ptr<StatementImpl> PgConnection::prepare(std::string_view sql)
{
    return std::make_unique<PgStatement>(*this, sql);
}

bool PgConnection::inTransaction() const
{
    // PQTRANS_UNKNOWN: the connection is lost, and so is any transaction.
    const auto status = PQtransactionStatus(m_conn);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void PgConnection::begin(Begin kind)
{
    if (kind == Begin::Read) {
        exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        return;
    }
    try {
        exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLock) + ")");
    } catch (...) {
        // The wait for the lock can fail (lock_timeout, a cancel) with the
        // transaction already open: end it, or the connection would refuse
        // every later transaction as nested.
        if (inTransaction()) PQclear(PQexec(m_conn, "ROLLBACK"));
        throw;
    }
}

void PgConnection::commit()
{
    PGresult* r = PQexec(m_conn, "COMMIT");
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string why = ok ? "" : errorText(m_conn, r);
    // COMMIT of a transaction an error has aborted "succeeds" as ROLLBACK.
    const bool rolledBack = ok && std::strcmp(PQcmdStatus(r), "ROLLBACK") == 0;
    PQclear(r);
    if (!ok) throw StorageError(kErrorGeneric, why + " (SQL: COMMIT)");
    if (rolledBack) throw StorageError(kErrorGeneric, "the transaction was rolled back after an earlier error");
}

void PgConnection::rollback()
{
    exec("ROLLBACK");
}

int PgConnection::userVersion()
{
    if (!hasTable("_user_version")) return 0;
    Statement st(*this, "SELECT version FROM _user_version");
    return st.step() ? static_cast<int>(st.getInt(0)) : 0;
}

void PgConnection::setUserVersion(int version)
{
    exec("CREATE TABLE IF NOT EXISTS _user_version (version BIGINT NOT NULL); DELETE FROM _user_version; "
         "INSERT INTO _user_version (version) VALUES (" + std::to_string(version) + ")");
}

bool PgConnection::hasTable(std::string_view name)
{
    Statement st(*this, "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?");
    st.bind(1, name);
    return st.step();
}

void PgConnection::listen(const std::string& channel)
{
    exec("LISTEN " + channel);
}

void PgConnection::notify(const std::string& channel, const std::string& payload)
{
    Statement st(*this, "SELECT pg_notify(?, ?)");
    st.bind(1, channel).bind(2, payload);
    st.step();
}

int PgConnection::socket() const
{
    return PQsocket(m_conn);
}

int PgConnection::backendPid() const
{
    return PQbackendPID(m_conn);
}

std::vector<Notification> PgConnection::notifications()
{
    if (!PQconsumeInput(m_conn))
        throw StorageError(kErrorGeneric, "lost the PostgreSQL connection: " + errorText(m_conn, nullptr));
    std::vector<Notification> out;
    while (PGnotify* n = PQnotifies(m_conn)) {
        out.push_back({n->relname ? n->relname : "", n->extra ? n->extra : "", n->be_pid});
        PQfreemem(n);
    }
    return out;
}

} // namespace fieldsync::storage::pg
