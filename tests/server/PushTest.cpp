// The push path through the API: bounded clock drift and clock correction,
// idempotent replays, and conflicts decided at the hub and seen by everyone.
#include "ServerTestSupport.h"

namespace fieldsync::server::test {
namespace {

constexpr int64_t kYearMs = 365LL * 24 * 3600 * 1000;

crdt::Clock clockOf(const json& text) { return *crdt::Clock::parse(text.get<std::string>()); }

class ClockSkewTest : public ServerFixture {};

TEST_F(ClockSkewTest, AChangeTenMinutesAheadIsRefusedUntilTheDeviceCorrectsItsClock)
{
    Device& zhang = signedIn("zhang-phone", "zhang");
    create(zhang, "customer", Write().set("name", "Already There"s));
    ASSERT_EQ(syncOk(zhang).accepted, 1u);

    Device& lina = signedIn("lina-phone", "lina", 10 * kMinute);
    const std::string id = create(lina, "customer", Write().set("name", "Skewed Co"s).set("owner", "lina"s));
    const HubState before = hubState();

    SyncOutcome s = sync(lina);
    ASSERT_EQ(s.statuses, std::vector<int>{409}) << s.last.dump();
    EXPECT_EQ(s.last["error"], "clock_skew");
    EXPECT_EQ(s.last["retry"], "now");
    EXPECT_EQ(s.last["message"],
              "change 0 is stamped 600 s ahead of the server's clock; correct the device clock offset and re-stamp");
    EXPECT_EQ(s.last["server_time"], now);
    EXPECT_EQ(s.last["max_drift_ms"], kMaxDriftMs);
    expectHubUnchanged(before, "a skewed push");
    EXPECT_EQ(hub->ackedFor(lina->deviceId()), 0u) << "nothing of this device is held";
    EXPECT_EQ(lina->pendingCount(), 1u);
    EXPECT_EQ(lina->cursor(), 0u) << "the pull was not served either";

    // The client computes its offset from server_time and re-stamps.
    const int64_t offset = s.last["server_time"].get<int64_t>() - lina->clock().physicalMillis();
    EXPECT_EQ(offset, -10 * kMinute);
    lina->correctClock(offset);
    replica::PendingBatch batch = lina->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    EXPECT_EQ(crdt::hlcMillis(batch.records[0].clock.hlc), now) << "re-stamped with the corrected time";

    s = syncOk(lina);
    EXPECT_EQ(s.accepted, 1u);
    EXPECT_EQ(hubField("customer", id, "name"), "Skewed Co");
    const json dump = hub->dump();
    EXPECT_EQ(clockOf(dump["customer"][id]["name"]["clock"]).hlc, batch.records[0].clock.hlc);
    EXPECT_EQ(lina->pendingCount(), 0u);
    EXPECT_TRUE(has(lina, "customer", id));
}

TEST_F(ClockSkewTest, APushFromAClockAMonthBehindIsRefusedBeforeItsCheckInIsStoredInThePast)
{
    Device& lina = signedIn("lina-phone", "lina", -30 * 24 * 3600 * 1000LL);
    const std::string c = create(lina, "customer", Write().set("name", "Behind Co"s).set("owner", "lina"s));
    const HubState before = hubState();
    json body = syncBody(lina);
    body["clock"] = lina->clock().physicalMillis();  // what the device believes the time is
    HttpResponse r = post("/v1/sync", body, lina.token);
    ASSERT_EQ(r.status, 409) << r.body;
    json b = bodyOf(r);
    EXPECT_EQ(b["error"], "clock_skew");
    EXPECT_EQ(b["message"], "the device's clock is 2592000 s behind the server's; correct the device clock offset and "
                            "re-stamp");
    EXPECT_EQ(b["server_time"], now);
    expectHubUnchanged(before, "a push from a clock a month behind");

    lina->correctClock(b["server_time"].get<int64_t>() - lina->clock().physicalMillis());
    body = syncBody(lina);
    body["clock"] = lina->clock().physicalMillis();
    r = post("/v1/sync", body, lina.token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(crdt::hlcMillis(clockOf(hub->dump()["customer"][c]["name"]["clock"]).hlc), now)
        << "stamped when it was really written";
}

TEST_F(ClockSkewTest, ADeviceClockThatIsNotANumberIsABadRequest)
{
    Device& lina = signedIn("lina-phone", "lina");
    create(lina, "customer", Write().set("name", "A"s).set("owner", "lina"s));
    json body = syncBody(lina);
    body["clock"] = "now";
    HttpResponse r = post("/v1/sync", body, lina.token);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(bodyOf(r)["message"], "\"clock\" must be the device's time in milliseconds");
}

TEST_F(ClockSkewTest, DriftUpToTheLimitIsAcceptedOneMillisecondMoreIsNot)
{
    Device& atLimit = signedIn("at-limit", "lina", kMaxDriftMs);
    Device& beyond = signedIn("beyond", "wang", kMaxDriftMs + 1);
    create(atLimit, "customer", Write().set("name", "At The Limit"s).set("owner", "lina"s));
    create(beyond, "customer", Write().set("name", "Beyond"s).set("owner", "wang"s));

    SyncOutcome a = sync(atLimit);
    EXPECT_EQ(a.statuses, std::vector<int>{200}) << a.last.dump();
    EXPECT_EQ(a.accepted, 1u);

    const HubState before = hubState();
    SyncOutcome b = sync(beyond);
    EXPECT_EQ(b.statuses, std::vector<int>{409}) << b.last.dump();
    EXPECT_THAT(b.last.value("message", ""), HasSubstr("change 0 is stamped 300 s ahead"));
    expectHubUnchanged(before, "a push 1 ms beyond the allowed drift");
}

TEST_F(ClockSkewTest, OneChangeAheadRefusesTheWholeBatch)
{
    Device& lina = signedIn("lina-phone", "lina");
    const std::string a = create(lina, "customer", Write().set("name", "A"s).set("owner", "lina"s));
    now += 1;
    const std::string b = create(lina, "customer", Write().set("name", "B"s).set("owner", "lina"s));
    lina.skew = 6 * kMinute;  // the phone's clock jumps ahead
    const std::string c = create(lina, "customer", Write().set("name", "C"s).set("owner", "lina"s));

    SyncOutcome s = sync(lina);
    ASSERT_EQ(s.statuses, std::vector<int>{409}) << s.last.dump();
    EXPECT_THAT(s.last.value("message", ""), HasSubstr("change 2 is stamped 360 s ahead"));
    EXPECT_EQ(hub->head(), 0u) << "changes 0 and 1 were not written either";
    EXPECT_TRUE(hubIds("customer").empty());

    lina->correctClock(s.last["server_time"].get<int64_t>() - lina->clock().physicalMillis());
    s = syncOk(lina);
    EXPECT_EQ(s.accepted, 3u);
    EXPECT_EQ(hubIds("customer"), (std::set<std::string>{a, b, c}));
}

TEST_F(ClockSkewTest, ACorrectedDeviceFromNextYearCannotWinALaterConflict)
{
    Device& lina = signedIn("lina-phone", "lina", kYearMs);
    Device& zhang = signedIn("zhang-phone", "zhang");
    const std::string id =
        create(lina, "customer", Write().set("name", "Future Co"s).set("owner", "lina"s).set("phone", "100"s));

    SyncOutcome s = sync(lina);
    ASSERT_EQ(s.statuses, std::vector<int>{409}) << s.last.dump();
    EXPECT_THAT(s.last.value("message", ""), HasSubstr("change 0 is stamped 31536000 s ahead"));
    lina->correctClock(s.last["server_time"].get<int64_t>() - lina->clock().physicalMillis());
    EXPECT_EQ(lina->clock().physicalMillis(), now);
    ASSERT_EQ(syncOk(lina).accepted, 1u);
    syncOk(zhang);
    ASSERT_EQ(field(zhang, "customer", id, "phone"), "100");

    // Both edit the phone while offline: lina first, zhang a second later.
    now += 1000;
    update(lina, "customer", id, Write().set("phone", "lina-earlier"s));
    now += 1000;
    update(zhang, "customer", id, Write().set("phone", "zhang-later"s));
    syncOk(lina);
    syncOk(zhang);
    syncOk(lina);

    EXPECT_EQ(hubField("customer", id, "phone"), "zhang-later");
    EXPECT_EQ(field(lina, "customer", id, "phone"), "zhang-later");
    EXPECT_EQ(field(zhang, "customer", id, "phone"), "zhang-later");

    // The hub logged lina's value as the loser, and its own clock was never
    // dragged into next year.
    const json conflicts = hub->dump()["conflict"];
    ASSERT_EQ(conflicts.size(), 1u) << conflicts.dump();
    const json& entry = conflicts.begin().value();
    EXPECT_EQ(entry["loser_value"]["value"], "\"lina-earlier\"");
    EXPECT_EQ(entry["winner_value"]["value"], "\"zhang-later\"");
    EXPECT_LE(crdt::hlcMillis(clockOf(entry["resolved"]["clock"]).hlc), now);
    EXPECT_LE(crdt::hlcMillis(clockOf(entry["loser_clock"]["value"]).hlc), now);
}

// ------------------------------------------------------------------ idempotency

class IdempotencyTest : public ServerFixture {};

TEST_F(IdempotencyTest, TheSameBodyTwiceIsAcceptedOnce)
{
    Device& lina = signedIn("lina-phone", "lina");
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        now += 1;
        ids.push_back(create(lina, "customer", Write().set("name", "Customer " + std::to_string(i)).set("owner", "lina"s)));
    }
    const json body = syncBody(lina);
    const std::string last = std::to_string(lina->pending().records.back().clock.hlc);

    HttpResponse first = post("/v1/sync", body, lina.token);
    ASSERT_EQ(first.status, 200) << first.body;
    json b1 = bodyOf(first);
    EXPECT_EQ(b1["push"], json({{"acked", last}, {"accepted", 3}, {"duplicates", 0}, {"rejected", json::array()}}));
    EXPECT_EQ(b1["pull"]["changes"].size(), 3u);
    EXPECT_EQ(b1["pull"]["cursor"], 3);
    EXPECT_EQ(b1["pull"]["more"], false);
    EXPECT_EQ(b1["server_time"], now);
    const HubState after = hubState();
    ASSERT_EQ(after.head, 3u);
    ASSERT_EQ(pokes.calls.size(), 1u);

    // The response was lost; the device sends the very same body again.
    HttpResponse second = post("/v1/sync", body, lina.token);
    ASSERT_EQ(second.status, 200) << second.body;
    json b2 = bodyOf(second);
    EXPECT_EQ(b2["push"], json({{"acked", last}, {"accepted", 0}, {"duplicates", 3}, {"rejected", json::array()}}));
    EXPECT_EQ(b2["pull"], b1["pull"]) << "the same page again";
    expectHubUnchanged(after, "a replayed push");
    EXPECT_EQ(pokes.calls.size(), 1u) << "nothing new: nobody is poked";

    SyncOutcome ignored;
    apply(lina, second, ignored);
    EXPECT_EQ(lina->pendingCount(), 0u);
    EXPECT_EQ(lina->acked(), std::stoull(last));
    EXPECT_EQ(lina->cursor(), 3u);
}

TEST_F(IdempotencyTest, AReplayWithNewChangesAcceptsOnlyTheNewOnes)
{
    Device& lina = signedIn("lina-phone", "lina");
    for (int i = 0; i < 2; ++i) {
        now += 1;
        create(lina, "customer", Write().set("name", "Old " + std::to_string(i)).set("owner", "lina"s));
    }
    const json oldBody = syncBody(lina);
    ASSERT_EQ(post("/v1/sync", oldBody, lina.token).status, 200);  // response lost: still pending locally
    now += 1;
    const std::string fresh = create(lina, "customer", Write().set("name", "New"s).set("owner", "lina"s));

    SyncOutcome s = syncOk(lina);
    EXPECT_EQ(s.accepted, 1u);
    EXPECT_EQ(s.duplicates, 2u);
    EXPECT_EQ(hub->head(), 3u);
    EXPECT_EQ(hubField("customer", fresh, "name"), "New");
    EXPECT_EQ(lina->pendingCount(), 0u);
}

// ------------------------------------------------------------------ conflicts

class ServerConflictTest : public ServerFixture {};

TEST_F(ServerConflictTest, ConcurrentEditsOfOneFieldLeaveOneEntryEverywhere)
{
    Device& lina = signedIn("lina-phone", "lina");
    Device& zhang = signedIn("zhang-phone", "zhang");
    Device& wang = signedIn("wang-phone", "wang");
    const std::string id =
        create(lina, "customer", Write().set("name", "Shared Co"s).set("owner", "lina"s).set("phone", "000"s));
    syncOk(lina);
    syncOk(zhang);

    now += 10;
    update(lina, "customer", id, Write().set("phone", "111-lina"s));
    now += 10;
    update(zhang, "customer", id, Write().set("phone", "222-zhang"s));
    syncOk(lina);
    SyncOutcome z = syncOk(zhang);
    EXPECT_EQ(z.accepted, 1u);
    syncOk(lina);
    syncOk(wang);

    auto hubEntries = [](Device& d) {
        std::vector<replica::ConflictEntry> out;
        for (auto& c : d->conflicts())
            if (!c.provisional) out.push_back(c);
        return out;
    };
    for (Device* d : {&lina, &zhang}) {
        SCOPED_TRACE(d->name);
        auto entries = hubEntries(*d);
        ASSERT_EQ(entries.size(), 1u);
        EXPECT_EQ(entries[0].entity, "customer");
        EXPECT_EQ(entries[0].row, id);
        EXPECT_EQ(entries[0].field, "phone");
        EXPECT_EQ(entries[0].rule, "lww");
        EXPECT_EQ(entries[0].loserValue, "111-lina");
        EXPECT_EQ(entries[0].winnerValue, "222-zhang");
        EXPECT_EQ(entries.size(), (*d)->conflicts().size()) << "no provisional flag is left over";
        EXPECT_EQ(field(*d, "customer", id, "phone"), "222-zhang");
    }
    EXPECT_TRUE(wang->conflicts().empty()) << "the entry hangs off lina's customer: not wang's to see";

    const json conflicts = hub->dump()["conflict"];
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_EQ(conflicts.begin().key(), hubEntries(lina)[0].id);
    EXPECT_EQ(conflicts.begin().value()["row"]["value"], id);
    EXPECT_EQ(conflicts.begin().value()["field"]["value"], "phone");
    EXPECT_EQ(hubField("customer", id, "phone"), "222-zhang");
    EXPECT_EQ(lina->dump()["conflict"], conflicts);
    EXPECT_EQ(zhang->dump()["conflict"], conflicts);
}

} // namespace
} // namespace fieldsync::server::test
