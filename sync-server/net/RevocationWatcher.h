// RevocationWatcher: closes the WebSockets of revoked devices.
//
// `fieldsync-server device revoke` writes the accounts store from another
// process (or another server instance on the same PostgreSQL database), so a
// revocation cannot be announced to the server that holds the device's
// socket. HTTP needs no help: every request authenticates against the store.
// A WebSocket authenticated once, at its upgrade; this watcher asks the store
// every `interval` (250 ms) for devices revoked since its previous look and
// has the server close their sockets (Server::disconnectDevices, close code
// 4001), so a revoked device hears no more pokes within a second.
//
// Each look reaches `overlap` (60 s) further back than the previous one:
// revoked_at is stamped by the revoking process's clock, which may run
// behind this one, and a socket authorised just before a revocation may
// register just after the look that saw it. Devices found again are
// harmless: their sockets are gone. A look that fails (store unreachable)
// is logged and retried from the same point.
//
// No Beast here: it only calls the Server's thread-safe interface.
#pragma once

#include "net/Server.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fieldsync::server {

class RevocationWatcher {
public:
    // The devices revoked at or after `sinceMs` (the store's clock, ms since
    // the epoch): Accounts::revokedDevicesSince.
    using RevokedSince = std::function<std::vector<std::string>(int64_t sinceMs)>;

    struct Options {
        std::chrono::milliseconds interval{250};
        std::chrono::milliseconds overlap{60'000};
        std::function<int64_t()> now;  // the store's clock (ms since the epoch); the system clock if empty
    };

    RevocationWatcher(Server& server, RevokedSince revokedSince, Options options);
    ~RevocationWatcher();  // stops
    RevocationWatcher(const RevocationWatcher&) = delete;
    RevocationWatcher& operator=(const RevocationWatcher&) = delete;

    // Looks from now on (revocations before start() concern sockets that
    // cannot exist yet beyond the overlap).
    void start();
    void stop();  // joins; idempotent

    size_t socketsClosed() const;

private:
    void run();
    int64_t nowMs() const;

    Server& m_server;
    RevokedSince m_revokedSince;
    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    size_t m_closed = 0;
    std::thread m_thread;
};

} // namespace fieldsync::server
