// SyncEngine: its states, backoff, debounce, triggers and stopping, driven by
// a manual clock and scripted randomness (no real sleeps beyond polling).
#include "SyncTestSupport.h"

#include <random>

namespace fieldsync::client::test {
namespace {

using replica::Write;

// Records every status the engine publishes.
class StatusLog {
public:
    std::function<void(const SyncStatus&)> callback()
    {
        return [this](const SyncStatus& s) {
            std::lock_guard lock(m_mutex);
            m_log.push_back(s);
        };
    }
    std::vector<SyncStatus> all()
    {
        std::lock_guard lock(m_mutex);
        return m_log;
    }
    std::vector<SyncState> states()
    {
        std::vector<SyncState> out;
        for (const auto& s : all()) out.push_back(s.state);
        return out;
    }
    size_t count(SyncState state)
    {
        auto s = states();
        return static_cast<size_t>(std::count(s.begin(), s.end(), state));
    }
    SyncStatus last()
    {
        std::lock_guard lock(m_mutex);
        return m_log.empty() ? SyncStatus{} : m_log.back();
    }

private:
    std::mutex m_mutex;
    std::vector<SyncStatus> m_log;
};

class SyncEngineTest : public SyncFixture {
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        hub = openHub("hub.db", tHub);
        server = std::make_shared<HubServer>(*hub, tHub);
        server->addUser("mona", "pw", "manager");
        auto r = openReplica("device.db", tA);
        SyncClient(*r, *server, secrets(*r)).login(kServer, "mona", "pw", "tablet").value();
        clock = std::make_shared<ManualClock>();
    }

    void TearDown() override
    {
        engine.reset();
        server.reset();
        hub.reset();
        SyncFixture::TearDown();
    }

    SyncEngine::Options options()
    {
        SyncEngine::Options o;
        o.clock = clock;
        o.open.replica.time = [this] { return tA; };
        o.open.plaintext = true;  // the fixture's replicas are plain files
        o.random = [this] {
            std::lock_guard lock(randomMutex);
            if (draws.empty()) return 0.5;
            double r = draws.front();
            draws.pop_front();
            return r;
        };
        return o;
    }

    void startEngine(std::shared_ptr<Transport> transport, SyncEngine::Options o)
    {
        engine = std::make_unique<SyncEngine>(file("device.db"), std::move(transport), secretsFor(file("device.db")), std::move(o));
        engine->onStatus(log.callback());
        engine->start();
    }

    bool syncsDone(size_t n)
    {
        return eventually([&] { return engine->completedSyncs() >= n && log.last().state != SyncState::Syncing; });
    }

    std::unique_ptr<replica::Hub> hub;
    std::shared_ptr<HubServer> server;
    std::shared_ptr<ManualClock> clock;
    std::unique_ptr<SyncEngine> engine;
    StatusLog log;
    std::mutex randomMutex;
    std::deque<double> draws;
};

TEST_F(SyncEngineTest, ASyncGoesIdleSyncingIdleAndReportsCounts)
{
    {
        auto ui = openReplica("device.db", tA);
        ui->create("customer", Write().set("name", "Acme")).value();
        ui->create("customer", Write().set("name", "Beta")).value();
    }
    startEngine(server, options());
    ASSERT_TRUE(syncsDone(1));
    auto all = log.all();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].state, SyncState::Idle);
    EXPECT_EQ(all[0].pending, 2u) << "the first status tells what is waiting";
    EXPECT_EQ(all[1].state, SyncState::Syncing);
    EXPECT_EQ(all[2].state, SyncState::Idle);
    EXPECT_EQ(all[2].pending, 0u);
    EXPECT_EQ(all[2].rejected, 0u);
    EXPECT_EQ(all[2].lastSync, tA);
    EXPECT_TRUE(all[2].lastError.empty());
    EXPECT_EQ(hub->head(), 2u);
    EXPECT_EQ(engine->status().state, SyncState::Idle);
}

