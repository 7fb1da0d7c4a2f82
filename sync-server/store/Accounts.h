// Accounts: the server's users, teams and device tokens (DESIGN §5), in their
// own SQLite file (accounts.db) beside the hub's — or, with a PostgreSQL
// store, in the hub's database, shared by every server instance.
//
// Tables (migration 1, and 2 where marked):
//   team(name PK)
//   user(name PK, role rep|manager|admin, team -> team.name or NULL,
//        password  libsodium crypto_pwhash_str (Argon2id, salt and cost inside),
//        created_at)
//   device(device PK  32 hex, user, name, token_hash  BLAKE2b-256 of the token,
//          created_at, last_seen, revoked_at NULL while valid,
//          revoked_by  'logout' | 'admin' | NULL while valid           (2)
//          key_hash    BLAKE2b-256 of the device's sign-in key, set by
//                      its last successful sign-in; cleared by an
//                      administrator's revocation                        (2))
//   sign_in_limit(key PK, failures, last_failure ms, expires_at ms)    (2)
//          the sign-in limiter's counters (below); a row is forgotten
//          (deleted) once expires_at has passed
// A token is 32 random bytes (base64url, 43 characters) issued at login for
// one (user, device); only its hash is stored, so a copy of the file does not
// let anyone sign in. Revoking a device (a lost phone, or the device signing
// out) makes its token fail at once with ErrorCode::Revoked. One device id
// has one token; signing in again replaces it.
//
// Sign-in limits (docs/security.md, "Sign-in"). Every attempt is counted as
// a failure *before* its password is hashed (a reservation), and given back
// if the password was right, so N concurrent guesses meet the limit one by
// one instead of all passing the check before any is counted. Counters:
//   user:NAME          attempts on NAME from devices not trusted for it
//   device:HEX         attempts from a trusted device (one that signed in
//                      as that user before and presents its sign-in key)
//   addr:ADDRESS       attempts not from a trusted device, per client
//                      address (an IPv6 address counts per /64)
// A counter allows `freeFailures` failures; after that the next attempt
// must wait min(maxDelay, firstDelay * 2^(failures - freeFailures)) after
// the last failure (a correct password is refused too while it runs), and a
// counter without a failure for `forgetAfter` starts again from zero. A
// correct password clears its user or device counter and gives the
// address its one failure back. A trusted device's attempts touch neither
// the user's nor the address's counter: someone guessing a password can
// delay new devices, never the devices that signed in before.
//
// Unknown user names are treated exactly like known ones: counted the same,
// and checked against a dummy Argon2id hash of the same cost, so the time
// and the answer do not tell whether a name exists.
//
// Logging (spdlog, info): failed sign-ins (user, address, reason, the next
// delay) and revocations (device, user, how, by whom); never a password,
// token or key.
//
// Thread safety: all methods lock one mutex (the server calls them from its
// network threads), released while a password is hashed.
#pragma once

#include "base/Result.h"
#include "storage/Connection.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
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

// One sign-in counter's policy (see the top of this file).
struct SignInLimit {
    int freeFailures = 5;
    std::chrono::milliseconds firstDelay{1'000};
    std::chrono::milliseconds maxDelay{15 * 60'000};
    std::chrono::milliseconds forgetAfter{24 * 3'600'000};

    // The wait after `failures` failures (0 while some are still free).
    std::chrono::milliseconds delayAfter(int64_t failures) const;
};

// How a device's token was revoked.
enum class Revocation { Admin, Logout };

class Accounts {
public:
    struct Options {
        // Argon2id cost; the defaults are libsodium's "interactive" limits.
        // Tests lower them (the minimum is still a real Argon2id hash).
        unsigned long long opsLimit = 0, memLimit = 0;
        // Sign-in limits (docs/security.md, "Sign-in").
        SignInLimit perUser{};     // per user name, devices not trusted for it
        SignInLimit perDevice{};   // per trusted device
        SignInLimit perAddress{.freeFailures = 100,
                               .firstDelay = std::chrono::milliseconds(1'000),
                               .maxDelay = std::chrono::milliseconds(60'000),
                               .forgetAfter = std::chrono::milliseconds(3'600'000)};
        std::function<int64_t()> now;  // ms since epoch; system clock if empty
    };

    // FIELDSYNC_FAST_PASSWORD_HASH=1 lowers the Argon2id cost to its minimum
    // for tests and demos, which sign in often. Honoured only if
    // `fastHashBuilt` (the CMake option FIELDSYNC_FAST_HASH_SWITCH, off in
    // Release builds); otherwise the variable is ignored and `note` (if
    // given) says so.
    static Options fromEnvironment(bool fastHashBuilt, std::string* note = nullptr);

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

    // One sign-in attempt, as POST /v1/login carries it.
    struct Attempt {
        std::string user, password;
        std::string device;      // 32 hex digits
        std::string deviceName;  // how `device list` shows it
        std::string deviceKey;   // the device's sign-in key (43 base64url characters), or empty
        std::string address;     // the client's address
    };
    struct Login {
        User user;
        std::string token;
    };
    // Checks the password and issues a token for (user, device).
    // InvalidArgument on a malformed name, password, device name or key;
    // Unauthenticated on a wrong user or password (the same message for
    // both); ResourceExhausted while the limits make this attempt wait (the
    // seconds in *retryAfterSeconds); PermissionDenied if the device is
    // registered to another user.
    Result<Login> login(const Attempt& attempt, int64_t* retryAfterSeconds = nullptr);
    Result<Login> login(const std::string& user, const std::string& password, const std::string& device,
                        const std::string& deviceName, const std::string& clientAddress);

    // Unauthenticated for a missing or unknown token, Revoked for the token
    // of a revoked device.
    Result<Session> authenticate(const std::string& token);
    std::vector<DeviceInfo> devices();
    // Revokes the device's token. An administrator's revocation also makes
    // the device untrusted for sign-in limits (a lost phone). `by` says who
    // or what asked, for the log. Revoking a revoked device is not an error.
    Status revokeDevice(const std::string& device, Revocation how = Revocation::Admin, const std::string& by = {});
    // Devices revoked at or after `sinceMs` (revoked_at, this store's clock)
    // and still revoked: how `serve` finds, every moment, whose WebSockets to
    // close, whichever process or server instance revoked them.
    std::vector<DeviceInfo> revokedDevicesSince(int64_t sinceMs);

private:
    struct Reservation {
        std::vector<std::string> keys;
        std::string addressKey;  // empty for a trusted device
    };
    int64_t nowMs() const;
    const SignInLimit& limitOf(const std::string& key) const;
    // Counts the attempt on every key, or returns the ms to wait.
    std::variant<Reservation, int64_t> reserve(const std::vector<std::string>& keys, int64_t now);
    int64_t waitFor(const std::string& key, int64_t now);
    void pruneLimits(int64_t now);
    const std::string& dummyHash();

    std::mutex m_mutex;
    std::unique_ptr<storage::Connection> m_db;
    Options m_options;
    int64_t m_lastPrune = 0;
    std::once_flag m_dummyOnce;
    std::string m_dummyHash;
};

// The sign-in limiter's key for a client address: the address itself,
// an IPv6 address's /64 prefix, an IPv4-mapped IPv6 address as IPv4.
std::string addressKey(const std::string& address);

} // namespace fieldsync::server
