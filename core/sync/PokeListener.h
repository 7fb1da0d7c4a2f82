// PokeListener: the device's end of the server's WebSocket (GET /v1/ws,
// docs/api.md). The server sends `{"type": "changes", "head": N}` whenever
// changes visible to this user were accepted; the listener hands each poke to
// a callback (the app and `fieldsync sync --watch` call SyncEngine::poke()),
// so devices sync within a moment of each other instead of at the next timer.
//
// The socket is a hint, never the source of truth: a poke lost while the
// socket was down costs nothing but latency, because the engine still syncs
// on its timer and on local writes. So the listener simply keeps one socket
// open: on any failure it reports the reason, waits (exponential backoff
// with jitter, like the engine's) and reconnects; after a reconnect it
// reports one poke with head 0, since changes may have arrived unannounced.
// It answers the server's pings and pings an idle server itself, so a dead
// connection (a phone that changed networks) is noticed.
//
// ws:// for http:// servers, wss:// for https:// ones, with the same trust
// rules as CurlTransport: the system's CAs plus `caFile`, host name checked;
// ws:// only to this machine (requireSecureServer in SyncClient.h): the token
// is never sent unencrypted over a network.
// Runs on a thread of its own; the callbacks are called on that thread.
// Beast and Asio live in PokeListener.cpp only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fieldsync::client {

class PokeListener {
public:
    struct Options {
        std::chrono::milliseconds backoffBase{1'000};
        std::chrono::milliseconds backoffCap{60'000};
        std::chrono::seconds idleTimeout{60};  // ping after half of it idle; give up after all of it
        std::string caFile;                    // extra CA bundle (PEM) for wss://
    };
    // `head`: the server's position announced; 0 after a (re)connect.
    using PokeCallback = std::function<void(uint64_t head)>;
    // Connected, or not with the reason (the first attempt included).
    using StateCallback = std::function<void(bool connected, const std::string& reason)>;

    // `server`: the base URL the device signed in to (http:// or https://).
    PokeListener(std::string server, std::string token, PokeCallback onPoke, StateCallback onState = {});
    PokeListener(std::string server, std::string token, PokeCallback onPoke, StateCallback onState, Options options);
    ~PokeListener();  // stops
    PokeListener(const PokeListener&) = delete;
    PokeListener& operator=(const PokeListener&) = delete;

    void start();
    // Closes the socket and joins the thread; no callback runs after it returns.
    void stop();

    // The WebSocket URL for a server base URL: http→ws, https→wss, + /v1/ws.
    // Empty if `server` is neither http:// nor https://.
    static std::string webSocketUrl(const std::string& server);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fieldsync::client
