#include "ActivityFixture.h"

#include "domain/Agenda.h"
#include "domain/Cadence.h"
#include "domain/Tasks.h"
#include "domain/Visits.h"

#include "protocol/ChangeRecord.h"
#include "schema/Schema.h"

namespace fieldsync::domain::test {
namespace {

using namespace std::string_literals;

std::vector<std::string> names(const std::vector<VisitDue>& due)
{
    std::vector<std::string> out;
    for (const auto& d : due) out.push_back(d.name);
    return out;
}

TEST(LocalTimeTest, BoundariesInBeijing)
{
    const int64_t t = beijing(2026, 11, 22, 0, 30);  // 2026-11-21 16:30 UTC
    auto time = LocalTime::inZone("Asia/Shanghai", [t] { return t; }).value();
    EXPECT_EQ(time.offsetAt(t), 8 * 3'600'000);
    EXPECT_EQ(time.startOfDay(t), beijing(2026, 11, 22));
    EXPECT_EQ(time.addDays(t, 1), beijing(2026, 11, 23));
    EXPECT_EQ(time.addDays(t, -22), beijing(2026, 10, 31));
    EXPECT_EQ(time.startOfWeek(t), beijing(2026, 11, 16));  // Monday
    EXPECT_EQ(time.startOfMonth(t), beijing(2026, 11, 1));
    EXPECT_EQ(time.startOfNextMonth(beijing(2026, 12, 31, 23, 59)), beijing(2027, 1, 1));
    EXPECT_EQ(time.dateText(t), "2026-11-22");
    EXPECT_EQ(time.dateTimeText(t), "2026-11-22 00:30");
    EXPECT_EQ(time.weekText(t), "2026-W47");
    EXPECT_EQ(time.weekText(beijing(2026, 11, 23)), "2026-W48");
    EXPECT_EQ(time.weekText(beijing(2027, 1, 1)), "2026-W53");  // a Friday: ISO year 2026
    EXPECT_EQ(time.daysBetween(beijing(2026, 11, 21, 23, 59), t), 1);
    EXPECT_EQ(time.parseDate("2026-11-22").value(), beijing(2026, 11, 22));
    EXPECT_EQ(time.parseDate("2026-02-30").error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(time.parseDate("22/11/2026").error().message, "expected a date YYYY-MM-DD, got '22/11/2026'");
}

TEST(LocalTimeTest, DaylightSavingDaysAreNot24Hours)
{
    auto ny = LocalTime::inZone("America/New_York", [] { return int64_t{0}; }).value();
    // 2026-03-08: clocks go from 02:00 to 03:00.
    const int64_t dayStart = ny.parseDate("2026-03-08").value();
    EXPECT_EQ(ny.addDays(dayStart, 1) - dayStart, 23 * 3'600'000);
    EXPECT_EQ(ny.dateText(dayStart), "2026-03-08");
    EXPECT_EQ(dayStart, 1772946000000);  // 05:00 UTC
}

TEST(LocalTimeTest, UnknownZoneIsRefused)
{
    auto bad = LocalTime::inZone("Mars/Olympus", [] { return int64_t{0}; });
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "unknown time zone 'Mars/Olympus'");
    EXPECT_TRUE(LocalTime::inZone("GMT+08:00", [] { return int64_t{0}; }).ok());
}

class Agenda : public ActivityTest {
protected:
    void SetUp() override
    {
        // Now: Sunday 2026-11-22 10:00 in Beijing.
        m_a1 = customer({.name = "A1", .level = "A", .owner = "lina"});
        visited(m_a1, beijing(2026, 11, 15, 9, 0));  // 7 days: due today
        m_a2 = customer({.name = "A2", .level = "A", .owner = "lina"});
        visited(m_a2, beijing(2026, 11, 14, 23, 30));  // 8 days: overdue by 1
        m_a3 = customer({.name = "A3", .level = "A", .owner = "lina"});
        // 00:10 in Beijing is still the 14th in UTC: 7 local days, due today.
        visited(m_a3, beijing(2026, 11, 15, 0, 10));
        m_a4 = customer({.name = "A4", .level = "A", .owner = "zhang"});
        visited(m_a4, beijing(2026, 11, 1, 9, 0));
        m_voided = visited(m_a4, beijing(2026, 11, 20, 9, 0));  // voided below: does not count
        m_b1 = customer({.name = "B1", .level = "B", .owner = "lina"});
        visited(m_b1, beijing(2026, 11, 9, 9, 0));  // 13 days of 14: not due
        m_b2 = customer({.name = "B2", .level = "B", .owner = "lina"});  // never visited
        m_c1 = customer({.name = "C1", .level = "C", .owner = "lina"});
        visited(m_c1, beijing(2026, 10, 22, 18, 0));  // 31 days of 30
        m_d1 = customer({.name = "D1", .level = "D", .owner = "lina"});
        visited(m_d1, beijing(2026, 8, 24, 8, 0));  // 90 days of 90: due today
        customer({.name = "archived A", .level = "A", .owner = "lina", .archived = true});
        customer({.name = "no level", .owner = "lina"});
        signIn("wangqiang", "manager");
        EXPECT_TRUE(voidVisit(*m_r, m_voided, "录错客户").ok());
    }

