// Hub::openReader: the sync server's read-only connections for pulls. A pull
// through a reader must return exactly what the writer's own pull returns —
// the same positions, the same backfill and evictions for a scoped viewer, the
// same JSON — also for devices and rows the writer added after the reader
// opened.
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fieldsync::replica::test {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> asJson(const PullResult& page)
{
    std::vector<std::string> out;
    for (const auto& r : page.records) out.push_back(protocol::toJson(r, theSchema()).dump());
    return out;
}

class HubReaderTest : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        hub = openHub("hub.db", tHub);
        reader = Hub::openReader(hub->database().path());
        a = openReplica("a.db", tA);
        b = openReplica("b.db", tB);
    }
    void TearDown() override
    {
        a.reset();
        b.reset();
        reader.reset();
        hub.reset();
        ReplicaFixture::TearDown();
    }

    // Pages through the whole log both ways and compares every page.
    void expectSamePages(const Viewer* viewer, size_t limit)
    {
        uint64_t cursor = 0;
        for (int page = 0; page < 1000; ++page) {
            PullResult mine = hub->pull(cursor, limit, viewer);
            PullResult theirs = reader->pull(cursor, limit, viewer, PullEncoding::Json);
            EXPECT_TRUE(theirs.records.empty()) << "Json encoding fills json, not records";
            EXPECT_EQ(theirs.json, asJson(mine)) << "page after " << cursor;
            EXPECT_EQ(theirs.cursor, mine.cursor);
            EXPECT_EQ(theirs.more, mine.more);
            EXPECT_EQ(theirs.evict, mine.evict);
            PullResult decoded = reader->pull(cursor, limit, viewer);
            EXPECT_EQ(asJson(decoded), asJson(mine)) << "Records encoding from a reader";
            cursor = mine.cursor;
            if (!mine.more) return;
        }
        ADD_FAILURE() << "the log never ended";
    }

    std::unique_ptr<Hub> hub, reader;
    std::unique_ptr<Replica> a, b;
};

TEST_F(HubReaderTest, PullsTheSamePagesAsTheWriterScopedAndUnscoped)
{
    // Opened before any device pushed: every peer below is new to it.
    std::vector<std::string> mine, theirs;
    for (int i = 0; i < 6; ++i) {
        tA += 1;
        mine.push_back(a->create("customer", Write().set("name", "A" + std::to_string(i)).set("owner", "ann")).value());
        tB += 1;
        theirs.push_back(b->create("customer", Write().set("name", "B" + std::to_string(i)).set("owner", "bob")).value());
        FS_ASSERT_OK(b->create("visit", Write().set("customer", theirs.back()).set("notes", "v" + std::to_string(i))));
    }
    push(*a, *hub);
    push(*b, *hub);
    // A reassignment to ann: her pull backfills the customer and its visit
    // (built from rows, not the log) at the position of the change.
    tB += 1;
    pull(*b, *hub);
    FS_ASSERT_OK(b->update("customer", theirs[2], Write().set("owner", "ann")));
    // And one of ann's customers goes to bob: evicted from her device.
    tA += 1;
    pull(*a, *hub);
    FS_ASSERT_OK(a->update("customer", mine[4], Write().set("owner", "bob")));
    push(*b, *hub);
    push(*a, *hub);
    ASSERT_EQ(hub->head(), 20u);  // 6 + 6 customers, 6 visits, 2 reassignments

    Viewer ann{[](const std::optional<std::string>& owner, const std::optional<std::string>&) { return owner && *owner == "ann"; }};
    Viewer pool{[](const std::optional<std::string>& owner, const std::optional<std::string>&) { return !owner; }};
    for (size_t limit : {1u, 3u, 7u, 500u}) {
        SCOPED_TRACE("limit " + std::to_string(limit));
        expectSamePages(nullptr, limit);
        expectSamePages(&ann, limit);
        expectSamePages(&pool, limit);
    }
    // The backfill really happened (the comparison above is not vacuous):
    // bob's reassignment was pushed first, at position 19, and ann's pull
    // carries the moved customer's visit, rebuilt from rows, at that position.
    PullResult annAll = hub->pull(0, 5000, &ann);
    size_t backfilledVisits = 0;
    for (const auto& r : annAll.records)
        if (theSchema().entity(r.entity).name == "visit" && r.seq == 19) ++backfilledVisits;
    EXPECT_EQ(backfilledVisits, 1u);
    EXPECT_EQ(annAll.evict, (std::vector<std::string>{mine[4]}));
}

TEST_F(HubReaderTest, SeesCommitsMadeAfterItOpened)
{
    EXPECT_EQ(reader->pull(0, 10).records.size(), 0u);
    tA += 1;
    FS_ASSERT_OK(a->create("customer", Write().set("name", "late")));
    push(*a, *hub);
    PullResult page = reader->pull(0, 10);
    ASSERT_EQ(page.records.size(), 1u);
    EXPECT_EQ(page.cursor, 1u);
    EXPECT_FALSE(page.more);
}

TEST_F(HubReaderTest, RefusesToWriteAndToOpenAnUnmigratedFile)
{
    tA += 1;
    FS_ASSERT_OK(a->create("customer", Write().set("name", "x")));
    PendingBatch batch = a->pending();
    EXPECT_THROW((void)reader->push(a->deviceId(), batch.after, batch.records), std::logic_error);
    EXPECT_EQ(hub->head(), 0u);

    std::string blank = file("blank.db");
    { storage::Database create(blank); }
    try {
        Hub::openReader(blank);
        ADD_FAILURE() << "a file the writer never migrated was opened";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("Hub::open first"));
    }
}

} // namespace
} // namespace fieldsync::replica::test
