// The hub's batched reads and writes, on both stores: a push reads its rows
// ahead in a few queries and writes its log in multi-row INSERTs; a scoped
// pull decides a chunk from the narrow scan, then reads the records it
// returns in one query; the poke list comes from one read of the accounts.
#include "ServerTestSupport.h"

namespace fieldsync::server::test {
namespace {

using replica::Viewer;

class HubBatchTest : public ServerFixture {
protected:
    crdt::DeviceId device(uint8_t n)
    {
        crdt::DeviceId d;
        d.bytes.fill(0x40);
        d.bytes[15] = n;
        return d;
    }
    protocol::ChangeRecord record(const crdt::DeviceId& d, crdt::Hlc hlc, const std::string& entity,
                                  const std::string& name, const std::vector<std::pair<std::string, crdt::Value>>& fields)
    {
        const auto& e = *theSchema().entity(entity);
        protocol::ChangeRecord r;
        r.entity = e.code;
        r.id = HubBatchTest::id(name);
        r.clock = {hlc, d};
        for (const auto& [field, value] : fields)
            r.writes.push_back({e.field(field)->index,
                                field == "customer" ? crdt::Value(HubBatchTest::id(std::get<std::string>(value))) : value, 0});
        return r;
    }
    // A valid row id (protocol/ChangeRecord.h) per name: "c-lina", "v12", ...
    static std::string id(const std::string& name)
    {
        static std::map<std::string, std::string> ids;
        auto it = ids.find(name);
        if (it != ids.end()) return it->second;
        char text[40];
        std::snprintf(text, sizeof text, "0193b0a0-5c3e-7d2a-9f10-%012zx", ids.size() + 1);
        return ids[name] = text;
    }
    static Viewer ownedBy(const std::string& user)
    {
        return Viewer{[user](const std::optional<std::string>& owner, const std::optional<std::string>&) {
            return owner && *owner == user;
        }};
    }
    // Every record a viewer pulls from the start, page by page (a page may
    // pass its limit by the whole state of a customer entering the scope).
    std::vector<protocol::ChangeRecord> pullAll(const Viewer& viewer, size_t limit)
    {
        std::vector<protocol::ChangeRecord> all;
        uint64_t cursor = 0;
        for (int pages = 0; pages < 10'000; ++pages) {
            auto page = hub->pull(cursor, limit, &viewer);
            EXPECT_GE(page.cursor, cursor);
            for (auto& r : page.records) all.push_back(std::move(r));
            cursor = page.cursor;
            if (!page.more) return all;
        }
        ADD_FAILURE() << "the pull never ended";
        return all;
    }
    static std::vector<uint64_t> seqs(const std::vector<protocol::ChangeRecord>& records)
    {
        std::vector<uint64_t> out;
        for (const auto& r : records) out.push_back(r.seq);
        return out;
    }
};

// 1,100 visits, most of them to a customer the viewer cannot see: the scan
// passes chunk boundaries (512 positions) with pages of every size, and
// every visible record comes back once, in order, with its own text.
TEST_F(HubBatchTest, AScopedPullReturnsExactlyTheVisibleRecordsInOrderAcrossChunks)
{
    const auto d = device(1);
    std::vector<protocol::ChangeRecord> batch;
    crdt::Hlc hlc = crdt::hlcFromMillis(now);
    batch.push_back(record(d, ++hlc, "customer", "c-lina", {{"name", "Lina's"s}, {"owner", "lina"s}}));
    batch.push_back(record(d, ++hlc, "customer", "c-zhou", {{"name", "Zhou's"s}, {"owner", "zhou"s}}));
    std::vector<uint64_t> expected = {1};
    std::vector<std::string> expectedIds = {id("c-lina")};
    for (int i = 0; i < 1100; ++i) {
        // Lina's visits at irregular positions, some on either side of 512 and 1024.
        const bool lina = i % 97 == 0 || i == 508 || i == 509 || i == 510 || i == 1021 || i == 1099;
        const std::string name = "v" + std::to_string(i);
        batch.push_back(record(d, ++hlc, "visit", name, {{"customer", lina ? "c-lina"s : "c-zhou"s}, {"notes", name}}));
        if (lina) {
            expected.push_back(static_cast<uint64_t>(i) + 3);
            expectedIds.push_back(id(name));
        }
    }
    auto pushed = hub->push(d, 0, batch);
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
    ASSERT_EQ(pushed->accepted, batch.size());
    ASSERT_EQ(hub->head(), batch.size());

    const Viewer lina = ownedBy("lina");
    for (size_t limit : {1, 2, 3, 7, 500, 5000}) {
        SCOPED_TRACE("limit " + std::to_string(limit));
        const auto got = pullAll(lina, limit);
        EXPECT_EQ(seqs(got), expected);
        std::vector<std::string> ids;
        for (const auto& r : got) ids.push_back(r.id);
        EXPECT_EQ(ids, expectedIds);
        for (const auto& r : got)
            if (r.seq > 2) {
                ASSERT_EQ(r.writes.size(), 2u);
                EXPECT_EQ(id(std::get<std::string>(r.writes[1].value)), r.id) << "each position carries its own record";
            }
    }
    // A page that ends inside the scan: the cursor is the last position
    // returned, and the rest follows from there.
    auto first = hub->pull(0, 3, &lina);
    ASSERT_EQ(seqs(first.records), (std::vector<uint64_t>{1, 3, 100}));
    EXPECT_EQ(first.cursor, 100u);
    EXPECT_TRUE(first.more);
    // A viewer who sees nothing scans everything and gets nothing.
    auto none = hub->pull(0, 10, nullptr);
    EXPECT_EQ(none.records.size(), 10u);
    const Viewer nobody{[](const std::optional<std::string>&, const std::optional<std::string>&) { return false; }};
    auto empty = hub->pull(0, 10, &nobody);
    EXPECT_TRUE(empty.records.empty());
    EXPECT_EQ(empty.cursor, batch.size());
    EXPECT_FALSE(empty.more);
}

// A customer moving into the viewer's scope mid-log comes whole at that
// position, between the records around it, whichever chunk it falls in.
TEST_F(HubBatchTest, ACustomerEnteringTheScopeComesWholeAtItsPositionInAChunk)
{
    const auto d = device(2);
    crdt::Hlc hlc = crdt::hlcFromMillis(now);
    std::vector<protocol::ChangeRecord> batch;
    batch.push_back(record(d, ++hlc, "customer", "c-lina", {{"name", "Lina's"s}, {"owner", "lina"s}}));
    batch.push_back(record(d, ++hlc, "customer", "c-move", {{"name", "Moving"s}, {"owner", "zhou"s}}));
    for (int i = 0; i < 600; ++i)
        batch.push_back(record(d, ++hlc, "visit", "w" + std::to_string(i), {{"customer", "c-move"s}}));
    ASSERT_TRUE(hub->push(d, 0, batch).ok());
    std::vector<protocol::ChangeRecord> second;
    second.push_back(record(d, ++hlc, "visit", "l1", {{"customer", "c-lina"s}}));
    second.push_back(record(d, ++hlc, "customer", "c-move", {{"owner", "lina"s}}));  // position 604
    second.push_back(record(d, ++hlc, "visit", "l2", {{"customer", "c-lina"s}}));
    auto pushed = hub->push(d, batch.back().clock.hlc, second);
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
    ASSERT_EQ(pushed->formerKeys.size(), 1u);
    ASSERT_EQ(pushed->formerKeys[0].owner, "zhou"s);

    // Lina sees c-move now: its earlier records are hers too (visibility is
    // the current owner's), and at 604 its state comes whole, then the rest.
    const auto zhouOnly = ownedBy("zhou");
    auto zhouPage = hub->pull(0, 5000, &zhouOnly);
    EXPECT_TRUE(zhouPage.records.empty());
    EXPECT_EQ(zhouPage.evict, std::vector<std::string>{id("c-move")});

    for (size_t limit : {1, 4, 700}) {
        SCOPED_TRACE("limit " + std::to_string(limit));
        const auto got = pullAll(ownedBy("lina"), limit);
        // 1, 2, the 600 visits and l1 (603), then at 604 c-move's state, the
        // move itself, then l2.
        ASSERT_GE(got.size(), 604u + 600u);
        EXPECT_EQ(got[0].seq, 1u);
        EXPECT_EQ(got[1].seq, 2u);
        EXPECT_EQ(got[602].id, id("l1"));
        size_t at604 = 0;
        for (const auto& r : got) at604 += r.seq == 604u;
        EXPECT_EQ(got.back().id, id("l2"));
        EXPECT_EQ(got.back().seq, 605u);
        // The whole customer (its record groups) and its 600 visits, plus the move itself.
        EXPECT_EQ(at604, hub->customerState(id("c-move")).size() + 1);
        EXPECT_TRUE(std::is_sorted(got.begin(), got.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; }));
    }
}

// One push of 250 records (three multi-row log INSERTs, the last one short)
// that writes some rows twice: the second write reads what the first one
// stored, not the row as read ahead before the push.
TEST_F(HubBatchTest, APushWritingRowsTwiceAndSpanningLogBatchesLandsInOrder)
{
    const auto d = device(3);
    crdt::Hlc hlc = crdt::hlcFromMillis(now);
    std::vector<protocol::ChangeRecord> batch;
    batch.push_back(record(d, ++hlc, "customer", "c1", {{"name", "First"s}, {"owner", "lina"s}}));
    for (int i = 0; i < 248; ++i) {
        // Every visit is written twice in a row: created, then its notes changed.
        const std::string name = "v" + std::to_string(i / 2);
        if (i % 2 == 0) batch.push_back(record(d, ++hlc, "visit", name, {{"customer", "c1"s}, {"notes", "draft"s}}));
        else batch.push_back(record(d, ++hlc, "visit", name, {{"notes", "final " + name}}));
    }
    // The customer again, at the end: renamed, and reassigned.
    batch.push_back(record(d, ++hlc, "customer", "c1", {{"name", "Renamed"s}, {"owner", "wang"s}}));
    ASSERT_EQ(batch.size(), 250u);
    auto pushed = hub->push(d, 0, batch);
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
    EXPECT_EQ(pushed->accepted, 250u);
    EXPECT_EQ(pushed->conflicts, 0u);
    EXPECT_EQ(pushed->acked, hlc);
    EXPECT_EQ(pushed->head, 250u);
    ASSERT_EQ(pushed->formerKeys.size(), 1u);
    EXPECT_EQ(pushed->formerKeys[0].owner, "lina"s);
    EXPECT_EQ(pushed->customers, std::vector<std::string>{id("c1")});

    auto page = hub->pull(0, 1000);
    ASSERT_EQ(page.records.size(), 250u);
    for (size_t i = 0; i < 250; ++i) {
        EXPECT_EQ(page.records[i].seq, i + 1);
        EXPECT_EQ(page.records[i].clock, batch[i].clock);
        EXPECT_EQ(page.records[i].id, batch[i].id);
    }
    const json dump = hub->dump();
    EXPECT_EQ(dump["customer"][id("c1")]["name"]["value"], "Renamed");
    EXPECT_EQ(dump["customer"][id("c1")]["owner"]["value"], "wang");
    ASSERT_EQ(dump["visit"].size(), 124u);
    for (int v = 0; v < 124; ++v) {
        const std::string name = "v" + std::to_string(v);
        EXPECT_EQ(dump["visit"][id(name)]["notes"]["value"], "final " + name);
        EXPECT_EQ(dump["visit"][id(name)]["customer"]["value"], id("c1")) << "the first write's field survives the second";
    }
    EXPECT_EQ(hub->ownerOf(id("c1")), "wang"s);
    const replica::CustomerKey wang{"wang"s, std::nullopt};
    EXPECT_EQ(hub->keysOf({id("c1"), "", id("nobody"), id("c1")}),
              (std::vector<replica::CustomerKey>{wang, {}, {}, wang}));

    // The same batch again is all duplicates and changes nothing.
    const HubState before = hubState();
    auto again = hub->push(d, 0, batch);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->duplicates, 250u);
    expectHubUnchanged(before, "a replayed push");
}

