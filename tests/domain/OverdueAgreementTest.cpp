// "Overdue" means one thing everywhere: the customer list's filter and the
// agenda ("today") count local calendar days (Agenda.h): a customer of level
// L last visited on day d is due on day d + cadence(L) and overdue from the
// day after. A visit 7 days and 1 hour ago, but on the calendar day exactly 7
// days back, is due today — not yet overdue — for an A customer.
#include "domain/Agenda.h"
#include "domain/Customers.h"
#include "domain/LocalTime.h"

#include "replica/Replica.h"
#include "replica/SettingKeys.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace fieldsync::domain {
namespace {

using replica::Write;
using namespace std::string_literals;

constexpr int64_t kHour = 3600'000;
constexpr int64_t kDay = 24 * kHour;
// 2026-11-22 09:00 in Beijing (UTC+8) = 01:00 UTC.
constexpr int64_t kNow = 1'795'305'600'000 + 1 * kHour;

TEST(OverdueAgreement, TheCustomerListAndTheAgendaCountTheSameCalendarDays)
{
    int64_t now = kNow;
    auto r = replica::Replica::open(":memory:", replica::Replica::Options{.time = [&] { return now; }});
    r->setSetting(replica::settings::kUser, "lina"s);
    r->setSetting(replica::settings::kRole, "rep"s);
    // Level A (7 days). Last check-in, in Beijing time:
    std::map<std::string, int64_t> lastVisit = {
        {"seven-days-one-hour", kNow - 7 * kDay - 1 * kHour},  // 11-15 08:00: due today, not overdue
        {"seven-days-and-a-night", kNow - 7 * kDay - 10 * kHour},  // 11-14 23:00: overdue
        {"six-days-ago-late", kNow - 6 * kDay - 10 * kHour},       // 11-15 23:00: due today
        {"yesterday", kNow - 1 * kDay},
    };
    std::map<std::string, std::string> nameOf;
    for (const auto& [name, at] : lastVisit) {
        auto c = r->create("customer", Write().set("name", name).set("level", "A"s).set("owner", "lina"s));
        ASSERT_TRUE(c.ok()) << c.error().message;
        nameOf[*c] = name;
        ASSERT_TRUE(r->create("visit", Write().set("customer", *c).set("rep", "lina"s).set("checkin_at", at)
                                           .set("status", "completed"s)).ok());
    }
    auto never = r->create("customer", Write().set("name", "never"s).set("level", "A"s).set("owner", "lina"s));
    ASSERT_TRUE(never.ok());
    nameOf[*never] = "never";

    auto zone = LocalTime::inZone("Asia/Shanghai", [&] { return now; });
    ASSERT_TRUE(zone.ok()) << zone.error().message;
    std::set<std::string> agenda;
    for (const auto& due : customersDue(*r, *zone, DueFilter{.levels = {}, .owner = {}, .overdueOnly = true})) agenda.insert(nameOf.at(due.customer));

    Customers customers(*r, Customers::Options{.time = [&] { return now; }, .zone = "Asia/Shanghai"});
    CustomerQuery q;
    q.overdueOnly = true;
    q.limit = 50;
    auto page = customers.list(q);
    ASSERT_TRUE(page.ok()) << page.error().message;
    std::set<std::string> listed;
    for (const auto& row : page->rows) listed.insert(row.name);

    const std::set<std::string> expected = {"seven-days-and-a-night", "never"};
    EXPECT_EQ(agenda, expected);
    EXPECT_EQ(listed, expected);
}

} // namespace
} // namespace fieldsync::domain
