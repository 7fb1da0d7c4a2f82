// The outbox: coalescing of unsynced edits, acknowledgement, and the round
// trip replica -> hub -> the same replica.
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fieldsync::replica::test {
namespace {

class Outbox : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        r = openReplica("device.db", tA);
        id = r->create("customer", Write().set("name", "Acme"s)).value();
        r->acknowledge(r->pending().records.back().clock.hlc);
        ASSERT_EQ(r->pendingCount(), 0u);
    }
    void TearDown() override
    {
        r.reset();
        ReplicaFixture::TearDown();
    }

    // One expected pending record, as wire JSON.
    json record(const std::string& clock, json set, uint64_t seen = 0)
    {
        return {{"entity", "customer"}, {"id", id}, {"clock", clock}, {"seen", seen}, {"set", std::move(set)}};
    }
    void write(const Write& w)
    {
        tA += 10;
        FS_ASSERT_OK(r->update("customer", id, w));
    }
    std::string clock(const char* field) { return clockOf(*r, "customer", id, field); }

    std::unique_ptr<Replica> r;
    std::string id;
};

TEST_F(Outbox, RewritingAFieldLeavesOneRecordWithTheLatestValue)
{
    write(Write().set("phone", "1"s));
    const std::string first = clock("phone");
    write(Write().set("phone", "2"s));
    EXPECT_EQ(r->pendingCount(), 1u);
    EXPECT_NE(clock("phone"), first);
    EXPECT_EQ(pendingJson(*r), json::array({record(clock("phone"), {{"phone", "2"}})}));
}

TEST_F(Outbox, CoalescingKeepsTheOtherFieldsOfTheEarlierRecord)
{
    write(Write().set("phone", "1"s).set("address", "Main St"s));
    const std::string first = clock("address");
    write(Write().set("phone", "2"s));
    const std::string second = clock("phone");
    EXPECT_EQ(r->pendingCount(), 2u);
    EXPECT_EQ(pendingJson(*r), json::array({record(first, {{"address", "Main St"}}), record(second, {{"phone", "2"}})}));
}

TEST_F(Outbox, FieldAThenBThenAAgainDropsTheFirstRecord)
{
    write(Write().set("phone", "1"s));
    write(Write().set("address", "Main St"s));
    const std::string b = clock("address");
    write(Write().set("phone", "3"s));
    const std::string a2 = clock("phone");
    EXPECT_EQ(r->pendingCount(), 2u);
    EXPECT_EQ(pendingJson(*r), json::array({record(b, {{"address", "Main St"}}), record(a2, {{"phone", "3"}})}));
}

TEST_F(Outbox, ARecordIsDroppedOnceAllItsFieldsAreRewritten)
{
    write(Write().set("phone", "1"s).set("address", "Main St"s));
    write(Write().set("address", "Side St"s));
    const std::string b2 = clock("address");
    write(Write().set("phone", "3"s));
    const std::string a2 = clock("phone");
    // The first record lost both its fields to later writes: it is gone.
    EXPECT_EQ(r->pendingCount(), 2u);
    EXPECT_EQ(pendingJson(*r), json::array({record(b2, {{"address", "Side St"}}), record(a2, {{"phone", "3"}})}));
}

TEST_F(Outbox, ARecordWithSetOperationsIsKeptWhenItsFieldsAreCoalesced)
{
    write(Write().set("phone", "1"s).add("tags", "vip"));
    const std::string first = clock("phone");
    write(Write().set("phone", "2"s));
    const std::string second = clock("phone");
    json withTag = {{"entity", "customer"},
                   {"id", id},
                   {"clock", first},
                   {"seen", 0},
                   {"add", json::array({{{"field", "tags"}, {"value", "vip"}}})}};
    EXPECT_EQ(pendingJson(*r), json::array({withTag, record(second, {{"phone", "2"}})}));
}

