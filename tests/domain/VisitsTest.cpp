#include "ActivityFixture.h"

#include "domain/Cadence.h"
#include "domain/Geo.h"
#include "domain/Tasks.h"
#include "domain/Visits.h"

namespace fieldsync::domain::test {
namespace {

class Visits : public ActivityTest {
protected:
    // A customer at a known point in Beijing (东城区).
    std::string m_shop = customer({.name = "北京昭智教育", .level = "A", .lat = 39.9, .lng = 116.4});

    std::string planned(int64_t at = beijing(2026, 11, 22, 14, 0))
    {
        return planVisit(*m_r, {.customer = m_shop, .plannedAt = at, .purpose = "季度回访"}).value();
    }
    Visit reload(const std::string& id) { return findVisit(*m_r, id, kDefaultCheckinRadiusM).value(); }
};

TEST(Geo, HaversineKnownDistances)
{
    // 0.0045 degrees of latitude along a meridian: R * 0.0045 * pi / 180.
    EXPECT_NEAR(haversineMetres(39.9, 116.4, 39.9045, 116.4), 500.378, 0.001);
    // 天安门 to 王府井: 981.6 m on the mean-radius sphere.
    EXPECT_NEAR(haversineMetres(39.9087, 116.3975, 39.9042, 116.4074), 981.56, 1.0);
    // 0.01 degrees of longitude at 39.9 N is shorter than at the equator.
    EXPECT_NEAR(haversineMetres(39.9, 116.4, 39.9, 116.41), 853.05, 0.01);
    EXPECT_EQ(haversineMetres(39.9, 116.4, 39.9, 116.4), 0.0);
}

TEST(Geo, PositionChecks)
{
    EXPECT_TRUE(checkPosition(39.9, 116.4, 10.0).ok());
    EXPECT_TRUE(checkPosition(std::nullopt, std::nullopt, std::nullopt).ok());
    EXPECT_EQ(checkPosition(39.9, std::nullopt, std::nullopt).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checkPosition(std::nullopt, std::nullopt, 5.0).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checkPosition(90.5, 116.4, std::nullopt).error().message, "latitude must be between -90 and 90");
    EXPECT_EQ(checkPosition(39.9, -181.0, std::nullopt).error().message, "longitude must be between -180 and 180");
    EXPECT_FALSE(checkPosition(39.9, 116.4, -1.0).ok());
}

TEST_F(Visits, PlanThenCheckInStoresDistanceAndStatus)
{
    signIn("lina", "rep");
    std::string id = planned();
    Visit v = reload(id);
    EXPECT_EQ(v.status, "planned");
    EXPECT_EQ(v.rep, "lina");
    EXPECT_EQ(v.purpose, "季度回访");
    EXPECT_FALSE(v.checkedIn());

    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now, .lat = 39.9045, .lng = 116.4, .accuracy = 12.0}).ok());
    v = reload(id);
    EXPECT_EQ(v.status, "checked_in");
    EXPECT_EQ(v.checkinAt, m_now);
    EXPECT_EQ(v.checkinAccuracy, 12.0);
    ASSERT_TRUE(v.distanceM.has_value());
    EXPECT_NEAR(*v.distanceM, 500.378, 0.001);
    // 500.4 m is past the default 500 m radius: flagged, not refused.
    EXPECT_TRUE(v.far);
    EXPECT_EQ(v.flags(), std::vector<std::string>{"far"});
    // The same stored distance is within a 600 m radius.
    EXPECT_FALSE(findVisit(*m_r, id, 600).value().far);
}

TEST_F(Visits, DistanceFromTheCustomersLocation)
{
    EXPECT_NEAR(distanceFromCustomer(*m_r, m_shop, 39.9045, 116.4).value(), 500.378, 0.001);
    EXPECT_EQ(distanceFromCustomer(*m_r, "nope", 39.9, 116.4), std::nullopt);
    std::string unlocated = customer({.name = "无坐标"});
    EXPECT_EQ(distanceFromCustomer(*m_r, unlocated, 39.9, 116.4), std::nullopt);
}

TEST_F(Visits, CheckInWithinRadiusIsNotFlagged)
{
    std::string id = planned();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now, .lat = 39.9044, .lng = 116.4}).ok());
    Visit v = reload(id);
    EXPECT_NEAR(*v.distanceM, 489.26, 0.01);
    EXPECT_TRUE(v.flags().empty());
}

TEST_F(Visits, CheckInWithoutLocationIsAllowedAndMarked)
{
    std::string id = planned();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now}).ok());
    Visit v = reload(id);
    EXPECT_TRUE(v.noLocation);
    EXPECT_FALSE(v.distanceM.has_value());
    EXPECT_EQ(v.flags(), std::vector<std::string>{"no_location"});
}

TEST_F(Visits, CustomerWithoutLocationGivesNoDistance)
{
    std::string shop = customer({.name = "无坐标客户", .level = "C"});
    std::string id = planVisit(*m_r, {.customer = shop, .plannedAt = m_now}).value();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now, .lat = 39.9, .lng = 116.4}).ok());
    Visit v = reload(id);
    EXPECT_FALSE(v.distanceM.has_value());
    EXPECT_TRUE(v.flags().empty());
}

