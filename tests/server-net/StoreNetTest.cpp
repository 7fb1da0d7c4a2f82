// The real network layer (net::Server) in front of the real handlers
// (SyncApi) over the store the suite runs against — SQLite files, or with
// FIELDSYNC_TEST_STORE=postgres a PostgreSQL database (ServerTestSupport.h;
// ctest runs these tests both ways) — driven by the device's own code:
// client::SyncClient over CurlTransport, and client::PokeListener for the
// WebSocket pokes.
//
// PostgresInstancesTest: two server instances on one PostgreSQL database,
// each with its own connections, network layer and PokeRelay (as two
// processes behind one address): a push through one reaches, as a live
// poke, a device listening on the other. Always on PostgreSQL.
#include "ServerTestSupport.h"

#include "net/Server.h"
#include "replica/SettingKeys.h"
#include "stores/PokeRelay.h"
#include "sync/CurlTransport.h"
#include "sync/PokeListener.h"
#include "sync/SyncClient.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace fieldsync::server::test {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

bool eventually(const std::function<bool()>& done, SteadyClock::duration limit = 10s)
{
    const auto deadline = SteadyClock::now() + limit;
    while (!done()) {
        if (SteadyClock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// The heads a PokeListener reported, and whether it is connected.
class Heard {
public:
    client::PokeListener::PokeCallback pokes()
    {
        return [this](uint64_t head) {
            std::lock_guard lock(m_mutex);
            m_heads.push_back(head);
        };
    }
    client::PokeListener::StateCallback states()
    {
        return [this](bool connected, const std::string&) { m_connected = connected; };
    }
    bool heard(uint64_t head)
    {
        std::lock_guard lock(m_mutex);
        return std::find(m_heads.begin(), m_heads.end(), head) != m_heads.end();
    }
    bool connected() const { return m_connected; }

private:
    std::mutex m_mutex;
    std::vector<uint64_t> m_heads;
    std::atomic<bool> m_connected{false};
};

client::PokeListener::Options fastRetry()
{
    client::PokeListener::Options o;
    o.backoffBase = 20ms;
    o.backoffCap = 200ms;
    return o;
}

ServerOptions netOptions()
{
    ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    return o;
}

class StoreNetTest : public ServerFixture {
protected:
    // Signs a device in over HTTP, as `fieldsync login` does.
    void loginOverNet(Device& d, const std::string& server)
    {
        client::SyncClient c(*d, m_transport, m_secrets[d.name]);
        auto info = c.login(server, d.user, d.password, d.name);
        ASSERT_TRUE(info.ok()) << info.error().message;
        EXPECT_EQ(info->user, d.user);
        d.token = *m_secrets[d.name].token();
    }
    client::SyncReport syncOverNet(Device& d)
    {
        client::SyncClient c(*d, m_transport, m_secrets[d.name]);
        auto report = c.syncUntilDone(SteadyClock::now() + 20s);
        EXPECT_TRUE(report.ok()) << d.name << ": " << report.error().message;
        return report.ok() ? *report : client::SyncReport{};
    }
    // A manual switch of the device's server (what a load balancer does
    // without the device knowing): same token, same cursor.
    static void pointAt(Device& d, const std::string& server) { d->setSetting(replica::settings::kServer, server); }

private:
    client::CurlTransport m_transport;
    std::map<std::string, client::MemorySecretStore> m_secrets;  // each device's token
};

TEST_F(StoreNetTest, DevicesSyncOverHttpAndAPushPokesTheOthersWebSocket)
{
    Server server(netOptions(), *api);
    api->setPokeSink(&server);
    server.start();

    Device& lina = device("lina-phone", "lina");
    Device& zhang = device("zhang-tablet", "zhang");
    Device& zhou = device("zhou-phone", "zhou");
    loginOverNet(lina, server.url());
    loginOverNet(zhang, server.url());
    loginOverNet(zhou, server.url());

    Heard manager, otherTeam;
    client::PokeListener zhangListens(server.url(), zhang.token, manager.pokes(), manager.states(), fastRetry());
    client::PokeListener zhouListens(server.url(), zhou.token, otherTeam.pokes(), otherTeam.states(), fastRetry());
    zhangListens.start();
    zhouListens.start();
    ASSERT_TRUE(eventually([&] { return manager.connected() && otherTeam.connected(); }));
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2; }));

    const std::string c = create(lina, "customer", Write().set("name", "北京昭智教育"s).set("owner", "lina"s));
    create(lina, "visit", Write().set("customer", c).set("notes", "首次拜访"s));
    auto pushed = syncOverNet(lina);
    EXPECT_EQ(pushed.accepted, 2u);
    EXPECT_TRUE(pushed.upToDate);
    EXPECT_EQ(lina->pendingCount(), 0u);
    const uint64_t head = hub->head();
    EXPECT_EQ(head, 2u);
    ASSERT_TRUE(eventually([&] { return manager.heard(head); })) << "lina's manager was not poked";

    auto pulled = syncOverNet(zhang);
    EXPECT_EQ(pulled.pulled, 2u);
    EXPECT_EQ(field(zhang, "customer", c, "name"), "北京昭智教育");
    EXPECT_EQ(zhang->cursor(), head);

    // zhou (the other team) may not see lina's customer: no poke, nothing pulled.
    EXPECT_EQ(syncOverNet(zhou).pulled, 0u);
    EXPECT_FALSE(otherTeam.heard(head));
    EXPECT_FALSE(has(zhou, "customer", c));
    EXPECT_EQ(hubIds("customer"), std::set<std::string>{c});
}

