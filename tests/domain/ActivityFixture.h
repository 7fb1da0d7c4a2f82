// A replica at a fixed instant in a fixed zone (Asia/Shanghai, UTC+8, no
// DST), and small builders for customers and visits: the base of the visit,
// agenda, complaint, report and export tests.
#pragma once

#include "domain/LocalTime.h"
#include "replica/Replica.h"
#include "replica/SettingKeys.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

// The tests build inputs with designated initializers and leave the other
// members at their defaults on purpose; GCC 12's -Wextra flags every omitted
// member of such an initializer.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace fieldsync::domain::test {

// Milliseconds of a wall time in UTC+8.
inline int64_t beijing(int year, int month, int day, int hour = 0, int minute = 0)
{
    // Days from civil (proleptic Gregorian), then minus the +8 h offset.
    const int y = year - (month <= 2);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(day) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const int64_t days = int64_t{era} * 146097 + static_cast<int64_t>(doe) - 719468;
    return ((days * 24 + hour - 8) * 60 + minute) * 60'000;
}

struct CustomerSpec {
    std::string name;
    std::string level;
    std::optional<double> lat, lng, sales;
    std::string owner;
    std::string lifecycle;
    bool archived = false;
};

class ActivityTest : public ::testing::Test {
protected:
    // Sunday 2026-11-22 10:00 in Beijing.
    int64_t m_now = beijing(2026, 11, 22, 10, 0);
    std::unique_ptr<replica::Replica> m_r =
        replica::Replica::open(":memory:", {[this] { return m_now; }});
    LocalTime m_time = LocalTime::inZone("Asia/Shanghai", [this] { return m_now; }).value();

    void signIn(const std::string& user, const std::string& role, const std::string& team = "north")
    {
        m_r->setSetting(replica::settings::kUser, user);
        m_r->setSetting(replica::settings::kRole, role);
        m_r->setSetting(replica::settings::kTeam, team);
    }

    std::string customer(const CustomerSpec& c)
    {
        replica::Write w;
        w.set("name", c.name);
        if (!c.level.empty()) w.set("level", c.level);
        if (c.lat) w.set("lat", *c.lat);
        if (c.lng) w.set("lng", *c.lng);
        if (c.sales) w.set("annual_sales", *c.sales);
        if (!c.owner.empty()) w.set("owner", c.owner);
        if (!c.lifecycle.empty()) w.set("lifecycle", c.lifecycle);
        if (c.archived) w.set("archived", true);
        return m_r->create("customer", w).value();
    }

    // A completed visit checked in at `at` (what `visit log` writes).
    std::string visited(const std::string& customer, int64_t at, const std::string& rep = "lina",
                        std::optional<int> satisfaction = std::nullopt, std::optional<double> order = std::nullopt)
    {
        replica::Write w;
        w.set("customer", customer).set("checkin_at", at).set("status", std::string("completed"));
        if (!rep.empty()) w.set("rep", rep);
        if (satisfaction) w.set("satisfaction", int64_t{*satisfaction});
        if (order) w.set("order_amount", *order);
        return m_r->create("visit", w).value();
    }
};

} // namespace fieldsync::domain::test