TEST_F(Visits, SecondCheckInIsRefusedAndChangesNothing)
{
    std::string id = planned();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now, .lat = 39.9, .lng = 116.4}).ok());
    size_t pending = m_r->pendingCount();
    auto again = checkIn(*m_r, id, {.at = m_now + 60'000, .lat = 39.95, .lng = 116.45});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(again.error().message, "visit " + id + " is already checked in; a check-in is written once");
    EXPECT_EQ(reload(id).checkinAt, m_now);
    EXPECT_EQ(reload(id).checkinLat, 39.9);
    EXPECT_EQ(m_r->pendingCount(), pending);
}

TEST_F(Visits, BadInputIsRefused)
{
    std::string id = planned();
    EXPECT_EQ(checkIn(*m_r, "nope", {.at = m_now}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(checkIn(*m_r, id, {.at = m_now, .lat = 39.9}).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checkIn(*m_r, id, {.at = m_now, .lat = 91.0, .lng = 116.4}).error().code, ErrorCode::InvalidArgument);
    EXPECT_FALSE(reload(id).checkedIn());
    EXPECT_EQ(planVisit(*m_r, {.customer = "nope", .plannedAt = m_now}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(planVisit(*m_r, {.customer = m_shop, .plannedAt = 0}).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checkOut(*m_r, id, {.at = m_now}).error().message, "visit " + id + " is not checked in yet: check in first");
}

TEST_F(Visits, CheckOutCompletesAndCreatesTheFollowUpTaskInOneTransaction)
{
    signIn("lina", "rep");
    std::string id = planned();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now, .lat = 39.9, .lng = 116.4}).ok());
    const int64_t followUp = beijing(2026, 11, 29, 9, 0);
    auto done = checkOut(*m_r, id,
                         {.at = m_now + 3'600'000, .outcome = "下单", .notes = "客户满意", .satisfaction = 4,
                          .orderAmount = 12800.5, .nextFollowUp = followUp});
    ASSERT_TRUE(done.ok()) << done.error().message;
    ASSERT_TRUE(done->taskId.has_value());
    Visit v = reload(id);
    EXPECT_EQ(v.status, "completed");
    EXPECT_EQ(v.checkoutAt, m_now + 3'600'000);
    EXPECT_EQ(v.satisfaction, 4);
    EXPECT_EQ(v.orderAmount, 12800.5);
    EXPECT_EQ(v.nextFollowUp, followUp);

    auto tasks = listTasks(*m_r, {});
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].id, *done->taskId);
    EXPECT_EQ(tasks[0].title, "回访 北京昭智教育");
    EXPECT_EQ(tasks[0].due, followUp);
    EXPECT_EQ(tasks[0].assignee, "lina");
    EXPECT_EQ(tasks[0].originVisit, id);
    EXPECT_EQ(tasks[0].status, "open");

    auto again = checkOut(*m_r, id, {.at = m_now + 7'200'000});
    EXPECT_EQ(again.error().message, "visit " + id + " is already completed");
}

TEST_F(Visits, FailedCheckOutWritesNeitherVisitNorTask)
{
    std::string id = planned();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = m_now}).ok());
    size_t pending = m_r->pendingCount();
    // A follow-up before the visit is refused before anything is written.
    auto bad = checkOut(*m_r, id, {.at = m_now, .nextFollowUp = m_now - 1});
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checkOut(*m_r, id, {.at = m_now, .satisfaction = 6}).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checkOut(*m_r, id, {.at = m_now - 1}).error().message, "check-out cannot be before the check-in");
    EXPECT_EQ(m_r->pendingCount(), pending);
    EXPECT_EQ(reload(id).status, "checked_in");
    EXPECT_TRUE(listTasks(*m_r, {}).empty());
}

TEST_F(Visits, RepCannotVoidManagerCanAndTheRecordStays)
{
    std::string id = visited(m_shop, m_now - 86'400'000);
    signIn("lina", "rep");
    auto refused = voidVisit(*m_r, id, "录错了");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);
    EXPECT_FALSE(reload(id).voided);

    signIn("wangqiang", "manager");
    EXPECT_EQ(voidVisit(*m_r, id, "  ").error().message, "voiding a visit needs a reason");
    ASSERT_TRUE(voidVisit(*m_r, id, "重复录入").ok());
    Visit v = reload(id);
    EXPECT_TRUE(v.voided);
    EXPECT_EQ(v.voidReason, "重复录入");
    EXPECT_EQ(v.status, "completed");
    EXPECT_EQ(v.flags(), (std::vector<std::string>{"no_location", "voided"}));
    EXPECT_EQ(voidVisit(*m_r, id, "again").error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(checkIn(*m_r, id, {.at = m_now}).error().code, ErrorCode::FailedPrecondition);
}

TEST_F(Visits, TimelineShowsEveryVisitLatestFirstWithFlags)
{
    std::string old = visited(m_shop, beijing(2026, 11, 1, 9));
    std::string mid = visited(m_shop, beijing(2026, 11, 10, 9));
    std::string plan = planned(beijing(2026, 11, 25, 9));
    std::string other = visited(customer({.name = "别的客户"}), beijing(2026, 11, 12, 9));
    signIn("wangqiang", "manager");
    ASSERT_TRUE(voidVisit(*m_r, mid, "测试数据").ok());
    ASSERT_TRUE(m_r->update("customer", m_shop, replica::Write().set("archived", true)).ok());

    auto timeline = visitTimeline(*m_r, m_shop, kDefaultCheckinRadiusM);
    ASSERT_EQ(timeline.size(), 3u);
    EXPECT_EQ(timeline[0].id, plan);
    EXPECT_EQ(timeline[1].id, mid);
    EXPECT_EQ(timeline[2].id, old);
    EXPECT_EQ(timeline[1].flags(), (std::vector<std::string>{"no_location", "voided", "customer_archived"}));
    EXPECT_EQ(timeline[2].flags(), (std::vector<std::string>{"no_location", "customer_archived"}));
    EXPECT_EQ(timeline[0].toJson()["flags"], nlohmann::json({"customer_archived"}));
    EXPECT_EQ(timeline[0].toJson()["customer_name"], "北京昭智教育");
    (void)other;
}

} // namespace
} // namespace fieldsync::domain::test
