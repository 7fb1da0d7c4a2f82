// The hub on its own: idempotent pushes, refusal of bad batches as a whole,
// pull pagination.
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace fieldsync::replica::test {
namespace {

using ::testing::HasSubstr;

protocol::FieldWrite fieldWrite(int field, crdt::Value value)
{
    protocol::FieldWrite w;
    w.field = field;
    w.value = std::move(value);
    return w;
}

class HubTest : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        hub = openHub("hub.db", tHub);
        w = openReplica("writer.db", tA);
        other = openReplica("other.db", tB);
    }
    void TearDown() override
    {
        w.reset();
        other.reset();
        hub.reset();
        ReplicaFixture::TearDown();
    }

    // n new customers on the writer, one record each.
    std::vector<std::string> customers(int n)
    {
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i) {
            tA += 1;
            ids.push_back(w->create("customer", Write().set("name", "Customer " + std::to_string(i))).value());
        }
        return ids;
    }

    struct HubState {
        std::string dump;
        uint64_t head;
        crdt::Hlc acked;
    };
    HubState state() { return {hub->dump().dump(), hub->head(), hub->ackedFor(w->deviceId())}; }
    void expectUnchanged(const HubState& before)
    {
        EXPECT_EQ(hub->dump().dump(), before.dump);
        EXPECT_EQ(hub->head(), before.head);
        EXPECT_EQ(hub->ackedFor(w->deviceId()), before.acked);
        EXPECT_EQ(hub->pull(before.head).records.size(), 0u) << "nothing was logged";
    }

    std::unique_ptr<Hub> hub;
    std::unique_ptr<Replica> w, other;
};

TEST_F(HubTest, AcceptsABatchAndAssignsPositionsInOrder)
{
    customers(3);
    PendingBatch batch = w->pending();
    auto res = hub->push(w->deviceId(), batch.after, batch.records);
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->accepted, 3u);
    EXPECT_EQ(res->duplicates, 0u);
    EXPECT_EQ(res->conflicts, 0u);
    EXPECT_EQ(res->head, 3u);
    EXPECT_EQ(res->acked, batch.records.back().clock.hlc);
    EXPECT_EQ(hub->ackedFor(w->deviceId()), res->acked);
    EXPECT_EQ(hub->ackedFor(other->deviceId()), 0u);
    PullResult all = hub->pull(0);
    ASSERT_EQ(all.records.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(all.records[i].seq, i + 1);
        protocol::ChangeRecord pulled = all.records[i];
        pulled.seq = 0;
        EXPECT_EQ(pulled, batch.records[i]) << "the hub returns the record as pushed";
    }
}

TEST_F(HubTest, ThePushOfTheSameBatchTwiceIsIdempotent)
{
    customers(4);
    PendingBatch batch = w->pending();
    auto first = hub->push(w->deviceId(), batch.after, batch.records);
    ASSERT_TRUE(first.ok()) << first.error().message;
    const HubState before = state();

    auto second = hub->push(w->deviceId(), batch.after, batch.records);
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->accepted, 0u);
    EXPECT_EQ(second->duplicates, 4u);
    EXPECT_EQ(second->conflicts, 0u);
    EXPECT_EQ(second->head, first->head);
    EXPECT_EQ(second->acked, first->acked) << "the device can acknowledge from a replayed push";
    expectUnchanged(before);
}

TEST_F(HubTest, AStaleBatchArrivingAfterANewerOneChangesNothing)
{
    auto ids = customers(2);
    PendingBatch older = w->pending();
    auto r1 = hub->push(w->deviceId(), older.after, older.records);
    ASSERT_TRUE(r1.ok());
    w->acknowledge(r1->acked);
    tA += 10;
    FS_ASSERT_OK(w->update("customer", ids[0], Write().set("name", "Renamed"s)));
    PendingBatch newer = w->pending();
    ASSERT_EQ(newer.after, r1->acked);
    auto r2 = hub->push(w->deviceId(), newer.after, newer.records);
    ASSERT_TRUE(r2.ok()) << r2.error().message;
    EXPECT_EQ(r2->accepted, 1u);
    const HubState before = state();

    // The first batch is delivered again, late.
    auto late = hub->push(w->deviceId(), older.after, older.records);
    ASSERT_TRUE(late.ok()) << late.error().message;
    EXPECT_EQ(late->accepted, 0u);
    EXPECT_EQ(late->duplicates, 2u);
    EXPECT_EQ(late->acked, r2->acked);
    expectUnchanged(before);
    EXPECT_EQ(hub->dump()["customer"][ids[0]]["name"]["value"], "Renamed");
}

