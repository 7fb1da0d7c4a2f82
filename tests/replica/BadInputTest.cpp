// Invalid local input is refused with the right error code and a message that
// names what was wrong — and changes nothing: not the rows, not the set state,
// not the outbox (including coalescing that already happened inside the
// refused write's transaction).
#include "ReplicaTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace fieldsync::replica::test {
namespace {

using ::testing::HasSubstr;

struct Ids {
    std::string customer, visit;
};

struct BadCase {
    const char* name;
    std::function<Status(Replica&, const Ids&)> op;
    ErrorCode code;
    std::string mentions;  // the message must contain this
};

// Parameter names in failure output instead of the struct's bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

Status created(Result<std::string> r)
{
    if (!r.ok()) return r.error();
    return Ok{};
}

const char* const kUnknownId = "0190aaaa-0000-7000-8000-000000000000";

std::vector<BadCase> badCases()
{
    using E = ErrorCode;
    return {
        {"UnknownEntityOnCreate",
         [](Replica& r, const Ids&) { return created(r.create("dragon", Write().set("name", "x"s))); },
         E::InvalidArgument, "dragon"},
        {"UnknownEntityOnUpdate",
         [](Replica& r, const Ids& ids) { return r.update("dragon", ids.customer, Write().set("name", "x"s)); },
         E::InvalidArgument, "dragon"},
        {"UnknownField",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("colour", "red"s)); },
         E::InvalidArgument, "customer.colour"},
        {"UnknownFieldAfterAValidOne",
         [](Replica& r, const Ids& ids) {
             // The phone change (which coalesces the unsynced phone edit) must be rolled back too.
             return r.update("customer", ids.customer, Write().set("phone", "999"s).set("colour", "red"s));
         },
         E::InvalidArgument, "customer.colour"},
        {"WrongTypeForNumber",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("lat", "north"s)); },
         E::InvalidArgument, "customer.lat"},
        {"NotFiniteNumber",
         [](Replica& r, const Ids& ids) {
             return r.update("customer", ids.customer, Write().set("lat", std::numeric_limits<double>::quiet_NaN()));
         },
         E::InvalidArgument, "customer.lat"},
        {"WrongTypeForBool",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("archived", int64_t{1})); },
         E::InvalidArgument, "customer.archived"},
        {"WrongTypeForText",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("phone", int64_t{42})); },
         E::InvalidArgument, "customer.phone"},
        {"WrongTypeForTime",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("planned_at", 1.5)); },
         E::InvalidArgument, "visit.planned_at"},
        {"EnumOutOfOptions",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("level", "Z"s)); },
         E::InvalidArgument, "customer.level"},
        {"SatisfactionSix",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("satisfaction", int64_t{6})); },
         E::InvalidArgument, "visit.satisfaction"},
        {"SatisfactionZero",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("satisfaction", int64_t{0})); },
         E::InvalidArgument, "visit.satisfaction"},
        {"StageNotAStage",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("status", "lost"s)); },
         E::InvalidArgument, "visit.status"},
        {"ReopenAtUnknownStage",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().reopen("status", "lost")); },
         E::InvalidArgument, "visit.status"},
        {"ReopenOfANonStageField",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().reopen("phone")); },
         E::InvalidArgument, "customer.phone"},
        {"MissingRequiredNameOnCreate",
         [](Replica& r, const Ids&) { return created(r.create("customer", Write().set("phone", "1"s))); },
         E::InvalidArgument, "name"},
        {"EmptyRequiredNameOnCreate",
         [](Replica& r, const Ids&) { return created(r.create("customer", Write().set("name", ""s))); },
         E::InvalidArgument, "customer.name"},
        {"ClearingARequiredField",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("name", crdt::Value{})); },
         E::InvalidArgument, "customer.name"},
        {"MissingRequiredCustomerOnVisit",
         [](Replica& r, const Ids&) { return created(r.create("visit", Write().set("purpose", "demo"s))); },
         E::InvalidArgument, "customer"},
        {"UpdateOfUnknownId",
         [](Replica& r, const Ids&) { return r.update("customer", kUnknownId, Write().set("phone", "1"s)); },
         E::NotFound, kUnknownId},
        {"ArchiveOfUnknownId",
         [](Replica& r, const Ids&) { return r.archive("visit", kUnknownId); },
         E::NotFound, kUnknownId},
        {"VisitForUnknownCustomerId",
         [](Replica& r, const Ids&) { return created(r.create("visit", Write().set("customer", std::string(kUnknownId)))); },
         E::NotFound, "visit.customer"},
        {"MovingAVisitToAnotherCustomer",
         [](Replica& r, const Ids& ids) {
             return r.update("visit", ids.visit, Write().set("customer", std::string(kUnknownId)));
         },
         E::FailedPrecondition, "visit.customer is set when the visit is created"},
        {"RefOfWrongType",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("customer", int64_t{7})); },
         E::InvalidArgument, "visit.customer"},
        {"ConflictEntryCreatedByADevice",
         [](Replica& r, const Ids&) { return created(r.create("conflict", Write().set("loser_value", "\"x\""s))); },
         E::InvalidArgument, "created by the server"},
        {"SetOnATagField",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().set("tags", "vip"s)); },
         E::InvalidArgument, "customer.tags"},
        {"AddOnANonSetField",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().add("phone", "1")); },
         E::InvalidArgument, "customer.phone"},
        {"EmptyTag",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write().add("tags", "")); },
         E::InvalidArgument, "customer.tags"},
        {"TagAddFollowedByBadField",
         [](Replica& r, const Ids& ids) {
             return r.update("customer", ids.customer, Write().add("tags", "new").remove("tags", "vip").set("size", "huge"s));
         },
         E::InvalidArgument, "customer.size"},
        {"WriteOnceFieldChanged",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("checkin_at", kBaseMs + 99)); },
         E::FailedPrecondition, "visit.checkin_at"},
        {"StageMovedBack",
         [](Replica& r, const Ids& ids) { return r.update("visit", ids.visit, Write().set("status", "planned"s)); },
         E::FailedPrecondition, "visit.status"},
        {"NothingToWrite",
         [](Replica& r, const Ids& ids) { return r.update("customer", ids.customer, Write()); },
         E::InvalidArgument, "nothing"},
    };
}

