// SyncEngine: keeps one replica file in sync in the background.
//
// A worker thread runs SyncClient::syncUntilDone against the server. It opens
// its own Replica on the database file for every sync (client::openReplica,
// with the key in the SecretStore) and closes it after
// (SQLite WAL lets the app keep its own connection meanwhile; re-opening
// picks up everything the app wrote in between).
//
// When it syncs:
//   requestSync()  a local write happened: sync soon. Requests are coalesced:
//                  the first one schedules a sync `debounce` later, and every
//                  request until then rides along (a burst of writes is one
//                  sync, at most `debounce` after its first write).
//   poke()         the server announced changes (WebSocket): sync now.
//   reconnect()    the network came back: forget the backoff, sync now.
//   the timer      `period` after the end of the previous sync.
//   start()        once at start (unless syncOnStart is false).
// A request made while a sync runs schedules another one after it.
//
// States (SyncStatus::state):
//   Idle     the last sync finished with nothing left to push or pull
//   Syncing  a sync is running
//   Offline  the server could not be reached (or is unavailable / rate
//            limiting): retried after an exponential backoff with full jitter,
//            delay = random[0,1) * min(backoffCap, backoffBase * 2^(n-1)) for
//            the n-th failure in a row. requestSync() and the timer wait for
//            the backoff; poke() and reconnect() end it.
//   Error    anything a retry will not fix by itself: not signed in, the
//            sign-in was refused, the app must be upgraded, the server broke
//            the protocol. Retried on requests and on the timer (the user may
//            have signed in again meanwhile), without backoff.
//   Revoked  the server revoked this device's sign-in (401 `revoked`: signed
//            out elsewhere, or by an administrator; SyncClient has forgotten
//            the token). The engine stops syncing: requests, pokes,
//            reconnects and the timer are ignored until start() is called
//            again (after someone signs in again). The engine's replica is
//            closed by then: the app wipes the device (client::wipeReplica)
//            and sends the user to its sign-in page; `fieldsync sync --watch`
//            wipes it and exits with status 6.
//
// Callbacks run on the worker thread, never with the engine's lock held, so
// they may call back into the engine (status(), requestSync(), ...; stop()
// from a callback only asks the worker to end). Set them before start(). The
// clock and the random source are injectable for tests.
//
// Thread safety: every public member may be called from any thread.
// stop() (and the destructor) abandons a running request and joins the
// worker: with CurlTransport within about a second at worst.
#pragma once

#include "base/Result.h"
#include "replica/Replica.h"
#include "sync/Secrets.h"
#include "sync/SyncClient.h"
#include "sync/Transport.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace fieldsync::client {

enum class SyncState { Idle, Syncing, Offline, Error, Revoked };
std::string_view syncStateName(SyncState state);  // "idle", "syncing", "offline", "error", "revoked"

struct SyncStatus {
    SyncState state = SyncState::Idle;
    size_t pending = 0;    // local changes not yet acknowledged (as of the last sync)
    size_t rejected = 0;   // changes the server refused for good
    int64_t lastSync = 0;  // ms of the last complete sync (setting last_sync); 0: never
    std::string lastError; // Offline and Error: what went wrong; empty otherwise
    std::optional<ErrorCode> errorCode;
    size_t failures = 0;                    // Offline: failed attempts in a row
    std::chrono::milliseconds retryIn{0};   // Offline: the backoff before the next attempt
};

// The engine's notion of time: steady time, and waiting for it.
class EngineClock {
public:
    using time_point = std::chrono::steady_clock::time_point;
    virtual ~EngineClock() = default;
    virtual time_point now() = 0;
    // Blocks until `cv` is notified or `deadline` (on this clock) has passed;
    // may return early. `lock` holds cv's mutex.
    virtual void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, time_point deadline) = 0;
};

std::shared_ptr<EngineClock> systemEngineClock();

class SyncEngine {
public:
    struct Options {
        std::chrono::milliseconds debounce{300};
        std::chrono::milliseconds period{60'000};  // 0: no timer
        std::chrono::milliseconds backoffBase{1'000};
        std::chrono::milliseconds backoffCap{300'000};
        bool syncOnStart = true;
        SyncClient::Options client;    // its `cancel` is the engine's own
        OpenOptions open{.replica = {}, .plaintext = false, .create = false};  // how the replica is opened with the store's key
        std::function<double()> random;       // uniform in [0, 1); default: a seeded PRNG
        std::shared_ptr<EngineClock> clock;   // default: systemEngineClock()
    };

    // `secrets`: the replica's key and token (sync/Secrets.h).
    SyncEngine(std::string databasePath, std::shared_ptr<Transport> transport, std::shared_ptr<SecretStore> secrets);
    SyncEngine(std::string databasePath, std::shared_ptr<Transport> transport, std::shared_ptr<SecretStore> secrets,
               Options options);
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    void onStatus(std::function<void(const SyncStatus&)> callback);
    void onProgress(std::function<void(const SyncReport&)> callback);

    void start();
    void stop();
    bool running() const;

    void requestSync();
    void poke();
    void reconnect();

    SyncStatus status() const;
    // Syncs finished since start (successful or not); for tests and diagnostics.
    size_t completedSyncs() const;

    // The backoff before the n-th attempt after n failures in a row (n >= 1),
    // given a random draw r in [0, 1).
    static std::chrono::milliseconds backoffDelay(size_t failures, double r, std::chrono::milliseconds base,
                                                  std::chrono::milliseconds cap);

private:
    using time_point = EngineClock::time_point;

    void run();
    // One sync on a fresh Replica; fills `status` counters. Never throws.
    Status syncNow(SyncStatus& status);
    void publish(const SyncStatus& status);
    double draw();

    const std::string m_path;
    std::shared_ptr<Transport> m_transport;
    std::shared_ptr<SecretStore> m_secrets;
    Options m_options;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::thread m_worker;
    bool m_running = false;
    bool m_stopping = false;
    bool m_revoked = false;  // Revoked: nothing syncs until start()
    std::atomic<bool> m_cancel{false};
    std::optional<time_point> m_due;       // a requested sync runs then
    std::optional<time_point> m_retryAt;   // offline: not before then
    std::optional<time_point> m_periodicAt;
    SyncStatus m_status;
    size_t m_completed = 0;
    std::function<void(const SyncStatus&)> m_onStatus;
    std::function<void(const SyncReport&)> m_onProgress;
    std::mutex m_randomMutex;
    std::function<double()> m_random;
};

} // namespace fieldsync::client
