// SyncClient against scripted responses: one test (or more) per response kind
// of docs/api.md, the request it sends, and what the replica looks like after.
#include "SyncTestSupport.h"

namespace fieldsync::client::test {
namespace {

using replica::Write;

class SyncClientTest : public SyncFixture {
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        device = openReplica("device.db", tA);
        other = openReplica("other.db", tB);
        signIn(*device);
    }

    void TearDown() override
    {
        device.reset();
        other.reset();
        SyncFixture::TearDown();
    }

    std::string newCustomer(replica::Replica& r, const std::string& name, std::optional<std::string> owner = "lina")
    {
        Write w;
        w.set("name", name);
        if (owner) w.set("owner", *owner);
        return r.create("customer", w).value();
    }

    // `n` changes written on the other device, numbered from `firstSeq` as the
    // hub would, as wire JSON.
    json remoteChanges(size_t n, uint64_t firstSeq)
    {
        for (size_t i = 0; i < n; ++i) newCustomer(*other, "remote " + std::to_string(firstSeq + i));
        auto batch = other->pending(n);
        other->acknowledge(batch.records.back().clock.hlc);
        json out = json::array();
        uint64_t seq = firstSeq;
        for (auto r : batch.records) {
            r.seq = seq++;
            out.push_back(protocol::toJson(r, theSchema()));
        }
        return out;
    }

    static json ok(std::optional<std::string> acked, json changes, uint64_t cursor, bool more = false)
    {
        json b = {{"server_time", kBaseMs},
                  {"pull", {{"changes", std::move(changes)}, {"cursor", cursor}, {"more", more}, {"evict", json::array()}}}};
        if (acked) b["push"] = {{"acked", *acked}, {"accepted", 1}, {"duplicates", 0}, {"rejected", json::array()}};
        return b;
    }

    std::string hlcText(crdt::Hlc h) { return std::to_string(h); }

    SyncClient client() { return SyncClient(*device, transport, secrets(*device)); }

    FakeTransport transport;
    std::unique_ptr<replica::Replica> device, other;
};

// ---------------------------------------------------------------- 200

TEST_F(SyncClientTest, RequestFollowsTheApiAndA200AcknowledgesAndApplies)
{
    newCustomer(*device, "Acme");
    const crdt::Hlc written = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(written), remoteChanges(2, 1), 3));

    auto c = client();
    auto report = c.syncOnce();
    FS_ASSERT_OK(report);

    ASSERT_EQ(transport.count(), 1u);
    auto req = transport.requests()[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, kServer + "/v1/sync");
    EXPECT_EQ(req.headers.at("Authorization"), "Bearer secret-token");
    json body = transport.body(0);
    EXPECT_EQ(body["schema"], schema::kSchemaVersion);
    EXPECT_EQ(body["device"], device->deviceId().hex());
    EXPECT_EQ(body["push"]["after"], "0") << "push.after is a decimal string (64-bit HLC)";
    ASSERT_EQ(body["push"]["changes"].size(), 1u);
    EXPECT_EQ(body["push"]["changes"][0]["clock"], (crdt::Clock{written, device->deviceId()}.str()));
    EXPECT_EQ(body["pull"]["cursor"], 0);
    EXPECT_EQ(body["pull"]["limit"], 500);

    EXPECT_EQ(device->pendingCount(), 0u);
    EXPECT_EQ(device->acked(), written);
    EXPECT_EQ(device->cursor(), 3u);
    EXPECT_EQ(device->list("customer").size(), 3u);
    EXPECT_EQ(report->pushed, 1u);
    EXPECT_EQ(report->pulled, 2u);
    EXPECT_EQ(report->rounds, 1u);
    EXPECT_TRUE(report->upToDate);
    EXPECT_TRUE(device->setting(settings::kLastSync).has_value());
}

TEST_F(SyncClientTest, NextPushFollowsTheAcknowledgedMarkAsAString)
{
    newCustomer(*device, "Acme");
    const crdt::Hlc first = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(first), json::array(), 0));
    FS_ASSERT_OK(client().syncOnce());

    tA += 1000;
    newCustomer(*device, "Beta");
    const crdt::Hlc second = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(second), json::array(), 0));
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_EQ(transport.body(1)["push"]["after"], std::to_string(first));
    EXPECT_EQ(transport.body(1)["push"]["changes"].size(), 1u);
}

