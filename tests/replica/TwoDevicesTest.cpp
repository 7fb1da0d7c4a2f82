// Two devices and one hub: convergence, conflict detection (provisional on the
// device, settled at the hub), and each merge rule across devices.
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fieldsync::replica::test {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

using TwoDevices = TwoDevicesFixture;

size_t rowsOf(Replica& r, std::string_view entity) { return r.list(entity).size(); }

// Both devices edit one field concurrently; A's clock is lower. B syncs first,
// then A pulls B's edit while its own is still unsynced.
TEST_F(TwoDevices, ConcurrentLwwEditsConvergeWithOneConflictEntry)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("phone", "0"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "1"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "2"s)));
    const std::string aClock = clockOf(*a, "customer", c, "phone");
    const std::string bClock = clockOf(*b, "customer", c, "phone");
    ASSERT_LT(aClock, bClock);

    SyncTotals sb = sync(*b, *hub);
    EXPECT_EQ(sb.pushed.conflicts, 0u) << "nothing concurrent has reached the hub yet";

    // A pulls B's edit: it wins locally, and A flags its own lost edit.
    ApplyStats pulled = pull(*a, *hub);
    EXPECT_EQ(pulled.provisionalConflicts, 1u);
    EXPECT_EQ(valueOf(*a, "customer", c, "phone"), "2");
    auto flags = a->conflicts();
    ASSERT_THAT(flags, SizeIs(1));
    EXPECT_TRUE(flags[0].provisional);
    EXPECT_TRUE(flags[0].id.empty());
    EXPECT_EQ(flags[0].entity, "customer");
    EXPECT_EQ(flags[0].row, c);
    EXPECT_EQ(flags[0].field, "phone");
    EXPECT_EQ(flags[0].rule, "lww");
    EXPECT_EQ(flags[0].loserValue, "1");
    EXPECT_EQ(flags[0].loserClock, aClock);
    EXPECT_EQ(flags[0].winnerValue, "2");
    EXPECT_EQ(flags[0].winnerClock, bClock);
    EXPECT_EQ(a->pendingCount(), 1u) << "A's lost edit still has to reach the hub";

    // A pushes: the hub logs A's value as the loser, once.
    tHub += 500;
    PushTotals pa = push(*a, *hub);
    EXPECT_EQ(pa.accepted, 1u);
    EXPECT_EQ(pa.conflicts, 1u);
    pull(*a, *hub);
    sync(*b, *hub);

    const std::string expectedId = conflictRowId("customer", c, "phone", parseClock(aClock));
    for (Replica* r : {a.get(), b.get()}) {
        SCOPED_TRACE(r == a.get() ? "device A" : "device B");
        auto entries = r->conflicts();
        ASSERT_THAT(entries, SizeIs(1)) << "the provisional flag is gone, the hub's entry is there";
        const auto& e = entries[0];
        EXPECT_FALSE(e.provisional);
        EXPECT_EQ(e.id, expectedId);
        EXPECT_EQ(e.entity, "customer");
        EXPECT_EQ(e.row, c);
        EXPECT_EQ(e.field, "phone");
        EXPECT_EQ(e.rule, "lww");
        EXPECT_EQ(e.loserValue, "1");
        EXPECT_EQ(e.loserClock, aClock);
        EXPECT_EQ(e.winnerValue, "2");
        EXPECT_EQ(e.winnerClock, bClock);
        EXPECT_EQ(e.detectedAt, tHub);
        EXPECT_FALSE(e.resolved);
        EXPECT_FALSE(e.needsResolution) << "lww losers need no decision";
        EXPECT_EQ(valueOf(*r, "customer", c, "phone"), "2");
        EXPECT_EQ(rowsOf(*r, "conflict"), 1u);
        EXPECT_EQ(r->pendingCount(), 0u);
    }
    expectConverged();
}