// Another device's reassignment, read ahead with the push's customers, still
// decides the owner at the time of each write (scopeOf's ownerAtWrite), also
// when the same push then reassigns the customer once more.
TEST_F(HubBatchTest, TheOwnerAtWriteComesFromTheHistoryReadAhead)
{
    const auto manager = device(4), rep = device(5);
    const crdt::Hlc base = crdt::hlcFromMillis(now);
    ASSERT_TRUE(hub->push(manager, 0, std::vector{record(manager, base + 1, "customer", "c", {{"owner", "lina"s}})}).ok());
    // The manager hands it to zhou at base + 50, then to wang at base + 80.
    ASSERT_TRUE(hub->push(manager, base + 1, std::vector{record(manager, base + 50, "customer", "c", {{"owner", "zhou"s}})}).ok());
    ASSERT_TRUE(hub->push(manager, base + 50, std::vector{record(manager, base + 80, "customer", "c", {{"owner", "wang"s}})}).ok());

    std::vector<std::optional<std::string>> seen;
    replica::PushContext context;
    context.allow = [&](const protocol::ChangeRecord&, const replica::RecordScope& s) -> std::optional<Error> {
        seen.push_back(s.ownerAtWrite);
        return std::nullopt;
    };
    // The rep wrote at base + 10 (lina's then), base + 60 (zhou's), base + 90
    // (wang's), the last one a reassignment back to lina.
    std::vector<protocol::ChangeRecord> batch = {
        record(rep, base + 10, "visit", "x1", {{"customer", "c"s}}),
        record(rep, base + 60, "visit", "x2", {{"customer", "c"s}}),
        record(rep, base + 90, "customer", "c", {{"owner", "lina"s}}),
        record(rep, base + 95, "visit", "x3", {{"customer", "c"s}}),
    };
    auto pushed = hub->push(rep, 0, batch, context);
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
    EXPECT_EQ(seen, (std::vector<std::optional<std::string>>{"lina"s, "zhou"s, "wang"s, "lina"s}));
    EXPECT_EQ(hub->ownerOf(id("c")), "lina"s);
}

// The poke of a push touching customers of two teams: both owners, the
// manager of the team that has one, and every admin, from one read of the
// accounts.
TEST_F(HubBatchTest, APushIsPokedToItsOwnersTheirManagersAndTheAdmins)
{
    Device& admin = signedIn("admin-pc", "admin");
    create(admin, "customer", Write().set("name", "North Co"s).set("owner", "lina"s));
    create(admin, "customer", Write().set("name", "South Co"s).set("owner", "zhou"s));
    ASSERT_EQ(syncOk(admin).accepted, 2u);
    ASSERT_FALSE(pokes.calls.empty());
    EXPECT_EQ(pokes.calls.back().users, (std::vector<std::string>{"admin", "lina", "zhang", "zhou"}));
    EXPECT_EQ(pokes.calls.back().head, hub->head());
}

} // namespace
} // namespace fieldsync::server::test
