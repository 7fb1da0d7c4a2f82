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
    tB = kBaseMs + 4 * 60'000;  // ahead, within what a hub accepts
    std::string c = w->create("customer", Write().set("name", "Acme"s)).value();
    auto r = openReplica("device.db", tA);
    (void)r->importBundle(w->exportBundle());
    const crdt::Hlc seen = highestClock(*r);
    r.reset();
    r = openReplica("device.db", tA);
    FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "1"s)));
    EXPECT_GT(parseClock(clockOf(*r, "customer", c, "phone")).hlc, seen);
}

// ---------------------------------------------------------------- clocks that heal

constexpr int64_t kDay = 24 * 3'600'000LL;

class ClockHealing : public ReplicaFixture {
protected:
    static std::vector<crdt::Hlc> pendingClocks(Replica& r)
    {
        std::vector<crdt::Hlc> out;
        for (const auto& rec : r.pending().records) out.push_back(rec.clock.hlc);
        return out;
    }
    static int64_t timeOf(Replica& r, const std::string& visit, const std::string& field)
    {
        return valueOf(r, "visit", visit, field).get<int64_t>();
    }
};

TEST_F(ClockHealing, ABundleFromAClockAYearAheadIsNotImportedAndDoesNotDragTheClock)
{
    auto phone = openReplica("phone.db", tB);
    tB = kBaseMs + 365 * kDay;
    std::string future = phone->create("customer", Write().set("name", "Acme"s)).value();
    FS_ASSERT_OK(phone->update("customer", future, Write().set("phone", "1"s)));
    auto desk = openReplica("desk.db", tC);
    tC = kBaseMs + 4 * 60'000;  // ahead too, but within what a hub accepts
    std::string near = desk->create("customer", Write().set("name", "Beta"s)).value();

    auto tablet = openReplica("tablet.db", tA);
    ApplyStats stats = tablet->importBundle(phone->exportBundle());
    EXPECT_EQ(stats.aheadRefused, 2u);
    EXPECT_EQ(stats.records, 0u);
    EXPECT_FALSE(tablet->get("customer", future).ok()) << "the far-future changes stay with their device";
    stats = tablet->importBundle(desk->exportBundle());
    EXPECT_EQ(stats.aheadRefused, 0u);
    EXPECT_EQ(stats.records, 1u);
    // The tablet's own edits stay at its own time (past the desk's, within the bound).
    FS_ASSERT_OK(tablet->update("customer", near, Write().set("phone", "1"s)));
    EXPECT_LE(crdt::hlcMillis(tablet->pending().records.back().clock.hlc), kBaseMs + 4 * 60'000);
    tablet.reset();
    tablet = openReplica("tablet.db", tA);
    FS_ASSERT_OK(tablet->update("customer", near, Write().set("phone", "2"s)));
    EXPECT_LE(crdt::hlcMillis(tablet->pending().records.back().clock.hlc), kBaseMs + 4 * 60'000);
}

TEST_F(ClockHealing, EditsStampedFarAheadByAnObservedClockComeBackToNowWhenCorrected)
{
    // A device that imported a year-ahead bundle before imports were bounded:
    // its observed clock, and so its own edits, run a year ahead, and the
    // correction used to stop at the observed clock, leaving them queued.
    auto phone = openReplica("phone.db", tB);
    tB = kBaseMs + 365 * kDay;
    std::string c = phone->create("customer", Write().set("name", "Acme"s)).value();
    auto tablet = openReplica("tablet.db", tA);
    (void)tablet->applyRemote(phone->exportBundle().records);  // as an unbounded import did
    FS_ASSERT_OK(tablet->update("customer", c, Write().set("phone", "1"s)));
    FS_ASSERT_OK(tablet->update("customer", c, Write().set("address", "Main St"s)));
    ASSERT_GT(pendingClocks(*tablet).front(), crdt::hlcFromMillis(kBaseMs + 300 * kDay));

    tablet->correctClock(0);  // the hub says: your time is right, your stamps are not
    auto clocks = pendingClocks(*tablet);
    ASSERT_EQ(clocks.size(), 2u);
    EXPECT_LE(crdt::hlcMillis(clocks.back()), kBaseMs) << "re-stamped to now at the latest";
    EXPECT_LT(clocks.front(), clocks.back()) << "in their order";
    EXPECT_EQ(valueOf(*tablet, "customer", c, "phone"), "1");
    EXPECT_EQ(valueOf(*tablet, "customer", c, "address"), "Main St");
    EXPECT_EQ(parseClock(clockOf(*tablet, "customer", c, "phone")).hlc, clocks.front()) << "the row follows its outbox";
    // And the clock stays there for new writes (also after a restart).
    tablet.reset();
    tablet = openReplica("tablet.db", tA);
    FS_ASSERT_OK(tablet->update("customer", c, Write().set("region", "north"s)));
    EXPECT_LE(crdt::hlcMillis(pendingClocks(*tablet).back()), kBaseMs + 1);
}

TEST_F(ClockHealing, ACheckInCapturedByAClockAYearAheadMovesBackWithItsCorrection)
{
    auto hub = openHub("hub.db", tHub);
    auto phone = openReplica("phone.db", tA);
    std::string c = phone->create("customer", Write().set("name", "Acme"s)).value();
    push(*phone, *hub);
    tA = kBaseMs + 365 * kDay + 5'000;
    const int64_t planned = kBaseMs + 3 * kDay;  // typed by the rep: not read from the clock
    std::string v = phone->create("visit", Write()
                                               .set("customer", c)
                                               .set("planned_at", planned)
                                               .set("checkin_at", tA)
                                               .set("status", "checked_in"s))
                        .value();
    phone->correctClock(-365 * kDay);
    EXPECT_EQ(timeOf(*phone, v, "checkin_at"), kBaseMs + 5'000) << "the time it really was";
    EXPECT_EQ(timeOf(*phone, v, "planned_at"), planned) << "a time the rep typed is left alone";
    push(*phone, *hub);
    EXPECT_EQ(hub->dump()["visit"][v]["checkin_at"]["value"], kBaseMs + 5'000);
}

TEST_F(ClockHealing, EditsFromAClockThirtyDaysBehindMoveForwardAndWinAsTheyShould)
{
    auto hub = openHub("hub.db", tHub);
    auto phone = openReplica("phone.db", tA);
    auto desk = openReplica("desk.db", tB);
    std::string c = desk->create("customer", Write().set("name", "Acme"s)).value();
    sync(*desk, *hub);
    sync(*phone, *hub);

    tB = kBaseMs + 10 * kDay;  // the desk edits on day 10
    FS_ASSERT_OK(desk->update("customer", c, Write().set("phone", "desk"s)));
    sync(*desk, *hub);
    tA = kBaseMs + 20 * kDay - 30 * kDay;  // the phone edits on day 20, its clock a month behind
    FS_ASSERT_OK(phone->update("customer", c, Write().set("phone", "phone"s)));
    std::string v = phone->create("visit", Write().set("customer", c).set("checkin_at", tA)).value();
    const crdt::Hlc stamped = pendingClocks(*phone).front();

    tHub = kBaseMs + 20 * kDay;
    phone->correctClock(30 * kDay);
    auto clocks = pendingClocks(*phone);
    EXPECT_GT(clocks.front(), stamped) << "moved forward";
    EXPECT_LE(crdt::hlcMillis(clocks.back()), kBaseMs + 20 * kDay) << "never past now";
    EXPECT_EQ(timeOf(*phone, v, "checkin_at"), crdt::hlcMillis(clocks.back())) << "the check-in moved with its write";
    sync(*phone, *hub);
    sync(*desk, *hub);
    EXPECT_EQ(valueOf(*desk, "customer", c, "phone"), "phone") << "the later edit wins";
    EXPECT_EQ(valueOf(*phone, "customer", c, "phone"), "phone");
}

TEST_F(ClockHealing, StampsMovingForwardOntoEachOthersOldStampsStayConsistent)
{
    auto hub = openHub("hub.db", tHub);
    auto phone = openReplica("phone.db", tA);
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(phone->create("customer", Write().set("name", "c" + std::to_string(i)).add("tags", "t")).value());
        tA += 1'000;  // a second apart: a one-second correction lands each on the next one's stamp
    }
    FS_ASSERT_OK(phone->update("customer", ids[0], Write().remove("tags", "t")));
    const auto before = pendingClocks(*phone);
    tA = kBaseMs + 60'000;
    phone->correctClock(1'000);
    const auto after = pendingClocks(*phone);
    ASSERT_EQ(after.size(), before.size());
    for (size_t i = 0; i < after.size(); ++i) {
        EXPECT_EQ(crdt::hlcMillis(after[i]), crdt::hlcMillis(before[i]) + 1'000) << i;
        if (i) {
            EXPECT_GT(after[i], after[i - 1]);
        }
    }
    push(*phone, *hub);
    EXPECT_EQ(phone->pendingCount(), 0u);
    pull(*phone, *hub);
    const json d = hub->dump();
    for (size_t i = 0; i < ids.size(); ++i)
        EXPECT_EQ(d["customer"][ids[i]]["name"]["value"], "c" + std::to_string(i));
    EXPECT_EQ(valueOf(*phone, "customer", ids[0], "tags"), json::array()) << "the remove followed its add's new dot";
    EXPECT_EQ(valueOf(*phone, "customer", ids[1], "tags"), json::array({"t"}));
    EXPECT_EQ(phone->dump().dump(), hub->dump().dump());
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
