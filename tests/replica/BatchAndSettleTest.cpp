// Replica::batch (several local writes, all or nothing) and the settling of
// provisional flags the hub never confirms (acknowledge with the hub's head).
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

namespace fieldsync::replica::test {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

class Batch : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        r = openReplica("device.db", tA);
        c = r->create("customer", Write().set("name", "Acme"s)).value();
        tA += 10;
        FS_ASSERT_OK(r->update("customer", c, Write().set("phone", "1"s)));  // unsynced, coalescable
    }
    void TearDown() override
    {
        r.reset();
        ReplicaFixture::TearDown();
    }

    // Runs a batch whose second write fails but whose lambda ignores that, and
    // checks that nothing of the batch persisted.
    void expectPoisoned(const char* what, const std::function<void()>& failingWrite)
    {
        SCOPED_TRACE(what);
        const std::string before = r->dump().dump();
        const json pendingBefore = pendingJson(*r);
        tA += 10;
        Status st = r->batch([&]() -> Status {
            FS_EXPECT_OK(r->update("customer", c, Write().set("phone", "2"s).set("region", "east"s)));
            failingWrite();
            return Ok{};
        });
        EXPECT_FALSE(st.ok()) << "the batch committed although a write in it failed";
        EXPECT_EQ(r->dump().dump(), before);
        EXPECT_EQ(pendingJson(*r), pendingBefore);
    }

    std::unique_ptr<Replica> r;
    std::string c;
};

TEST_F(Batch, AllWritesPersistTogether)
{
    tA += 10;
    std::string v;
    Status st = r->batch([&]() -> Status {
        auto made = r->create("visit", Write().set("customer", c).set("status", "planned"s));
        if (!made) return made.error();
        v = *made;
        // Reads inside the batch see its earlier writes.
        EXPECT_TRUE(r->get("visit", v).ok());
        return r->update("customer", c, Write().set("level", "A"s));
    });
    FS_ASSERT_OK(st);
    EXPECT_EQ(valueOf(*r, "visit", v, "status"), "planned");
    EXPECT_EQ(valueOf(*r, "customer", c, "level"), "A");
    EXPECT_EQ(r->pendingCount(), 4u);  // create, phone, visit, level

    // And they survive a reopen (they were committed).
    r.reset();
    r = openReplica("device.db", tA);
    EXPECT_EQ(valueOf(*r, "visit", v, "status"), "planned");
    EXPECT_EQ(r->pendingCount(), 4u);
}

TEST_F(Batch, AnErrorReturnedByTheLambdaRollsEverythingBack)
{
    const std::string before = r->dump().dump();
    const json pendingBefore = pendingJson(*r);
    tA += 10;
    Status st = r->batch([&]() -> Status {
        FS_EXPECT_OK(r->update("customer", c, Write().set("phone", "2"s)));
        FS_EXPECT_OK(r->create("customer", Write().set("name", "Beta"s)));
        return failedPrecondition("user cancelled");
    });
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().message, "user cancelled");
    EXPECT_EQ(r->dump().dump(), before);
    EXPECT_EQ(pendingJson(*r), pendingBefore) << "the coalesced phone edit is back too";
    EXPECT_EQ(r->list("customer").size(), 1u);
}