TEST_F(SyncClientTest, PullPagesLoopWhileMoreAndNothingToPushOmitsPush)
{
    transport.enqueue(200, ok(std::nullopt, remoteChanges(2, 1), 2, true));
    transport.enqueue(200, ok(std::nullopt, remoteChanges(2, 3), 4, true));
    transport.enqueue(200, ok(std::nullopt, remoteChanges(1, 5), 5, false));

    auto c = client();
    std::vector<size_t> progress;
    c.onProgress([&](const SyncReport& r) { progress.push_back(r.pulled); });
    auto report = c.syncUntilDone();
    FS_ASSERT_OK(report);

    ASSERT_EQ(transport.count(), 3u);
    EXPECT_EQ(transport.body(0)["pull"]["cursor"], 0);
    EXPECT_EQ(transport.body(1)["pull"]["cursor"], 2);
    EXPECT_EQ(transport.body(2)["pull"]["cursor"], 4);
    for (size_t i = 0; i < 3; ++i) EXPECT_FALSE(transport.body(i).contains("push")) << "nothing to push";
    EXPECT_EQ(report->pulled, 5u);
    EXPECT_EQ(report->rounds, 3u);
    EXPECT_TRUE(report->upToDate);
    EXPECT_EQ(progress, (std::vector<size_t>{2, 4, 5}));
    EXPECT_EQ(device->cursor(), 5u);
    EXPECT_EQ(device->list("customer").size(), 5u);
}

TEST_F(SyncClientTest, PushesInBatchesUntilTheOutboxIsEmpty)
{
    for (int i = 0; i < 5; ++i) newCustomer(*device, "c" + std::to_string(i));
    auto all = device->pending().records;
    transport.setHandler([&](const TransportRequest& req) {
        json body = json::parse(req.body);
        auto last = crdt::Clock::parse(body["push"]["changes"].back()["clock"].get<std::string>())->hlc;
        return TransportResponse{200, ok(std::to_string(last), json::array(), 0).dump(), {}};
    });
    SyncClient c(*device, transport, secrets(*device), SyncClient::Options{.batchSize = 2});
    auto report = c.syncUntilDone();
    FS_ASSERT_OK(report);
    ASSERT_EQ(transport.count(), 3u);
    EXPECT_EQ(transport.body(0)["push"]["changes"].size(), 2u);
    EXPECT_EQ(transport.body(2)["push"]["changes"].size(), 1u);
    EXPECT_EQ(transport.body(2)["push"]["after"], std::to_string(all[3].clock.hlc));
    EXPECT_EQ(report->pushed, 5u);
    EXPECT_EQ(device->pendingCount(), 0u);
}

TEST_F(SyncClientTest, AcknowledgementWaitsForTheLastPageWhenThePullHasMore)
{
    newCustomer(*device, "Acme");
    const crdt::Hlc written = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(written), remoteChanges(1, 1), 1, true));
    transport.enqueue(200, ok(std::nullopt, remoteChanges(1, 2), 2, false));

    auto c = client();
    auto first = c.syncOnce();
    FS_ASSERT_OK(first);
    EXPECT_FALSE(first->upToDate);
    EXPECT_EQ(device->pendingCount(), 1u) << "held until the hub's head is known";

    auto second = c.syncOnce();
    FS_ASSERT_OK(second);
    EXPECT_FALSE(transport.body(1).contains("push")) << "a round with a held acknowledgement only pulls";
    EXPECT_EQ(device->pendingCount(), 0u);
    EXPECT_EQ(device->acked(), written);
    EXPECT_TRUE(second->upToDate);
}

TEST_F(SyncClientTest, AHeldAcknowledgementIsNotLostWhenTheSyncStops)
{
    newCustomer(*device, "Acme");
    const crdt::Hlc written = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(written), json::array(), 7, true));
    transport.enqueueNetworkError();
    auto c = client();
    auto report = c.syncUntilDone();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(device->acked(), written) << "acknowledged (without a head) when the sync fails";
    EXPECT_EQ(device->pendingCount(), 0u);

    // A client dropped after a round that held its acknowledgement back.
    tA += 1000;
    newCustomer(*device, "Beta");
    const crdt::Hlc second = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(second), json::array(), 8, true));
    {
        auto once = client();
        FS_ASSERT_OK(once.syncOnce());
        EXPECT_EQ(device->acked(), written) << "held";
    }
    EXPECT_EQ(device->acked(), second);
}

TEST_F(SyncClientTest, OnlyChangesSentLeaveTheOutboxEvenIfTheMarkIsHigher)
{
    newCustomer(*device, "one");
    newCustomer(*device, "two");
    auto all = device->pending().records;
    // The hub holds both (an earlier answer was lost), but only one was sent now.
    transport.enqueue(200, ok(hlcText(all[1].clock.hlc), json::array(), 0));
    SyncClient c(*device, transport, secrets(*device), SyncClient::Options{.batchSize = 1});
    FS_ASSERT_OK(c.syncOnce());
    EXPECT_EQ(device->acked(), all[0].clock.hlc);
    EXPECT_EQ(device->pendingCount(), 1u);
}