    std::string m_a1, m_a2, m_a3, m_a4, m_b1, m_b2, m_c1, m_d1, m_voided;
};

TEST_F(Agenda, DueAndOverduePerLevel)
{
    auto due = customersDue(*m_r, m_time, {});
    EXPECT_EQ(names(due), (std::vector<std::string>{"B2", "A4", "A2", "C1", "A1", "A3", "D1"}));
    EXPECT_FALSE(due[0].lastVisit.has_value());
    EXPECT_TRUE(due[0].overdue);
    EXPECT_EQ(due[1].daysSince, 21);
    EXPECT_EQ(due[1].cadenceDays, 7);
    EXPECT_EQ(due[2].daysSince, 8);
    EXPECT_EQ(due[3].daysSince, 31);
    EXPECT_EQ(due[3].cadenceDays, 30);
    EXPECT_EQ(due[5].daysSince, 7);
    EXPECT_FALSE(due[5].overdue);
    EXPECT_EQ(due[6].cadenceDays, 90);

    DueFilter overdue;
    overdue.overdueOnly = true;
    EXPECT_EQ(names(customersDue(*m_r, m_time, overdue)), (std::vector<std::string>{"B2", "A4", "A2", "C1"}));
    DueFilter key;
    key.levels = {"A", "B"};
    key.owner = "lina";
    EXPECT_EQ(names(customersDue(*m_r, m_time, key)), (std::vector<std::string>{"B2", "A2", "A1", "A3"}));
}

TEST_F(Agenda, OneDayLaterInBeijing)
{
    m_now = beijing(2026, 11, 23, 0, 5);  // still the 22nd in UTC
    DueFilter overdue;
    overdue.overdueOnly = true;
    EXPECT_EQ(names(customersDue(*m_r, m_time, overdue)),
              (std::vector<std::string>{"B2", "A4", "A2", "C1", "A1", "A3", "D1"}));
}

TEST_F(Agenda, TeamCadenceIsAManagersSetting)
{
    signIn("lina", "rep");
    TeamConfigChange change;
    ASSERT_TRUE(parseConfigAssignment("a=10", change).ok());
    ASSERT_TRUE(parseConfigAssignment("radius=300", change).ok());
    auto refused = setTeamConfig(*m_r, change);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);
    EXPECT_EQ(teamConfig(*m_r).cadenceDays, kDefaultCadenceDays);

    signIn("wangqiang", "manager");
    auto set = setTeamConfig(*m_r, change);
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->cadenceDays, (std::array<int, 4>{10, 14, 30, 90}));
    EXPECT_EQ(set->checkinRadiusM, 300.0);
    EXPECT_EQ(cadenceDays(*m_r, "A"), 10);
    EXPECT_EQ(cadenceDays(*m_r, ""), std::nullopt);
    // Another team's configuration is its own.
    EXPECT_EQ(teamConfig(*m_r, "south").cadenceDays, kDefaultCadenceDays);
    // A at 10 days: A1 (7), A2 (8), A3 (7) are no longer due; A4 (21) is.
    EXPECT_EQ(names(customersDue(*m_r, m_time, {})), (std::vector<std::string>{"B2", "A4", "C1", "D1"}));
}