TEST_F(HubTest, APartlyDeliveredBatchIsCompletedWithoutDuplicates)
{
    customers(3);
    PendingBatch batch = w->pending();
    std::vector<protocol::ChangeRecord> firstTwo(batch.records.begin(), batch.records.begin() + 2);
    auto r1 = hub->push(w->deviceId(), batch.after, firstTwo);
    ASSERT_TRUE(r1.ok());
    // The device never heard back and sends the whole batch again.
    auto r2 = hub->push(w->deviceId(), batch.after, batch.records);
    ASSERT_TRUE(r2.ok()) << r2.error().message;
    EXPECT_EQ(r2->accepted, 1u);
    EXPECT_EQ(r2->duplicates, 2u);
    EXPECT_EQ(r2->head, 3u);
    EXPECT_EQ(r2->acked, batch.records.back().clock.hlc);
}

TEST_F(HubTest, ABatchFollowingAMarkAboveTheHubsIsRefused)
{
    customers(2);
    PendingBatch batch = w->pending();
    const HubState before = state();
    auto res = hub->push(w->deviceId(), batch.records.front().clock.hlc, batch.records);
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code, ErrorCode::FailedPrecondition);
    expectUnchanged(before);

    // After the hub holds the first record, a batch claiming to follow the
    // second is still a gap.
    auto first = hub->push(w->deviceId(), 0, std::span(batch.records).first(1));
    ASSERT_TRUE(first.ok());
    const HubState mid = state();
    auto gap = hub->push(w->deviceId(), batch.records.back().clock.hlc, std::span(batch.records).last(1));
    ASSERT_FALSE(gap.ok());
    EXPECT_EQ(gap.error().code, ErrorCode::FailedPrecondition);
    expectUnchanged(mid);
}

