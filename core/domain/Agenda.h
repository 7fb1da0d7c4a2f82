// Agenda: what a rep should do today, and which customers are due a visit.
//
// Visit cadence (Cadence.h) → due and overdue, counted in local calendar days
// (LocalTime): a customer of level L last visited on day d is *due* from day
// d + cadence(L) and *overdue* from the day after. The last visit is the
// latest check-in of a visit that is not voided. A customer with a level and
// no visit at all is overdue ("never visited"). Archived customers and
// customers without a level are never due.
//
// today = planned visits (not checked in, not voided) whose planned time is
// within today; open tasks due before the end of today (overdue ones first);
// key customers (level A or B) due or overdue for a visit.
// Whose: `who` filters planned visits by rep, tasks by assignee and customers
// by owner; empty means everything on this replica (a manager's view of the
// team, since a replica holds only the user's scope).
#pragma once

#include "domain/Tasks.h"
#include "domain/Visits.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

class LocalTime;

struct VisitDue {
    std::string customer, name, level, owner;
    int cadenceDays = 0;
    std::optional<int64_t> lastVisit;  // null: never visited
    std::optional<int> daysSince;      // local days since the last visit; null if never
    bool overdue = false;              // past the due day (or never visited)

    nlohmann::json toJson() const;
};

struct DueFilter {
    std::set<std::string> levels;  // empty: every level
    std::string owner;             // empty: every owner
    bool overdueOnly = false;      // false: due today or overdue
};

// Customers due or overdue for a visit, most overdue first (never visited
// first, then by days past due, then level, then name, then id).
std::vector<VisitDue> customersDue(replica::Replica& replica, const LocalTime& time, const DueFilter& filter);

struct Today {
    int64_t dayStart = 0, dayEnd = 0;
    std::vector<Visit> plannedVisits;  // by planned time
    std::vector<Task> tasks;           // open, due before dayEnd; overdue first
    std::vector<VisitDue> keyCustomers;

    nlohmann::json toJson(const LocalTime& time) const;
};

Today today(replica::Replica& replica, const LocalTime& time, const std::string& who);

} // namespace fieldsync::domain