TEST_F(Agenda, TeamConfigIsASyncedRowOfTheTeam)
{
    signIn("wangqiang", "manager");
    TeamConfigChange change;
    ASSERT_TRUE(parseConfigAssignment("A=10", change).ok());
    ASSERT_TRUE(setTeamConfig(*m_r, change).ok());
    // One row, its id derived from the team name, holding what was set.
    auto row = m_r->get("team_config", schema::teamConfigRowId("north"));
    ASSERT_TRUE(row.ok());
    EXPECT_EQ((*row)["team"], "north");
    EXPECT_EQ((*row)["cadence_a"], 10);
    EXPECT_TRUE((*row)["cadence_b"].is_null());
    EXPECT_EQ(m_r->list("team_config").size(), 1u);
    EXPECT_EQ(m_r->setting("team_config:north"), std::nullopt) << "not a device setting any more";
    TeamConfigChange more;
    ASSERT_TRUE(parseConfigAssignment("radius=300", more).ok());
    auto both = setTeamConfig(*m_r, more);
    ASSERT_TRUE(both.ok());
    EXPECT_EQ(both->cadenceDays, (std::array<int, 4>{10, 14, 30, 90}));
    EXPECT_EQ(both->checkinRadiusM, 300.0);
    EXPECT_TRUE(both->synced);
    EXPECT_EQ(m_r->list("team_config").size(), 1u) << "the second write updates the same row";

    // A rep's device of the team receives it (here: by bundle) and its
    // overdue list follows: A at 10 days, so A1 (7), A2 (8), A3 (7) are not due.
    auto rep = replica::Replica::open(":memory:", {[this] { return m_now; }});
    rep->setSetting(replica::settings::kUser, "lina"s);
    rep->setSetting(replica::settings::kRole, "rep"s);
    rep->setSetting(replica::settings::kTeam, "north"s);
    rep->importBundle(m_r->exportBundle());
    EXPECT_EQ(teamConfig(*rep).cadenceDays, (std::array<int, 4>{10, 14, 30, 90}));
    EXPECT_EQ(names(customersDue(*rep, m_time, {})), (std::vector<std::string>{"B2", "A4", "C1", "D1"}));
    // Another team's device reads its own team's configuration, not this one.
    rep->setSetting(replica::settings::kTeam, "south"s);
    EXPECT_EQ(teamConfig(*rep).cadenceDays, kDefaultCadenceDays);
    EXPECT_FALSE(teamConfig(*rep).synced);
}

TEST_F(Agenda, DeviceSettingIsTheFallbackUntilTheTeamRowArrives)
{
    // A device setting written by an earlier release: A 5, radius 800.
    m_r->setSetting("team_config:north", R"({"cadence":{"A":5,"B":20},"checkin_radius_m":800})"s);
    signIn("lina", "rep");
    TeamConfig before = teamConfig(*m_r);
    EXPECT_FALSE(before.synced);
    EXPECT_EQ(before.cadenceDays, (std::array<int, 4>{5, 20, 30, 90}));
    EXPECT_EQ(before.checkinRadiusM, 800.0);

    // The manager's row sets B and C only: those win, A and the radius keep
    // the device's values.
    auto manager = replica::Replica::open(":memory:", {[this] { return m_now; }});
    manager->setSetting(replica::settings::kUser, "wangqiang"s);
    manager->setSetting(replica::settings::kRole, "manager"s);
    manager->setSetting(replica::settings::kTeam, "north"s);
    TeamConfigChange change;
    ASSERT_TRUE(parseConfigAssignment("B=7", change).ok());
    ASSERT_TRUE(parseConfigAssignment("C=60", change).ok());
    ASSERT_TRUE(setTeamConfig(*manager, change).ok());
    m_r->importBundle(manager->exportBundle());
    TeamConfig after = teamConfig(*m_r);
    EXPECT_TRUE(after.synced);
    EXPECT_EQ(after.cadenceDays, (std::array<int, 4>{5, 7, 60, 90}));
    EXPECT_EQ(after.checkinRadiusM, 800.0);
}

TEST_F(Agenda, AUserInNoTeamKeepsADeviceSetting)
{
    signIn("boss", "admin", "");
    TeamConfigChange change;
    ASSERT_TRUE(parseConfigAssignment("D=60", change).ok());
    auto set = setTeamConfig(*m_r, change);
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->cadenceDays[3], 60);
    EXPECT_FALSE(set->synced);
    EXPECT_TRUE(m_r->list("team_config").empty()) << "no team: nothing to sync";
    EXPECT_EQ(teamConfig(*m_r).cadenceDays[3], 60);
}

TEST(TeamConfigRowId, StableDistinctAndAValidRowId)
{
    EXPECT_EQ(schema::teamConfigRowId("north"), schema::teamConfigRowId("north"));
    EXPECT_NE(schema::teamConfigRowId("north"), schema::teamConfigRowId("south"));
    EXPECT_NE(schema::teamConfigRowId("north"), schema::teamConfigRowId("North"));
    EXPECT_TRUE(protocol::isValidRowId(schema::teamConfigRowId("north")));
    EXPECT_TRUE(protocol::isValidRowId(schema::teamConfigRowId("")));
    EXPECT_TRUE(protocol::isValidRowId(schema::teamConfigRowId("华北一组")));
    // Fixed across builds and platforms (FNV-1a, checked by hand): devices and
    // the server compute it apart.
    EXPECT_EQ(schema::teamConfigRowId("north"), "0389cc3b-2705-8a82-b114-f9a413f4d491");
}