TEST_F(HubTest, ARecordStampedByAnotherDeviceRefusesTheWholeBatch)
{
    customers(3);
    PendingBatch batch = w->pending();
    const HubState before = state();

    // Pushed under another device's name.
    auto wrongDevice = hub->push(other->deviceId(), batch.after, batch.records);
    ASSERT_FALSE(wrongDevice.ok());
    EXPECT_EQ(wrongDevice.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(wrongDevice.error().message, HasSubstr("another device"));
    expectUnchanged(before);
    EXPECT_EQ(hub->ackedFor(other->deviceId()), 0u);

    // One foreign record in the middle of an otherwise good batch.
    auto records = batch.records;
    records[1].clock.device = other->deviceId();
    auto mixed = hub->push(w->deviceId(), batch.after, records);
    ASSERT_FALSE(mixed.ok());
    EXPECT_EQ(mixed.error().code, ErrorCode::InvalidArgument);
    expectUnchanged(before);
}

TEST_F(HubTest, RecordsOutOfClockOrderRefuseTheWholeBatch)
{
    customers(3);
    PendingBatch batch = w->pending();
    const HubState before = state();
    auto records = batch.records;
    std::swap(records[1], records[2]);
    auto res = hub->push(w->deviceId(), batch.after, records);
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(res.error().message, HasSubstr("order"));
    expectUnchanged(before);

    // A repeated clock is out of order too.
    records = batch.records;
    records[2].clock = records[1].clock;
    auto repeated = hub->push(w->deviceId(), batch.after, records);
    ASSERT_FALSE(repeated.ok());
    EXPECT_EQ(repeated.error().code, ErrorCode::InvalidArgument);
    expectUnchanged(before);
}

TEST_F(HubTest, AWriteToAServerOnlyFieldRefusesTheWholeBatch)
{
    customers(2);
    PendingBatch batch = w->pending();
    const HubState before = state();
    const auto& conflict = *theSchema().entity("conflict");
    protocol::ChangeRecord forged;
    forged.entity = conflict.code;
    forged.id = newRowId(tA);
    forged.clock = {batch.records.back().clock.hlc + 1, w->deviceId()};
    forged.writes.push_back(fieldWrite(conflict.field("loser_value")->index, crdt::Value("\"x\""s)));
    auto records = batch.records;
    records.push_back(forged);
    auto res = hub->push(w->deviceId(), batch.after, records);
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(res.error().message, HasSubstr("conflict.loser_value"));
    expectUnchanged(before);

    // `resolved` is the one conflict field devices may write — on an entry
    // the hub made, never to make one.
    records.back().writes.clear();
    records.back().writes.push_back(fieldWrite(conflict.field("resolved")->index, crdt::Value(true)));
    auto refused = hub->push(w->deviceId(), batch.after, records);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(refused.error().message, HasSubstr("created by the server"));
    expectUnchanged(before);
}

TEST_F(HubTest, PullPaginatesInOrderWithoutGapsOrRepeats)
{
    customers(10);
    ASSERT_EQ(push(*w, *hub).accepted, 10u);
    ASSERT_EQ(hub->head(), 10u);

    std::vector<uint64_t> seqs;
    std::vector<bool> mores;
    uint64_t cursor = 0;
    for (int page = 0; page < 10; ++page) {
        PullResult res = hub->pull(cursor, 3);
        EXPECT_LE(res.records.size(), 3u);
        for (const auto& r : res.records) seqs.push_back(r.seq);
        if (!res.records.empty()) {
            EXPECT_EQ(res.cursor, res.records.back().seq) << "cursor = last seq returned";
        }
        mores.push_back(res.more);
        cursor = res.cursor;
        if (!res.more) break;
    }
    EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(mores, (std::vector<bool>{true, true, true, false}));
    EXPECT_EQ(cursor, 10u);

    // Past the head: nothing, no more, and the cursor stays.
    PullResult end = hub->pull(10, 3);
    EXPECT_TRUE(end.records.empty());
    EXPECT_FALSE(end.more);
    EXPECT_EQ(end.cursor, 10u);

    // An exact multiple of the page size: the last full page says no more.
    PullResult last = hub->pull(7, 3);
    EXPECT_EQ(last.records.size(), 3u);
    EXPECT_FALSE(last.more);
    PullResult mid = hub->pull(4, 3);
    EXPECT_EQ(mid.records.size(), 3u);
    EXPECT_TRUE(mid.more);
    EXPECT_EQ(mid.records.front().seq, 5u);

    // A device pulling in pages of 3 ends up with the same state.
    pull(*other, *hub, 3);
    EXPECT_EQ(other->cursor(), 10u);
    EXPECT_EQ(other->dump().dump(), w->dump().dump());
}

TEST_F(HubTest, StatePersistsAcrossReopen)
{
    customers(3);
    push(*w, *hub);
    const HubState before = state();
    const auto hubDevice = hub->deviceId();
    hub.reset();
    hub = openHub("hub.db", tHub);
    EXPECT_EQ(hub->deviceId(), hubDevice);
    EXPECT_EQ(hub->head(), before.head);
    EXPECT_EQ(hub->ackedFor(w->deviceId()), before.acked);
    EXPECT_EQ(hub->dump().dump(), before.dump);
    // A replay after the restart is still recognised.
    tA += 10;
    auto ids = customers(1);
    PendingBatch batch = w->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    auto res = hub->push(w->deviceId(), 0, batch.records);
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->accepted, 1u);
    EXPECT_EQ(res->head, 4u);
}

// The hub stamps its conflict entries with its own clock: after observing a
// device whose clock runs ahead, its entries still sort after what it saw, and
// that survives a restart.
TEST_F(HubTest, ConflictEntriesAreStampedAfterEverythingTheHubSaw)
{
    auto ids = customers(1);
    push(*w, *hub);
    pull(*other, *hub);
    tA = kBaseMs + 3'600'000;  // the writer runs an hour ahead of the hub
    FS_ASSERT_OK(w->update("customer", ids[0], Write().set("phone", "w"s)));
    tB += 10;
    FS_ASSERT_OK(other->update("customer", ids[0], Write().set("phone", "o"s)));
    push(*w, *hub);
    hub.reset();
    hub = openHub("hub.db", tHub);
    PushTotals p = push(*other, *hub);
    ASSERT_EQ(p.conflicts, 1u);
    PullResult all = hub->pull(0);
    const auto& entry = all.records.back();
    EXPECT_EQ(entry.entity, theSchema().entity("conflict")->code);
    EXPECT_EQ(entry.clock.device, hub->deviceId());
    EXPECT_GT(entry.clock.hlc, crdt::hlcFromMillis(kBaseMs + 3'600'000));
}

} // namespace
} // namespace fieldsync::replica::test
