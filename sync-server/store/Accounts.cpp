#include "store/Accounts.h"

#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

std::chrono::milliseconds SignInLimit::delayAfter(int64_t failures) const
{
    if (failures < freeFailures) return std::chrono::milliseconds(0);
    // firstDelay * 2^k, capped; k is bounded so the product cannot overflow.
    const double k = static_cast<double>(std::min<int64_t>(failures - freeFailures, 62));
    const double delay = std::min(static_cast<double>(maxDelay.count()), static_cast<double>(firstDelay.count()) * std::exp2(k));
    return std::chrono::milliseconds(static_cast<int64_t>(delay));
}

std::string addressKey(const std::string& address)
{
    unsigned char v6[16];
    if (inet_pton(AF_INET6, address.c_str(), v6) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        char text[INET6_ADDRSTRLEN] = {};
        if (std::equal(mapped, mapped + 12, v6)) {  // ::ffff:192.0.2.7 is 192.0.2.7
            inet_ntop(AF_INET, v6 + 12, text, sizeof text);
            return text;
        }
        // One customer network is a /64: its hosts pick any address in it.
        std::fill(v6 + 8, v6 + 16, 0);
        inet_ntop(AF_INET6, v6, text, sizeof text);
        return std::string(text) + "/64";
    }
    return address;
}