TEST_F(SyncEngineTest, ProgressIsReportedPerRound)
{
    {
        auto ui = openReplica("device.db", tA);
        for (int i = 0; i < 5; ++i) ui->create("customer", Write().set("name", "c" + std::to_string(i))).value();
    }
    auto o = options();
    o.client.batchSize = 2;
    std::mutex m;
    std::vector<size_t> pushed;
    engine = std::make_unique<SyncEngine>(file("device.db"), server, secretsFor(file("device.db")), o);
    engine->onStatus(log.callback());
    engine->onProgress([&](const SyncReport& r) {
        std::lock_guard lock(m);
        pushed.push_back(r.pushed);
    });
    engine->start();
    ASSERT_TRUE(syncsDone(1));
    std::lock_guard lock(m);
    EXPECT_EQ(pushed, (std::vector<size_t>{2, 4, 5}));
}

TEST_F(SyncEngineTest, OfflineBacksOffExponentiallyWithFullJitter)
{
    auto down = std::make_shared<FakeTransport>();  // every request: a network error
    auto o = options();
    o.backoffBase = 1000ms;
    o.backoffCap = 8000ms;
    o.period = 0ms;
    draws = {0.5, 0.9, 0.25, 0.999, 0.999, 0.1};
    const std::vector<int64_t> expected = {500, 1800, 1000, 7992, 7992, 800};  // r * min(cap, base * 2^(n-1))
    startEngine(down, o);

    for (size_t n = 1; n <= expected.size(); ++n) {
        ASSERT_TRUE(syncsDone(n)) << "attempt " << n;
        SyncStatus s = log.last();
        ASSERT_EQ(s.state, SyncState::Offline);
        EXPECT_EQ(s.failures, n);
        EXPECT_EQ(s.retryIn.count(), expected[n - 1]) << "failure " << n;
        EXPECT_EQ(s.errorCode, ErrorCode::Unavailable);
        EXPECT_NE(s.lastError.find(kServer), std::string::npos) << s.lastError;
        EXPECT_EQ(down->count(), n);
        // Not before the backoff has passed, even when asked.
        engine->requestSync();
        clock->advance(s.retryIn - 1ms);
        std::this_thread::sleep_for(3ms);
        EXPECT_EQ(down->count(), n) << "retried before the backoff passed";
        clock->advance(1ms);
    }
    ASSERT_TRUE(syncsDone(expected.size() + 1));

    // Back online: the next attempt succeeds and the backoff is forgotten.
    down->setHandler([&](const TransportRequest& req) { return server->send(req); });
    clock->advance(10'000ms);
    ASSERT_TRUE(eventually([&] { return log.last().state == SyncState::Idle; }));
    EXPECT_EQ(log.last().failures, 0u);
    EXPECT_TRUE(log.last().lastError.empty());
}

TEST_F(SyncEngineTest, BackoffDelaysStayWithinTheirBounds)
{
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (size_t n = 1; n <= 30; ++n) {
        const int64_t ceiling = std::min<int64_t>(300'000, int64_t{1000} << std::min<size_t>(n - 1, 20));
        for (int i = 0; i < 50; ++i) {
            auto d = SyncEngine::backoffDelay(n, uniform(rng), 1000ms, 300'000ms).count();
            EXPECT_GE(d, 0);
            EXPECT_LT(d, ceiling) << "failure " << n;
        }
        EXPECT_EQ(SyncEngine::backoffDelay(n, 0.0, 1000ms, 300'000ms).count(), 0);
        EXPECT_GE(SyncEngine::backoffDelay(n, 0.9999, 1000ms, 300'000ms).count(), ceiling * 999 / 1000);
    }
    EXPECT_EQ(SyncEngine::backoffDelay(1000, 0.5, 1000ms, 300'000ms).count(), 150'000) << "capped, no overflow";
}

TEST_F(SyncEngineTest, RequestSyncCoalescesABurstIntoOneSync)
{
    auto o = options();
    o.syncOnStart = false;
    o.period = 0ms;
    o.debounce = 300ms;
    startEngine(server, o);
    ASSERT_TRUE(eventually([&] { return log.all().size() == 1; }));  // the initial status

    auto ui = openReplica("device.db", tA);
    for (int i = 0; i < 10; ++i) {
        ui->create("customer", Write().set("name", "c" + std::to_string(i))).value();
        engine->requestSync();
        clock->advance(20ms);  // 200 ms of writes, inside the debounce window
    }
    std::this_thread::sleep_for(3ms);
    EXPECT_EQ(server->syncRequests(), 0u) << "nothing before the debounce delay";
    clock->advance(100ms);
    ASSERT_TRUE(syncsDone(1));
    EXPECT_EQ(server->syncRequests(), 1u) << "one sync for the whole burst";
    EXPECT_EQ(hub->head(), 10u);
    EXPECT_EQ(log.count(SyncState::Syncing), 1u);

    // A later write is another sync.
    ui->create("customer", Write().set("name", "late")).value();
    engine->requestSync();
    clock->advance(300ms);
    ASSERT_TRUE(syncsDone(2));
    EXPECT_EQ(hub->head(), 11u);
}

TEST_F(SyncEngineTest, ARequestDuringASyncRunsAnotherSyncAfterIt)
{
    auto gate = std::make_shared<FakeTransport>();
    std::atomic<bool> release{false};
    std::atomic<int> calls{0};
    gate->setHandler([&](const TransportRequest& req) {
        if (calls++ == 0)
            while (!release) std::this_thread::sleep_for(1ms);
        return server->send(req);
    });
    auto o = options();
    o.period = 0ms;
    startEngine(gate, o);
    ASSERT_TRUE(eventually([&] { return calls.load() == 1; }));
    engine->requestSync();
    release = true;
    clock->advance(300ms);
    ASSERT_TRUE(syncsDone(2));
    EXPECT_EQ(log.count(SyncState::Syncing), 2u);
}

TEST_F(SyncEngineTest, PokeAndReconnectEndTheBackoffAndSyncNow)
{
    auto flaky = std::make_shared<FakeTransport>();
    auto o = options();
    o.period = 0ms;
    o.backoffBase = 60'000ms;
    draws = {0.9, 0.9};
    startEngine(flaky, o);
    ASSERT_TRUE(syncsDone(1));
    ASSERT_EQ(log.last().state, SyncState::Offline);
    EXPECT_EQ(log.last().retryIn, 54'000ms);

    flaky->setHandler([&](const TransportRequest& req) { return server->send(req); });
    engine->poke();  // no clock movement: the poke alone triggers it
    ASSERT_TRUE(syncsDone(2));
    EXPECT_EQ(log.last().state, SyncState::Idle);

    // Offline again, then the network comes back.
    flaky->setHandler(nullptr);
    engine->poke();
    ASSERT_TRUE(syncsDone(3));
    ASSERT_EQ(log.last().state, SyncState::Offline);
    EXPECT_EQ(log.last().failures, 1u);
    flaky->setHandler([&](const TransportRequest& req) { return server->send(req); });
    engine->reconnect();
    ASSERT_TRUE(syncsDone(4));
    EXPECT_EQ(log.last().state, SyncState::Idle);
}

TEST_F(SyncEngineTest, ThePeriodicTimerSyncs)
{
    auto o = options();
    o.period = 60'000ms;
    startEngine(server, o);
    ASSERT_TRUE(syncsDone(1));
    clock->advance(59'000ms);
    std::this_thread::sleep_for(3ms);
    EXPECT_EQ(engine->completedSyncs(), 1u);
    clock->advance(1'000ms);
    ASSERT_TRUE(syncsDone(2));
    clock->advance(60'000ms);
    ASSERT_TRUE(syncsDone(3));
    EXPECT_EQ(server->syncRequests(), 3u);
}

TEST_F(SyncEngineTest, NotSignedInIsAnErrorWithoutARequest)
{
    {
        auto r = openReplica("device.db", tA);
        FS_ASSERT_OK(SyncClient(*r, *server, secrets(*r)).logout());
    }
    startEngine(server, options());
    ASSERT_TRUE(syncsDone(1));
    EXPECT_EQ(log.last().state, SyncState::Error);
    EXPECT_EQ(log.last().errorCode, ErrorCode::Unauthenticated);
    EXPECT_NE(log.last().lastError.find("not signed in"), std::string::npos);
    EXPECT_EQ(server->syncRequests(), 0u);
}

TEST_F(SyncEngineTest, AnUnauthenticatedAnswerIsAnErrorNotABackoff)
{
    auto refusing = std::make_shared<FakeTransport>();
    refusing->setHandler([](const TransportRequest&) {
        return TransportResponse{401, json{{"error", "unauthenticated"}, {"message", "revoked"}}.dump(), {}};
    });
    auto o = options();
    o.period = 0ms;
    startEngine(refusing, o);
    ASSERT_TRUE(syncsDone(1));
    EXPECT_EQ(log.last().state, SyncState::Error);
    EXPECT_EQ(log.last().retryIn, 0ms);
    EXPECT_NE(log.last().lastError.find("sign in again"), std::string::npos);
    engine->requestSync();  // errors are retried on request, without backoff
    clock->advance(300ms);
    ASSERT_TRUE(syncsDone(2));
    EXPECT_EQ(refusing->count(), 2u);
}

TEST_F(SyncEngineTest, ARevokedDeviceStopsSyncingUntilStartedAgain)
{
    startEngine(server, options());
    ASSERT_TRUE(syncsDone(1));
    ASSERT_EQ(log.last().state, SyncState::Idle);
    std::string deviceHex;
    {
        auto r = openReplica("device.db", tA);
        deviceHex = r->deviceId().hex();
    }
    server->revoke(deviceHex);  // a lost tablet

    engine->poke();
    ASSERT_TRUE(syncsDone(2));
    EXPECT_EQ(log.last().state, SyncState::Revoked);
    EXPECT_EQ(syncStateName(log.last().state), "revoked");
    EXPECT_EQ(log.last().errorCode, ErrorCode::Revoked);
    EXPECT_EQ(log.last().retryIn, 0ms);
    EXPECT_NE(log.last().lastError.find("signed out by an administrator"), std::string::npos) << log.last().lastError;
    const size_t requests = server->syncRequests();

    // Nothing makes it try again: not the timer, a local write, a poke or the network.
    clock->advance(10min);
    engine->requestSync();
    engine->poke();
    engine->reconnect();
    clock->advance(10min);
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(server->syncRequests(), requests);
    EXPECT_EQ(engine->completedSyncs(), 2u);
    EXPECT_EQ(engine->status().state, SyncState::Revoked);

    // Signed in again and started again: it syncs.
    {
        auto r = openReplica("device.db", tA);
        FS_ASSERT_OK(SyncClient(*r, *server, secrets(*r)).login(kServer, "mona", "pw", "tablet"));
    }
    engine->stop();
    engine->start();
    ASSERT_TRUE(eventually([&] { return engine->completedSyncs() >= 3 && log.last().state == SyncState::Idle; }));
    EXPECT_GT(server->syncRequests(), requests);
}

TEST_F(SyncEngineTest, StopAbandonsARunningRequestPromptly)
{
    auto hanging = std::make_shared<FakeTransport>();
    hanging->setHandler([](const TransportRequest& req) {
        while (!(req.cancel && req.cancel->load())) std::this_thread::sleep_for(1ms);
        return TransportResponse{0, {}, "cancelled"};
    });
    startEngine(hanging, options());
    ASSERT_TRUE(eventually([&] { return hanging->count() == 1; }));
    const size_t published = log.all().size();
    auto before = std::chrono::steady_clock::now();
    engine->stop();
    auto took = std::chrono::steady_clock::now() - before;
    EXPECT_LT(took, 500ms);
    EXPECT_FALSE(engine->running());
    EXPECT_EQ(log.all().size(), published) << "nothing is published after stop";
    engine->stop();  // idempotent
}

TEST_F(SyncEngineTest, StopWhileIdleIsPromptAndTheEngineCanRestart)
{
    auto o = options();
    startEngine(server, o);
    ASSERT_TRUE(syncsDone(1));
    auto before = std::chrono::steady_clock::now();
    engine->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 500ms);
    engine->start();
    ASSERT_TRUE(syncsDone(2));
    engine.reset();  // the destructor stops it
}

} // namespace
} // namespace fieldsync::client::test