// The same, seen from the winner: B (higher clock) pulls A's edit while its
// own is unsynced, keeps its value and flags A's as the loser.
TEST_F(TwoDevices, WinnerFlagsTheLoserUntilTheHubEntryArrives)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "1"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "2"s)));
    const std::string aClock = clockOf(*a, "customer", c, "phone");
    const std::string bClock = clockOf(*b, "customer", c, "phone");

    EXPECT_EQ(sync(*a, *hub).pushed.conflicts, 0u);
    ApplyStats pulled = pull(*b, *hub);
    EXPECT_EQ(pulled.provisionalConflicts, 1u);
    EXPECT_EQ(valueOf(*b, "customer", c, "phone"), "2") << "B's later edit stays";
    auto flags = provisionalFlags(*b);
    ASSERT_THAT(flags, SizeIs(1));
    EXPECT_EQ(flags[0].loserClock, aClock);
    EXPECT_EQ(flags[0].loserValue, "1");
    EXPECT_EQ(flags[0].winnerClock, bClock);
    // Nothing changed for B's pending record.
    EXPECT_EQ(pendingJson(*b)[0]["set"], json({{"phone", "2"}}));

    EXPECT_EQ(push(*b, *hub).conflicts, 1u);
    pull(*b, *hub);
    EXPECT_THAT(provisionalFlags(*b), IsEmpty());
    ASSERT_THAT(hubEntries(*b), SizeIs(1));
    EXPECT_EQ(hubEntries(*b)[0].loserClock, aClock);
    sync(*a, *hub);
    EXPECT_THAT(provisionalFlags(*a), IsEmpty());
    ASSERT_THAT(hubEntries(*a), SizeIs(1));
    EXPECT_EQ(valueOf(*a, "customer", c, "phone"), "2");
    expectConverged();
}

TEST_F(TwoDevices, AWriterWhoHadPulledTheOtherValueMakesNoConflict)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("phone", "0"s));
    tA += 60'000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "1"s)));
    sync(*a, *hub);
    sync(*b, *hub);
    ASSERT_EQ(valueOf(*b, "customer", c, "phone"), "1");
    // B's physical clock is a minute behind A's, but it has seen A's write.
    tB += 10;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "2"s)));
    EXPECT_GT(clockOf(*b, "customer", c, "phone"), clockOf(*a, "customer", c, "phone"));
    SyncTotals sb = sync(*b, *hub);
    EXPECT_EQ(sb.pushed.conflicts, 0u);
    EXPECT_EQ(sb.pulled.provisionalConflicts, 0u);
    sync(*a, *hub);
    EXPECT_EQ(valueOf(*a, "customer", c, "phone"), "2");
    EXPECT_THAT(a->conflicts(true), IsEmpty());
    EXPECT_THAT(b->conflicts(true), IsEmpty());
    EXPECT_EQ(rowsOf(*a, "conflict"), 0u);
    expectConverged();
}

TEST_F(TwoDevices, TextFieldLoserNeedsResolution)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "A's notes"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "B's notes"s)));
    settle();
    for (Replica* r : {a.get(), b.get()}) {
        SCOPED_TRACE(r == a.get() ? "device A" : "device B");
        auto entries = r->conflicts();
        ASSERT_THAT(entries, SizeIs(1));
        EXPECT_FALSE(entries[0].provisional);
        EXPECT_EQ(entries[0].rule, "text");
        EXPECT_TRUE(entries[0].needsResolution);
        EXPECT_EQ(entries[0].loserValue, "A's notes");
        EXPECT_EQ(entries[0].winnerValue, "B's notes");
        EXPECT_EQ(valueOf(*r, "customer", c, "notes"), "B's notes");
    }
    expectConverged();
}

TEST_F(TwoDevices, ResolvingAConflictWritesTheFieldAndSyncs)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "A's notes"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "B's notes"s)));
    settle();
    auto entries = a->conflicts();
    ASSERT_THAT(entries, SizeIs(1));
    const std::string id = entries[0].id;

    tA += 5000;
    FS_ASSERT_OK(a->resolveConflict(id, crdt::Value("A's and B's notes"s)));
    EXPECT_EQ(valueOf(*a, "customer", c, "notes"), "A's and B's notes");
    EXPECT_THAT(a->conflicts(), IsEmpty());
    auto all = a->conflicts(true);
    ASSERT_THAT(all, SizeIs(1));
    EXPECT_TRUE(all[0].resolved);
    EXPECT_FALSE(all[0].needsResolution);

    SyncTotals sa = sync(*a, *hub);
    EXPECT_EQ(sa.pushed.conflicts, 0u) << "a resolution made after seeing both values is no new conflict";
    sync(*b, *hub);
    EXPECT_EQ(valueOf(*b, "customer", c, "notes"), "A's and B's notes");
    EXPECT_THAT(b->conflicts(), IsEmpty());
    auto onB = b->conflicts(true);
    ASSERT_THAT(onB, SizeIs(1));
    EXPECT_EQ(onB[0].id, id);
    EXPECT_TRUE(onB[0].resolved);
    expectConverged();

    Status unknown = a->resolveConflict("0190aaaa-0000-7000-8000-000000000000", std::nullopt);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
}

