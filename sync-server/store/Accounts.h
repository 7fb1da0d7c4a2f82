// Accounts: the server's users, teams and device tokens (DESIGN §5), in their
// own SQLite file (accounts.db) beside the hub's — or, with a PostgreSQL
// store, in the hub's database, shared by every server instance.
//
// Tables (migration 1):
//   team(name PK)
//   user(name PK, role rep|manager|admin, team -> team.name or NULL,
//        password  libsodium crypto_pwhash_str (Argon2id, salt and cost inside),
//        created_at)
//   device(device PK  32 hex, user, name, token_hash  BLAKE2b-256 of the token,
//          created_at, last_seen, revoked_at NULL while valid)
// A token is 32 random bytes (base64url, 43 characters) issued at login for
// one (user, device); only its hash is stored, so a copy of the file does not
// let anyone sign in. Revoking a device (a lost phone) makes its token fail
// at once. One device id has one token; signing in again replaces it.
//
// Thread safety: all methods lock one mutex (the server calls them from its
// network threads).
#pragma once

#include "base/Result.h"
#include "storage/Connection.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::server {

enum class Role { Rep, Manager, Admin };

std::string_view roleName(Role role);
std::optional<Role> roleFromName(std::string_view name);

struct User {
    std::string name;
    Role role = Role::Rep;
    std::optional<std::string> team;
};

struct DeviceInfo {
    std::string device, user, name;
    int64_t createdAt = 0, lastSeen = 0;
    std::optional<int64_t> revokedAt;
};

struct Session {
    User user;
    std::string device;
};

class Accounts {
public:
    struct Options {
        // Argon2id cost; the defaults are libsodium's "interactive" limits.
        // Tests lower them (the minimum is still a real Argon2id hash).
        unsigned long long opsLimit = 0, memLimit = 0;
        // Login attempts: at most this many failures per user name and per
        // client address within the window, then 429 until it passes.
        int maxFailures = 5;
        std::chrono::seconds failureWindow{60};
        std::function<int64_t()> now;  // ms since epoch; system clock if empty
    };

    Accounts(const std::string& path, Options options);
    // On an open connection: a PostgreSQL database shared with the hub
    // (tables as above, in its "accounts" migration track), or SQLite.
    Accounts(std::unique_ptr<storage::Connection> db, Options options);
    ~Accounts();

    Status addTeam(const std::string& name);
    Result<User> addUser(const std::string& name, Role role, const std::optional<std::string>& team,
                         const std::string& password);
    std::vector<User> users();
    std::vector<std::string> teams();
    std::optional<User> user(const std::string& name);
    std::vector<std::string> teamMembers(const std::string& team);

    // Checks the password and issues a token for (user, device).
    // Unauthenticated on a wrong user or password (the same message for
    // both); ResourceExhausted while rate limited (message says how long).
    struct Login {
        User user;
        std::string token;
    };
    Result<Login> login(const std::string& user, const std::string& password, const std::string& device,
                        const std::string& deviceName, const std::string& clientAddress);
    // Seconds until a rate-limited key may try again (0 if not limited).
    int64_t retryAfterSeconds(const std::string& user, const std::string& clientAddress);

    Result<Session> authenticate(const std::string& token);
    std::vector<DeviceInfo> devices();
    Status revokeDevice(const std::string& device);
    // Devices revoked at or after `sinceMs` (revoked_at, this store's clock)
    // and still revoked: how `serve` finds, every moment, whose WebSockets to
    // close, whichever process or server instance revoked them.
    std::vector<DeviceInfo> revokedDevicesSince(int64_t sinceMs);

private:
    int64_t nowMs() const;
    bool limited(const std::string& key, int64_t now);
    void noteFailure(const std::string& key, int64_t now);

    std::mutex m_mutex;
    std::unique_ptr<storage::Connection> m_db;
    Options m_options;
    std::map<std::string, std::deque<int64_t>> m_failures;
};

} // namespace fieldsync::server
