// Offline hand-over: exportBundle / importBundle and the bundle's JSON form.
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace fieldsync::replica::test {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class Bundle : public TwoDevicesFixture {
protected:
    void SetUp() override
    {
        TwoDevicesFixture::SetUp();
        buildVariedState();
    }
    void TearDown() override
    {
        c.reset();
        TwoDevicesFixture::TearDown();
    }

    // Every kind of state a replica can hold: several entities, numbers,
    // booleans, a field cleared to null, tags with a removed dot, a reopened
    // stage, check-in fields, conflict entries from the hub (one resolved),
    // and an unsynced local edit.
    void buildVariedState()
    {
        customer = a->create("customer", Write()
                                             .set("name", "Acme"s)
                                             .set("phone", "021-1"s)
                                             .set("lat", 31.25)
                                             .set("annual_sales", int64_t{2'000'000})
                                             .set("level", "A"s)
                                             .add("tags", "vip")
                                             .add("tags", "key"))
                       .value();
        tA += 10;
        FS_ASSERT_OK(a->update("customer", customer, Write().remove("tags", "key").set("phone", crdt::Value{})));
        tA += 10;
        visit = a->create("visit", Write()
                                       .set("customer", customer)
                                       .set("status", "checked_in"s)
                                       .set("checkin_at", kBaseMs + 5)
                                       .set("checkin_lat", 31.2)
                                       .set("satisfaction", int64_t{4})
                                       .set("voided", false))
                    .value();
        tA += 10;
        FS_ASSERT_OK(a->update("visit", visit, Write().reopen("status")));
        tA += 10;
        ASSERT_TRUE(a->create("contact", Write().set("customer", customer).set("name", "Li"s).set("is_primary", true)).ok());
        settle();

        tA += 1000;
        FS_ASSERT_OK(a->update("customer", customer, Write().set("notes", "A"s).set("region", "north"s)));
        tB += 2000;
        FS_ASSERT_OK(b->update("customer", customer, Write().set("notes", "B"s).set("region", "south"s)));
        settle();
        auto entries = b->conflicts();
        ASSERT_THAT(entries, SizeIs(2));
        tB += 5000;
        FS_ASSERT_OK(b->resolveConflict(entries[0].id, std::nullopt));
        settle();

        // Left unsynced on A.
        tA += 10'000;
        FS_ASSERT_OK(a->update("visit", visit, Write().set("notes", "unsynced"s)));
        ASSERT_EQ(a->pendingCount(), 1u);
    }

    std::unique_ptr<Replica> c;
    std::string customer, visit;
};

TEST_F(Bundle, ImportIntoAFreshReplicaReproducesTheStateByteForByte)
{
    protocol::Bundle bundle = a->exportBundle();
    EXPECT_EQ(bundle.from, a->deviceId());
    ASSERT_FALSE(bundle.records.empty());

    c = openReplica("c.db", tC);
    ApplyStats first = c->importBundle(bundle);
    EXPECT_EQ(first.records, bundle.records.size());
    EXPECT_GT(first.rowsChanged, 0u);
    const std::string dumpA = a->dump().dump();
    EXPECT_EQ(c->dump().dump(), dumpA);
    EXPECT_EQ(c->pendingCount(), 0u) << "import never adds to the outbox";
    EXPECT_EQ(c->cursor(), 0u) << "import is not a pull";
    EXPECT_EQ(c->list("conflict").size(), 2u);
    EXPECT_EQ(c->get("customer", customer).value(), a->get("customer", customer).value());
    EXPECT_EQ(c->get("visit", visit).value(), a->get("visit", visit).value());

    ApplyStats second = c->importBundle(bundle);
    EXPECT_EQ(second.rowsChanged, 0u);
    EXPECT_EQ(second.provisionalConflicts, 0u);
    EXPECT_EQ(c->dump().dump(), dumpA);
    EXPECT_EQ(c->pendingCount(), 0u);

    // C's own later writes sort after everything the bundle carried, though
    // C's physical clock is behind all of it.
    crdt::Hlc newest = 0;
    for (const auto& r : bundle.records) newest = std::max(newest, r.clock.hlc);
    tC = kBaseMs;
    FS_ASSERT_OK(c->update("customer", customer, Write().set("phone", "C"s)));
    EXPECT_GT(parseClock(clockOf(*c, "customer", customer, "phone")).hlc, newest);
}

TEST_F(Bundle, ExportingAnImportedStateGivesTheSameRecords)
{
    protocol::Bundle fromA = a->exportBundle();
    c = openReplica("c.db", tC);
    (void)c->importBundle(fromA);
    protocol::Bundle fromC = c->exportBundle();
    EXPECT_EQ(fromC.from, c->deviceId());
    EXPECT_EQ(fromC.records, fromA.records);
}

TEST_F(Bundle, ImportIntoAReplicaHoldingMostOfTheStateChangesOnlyTheDifference)
{
    // B holds everything A holds except A's unsynced edit.
    const std::string before = b->dump().dump();
    ApplyStats st = b->importBundle(a->exportBundle());
    EXPECT_EQ(st.rowsChanged, 1u) << "only the visit with A's unsynced notes";
    EXPECT_EQ(b->dump().dump(), a->dump().dump());
    EXPECT_NE(b->dump().dump(), before);
    EXPECT_EQ(b->pendingCount(), 0u);
    // When A's edit then arrives through the hub, B already holds it.
    sync(*a, *hub);
    ApplyStats pulled = pull(*b, *hub);
    EXPECT_EQ(pulled.rowsChanged, 0u);
    expectConverged();
}

TEST_F(Bundle, JsonRoundTripKeepsEveryRecord)
{
    protocol::Bundle bundle = a->exportBundle();
    const json j = protocol::toJson(bundle, theSchema());
    EXPECT_EQ(j["format"], "fieldsync-bundle");
    EXPECT_EQ(j["version"], 1);
    EXPECT_EQ(j["schema"], schema::kSchemaVersion);
    EXPECT_EQ(j["from"], a->deviceId().hex());
    const std::string text = j.dump();

    auto back = protocol::bundleFromJson(json::parse(text), theSchema());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->from, bundle.from);
    ASSERT_EQ(back->records.size(), bundle.records.size());
    for (size_t i = 0; i < bundle.records.size(); ++i)
        EXPECT_EQ(back->records[i], bundle.records[i]) << "record " << i << ": " << j["records"][i].dump();
    EXPECT_EQ(protocol::toJson(*back, theSchema()).dump(), text);

    c = openReplica("c.db", tC);
    (void)c->importBundle(*back);
    EXPECT_EQ(c->dump().dump(), a->dump().dump());
}

TEST_F(Bundle, MalformedBundlesAreRefused)
{
    json j = protocol::toJson(a->exportBundle(), theSchema());
    {
        json bad = j;
        bad["format"] = "zip";
        auto r = protocol::bundleFromJson(bad, theSchema());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    }
    {
        json bad = j;
        bad["schema"] = schema::kSchemaVersion + 1;
        auto r = protocol::bundleFromJson(bad, theSchema());
        ASSERT_FALSE(r.ok());
        EXPECT_THAT(r.error().message, HasSubstr("schema"));
    }
    {
        json bad = j;
        bad["records"][0]["set"] = {{"colour", "red"}};
        auto r = protocol::bundleFromJson(bad, theSchema());
        ASSERT_FALSE(r.ok());
        EXPECT_THAT(r.error().message, HasSubstr("record 0"));
    }
}

} // namespace
} // namespace fieldsync::replica::test
