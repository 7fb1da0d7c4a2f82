#include "sync/SyncEngine.h"

#include "storage/Database.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace fieldsync::client {

std::string_view syncStateName(SyncState state)
{
    switch (state) {
    case SyncState::Idle: return "idle";
    case SyncState::Syncing: return "syncing";
    case SyncState::Offline: return "offline";
    case SyncState::Error: return "error";
    case SyncState::Revoked: return "revoked";
    }
    return "error";
}

namespace {

class SystemEngineClock final : public EngineClock {
public:
    time_point now() override { return std::chrono::steady_clock::now(); }
    void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, time_point deadline) override
    {
        if (deadline == time_point::max()) cv.wait(lock);
        else cv.wait_until(lock, deadline);
    }
};

// Failures a later attempt may fix by itself: back off and retry.
bool transient(ErrorCode code)
{
    return code == ErrorCode::Unavailable || code == ErrorCode::ResourceExhausted;
}

} // namespace

std::shared_ptr<EngineClock> systemEngineClock()
{
    static auto clock = std::make_shared<SystemEngineClock>();
    return clock;
}

std::chrono::milliseconds SyncEngine::backoffDelay(size_t failures, double r, std::chrono::milliseconds base,
                                                   std::chrono::milliseconds cap)
{
    if (failures == 0) return std::chrono::milliseconds(0);
    r = std::clamp(r, 0.0, 1.0);
    // base * 2^(failures-1), capped; the exponent is bounded so it cannot overflow.
    const double exponent = static_cast<double>(std::min<size_t>(failures - 1, 40));
    const double ceiling = std::min(static_cast<double>(cap.count()), static_cast<double>(base.count()) * std::exp2(exponent));
    return std::chrono::milliseconds(static_cast<int64_t>(std::floor(r * ceiling)));
}

SyncEngine::SyncEngine(std::string databasePath, std::shared_ptr<Transport> transport,
                       std::shared_ptr<SecretStore> secrets)
    : SyncEngine(std::move(databasePath), std::move(transport), std::move(secrets), Options{})
{
}

SyncEngine::SyncEngine(std::string databasePath, std::shared_ptr<Transport> transport,
                       std::shared_ptr<SecretStore> secrets, Options options)
    : m_path(std::move(databasePath)), m_transport(std::move(transport)), m_secrets(std::move(secrets)),
      m_options(std::move(options))
{
    if (!m_transport) throw std::invalid_argument("SyncEngine needs a transport");
    if (!m_secrets) throw std::invalid_argument("SyncEngine needs a secret store");
    if (!m_options.clock) m_options.clock = systemEngineClock();
    m_options.client.cancel = &m_cancel;
    m_random = m_options.random;
    if (!m_random) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        m_random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
    }
}

SyncEngine::~SyncEngine()
{
    stop();
}

void SyncEngine::onStatus(std::function<void(const SyncStatus&)> callback)
{
    std::lock_guard lock(m_mutex);
    m_onStatus = std::move(callback);
}

void SyncEngine::onProgress(std::function<void(const SyncReport&)> callback)
{
    std::lock_guard lock(m_mutex);
    m_onProgress = std::move(callback);
}

void SyncEngine::start()
{
    std::lock_guard lock(m_mutex);
    if (m_running) return;
    m_running = true;
    m_stopping = false;
    m_revoked = false;
    m_cancel = false;
    m_retryAt.reset();
    m_due.reset();
    m_periodicAt.reset();
    if (m_options.syncOnStart) m_due = m_options.clock->now();
    else if (m_options.period.count() > 0) m_periodicAt = m_options.clock->now() + m_options.period;
    m_worker = std::thread([this] { run(); });
}

void SyncEngine::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_running) return;
        m_stopping = true;
        m_cancel = true;
    }
    m_cv.notify_all();
    // From a callback (on the worker itself): the worker ends when it returns;
    // a later stop() or the destructor joins it.
    if (m_worker.get_id() == std::this_thread::get_id()) return;
    if (m_worker.joinable()) m_worker.join();
    std::lock_guard lock(m_mutex);
    m_running = false;
}

bool SyncEngine::running() const
{
    std::lock_guard lock(m_mutex);
    return m_running && !m_stopping;
}

void SyncEngine::requestSync()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_revoked) return;
        if (m_due) return;  // coalesced with the one already scheduled
        m_due = m_options.clock->now() + m_options.debounce;
    }
    m_cv.notify_all();
}

void SyncEngine::poke()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_revoked) return;
        m_due = m_options.clock->now();
        m_retryAt.reset();  // the server is there: end the backoff
    }
    m_cv.notify_all();
}

