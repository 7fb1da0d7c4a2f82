// The customer list over the fixed company: every filter, every sort, pages
// and totals, bad queries, and overdue following visits and the clock.
#include "CustomerFixture.h"

#include "domain/Cadence.h"

#include <gmock/gmock.h>

namespace fieldsync::domain::test {
namespace {

using Names = std::vector<std::string>;

class CustomersTest : public CustomerFixture {};

TEST_F(CustomersTest, EverybodyInPinyinOrderWithoutTheArchived)
{
    EXPECT_EQ(find({}), (Names{"abc", "bank", "zz", "cs", "cq", "hz", "sh", "sz", "xm", "shop"}));
    CustomerQuery q;
    q.includeArchived = true;
    EXPECT_EQ(find(q), (Names{"abc", "bank", "zz", "cs", "cq", "gz", "hz", "sh", "sz", "xm", "shop"}));
    q.descending = true;
    EXPECT_EQ(find(q), (Names{"shop", "xm", "sz", "sh", "hz", "gz", "cq", "cs", "zz", "bank", "abc"}));
}

TEST_F(CustomersTest, EachFilter)
{
    CustomerQuery level;
    level.level = "A";
    EXPECT_EQ(find(level), (Names{"abc", "bank", "zz"}));
    CustomerQuery tag;
    tag.tag = "重点";
    EXPECT_EQ(find(tag), (Names{"abc", "zz"}));
    CustomerQuery region;
    region.region = "华东";
    EXPECT_EQ(find(region), (Names{"abc", "hz", "sh"}));
    CustomerQuery stage;
    stage.stage = "lead";
    EXPECT_EQ(find(stage), (Names{"sh", "sz", "xm", "shop"}));
    CustomerQuery owner;
    owner.owner = "wang";
    EXPECT_EQ(find(owner), (Names{"bank", "cq"}));
    CustomerQuery pool;
    pool.poolOnly = true;
    EXPECT_EQ(find(pool), (Names{"sh", "sz", "xm"}));
    CustomerQuery overdue;
    overdue.overdueOnly = true;
    // A 7 days, B 14, C 30, D 90: bank (10 days; its voided visit of
    // yesterday does not count), abc (20), cs and xm (never), sh (100).
    EXPECT_EQ(find(overdue), (Names{"abc", "bank", "cs", "sh", "xm"}));
}

TEST_F(CustomersTest, FiltersCombineWithSearch)
{
    CustomerQuery q;
    q.search = "bj";
    q.level = "A";
    q.overdueOnly = true;
    EXPECT_EQ(find(q), Names{"bank"});
    CustomerQuery pool;
    pool.search = "zhaozhi";
    pool.poolOnly = true;
    EXPECT_EQ(find(pool), Names{"sh"});
    CustomerQuery tagged;
    tagged.search = "重";  // 重庆 is 餐饮, not 重点
    tagged.tag = "餐饮";
    EXPECT_EQ(find(tagged), Names{"cq"});
}

TEST_F(CustomersTest, SortByLastVisitAndByLevel)
{
    CustomerQuery q;
    q.sort = CustomerSort::LastVisit;
    EXPECT_EQ(find(q), (Names{"cs", "sz", "xm", "sh", "hz", "abc", "bank", "cq", "zz", "shop"}))
        << "longest unvisited first, never visited first of all";
    q.descending = true;
    EXPECT_EQ(find(q), (Names{"shop", "zz", "cq", "bank", "abc", "hz", "sh", "cs", "sz", "xm"}));
    CustomerQuery level;
    level.sort = CustomerSort::Level;
    EXPECT_EQ(find(level), (Names{"abc", "bank", "zz", "cs", "cq", "hz", "xm", "sh", "shop", "sz"}));
}

TEST_F(CustomersTest, SearchResultsSortAndPageTheSameWay)
{
    CustomerQuery q;
    q.search = "北京";
    EXPECT_EQ(find(q), (Names{"bank", "zz", "shop"}));
    q.descending = true;
    EXPECT_EQ(find(q), (Names{"shop", "zz", "bank"}));
    q.sort = CustomerSort::LastVisit;
    EXPECT_EQ(find(q), (Names{"shop", "zz", "bank"})) << "most recent first";
    q.descending = false;
    EXPECT_EQ(find(q), (Names{"bank", "zz", "shop"}));
    q.sort = CustomerSort::Level;
    EXPECT_EQ(find(q), (Names{"bank", "zz", "shop"}));
    q.descending = true;
    EXPECT_EQ(find(q), (Names{"shop", "bank", "zz"})) << "D first, ties still by name";
    CustomerQuery never;
    never.search = "s";  // any syllable from s on: 长沙, 深圳, 上海, 书店, 公司 (si), 连锁 (suo)
    never.sort = CustomerSort::LastVisit;
    EXPECT_EQ(find(never), (Names{"cs", "sz", "xm", "sh", "abc", "cq", "shop"}));

    auto c = customers();
    CustomerQuery paged;
    paged.search = "北京";
    paged.limit = 2;
    paged.offset = 1;
    auto page = c.list(paged);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 3);
    EXPECT_EQ(keysOf(*page), (Names{"zz", "shop"}));
    paged.offset = 3;
    EXPECT_TRUE(c.list(paged)->rows.empty());
}

TEST_F(CustomersTest, RowsCarryTheirFieldsLastVisitAndOverdue)
{
    auto c = customers();
    CustomerQuery q;
    q.search = "北京银行";
    auto page = c.list(q);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->rows.size(), 1u);
    const auto& row = page->rows[0];
    EXPECT_EQ(row.id, ids["bank"]);
    EXPECT_EQ(row.name, "北京银行");
    EXPECT_EQ(row.phone, "95526");
    EXPECT_EQ(row.level, "A");
    EXPECT_EQ(row.stage, "loyal");
    EXPECT_EQ(row.owner, "wang");
    EXPECT_EQ(row.tags, Names{"金融"});
    EXPECT_EQ(row.lastVisit, kNow - 10 * kDay);
    EXPECT_TRUE(row.overdue);
    EXPECT_FALSE(row.archived);
    const auto j = page->toJson();
    EXPECT_EQ(j["total"], 1);
    EXPECT_EQ(j["offset"], 0);
    EXPECT_EQ(j["customers"][0]["last_visit"], kNow - 10 * kDay);
    EXPECT_EQ(j["customers"][0]["lifecycle"], "loyal");
    EXPECT_EQ(j["customers"][0]["overdue"], true);
    EXPECT_EQ(j["customers"][0]["address"], "北京市西城区金融大街");
}

