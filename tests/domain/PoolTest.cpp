// The public pool: claiming offline, how each claim ended (won, lost by
// refusal, lost to a later change, pending), and returning idle customers.
#include "CustomerFixture.h"

#include "domain/Pool.h"

#include "replica/Hub.h"

namespace fieldsync::domain::test {
namespace {

using Names = std::vector<std::string>;

class PoolTest : public CustomerFixture {
protected:
    Pool::Options clock()
    {
        return {.time = [this] { return now; }};
    }

    // Pushes everything pending to the hub and pulls everything back.
    void sync(replica::Replica& device)
    {
        while (device.pendingCount() > 0) {
            auto batch = device.pending();
            auto pushed = hub->push(device.deviceId(), batch.after, batch.records);
            ASSERT_TRUE(pushed.ok()) << pushed.error().message;
            device.acknowledge(pushed->acked, pushed->head);
        }
        auto page = hub->pull(device.cursor(), 10000);
        device.applyRemote(page.records, page.cursor);
    }

    std::unique_ptr<replica::Hub> hub = replica::Hub::open(":memory:", replica::Hub::Options{.time = [this] { return now; }});
};

TEST_F(PoolTest, AClaimIsPendingThenWon)
{
    SearchIndex index(*r);
    Pool pool(index, clock());
    now += 1000;
    FS_ASSERT_OK(pool.claim(ids["xm"]));
    EXPECT_EQ((*r->get("customer", ids["xm"]))["owner"], "lina");
    auto claims = pool.claims();
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].customer, ids["xm"]);
    EXPECT_EQ(claims[0].name, "厦门鹭岛贸易有限公司");
    EXPECT_EQ(claims[0].claimedBy, "lina");
    EXPECT_EQ(claims[0].claimedAt, kNow + 1000);
    EXPECT_EQ(claims[0].status, "pending");

    CustomerQuery q;
    q.poolOnly = true;
    EXPECT_EQ(find(q), (Names{"sh", "sz"})) << "it left the pool at once, offline";

    sync(*r);
    claims = pool.claims();
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].status, "won");
    EXPECT_EQ(claims[0].reason, "");
    EXPECT_EQ(claims[0].toJson()["status"], "won");
}

TEST_F(PoolTest, ClaimsThatCannotBeMadeSayWhy)
{
    SearchIndex index(*r);
    Pool pool(index, clock());
    auto owned = pool.claim(ids["bank"]);
    ASSERT_FALSE(owned.ok());
    EXPECT_EQ(owned.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(owned.error().message, "customer 北京银行 (" + ids["bank"] + ") is not in the pool: wang owns it");
    EXPECT_EQ(pool.claim(ids["zz"]).error().message, "customer 北京昭智教育 (" + ids["zz"] + ") is already yours");
    FS_ASSERT_OK(r->archive("customer", ids["sz"]));
    EXPECT_EQ(pool.claim(ids["sz"]).error().message, "customer 深圳行业协会 (" + ids["sz"] + ") is archived");
    EXPECT_EQ(pool.claim("no-such-id").error().code, ErrorCode::NotFound);

    auto anonymous = open();
    anonymous->importBundle(r->exportBundle());
    SearchIndex there(*anonymous);
    EXPECT_EQ(Pool(there).claim(ids["xm"]).error().code, ErrorCode::PermissionDenied);
    EXPECT_TRUE(pool.claims().empty());
}

TEST_F(PoolTest, ALostClaimStaysVisibleAfterTheCustomerLeaves)
{
    sync(*r);
    SearchIndex index(*r);
    Pool pool(index, clock());
    FS_ASSERT_OK(pool.claim(ids["sh"]));
    const auto claimClock = pool.claims().at(0).clock;
    // The server refused it (another rep's claim reached it first) ...
    const std::string message = "customer " + ids["sh"] + ": claim lost: it is already owned by wang";
    r->reject(std::vector<replica::Rejection>{{claimClock, "permission_denied", message}}, {});
    // ... and the customer then left this device.
    r->evict(std::vector<std::string>{ids["sh"]});
    ASSERT_FALSE(r->get("customer", ids["sh"]).ok());

    auto claims = pool.claims();
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].name, "上海照志文化");
    EXPECT_EQ(claims[0].status, "lost");
    EXPECT_EQ(claims[0].reason, message);
}

