// SyncClient: the device side of the sync API (docs/api.md) over one Replica.
// Synchronous and transport-agnostic: every call runs on the caller's thread
// and talks to the server through a Transport (CurlTransport in the app, a
// scripted or in-process one in tests). SyncEngine runs it in the background.
//
// The bearer token of this (user, device) is kept in the SecretStore, beside
// the replica's key and never in the replica (sync/Secrets.h); absent =
// signed out. Settings it keeps in the replica (Replica::setting):
//   server     the server's base URL, as given to login() without a trailing "/"
//   user, role, team   who signed in (role: "rep", "manager", "admin")
//   last_sync  milliseconds (this device's corrected clock) of the last sync
//              that ended with nothing left to push or pull
//   device_key this device's sign-in key: 32 random bytes (base64url), made
//              at its first sign-in and sent with every one (docs/api.md,
//              POST /v1/login): the server trusts a device that signed in
//              with it before, so someone else's failed guesses never delay
//              its sign-in (docs/security.md, "Sign-in")
//   revoked    the server's message when it answered 401 `revoked` (this
//              device was signed out remotely); cleared by the next sign-in
//
// Transport security: a password or token is sent only to an https:// server,
// or over plain http:// to this machine (localhost, 127.0.0.0/8, [::1]);
// anything else is refused before a request is made (requireSecureServer).
//
// One round = one POST /v1/sync carrying the oldest unacknowledged changes
// (push, after = the acknowledged mark) and a pull from the cursor:
//
//   200  push.acked: everything up to it is held by the server, so it leaves
//        the outbox (Replica::acknowledge); the pulled page is applied with
//        its cursor (Replica::applyRemote) and `evict` dropped (evict()).
//   403 with "push": some changes were refused for good: they move to the
//        rejected list and the server's state of their rows ("restore") is
//        applied (Replica::reject); the rest is acknowledged; sync goes on.
//   409 clock_skew: this device's clock runs ahead of the server's, or (a
//        push carries `clock`, the device's corrected time) behind it: the
//        clock offset is corrected (Replica::correctClock re-stamps what is
//        not yet accepted, and moves the times captured with it) and the
//        round is sent again, at most maxClockCorrections times in a row.
//   Every answer's server_time (sign-in, sync) also moves the offset when it
//   disagrees by more than half the round trip plus kOffsetToleranceMs, so a
//   clock that is fixed, or goes wrong, heals within one sync.
//   413: the batch is halved and sent again (down to one change).
//   401 revoked: this device's token was revoked (signed out elsewhere, or by
//        an administrator: a lost phone): the token is forgotten, the
//        server's message kept in `revoked`, and the round fails with
//        ErrorCode::Revoked; syncing stops until someone signs in again.
//   401  -> Unauthenticated (sign in again); 426 -> FailedPrecondition with
//        the server's message (upgrade); network failures, 5xx, 503 ->
//        Unavailable (retry with backoff); a response that does not follow
//        the API -> Internal (or Unavailable if it is not JSON at all, e.g. a
//        captive portal's page). Nothing is changed by a failed round.
//
// Acknowledging and settling provisional conflicts: Replica::acknowledge
// takes the hub's head after the push, so that the flags the hub did not
// confirm are dropped once the device has pulled that far. The pull cursor of
// the same response is that head when the page is the last one (`more` is
// false: the hub logged the push before serving the pull). When the page is
// not the last, the head is unknown: the acknowledgement is held back, the
// following rounds only pull, and the last page's cursor is used. Until then
// the held changes stay in the outbox; if the sync stops early they are
// acknowledged without a head (and would otherwise just be replays).
//
// Thread safety: one thread at a time, like the Replica it uses.
#pragma once

#include "base/Result.h"
#include "replica/Replica.h"
#include "replica/SettingKeys.h"
#include "sync/Secrets.h"
#include "sync/Transport.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync::client {

namespace settings = replica::settings;

// Differences between this device's corrected clock and an answer's
// server_time within this (beyond half the round trip) are noise, not a
// correction: the offset is not touched for them.
inline constexpr int64_t kOffsetToleranceMs = 1000;

struct LoginInfo {
    std::string server;  // base URL as stored
    std::string user, role, team;
    int64_t serverTime = 0;  // ms, 0 if the server did not say
};

