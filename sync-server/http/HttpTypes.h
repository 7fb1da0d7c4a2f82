// The server's request/response values, free of Beast and Asio, so request
// handlers (sync-server/api) are plain functions testable without sockets.
// sync-server/net converts between these and Beast's messages.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::server {

struct HttpRequest {
    std::string method;   // "GET", "POST", ...
    std::string target;   // path and query, e.g. "/v1/sync" or "/v1/ws?token=..."
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string remoteAddress;  // client IP, for rate limiting and logs
    // What the handler's admit() learned of this request (Admission::context,
    // e.g. the authenticated session), handed back to its handle() so the
    // work is not done twice; null when admit() was not called (tests) or
    // kept nothing. Only the handler that made it reads it.
    std::shared_ptr<const void> admitted;

    std::string header(const std::string& lowerName) const
    {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::map<std::string, std::string> headers;  // extra headers (e.g. Retry-After)
};

// What the network layer asks of the application.
class RequestHandler {
public:
    virtual ~RequestHandler() = default;

    // Called once a request's line and headers are in, before its body is
    // read (`head.body` is empty), so that what a request may cost is decided
    // by who sends it: only a request the handler vouches for (`authenticated`,
    // e.g. a /v1/sync whose bearer token is valid) may carry a body up to the
    // server's large limit (ServerOptions::maxBodyBytes); every other one is
    // held to ServerOptions::maxAnonymousBodyBytes. A `refusal` is sent as the
    // answer at once and the body is never read (e.g. 401 for a bad token).
    // Called on a network thread; must be thread-safe. Never throws.
    struct Admission {
        bool authenticated = false;
        std::optional<HttpResponse> refusal;
        std::shared_ptr<const void> context;  // becomes HttpRequest::admitted
    };
    virtual Admission admit(const HttpRequest& head) = 0;

    // Plain HTTP requests (everything but WebSocket upgrades). Called on a
    // network thread; must be thread-safe. Never throws.
    virtual HttpResponse handle(const HttpRequest& request) = 0;

    // A WebSocket upgrade on /v1/ws: returns the user and the device the
    // connection belongs to (the device's sockets are closed when it is
    // revoked, and counted against ServerOptions::maxWebSocketsPerDevice), or
    // an error response to send instead of upgrading.
    struct Upgrade {
        bool accepted = false;
        std::string user;
        std::string device;
        HttpResponse refusal;
    };
    virtual Upgrade authorizeWebSocket(const HttpRequest& request) = 0;
};

// Where the application announces new changes; the network layer fans them
// out to connected WebSockets. `users`: who may see them (empty = everyone).
class PokeSink {
public:
    virtual ~PokeSink() = default;
    virtual void poke(const std::vector<std::string>& users, uint64_t head) = 0;
};

} // namespace fieldsync::server