TEST_F(SyncClientTest, EvictedCustomersAreDroppedWithTheirRows)
{
    // A customer with a visit, then the hub says it left this user's scope.
    std::string id = newCustomer(*other, "Leaving");
    Write v;
    v.set("customer", id);
    other->create("visit", v).value();
    auto batch = other->pending();
    json changes = json::array();
    uint64_t seq = 1;
    for (auto r : batch.records) {
        r.seq = seq++;
        changes.push_back(protocol::toJson(r, theSchema()));
    }
    transport.enqueue(200, ok(std::nullopt, changes, 2));
    FS_ASSERT_OK(client().syncOnce());
    ASSERT_EQ(device->list("visit").size(), 1u);

    json page = ok(std::nullopt, json::array(), 3);
    page["pull"]["evict"] = json::array({id});
    transport.enqueue(200, page);
    auto report = client().syncOnce();
    FS_ASSERT_OK(report);
    EXPECT_EQ(report->evicted, 1u);
    EXPECT_TRUE(device->list("customer").empty());
    EXPECT_TRUE(device->list("visit").empty()) << "everything hanging off an evicted customer goes";
}

// ---------------------------------------------------------------- 403 rejected

TEST_F(SyncClientTest, RejectedChangesMoveToTheRejectedListAndTheServerStateIsRestored)
{
    // A customer that belongs to bob, known to this device.
    std::string bobs = newCustomer(*other, "Bob's", "bob");
    auto theirs = other->pending().records;
    theirs[0].seq = 1;
    transport.enqueue(200, ok(std::nullopt, json::array({protocol::toJson(theirs[0], theSchema())}), 1));
    FS_ASSERT_OK(client().syncOnce());

    // This rep edits bob's customer (refused) and creates one of their own (accepted).
    tA += 1000;
    FS_ASSERT_OK(device->update("customer", bobs, Write().set("name", "Mine now")));
    std::string mine = newCustomer(*device, "Mine");
    auto pushed = device->pending().records;
    ASSERT_EQ(pushed.size(), 2u);

    json restore = json::array({protocol::toJson(theirs[0], theSchema())});
    json push = {{"acked", hlcText(pushed[1].clock.hlc)},
                 {"accepted", 1},
                 {"duplicates", 0},
                 {"rejected",
                  {{{"clock", pushed[0].clock.str()},
                    {"entity", "customer"},
                    {"id", bobs},
                    {"error", "permission_denied"},
                    {"reason", "not_in_scope"},
                    {"message", "customer belongs to bob"}}}}};
    transport.enqueue(403, json{{"error", "permission_denied"},
                                {"message", "customer belongs to bob"},
                                {"retry", "never"},
                                {"push", push},
                                {"restore", restore}});
    transport.enqueue(200, ok(std::nullopt, json::array(), 4));  // the pull that follows

    auto report = client().syncUntilDone();
    FS_ASSERT_OK(report);
    EXPECT_EQ(report->rejected, 1u);
    EXPECT_EQ(report->accepted, 1u);

    auto rejected = device->rejected();
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_EQ(rejected[0].clock, pushed[0].clock.hlc);
    EXPECT_EQ(rejected[0].id, bobs);
    EXPECT_EQ(rejected[0].code, "permission_denied");
    EXPECT_EQ(rejected[0].message, "customer belongs to bob");
    EXPECT_EQ(rejected[0].reason, "not_in_scope") << "kept, for the app to say why in the user's language";
    EXPECT_EQ(device->get("customer", bobs).value()["name"], "Bob's") << "the server's state is restored";
    EXPECT_EQ(device->get("customer", mine).value()["name"], "Mine");
    EXPECT_EQ(device->pendingCount(), 0u) << "neither change is left in the outbox";
    EXPECT_EQ(device->acked(), pushed[1].clock.hlc);

    // The queue is not stuck: the next change is pushed after the mark.
    tA += 1000;
    newCustomer(*device, "Next");
    const crdt::Hlc next = device->pending().records.at(0).clock.hlc;
    transport.enqueue(200, ok(hlcText(next), json::array(), 5));
    FS_ASSERT_OK(client().syncUntilDone());
    json body = transport.body(transport.count() - 1);
    EXPECT_EQ(body["push"]["after"], std::to_string(pushed[1].clock.hlc));
    ASSERT_EQ(body["push"]["changes"].size(), 1u);
    EXPECT_EQ(device->pendingCount(), 0u);
    EXPECT_EQ(device->rejected().size(), 1u);
}

TEST_F(SyncClientTest, A403WithoutPushIsPermissionDenied)
{
    newCustomer(*device, "Acme");
    transport.enqueue(403, json{{"error", "permission_denied"}, {"message", "not your device"}, {"retry", "never"}});
    auto r = client().syncOnce();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::PermissionDenied);
    EXPECT_NE(r.error().message.find("not your device"), std::string::npos);
    EXPECT_EQ(device->pendingCount(), 1u);
}

// ---------------------------------------------------------------- 409 clock skew

