// Clocks: the replica's HLC across restarts with a wall clock that went back,
// and the on-disk clock-group encoding of RowState.h.
#include "ReplicaTestSupport.h"

#include "replica/RowState.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>

namespace fieldsync::replica::test {
namespace {

// ---------------------------------------------------------------- HLC persistence

class HlcPersistence : public ReplicaFixture {
protected:
    // The highest clock anywhere in the replica's state and outbox.
    static crdt::Hlc highestClock(Replica& r)
    {
        crdt::Hlc high = 0;
        for (const auto& rec : r.exportBundle().records) high = std::max(high, rec.clock.hlc);
        for (const auto& rec : r.pending().records) high = std::max(high, rec.clock.hlc);
        return high;
    }
};

TEST_F(HlcPersistence, UnsyncedWritesKeepTheClockAheadAfterTheWallClockWentBack)
{
    tA = kBaseMs + 60'000;
    auto r = openReplica("device.db", tA);
    std::string c = r->create("customer", Write().set("name", "Acme"s)).value();
    for (int i = 0; i < 5; ++i) FS_ASSERT_OK(r->update("customer", c, Write().set("phone", std::to_string(i))));
    const crdt::Hlc before = highestClock(*r);
    ASSERT_GE(before, crdt::hlcFromMillis(kBaseMs + 60'000));
    r.reset();

    tA = kBaseMs;  // a minute back
    r = openReplica("device.db", tA);
    FS_ASSERT_OK(r->update("customer", c, Write().set("address", "Main St"s)));
    EXPECT_GT(parseClock(clockOf(*r, "customer", c, "address")).hlc, before);
    std::string d = r->create("customer", Write().set("name", "Beta"s)).value();
    EXPECT_GT(parseClock(clockOf(*r, "customer", d, "name")).hlc, before);
}

TEST_F(HlcPersistence, AcknowledgedWritesKeepTheClockAhead)
{
    auto hub = openHub("hub.db", tHub);
    tA = kBaseMs + 60'000;
    auto r = openReplica("device.db", tA);
    std::string c = r->create("customer", Write().set("name", "Acme"s)).value();
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "1"s)));
    push(*r, *hub);  // acknowledged, outbox empty, not pulled back
    ASSERT_EQ(r->pendingCount(), 0u);
    const crdt::Hlc before = highestClock(*r);
    r.reset();

    tA = kBaseMs;
    r = openReplica("device.db", tA);
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "2"s)));
    EXPECT_GT(parseClock(clockOf(*r, "customer", c, "phone")).hlc, before);
    // And the hub takes it as newer.
    push(*r, *hub);
    EXPECT_EQ(hub->dump()["customer"][c]["phone"]["value"], "2");
}

TEST_F(HlcPersistence, ObservedRemoteClocksKeepTheClockAhead)
{
    auto hub = openHub("hub.db", tHub);
    auto w = openReplica("writer.db", tB);
    tB = kBaseMs + 3'600'000;  // the other device is an hour ahead
    std::string c = w->create("customer", Write().set("name", "Acme"s)).value();
    push(*w, *hub);

    auto r = openReplica("device.db", tA);
    pull(*r, *hub);  // only observes; never writes before the restart
    const crdt::Hlc seen = highestClock(*r);
    r.reset();
    tA = kBaseMs - 60'000;
    r = openReplica("device.db", tA);
    FS_ASSERT_OK(r->update("customer", c, Write().set("name", "Acme Ltd"s)));
    EXPECT_GT(parseClock(clockOf(*r, "customer", c, "name")).hlc, seen);
    EXPECT_EQ(valueOf(*r, "customer", c, "name"), "Acme Ltd");
}

TEST_F(HlcPersistence, ImportedClocksKeepTheClockAhead)
{
    auto w = openReplica("writer.db", tB);
    tB = kBaseMs + 3'600'000;
    std::string c = w->create("customer", Write().set("name", "Acme"s)).value();
    auto r = openReplica("device.db", tA);
    (void)r->importBundle(w->exportBundle());
    const crdt::Hlc seen = highestClock(*r);
    r.reset();
    r = openReplica("device.db", tA);
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "1"s)));
    EXPECT_GT(parseClock(clockOf(*r, "customer", c, "phone")).hlc, seen);
}