TEST_F(TwoDevices, ResolvingWithoutAValueOnlyMarksTheEntry)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "1"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "2"s)));
    settle();
    auto entries = b->conflicts();
    ASSERT_THAT(entries, SizeIs(1));
    tB += 5000;
    FS_ASSERT_OK(b->resolveConflict(entries[0].id, std::nullopt));
    settle();
    EXPECT_THAT(a->conflicts(), IsEmpty());
    EXPECT_EQ(valueOf(*a, "customer", c, "phone"), "2");
    expectConverged();
}

TEST_F(TwoDevices, EqualConcurrentValuesAreNoConflict)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("phone", "0"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "same"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "same"s)));
    sync(*b, *hub);
    ApplyStats pulled = pull(*a, *hub);
    EXPECT_EQ(pulled.provisionalConflicts, 0u);
    EXPECT_THAT(a->conflicts(true), IsEmpty());
    EXPECT_EQ(push(*a, *hub).conflicts, 0u);
    settle();
    EXPECT_THAT(a->conflicts(true), IsEmpty());
    EXPECT_THAT(b->conflicts(true), IsEmpty());
    EXPECT_EQ(clockOf(*a, "customer", c, "phone"), clockOf(*b, "customer", c, "phone"));
    expectConverged();
}

// A edits notes (unsynced), then pulls B's concurrent later edit: the row shows
// B's value, but A's edit must still reach the hub so it is logged as lost.
TEST_F(TwoDevices, AnOverwrittenUnsyncedEditIsStillPushed)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    const uint64_t seenByA = a->cursor();
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "from A"s).set("phone", "A-1"s)));
    const std::string aClock = clockOf(*a, "customer", c, "notes");
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "from B"s)));
    sync(*b, *hub);

    pull(*a, *hub);
    EXPECT_EQ(valueOf(*a, "customer", c, "notes"), "from B");
    EXPECT_EQ(valueOf(*a, "customer", c, "phone"), "A-1");
    const json expected = json::array({{{"entity", "customer"},
                                        {"id", c},
                                        {"clock", aClock},
                                        {"seen", seenByA},
                                        {"set", {{"phone", "A-1"}, {"notes", "from A"}}}}});
    EXPECT_EQ(pendingJson(*a), expected);

    // Writing another field afterwards does not disturb the kept value.
    tA += 10;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "A-2"s)));
    ASSERT_EQ(a->pendingCount(), 2u);
    EXPECT_EQ(pendingJson(*a)[0]["set"], json({{"notes", "from A"}}));

    PushTotals pa = push(*a, *hub);
    EXPECT_EQ(pa.accepted, 2u);
    EXPECT_EQ(pa.conflicts, 1u);
    const json hubDump = hub->dump();
    const std::string id = conflictRowId("customer", c, "notes", parseClock(aClock));
    ASSERT_TRUE(hubDump["conflict"].contains(id)) << hubDump["conflict"].dump(1);
    EXPECT_EQ(hubDump["conflict"][id]["loser_value"]["value"], json("from A").dump());
    EXPECT_EQ(hubDump["conflict"][id]["loser_clock"]["value"], aClock);
    EXPECT_EQ(hubDump["conflict"][id]["winner_value"]["value"], json("from B").dump());
    EXPECT_EQ(hubDump["conflict"][id]["rule"]["value"], "text");
    EXPECT_EQ(hubDump["customer"][c]["notes"]["value"], "from B");
    EXPECT_EQ(hubDump["customer"][c]["phone"]["value"], "A-2");
    settle();
    expectConverged();
}

TEST_F(TwoDevices, SetAddWinsOverAConcurrentRemove)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).add("tags", "vip"));
    const std::string firstDot = clockOf(*a, "customer", c, "name");
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().remove("tags", "vip")));
    EXPECT_EQ(valueOf(*a, "customer", c, "tags"), json::array());
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().add("tags", "vip")));
    const std::string secondDot = b->pending().records[0].clock.str();
    settle();
    for (Replica* r : {a.get(), b.get()}) {
        EXPECT_EQ(valueOf(*r, "customer", c, "tags"), json({"vip"}));
        const json dots = r->dump()["customer"][c]["tags"]["vip"];
        EXPECT_EQ(dots, json({{firstDot, "removed"}, {secondDot, "added"}}));
    }
    expectConverged();
}