TEST_F(SyncClientTest, ClockSkewCorrectsTheClockAndRestampsBeforeSendingAgain)
{
    tA = kBaseMs + 3'600'000;  // this device runs an hour ahead
    newCustomer(*device, "one");
    newCustomer(*device, "two");
    auto skewed = device->pending().records;
    transport.enqueue(409, json{{"error", "clock_skew"},
                                {"message", "clock ahead"},
                                {"retry", "now"},
                                {"server_time", kBaseMs},
                                {"max_drift_ms", 300000}});
    transport.setHandler([&](const TransportRequest& req) {
        json body = json::parse(req.body);
        auto last = body["push"]["changes"].back()["clock"].get<std::string>();
        return TransportResponse{200, ok(std::to_string(crdt::Clock::parse(last)->hlc), json::array(), 0).dump(), {}};
    });

    auto report = client().syncOnce();
    FS_ASSERT_OK(report);
    EXPECT_EQ(report->clockCorrections, 1u);
    ASSERT_EQ(transport.count(), 2u);
    EXPECT_NEAR(static_cast<double>(device->clock().offset()), -3'600'000.0, 1000.0);

    json resent = transport.body(1)["push"]["changes"];
    ASSERT_EQ(resent.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        auto clock = crdt::Clock::parse(resent[i]["clock"].get<std::string>())->hlc;
        EXPECT_LT(clock, skewed[i].clock.hlc) << "re-stamped below the refused stamp";
        EXPECT_LE(crdt::hlcMillis(clock), kBaseMs + 1000) << "stamped with the corrected time";
    }
    EXPECT_EQ(device->pendingCount(), 0u);
    // New writes use the corrected clock too.
    newCustomer(*device, "three");
    EXPECT_LE(crdt::hlcMillis(device->pending().records.at(0).clock.hlc), kBaseMs + 1000);
}

TEST_F(SyncClientTest, ASecondCorrectionBuildsOnTheFirst)
{
    auto skew = [&] {
        transport.enqueue(409, json{{"error", "clock_skew"}, {"message", "ahead"}, {"server_time", kBaseMs}});
        transport.setHandler([&](const TransportRequest& req) {
            auto last = json::parse(req.body)["push"]["changes"].back()["clock"].get<std::string>();
            return TransportResponse{200, ok(std::to_string(crdt::Clock::parse(last)->hlc), json::array(), 0).dump(), {}};
        });
    };
    tA = kBaseMs + 3'600'000;
    newCustomer(*device, "one");
    skew();
    FS_ASSERT_OK(client().syncOnce());
    ASSERT_NEAR(static_cast<double>(device->clock().offset()), -3'600'000.0, 1000.0);

    tA += 2 * 3'600'000;  // the device clock jumps ahead again, on top of the corrected offset
    newCustomer(*device, "two");
    skew();
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_NEAR(static_cast<double>(device->clock().offset()), -3.0 * 3'600'000, 1000.0);
    auto resent = crdt::Clock::parse(transport.body(transport.count() - 1)["push"]["changes"][0]["clock"].get<std::string>());
    EXPECT_LE(crdt::hlcMillis(resent->hlc), kBaseMs + 1000);
}

TEST_F(SyncClientTest, APushCarriesWhatTheDeviceBelievesTheTimeIs)
{
    newCustomer(*device, "one");
    transport.setHandler([&](const TransportRequest& req) {
        auto last = json::parse(req.body)["push"]["changes"].back()["clock"].get<std::string>();
        return TransportResponse{200, ok(std::to_string(crdt::Clock::parse(last)->hlc), json::array(), 0).dump(), {}};
    });
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_EQ(transport.body(0)["clock"], device->clock().physicalMillis());
}

TEST_F(SyncClientTest, AFixedClockHealsInOneSyncFromTheAnswersServerTime)
{
    // A phone a year ahead was corrected (-1 year); then its owner fixes the
    // date. Nothing refuses its changes now — they are stamped a year in the
    // past — yet the very next answer's server_time brings the offset back.
    tA = kBaseMs + 365 * 24 * 3'600'000LL;
    device->correctClock(-365 * 24 * 3'600'000LL);
    tA = kBaseMs;
    ASSERT_LT(device->clock().physicalMillis(), kBaseMs - 300 * 24 * 3'600'000LL);
    transport.setHandler([&](const TransportRequest&) {
        return TransportResponse{200, ok(std::nullopt, json::array(), 0).dump(), {}};
    });
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_EQ(device->clock().offset(), 0);
    newCustomer(*device, "after the fix");
    EXPECT_EQ(crdt::hlcMillis(device->pending().records.back().clock.hlc), kBaseMs);
}

TEST_F(SyncClientTest, AnAnswerWithinTheToleranceLeavesTheOffsetAlone)
{
    tA = kBaseMs + kOffsetToleranceMs;  // a second off: noise, not a correction
    transport.setHandler([&](const TransportRequest&) {
        return TransportResponse{200, ok(std::nullopt, json::array(), 0).dump(), {}};
    });
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_EQ(device->clock().offset(), 0);
    tA = kBaseMs + kOffsetToleranceMs + 1;
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_EQ(device->clock().offset(), -kOffsetToleranceMs - 1);
}

