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

struct ServerOptions {
    std::string address = "127.0.0.1";  // an IP address ("localhost" means 127.0.0.1)
    uint16_t port = 0;                  // 0 = an ephemeral port, see Server::port()
    int threads = 2;                    // io threads; handlers run on them, so keep >= 2
    size_t maxBodyBytes = 8 * 1024 * 1024;  // larger request bodies get 413
    std::string tlsCertFile, tlsKeyFile;    // both set = HTTPS/WSS (PEM; the cert file may hold a chain)
    bool insecure = false;                  // allow plain HTTP on a non-loopback address
    std::chrono::seconds idleTimeout{60};   // an HTTP connection idle this long is closed; WebSockets are pinged
    std::chrono::seconds stopTimeout{5};    // how long stop() waits for in-flight requests and closing WebSockets
};

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

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fieldsync::server