TEST_F(TwoDevices, ARemoveReachesOnlyTheDotsItObserved)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).add("tags", "x"));
    const std::string dotA = clockOf(*a, "customer", c, "name");
    tB += 1000;
    FS_ASSERT_OK(b->update("customer", c, Write().add("tags", "x")));
    const std::string dotB = b->pending().records[0].clock.str();
    sync(*b, *hub);

    // A has not pulled B's add: its remove names A's dot only.
    tA += 2000;
    FS_ASSERT_OK(a->update("customer", c, Write().remove("tags", "x")));
    auto batch = a->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    ASSERT_EQ(batch.records[0].setOps.size(), 1u);
    ASSERT_EQ(batch.records[0].setOps[0].dots.size(), 1u);
    EXPECT_EQ(batch.records[0].setOps[0].dots[0].str(), dotA);
    settle();
    EXPECT_EQ(valueOf(*a, "customer", c, "tags"), json({"x"})) << "B's unseen add survives";
    EXPECT_EQ(valueOf(*b, "customer", c, "tags"), json({"x"}));
    expectConverged();

    // Having seen B's add, a second remove takes it.
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().remove("tags", "x")));
    batch = a->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    ASSERT_EQ(batch.records[0].setOps.size(), 1u);
    ASSERT_EQ(batch.records[0].setOps[0].dots.size(), 1u);
    EXPECT_EQ(batch.records[0].setOps[0].dots[0].str(), dotB);
    settle();
    EXPECT_EQ(valueOf(*a, "customer", c, "tags"), json::array());
    EXPECT_EQ(valueOf(*b, "customer", c, "tags"), json::array());
    expectConverged();
}

TEST_F(TwoDevices, ReopenOutranksAConcurrentAdvanceWhateverTheClocks)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 10;
    const std::string v1 = a->create("visit", Write().set("customer", c).set("status", "checked_in"s)).value();
    const std::string v2 = a->create("visit", Write().set("customer", c).set("status", "checked_in"s)).value();
    settle();

    // B reopens first (lower clocks), A advances afterwards (higher clocks).
    tB += 1000;
    FS_ASSERT_OK(b->update("visit", v1, Write().reopen("status")));
    FS_ASSERT_OK(b->update("visit", v2, Write().reopen("status")));
    tA += 5000;
    FS_ASSERT_OK(a->update("visit", v1, Write().set("status", "completed"s)));
    FS_ASSERT_OK(a->update("visit", v2, Write().set("status", "completed"s)));
    ASSERT_GT(clockOf(*a, "visit", v1, "status"), clockOf(*b, "visit", v1, "status"));

    settle();  // A's advance reaches the hub before B's reopen
    for (Replica* r : {a.get(), b.get()})
        for (const auto& v : {v1, v2}) {
            json row = r->get("visit", v).value();
            EXPECT_EQ(row["status"], "planned");
            EXPECT_EQ(row["status_gen"], 1);
        }
    EXPECT_THAT(a->conflicts(true), IsEmpty()) << "stage moves are merged, not logged";
    expectConverged();

    // Within the new generation the stage moves forward again on either device.
    tA += 1000;
    FS_ASSERT_OK(a->update("visit", v1, Write().set("status", "checked_in"s)));
    settle();
    EXPECT_EQ(valueOf(*b, "visit", v1, "status"), "checked_in");
    expectConverged();
}

TEST_F(TwoDevices, ReopenArrivingFirstAtTheHubStillWins)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 10;
    const std::string v = a->create("visit", Write().set("customer", c).set("status", "checked_in"s)).value();
    settle();
    tB += 1000;
    FS_ASSERT_OK(b->update("visit", v, Write().reopen("status")));
    tA += 5000;
    FS_ASSERT_OK(a->update("visit", v, Write().set("status", "completed"s)));
    sync(*b, *hub);
    sync(*a, *hub);
    sync(*b, *hub);
    EXPECT_EQ(valueOf(*a, "visit", v, "status"), "planned");
    EXPECT_EQ(a->dump()["visit"][v]["status"]["gen"], 1);
    expectConverged();
}