TEST_F(Agenda, ConfigAssignmentsAreChecked)
{
    TeamConfigChange change;
    EXPECT_EQ(parseConfigAssignment("E=5", change).error().message, "unknown level 'E' (A, B, C, D or radius)");
    EXPECT_EQ(parseConfigAssignment("A=0", change).error().message, "a visit cadence is 1..3650 days, not 0");
    EXPECT_EQ(parseConfigAssignment("A=seven", change).error().message,
              "cadence for A must be a whole number of days, got 'seven'");
    EXPECT_EQ(parseConfigAssignment("radius=-3", change).error().message, "the check-in radius is 1..100000 metres");
    EXPECT_FALSE(parseConfigAssignment("A", change).ok());
    EXPECT_FALSE(change.cadenceDays[0].has_value());
}

TEST_F(Agenda, TodayForARep)
{
    auto plan = [&](const std::string& c, int64_t at, const std::string& rep) {
        return planVisit(*m_r, {.customer = c, .plannedAt = at, .rep = rep}).value();
    };
    std::string early = plan(m_b1, beijing(2026, 11, 22, 0, 0), "lina");
    std::string afternoon = plan(m_a1, beijing(2026, 11, 22, 14, 0), "lina");
    plan(m_a1, beijing(2026, 11, 22, 15, 0), "zhang");   // someone else's
    plan(m_a1, beijing(2026, 11, 23, 0, 0), "lina");     // tomorrow
    plan(m_a1, beijing(2026, 11, 21, 23, 59), "lina");   // yesterday
    std::string done = plan(m_a2, beijing(2026, 11, 22, 9, 0), "lina");
    ASSERT_TRUE(checkIn(*m_r, done, {.at = m_now}).ok());  // checked in: no longer "planned"
    std::string dropped = plan(m_a2, beijing(2026, 11, 22, 16, 0), "lina");
    ASSERT_TRUE(voidVisit(*m_r, dropped, "客户改期").ok());

    auto task = [&](const std::string& title, int64_t due, const std::string& who) {
        return addTask(*m_r, {.customer = m_b2, .title = title, .due = due, .assignee = who}).value();
    };
    std::string overdueTask = task("寄样品", beijing(2026, 11, 20, 17, 0), "lina");
    std::string todayTask = task("打电话", beijing(2026, 11, 22, 18, 0), "lina");
    task("下周的事", beijing(2026, 11, 23, 0, 0), "lina");
    task("别人的", beijing(2026, 11, 22, 9, 0), "zhang");
    std::string finished = task("已完成", beijing(2026, 11, 21, 9, 0), "lina");
    ASSERT_TRUE(completeTask(*m_r, finished).ok());
    EXPECT_EQ(completeTask(*m_r, finished).error().message, "task " + finished + " is already done");

    Today t = today(*m_r, m_time, "lina");
    EXPECT_EQ(t.dayStart, beijing(2026, 11, 22));
    EXPECT_EQ(t.dayEnd, beijing(2026, 11, 23));
    ASSERT_EQ(t.plannedVisits.size(), 2u);
    EXPECT_EQ(t.plannedVisits[0].id, early);
    EXPECT_EQ(t.plannedVisits[1].id, afternoon);
    ASSERT_EQ(t.tasks.size(), 2u);
    EXPECT_EQ(t.tasks[0].id, overdueTask);
    EXPECT_EQ(t.tasks[1].id, todayTask);
    // A2 was checked in just now: no longer due.
    EXPECT_EQ(names(t.keyCustomers), (std::vector<std::string>{"B2", "A1", "A3"}));

    auto j = t.toJson(m_time);
    EXPECT_EQ(j["date"], "2026-11-22");
    EXPECT_EQ(j["tasks"][0]["overdue"], true);
    EXPECT_EQ(j["tasks"][1]["overdue"], false);
    EXPECT_EQ(j["key_customers_due"][0]["last_visit"], nullptr);

    // Everyone's day (a manager's view): zhang's planned visit and task too.
    Today all = today(*m_r, m_time, "");
    EXPECT_EQ(all.plannedVisits.size(), 3u);
    EXPECT_EQ(all.tasks.size(), 3u);
    EXPECT_EQ(names(all.keyCustomers), (std::vector<std::string>{"B2", "A4", "A1", "A3"}));
}

TEST_F(Agenda, TaskInputIsChecked)
{
    EXPECT_EQ(addTask(*m_r, {.customer = "nope", .title = "x"}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(addTask(*m_r, {.customer = m_a1, .title = " "}).error().message, "a task needs a title");
    EXPECT_EQ(completeTask(*m_r, "nope").error().code, ErrorCode::NotFound);
    signIn("lina", "rep");
    std::string id = addTask(*m_r, {.customer = m_a1, .title = "报价"}).value();
    auto tasks = listTasks(*m_r, {.assignee = "lina", .openOnly = true});
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0].id, id);
    EXPECT_FALSE(tasks[0].due.has_value());
    EXPECT_EQ(tasks[0].customerName, "A1");
}

} // namespace
} // namespace fieldsync::domain::test
