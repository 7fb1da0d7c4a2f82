#include "ActivityFixture.h"

#include "domain/Complaints.h"
#include "domain/Reports.h"
#include "domain/Visits.h"

namespace fieldsync::domain::test {
namespace {

class Reports : public ActivityTest {
protected:
    std::string abcOf(const std::vector<AbcRow>& rows)
    {
        std::string out;
        for (const auto& r : rows) out += r.name + ":" + r.abc + " ";
        return out;
    }

    // A completed visit with a check-in position (so it is not flagged).
    std::string visitedAt(const std::string& c, int64_t at, const std::string& rep, double lat, double lng,
                          const std::string& outcome = "")
    {
        std::string id = planVisit(*m_r, {.customer = c, .plannedAt = at, .rep = rep}).value();
        EXPECT_TRUE(checkIn(*m_r, id, {.at = at, .lat = lat, .lng = lng}).ok());
        CheckOut out{.at = at + 1'800'000};
        if (!outcome.empty()) out.outcome = outcome;
        EXPECT_TRUE(checkOut(*m_r, id, out).ok());
        return id;
    }
};

TEST_F(Reports, AbcAtTheExactBoundaries)
{
    // 75 / 20 / 5: the customer after exactly 75 % is B, after exactly 95 % is C.
    customer({.name = "x", .level = "C", .sales = 750000.0});
    customer({.name = "y", .level = "A", .sales = 200000.0});
    customer({.name = "z", .sales = 50000.0});
    auto rows = abcClassification(*m_r);
    EXPECT_EQ(abcOf(rows), "x:A y:B z:C ");
    EXPECT_DOUBLE_EQ(rows[1].shareBefore, 0.75);
    EXPECT_DOUBLE_EQ(rows[2].shareBefore, 0.95);
    EXPECT_EQ(rows[1].level, "A");  // the manual level is shown beside, not changed
    EXPECT_EQ(rows[0].toJson()["abc"], "A");
}

TEST_F(Reports, AbcJustInsideTheBoundaries)
{
    customer({.name = "p", .sales = 74.0});
    customer({.name = "q", .sales = 20.0});
    customer({.name = "r", .sales = 1.0});
    customer({.name = "s", .sales = 5.0});
    // p 0 %, q 74 % (< 75: A), s 94 % (< 95: B), r 99 %.
    EXPECT_EQ(abcOf(abcClassification(*m_r)), "p:A q:A s:B r:C ");
}

TEST_F(Reports, AbcTiesShareAClass)
{
    customer({.name = "big", .sales = 50.0});
    customer({.name = "tie1", .sales = 25.0});
    customer({.name = "tie2", .sales = 25.0});
    // Both ties have 50 % above them: A, though tie2 would start at 75 % if
    // ties were split by name.
    EXPECT_EQ(abcOf(abcClassification(*m_r)), "big:A tie1:A tie2:A ");
}

TEST_F(Reports, AbcZeroMissingArchivedAndSingle)
{
    customer({.name = "only", .sales = 100.0});
    customer({.name = "none"});
    customer({.name = "zero", .sales = 0.0});
    customer({.name = "gone", .sales = 1e9, .archived = true});
    EXPECT_EQ(abcOf(abcClassification(*m_r)), "only:A none:C zero:C ");
}

TEST_F(Reports, AbcWithNoSalesAtAll)
{
    customer({.name = "a"});
    customer({.name = "b", .sales = 0.0});
    EXPECT_EQ(abcOf(abcClassification(*m_r)), "a:C b:C ");
    EXPECT_TRUE(abcClassification(*m_r).front().shareBefore == 0.0);
}

TEST_F(Reports, ChurnReasons)
{
    std::string lost = customer({.name = "流失", .level = "C"});
    visited(lost, beijing(2026, 9, 1, 10));  // 82 days ago
    std::string complained = customer({.name = "投诉", .level = "C"});
    visited(complained, beijing(2026, 11, 20, 10));
    std::string open = addComplaint(*m_r, {.customer = complained, .receivedAt = beijing(2026, 11, 20, 11)}).value();
    std::string falling = customer({.name = "下滑", .level = "C"});
    visited(falling, beijing(2026, 10, 1, 10), "lina", 1);  // older than the last three: ignored
    visited(falling, beijing(2026, 11, 1, 10), "lina", 5);
    visited(falling, beijing(2026, 11, 10, 10), "lina", 4);
    visited(falling, beijing(2026, 11, 18, 10), "lina", 3);
    std::string low = customer({.name = "低分", .level = "C"});
    visited(low, beijing(2026, 11, 10, 10), "lina", 5);
    visited(low, beijing(2026, 11, 19, 10), "lina", 2);
    std::string flat = customer({.name = "平稳", .level = "C"});
    visited(flat, beijing(2026, 11, 1, 10), "lina", 4);
    visited(flat, beijing(2026, 11, 10, 10), "lina", 4);
    visited(flat, beijing(2026, 11, 18, 10), "lina", 3);  // not strictly falling, not <= 2
    std::string key = customer({.name = "重点", .level = "A"});
    visited(key, beijing(2026, 11, 1, 10), "lina", std::nullopt, 5000.0);  // 21 days, cadence 7
    std::string everything = customer({.name = "全中", .level = "B"});
    addComplaint(*m_r, {.customer = everything, .receivedAt = beijing(2026, 11, 2, 9)}).value();
    std::string voided = customer({.name = "作废", .level = "C"});
    visited(voided, beijing(2026, 9, 1, 10));
    std::string recent = visited(voided, beijing(2026, 11, 20, 10));
    std::string closed = customer({.name = "已结", .level = "C"});
    visited(closed, beijing(2026, 11, 20, 10));
    std::string done = addComplaint(*m_r, {.customer = closed, .receivedAt = beijing(2026, 11, 2, 9)}).value();
    ASSERT_TRUE(moveComplaint(*m_r, done, {.stage = "followed_up", .resolution = "已解决"}).ok());
    signIn("wangqiang", "manager");
    ASSERT_TRUE(voidVisit(*m_r, recent, "测试").ok());

    auto risks = churnRisks(*m_r, m_time);
    std::vector<std::string> got;
    for (const auto& r : risks) {
        std::string line = r.name + ":";
        for (const auto& reason : r.reasons) line += " " + reason;
        got.push_back(line);
    }
    EXPECT_EQ(got, (std::vector<std::string>{
                       "全中: inactive open_complaint key_overdue",
                       "重点: key_overdue",
                       "下滑: falling_satisfaction",
                       "低分: falling_satisfaction",
                       "作废: inactive",
                       "投诉: open_complaint",
                       "流失: inactive",
                   }));
    EXPECT_EQ(risks[2].recentSatisfaction, (std::vector<int>{5, 4, 3}));
    EXPECT_EQ(risks[1].lastOrder, beijing(2026, 11, 1, 10));
    EXPECT_EQ(risks[0].openComplaints, 1);
    EXPECT_EQ(risks[4].lastVisit, beijing(2026, 9, 1, 10));
    (void)open;

    // A shorter window makes recent customers inactive too.
    ChurnOptions strict;
    strict.inactiveDays = 3;
    auto strictRisks = churnRisks(*m_r, m_time, strict);
    EXPECT_EQ(strictRisks.size(), 8u);
}

TEST_F(Reports, KeyAccountCoverageThisMonth)
{
    std::string visitedA = customer({.name = "甲", .level = "A"});
    visited(visitedA, beijing(2026, 11, 1, 0, 5));  // this month in Beijing (Oct 31 in UTC)
    std::string lastMonth = customer({.name = "乙", .level = "A"});
    visited(lastMonth, beijing(2026, 10, 31, 23, 55));
    std::string onlyVoided = customer({.name = "丙", .level = "A"});
    std::string v = visited(onlyVoided, beijing(2026, 11, 5, 10));
    std::string gone = customer({.name = "丁", .level = "A", .archived = true});
    visited(gone, beijing(2026, 11, 5, 10));
    visited(customer({.name = "B级", .level = "B"}), beijing(2026, 11, 5, 10));
    signIn("wangqiang", "manager");
    ASSERT_TRUE(voidVisit(*m_r, v, "重复").ok());

    Coverage c = keyAccountCoverage(*m_r, m_time);
    EXPECT_EQ(c.keyCustomers, 3);
    EXPECT_EQ(c.visited, 1);
    EXPECT_NEAR(c.share(), 1.0 / 3, 1e-12);
    EXPECT_EQ(c.unvisited, (std::vector<std::string>{onlyVoided, lastMonth}));  // 丙 < 乙 in UTF-8 order
    EXPECT_EQ(c.toJson(m_time)["month"], "2026-11");
}

TEST_F(Reports, FeedFiltersAndVisitsPerRepAcrossTheDayBoundary)
{
    std::string shop = customer({.name = "店", .level = "B", .lat = 39.9, .lng = 116.4});
    std::string satSat = visitedAt(shop, beijing(2026, 11, 21, 23, 30), "lina", 39.9, 116.4);
    std::string sunEarly = visitedAt(shop, beijing(2026, 11, 22, 0, 30), "lina", 39.9, 116.4);
    std::string monday = visitedAt(shop, beijing(2026, 11, 23, 8, 0), "lina", 39.9, 116.4);
    // 0.0054 degrees north: 600.45 m, past the 500 m radius.
    std::string far = visitedAt(shop, beijing(2026, 11, 22, 9, 0), "zhang", 39.9054, 116.4, "下单");
    std::string noPlace = visited(shop, beijing(2026, 11, 20, 9, 0), "zhang");
    std::string voided = visitedAt(shop, beijing(2026, 11, 22, 11, 0), "lina", 39.9, 116.4);
    planVisit(*m_r, {.customer = shop, .plannedAt = beijing(2026, 11, 22, 15), .rep = "lina"}).value();
    signIn("wangqiang", "manager");
    ASSERT_TRUE(voidVisit(*m_r, voided, "误操作").ok());

    auto ids = [](const std::vector<Visit>& vs) {
        std::vector<std::string> out;
        for (const auto& v : vs) out.push_back(v.id);
        return out;
    };
    EXPECT_EQ(ids(visitFeed(*m_r, {})), (std::vector<std::string>{monday, far, sunEarly, satSat, noPlace}));
    EXPECT_EQ(ids(visitFeed(*m_r, {.rep = "lina"})), (std::vector<std::string>{monday, sunEarly, satSat}));
    EXPECT_EQ(ids(visitFeed(*m_r, {.from = beijing(2026, 11, 22), .to = beijing(2026, 11, 23)})),
              (std::vector<std::string>{far, sunEarly}));
    EXPECT_EQ(ids(visitFeed(*m_r, {.outcome = "下单"})), (std::vector<std::string>{far}));
    EXPECT_EQ(ids(visitFeed(*m_r, {.flaggedOnly = true})), (std::vector<std::string>{far, noPlace}));

    auto counts = [](const std::vector<RepCount>& rows) {
        std::string out;
        for (const auto& r : rows) out += r.rep + " " + r.period + " " + std::to_string(r.visits) + "; ";
        return out;
    };
    EXPECT_EQ(counts(visitsPerRep(*m_r, m_time, Period::Day)),
              "lina 2026-11-21 1; lina 2026-11-22 1; lina 2026-11-23 1; zhang 2026-11-20 1; zhang 2026-11-22 1; ");
    EXPECT_EQ(counts(visitsPerRep(*m_r, m_time, Period::Week)), "lina 2026-W47 2; lina 2026-W48 1; zhang 2026-W47 2; ");
    EXPECT_EQ(counts(visitsPerRep(*m_r, m_time, Period::Day, beijing(2026, 11, 22), beijing(2026, 11, 23))),
              "lina 2026-11-22 1; zhang 2026-11-22 1; ");

    // The same visits seen in UTC fall on other days.
    auto utc = LocalTime::inZone("UTC", [this] { return m_now; }).value();
    EXPECT_EQ(counts(visitsPerRep(*m_r, utc, Period::Day)),
              "lina 2026-11-21 2; lina 2026-11-23 1; zhang 2026-11-20 1; zhang 2026-11-22 1; ");
}

TEST_F(Reports, LifecycleAndComplaintStageCounts)
{
    customer({.name = "a", .lifecycle = "lead"});
    customer({.name = "b", .lifecycle = "lead"});
    std::string c = customer({.name = "c", .lifecycle = "loyal"});
    customer({.name = "d"});
    customer({.name = "e", .lifecycle = "churned", .archived = true});
    std::string one = addComplaint(*m_r, {.customer = c, .receivedAt = m_now}).value();
    addComplaint(*m_r, {.customer = c, .receivedAt = m_now}).value();
    ASSERT_TRUE(moveComplaint(*m_r, one, {.stage = "investigating"}).ok());
    std::map<std::string, int> lifecycle{{"lead", 2},   {"first_purchase", 0}, {"repeat", 0},
                                         {"loyal", 1},  {"churned", 0},        {"unknown", 1}};
    EXPECT_EQ(lifecycleCounts(*m_r), lifecycle);
    std::map<std::string, int> stages{{"received", 1}, {"investigating", 1}, {"answered", 0}, {"followed_up", 0}};
    EXPECT_EQ(complaintStageCounts(*m_r), stages);
}

} // namespace
} // namespace fieldsync::domain::test