TEST_F(HlcPersistence, ClocksIncreaseWithinOneMillisecond)
{
    auto r = openReplica("device.db", tA);  // tA never moves
    std::string c = r->create("customer", Write().set("name", "Acme"s)).value();
    std::vector<crdt::Hlc> clocks;
    for (int i = 0; i < 20; ++i) {
        FS_ASSERT_OK(r->update("customer", c, Write().set("phone", std::to_string(i))));
        clocks.push_back(parseClock(clockOf(*r, "customer", c, "phone")).hlc);
    }
    for (size_t i = 1; i < clocks.size(); ++i) EXPECT_GT(clocks[i], clocks[i - 1]);
    EXPECT_EQ(crdt::hlcMillis(clocks.front()), kBaseMs);
}

// ---------------------------------------------------------------- clock groups

void expectSameGroups(const std::vector<ClockGroup>& a, const std::vector<ClockGroup>& b)
{
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].hlc, b[i].hlc) << "group " << i;
        EXPECT_EQ(a[i].peer, b[i].peer) << "group " << i;
        EXPECT_EQ(a[i].arrival, b[i].arrival) << "group " << i;
        EXPECT_EQ(a[i].mask, b[i].mask) << "group " << i;
    }
}

std::vector<ClockGroup> sampleGroups()
{
    constexpr uint64_t u64max = std::numeric_limits<uint64_t>::max();
    return {
        {crdt::hlcFromMillis(kBaseMs) | 7, 1, 0, 0b1011},
        {0, 0, 0, 0},
        {127, 128, 16383, 16384},                          // varint length boundaries
        {crdt::hlcFromMillis(kBaseMs + 1), 3, 987'654'321, uint64_t{1} << 63},
        {u64max, std::numeric_limits<uint32_t>::max(), u64max, u64max},
    };
}

TEST(ClockGroups, RoundTrip)
{
    const auto groups = sampleGroups();
    const std::string blob = encodeClockGroups(groups);
    expectSameGroups(decodeClockGroups(blob), groups);
    EXPECT_TRUE(decodeClockGroups("").empty());
    EXPECT_TRUE(encodeClockGroups({}).empty());
    // Each group is its own run of varints: encoding is concatenation.
    std::string concatenated;
    for (const auto& g : groups) concatenated += encodeClockGroups({g});
    EXPECT_EQ(blob, concatenated);
}

TEST(ClockGroups, ATypicalGroupIsSmall)
{
    // One write of several fields: one group, about a dozen bytes.
    ClockGroup g{crdt::hlcFromMillis(kBaseMs) | 3, 1, 0, 0x1fff};
    EXPECT_LE(encodeClockGroups({g}).size(), 14u);
}

TEST(ClockGroups, TruncatedBlobThrows)
{
    const auto groups = sampleGroups();
    const std::string blob = encodeClockGroups(groups);
    std::set<size_t> boundaries{0};
    size_t end = 0;
    for (const auto& g : groups) boundaries.insert(end += encodeClockGroups({g}).size());
    ASSERT_EQ(end, blob.size());
    for (size_t n = 1; n < blob.size(); ++n) {
        SCOPED_TRACE("first " + std::to_string(n) + " bytes");
        if (boundaries.count(n)) {
            // A cut between groups is a shorter, valid list.
            std::vector<ClockGroup> prefix;
            for (const auto& g : groups) {
                if (encodeClockGroups(prefix).size() == n) break;
                prefix.push_back(g);
            }
            expectSameGroups(decodeClockGroups(blob.substr(0, n)), prefix);
        } else {
            EXPECT_THROW((void)decodeClockGroups(blob.substr(0, n)), std::runtime_error);
        }
    }
}

TEST(ClockGroups, OverlongVarintThrows)
{
    EXPECT_THROW((void)decodeClockGroups(std::string(11, '\x80')), std::runtime_error);
    EXPECT_THROW((void)decodeClockGroups(std::string(3, '\x80')), std::runtime_error);
}

} // namespace
} // namespace fieldsync::replica::test