void SyncEngine::reconnect()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_revoked) return;
        m_due = m_options.clock->now();
        m_retryAt.reset();
        m_status.failures = 0;
    }
    m_cv.notify_all();
}

SyncStatus SyncEngine::status() const
{
    std::lock_guard lock(m_mutex);
    return m_status;
}

size_t SyncEngine::completedSyncs() const
{
    std::lock_guard lock(m_mutex);
    return m_completed;
}

double SyncEngine::draw()
{
    std::lock_guard lock(m_randomMutex);
    return m_random();
}

void SyncEngine::publish(const SyncStatus& status)
{
    std::function<void(const SyncStatus&)> callback;
    {
        std::lock_guard lock(m_mutex);
        callback = m_onStatus;
    }
    if (callback) callback(status);
}

void SyncEngine::run()
{
    {
        // The counters as they are on disk, before the first sync.
        SyncStatus initial;
        try {
            auto replica = openReplica(m_path, *m_secrets, m_options.open);
            initial.pending = replica->pendingCount();
            initial.rejected = replica->rejected().size();
            if (auto last = replica->setting(settings::kLastSync)) initial.lastSync = std::stoll(*last);
        } catch (const std::exception&) {  // reported by the first sync
        }
        {
            std::lock_guard lock(m_mutex);
            m_status = initial;
        }
        publish(initial);
    }

    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        const time_point now = m_options.clock->now();
        time_point next = time_point::max();
        if (m_revoked) {
            // Nothing more to do until stop() (start() makes a new worker).
        } else if (m_retryAt) {
            next = *m_retryAt;  // offline: requests and the timer wait for the backoff
        } else {
            if (m_due) next = std::min(next, *m_due);
            if (m_periodicAt) next = std::min(next, *m_periodicAt);
        }
        if (next > now) {
            m_options.clock->waitUntil(lock, m_cv, next);
            continue;
        }

        m_due.reset();
        m_retryAt.reset();
        m_periodicAt.reset();
        SyncStatus status = m_status;
        status.state = SyncState::Syncing;
        status.retryIn = std::chrono::milliseconds(0);
        m_status = status;
        lock.unlock();
        publish(status);

        Status result = syncNow(status);

        lock.lock();
        if (m_stopping) break;  // abandoned: nothing to report
        ++m_completed;
        const time_point end = m_options.clock->now();
        if (m_options.period.count() > 0) m_periodicAt = end + m_options.period;
        if (result) {
            status.state = SyncState::Idle;
            status.lastError.clear();
            status.errorCode.reset();
            status.failures = 0;
        } else if (transient(result.error().code)) {
            status.state = SyncState::Offline;
            status.lastError = result.error().message;
            status.errorCode = result.error().code;
            status.failures = m_status.failures + 1;
            lock.unlock();
            status.retryIn = backoffDelay(status.failures, draw(), m_options.backoffBase, m_options.backoffCap);
            lock.lock();
            if (m_stopping) break;
            m_retryAt = end + status.retryIn;
        } else if (result.error().code == ErrorCode::Revoked) {
            status.state = SyncState::Revoked;
            status.lastError = result.error().message;
            status.errorCode = result.error().code;
            status.failures = 0;
            m_revoked = true;
            m_due.reset();
            m_periodicAt.reset();
        } else {
            status.state = SyncState::Error;
            status.lastError = result.error().message;
            status.errorCode = result.error().code;
            status.failures = 0;
        }
        m_status = status;
        lock.unlock();
        publish(status);
        lock.lock();
    }
}

Status SyncEngine::syncNow(SyncStatus& status)
{
    try {
        auto replica = openReplica(m_path, *m_secrets, m_options.open);
        Status result = Ok{};
        {
            SyncClient client(*replica, *m_transport, *m_secrets, m_options.client);
            std::function<void(const SyncReport&)> progress;
            {
                std::lock_guard lock(m_mutex);
                progress = m_onProgress;
            }
            if (progress) client.onProgress(progress);
            if (!client.signedIn()) {
                result = Error{ErrorCode::Unauthenticated, "not signed in"};
            } else {
                auto report = client.syncUntilDone();
                if (!report) result = report.error();
            }
        }  // the client acknowledges anything it held back before the counts below
        status.pending = replica->pendingCount();
        status.rejected = replica->rejected().size();
        if (auto last = replica->setting(settings::kLastSync)) status.lastSync = std::stoll(*last);
        return result;
    } catch (const storage::StorageError& e) {
        return Error{ErrorCode::Internal, std::string("database error: ") + e.what()};
    } catch (const std::exception& e) {
        return Error{ErrorCode::Internal, std::string("sync failed: ") + e.what()};
    }
}

} // namespace fieldsync::client
