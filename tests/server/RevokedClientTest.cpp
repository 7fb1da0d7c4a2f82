// The device's sync client (core/sync: SyncClient, SyncEngine) against the
// real request handlers, in-process: signing out revokes the token on the
// server, and a revoked device stops syncing and says so.
#include "ServerTestSupport.h"

#include "replica/SettingKeys.h"
#include "sync/SyncClient.h"

#include <map>
#include "sync/SyncEngine.h"
#include "sync/Transport.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>

namespace fieldsync::server::test {
namespace {

using client::MemorySecretStore;
using client::SecretStore;
using client::SyncClient;
using client::SyncEngine;
using client::SyncState;
using client::SyncStatus;
namespace settings = replica::settings;

const std::string kUrl = "https://sync.test";

// A Transport that hands each request to SyncApi::handle, as the network
// layer would (header names lower-cased).
class InProcessTransport : public client::Transport {
public:
    explicit InProcessTransport(SyncApi& api) : m_api(api) {}

    client::TransportResponse send(const client::TransportRequest& request) override
    {
        ++requests;
        if (request.url.rfind(kUrl, 0) != 0) return {0, {}, "unknown host in " + request.url};
        HttpRequest r;
        r.method = request.method;
        r.target = request.url.substr(kUrl.size());
        for (const auto& [name, value] : request.headers) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            r.headers[lower] = value;
        }
        r.body = request.body;
        r.remoteAddress = "10.0.0.1";
        HttpResponse response = m_api.handle(r);
        return {response.status, response.body, {}};
    }

    std::atomic<size_t> requests{0};

private:
    SyncApi& m_api;
};

class RevokedClientTest : public ServerFixture {
protected:
    void SetUp() override
    {
        ServerFixture::SetUp();
        transport = std::make_shared<InProcessTransport>(*api);
    }

    // A device signed in through SyncClient::login, synced once.
    Device& signedInClient(const std::string& name, const std::string& user)
    {
        Device& d = device(name, user);
        SyncClient c(*d, *transport, secretsOf(d));
        auto info = c.login(kUrl, user, passwordOf(user), name);
        EXPECT_TRUE(info.ok()) << info.error().message;
        create(d, "customer", Write().set("name", name + " Co").set("owner", user));
        auto synced = c.syncUntilDone();
        EXPECT_TRUE(synced.ok()) << synced.error().message;
        return d;
    }

    bool revokedOnServer(Device& d)
    {
        for (const auto& info : accounts->devices())
            if (info.device == d.hex()) return info.revokedAt.has_value();
        return false;
    }

    // Each device's token (sync/Secrets.h).
    std::shared_ptr<MemorySecretStore> sharedSecretsOf(Device& d)
    {
        auto& s = stores[d.name];
        if (!s) s = std::make_shared<MemorySecretStore>();
        return s;
    }
    SecretStore& secretsOf(Device& d) { return *sharedSecretsOf(d); }

    std::shared_ptr<InProcessTransport> transport;
    std::map<std::string, std::shared_ptr<MemorySecretStore>> stores;
};

TEST_F(RevokedClientTest, SigningOutRevokesTheTokenOnTheServer)
{
    Device& phone = signedInClient("lina-phone", "lina");
    const std::string token = *secretsOf(phone).token();
    ASSERT_FALSE(revokedOnServer(phone));

    SyncClient c(*phone, *transport, secretsOf(phone));
    auto out = c.logout();
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_FALSE(secretsOf(phone).token().has_value());
    EXPECT_TRUE(revokedOnServer(phone));
    // A copy of the old token is worth nothing now.
    HttpResponse r = post("/v1/sync", syncBody(phone), token);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(bodyOf(r)["error"], "revoked");

    // Signing out again, or out of nothing, asks the server nothing.
    const size_t before = transport->requests;
    EXPECT_TRUE(c.logout().ok());
    EXPECT_EQ(transport->requests, before);

    // A sign-in makes the device whole again.
    ASSERT_TRUE(c.login(kUrl, "lina", passwordOf("lina"), "lina-phone").ok());
    EXPECT_FALSE(revokedOnServer(phone));
    auto synced = c.syncUntilDone();
    EXPECT_TRUE(synced.ok()) << synced.error().message;
}

TEST_F(RevokedClientTest, SigningOutWhileTheServerIsUnreachableSaysSoAndForgetsTheTokenHere)
{
    Device& phone = signedInClient("lina-phone", "lina");
    phone->setSetting(settings::kServer, "https://unreachable.test");
    SyncClient c(*phone, *transport, secretsOf(phone));
    auto out = c.logout();
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, ErrorCode::Unavailable);
    EXPECT_THAT(out.error().message, HasSubstr("cannot reach https://unreachable.test"));
    EXPECT_FALSE(secretsOf(phone).token().has_value()) << "signed out on the device all the same";
    EXPECT_FALSE(revokedOnServer(phone)) << "the server was never told";
}