TEST_F(SyncClientTest, ClockSkewBehindMovesACheckInForwardBeforeItIsAccepted)
{
    const int64_t month = 30 * 24 * 3'600'000LL;
    std::string c = newCustomer(*device, "Acme");
    tA = kBaseMs - month;  // the device's clock is a month behind (a floor: what it wrote already)
    std::string v = device->create("visit", Write().set("customer", c).set("checkin_at", tA)).value();
    transport.enqueue(409, json{{"error", "clock_skew"}, {"message", "behind"}, {"server_time", kBaseMs}});
    transport.setHandler([&](const TransportRequest& req) {
        auto last = json::parse(req.body)["push"]["changes"].back()["clock"].get<std::string>();
        return TransportResponse{200, ok(std::to_string(crdt::Clock::parse(last)->hlc), json::array(), 0).dump(), {}};
    });
    FS_ASSERT_OK(client().syncOnce());
    EXPECT_EQ(device->clock().offset(), month);
    json resent = transport.body(1)["push"]["changes"];
    bool found = false;
    for (const auto& ch : resent)
        if (ch["id"] == v) {
            found = true;
            EXPECT_EQ(ch["set"]["checkin_at"], kBaseMs) << ch.dump();
        }
    EXPECT_TRUE(found) << resent.dump();
    EXPECT_EQ(device->get("visit", v).value()["checkin_at"], kBaseMs);
}

TEST_F(SyncClientTest, ClockSkewIsRetriedAtMostThreeTimesInARow)
{
    tA = kBaseMs + 3'600'000;
    newCustomer(*device, "one");
    transport.setHandler([&](const TransportRequest&) {
        return TransportResponse{
            409, json{{"error", "clock_skew"}, {"message", "ahead"}, {"server_time", kBaseMs}}.dump(), {}};
    });
    auto r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(transport.count(), 4u) << "one request and three corrections";
    EXPECT_EQ(device->pendingCount(), 1u);
}

// ---------------------------------------------------------------- other errors

TEST_F(SyncClientTest, Unauthenticated401SaysSignInAgainAndChangesNothing)
{
    newCustomer(*device, "Acme");
    transport.enqueue(401, json{{"error", "unauthenticated"}, {"message", "token revoked"}, {"retry", "after_login"}});
    auto r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthenticated);
    EXPECT_NE(r.error().message.find("sign in again"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("token revoked"), std::string::npos);
    EXPECT_EQ(transport.count(), 1u) << "stops at once";
    EXPECT_EQ(device->pendingCount(), 1u);
    EXPECT_EQ(device->acked(), 0u);
}

TEST_F(SyncClientTest, SchemaMismatch426StopsWithTheServersMessage)
{
    transport.enqueue(426, json{{"error", "schema_mismatch"},
                                {"message", "this server needs app version 2 or later"},
                                {"retry", "never"},
                                {"server_schema", 2}});
    auto r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(r.error().message.find("needs app version 2"), std::string::npos) << r.error().message;
    EXPECT_EQ(transport.count(), 1u);
}

TEST_F(SyncClientTest, NetworkErrorsAnd5xxAreUnavailableAndNameTheServer)
{
    newCustomer(*device, "Acme");
    transport.enqueueNetworkError("Failed to connect to sync.test port 443: Connection refused");
    auto r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_NE(r.error().message.find(kServer), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("Connection refused"), std::string::npos);

    for (int status : {500, 502, 503}) {
        transport.enqueue(status, status == 502 ? std::string("<html>bad gateway</html>")
                                                : json{{"error", "unavailable"}, {"message", "shutting down"}}.dump());
        auto e = client().syncUntilDone();
        ASSERT_FALSE(e.ok());
        EXPECT_EQ(e.error().code, ErrorCode::Unavailable) << status;
    }
    EXPECT_EQ(device->pendingCount(), 1u);
}

TEST_F(SyncClientTest, PayloadTooLargeHalvesTheBatch)
{
    for (int i = 0; i < 4; ++i) newCustomer(*device, "c" + std::to_string(i));
    transport.enqueue(413, json{{"error", "payload_too_large"}, {"message", "too big"}});
    transport.setHandler([&](const TransportRequest& req) {
        json body = json::parse(req.body);
        auto last = body["push"]["changes"].back()["clock"].get<std::string>();
        return TransportResponse{200, ok(std::to_string(crdt::Clock::parse(last)->hlc), json::array(), 0).dump(), {}};
    });
    SyncClient c(*device, transport, secrets(*device), SyncClient::Options{.batchSize = 4});
    FS_ASSERT_OK(c.syncUntilDone());
    EXPECT_EQ(transport.body(0)["push"]["changes"].size(), 4u);
    EXPECT_EQ(transport.body(1)["push"]["changes"].size(), 2u);
    EXPECT_EQ(c.batchSize(), 2u);
    EXPECT_EQ(device->pendingCount(), 0u);
}

