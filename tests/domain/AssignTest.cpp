// Assigning customers to a rep: managers only, team members only, all or
// nothing, and the rep's device receiving the customer through the hub.
#include "CustomerFixture.h"

#include "domain/Assign.h"

#include "replica/Hub.h"

namespace fieldsync::domain::test {
namespace {

using Names = std::vector<std::string>;

class AssignTest : public CustomerFixture {
protected:
    void SetUp() override
    {
        CustomerFixture::SetUp();
        signIn(*r, "wang", "manager");
    }

    std::string ownerOf(const std::string& key)
    {
        const auto row = *r->get("customer", ids.at(key));
        return row["owner"].is_string() ? row["owner"].get<std::string>() : std::string("<pool>");
    }
};

TEST_F(AssignTest, TheTeamIsEveryoneTheReplicaKnows)
{
    // Owners (lina, wang) and the signed-in manager; a task assignee counts too.
    EXPECT_EQ(knownTeamMembers(*r), (Names{"lina", "wang"}));
    FS_ASSERT_OK(r->create("task", Write().set("customer", ids["xm"]).set("title", "回访"s).set("assignee", "zhao"s)));
    EXPECT_EQ(knownTeamMembers(*r), (Names{"lina", "wang", "zhao"}));
    signIn(*r, "admin1", "admin");
    EXPECT_EQ(knownTeamMembers(*r), (Names{"admin1", "lina", "wang", "zhao"}));
}

TEST_F(AssignTest, AManagerMovesCustomersBetweenRepsAndOutOfThePool)
{
    const size_t pendingBefore = r->pendingCount();
    auto done = assignCustomers(*r, {ids["zz"], ids["xm"], ids["bank"], ids["zz"]}, "wang");
    FS_ASSERT_OK(done);
    EXPECT_EQ(done->changed, 2u) << "zz from lina, xm from the pool";
    EXPECT_EQ(done->unchanged, 1u) << "bank was wang's already; the repeated id counts once";
    EXPECT_EQ(ownerOf("zz"), "wang");
    EXPECT_EQ(ownerOf("xm"), "wang");
    EXPECT_EQ(ownerOf("bank"), "wang");
    EXPECT_EQ(r->pendingCount(), pendingBefore + 2) << "one synced write per changed customer";

    auto again = assignCustomers(*r, {ids["zz"]}, "lina");
    FS_ASSERT_OK(again);
    EXPECT_EQ(again->changed, 1u);
    EXPECT_EQ(ownerOf("zz"), "lina");
}

TEST_F(AssignTest, RefusalsChangeNothing)
{
    const size_t pendingBefore = r->pendingCount();
    auto outsider = assignCustomers(*r, {ids["zz"]}, "zhao");
    ASSERT_FALSE(outsider.ok());
    EXPECT_EQ(outsider.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(outsider.error().message, "zhao is not a member of your team");
    EXPECT_EQ(assignCustomers(*r, {ids["zz"]}, "").error().message, "choose the rep who gets the customers");
    EXPECT_EQ(assignCustomers(*r, {}, "lina").error().message, "choose at least one customer");

    // One archived or unknown customer refuses the whole request.
    auto archived = assignCustomers(*r, {ids["xm"], ids["gz"]}, "lina");
    ASSERT_FALSE(archived.ok());
    EXPECT_EQ(archived.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(archived.error().message, "customer 广州绿色家园 (" + ids["gz"] + ") is archived");
    auto unknown = assignCustomers(*r, {ids["xm"], "no-such-id"}, "lina");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
    EXPECT_EQ(ownerOf("xm"), "<pool>");
    EXPECT_EQ(r->pendingCount(), pendingBefore);

    signIn(*r, "lina", "rep");
    auto rep = assignCustomers(*r, {ids["xm"]}, "lina");
    ASSERT_FALSE(rep.ok());
    EXPECT_EQ(rep.error().code, ErrorCode::PermissionDenied);
    EXPECT_EQ(rep.error().message, "only a manager or an admin can assign customers");
    auto anonymous = open();
    EXPECT_EQ(assignCustomers(*anonymous, {ids["xm"]}, "lina").error().code, ErrorCode::PermissionDenied);
    EXPECT_EQ(ownerOf("xm"), "<pool>");
}

TEST_F(AssignTest, TheAssignmentSyncsLikeAnyWrite)
{
    auto hub = replica::Hub::open(":memory:", replica::Hub::Options{.time = [this] { return now; }});
    auto push = [&](replica::Replica& device) {
        while (device.pendingCount() > 0) {
            auto batch = device.pending();
            auto pushed = hub->push(device.deviceId(), batch.after, batch.records);
            ASSERT_TRUE(pushed.ok()) << pushed.error().message;
            device.acknowledge(pushed->acked, pushed->head);
        }
    };
    auto pull = [&](replica::Replica& device) {
        auto page = hub->pull(device.cursor(), 10000);
        device.applyRemote(page.records, page.cursor);
    };
    push(*r);
    auto other = open();
    pull(*other);
    FS_ASSERT_OK(assignCustomers(*r, {ids["sh"]}, "lina"));
    push(*r);
    pull(*other);
    EXPECT_EQ((*other->get("customer", ids["sh"]))["owner"], "lina");
}

} // namespace
} // namespace fieldsync::domain::test
