// Local capture: create / update / archive through the Write API, one row at a
// time, one device, no hub.
#include "ReplicaTestSupport.h"

#include "replica/RowState.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <regex>

namespace fieldsync::replica::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LocalWrite : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        r = openReplica("device.db", tA);
    }
    void TearDown() override
    {
        r.reset();
        ReplicaFixture::TearDown();
    }

    std::string newCustomer(const std::string& name = "Acme")
    {
        return r->create("customer", Write().set("name", name)).value();
    }
    std::string newVisit(const std::string& customer)
    {
        return r->create("visit", Write().set("customer", customer).set("status", "planned"s)).value();
    }
    // Forgets the outbox as if the hub had acknowledged everything.
    void acknowledgeAll()
    {
        auto batch = r->pending();
        if (!batch.records.empty()) r->acknowledge(batch.records.back().clock.hlc);
        ASSERT_EQ(r->pendingCount(), 0u);
    }

    std::unique_ptr<Replica> r;
};

TEST_F(LocalWrite, CreateReturnsAUuidV7CarryingTheWriteTime)
{
    tA = kBaseMs + 12345;
    std::string id = newCustomer();
    static const std::regex uuidV7("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    EXPECT_TRUE(std::regex_match(id, uuidV7)) << id;
    EXPECT_TRUE(protocol::isValidRowId(id));
    // The first 48 bits are the milliseconds of the (fake) clock.
    const std::string millisHex = id.substr(0, 8) + id.substr(9, 4);
    EXPECT_EQ(std::stoll(millisHex, nullptr, 16), tA);

    tA += 1;
    std::string later = newCustomer("Beta");
    EXPECT_NE(later, id);
    EXPECT_LT(id, later) << "ids are time-ordered";
}

TEST_F(LocalWrite, GetReturnsTheWrittenValues)
{
    std::string id = r->create("customer", Write()
                                               .set("name", "Acme"s)
                                               .set("phone", "021-5555"s)
                                               .set("lat", 31.25)
                                               .set("annual_sales", int64_t{1000}) // a number field given an integer
                                               .set("level", "A"s)
                                               .set("archived", false))
                         .value();
    auto got = r->get("customer", id);
    ASSERT_TRUE(got.ok()) << got.error().message;
    const json& row = *got;
    EXPECT_EQ(row["id"], id);
    EXPECT_EQ(row["name"], "Acme");
    EXPECT_EQ(row["phone"], "021-5555");
    EXPECT_EQ(row["lat"], 31.25);
    EXPECT_TRUE(row["annual_sales"].is_number_float()) << row["annual_sales"];
    EXPECT_EQ(row["annual_sales"], 1000.0);
    EXPECT_EQ(row["level"], "A");
    EXPECT_EQ(row["archived"], false);
    EXPECT_TRUE(row["notes"].is_null());
    EXPECT_EQ(row["tags"], json::array());

    auto missing = r->get("customer", "0190aaaa-0000-7000-8000-000000000000");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
    auto listed = r->list("customer");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0], row);
}

TEST_F(LocalWrite, UpdateChangesOnlyTheNamedFieldsWithANewerClock)
{
    std::string id = r->create("customer", Write().set("name", "Acme"s).set("phone", "1"s)).value();
    const std::string createClock = clockOf(*r, "customer", id, "name");
    tA += 10;
    FS_ASSERT_OK(r->update("customer", id, Write().set("phone", "2"s)));
    EXPECT_EQ(valueOf(*r, "customer", id, "phone"), "2");
    EXPECT_EQ(valueOf(*r, "customer", id, "name"), "Acme");
    EXPECT_EQ(clockOf(*r, "customer", id, "name"), createClock);
    EXPECT_GT(clockOf(*r, "customer", id, "phone"), createClock);
    EXPECT_EQ(parseClock(clockOf(*r, "customer", id, "phone")).device, r->deviceId());
}