TEST_F(SyncClientTest, NotSignedInSendsNothing)
{
    secrets(*device).setToken(std::nullopt);
    auto r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthenticated);
    EXPECT_EQ(transport.count(), 0u);
}

// ---------------------------------------------------------------- malformed answers

struct Malformed {
    const char* name;
    int status;
    std::function<std::string(crdt::Hlc written)> body;
    ErrorCode code;
};

TEST_F(SyncClientTest, MalformedAnswersAreErrorsAndChangeNothing)
{
    auto withPull = [](json push, json pull) {
        json b = {{"server_time", kBaseMs}, {"push", std::move(push)}};
        if (!pull.is_null()) b["pull"] = std::move(pull);
        return b.dump();
    };
    auto goodPush = [](crdt::Hlc h) { return json{{"acked", std::to_string(h)}, {"accepted", 1}}; };
    json goodPull = {{"changes", json::array()}, {"cursor", 9}, {"more", false}};
    json badRecord = {{"entity", "spaceship"}, {"id", "x"}, {"clock", "nope"}};
    const std::vector<Malformed> cases = {
        {"not JSON", 200, [](crdt::Hlc) { return std::string("<html>Sign in to the hotel wifi</html>"); },
         ErrorCode::Unavailable},
        {"empty body", 200, [](crdt::Hlc) { return std::string(); }, ErrorCode::Unavailable},
        // A hostile server's answer nested 100,000 deep is never parsed.
        {"nested too deep", 200,
         [](crdt::Hlc) { return "{\"pull\":" + std::string(100000, '[') + std::string(100000, ']') + "}"; },
         ErrorCode::Unavailable},
        {"array", 200, [](crdt::Hlc) { return std::string("[1,2]"); }, ErrorCode::Internal},
        {"no push", 200, [&](crdt::Hlc) { return json{{"pull", goodPull}}.dump(); }, ErrorCode::Internal},
        {"no pull", 200, [&](crdt::Hlc h) { return withPull(goodPush(h), nullptr); }, ErrorCode::Internal},
        {"acked not a number", 200, [&](crdt::Hlc) { return withPull({{"acked", "12abc"}}, goodPull); },
         ErrorCode::Internal},
        {"acked negative", 200, [&](crdt::Hlc) { return withPull({{"acked", -5}}, goodPull); }, ErrorCode::Internal},
        {"acked overflows", 200,
         [&](crdt::Hlc) { return withPull({{"acked", "99999999999999999999999"}}, goodPull); }, ErrorCode::Internal},
        {"acked below what was sent", 200, [&](crdt::Hlc h) { return withPull(goodPush(h - 1), goodPull); },
         ErrorCode::Internal},
        {"cursor negative", 200,
         [&](crdt::Hlc h) { return withPull(goodPush(h), {{"changes", json::array()}, {"cursor", -1}}); },
         ErrorCode::Internal},
        {"changes not an array", 200,
         [&](crdt::Hlc h) { return withPull(goodPush(h), {{"changes", "lots"}, {"cursor", 1}}); }, ErrorCode::Internal},
        {"undecodable record", 200,
         [&](crdt::Hlc h) { return withPull(goodPush(h), {{"changes", {badRecord}}, {"cursor", 1}}); },
         ErrorCode::Internal},
        {"more without moving", 200,
         [&](crdt::Hlc h) {
             return withPull(goodPush(h), {{"changes", json::array()}, {"cursor", 0}, {"more", true}});
         },
         ErrorCode::Internal},
        {"evict not strings", 200,
         [&](crdt::Hlc h) {
             return withPull(goodPush(h), {{"changes", json::array()}, {"cursor", 1}, {"evict", {1, 2}}});
         },
         ErrorCode::Internal},
        {"rejected clock garbage", 403,
         [&](crdt::Hlc h) {
             return json{{"error", "permission_denied"},
                         {"push", {{"acked", std::to_string(h)}, {"rejected", {{{"clock", "zz"}}}}}}}
                 .dump();
         },
         ErrorCode::Internal},
        {"rejected another device", 403,
         [&](crdt::Hlc h) {
             return json{{"error", "permission_denied"},
                         {"push",
                          {{"acked", std::to_string(h)},
                           {"rejected", {{{"clock", crdt::Clock{h, other->deviceId()}.str()}}}}}}}
                 .dump();
         },
         ErrorCode::Internal},
        {"restore garbage", 403,
         [&](crdt::Hlc h) {
             return json{{"error", "permission_denied"},
                         {"push", {{"acked", std::to_string(h)}, {"rejected", json::array()}}},
                         {"restore", {badRecord}}}
                 .dump();
         },
         ErrorCode::Internal},
        {"skew without server_time", 409, [](crdt::Hlc) { return json{{"error", "clock_skew"}}.dump(); },
         ErrorCode::Internal},
        {"error body not JSON", 400, [](crdt::Hlc) { return std::string("nope"); }, ErrorCode::InvalidArgument},
    };
    newCustomer(*device, "Acme");
    const crdt::Hlc written = device->pending().records.at(0).clock.hlc;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        transport.enqueue(c.status, c.body(written));
        auto r = client().syncUntilDone();
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, c.code) << r.error().message;
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_EQ(device->pendingCount(), 1u);
        EXPECT_EQ(device->acked(), 0u);
        EXPECT_EQ(device->cursor(), 0u);
        EXPECT_TRUE(device->rejected().empty());
    }
}