TEST_F(TwoDevices, ArchivedCustomerKeepsAConcurrentVisit)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 1000;
    FS_ASSERT_OK(a->archive("customer", c));
    tB += 2000;
    const std::string v = b->create("visit", Write().set("customer", c).set("purpose", "demo"s)).value();
    settle();
    for (Replica* r : {a.get(), b.get()}) {
        EXPECT_EQ(valueOf(*r, "customer", c, "archived"), true);
        auto visit = r->get("visit", v);
        ASSERT_TRUE(visit.ok()) << visit.error().message;
        EXPECT_EQ((*visit)["customer"], c);
        EXPECT_EQ((*visit)["purpose"], "demo");
    }
    expectConverged();
}

// Check-in is written once, all its fields in one write. Two devices check in
// concurrently: the lower clock wins for every check-in field together, on
// every replica, whichever arrives at the hub first; the hub logs the loser.
TEST_F(TwoDevices, ConcurrentCheckInsKeepTheEarlierOneAsAWhole)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 10;
    const std::string v = a->create("visit", Write().set("customer", c).set("status", "planned"s)).value();
    settle();

    tA += 1000;
    FS_ASSERT_OK(a->update("visit", v, Write()
                                            .set("checkin_at", kBaseMs + 1)
                                            .set("checkin_lat", 31.1)
                                            .set("checkin_lng", 121.1)
                                            .set("status", "checked_in"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("visit", v, Write()
                                            .set("checkin_at", kBaseMs + 2)
                                            .set("checkin_lat", 31.2)
                                            .set("checkin_lng", 121.2)
                                            .set("status", "checked_in"s)));
    const std::string aClock = clockOf(*a, "visit", v, "checkin_at");
    const std::string bClock = clockOf(*b, "visit", v, "checkin_at");
    ASSERT_LT(aClock, bClock);

    // The later check-in reaches the hub first.
    sync(*b, *hub);
    ApplyStats pulled = pull(*a, *hub);
    EXPECT_EQ(pulled.provisionalConflicts, 3u) << "one flag per check-in field B lost to A's unsynced edit";
    PushTotals pa = push(*a, *hub);
    EXPECT_EQ(pa.conflicts, 3u);
    settle();

    for (Replica* r : {a.get(), b.get()}) {
        SCOPED_TRACE(r == a.get() ? "device A" : "device B");
        json row = r->get("visit", v).value();
        EXPECT_EQ(row["checkin_at"], kBaseMs + 1);
        EXPECT_EQ(row["checkin_lat"], 31.1);
        EXPECT_EQ(row["checkin_lng"], 121.1);
        for (const char* f : {"checkin_at", "checkin_lat", "checkin_lng"}) EXPECT_EQ(clockOf(*r, "visit", v, f), aClock) << f;
        auto entries = r->conflicts();
        ASSERT_THAT(entries, SizeIs(3));
        for (const auto& e : entries) {
            EXPECT_FALSE(e.provisional);
            EXPECT_EQ(e.rule, "once");
            EXPECT_EQ(e.loserClock, bClock);
            EXPECT_EQ(e.winnerClock, aClock);
            EXPECT_EQ(e.row, v);
            if (e.field == "checkin_at") EXPECT_EQ(e.loserValue, kBaseMs + 2);
            else if (e.field == "checkin_lat") EXPECT_EQ(e.loserValue, 31.2);
            else if (e.field == "checkin_lng") EXPECT_EQ(e.loserValue, 121.2);
            else ADD_FAILURE() << "unexpected conflict on " << e.field;
        }
    }
    expectConverged();
}

TEST_F(TwoDevices, ConcurrentCheckInsInArrivalOrderKeepTheEarlierOne)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 10;
    const std::string v = a->create("visit", Write().set("customer", c)).value();
    settle();
    tA += 1000;
    FS_ASSERT_OK(a->update("visit", v, Write().set("checkin_at", kBaseMs + 1).set("checkin_lat", 31.1)));
    tB += 2000;
    FS_ASSERT_OK(b->update("visit", v, Write().set("checkin_at", kBaseMs + 2).set("checkin_lat", 31.2)));
    const std::string bClock = clockOf(*b, "visit", v, "checkin_at");
    sync(*a, *hub);
    PushTotals pb = push(*b, *hub);
    EXPECT_EQ(pb.conflicts, 2u);
    settle();
    EXPECT_EQ(valueOf(*b, "visit", v, "checkin_at"), kBaseMs + 1);
    EXPECT_EQ(valueOf(*b, "visit", v, "checkin_lat"), 31.1);
    for (const auto& e : b->conflicts()) EXPECT_EQ(e.loserClock, bClock);
    EXPECT_THAT(provisionalFlags(*a), IsEmpty());
    EXPECT_THAT(provisionalFlags(*b), IsEmpty());
    expectConverged();
}