class BadInput : public ReplicaFixture, public ::testing::WithParamInterface<BadCase> {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        r = openReplica("device.db", tA);
        ids.customer = r->create("customer", Write().set("name", "Acme"s).add("tags", "vip")).value();
        ids.visit = r->create("visit", Write()
                                           .set("customer", ids.customer)
                                           .set("status", "checked_in"s)
                                           .set("checkin_at", kBaseMs))
                        .value();
        // Acknowledge, then leave one unsynced edit for a refused write to coalesce.
        r->acknowledge(r->pending().records.back().clock.hlc);
        tA += 100;
        ASSERT_TRUE(r->update("customer", ids.customer, Write().set("phone", "1"s)).ok());
        ASSERT_EQ(r->pendingCount(), 1u);
    }
    void TearDown() override
    {
        r.reset();
        ReplicaFixture::TearDown();
    }

    std::unique_ptr<Replica> r;
    Ids ids;
};

TEST_P(BadInput, IsRefusedAndChangesNothing)
{
    const BadCase& c = GetParam();
    const std::string dumpBefore = r->dump().dump();
    const json pendingBefore = pendingJson(*r);
    const size_t countBefore = r->pendingCount();
    const size_t customersBefore = r->list("customer").size();
    const size_t visitsBefore = r->list("visit").size();

    tA += 100;
    Status st = c.op(*r, ids);
    ASSERT_FALSE(st.ok()) << c.name << " was accepted";
    EXPECT_EQ(errorCodeName(st.error().code), errorCodeName(c.code)) << st.error().message;
    EXPECT_THAT(st.error().message, HasSubstr(c.mentions));

    EXPECT_EQ(r->dump().dump(), dumpBefore);
    EXPECT_EQ(r->pendingCount(), countBefore);
    EXPECT_EQ(pendingJson(*r), pendingBefore);
    EXPECT_EQ(r->list("customer").size(), customersBefore);
    EXPECT_EQ(r->list("visit").size(), visitsBefore);

    // And the replica still works: a valid write goes through afterwards.
    tA += 100;
    FS_EXPECT_OK(r->update("customer", ids.customer, Write().set("phone", "2"s)));
    EXPECT_EQ(r->pendingCount(), 1u) << "the new phone coalesces with the unsynced one";
}

INSTANTIATE_TEST_SUITE_P(Replica, BadInput, ::testing::ValuesIn(badCases()),
                         [](const ::testing::TestParamInfo<BadCase>& p) { return std::string(p.param.name); });

} // namespace
} // namespace fieldsync::replica::test