// Two instances on one PostgreSQL database, each with a PokeRelay.
class PostgresInstancesTest : public StoreNetTest {
protected:
    void SetUp() override
    {
        // This scenario needs PostgreSQL whichever store the run is for.
        if (const char* was = std::getenv("FIELDSYNC_TEST_STORE")) m_previousStore = was;
        ::setenv("FIELDSYNC_TEST_STORE", "postgres", 1);
        StoreNetTest::SetUp();
    }
    void TearDown() override
    {
        StoreNetTest::TearDown();
        if (m_previousStore) ::setenv("FIELDSYNC_TEST_STORE", m_previousStore->c_str(), 1);
        else ::unsetenv("FIELDSYNC_TEST_STORE");
    }

private:
    std::optional<std::string> m_previousStore;
};

TEST_F(PostgresInstancesTest, APushThroughOneInstancePokesADeviceListeningOnTheOther)
{
    ASSERT_EQ(hub->database().dialect(), storage::Dialect::Postgres);
    const std::string url = hub->database().path();  // the test database (trust authentication)
    auto second = secondInstance();
    Server serverA(netOptions(), *api), serverB(netOptions(), *second->api);
    PokeRelay relayA(url, serverA), relayB(url, serverB);
    api->setPokeSink(&relayA);
    second->api->setPokeSink(&relayB);
    relayA.start();
    relayB.start();
    serverA.start();
    serverB.start();

    Device& lina = device("lina-phone", "lina");
    Device& zhang = device("zhang-tablet", "zhang");
    loginOverNet(lina, serverA.url());
    loginOverNet(zhang, serverB.url());  // a token issued by B

    Heard onB, onA;
    client::PokeListener listenB(serverB.url(), zhang.token, onB.pokes(), onB.states(), fastRetry());
    client::PokeListener listenA(serverA.url(), zhang.token, onA.pokes(), onA.states(), fastRetry());
    listenB.start();
    listenA.start();  // B's token is good on A: the accounts are shared
    ASSERT_TRUE(eventually([&] { return onA.connected() && onB.connected(); }));
    ASSERT_TRUE(eventually([&] { return serverA.connectedWebSockets() == 1 && serverB.connectedWebSockets() == 1; }));

    const std::string c = create(lina, "customer", Write().set("name", "上海浦东客户"s).set("owner", "lina"s));
    EXPECT_EQ(syncOverNet(lina).accepted, 1u);  // through A
    const uint64_t head = hub->head();
    EXPECT_EQ(head, 1u);
    ASSERT_TRUE(eventually([&] { return onB.heard(head); })) << "the poke did not cross to instance B";
    ASSERT_TRUE(eventually([&] { return onA.heard(head); })) << "instance A's own devices were not poked";
    EXPECT_GE(relayB.delivered(), 1u);

    // zhang pulls it through B; then the same device goes on through A (no
    // sticky sessions) after another change pushed through B.
    EXPECT_EQ(syncOverNet(zhang).pulled, 1u);
    EXPECT_EQ(field(zhang, "customer", c, "name"), "上海浦东客户");
    pointAt(lina, serverB.url());
    update(lina, "customer", c, Write().set("phone", "13800000001"s));
    EXPECT_EQ(syncOverNet(lina).accepted, 1u);  // through B
    ASSERT_TRUE(eventually([&] { return onA.heard(2) && onB.heard(2); }));
    pointAt(zhang, serverA.url());
    EXPECT_EQ(syncOverNet(zhang).pulled, 1u);
    EXPECT_EQ(field(zhang, "customer", c, "phone"), "13800000001");
    EXPECT_EQ(zhang->cursor(), 2u);
    EXPECT_EQ(second->hub->dump().dump(), hub->dump().dump());

    // A change to a pool customer pokes everyone (no user list), across
    // instances too.
    create(zhang, "customer", Write().set("name", "公海客户"s));
    EXPECT_EQ(syncOverNet(zhang).accepted, 1u);  // through A
    EXPECT_EQ(hub->head(), 3u);
    ASSERT_TRUE(eventually([&] { return onB.heard(3); })) << "a pool customer's poke did not cross to instance B";

    listenA.stop();
    listenB.stop();
    serverA.stop();
    serverB.stop();
    relayA.stop();
    relayB.stop();
}

} // namespace
} // namespace fieldsync::server::test