// Provisional flags stand in for hub entries "until the hub's entry arrives"
// (Replica.h). Once every device has pushed and pulled everything, none may be
// left over. Here A's unsynced edit wins locally against B's older concurrent
// edit (A flags B's value as the loser), then A edits the field again before
// syncing: the first edit is coalesced away, the hub never sees the concurrent
// pair, never logs an entry — and A's flag would stay forever.
TEST_F(TwoDevices, NoProvisionalFlagOutlivesAFullSync)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    tB += 1000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "from B"s)));
    tA += 2000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "from A"s)));
    sync(*b, *hub);
    pull(*a, *hub);
    ASSERT_THAT(provisionalFlags(*a), SizeIs(1));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "from A, again"s)));
    settle();
    ASSERT_EQ(a->pendingCount(), 0u);
    ASSERT_EQ(b->pendingCount(), 0u);
    expectConverged();
    EXPECT_THAT(provisionalFlags(*a), IsEmpty())
        << "flag left over: loser " << provisionalFlags(*a).front().loserClock << " with no hub entry to settle it";
    EXPECT_THAT(provisionalFlags(*b), IsEmpty());
}

// An unsynced edit that won locally against a concurrent remote change is
// pinned: editing the field again does not coalesce it away, so the hub still
// sees both sides (docs/sync-model.md "Coalescing and pinning").
TEST_F(TwoDevices, AnEditThatMetAConcurrentChangeIsPinnedInTheOutbox)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("phone", "0"s));
    const uint64_t seen = a->cursor();
    tB += 1000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "B"s)));
    tA += 2000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "A1"s)));
    const std::string first = clockOf(*a, "customer", c, "phone");
    sync(*b, *hub);
    pull(*a, *hub);
    ASSERT_THAT(provisionalFlags(*a), SizeIs(1));
    tA += 10;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "A2"s)));
    const std::string second = clockOf(*a, "customer", c, "phone");
    const json expected = json::array(
        {{{"entity", "customer"}, {"id", c}, {"clock", first}, {"seen", seen}, {"set", {{"phone", "A1"}}}},
         {{"entity", "customer"}, {"id", c}, {"clock", second}, {"seen", a->cursor()}, {"set", {{"phone", "A2"}}}}});
    EXPECT_EQ(pendingJson(*a), expected);
    // A third edit coalesces with the second (unpinned) one only.
    tA += 10;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "A3"s)));
    ASSERT_EQ(a->pendingCount(), 2u);
    EXPECT_EQ(pendingJson(*a)[0]["set"], json({{"phone", "A1"}}));
    EXPECT_EQ(pendingJson(*a)[1]["set"], json({{"phone", "A3"}}));

    EXPECT_EQ(push(*a, *hub).conflicts, 1u) << "B's value was concurrently overwritten by A1";
    settle();
    EXPECT_EQ(valueOf(*b, "customer", c, "phone"), "A3");
    ASSERT_THAT(hubEntries(*b), SizeIs(1));
    EXPECT_EQ(hubEntries(*b)[0].loserValue, "B");
    EXPECT_THAT(provisionalFlags(*a), IsEmpty());
    expectConverged();
}

// The conflict log is written by the hub; devices only mark entries resolved.
// A device-made conflict row (with only `resolved`) must not be possible — once
// synced it would make every device's conflicts() fail on its null fields.
TEST_F(TwoDevices, DevicesCannotCreateConflictLogRows)
{
    auto made = a->create("conflict", Write().set("resolved", false));
    EXPECT_FALSE(made.ok()) << "a device created conflict row " << (made.ok() ? *made : "");
    settle();
    EXPECT_NO_THROW(a->conflicts(true));
    EXPECT_NO_THROW(b->conflicts(true));
}

} // namespace
} // namespace fieldsync::replica::test
