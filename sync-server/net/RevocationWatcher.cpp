#include "net/RevocationWatcher.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace fieldsync::server {

RevocationWatcher::RevocationWatcher(Server& server, RevokedSince revokedSince, Options options)
    : m_server(server), m_revokedSince(std::move(revokedSince)), m_options(std::move(options))
{
}

RevocationWatcher::~RevocationWatcher()
{
    stop();
}

void RevocationWatcher::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable() || m_stopping) return;
    m_thread = std::thread([this] { run(); });
}

void RevocationWatcher::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) m_thread.join();
}

size_t RevocationWatcher::socketsClosed() const
{
    std::lock_guard lock(m_mutex);
    return m_closed;
}

int64_t RevocationWatcher::nowMs() const
{
    if (m_options.now) return m_options.now();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void RevocationWatcher::run()
{
    int64_t lastLook = nowMs();
    bool failing = false;
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_options.interval, [this] { return m_stopping; })) {
        lock.unlock();
        const int64_t now = nowMs();
        try {
            auto devices = m_revokedSince(lastLook - m_options.overlap.count());
            const size_t closed = devices.empty() ? 0 : m_server.disconnectDevices(devices);
            lastLook = now;
            if (failing) spdlog::info("revocation watch: the accounts store answers again");
            failing = false;
            lock.lock();
            m_closed += closed;
            continue;
        } catch (const std::exception& e) {
            // Logged once per outage; the next look starts from the same point.
            if (!failing) spdlog::warn("revocation watch: cannot read revoked devices: {}", e.what());
            failing = true;
        }
        lock.lock();
    }
}

} // namespace fieldsync::server
