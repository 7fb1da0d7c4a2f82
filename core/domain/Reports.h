// Reports: the analysis a manager (or a rep, over their own customers) reads
// from the local replica, offline. Voided visits and voided complaints count
// nowhere; archived customers are left out of every customer-based report.
//
// ABC classification (by annual_sales; null counts as 0):
//   Customers sorted by sales descending. For each customer, `before` is the
//   summed sales of all customers with strictly higher sales (so tied
//   customers always share a class). Class A if before < 75 % of the total,
//   else B if before < 95 %, else C. A customer with zero sales is always C,
//   and so is everyone when the total is zero. A single customer with sales
//   is A. Shown beside the manually set level.
//
// Churn risk (流失预警): one entry per customer with at least one reason:
//   inactive              no visit (non-voided check-in) in the last N days
//                         (default 60), or never visited; orders are recorded
//                         on visits, so this is also "no order"
//   open_complaint        at least one open complaint
//   falling_satisfaction  the latest satisfaction is <= 2, or the last three
//                         scores (by check-in time) strictly decrease
//   key_overdue           level A or B and overdue for a visit (Agenda.h)
//
// Coverage: the share of level-A customers with a non-voided check-in in the
// current local month. Feed: check-ins of the team, latest first, filtered.
// Visits per rep: non-voided check-ins counted per rep per local day or ISO
// week.
#pragma once

#include "domain/Visits.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

class LocalTime;

struct AbcRow {
    std::string customer, name, level;  // level: the manually set one
    double sales = 0;
    double shareBefore = 0;  // cumulative share of the customers above it, 0..1
    char abc = 'C';

    nlohmann::json toJson() const;
};

// Thresholds as fractions of the total.
struct AbcOptions {
    double aShare = 0.75;
    double bShare = 0.95;
};
// Sorted by sales descending, then name, then id.
std::vector<AbcRow> abcClassification(replica::Replica& replica, const AbcOptions& options = {});

struct ChurnRisk {
    std::string customer, name, level, owner;
    std::vector<std::string> reasons;  // in the order listed above
    std::optional<int64_t> lastVisit;
    std::optional<int64_t> lastOrder;  // latest visit with order_amount > 0
    int openComplaints = 0;
    std::vector<int> recentSatisfaction;  // up to the last three, oldest first

    nlohmann::json toJson() const;
};

struct ChurnOptions {
    int inactiveDays = 60;
};
// Most reasons first, then level, then name, then id.
std::vector<ChurnRisk> churnRisks(replica::Replica& replica, const LocalTime& time, const ChurnOptions& options = {});

struct Coverage {
    int64_t monthStart = 0, monthEnd = 0;
    int keyCustomers = 0;
    int visited = 0;
    std::vector<std::string> unvisited;  // customer ids, by name

    double share() const { return keyCustomers ? static_cast<double>(visited) / keyCustomers : 0.0; }
    nlohmann::json toJson(const LocalTime& time) const;
};
Coverage keyAccountCoverage(replica::Replica& replica, const LocalTime& time);

struct FeedFilter {
    std::optional<std::string> rep;
    std::optional<int64_t> from, to;  // check-in time in [from, to)
    std::optional<std::string> outcome;
    bool flaggedOnly = false;  // far or without a location
    std::optional<std::string> verdict;  // verified, unverified, suspicious (the server's or provisional)
};
// Checked-in, non-voided visits, latest check-in first.
std::vector<Visit> visitFeed(replica::Replica& replica, const FeedFilter& filter);

// Check-ins per rep by verdict (server's or provisional), non-voided,
// checked in within [from, to); sorted by rep ("" for none).
struct RepVerdicts {
    std::string rep;
    int verified = 0, unverified = 0, suspicious = 0;
};
std::vector<RepVerdicts> verdictsPerRep(replica::Replica& replica, std::optional<int64_t> from = std::nullopt,
                                        std::optional<int64_t> to = std::nullopt);

enum class Period { Day, Week };
struct RepCount {
    std::string rep;     // "" for visits without a rep
    std::string period;  // "2026-11-22" or "2026-W47"
    int visits = 0;
};
// Sorted by rep, then period. `from`/`to` bound the check-in time.
std::vector<RepCount> visitsPerRep(replica::Replica& replica, const LocalTime& time, Period period,
                                   std::optional<int64_t> from = std::nullopt, std::optional<int64_t> to = std::nullopt);

// Non-archived customers per lifecycle stage ("unknown" for none), and
// non-voided complaints per stage; every known stage is present (0 if none).
std::map<std::string, int> lifecycleCounts(replica::Replica& replica);
std::map<std::string, int> complaintStageCounts(replica::Replica& replica);

} // namespace fieldsync::domain