// ---------------------------------------------------------------- login

TEST_F(SyncClientTest, LoginStoresServerTokenUserAndRole)
{
    secrets(*device).setToken(std::nullopt);
    device->setSetting(settings::kServer, std::nullopt);
    transport.enqueue(200, json{{"token", "t-123"},
                                {"user", {{"name", "lina"}, {"role", "rep"}, {"team", "north"}}},
                                {"server_time", kBaseMs}});
    auto info = client().login("https://sync.test/", "lina", "pw", "Lina's phone");
    FS_ASSERT_OK(info);
    EXPECT_EQ(info->server, "https://sync.test");
    EXPECT_EQ(info->role, "rep");

    auto req = transport.requests().at(0);
    EXPECT_EQ(req.url, "https://sync.test/v1/login");
    EXPECT_EQ(req.headers.count("Authorization"), 0u);
    json body = transport.body(0);
    EXPECT_EQ(body["user"], "lina");
    EXPECT_EQ(body["password"], "pw");
    EXPECT_EQ(body["device"], device->deviceId().hex());
    EXPECT_EQ(body["device_name"], "Lina's phone");

    EXPECT_EQ(device->setting(settings::kServer), "https://sync.test");
    EXPECT_EQ(secrets(*device).token(), "t-123");
    EXPECT_FALSE(device->setting(settings::kToken).has_value()) << "the token is kept beside the replica, never in it";
    EXPECT_EQ(device->setting(settings::kUser), "lina");
    EXPECT_EQ(device->setting(settings::kRole), "rep");
    EXPECT_EQ(device->setting(settings::kTeam), "north");

    EXPECT_EQ(body["device_key"].get<std::string>().size(), 43u) << "32 random bytes, base64url";
    EXPECT_EQ(device->setting(settings::kDeviceKey), body["device_key"].get<std::string>());

    // Signing out tells the server (POST /v1/logout with the token), then
    // forgets the token; the server, user and data stay.
    transport.enqueue(200, json{{"revoked", true}, {"device", device->deviceId().hex()}});
    FS_ASSERT_OK(client().logout());
    auto out = transport.requests().at(1);
    EXPECT_EQ(out.url, "https://sync.test/v1/logout");
    EXPECT_EQ(out.method, "POST");
    EXPECT_EQ(out.headers.at("Authorization"), "Bearer t-123");
    EXPECT_FALSE(secrets(*device).token().has_value());
    EXPECT_EQ(device->setting(settings::kServer), "https://sync.test") << "logout forgets the token only";

    // The next sign-in sends the same key: that is what makes the device known.
    transport.enqueue(200, json{{"token", "t-456"}, {"user", {{"name", "lina"}, {"role", "rep"}}}});
    FS_ASSERT_OK(client().login("https://sync.test", "lina", "pw", "Lina's phone"));
    EXPECT_EQ(transport.body(2)["device_key"], body["device_key"]);
}

TEST_F(SyncClientTest, LogoutForgetsTheTokenEvenWhenTheServerCannotBeTold)
{
    transport.enqueueNetworkError("Could not resolve host: sync.test");
    auto r = client().logout();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_NE(r.error().message.find("cannot reach https://sync.test"), std::string::npos) << r.error().message;
    EXPECT_FALSE(secrets(*device).token().has_value());

    // A token the server no longer accepts is signed out already.
    signIn(*device);
    transport.enqueue(401, json{{"error", "revoked"}, {"message", "this device was signed out by an administrator"}});
    FS_ASSERT_OK(client().logout());
    EXPECT_FALSE(secrets(*device).token().has_value());
    // Not signed in: nothing to tell anyone.
    const size_t sent = transport.count();
    FS_ASSERT_OK(client().logout());
    EXPECT_EQ(transport.count(), sent);
}

// ---------------------------------------------------------------- transport security

