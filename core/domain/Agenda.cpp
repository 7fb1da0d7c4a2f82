#include "domain/Agenda.h"

#include "domain/ActivityRows.h"
#include "domain/Cadence.h"
#include "domain/LocalTime.h"
#include "replica/Replica.h"
#include "storage/Database.h"

#include <algorithm>
#include <map>

namespace fieldsync::domain {
namespace {

using nlohmann::json;

// Latest non-voided check-in per customer. NOT INDEXED: one sequential pass
// over the table beats walking the (customer, checkin_at) index with a row
// lookup per visit for `voided` (docs/benchmarks.md: coverage ran in half
// the time once its DISTINCT query stopped using that index).
std::map<std::string, int64_t> lastVisits(storage::Database& db)
{
    std::map<std::string, int64_t> out;
    storage::Statement st(db, "SELECT customer, MAX(checkin_at) FROM visit NOT INDEXED WHERE checkin_at IS NOT NULL "
                              "AND COALESCE(voided, 0) = 0 GROUP BY customer");
    while (st.step()) out[rows::text(st, 0)] = st.getInt(1);
    return out;
}

} // namespace

json VisitDue::toJson() const
{
    return {{"customer", customer},
            {"name", name},
            {"level", level},
            {"owner", owner.empty() ? json(nullptr) : json(owner)},
            {"cadence_days", cadenceDays},
            {"last_visit", lastVisit ? json(*lastVisit) : json(nullptr)},
            {"days_since", daysSince ? json(*daysSince) : json(nullptr)},
            {"overdue", overdue}};
}

std::vector<VisitDue> customersDue(replica::Replica& replica, const LocalTime& time, const DueFilter& filter)
{
    const TeamConfig config = teamConfig(replica);
    auto& db = replica.database();
    auto last = lastVisits(db);
    const int64_t now = time.now();
    std::vector<VisitDue> out;
    for (const auto& [id, c] : rows::customers(db)) {
        if (c.archived) continue;
        auto cadence = config.cadenceFor(c.level);
        if (!cadence) continue;
        if (!filter.levels.empty() && !filter.levels.count(c.level)) continue;
        if (!filter.owner.empty() && c.owner != filter.owner) continue;
        VisitDue d{id, c.name, c.level, c.owner, *cadence, std::nullopt, std::nullopt, true};
        if (auto it = last.find(id); it != last.end()) {
            d.lastVisit = it->second;
            d.daysSince = time.daysBetween(it->second, now);
            d.overdue = *d.daysSince > *cadence;
            if (*d.daysSince < *cadence) continue;
        }
        if (filter.overdueOnly && !d.overdue) continue;
        out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(), [](const VisitDue& a, const VisitDue& b) {
        if (a.daysSince.has_value() != b.daysSince.has_value()) return !a.daysSince.has_value();
        int pa = a.daysSince ? *a.daysSince - a.cadenceDays : 0, pb = b.daysSince ? *b.daysSince - b.cadenceDays : 0;
        if (pa != pb) return pa > pb;
        if (a.level != b.level) return a.level < b.level;
        if (a.name != b.name) return a.name < b.name;
        return a.customer < b.customer;
    });
    return out;
}

Today today(replica::Replica& replica, const LocalTime& time, const std::string& who)
{
    Today t;
    const int64_t now = time.now();
    t.dayStart = time.startOfDay(now);
    t.dayEnd = time.addDays(now, 1);
    const double radius = teamConfig(replica).checkinRadiusM;
    for (auto& v : visitsPlannedBetween(replica, t.dayStart, t.dayEnd, radius)) {
        if (v.voided || v.customerArchived) continue;
        if (!who.empty() && v.rep != who) continue;
        t.plannedVisits.push_back(std::move(v));
    }
    std::sort(t.plannedVisits.begin(), t.plannedVisits.end(), [](const Visit& a, const Visit& b) {
        return *a.plannedAt != *b.plannedAt ? *a.plannedAt < *b.plannedAt : a.id < b.id;
    });
    TaskFilter filter;
    filter.openOnly = true;
    if (!who.empty()) filter.assignee = who;
    filter.dueBefore = t.dayEnd;
    t.tasks = listTasks(replica, filter);  // sorted by due
    DueFilter due;
    due.levels = {"A", "B"};
    due.owner = who;
    t.keyCustomers = customersDue(replica, time, due);
    return t;
}

json Today::toJson(const LocalTime& time) const
{
    json visits = json::array(), tasksJson = json::array(), customers = json::array();
    for (const auto& v : plannedVisits) visits.push_back(v.toJson());
    for (const auto& task : tasks) {
        json j = task.toJson();
        j["overdue"] = task.due && *task.due < dayStart;
        tasksJson.push_back(std::move(j));
    }
    for (const auto& c : keyCustomers) customers.push_back(c.toJson());
    return {{"date", time.dateText(dayStart)},
            {"planned_visits", visits},
            {"tasks", tasksJson},
            {"key_customers_due", customers}};
}

} // namespace fieldsync::domain