TEST_F(Batch, AThrowingLambdaRollsBackAndTheReplicaStaysUsable)
{
    const std::string before = r->dump().dump();
    tA += 10;
    EXPECT_THROW((void)r->batch([&]() -> Status {
        FS_EXPECT_OK(r->update("customer", c, Write().set("phone", "2"s)));
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(r->dump().dump(), before);
    tA += 10;
    FS_EXPECT_OK(r->update("customer", c, Write().set("phone", "3"s)));
    FS_EXPECT_OK(r->batch([&]() -> Status { return r->update("customer", c, Write().set("phone", "4"s)); }));
    EXPECT_EQ(valueOf(*r, "customer", c, "phone"), "4");
}

TEST_F(Batch, CannotBeNested)
{
    EXPECT_THROW((void)r->batch([&]() -> Status { return r->batch([] { return Status(Ok{}); }); }), std::logic_error);
    FS_EXPECT_OK(r->batch([&]() -> Status { return r->update("customer", c, Write().set("phone", "5"s)); }));
}

// "The batch is rolled back if ... any write inside it failed, even if
// `writes` ignored that failure" (Replica.h) — for every way a write can fail.
TEST_F(Batch, AnIgnoredFailedWriteRollsTheBatchBack_Validation)
{
    expectPoisoned("unknown field", [&] { (void)r->update("customer", c, Write().set("colour", "red"s)); });
    expectPoisoned("enum out of options", [&] { (void)r->update("customer", c, Write().set("level", "Z"s)); });
    expectPoisoned("unknown row", [&] {
        (void)r->update("customer", "0190aaaa-0000-7000-8000-000000000000", Write().set("phone", "1"s));
    });
    expectPoisoned("missing required field", [&] { (void)r->create("customer", Write().set("phone", "1"s)); });
}

TEST_F(Batch, AnIgnoredFailedWriteRollsTheBatchBack_UnknownEntity)
{
    expectPoisoned("unknown entity on create", [&] { (void)r->create("dragon", Write().set("name", "x"s)); });
    expectPoisoned("unknown entity on update", [&] { (void)r->update("dragon", c, Write().set("name", "x"s)); });
}

TEST_F(Batch, AnIgnoredFailedWriteRollsTheBatchBack_EmptyWrite)
{
    expectPoisoned("nothing to write", [&] { (void)r->update("customer", c, Write()); });
}

TEST_F(Batch, AnIgnoredFailedWriteRollsTheBatchBack_Archive)
{
    expectPoisoned("archive of an entity without a tombstone", [&] {
        (void)r->archive("conflict", "0190aaaa-0000-7000-8000-000000000000");
    });
}

// ---------------------------------------------------------------- settling

using Settle = TwoDevicesFixture;

// A sees B's edit before the hub does (an offline bundle hand-over), while its
// own later edit of the same field is unsynced: A keeps its value and flags
// B's. A then syncs; the hub, which has not seen B's edit, rules "no conflict"
// on A's, and once A has pulled past that push the flag goes. When B's edit
// reaches the hub later, the hub logs it and everyone gets the real entry.
TEST_F(Settle, AFlagTheHubDidNotConfirmIsDroppedOncePulledPastThePush)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    tB += 1000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "from B"s)));
    tA += 2000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "from A"s)));
    const std::string bClock = clockOf(*b, "customer", c, "notes");

    ApplyStats imported = a->importBundle(b->exportBundle());
    EXPECT_EQ(imported.provisionalConflicts, 1u);
    auto flags = provisionalFlags(*a);
    ASSERT_THAT(flags, SizeIs(1));
    EXPECT_EQ(flags[0].loserClock, bClock);
    EXPECT_EQ(a->pendingCount(), 1u) << "import adds nothing to the outbox";

    PushTotals pa = push(*a, *hub);
    EXPECT_EQ(pa.conflicts, 0u) << "the hub has not seen B's edit";
    EXPECT_THAT(provisionalFlags(*a), SizeIs(1)) << "not settled before the pull";

    // The settle mark survives a restart between push and pull.
    a.reset();
    a = openReplica("a.db", tA);
    pull(*a, *hub);
    EXPECT_THAT(provisionalFlags(*a), IsEmpty());
    EXPECT_THAT(a->conflicts(true), IsEmpty());

    // B's edit arrives: now the hub logs it.
    SyncTotals sb = sync(*b, *hub);
    EXPECT_EQ(sb.pushed.conflicts, 1u);
    pull(*a, *hub);
    for (Replica* r : {a.get(), b.get()}) {
        auto entries = r->conflicts();
        ASSERT_THAT(entries, SizeIs(1));
        EXPECT_FALSE(entries[0].provisional);
        EXPECT_EQ(entries[0].loserClock, bClock);
        EXPECT_EQ(entries[0].loserValue, "from B");
        EXPECT_EQ(valueOf(*r, "customer", c, "notes"), "from A");
    }
    expectConverged();
}

// A flag about an edit that is still unsynced is not dropped by settling an
// earlier push.
TEST_F(Settle, FlagsOfUnsyncedEditsSurviveSettling)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    tB += 1000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "from B"s)));
    sync(*b, *hub);
    tA += 2000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "1"s)));
    push(*a, *hub);  // acknowledged with a settle mark
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "from A"s)));  // unsynced
    pull(*a, *hub);  // pulls B's notes (older): flag, and passes the settle mark
    auto flags = provisionalFlags(*a);
    ASSERT_THAT(flags, SizeIs(1));
    EXPECT_EQ(flags[0].winnerValue, "from A");
    settle();
    EXPECT_THAT(provisionalFlags(*a), IsEmpty());
    ASSERT_THAT(hubEntries(*a), SizeIs(1));
    EXPECT_EQ(hubEntries(*a)[0].loserValue, "from B");
    expectConverged();
}

TEST_F(Settle, ResolveConflictIsAllOrNothing)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s).set("notes", "base"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("notes", "A"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("notes", "B"s)));
    settle();
    auto entries = a->conflicts();
    ASSERT_THAT(entries, SizeIs(1));
    const std::string before = a->dump().dump();
    // A value of the wrong type: the field write fails and the entry stays open.
    Status st = a->resolveConflict(entries[0].id, crdt::Value(int64_t{5}));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(a->dump().dump(), before);
    EXPECT_THAT(a->conflicts(), SizeIs(1));
    EXPECT_EQ(a->pendingCount(), 0u);
}

// Resolving is a normal local write, so resolving several entries at once
// ("resolve all") belongs in one batch.
TEST_F(Settle, SeveralConflictsCanBeResolvedInOneBatch)
{
    const std::string c = shared("customer", Write().set("name", "Acme"s));
    tA += 1000;
    FS_ASSERT_OK(a->update("customer", c, Write().set("phone", "A"s).set("notes", "A"s)));
    tB += 2000;
    FS_ASSERT_OK(b->update("customer", c, Write().set("phone", "B"s).set("notes", "B"s)));
    settle();
    auto entries = a->conflicts();
    ASSERT_THAT(entries, SizeIs(2));
    tA += 5000;
    std::optional<Status> st;
    EXPECT_NO_THROW(st.emplace(a->batch([&]() -> Status {
        for (const auto& e : entries)
            if (Status s = a->resolveConflict(e.id, std::nullopt); !s.ok()) return s;
        return Ok{};
    })));
    if (st) {
        FS_EXPECT_OK(*st);
    }
    EXPECT_THAT(a->conflicts(), ::testing::IsEmpty());
}

} // namespace
} // namespace fieldsync::replica::test