TEST_F(LocalWrite, OneWriteOfSeveralFieldsIsOneRecordWithOneClock)
{
    std::string id = newCustomer();
    acknowledgeAll();
    tA += 10;
    FS_ASSERT_OK(r->update("customer", id,
                           Write().set("phone", "1"s).set("address", "Main St"s).set("level", "B"s).set("lat", 30.5)));
    EXPECT_EQ(r->pendingCount(), 1u);
    auto batch = r->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    const auto& rec = batch.records[0];
    EXPECT_EQ(rec.clock.device, r->deviceId());
    EXPECT_EQ(rec.id, id);
    EXPECT_EQ(rec.entity, entityCode("customer"));
    std::vector<int> fields;
    for (const auto& w : rec.writes) fields.push_back(w.field);
    EXPECT_THAT(fields, ElementsAre(fieldIndex("customer", "phone"), fieldIndex("customer", "address"),
                                    fieldIndex("customer", "lat"), fieldIndex("customer", "level")));
    const json dump = r->dump();
    for (const char* f : {"phone", "address", "level", "lat"}) EXPECT_EQ(clockOf(dump, "customer", id, f), rec.clock.str()) << f;

    // On disk: one clock group for the create (name) and one for this write.
    storage::Statement st(r->database(), "SELECT _clocks FROM customer WHERE id = ?");
    st.bind(1, id);
    ASSERT_TRUE(st.step());
    auto groups = decodeClockGroups(st.getBlobView(0));
    ASSERT_EQ(groups.size(), 2u);
    uint64_t expectedMask = 0;
    for (const char* f : {"phone", "address", "level", "lat"}) expectedMask |= uint64_t{1} << fieldIndex("customer", f);
    EXPECT_EQ(groups[0].mask | groups[1].mask, expectedMask | uint64_t{1} << fieldIndex("customer", "name"));
    bool found = false;
    for (const auto& g : groups)
        if (g.hlc == rec.clock.hlc) {
            found = true;
            EXPECT_EQ(g.mask, expectedMask);
            EXPECT_EQ(g.arrival, 0u) << "devices record no arrival";
        }
    EXPECT_TRUE(found);
}

TEST_F(LocalWrite, WritingUnchangedValuesAddsNoRecord)
{
    std::string id = r->create("customer", Write().set("name", "Acme"s).set("phone", "1"s).set("lat", int64_t{31})).value();
    acknowledgeAll();
    const std::string before = r->dump().dump();
    tA += 10;
    FS_ASSERT_OK(r->update("customer", id, Write().set("phone", "1"s)));
    FS_ASSERT_OK(r->update("customer", id, Write().set("lat", 31.0)));
    FS_ASSERT_OK(r->update("customer", id, Write().set("lat", int64_t{31})));
    FS_ASSERT_OK(r->update("customer", id, Write().set("notes", crdt::Value{})));  // never written, still null
    EXPECT_EQ(r->pendingCount(), 0u);
    EXPECT_EQ(r->dump().dump(), before);

    // A write of one unchanged and one changed field carries only the change.
    FS_ASSERT_OK(r->update("customer", id, Write().set("name", "Acme"s).set("phone", "2"s)));
    json expected = json::array({{{"entity", "customer"},
                                  {"id", id},
                                  {"clock", clockOf(*r, "customer", id, "phone")},
                                  {"seen", 0},
                                  {"set", {{"phone", "2"}}}}});
    EXPECT_EQ(pendingJson(*r), expected);
}

TEST_F(LocalWrite, TagsAreAddedAndRemoved)
{
    std::string id = r->create("customer", Write().set("name", "Acme"s).add("tags", "vip").add("tags", "key")).value();
    const std::string createClock = clockOf(*r, "customer", id, "name");
    EXPECT_EQ(valueOf(*r, "customer", id, "tags"), json({"key", "vip"}));
    acknowledgeAll();

    tA += 10;
    FS_ASSERT_OK(r->update("customer", id, Write().remove("tags", "vip")));
    EXPECT_EQ(valueOf(*r, "customer", id, "tags"), json({"key"}));
    auto batch = r->pending();
    ASSERT_EQ(batch.records.size(), 1u);
    ASSERT_EQ(batch.records[0].setOps.size(), 1u);
    const auto& op = batch.records[0].setOps[0];
    EXPECT_TRUE(op.remove);
    EXPECT_EQ(op.element, "vip");
    EXPECT_EQ(op.field, fieldIndex("customer", "tags"));
    ASSERT_EQ(op.dots.size(), 1u);
    EXPECT_EQ(op.dots[0].str(), createClock) << "a remove names the add it saw";
    EXPECT_TRUE(batch.records[0].writes.empty());

    // Removing an element that is not there changes nothing.
    FS_ASSERT_OK(r->update("customer", id, Write().remove("tags", "absent")));
    EXPECT_EQ(r->pendingCount(), 1u);

    // The dump keeps the removed dot as a tombstone.
    const json dump = r->dump();
    EXPECT_EQ(dump["customer"][id]["tags"]["vip"][createClock], "removed");
    EXPECT_EQ(dump["customer"][id]["tags"]["key"][createClock], "added");
}

TEST_F(LocalWrite, StageMovesForwardButNotBack)
{
    std::string c = newCustomer();
    std::string v = newVisit(c);
    FS_ASSERT_OK(r->update("visit", v, Write().set("status", "checked_in"s)));
    EXPECT_EQ(valueOf(*r, "visit", v, "status"), "checked_in");
    FS_ASSERT_OK(r->update("visit", v, Write().set("status", "completed"s)));
    EXPECT_EQ(valueOf(*r, "visit", v, "status"), "completed");

    const std::string before = r->dump().dump();
    const size_t pendingBefore = r->pendingCount();
    Status back = r->update("visit", v, Write().set("status", "planned"s));
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::FailedPrecondition);
    EXPECT_THAT(back.error().message, HasSubstr("visit.status"));
    EXPECT_THAT(back.error().message, HasSubstr("reopen"));
    EXPECT_EQ(r->dump().dump(), before);
    EXPECT_EQ(r->pendingCount(), pendingBefore);

    // Setting the stage it is already at is no change.
    FS_ASSERT_OK(r->update("visit", v, Write().set("status", "completed"s)));
    EXPECT_EQ(r->pendingCount(), pendingBefore);
    EXPECT_EQ(r->dump().dump(), before);
}