TEST_F(SyncClientTest, PlainHttpToAnotherMachineIsRefusedBeforeAPasswordOrTokenIsSent)
{
    secrets(*device).setToken(std::nullopt);
    device->setSetting(settings::kServer, std::nullopt);
    for (const char* remote : {"http://sync.example.com", "http://192.168.1.20:8470", "http://10.0.0.1",
                               "http://127.0.0.1.example.com", "http://localhost.example.com", "http://127.1",
                               "http://0.0.0.0:8470", "http://[::ffff:127.0.0.1]:8470", "http://[::2]"}) {
        SCOPED_TRACE(remote);
        auto r = client().login(remote, "lina", "pw", "phone");
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(r.error().message.find("use the server's https:// address"), std::string::npos) << r.error().message;
        EXPECT_FALSE(requireSecureServer(remote).ok());
    }
    // A loopback address before '@' is a user name: the host is after it.
    for (const char* disguised : {"http://127.0.0.1@example.com", "http://lOcAlHoSt@evil.test"}) {
        SCOPED_TRACE(disguised);
        auto r = client().login(disguised, "lina", "pw", "phone");
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_FALSE(requireSecureServer(disguised).ok());
    }
    EXPECT_EQ(transport.count(), 0u) << "no password left the device";

    // This machine, over plain HTTP, is fine (development, tests).
    for (const char* local : {"http://127.0.0.1:8470", "http://127.12.0.3", "http://localhost:8470", "http://LOCALHOST",
                              "http://[::1]:8470", "https://sync.example.com"}) {
        SCOPED_TRACE(local);
        transport.enqueue(200, json{{"token", "t"}, {"user", {{"name", "lina"}, {"role", "rep"}}}});
        FS_ASSERT_OK(client().login(local, "lina", "pw", "phone"));
        device->setSetting(settings::kServer, std::nullopt);
    }
    EXPECT_EQ(transport.count(), 6u);

    // A token stored for a plain-HTTP server elsewhere (written before this
    // rule) is not sent either.
    device->setSetting(settings::kServer, "http://sync.example.com");
    secrets(*device).setToken("t-old");
    auto s = client().syncOnce();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(s.error().message.find("https://"), std::string::npos);
    EXPECT_EQ(transport.count(), 6u);
}

// ---------------------------------------------------------------- revoked

TEST_F(SyncClientTest, A401RevokedForgetsTheTokenAndIsRevoked)
{
    newCustomer(*device, "Acme");
    transport.enqueue(401, json{{"error", "revoked"},
                                {"message", "this device was signed out by an administrator; sign in again"},
                                {"retry", "never"}});
    auto r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Revoked);
    EXPECT_NE(r.error().message.find("https://sync.test revoked this device's sign-in"), std::string::npos)
        << r.error().message;
    EXPECT_FALSE(secrets(*device).token().has_value());
    EXPECT_EQ(device->setting(settings::kRevoked), "this device was signed out by an administrator; sign in again");
    EXPECT_EQ(device->pendingCount(), 1u) << "nothing local is lost";
    EXPECT_EQ(transport.count(), 1u);

    // A plain 401 is not a revocation: the token stays, to sign in again over it.
    signIn(*device);
    transport.enqueue(401, json{{"error", "unauthenticated"}, {"message", "invalid token: sign in again"}});
    r = client().syncUntilDone();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthenticated);
}

TEST_F(SyncClientTest, FailedLoginStoresNothing)
{
    secrets(*device).setToken(std::nullopt);
    transport.enqueue(401, json{{"error", "unauthenticated"}, {"message", "wrong user name or password"}});
    auto r = client().login("https://sync.test", "lina", "bad", "phone");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthenticated);
    EXPECT_FALSE(secrets(*device).token().has_value());

    transport.enqueue(200, json{{"token", ""}, {"user", {{"name", "lina"}, {"role", "rep"}}}});
    r = client().login("https://sync.test", "lina", "pw", "phone");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Internal);
    EXPECT_FALSE(secrets(*device).token().has_value());

    transport.enqueueNetworkError("Could not resolve host: nowhere.test");
    r = client().login("https://nowhere.test", "lina", "pw", "phone");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
    EXPECT_NE(r.error().message.find("https://nowhere.test"), std::string::npos);

    for (const char* bad : {"sync.test", "ftp://sync.test", "https://", "https://a b"}) {
        auto e = client().login(bad, "lina", "pw", "phone");
        ASSERT_FALSE(e.ok()) << bad;
        EXPECT_EQ(e.error().code, ErrorCode::InvalidArgument) << bad;
    }
    EXPECT_EQ(transport.count(), 3u) << "bad addresses are refused before any request";
}

TEST_F(SyncClientTest, ASyncedDatabaseIsNotSignedIntoAnotherServerOrUser)
{
    transport.enqueue(200, ok(std::nullopt, remoteChanges(1, 1), 1));
    FS_ASSERT_OK(client().syncOnce());
    auto r = client().login("https://elsewhere.test", "lina", "pw", "phone");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::FailedPrecondition);
    r = client().login(kServer, "bob", "pw", "phone");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(transport.count(), 1u);
}

} // namespace
} // namespace fieldsync::client::test
