// SyncClient against a real Hub behind the in-process API emulation
// (HubServer): convergence, persistence of the cursor, recovery from a lost
// answer, rejections with restore, clock skew and paging end to end.
#include "SyncTestSupport.h"

namespace fieldsync::client::test {
namespace {

using replica::Write;

class HubSyncTest : public SyncFixture {
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        hub = openHub("hub.db", tHub);
        server = std::make_unique<HubServer>(*hub, tHub);
        server->addUser("mona", "pw-mona", "manager");
        server->addUser("max", "pw-max", "manager");
        server->addUser("lina", "pw-lina", "rep");
        a = openReplica("a.db", tA);
        b = openReplica("b.db", tB);
    }

    void TearDown() override
    {
        a.reset();
        b.reset();
        server.reset();
        hub.reset();
        SyncFixture::TearDown();
    }

    void login(replica::Replica& r, const std::string& user)
    {
        SyncClient c(r, *server, secrets(r));
        FS_ASSERT_OK(c.login(kServer, user, "pw-" + user, user + "'s phone"));
    }

    Result<SyncReport> sync(replica::Replica& r, SyncClient::Options options = {})
    {
        SyncClient c(r, *server, secrets(r), options);
        return c.syncUntilDone();
    }

    std::unique_ptr<replica::Hub> hub;
    std::unique_ptr<HubServer> server;
    std::unique_ptr<replica::Replica> a, b;
};

TEST_F(HubSyncTest, TwoReplicasConvergeThroughTheHub)
{
    login(*a, "mona");
    login(*b, "max");
    std::string acme = a->create("customer", Write().set("name", "Acme").set("level", "B")).value();
    FS_ASSERT_OK(sync(*a));
    FS_ASSERT_OK(sync(*b));
    ASSERT_TRUE(b->get("customer", acme).ok());

    // Concurrent edits of the same field, and of different fields and rows.
    tA += 1000;
    tB += 2000;
    FS_ASSERT_OK(a->update("customer", acme, Write().set("phone", "111").add("tags", "vip")));
    FS_ASSERT_OK(b->update("customer", acme, Write().set("phone", "222").set("region", "north")));
    b->create("task", Write().set("customer", acme).set("title", "call back")).value();

    FS_ASSERT_OK(sync(*a));
    auto rb = sync(*b);
    FS_ASSERT_OK(rb);
    EXPECT_EQ(rb->conflicts, 1u) << "the hub logged the phone conflict and B pulled it";
    FS_ASSERT_OK(sync(*a));

    EXPECT_EQ(a->dump(), b->dump());
    EXPECT_EQ(a->dump(), hub->dump());
    EXPECT_EQ(a->get("customer", acme).value()["phone"], "222");
    EXPECT_EQ(a->conflicts().size(), 1u);
    EXPECT_EQ(b->conflicts().size(), 1u);
    EXPECT_EQ(a->pendingCount(), 0u);
    EXPECT_EQ(b->pendingCount(), 0u);
    EXPECT_EQ(a->cursor(), hub->head());
    EXPECT_EQ(b->cursor(), hub->head());
}

TEST_F(HubSyncTest, PagingAndBatchingConvergeWithSmallLimits)
{
    login(*a, "mona");
    login(*b, "max");
    for (int i = 0; i < 23; ++i) a->create("customer", Write().set("name", "a" + std::to_string(i))).value();
    for (int i = 0; i < 17; ++i) b->create("customer", Write().set("name", "b" + std::to_string(i))).value();
    const SyncClient::Options small{.batchSize = 4, .pullLimit = 3};
    FS_ASSERT_OK(sync(*a, small));
    auto rb = sync(*b, small);
    FS_ASSERT_OK(rb);
    EXPECT_EQ(rb->pushed, 17u);
    EXPECT_EQ(rb->accepted, 17u);
    EXPECT_EQ(rb->pulled, 40u) << "its own changes come back too";
    FS_ASSERT_OK(sync(*a, small));
    EXPECT_EQ(a->dump(), b->dump());
    EXPECT_EQ(a->list("customer").size(), 40u);
    EXPECT_EQ(hub->head(), 40u) << "nothing was logged twice";
    EXPECT_EQ(a->pendingCount(), 0u);
    EXPECT_EQ(b->pendingCount(), 0u);
}

TEST_F(HubSyncTest, TheCursorPersistsAcrossReopening)
{
    login(*b, "max");
    login(*a, "mona");
    for (int i = 0; i < 5; ++i) b->create("customer", Write().set("name", "c" + std::to_string(i))).value();
    FS_ASSERT_OK(sync(*b));
    FS_ASSERT_OK(sync(*a));
    const uint64_t cursor = a->cursor();
    EXPECT_EQ(cursor, hub->head());

    a.reset();
    a = openReplica("a.db", tA);
    EXPECT_EQ(a->cursor(), cursor);
    FakeTransport spy;
    spy.setHandler([&](const TransportRequest& req) { return server->send(req); });
    SyncClient c(*a, spy, secrets(*a));
    auto again = c.syncUntilDone();
    FS_ASSERT_OK(again);
    EXPECT_EQ(spy.body(0)["pull"]["cursor"], cursor);
    EXPECT_EQ(again->pulled, 0u);
    EXPECT_TRUE(secrets(*a).token().has_value()) << "the sign-in persists too";
}

TEST_F(HubSyncTest, AnAnswerLostAfterTheHubCommittedIsRecoveredWithoutDuplicates)
{
    login(*a, "mona");
    login(*b, "max");
    for (int i = 0; i < 3; ++i) a->create("customer", Write().set("name", "c" + std::to_string(i))).value();
    server->dropNextAnswer();
    auto lost = sync(*a);
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.error().code, ErrorCode::Unavailable);
    const uint64_t head = hub->head();
    EXPECT_EQ(head, 3u) << "the hub committed the push";
    EXPECT_EQ(a->pendingCount(), 3u) << "the device never heard of it";