TEST_F(Outbox, AfterAcknowledgementANewWriteMakesANewRecord)
{
    write(Write().set("phone", "1"s));
    auto batch = r->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    const crdt::Hlc acked = batch.records[0].clock.hlc;
    r->acknowledge(acked);
    EXPECT_EQ(r->pendingCount(), 0u);
    EXPECT_EQ(r->acked(), acked);

    write(Write().set("phone", "2"s));
    EXPECT_EQ(r->pendingCount(), 1u);
    batch = r->pending();
    EXPECT_EQ(batch.after, acked);
    ASSERT_EQ(batch.records.size(), 1u);
    EXPECT_GT(batch.records[0].clock.hlc, acked);
    EXPECT_EQ(pendingJson(*r), json::array({record(clock("phone"), {{"phone", "2"}})}));

    // Acknowledging an older mark again is a no-op.
    r->acknowledge(acked - 1);
    EXPECT_EQ(r->acked(), acked);
    EXPECT_EQ(r->pendingCount(), 1u);
}

TEST_F(Outbox, AcknowledgeDropsOnlyRecordsUpToTheMark)
{
    write(Write().set("phone", "1"s));
    write(Write().set("address", "x"s));
    write(Write().set("region", "east"s));
    auto batch = r->pending();
    ASSERT_EQ(batch.records.size(), 3u);
    r->acknowledge(batch.records[1].clock.hlc);
    EXPECT_EQ(r->pendingCount(), 1u);
    EXPECT_EQ(pendingJson(*r), json::array({record(clock("region"), {{"region", "east"}})}));
}

TEST_F(Outbox, PendingHonoursItsLimitOldestFirst)
{
    write(Write().set("phone", "1"s));
    write(Write().set("address", "x"s));
    write(Write().set("region", "east"s));
    auto batch = r->pending(2);
    ASSERT_EQ(batch.records.size(), 2u);
    EXPECT_EQ(batch.records[0].clock.str(), clock("phone"));
    EXPECT_EQ(batch.records[1].clock.str(), clock("address"));
}

// ---------------------------------------------------------------- round trip

class RoundTrip : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        hub = openHub("hub.db", tHub);
        r = openReplica("device.db", tA);
    }
    void TearDown() override
    {
        r.reset();
        hub.reset();
        ReplicaFixture::TearDown();
    }
    std::unique_ptr<Hub> hub;
    std::unique_ptr<Replica> r;
};

TEST_F(RoundTrip, PulledBackOwnChangesLeaveTheOutboxEmpty)
{
    std::string c = r->create("customer", Write().set("name", "Acme"s).add("tags", "vip")).value();
    tA += 10;
    std::string v = r->create("visit", Write().set("customer", c).set("status", "planned"s)).value();
    tA += 10;
    FS_ASSERT_OK(r->update("visit", v, Write().set("status", "checked_in"s).set("notes", "ok"s)));
    ASSERT_EQ(r->pendingCount(), 3u);
    const std::string before = r->dump().dump();

    PushTotals pushed = push(*r, *hub);
    EXPECT_EQ(pushed.accepted, 3u);
    EXPECT_EQ(pushed.conflicts, 0u);
    EXPECT_EQ(r->pendingCount(), 0u);
    EXPECT_EQ(hub->ackedFor(r->deviceId()), r->acked());
    EXPECT_EQ(hub->head(), 3u);
    EXPECT_EQ(hub->dump().dump(), before) << "the hub holds what the device wrote";

    ApplyStats pulled = pull(*r, *hub);
    EXPECT_EQ(pulled.records, 3u);
    EXPECT_EQ(pulled.rowsChanged, 0u) << "the device already held its own writes";
    EXPECT_EQ(pulled.provisionalConflicts, 0u);
    EXPECT_EQ(r->pendingCount(), 0u) << "apply never re-enters the outbox";
    EXPECT_EQ(r->cursor(), 3u);
    EXPECT_EQ(r->dump().dump(), before);

    // A write after the pull records the cursor it had seen.
    tA += 10;
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "1"s)));
    auto batch = r->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    EXPECT_EQ(batch.records[0].seen, 3u);
    EXPECT_EQ(batch.after, r->acked());
}

