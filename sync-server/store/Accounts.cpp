#include "store/Accounts.h"

#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <sodium.h>

#include <chrono>
#include <stdexcept>

namespace fieldsync::server {

using storage::UsingStatement;

std::string_view roleName(Role role)
{
    switch (role) {
    case Role::Rep: return "rep";
    case Role::Manager: return "manager";
    case Role::Admin: return "admin";
    }
    return "rep";
}

std::optional<Role> roleFromName(std::string_view name)
{
    if (name == "rep") return Role::Rep;
    if (name == "manager") return Role::Manager;
    if (name == "admin") return Role::Admin;
    return std::nullopt;
}

namespace {

const storage::Migration kMigrations[] = {
    {1, "users, teams, devices", R"sql(
CREATE TABLE team (
    name TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE user (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    team       TEXT REFERENCES team (name),
    password   TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE device (
    device     TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES user (name),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    revoked_at INTEGER
) WITHOUT ROWID;
)sql"},
};

// The same tables on PostgreSQL (core/storage-pg), in the hub's database:
// numbered in the "accounts" migration track, since the hub's ladder owns
// the database's own version.
const storage::Migration kPgMigrations[] = {
    {1, "users, teams, devices", R"sql(
CREATE TABLE team (
    name TEXT COLLATE "C" PRIMARY KEY
);
CREATE TABLE "user" (
    name       TEXT COLLATE "C" PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    team       TEXT REFERENCES team (name),
    password   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE device (
    device     TEXT COLLATE "C" PRIMARY KEY,
    "user"     TEXT COLLATE "C" NOT NULL REFERENCES "user" (name),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    revoked_at BIGINT
);
)sql"},
};

std::string tokenHash(const std::string& token)
{
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[crypto_generichash_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

std::string newToken()
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return text;
}

bool validName(const std::string& s)
{
    if (s.empty() || s.size() > 64) return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

User readUser(storage::Statement& st)
{
    User u;
    u.name = st.getText(0);
    u.role = roleFromName(st.getText(1)).value_or(Role::Rep);
    if (!st.isNull(2)) u.team = st.getText(2);
    return u;
}

} // namespace

Accounts::Accounts(const std::string& path, Options options)
    : Accounts(std::make_unique<storage::Database>(path), std::move(options))
{
}

Accounts::Accounts(std::unique_ptr<storage::Connection> db, Options options)
    : m_db(std::move(db)), m_options(std::move(options))
{
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    if (!m_options.opsLimit) m_options.opsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    if (!m_options.memLimit) m_options.memLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (m_db->dialect() == storage::Dialect::Sqlite) storage::migrate(*m_db, kMigrations);
    else storage::migrate(*m_db, kPgMigrations, "accounts");
}

Accounts::~Accounts() = default;

int64_t Accounts::nowMs() const
{
    if (m_options.now) return m_options.now();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Status Accounts::addTeam(const std::string& name)
{
    std::lock_guard lock(m_mutex);
    if (!validName(name)) return invalidArgument("a team name is 1 to 64 printable characters");
    UsingStatement st(*m_db, "INSERT INTO team (name) VALUES (?) ON CONFLICT DO NOTHING");
    st->bind(1, name);
    st->run();
    if (m_db->changes() == 0) return failedPrecondition("team " + name + " already exists");
    return Ok{};
}

Result<User> Accounts::addUser(const std::string& name, Role role, const std::optional<std::string>& team,
                               const std::string& password)
{
    std::lock_guard lock(m_mutex);
    if (!validName(name)) return invalidArgument("a user name is 1 to 64 printable characters");
    if (password.size() < 8) return invalidArgument("the password must have at least 8 characters");
    if (role != Role::Admin && !team) return invalidArgument("reps and managers belong to a team: give --team");
    if (team) {
        UsingStatement st(*m_db, "SELECT 1 FROM team WHERE name = ?");
        st->bind(1, *team);
        if (!st->step()) return notFound("no team " + *team + " (add it with: team add " + *team + ")");
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password.data(), password.size(), m_options.opsLimit,
                          static_cast<size_t>(m_options.memLimit)) != 0)
        throw std::runtime_error("password hashing ran out of memory");
    UsingStatement st(*m_db, "INSERT INTO \"user\" (name, role, team, password, created_at) VALUES (?, ?, ?, ?, ?) "
                             "ON CONFLICT DO NOTHING");
    st->bind(1, name).bind(2, roleName(role)).bind(3, team).bind(4, std::string(hash)).bind(5, nowMs());
    st->run();
    if (m_db->changes() == 0) return failedPrecondition("user " + name + " already exists");
    return User{name, role, team};
}

std::vector<User> Accounts::users()
{
    std::lock_guard lock(m_mutex);
    std::vector<User> out;
    storage::Statement st(*m_db, "SELECT name, role, team FROM \"user\" ORDER BY name");
    while (st.step()) out.push_back(readUser(st));
    return out;
}

std::vector<std::string> Accounts::teams()
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    storage::Statement st(*m_db, "SELECT name FROM team ORDER BY name");
    while (st.step()) out.push_back(st.getText(0));
    return out;
}

std::optional<User> Accounts::user(const std::string& name)
{
    std::lock_guard lock(m_mutex);
    UsingStatement st(*m_db, "SELECT name, role, team FROM \"user\" WHERE name = ?");
    st->bind(1, name);
    if (!st->step()) return std::nullopt;
    return readUser(*st);
}

std::vector<std::string> Accounts::teamMembers(const std::string& team)
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    UsingStatement st(*m_db, "SELECT name FROM \"user\" WHERE team = ? ORDER BY name");
    st->bind(1, team);
    while (st->step()) out.push_back(st->getText(0));
    return out;
}

bool Accounts::limited(const std::string& key, int64_t now)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end()) return false;
    auto& q = it->second;
    const int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.failureWindow).count();
    while (!q.empty() && q.front() <= now - window) q.pop_front();
    if (q.empty()) {  // forget keys with no recent failure: memory stays bounded by recent attempts
        m_failures.erase(it);
        return false;
    }
    return static_cast<int>(q.size()) >= m_options.maxFailures;
}

void Accounts::noteFailure(const std::string& key, int64_t now)
{
    // Forget keys whose failures have all aged out, so sign-in attempts under
    // ever new names cannot grow this map without bound.
    if (m_failures.size() > 1024) {
        const int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.failureWindow).count();
        std::erase_if(m_failures, [&](const auto& entry) { return entry.second.back() <= now - window; });
    }
    m_failures[key].push_back(now);
}

