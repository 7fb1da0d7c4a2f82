// SyncApi: the sync server's request handlers (docs/api.md), as plain
// functions from HttpRequest to HttpResponse. No sockets: the network layer
// (sync-server/net) calls handle(); tests call it directly.
//
// It authenticates (Accounts), decodes and checks requests, applies the scope
// policy, and calls the Hub, which owns merging. Pushes are serialised by one
// mutex (one SQLite writer). Pulls do not wait for it: each is served by a
// read-only hub connection (Hub::openReader) lent from a small pool, inside
// one snapshot, so it runs while the next push merges. A pull that follows a
// push in the same request starts after that push committed and sees it.
// Everything else — JSON decoding, validation, encoding — runs in parallel
// on the network threads. An in-memory hub has no second connection: then
// pulls take the writer's mutex too. On PostgreSQL the same holds across
// processes: the writer lock is the database's (storage/Connection.h).
#pragma once

#include "api/Metrics.h"
#include "http/HttpTypes.h"
#include "replica/Hub.h"
#include "store/Accounts.h"

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace fieldsync::server {

// Makes a push compute each visit's check-in verdict when it merges a change
// to the visit's evidence (evidence/Gather.h serverFields): every push from a
// device, and the demo seed (which records no arrival time: nothing arrived).
void verifyCheckIns(replica::PushContext& context, bool recordArrival = true);

struct ApiOptions {
    size_t maxChangesPerPush = 5000;
    int64_t maxDriftMs = 5 * 60 * 1000;
    size_t defaultPullLimit = 500;
    size_t maxPullLimit = 5000;
    // A pull page ends once its records reach this many bytes of JSON (the
    // answer's size stays near it whatever the rows hold; docs/api.md).
    size_t maxPullBytes = 8 * 1024 * 1024;
    std::function<int64_t()> now;  // server time, ms since epoch; system clock if empty
    // Opens another read-only connection to the hub's database, for pulls.
    // Empty: derived from the hub's SQLite file (none for an in-memory hub,
    // whose pulls then queue behind pushes).
    std::function<std::unique_ptr<replica::Hub>()> openReader;
};

class SyncApi : public RequestHandler {
public:
    SyncApi(replica::Hub& hub, Accounts& accounts, Metrics& metrics, ApiOptions options = {});

    // Authenticated: a POST /v1/sync whose bearer token is valid. Refused
    // with 401: a /v1/sync or /v1/ws whose token is not. Everything else
    // (login, health, metrics) is anonymous.
    Admission admit(const HttpRequest& head) override;
    HttpResponse handle(const HttpRequest& request) override;
    Upgrade authorizeWebSocket(const HttpRequest& request) override;

    // Where to announce accepted changes (the network layer); may stay null.
    void setPokeSink(PokeSink* sink) { m_poke = sink; }

private:
    HttpResponse login(const HttpRequest& request);
    HttpResponse logout(const HttpRequest& request);
    HttpResponse sync(const HttpRequest& request);
    HttpResponse health();
    int64_t now() const;
    void pokeFor(const std::vector<std::string>& customers, const std::vector<replica::CustomerKey>& formerKeys,
                 uint64_t head);

    replica::PullResult pullPage(const crdt::DeviceId& device, uint64_t cursor, size_t limit,
                                 const replica::Viewer* viewer);
    // The highest position this server knows it served `device`, beyond what
    // the hub stores (PushContext::servedAtLeast).
    uint64_t servedTo(const crdt::DeviceId& device);

    replica::Hub& m_hub;
    Accounts& m_accounts;
    Metrics& m_metrics;
    ApiOptions m_options;
    PokeSink* m_poke = nullptr;
    std::mutex m_hubMutex;
    std::function<std::unique_ptr<replica::Hub>()> m_openReader;  // empty: no readers
    std::mutex m_readersMutex;
    std::vector<std::unique_ptr<replica::Hub>> m_readers;  // idle reader connections
    const bool m_sharedStore;   // PostgreSQL: other server processes may share the store
    const uint64_t m_headAtStart;
    std::mutex m_servedMutex;
    std::unordered_map<crdt::DeviceId, uint64_t> m_served;  // pulled to, by device, since start
};

// A refused push's restore may hold this much even for a small request
// (docs/api.md "push.restore"): a few rows of notes.
inline constexpr size_t kMinRestoreBudget = 64 * 1024;

// The JSON error body of docs/api.md, with the HTTP status for the code.
HttpResponse errorResponse(const Error& error, nlohmann::json extra = nlohmann::json::object());

} // namespace fieldsync::server