struct SyncReport {
    size_t pushed = 0;      // changes sent (a change sent twice counts twice)
    size_t accepted = 0;    // of those, accepted by the server
    size_t duplicates = 0;  // of those, already held by the server (replays)
    size_t rejected = 0;    // of those, refused for good (now in Replica::rejected())
    size_t pulled = 0;      // changes applied from the server
    size_t evicted = 0;     // customers that left this user's scope
    size_t conflicts = 0;   // conflict entries among the pulled changes
    size_t rounds = 0;      // /v1/sync requests the server answered
    size_t clockCorrections = 0;
    bool upToDate = false;  // nothing left to push, nothing more to pull

    void add(const SyncReport& other);
};

class SyncClient {
public:
    struct Options {
        size_t batchSize = 500;   // changes per push
        size_t pullLimit = 500;   // changes per pulled page
        std::chrono::milliseconds requestTimeout{30'000};
        int maxClockCorrections = 3;   // in a row
        size_t maxRounds = 100'000;    // per syncUntilDone: a guard against a server that never finishes
        const std::atomic<bool>* cancel = nullptr;  // set to abandon a sync (-> Unavailable "cancelled")
    };

    SyncClient(replica::Replica& replica, Transport& transport, SecretStore& secrets);
    SyncClient(replica::Replica& replica, Transport& transport, SecretStore& secrets, Options options);
    // Acknowledges a held acknowledgement (without a head).
    ~SyncClient();
    SyncClient(const SyncClient&) = delete;
    SyncClient& operator=(const SyncClient&) = delete;

    // POST /v1/login. On success stores server, user, role (and team) in the
    // replica and the token in the SecretStore. Refuses to sign a database that has synced with another
    // server or user into a different one (its data belongs there).
    Result<LoginInfo> login(std::string_view serverUrl, std::string_view user, std::string_view password,
                            std::string_view deviceName);
    // Signs this device out: POST /v1/logout revokes its token on the
    // server, and the token is forgotten here whatever the answer (the
    // server, user and all data stay). Ok if the server revoked it (or no
    // longer accepted it anyway); otherwise the error says why the server
    // could not be told: the token then stays valid there until an
    // administrator revokes the device or it signs in again (a new sign-in
    // replaces the token).
    Status logout();
    // Server and token are stored.
    bool signedIn();

    // One round (plus clock-skew corrections and 413 retries).
    Result<SyncReport> syncOnce();
    // Rounds until nothing is left to push and nothing more to pull, the
    // first error, or `deadline` (-> Unavailable). The report counts every
    // round; on an error it is lost but what was done stays done.
    Result<SyncReport> syncUntilDone(std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

    // Called after every round of syncUntilDone with the running totals.
    void onProgress(std::function<void(const SyncReport&)> callback) { m_progress = std::move(callback); }

    const Options& options() const { return m_options; }
    size_t batchSize() const { return m_batchSize; }

private:
    enum class Outcome { Ok, ClockSkew, TooLarge };
    struct Round {
        Outcome outcome = Outcome::Ok;
        int64_t serverTime = 0;
    };

    Result<Round> round(SyncReport& report, std::chrono::milliseconds timeout);
    void flushHeldAck();
    // Every answer carries the server's time: the clock offset follows it
    // (sentAt/receivedAt: this device's corrected clock around the request).
    void learnServerTime(int64_t serverTime, int64_t sentAt, int64_t receivedAt);
    std::string deviceKey();  // made and kept at the first sign-in
    Result<std::optional<std::string>> storedToken();  // a store that cannot be read: FailedPrecondition

    replica::Replica& m_replica;
    Transport& m_transport;
    SecretStore& m_secrets;
    Options m_options;
    size_t m_batchSize;
    std::optional<crdt::Hlc> m_heldAck;
    std::optional<std::chrono::steady_clock::time_point> m_deadline;
    std::function<void(const SyncReport&)> m_progress;
};

// "https://host:8443/" -> "https://host:8443"; an error unless http(s)://host...
Result<std::string> normalizeServerUrl(std::string_view url);

// Ok for an https:// URL, or an http:// one whose host is this machine
// (localhost, 127.0.0.0/8, [::1]); otherwise InvalidArgument with a message
// that names https://. Checked before any password or token is sent.
Status requireSecureServer(std::string_view url);

} // namespace fieldsync::client
