// Customers: the customer list as a rep or a manager asks for it — search
// (SearchIndex.h: full text, pinyin, initials, phone digits), filters, sort,
// and pages with the total — computed from the local replica, so it works
// offline. One call per keystroke: a query struct in, a page out (the Qt list
// model and `fieldsync customer list` call the same function).
//
// Rules (docs/domain.md "Customers"):
//  - archived customers are left out unless includeArchived;
//  - overdue: the customer's level has a cadence (Cadence.h, the acting
//    user's team) and its last visit — the latest check-in of its non-voided
//    visits — fell on a local calendar day more than that many days before
//    today (the same rule as Agenda.h's "today"), or it was never visited;
//    a customer without a level is never overdue;
//  - pool: no owner (the public pool, 公海);
//  - sort by name is pinyin order (ICU zh collation); by last visit puts
//    the longest-unvisited first (never visited first of all); by level A
//    first, no level last; ties always by name, then id, so pages are stable.
#pragma once

#include "base/Result.h"
#include "crdt/Hlc.h"
#include "domain/LocalTime.h"
#include "domain/SearchIndex.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

enum class CustomerSort { Name, LastVisit, Level };

std::optional<CustomerSort> customerSortFromString(std::string_view text);  // name | last-visit | level

struct CustomerQuery {
    std::string search;                  // what the user typed; empty: everybody
    std::optional<std::string> level;    // A | B | C | D
    std::optional<std::string> tag;
    std::optional<std::string> region;
    std::optional<std::string> stage;    // lifecycle: lead | first_purchase | repeat | loyal | churned
    std::optional<std::string> owner;    // user name
    bool poolOnly = false;               // no owner
    bool overdueOnly = false;
    bool includeArchived = false;
    CustomerSort sort = CustomerSort::Name;
    bool descending = false;
    int limit = 50;                      // 1..1000
    int offset = 0;
};

struct CustomerRow {
    std::string id, name;
    std::optional<std::string> phone, address, region, level, stage, owner;
    std::vector<std::string> tags;
    bool archived = false;
    std::optional<int64_t> lastVisit;  // ms; nullopt: never visited
    bool overdue = false;

    nlohmann::json toJson() const;
};

struct CustomerPage {
    std::vector<CustomerRow> rows;
    int64_t total = 0;  // rows matching the query, all pages
    int offset = 0;

    nlohmann::json toJson() const;
};

class Customers {
public:
    struct Options {
        crdt::TimeSource time = crdt::systemTimeSource();  // "now" for overdue
        // The zone whose calendar days "overdue" counts in (Agenda.h's rule:
        // overdue from the day after last visit + cadence); empty: the
        // device's. An unknown zone is a programming error (throws).
        std::string zone;
    };

    explicit Customers(replica::Replica& replica) : Customers(replica, Options{}) {}
    Customers(replica::Replica& replica, Options options);

    // InvalidArgument for an unknown level or stage, or a limit/offset out of range.
    Result<CustomerPage> list(const CustomerQuery& query);

    SearchIndex& index() { return m_index; }

private:
    replica::Replica& m_replica;
    Options m_options;
    LocalTime m_local;
    SearchIndex m_index;
};

} // namespace fieldsync::domain