Accounts::Options Accounts::fromEnvironment(bool fastHashBuilt, std::string* note)
{
    Options o;
    const char* fast = std::getenv("FIELDSYNC_FAST_PASSWORD_HASH");
    if (!fast || std::string(fast) != "1") return o;
    if (!fastHashBuilt) {
        if (note)
            *note = "FIELDSYNC_FAST_PASSWORD_HASH is ignored: this build hashes passwords at the full cost "
                    "(the switch exists only in builds with -DFIELDSYNC_FAST_HASH_SWITCH=ON, for tests and demos)";
        return o;
    }
    o.opsLimit = crypto_pwhash_OPSLIMIT_MIN;
    o.memLimit = 8192;  // crypto_pwhash_MEMLIMIT_MIN
    if (note)
        *note = "FIELDSYNC_FAST_PASSWORD_HASH=1: passwords are hashed at the minimum cost (for tests and demos only)";
    return o;
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
    {2, "revocation cause, device sign-in keys, sign-in limits", R"sql(
ALTER TABLE device ADD COLUMN revoked_by TEXT CHECK (revoked_by IN ('logout', 'admin'));
ALTER TABLE device ADD COLUMN key_hash TEXT;
CREATE TABLE sign_in_limit (
    counter      TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sign_in_limit_expires ON sign_in_limit (expires_at);
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
    {2, "revocation cause, device sign-in keys, sign-in limits", R"sql(
ALTER TABLE device ADD COLUMN revoked_by TEXT CHECK (revoked_by IN ('logout', 'admin'));
ALTER TABLE device ADD COLUMN key_hash TEXT;
CREATE TABLE sign_in_limit (
    counter      TEXT COLLATE "C" PRIMARY KEY,
    failures     BIGINT NOT NULL,
    last_failure BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sign_in_limit_expires ON sign_in_limit (expires_at);
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

bool printable(const std::string& s)
{
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

bool validName(const std::string& s)
{
    return !s.empty() && s.size() <= 64 && printable(s);
}

// Longer passwords add nothing but hashing work an attacker could ask for.
constexpr size_t kMaxPasswordBytes = 1024;
constexpr size_t kMaxDeviceNameBytes = 128;

// A device's sign-in key: 32 random bytes, base64url without padding.
bool validDeviceKey(const std::string& key)
{
    if (key.size() != 43) return false;
    return std::all_of(key.begin(), key.end(), [](unsigned char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// A device name as a log line shows it: control characters escaped, so a
// name cannot start a forged line or drive the reader's terminal.
std::string forLog(const std::string& s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

int64_t ms(std::chrono::milliseconds d)
{
    return d.count();
}

int64_t secondsUp(int64_t milliseconds)
{
    return (milliseconds + 999) / 1000;
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
    if (password.size() > kMaxPasswordBytes)
        return invalidArgument("the password must have at most " + std::to_string(kMaxPasswordBytes) + " bytes");
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

const SignInLimit& Accounts::limitOf(const std::string& key) const
{
    if (key.rfind("addr:", 0) == 0) return m_options.perAddress;
    if (key.rfind("device:", 0) == 0) return m_options.perDevice;
    return m_options.perUser;
}

// Ms until `key` may try again (0: now). Holds m_mutex.
int64_t Accounts::waitFor(const std::string& key, int64_t now)
{
    UsingStatement st(*m_db, "SELECT failures, last_failure, expires_at FROM sign_in_limit WHERE counter = ?");
    st->bind(1, key);
    if (!st->step() || st->getInt(2) <= now) return 0;
    const int64_t until = st->getInt(1) + ms(limitOf(key).delayAfter(st->getInt(0)));
    return std::max<int64_t>(0, until - now);
}

// Counts one failure on every key before the password is hashed, or says how
// long to wait. Several server instances share the table: each write is a
// compare-and-set on the row as read (autocommit: a sign-in never waits for
// the hub's writer lock on PostgreSQL), and a key another attempt changed in
// between is read and decided again. Holds m_mutex.
std::variant<Accounts::Reservation, int64_t> Accounts::reserve(const std::vector<std::string>& keys, int64_t now)
{
    Reservation r;
    // Gives back what this attempt counted when a later key says wait.
    auto giveBack = [&] {
        for (const auto& key : r.keys) {
            UsingStatement st(*m_db, "UPDATE sign_in_limit SET failures = failures - 1 WHERE counter = ? AND failures > 0");
            st->bind(1, key);
            st->run();
        }
    };
    // Every key is checked before any is counted.
    int64_t wait = 0;
    for (const auto& key : keys) wait = std::max(wait, waitFor(key, now));
    if (wait > 0) return wait;
    for (const auto& key : keys) {
        const SignInLimit& limit = limitOf(key);
        bool counted = false;
        for (int round = 0; round < 8 && !counted; ++round) {
            UsingStatement st(*m_db, "SELECT failures, last_failure, expires_at FROM sign_in_limit WHERE counter = ?");
            st->bind(1, key);
            if (st->step()) {
                const int64_t failures = st->getInt(0), last = st->getInt(1), expires = st->getInt(2);
                st->reset();
                // A counter past its expiry starts again from zero.
                const bool fresh = expires <= now;
                if (!fresh && last + ms(limit.delayAfter(failures)) > now) {
                    giveBack();
                    return last + ms(limit.delayAfter(failures)) - now;
                }
                UsingStatement up(*m_db, "UPDATE sign_in_limit SET failures = ?, last_failure = ?, expires_at = ? "
                                         "WHERE counter = ? AND failures = ? AND last_failure = ?");
                up->bind(1, fresh ? int64_t{1} : failures + 1).bind(2, now).bind(3, now + ms(limit.forgetAfter));
                up->bind(4, key).bind(5, failures).bind(6, last);
                up->run();
            } else {
                st->reset();
                UsingStatement in(*m_db, "INSERT INTO sign_in_limit (counter, failures, last_failure, expires_at) "
                                         "VALUES (?, 1, ?, ?) ON CONFLICT DO NOTHING");
                in->bind(1, key).bind(2, now).bind(3, now + ms(limit.forgetAfter));
                in->run();
            }
            counted = m_db->changes() > 0;
        }
        if (!counted) {  // eight rounds lost to other instances: a flood on this very counter
            giveBack();
            return int64_t{1000};
        }
        r.keys.push_back(key);
        if (key.rfind("addr:", 0) == 0) r.addressKey = key;
    }
    return r;
}

// Expired counters go, at most once a minute. Holds m_mutex.
void Accounts::pruneLimits(int64_t now)
{
    if (now - m_lastPrune < 60'000 && now >= m_lastPrune) return;
    m_lastPrune = now;
    UsingStatement st(*m_db, "DELETE FROM sign_in_limit WHERE expires_at <= ?");
    st->bind(1, now);
    st->run();
}

// A hash of a random password at this server's cost, made once: unknown
// users are checked against it, so they cost what known users cost.
const std::string& Accounts::dummyHash()
{
    std::call_once(m_dummyOnce, [this] {
        unsigned char random[32];
        randombytes_buf(random, sizeof random);
        char h[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(h, reinterpret_cast<const char*>(random), sizeof random, m_options.opsLimit,
                              static_cast<size_t>(m_options.memLimit)) != 0)
            throw std::runtime_error("password hashing ran out of memory");
        m_dummyHash = h;
    });
    return m_dummyHash;
}

Result<Accounts::Login> Accounts::login(const std::string& name, const std::string& password,
                                        const std::string& device, const std::string& deviceName,
                                        const std::string& clientAddress)
{
    return login(Attempt{name, password, device, deviceName, {}, clientAddress});
}

Result<Accounts::Login> Accounts::login(const Attempt& a, int64_t* retryAfterSeconds)
{
    // Malformed input is refused before it is counted, logged or stored.
    if (!validName(a.user)) return invalidArgument("\"user\" must be 1 to 64 printable characters");
    if (a.password.empty() || a.password.size() > kMaxPasswordBytes)
        return invalidArgument("\"password\" must be 1 to " + std::to_string(kMaxPasswordBytes) + " bytes");
    // Any characters (readers escape what they show); a bounded length.
    if (a.deviceName.size() > kMaxDeviceNameBytes)
        return invalidArgument("\"device_name\" must be at most " + std::to_string(kMaxDeviceNameBytes) + " bytes");
    if (!a.deviceKey.empty() && !validDeviceKey(a.deviceKey))
        return invalidArgument("\"device_key\" must be 43 base64url characters (32 random bytes)");
    const std::string& dummy = dummyHash();  // before the first attempt is timed, known user or not

    const int64_t now = nowMs();
    const std::string address = addressKey(a.address);
    std::optional<std::string> hash;
    std::optional<User> u;
    Reservation reservation;
    bool trusted = false;
    {
        std::lock_guard lock(m_mutex);
        pruneLimits(now);
        if (!a.deviceKey.empty()) {
            UsingStatement st(*m_db, "SELECT 1 FROM device WHERE device = ? AND \"user\" = ? AND key_hash = ?");
            st->bind(1, a.device).bind(2, a.user).bind(3, tokenHash(a.deviceKey));
            trusted = st->step();
        }
        std::vector<std::string> keys = trusted ? std::vector<std::string>{"device:" + a.device}
                                                : std::vector<std::string>{"user:" + a.user, "addr:" + address};
        auto reserved = reserve(keys, now);
        if (auto* wait = std::get_if<int64_t>(&reserved)) {
            const int64_t seconds = secondsUp(*wait);
            if (retryAfterSeconds) *retryAfterSeconds = seconds;
            // Not logged at info: a flood of refused attempts costs nothing but would fill the log.
            spdlog::debug("sign-in of {} from {} refused: wait {} s", a.user, a.address, seconds);
            return Error{ErrorCode::ResourceExhausted,
                         "too many failed sign-ins; try again in " + std::to_string(seconds) + " s"};
        }
        reservation = std::get<Reservation>(std::move(reserved));
        UsingStatement st(*m_db, "SELECT name, role, team, password FROM \"user\" WHERE name = ?");
        st->bind(1, a.user);
        if (st->step()) {
            u = readUser(*st);
            hash = st->getText(3);
        }
    }
    // The slow hash runs outside the lock, for unknown users too, against a
    // hash of the same cost: a wrong name and a wrong password take as long
    // and read the same.
    const bool ok = crypto_pwhash_str_verify(hash ? hash->c_str() : dummy.c_str(), a.password.data(),
                                             a.password.size()) == 0
        && hash.has_value();

    std::lock_guard lock(m_mutex);
    if (!ok) {
        // Already counted by the reservation; say when the next attempt may come.
        int64_t next = 0;
        for (const auto& key : reservation.keys) next = std::max(next, waitFor(key, now));
        spdlog::info("sign-in failed: user {} from {}{}: {}; next attempt {}", a.user, a.address,
                     trusted ? " (a device trusted for this user)" : "", hash ? "wrong password" : "no such user",
                     next > 0 ? "allowed in " + std::to_string(secondsUp(next)) + " s" : "allowed at once");
        return Error{ErrorCode::Unauthenticated, "wrong user name or password"};
    }
    std::string token = newToken();
    storage::Transaction tx(*m_db);
    // The right password: the user's (or device's) counter starts again; the
    // address gets its failure back (addresses count failures only).
    for (const auto& key : reservation.keys) {
        if (key == reservation.addressKey) {
            UsingStatement st(*m_db, "UPDATE sign_in_limit SET failures = failures - 1 WHERE counter = ? AND failures > 0");
            st->bind(1, key);
            st->run();
        } else {
            UsingStatement st(*m_db, "DELETE FROM sign_in_limit WHERE counter = ?");
            st->bind(1, key);
            st->run();
        }
    }
    UsingStatement owner(*m_db, "SELECT \"user\" FROM device WHERE device = ?");
    owner->bind(1, a.device);
    if (owner->step() && owner->getText(0) != a.user) {
        const std::string other = owner->getText(0);
        owner->reset();
        tx.commit();  // the counters: the password was right
        spdlog::info("sign-in refused: user {} from {}: device {} is registered to {}", a.user, a.address, a.device,
                     other);
        return Error{ErrorCode::PermissionDenied,
                     "this device is registered to another user; sign that user out (or revoke the device) first"};
    }
    UsingStatement st(*m_db, "INSERT INTO device (device, \"user\", name, token_hash, created_at, last_seen, revoked_at, "
                             "revoked_by, key_hash) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT (device) DO UPDATE "
                             "SET name = excluded.name, token_hash = excluded.token_hash, last_seen = excluded.last_seen, "
                             "revoked_at = NULL, revoked_by = NULL, key_hash = COALESCE(excluded.key_hash, device.key_hash)");
    std::optional<std::string> keyHash;
    if (!a.deviceKey.empty()) keyHash = tokenHash(a.deviceKey);
    st->bind(1, a.device).bind(2, a.user).bind(3, a.deviceName).bind(4, tokenHash(token)).bind(5, now).bind(6, now);
    st->bind(7, keyHash);
    st->run();
    // A hash made at another cost (an older default, a demo's) is brought to
    // this server's, while the password is at hand.
    if (crypto_pwhash_str_needs_rehash(hash->c_str(), m_options.opsLimit, static_cast<size_t>(m_options.memLimit)) != 0) {
        char rehashed[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(rehashed, a.password.data(), a.password.size(), m_options.opsLimit,
                              static_cast<size_t>(m_options.memLimit)) == 0) {
            UsingStatement up(*m_db, "UPDATE \"user\" SET password = ? WHERE name = ? AND password = ?");
            up->bind(1, std::string(rehashed)).bind(2, a.user).bind(3, *hash);
            up->run();
        }
    }
    tx.commit();
    return Login{*u, token};
}

Result<Session> Accounts::authenticate(const std::string& token)
{
    std::lock_guard lock(m_mutex);
    if (token.empty())
        return Error{ErrorCode::Unauthenticated,
                     "missing token: send it as \"Authorization: Bearer <token>\" (sign in first to get one)"};
    UsingStatement st(*m_db, "SELECT u.name, u.role, u.team, d.device, d.revoked_at, d.revoked_by FROM device d "
                             "JOIN \"user\" u ON u.name = d.\"user\" WHERE d.token_hash = ?");
    st->bind(1, tokenHash(token));
    if (!st->step()) return Error{ErrorCode::Unauthenticated, "invalid token: sign in again"};
    if (!st->isNull(4)) {
        const bool signedOut = !st->isNull(5) && st->getText(5) == "logout";
        return Error{ErrorCode::Revoked, signedOut ? "this device signed out and its token was revoked; sign in again"
                                                   : "this device was signed out by an administrator; sign in again"};
    }
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

Status Accounts::revokeDevice(const std::string& device, Revocation how, const std::string& by)
{
    std::lock_guard lock(m_mutex);
    UsingStatement known(*m_db, "SELECT \"user\", name, revoked_at, revoked_by FROM device WHERE device = ?");
    known->bind(1, device);
    if (!known->step()) return notFound("no device " + device);
    const std::string user = known->getText(0), name = known->getText(1);
    const bool wasRevoked = !known->isNull(2);
    const bool byAdmin = !known->isNull(3) && known->getText(3) == "admin";
    known->reset();
    if (how == Revocation::Admin) {
        // Also forgets its sign-in key: a lost phone is a new device for the sign-in limits.
        if (byAdmin) return Ok{};
        UsingStatement st(*m_db, "UPDATE device SET revoked_at = COALESCE(revoked_at, ?), revoked_by = 'admin', "
                                 "key_hash = NULL WHERE device = ?");
        st->bind(1, nowMs()).bind(2, device);
        st->run();
        spdlog::info("device {} ({}'s \"{}\") revoked by an administrator{}", device, user, forLog(name),
                     by.empty() ? "" : " (" + by + ")");
        return Ok{};
    }
    if (wasRevoked) return Ok{};
    UsingStatement st(*m_db, "UPDATE device SET revoked_at = ?, revoked_by = 'logout' WHERE device = ? AND revoked_at IS NULL");
    st->bind(1, nowMs()).bind(2, device);
    st->run();
    spdlog::info("device {} ({}'s \"{}\") signed out: its token is revoked{}", device, user, forLog(name),
                 by.empty() ? "" : " (" + by + ")");
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
