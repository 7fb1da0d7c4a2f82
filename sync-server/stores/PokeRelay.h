// PokeRelay: pokes that reach the devices of every server instance, through
// the database itself (PostgreSQL LISTEN/NOTIFY; no broker).
//
// SyncApi announces accepted changes to a PokeSink: (users, head). With one
// SQLite store that sink is the process's own network layer. With PostgreSQL,
// SyncApi's sink is this relay: poke() sends NOTIFY fieldsync_poke with the
// payload below; every instance (this one included) LISTENs on its own
// connection and hands what arrives to its network layer, which pokes the
// WebSockets of those users it holds.
//
// Payload (JSON text, at most kMaxPayload bytes; a longer user list is split
// over several notifications):
//   {"head": <global position after the push>, "users": ["lina", ...]}
// An empty "users" means every user, as for PokeSink::poke (a change to a
// pool customer).
//
// A notification sent while an instance's listening connection is down is
// lost to it; the listener reconnects (1 s, 2 s, ... 30 s) and devices still
// sync on their own timer, so a lost poke delays, never loses, a change.
#pragma once

#include "http/HttpTypes.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace fieldsync::storage::pg {
class PgConnection;
}

namespace fieldsync::server {

class PokeRelay final : public PokeSink {
public:
    static constexpr const char* kChannel = "fieldsync_poke";
    static constexpr size_t kMaxPayload = 7000;  // PostgreSQL's limit is 8000 bytes

    PokeRelay(std::string url, PokeSink& local);
    ~PokeRelay() override;

    // Starts listening (returns once LISTEN is in place, or throws).
    void start();
    void stop();

    // NOTIFY, from any thread.
    void poke(const std::vector<std::string>& users, uint64_t head) override;

    // Notifications received and handed on (for tests and /metrics).
    uint64_t delivered() const { return m_delivered.load(); }

private:
    void listenLoop();
    std::unique_ptr<storage::pg::PgConnection> connectListener();

    std::string m_url;
    PokeSink& m_local;
    std::mutex m_sendMutex;
    std::unique_ptr<storage::pg::PgConnection> m_sender;
    std::unique_ptr<storage::pg::PgConnection> m_listener;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<uint64_t> m_delivered{0};
    int m_wake[2] = {-1, -1};  // a pipe: stop() wakes the listener's poll
};

} // namespace fieldsync::server