    auto replay = sync(*a);
    FS_ASSERT_OK(replay);
    EXPECT_EQ(replay->duplicates, 3u);
    EXPECT_EQ(replay->accepted, 0u);
    EXPECT_EQ(hub->head(), head) << "the replay logged nothing";
    EXPECT_EQ(a->pendingCount(), 0u);
    FS_ASSERT_OK(sync(*b));
    EXPECT_EQ(a->dump(), b->dump());
    EXPECT_EQ(b->list("customer").size(), 3u);
}

TEST_F(HubSyncTest, ARepsRefusedChangeIsRejectedRestoredAndTheQueueMovesOn)
{
    login(*b, "mona");  // manager
    login(*a, "lina");  // rep
    std::string acme = b->create("customer", Write().set("name", "Acme").set("owner", "lina")).value();
    FS_ASSERT_OK(sync(*b));
    FS_ASSERT_OK(sync(*a));
    ASSERT_TRUE(a->get("customer", acme).ok()) << "lina sees her customer";

    // The rep tries to hand her customer to bob (only managers may), then
    // makes an edit she is allowed to.
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", acme, Write().set("owner", "bob")));
    FS_ASSERT_OK(a->update("customer", acme, Write().set("phone", "555")));
    auto report = sync(*a);
    FS_ASSERT_OK(report);
    EXPECT_EQ(report->rejected, 1u);
    EXPECT_EQ(report->accepted, 1u);

    auto rejected = a->rejected();
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_EQ(rejected[0].code, "permission_denied");
    EXPECT_NE(rejected[0].message.find("only managers"), std::string::npos);
    EXPECT_EQ(a->get("customer", acme).value()["owner"], "lina") << "the hub's owner is restored";
    EXPECT_EQ(a->pendingCount(), 0u);

    tA += 1000;
    FS_ASSERT_OK(a->update("customer", acme, Write().set("level", "A")));
    FS_ASSERT_OK(sync(*a));
    FS_ASSERT_OK(sync(*b));
    EXPECT_EQ(b->get("customer", acme).value()["level"], "A");
    EXPECT_EQ(b->get("customer", acme).value()["phone"], "555");
    EXPECT_EQ(b->get("customer", acme).value()["owner"], "lina");
    EXPECT_EQ(a->dump(), b->dump());
}

TEST_F(HubSyncTest, AClockRunningAheadIsCorrectedAndTheHubAcceptsTheRestampedChanges)
{
    login(*a, "mona");
    tA = kBaseMs + 2 * 3'600'000;  // two hours ahead of the hub
    std::string id = a->create("customer", Write().set("name", "Acme")).value();
    auto report = sync(*a);
    FS_ASSERT_OK(report);
    EXPECT_EQ(report->clockCorrections, 1u);
    EXPECT_EQ(hub->head(), 1u);
    auto clock = crdt::Clock::parse(hub->dump()["customer"][id]["name"]["clock"].get<std::string>());
    ASSERT_TRUE(clock);
    EXPECT_LE(crdt::hlcMillis(clock->hlc), tHub + server->maxDriftMs);
    EXPECT_EQ(a->dump(), hub->dump());
}

TEST_F(HubSyncTest, SignInAgainstTheEmulatedServer)
{
    SyncClient c(*a, *server, secrets(*a));
    auto bad = c.login(kServer, "lina", "wrong", "phone");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::Unauthenticated);
    auto info = c.login(kServer, "lina", "pw-lina", "phone");
    FS_ASSERT_OK(info);
    EXPECT_EQ(info->role, "rep");
    EXPECT_EQ(info->team, "north");
    EXPECT_EQ(info->serverTime, tHub);
    FS_ASSERT_OK(c.syncUntilDone());
    FS_ASSERT_OK(c.logout());
    EXPECT_TRUE(server->revoked(a->deviceId().hex()));
    auto after = c.syncUntilDone();
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, ErrorCode::Unauthenticated);
}

} // namespace
} // namespace fieldsync::client::test