TEST_F(CustomersTest, PagesWithTheTotal)
{
    auto c = customers();
    CustomerQuery q;
    q.limit = 3;
    auto first = c.list(q);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->total, 10);
    EXPECT_EQ(keysOf(*first), (Names{"abc", "bank", "zz"}));
    q.offset = 3;
    EXPECT_EQ(keysOf(*c.list(q)), (Names{"cs", "cq", "hz"}));
    q.offset = 9;
    auto last = c.list(q);
    EXPECT_EQ(keysOf(*last), Names{"shop"});
    EXPECT_EQ(last->total, 10);
    q.offset = 10;
    auto beyond = c.list(q);
    EXPECT_TRUE(beyond->rows.empty());
    EXPECT_EQ(beyond->total, 10);
}

TEST_F(CustomersTest, BadQueriesAreRefusedWithTheReason)
{
    auto c = customers();
    CustomerQuery level;
    level.level = "E";
    auto a = c.list(level);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(a.error().message, "unknown level \"E\" (levels: A, B, C, D)");
    CustomerQuery stage;
    stage.stage = "vip";
    auto b = c.list(stage);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().message, "unknown stage \"vip\" (stages: lead, first_purchase, repeat, loyal, churned)");
    CustomerQuery limit;
    limit.limit = 0;
    EXPECT_EQ(c.list(limit).error().message, "limit must be 1..1000, got 0");
    CustomerQuery offset;
    offset.offset = -1;
    EXPECT_EQ(c.list(offset).error().message, "offset must not be negative, got -1");
    EXPECT_EQ(customerSortFromString("last-visit"), CustomerSort::LastVisit);
    EXPECT_EQ(customerSortFromString("date"), std::nullopt);
}

TEST_F(CustomersTest, OverdueFollowsVisitsTheClockAndTheTeamCadence)
{
    CustomerQuery q;
    q.overdueOnly = true;
    visit("cs", 0);  // checked in today
    EXPECT_EQ(find(q), (Names{"abc", "bank", "sh", "xm"}));
    now += 5 * kDay;  // zz's visit is now 8 days old (A: every 7), hz's 34 (C: every 30)
    EXPECT_EQ(find(q), (Names{"abc", "bank", "zz", "hz", "sh", "xm"}));

    // A manager relaxes A to 30 days for the team.
    signIn(*r, "zhang", "manager");
    TeamConfigChange change;
    change.cadenceDays[0] = 30;
    ASSERT_TRUE(setTeamConfig(*r, change).ok());
    EXPECT_EQ(find(q), (Names{"hz", "sh", "xm"}));
}

} // namespace
} // namespace fieldsync::domain::test