TEST_F(LocalWrite, ReopenStartsANewGeneration)
{
    std::string c = newCustomer();
    std::string v = newVisit(c);
    FS_ASSERT_OK(r->update("visit", v, Write().set("status", "completed"s)));
    EXPECT_EQ(r->dump()["visit"][v]["status"]["gen"], 0);

    FS_ASSERT_OK(r->update("visit", v, Write().reopen("status")));
    json row = r->get("visit", v).value();
    EXPECT_EQ(row["status"], "planned") << "reopen defaults to the first stage";
    EXPECT_EQ(row["status_gen"], 1);
    EXPECT_EQ(r->dump()["visit"][v]["status"]["gen"], 1);

    // Within the new generation it moves forward again ...
    FS_ASSERT_OK(r->update("visit", v, Write().set("status", "checked_in"s)));
    EXPECT_EQ(r->dump()["visit"][v]["status"]["gen"], 1);
    // ... and a reopen at a named stage bumps it again.
    FS_ASSERT_OK(r->update("visit", v, Write().reopen("status", "checked_in")));
    row = r->get("visit", v).value();
    EXPECT_EQ(row["status"], "checked_in");
    EXPECT_EQ(row["status_gen"], 2);
    Status back = r->update("visit", v, Write().set("status", "planned"s));
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::FailedPrecondition);

    Status notStage = r->update("customer", c, Write().reopen("level"));
    ASSERT_FALSE(notStage.ok());
    EXPECT_EQ(notStage.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(notStage.error().message, HasSubstr("customer.level"));
}

TEST_F(LocalWrite, WriteOnceFieldKeepsItsFirstValue)
{
    std::string c = newCustomer();
    std::string v = newVisit(c);
    FS_ASSERT_OK(r->update("visit", v, Write().set("checkin_at", kBaseMs + 1).set("checkin_lat", 31.2)));
    const size_t pendingBefore = r->pendingCount();
    const std::string before = r->dump().dump();

    Status again = r->update("visit", v, Write().set("checkin_at", kBaseMs + 2));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::FailedPrecondition);
    EXPECT_THAT(again.error().message, HasSubstr("visit.checkin_at"));
    EXPECT_EQ(r->dump().dump(), before);
    EXPECT_EQ(r->pendingCount(), pendingBefore);

    // The same value again is fine and changes nothing.
    FS_ASSERT_OK(r->update("visit", v, Write().set("checkin_at", kBaseMs + 1)));
    EXPECT_EQ(r->dump().dump(), before);
    EXPECT_EQ(r->pendingCount(), pendingBefore);
    EXPECT_EQ(valueOf(*r, "visit", v, "checkin_at"), kBaseMs + 1);

    // A once field never written yet can still be set.
    FS_ASSERT_OK(r->update("visit", v, Write().set("checkin_lng", 121.5)));
    EXPECT_EQ(valueOf(*r, "visit", v, "checkin_lng"), 121.5);
}

TEST_F(LocalWrite, ArchiveSetsTheEntitysTombstoneField)
{
    std::string c = newCustomer();
    std::string v = newVisit(c);
    FS_ASSERT_OK(r->archive("customer", c));
    EXPECT_EQ(valueOf(*r, "customer", c, "archived"), true);
    FS_ASSERT_OK(r->archive("visit", v));
    json visit = r->get("visit", v).value();
    EXPECT_EQ(visit["voided"], true);
    EXPECT_FALSE(visit.contains("archived"));

    Status unknown = r->archive("customer", "0190aaaa-0000-7000-8000-000000000000");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
}

// A stage cannot be null (the wire refuses it: "stage cannot be null"); a
// local write of null is bad input and must come back as an error, changing
// nothing — not escape as an exception.
TEST_F(LocalWrite, StageSetToNullIsRefusedAsBadInput)
{
    std::string c = newCustomer();
    std::string v = newVisit(c);
    const std::string before = r->dump().dump();
    const size_t pendingBefore = r->pendingCount();
    std::optional<Status> st;
    EXPECT_NO_THROW(st.emplace(r->update("visit", v, Write().set("status", crdt::Value{}))));
    if (st) {
        ASSERT_FALSE(st->ok());
        EXPECT_EQ(st->error().code, ErrorCode::InvalidArgument);
        EXPECT_THAT(st->error().message, HasSubstr("visit.status"));
    }
    EXPECT_EQ(r->dump().dump(), before);
    EXPECT_EQ(r->pendingCount(), pendingBefore);
}

} // namespace
} // namespace fieldsync::replica::test