TEST_F(RoundTrip, CursorAckAndDeviceIdSurviveReopen)
{
    std::string c = r->create("customer", Write().set("name", "Acme"s)).value();
    tA += 10;
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "1"s)));
    sync(*r, *hub);
    tA += 10;
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "2"s)));  // left unsynced
    const auto device = r->deviceId();
    const uint64_t cursor = r->cursor();
    const crdt::Hlc acked = r->acked();
    const std::string dump = r->dump().dump();
    const json pending = pendingJson(*r);
    ASSERT_EQ(cursor, 2u);
    ASSERT_GT(acked, 0u);

    r.reset();
    r = openReplica("device.db", tA);
    EXPECT_EQ(r->deviceId(), device);
    EXPECT_EQ(r->cursor(), cursor);
    EXPECT_EQ(r->acked(), acked);
    EXPECT_EQ(r->dump().dump(), dump);
    EXPECT_EQ(pendingJson(*r), pending);

    // And it carries on from there: nothing is pulled twice.
    ApplyStats again = pull(*r, *hub);
    EXPECT_EQ(again.records, 0u);
    PushTotals pushed = push(*r, *hub);
    EXPECT_EQ(pushed.accepted, 1u);
    EXPECT_EQ(pushed.duplicates, 0u);
}

TEST_F(RoundTrip, ApplyingTheSameBatchTwiceChangesNothing)
{
    // Writer W produces a varied batch; device r applies it twice.
    auto w = openReplica("writer.db", tB);
    tB += 1000;
    std::string c = w->create("customer", Write().set("name", "Acme"s).set("phone", "1"s).set("lat", 31.5).add("tags", "vip").add("tags", "key")).value();
    tB += 10;
    FS_ASSERT_OK(w->update("customer", c, Write().remove("tags", "key").set("phone", crdt::Value{})));
    tB += 10;
    std::string v = w->create("visit", Write().set("customer", c).set("status", "completed"s).set("satisfaction", int64_t{4})).value();
    tB += 10;
    FS_ASSERT_OK(w->update("visit", v, Write().reopen("status")));
    push(*w, *hub);

    PullResult page = hub->pull(0);
    ASSERT_EQ(page.records.size(), 4u);
    ASSERT_FALSE(page.more);
    ApplyStats first = r->applyRemote(page.records, page.cursor);
    EXPECT_EQ(first.records, 4u);
    EXPECT_EQ(first.rowsChanged, 4u);
    const std::string once = r->dump().dump();
    EXPECT_EQ(once, w->dump().dump());
    EXPECT_EQ(r->cursor(), page.cursor);

    ApplyStats second = r->applyRemote(page.records, page.cursor);
    EXPECT_EQ(second.records, 4u);
    EXPECT_EQ(second.rowsChanged, 0u);
    EXPECT_EQ(second.provisionalConflicts, 0u);
    EXPECT_EQ(r->dump().dump(), once);
    EXPECT_EQ(r->pendingCount(), 0u);
    EXPECT_EQ(r->cursor(), page.cursor);

    // An older cursor never moves it back.
    r->applyRemote({}, 1);
    EXPECT_EQ(r->cursor(), page.cursor);
    w.reset();
}

TEST_F(RoundTrip, RemoteApplyAdvancesTheClockPastWhatItSaw)
{
    auto w = openReplica("writer.db", tB);
    tB = kBaseMs + 3'600'000;  // the writer's clock is an hour ahead
    std::string c = w->create("customer", Write().set("name", "Acme"s)).value();
    push(*w, *hub);
    pull(*r, *hub);
    const std::string seen = clockOf(*r, "customer", c, "name");
    FS_ASSERT_OK(r->update("customer", c, Write().set("name", "Acme Ltd"s)));
    EXPECT_GT(clockOf(*r, "customer", c, "name"), seen) << "a write after a pull sorts after what was pulled";
    EXPECT_EQ(valueOf(*r, "customer", c, "name"), "Acme Ltd");
    w.reset();
}

} // namespace
} // namespace fieldsync::replica::test