TEST_F(PoolTest, AnAcceptedClaimOverriddenByALaterOneIsLostToo)
{
    sync(*r);
    auto wangs = open();
    signIn(*wangs, "wang", "rep");
    sync(*wangs);
    SearchIndex linaIndex(*r), wangIndex(*wangs);
    Pool lina(linaIndex, clock()), wang(wangIndex, clock());

    // Lina claims first, offline; wang a little later; wang syncs first.
    now += 10;
    FS_ASSERT_OK(lina.claim(ids["sz"]));
    now += 10;
    FS_ASSERT_OK(wang.claim(ids["sz"]));
    sync(*wangs);
    sync(*r);  // a hub without a claim policy accepts lina's too; wang's later clock wins the field
    sync(*wangs);
    EXPECT_EQ(wang.claims().at(0).status, "won");
    auto lost = lina.claims();
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_EQ(lost[0].status, "lost");
    EXPECT_EQ(lost[0].reason, "the customer is now owned by wang");
}

TEST_F(PoolTest, AManagerReturnsIdleCustomersToThePool)
{
    SearchIndex index(*r);
    {
        Pool asRep(index, clock());
        auto refused = asRep.returnToPool(30, true);
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);
    }
    signIn(*r, "zhang", "manager");
    Pool pool(index, clock());
    EXPECT_EQ(pool.returnToPool(0, true).error().message, "--idle-days must be 1..3650, got 0");

    // 100 days on. Owners were assigned at the start; since then hz, abc,
    // bank and shop were last visited 89, 80, 70 and 61 days ago, cs never;
    // zz was visited today and cq was just handed to lina.
    now += 100 * kDay;
    visit("hz", -89 * kDay);
    visit("abc", -80 * kDay);
    visit("bank", -70 * kDay);
    visit("shop", -61 * kDay);
    visit("zz", 0);
    FS_ASSERT_OK(r->update("customer", ids["cq"], Write().set("owner", "lina"s)));
    const size_t pending = r->pendingCount();

    auto dry = pool.returnToPool(30, true);
    ASSERT_TRUE(dry.ok());
    Names idle;
    std::vector<int64_t> days;
    for (const auto& c : *dry) {
        idle.push_back(keys.at(c.id));
        days.push_back(c.idleDays);
    }
    EXPECT_EQ(idle, (Names{"cs", "hz", "abc", "bank", "shop"}));
    EXPECT_EQ(days, (std::vector<int64_t>{100, 89, 80, 70, 61}));
    EXPECT_EQ((*dry)[0].lastVisit, std::nullopt) << "cs was never visited: idle since it was assigned";
    EXPECT_EQ((*dry)[0].ownerSince, kNow);
    EXPECT_EQ((*dry)[1].lastVisit, now - 89 * kDay);
    EXPECT_EQ(r->pendingCount(), pending) << "a dry run writes nothing";
    CustomerQuery q;
    q.poolOnly = true;
    EXPECT_EQ(find(q), (Names{"sh", "sz", "xm"}));

    auto done = pool.returnToPool(30, false);
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done->size(), 5u);
    EXPECT_EQ(r->pendingCount(), pending + 5) << "one synced write per customer";
    EXPECT_EQ(find(q), (Names{"abc", "bank", "cs", "hz", "sh", "sz", "xm", "shop"}));
    EXPECT_TRUE(pool.returnToPool(30, false)->empty());
}

} // namespace
} // namespace fieldsync::domain::test
