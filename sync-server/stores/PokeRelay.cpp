#include "stores/PokeRelay.h"

#include "storage-pg/PgConnection.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <poll.h>
#include <unistd.h>

#include <chrono>

namespace fieldsync::server {

using nlohmann::json;

PokeRelay::PokeRelay(std::string url, PokeSink& local) : m_url(std::move(url)), m_local(local)
{
    if (::pipe(m_wake) != 0) throw std::runtime_error("pipe() failed");
}

PokeRelay::~PokeRelay()
{
    stop();
    ::close(m_wake[0]);
    ::close(m_wake[1]);
}

std::unique_ptr<storage::pg::PgConnection> PokeRelay::connectListener()
{
    auto c = std::make_unique<storage::pg::PgConnection>(m_url);
    c->listen(kChannel);
    return c;
}

void PokeRelay::start()
{
    m_listener = connectListener();
    m_thread = std::thread([this] { listenLoop(); });
}

void PokeRelay::stop()
{
    if (!m_thread.joinable()) return;
    m_stop = true;
    char byte = 1;
    (void)!::write(m_wake[1], &byte, 1);
    m_thread.join();
}

void PokeRelay::poke(const std::vector<std::string>& users, uint64_t head)
{
    // An empty list is sent as it is: it means every user (PokeSink), e.g.
    // for a change to a pool customer.
    std::vector<std::string> payloads;
    json batch{{"head", head}, {"users", json::array()}};
    size_t size = batch.dump().size();
    for (const auto& u : users) {
        const size_t more = json(u).dump().size() + 1;
        if (size + more > kMaxPayload && !batch["users"].empty()) {
            payloads.push_back(batch.dump());
            batch["users"] = json::array();
            size = batch.dump().size();
        }
        batch["users"].push_back(u);
        size += more;
    }
    payloads.push_back(batch.dump());
    std::lock_guard lock(m_sendMutex);
    // One retry on a fresh connection: the sending connection may have been
    // closed by the server (restart, idle timeout) since the last poke.
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            if (!m_sender) m_sender = std::make_unique<storage::pg::PgConnection>(m_url);
            for (const auto& p : payloads) m_sender->notify(kChannel, p);
            return;
        } catch (const std::exception& e) {
            m_sender.reset();
            if (attempt == 1) spdlog::warn("poke not relayed (devices will sync on their timer): {}", e.what());
        }
    }
}

void PokeRelay::listenLoop()
{
    std::chrono::seconds backoff{1};
    while (!m_stop) {
        if (!m_listener) {
            try {
                m_listener = connectListener();
                backoff = std::chrono::seconds{1};
                spdlog::info("poke listener reconnected");
            } catch (const std::exception& e) {
                spdlog::warn("poke listener cannot reconnect (retrying in {} s): {}", backoff.count(), e.what());
                pollfd wake{m_wake[0], POLLIN, 0};
                ::poll(&wake, 1, static_cast<int>(backoff.count() * 1000));
                backoff = std::min(backoff * 2, std::chrono::seconds{30});
                continue;
            }
        }
        pollfd fds[2] = {{m_listener->socket(), POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (::poll(fds, 2, 1000) < 0) continue;
        if (m_stop) break;
        if (!(fds[0].revents & (POLLIN | POLLERR | POLLHUP))) continue;
        try {
            for (const auto& n : m_listener->notifications()) {
                json p = json::parse(n.payload, nullptr, false);
                if (p.is_discarded() || !p.contains("users") || !p["users"].is_array() || !p.contains("head")) {
                    spdlog::warn("ignored a malformed poke notification: {}", n.payload);
                    continue;
                }
                m_local.poke(p["users"].get<std::vector<std::string>>(), p["head"].get<uint64_t>());
                ++m_delivered;
            }
        } catch (const std::exception& e) {
            spdlog::warn("poke listener lost its connection: {}", e.what());
            m_listener.reset();
        }
    }
}

} // namespace fieldsync::server