int64_t Accounts::retryAfterSeconds(const std::string& user, const std::string& clientAddress)
{
    std::lock_guard lock(m_mutex);
    const int64_t now = nowMs();
    const int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.failureWindow).count();
    int64_t wait = 0;
    for (const auto& key : {"user:" + user, "addr:" + clientAddress})
        if (limited(key, now)) wait = std::max(wait, (m_failures.at(key).front() + window - now + 999) / 1000);
    return wait;
}

Result<Accounts::Login> Accounts::login(const std::string& name, const std::string& password,
                                        const std::string& device, const std::string& deviceName,
                                        const std::string& clientAddress)
{
    const int64_t now = nowMs();
    {
        std::lock_guard lock(m_mutex);
        if (limited("user:" + name, now) || limited("addr:" + clientAddress, now))
            return Error{ErrorCode::ResourceExhausted, "too many failed sign-ins; try again later"};
    }
    std::optional<std::string> hash;
    std::optional<User> u;
    {
        std::lock_guard lock(m_mutex);
        UsingStatement st(*m_db, "SELECT name, role, team, password FROM \"user\" WHERE name = ?");
        st->bind(1, name);
        if (st->step()) {
            u = readUser(*st);
            hash = st->getText(3);
        }
    }
    // The slow hash runs outside the lock, and also for unknown users, so a
    // wrong name and a wrong password take as long and read the same.
    static const std::string dummy = [] {
        char h[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(h, "x", 1, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0)
            throw std::runtime_error("password hashing ran out of memory");
        return std::string(h);
    }();
    bool ok = crypto_pwhash_str_verify(hash ? hash->c_str() : dummy.c_str(), password.data(), password.size()) == 0
        && hash.has_value();
    std::lock_guard lock(m_mutex);
    if (!ok) {
        noteFailure("user:" + name, now);
        noteFailure("addr:" + clientAddress, now);
        return Error{ErrorCode::Unauthenticated, "wrong user name or password"};
    }
    std::string token = newToken();
    storage::Transaction tx(*m_db);
    UsingStatement owner(*m_db, "SELECT \"user\" FROM device WHERE device = ?");
    owner->bind(1, device);
    if (owner->step() && owner->getText(0) != name)
        return Error{ErrorCode::PermissionDenied,
                     "this device is registered to another user; sign that user out (or revoke the device) first"};
    UsingStatement st(*m_db, "INSERT INTO device (device, \"user\", name, token_hash, created_at, last_seen, revoked_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (device) DO UPDATE SET "
                             "name = excluded.name, token_hash = excluded.token_hash, last_seen = excluded.last_seen, "
                             "revoked_at = NULL");
    st->bind(1, device).bind(2, name).bind(3, deviceName).bind(4, tokenHash(token)).bind(5, now).bind(6, now);
    st->run();
    tx.commit();
    return Login{*u, token};
}

Result<Session> Accounts::authenticate(const std::string& token)
{
    std::lock_guard lock(m_mutex);
    if (token.empty()) return Error{ErrorCode::Unauthenticated, "missing token: sign in first"};
    UsingStatement st(*m_db, "SELECT u.name, u.role, u.team, d.device, d.revoked_at FROM device d "
                             "JOIN \"user\" u ON u.name = d.\"user\" WHERE d.token_hash = ?");
    st->bind(1, tokenHash(token));
    if (!st->step()) return Error{ErrorCode::Unauthenticated, "invalid token: sign in again"};
    if (!st->isNull(4)) return Error{ErrorCode::Unauthenticated, "this device was signed out by an administrator"};
    return Session{readUser(*st), st->getText(3)};
}

std::vector<DeviceInfo> Accounts::devices()
{
    std::lock_guard lock(m_mutex);
    std::vector<DeviceInfo> out;
    storage::Statement st(*m_db, "SELECT device, \"user\", name, created_at, last_seen, revoked_at FROM device "
                                 "ORDER BY \"user\", created_at");
    while (st.step()) {
        DeviceInfo d{st.getText(0), st.getText(1), st.getText(2), st.getInt(3), st.getInt(4), std::nullopt};
        if (!st.isNull(5)) d.revokedAt = st.getInt(5);
        out.push_back(std::move(d));
    }
    return out;
}

Status Accounts::revokeDevice(const std::string& device)
{
    std::lock_guard lock(m_mutex);
    UsingStatement st(*m_db, "UPDATE device SET revoked_at = ? WHERE device = ? AND revoked_at IS NULL");
    st->bind(1, nowMs()).bind(2, device);
    st->run();
    if (m_db->changes() == 0) {
        UsingStatement known(*m_db, "SELECT 1 FROM device WHERE device = ?");
        known->bind(1, device);
        if (!known->step()) return notFound("no device " + device);
    }
    return Ok{};
}

std::vector<DeviceInfo> Accounts::revokedDevicesSince(int64_t sinceMs)
{
    std::lock_guard lock(m_mutex);
    std::vector<DeviceInfo> out;
    UsingStatement st(*m_db, "SELECT device, \"user\", name, created_at, last_seen, revoked_at FROM device "
                             "WHERE revoked_at IS NOT NULL AND revoked_at >= ? ORDER BY revoked_at");
    st->bind(1, sinceMs);
    while (st->step())
        out.push_back({st->getText(0), st->getText(1), st->getText(2), st->getInt(3), st->getInt(4), st->getInt(5)});
    return out;
}

} // namespace fieldsync::server
