// Idle WebSocket clients for fieldsync_load (LoadWs.cpp: the only translation
// unit of the tool that includes Beast).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fieldsync::load {

struct WsClientReport {
    size_t connected = 0;       // upgraded (101)
    size_t failed = 0;          // connect or upgrade failed
    double connectSeconds = 0;  // until every connection attempt ended
    size_t delivered = 0;       // connections that received a "changes" frame
    int64_t lastDeliveryNs = 0; // CLOCK_MONOTONIC (steady_clock) of the last delivery
};

// Opens one WebSocket to ws://127.0.0.1:port/v1/ws per token (Authorization:
// Bearer), at most `inFlight` handshakes at a time, all on one io_context in
// the calling thread. Once every attempt has ended, calls `onConnected` (the
// report so far); then waits until every connection received one text frame,
// or `deliveryTimeoutS` seconds after onConnected returned.
WsClientReport runIdleWebSockets(uint16_t port, const std::vector<std::string>& tokens, size_t inFlight,
                                 double deliveryTimeoutS, void (*onConnected)(const WsClientReport&, void*),
                                 void* context);

} // namespace fieldsync::load