TEST_F(RevokedClientTest, ARevokedDeviceStopsSyncingAndReportsIt)
{
    Device& phone = signedInClient("lina-phone", "lina");
    Device& tablet = signedInClient("lina-tablet", "lina");
    create(phone, "customer", Write().set("name", "Written offline Co"s).set("owner", "lina"s));
    ASSERT_TRUE(accounts->revokeDevice(phone.hex()).ok());  // a lost phone

    SyncClient c(*phone, *transport, secretsOf(phone));
    auto r = c.syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Revoked);
    EXPECT_THAT(r.error().message, HasSubstr("signed out by an administrator"));
    EXPECT_FALSE(secretsOf(phone).token().has_value()) << "a revoked token is not kept";
    EXPECT_THAT(phone->setting(settings::kRevoked).value_or(""), HasSubstr("signed out by an administrator"));
    EXPECT_EQ(phone->pendingCount(), 1u) << "nothing local is lost (the wipe is another matter)";

    // It does not try again: the next sync fails without a request.
    const size_t before = transport->requests;
    auto again = c.syncUntilDone();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::Unauthenticated);
    EXPECT_EQ(transport->requests, before);

    // The other device of the same user syncs on.
    SyncClient t(*tablet, *transport, secretsOf(tablet));
    EXPECT_TRUE(t.syncUntilDone().ok());

    // Signing in again clears the mark and syncs what waited.
    ASSERT_TRUE(c.login(kUrl, "lina", passwordOf("lina"), "lina-phone").ok());
    EXPECT_FALSE(phone->setting(settings::kRevoked).has_value());
    EXPECT_TRUE(c.syncUntilDone().ok());
    EXPECT_EQ(phone->pendingCount(), 0u);
}

TEST_F(RevokedClientTest, TheSyncEngineStopsForGoodOnRevoked)
{
    Device& phone = signedInClient("lina-phone", "lina");
    ASSERT_TRUE(accounts->revokeDevice(phone.hex()).ok());

    SyncEngine::Options options;
    options.debounce = std::chrono::milliseconds(1);
    options.period = std::chrono::milliseconds(20);  // would sync 50 times a second
    std::mutex mutex;
    std::vector<SyncStatus> statuses;
    options.open.plaintext = true;  // the fixture's replicas are plain files
    SyncEngine engine(file("lina-phone.db"), transport, sharedSecretsOf(phone), options);
    engine.onStatus([&](const SyncStatus& s) {
        std::lock_guard lock(mutex);
        statuses.push_back(s);
    });
    engine.start();
    auto revokedSeen = [&] {
        std::lock_guard lock(mutex);
        return !statuses.empty() && statuses.back().state == SyncState::Revoked;
    };
    for (int i = 0; i < 5000 && !revokedSeen(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(revokedSeen());
    const SyncStatus last = engine.status();
    EXPECT_EQ(last.state, SyncState::Revoked);
    EXPECT_EQ(client::syncStateName(last.state), "revoked");
    EXPECT_EQ(last.errorCode, ErrorCode::Revoked);
    EXPECT_THAT(last.lastError, HasSubstr("revoked this device's sign-in"));

    // Neither the timer, nor a local write, nor a poke, nor the network
    // coming back makes it try again.
    const size_t requests = transport->requests;
    engine.requestSync();
    engine.poke();
    engine.reconnect();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(transport->requests, requests);
    EXPECT_EQ(engine.status().state, SyncState::Revoked);
    engine.stop();
}

} // namespace
} // namespace fieldsync::server::test
