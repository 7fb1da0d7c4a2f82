// The sync server's network layer: HTTP/1.1 (keep-alive) and WebSockets, plain
// or TLS, on a pool of io threads. It turns requests into HttpRequest values for
// a RequestHandler and fans pokes out to the WebSockets of the users concerned.
//
// This is the only header of sync-server/net the rest of the project includes:
// no Beast or Asio types here (they live in Server.cpp, behind a pimpl).
#pragma once

#include "http/HttpTypes.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fieldsync::server {

// Every bound a client can push against (docs/api.md, "Limits"; each is a
// `serve` option of the same name).
struct ServerOptions {
    std::string address = "127.0.0.1";  // an IP address ("localhost" means 127.0.0.1)
    uint16_t port = 0;                  // 0 = an ephemeral port, see Server::port()
    int threads = 2;                    // io threads; handlers run on them, so keep >= 2
    std::string tlsCertFile, tlsKeyFile;    // both set = HTTPS/WSS (PEM; the cert file may hold a chain)
    bool insecure = false;                  // allow plain HTTP on a non-loopback address

    // Bodies, decided once the headers are in and before the body is read
    // (RequestHandler::admit): larger ones get 413 and are never read.
    size_t maxBodyBytes = 8 * 1024 * 1024;       // requests the handler vouches for (an authenticated /v1/sync)
    size_t maxAnonymousBodyBytes = 16 * 1024;    // every other request (login, health, a bad token's);
                                                 // never more than maxBodyBytes
    size_t maxBodyBytesInFlight = 128 * 1024 * 1024;  // bodies being received at once, all connections
                                                      // together (by their announced length): beyond, 503

    // Connections. Beyond maxConnections (or maxConnectionsPerAddress from
    // one client address) a connection is still accepted into a small
    // reserve, where only GET /healthz is answered and everything else gets
    // 503 (429 for the per-address limit) with Retry-After; the reserve's
    // oldest connection makes room for a new one. maxConnections is lowered
    // at start() to what the process's descriptor limit (ulimit -n) leaves,
    // so descriptors never run out first (see Server::connectionLimit()).
    size_t maxConnections = 10000;            // HTTP and WebSocket connections, all clients
    size_t maxConnectionsPerAddress = 1024;   // from one client IP; 0 = no per-address limit
                                              // (behind a reverse proxy every client has its address)
    size_t maxWebSocketsPerDevice = 2;        // a newer socket closes the device's oldest (code 4002)

    // Time. A new connection must deliver its TLS handshake and its first
    // request's line and headers within headerTimeout; on a kept-alive
    // connection the next request may take idleTimeout to start and then
    // headerTimeout for its headers (a client trickling headers, slowloris,
    // is cut). A body must arrive within bodyTimeout plus one second per
    // minBodyRate bytes of its announced length. Connections cut this way
    // are closed without an answer.
    std::chrono::seconds headerTimeout{10};
    std::chrono::seconds idleTimeout{60};   // an HTTP connection idle this long is closed; WebSockets are pinged
    std::chrono::seconds bodyTimeout{15};
    size_t minBodyRate = 16 * 1024;         // bytes per second
    std::chrono::seconds stopTimeout{5};    // how long stop() waits for in-flight requests and closing WebSockets
};

// WebSocket close codes the server sends (docs/api.md, "GET /v1/ws").
inline constexpr uint16_t kCloseGoingAway = 1001;        // the server is stopping
inline constexpr uint16_t kCloseDeviceRevoked = 4001;    // the device was signed out (device revoke)
inline constexpr uint16_t kCloseSuperseded = 4002;       // the device opened more than maxWebSocketsPerDevice

class Server : public PokeSink {
public:
    // Checks the options and loads the TLS certificate and key; throws
    // std::runtime_error with a message a person can act on (plain HTTP on a
    // non-loopback address without `insecure`, unreadable cert/key, ...).
    // `handler` must outlive the server.
    Server(ServerOptions options, RequestHandler& handler);
    ~Server() override;  // stop()s
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens (throws std::runtime_error naming address:port if that
    // fails, e.g. the port is taken), then starts the io threads. Once only.
    void start();
    // The bound port, after start(); before it, the configured one.
    uint16_t port() const;
    // "http://127.0.0.1:8080" or "https://...": the base URL, after start().
    std::string url() const;
    // Graceful and idempotent, callable from any thread but the server's own
    // (not from inside a handler): stops accepting (new connections are
    // refused), lets requests already being handled finish and answers them
    // with "Connection: close", closes idle connections, closes WebSockets with
    // a close frame (going away), waits up to stopTimeout for all that, then
    // joins the io threads. A handler still running after stopTimeout delays
    // the join until it returns.
    void stop();

    // Thread-safe; sends {"type":"changes","head":N} to every WebSocket of
    // those users (empty = everyone). Never blocks on the network.
    void poke(const std::vector<std::string>& users, uint64_t head) override;
    // WebSockets from their upgrade on until they close.
    size_t connectedWebSockets() const;

    // Thread-safe: closes every WebSocket of these devices with close code
    // 4001 (kCloseDeviceRevoked), after the frame being written if any; no
    // poke reaches them once this returns. Each close is logged at info.
    // Returns how many sockets it closes.
    size_t disconnectDevices(const std::vector<std::string>& devices);

    // Open connections (HTTP, WebSocket and those in the reserve).
    size_t openConnections() const;
    // The connection limit in force: ServerOptions::maxConnections, lowered
    // at start() to what the descriptor limit leaves.
    size_t connectionLimit() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fieldsync::server
