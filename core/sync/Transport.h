// Transport: one HTTP request/response exchange, as the sync client needs it.
// CurlTransport is the real one; tests script responses or answer in-process
// (tests/sync), so the protocol logic (SyncClient) runs without a network.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>

namespace fieldsync::client {

struct TransportRequest {
    std::string method = "POST";
    std::string url;  // absolute: "https://sync.example.com/v1/sync"
    std::string body;
    std::map<std::string, std::string> headers;  // "Authorization" -> "Bearer ..."
    std::chrono::milliseconds timeout{30'000};   // the whole exchange, connecting included
    // Set (from another thread) to abandon the exchange: it ends soon with an
    // error. Null: not cancellable.
    const std::atomic<bool>* cancel = nullptr;
};

struct TransportResponse {
    int status = 0;      // HTTP status; 0 when `error` is set
    std::string body;
    std::string error;   // non-empty: network-level failure (no HTTP answer)
};

class Transport {
public:
    virtual ~Transport() = default;
    // Never throws for network failures: they come back as `error`.
    virtual TransportResponse send(const TransportRequest& request) = 0;
};

} // namespace fieldsync::client
