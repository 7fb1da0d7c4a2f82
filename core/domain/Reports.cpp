#include "domain/Reports.h"

#include "domain/ActivityRows.h"
#include "domain/Agenda.h"
#include "domain/Cadence.h"
#include "domain/Complaints.h"
#include "domain/LocalTime.h"
#include "replica/Replica.h"
#include "storage/Database.h"

#include <algorithm>
#include <set>

namespace fieldsync::domain {
namespace {

using nlohmann::json;

json optTime(const std::optional<int64_t>& t) { return t ? json(*t) : json(nullptr); }
json textJson(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

int levelOrder(const std::string& level)
{
    auto i = levelIndex(level);
    return i ? *i : 99;
}

} // namespace

json AbcRow::toJson() const
{
    return {{"customer", customer}, {"name", name},  {"level", textJson(level)}, {"sales", sales},
            {"share_before", shareBefore}, {"abc", std::string(1, abc)}};
}

std::vector<AbcRow> abcClassification(replica::Replica& replica, const AbcOptions& options)
{
    std::vector<AbcRow> out;
    double total = 0;
    for (const auto& [id, c] : rows::customers(replica.database())) {
        if (c.archived) continue;
        // Negative sales (returns exceeding purchases) count as none.
        double sales = std::max(0.0, c.annualSales.value_or(0.0));
        out.push_back({id, c.name, c.level, sales, 0.0, 'C'});
        total += sales;
    }
    std::sort(out.begin(), out.end(), [](const AbcRow& a, const AbcRow& b) {
        if (a.sales != b.sales) return a.sales > b.sales;
        if (a.name != b.name) return a.name < b.name;
        return a.customer < b.customer;
    });
    double before = 0;  // sales of customers strictly above the current tie group
    for (size_t i = 0; i < out.size();) {
        size_t j = i;
        double group = 0;
        while (j < out.size() && out[j].sales == out[i].sales) group += out[j++].sales;
        for (size_t k = i; k < j; ++k) {
            auto& row = out[k];
            row.shareBefore = total > 0 ? before / total : 0.0;
            if (row.sales <= 0) row.abc = 'C';
            else if (before < options.aShare * total) row.abc = 'A';
            else if (before < options.bShare * total) row.abc = 'B';
            else row.abc = 'C';
        }
        before += group;
        i = j;
    }
    return out;
}

json ChurnRisk::toJson() const
{
    return {{"customer", customer},         {"name", name},
            {"level", textJson(level)},     {"owner", textJson(owner)},
            {"reasons", reasons},           {"last_visit", optTime(lastVisit)},
            {"last_order", optTime(lastOrder)}, {"open_complaints", openComplaints},
            {"recent_satisfaction", recentSatisfaction}};
}

std::vector<ChurnRisk> churnRisks(replica::Replica& replica, const LocalTime& time, const ChurnOptions& options)
{
    const int64_t now = time.now();
    const int64_t inactiveSince = time.addDays(now, -options.inactiveDays);
    struct Facts {
        std::optional<int64_t> lastVisit, lastOrder;
        std::vector<std::pair<int64_t, int>> satisfaction;  // (check-in, score)
        int openComplaints = 0;
    };
    std::map<std::string, Facts> facts;
    auto& db = replica.database();
    {
        // Aggregates in SQL: one pass over the visits, no row objects.
        storage::Statement st(db, "SELECT customer, MAX(checkin_at), MAX(CASE WHEN order_amount > 0 THEN checkin_at END) "
                                  "FROM visit NOT INDEXED WHERE checkin_at IS NOT NULL AND COALESCE(voided, 0) = 0 GROUP BY customer");
        while (st.step()) {
            auto& f = facts[rows::text(st, 0)];
            f.lastVisit = rows::integer(st, 1);
            f.lastOrder = rows::integer(st, 2);
        }
        storage::Statement sat(db, "SELECT customer, checkin_at, satisfaction FROM visit WHERE satisfaction IS NOT NULL "
                                   "AND checkin_at IS NOT NULL AND COALESCE(voided, 0) = 0");
        while (sat.step())
            facts[rows::text(sat, 0)].satisfaction.emplace_back(sat.getInt(1), static_cast<int>(sat.getInt(2)));
        storage::Statement open(db, "SELECT customer, COUNT(*) FROM complaint WHERE COALESCE(voided, 0) = 0 "
                                    "AND COALESCE(status, '') != 'followed_up' GROUP BY customer");
        while (open.step()) facts[rows::text(open, 0)].openComplaints = static_cast<int>(open.getInt(1));
    }
    std::set<std::string> keyOverdue;
    DueFilter due;
    due.levels = {"A", "B"};
    due.overdueOnly = true;
    for (const auto& d : customersDue(replica, time, due)) keyOverdue.insert(d.customer);

    std::vector<ChurnRisk> out;
    for (const auto& [id, c] : rows::customers(replica.database())) {
        if (c.archived) continue;
        Facts& f = facts[id];
        ChurnRisk r{id, c.name, c.level, c.owner, {}, f.lastVisit, f.lastOrder, f.openComplaints, {}};
        std::sort(f.satisfaction.begin(), f.satisfaction.end());
        size_t n = f.satisfaction.size(), first = n > 3 ? n - 3 : 0;
        for (size_t i = first; i < n; ++i) r.recentSatisfaction.push_back(f.satisfaction[i].second);
        const auto& s = r.recentSatisfaction;
        if (!f.lastVisit || *f.lastVisit < inactiveSince) r.reasons.emplace_back("inactive");
        if (f.openComplaints > 0) r.reasons.emplace_back("open_complaint");
        bool falling = !s.empty() && (s.back() <= 2 || (s.size() == 3 && s[0] > s[1] && s[1] > s[2]));
        if (falling) r.reasons.emplace_back("falling_satisfaction");
        if (keyOverdue.count(id)) r.reasons.emplace_back("key_overdue");
        if (!r.reasons.empty()) out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const ChurnRisk& a, const ChurnRisk& b) {
        if (a.reasons.size() != b.reasons.size()) return a.reasons.size() > b.reasons.size();
        if (a.level != b.level) return levelOrder(a.level) < levelOrder(b.level);
        if (a.name != b.name) return a.name < b.name;
        return a.customer < b.customer;
    });
    return out;
}

json Coverage::toJson(const LocalTime& time) const
{
    return {{"month", time.dateText(monthStart).substr(0, 7)},
            {"key_customers", keyCustomers},
            {"visited", visited},
            {"share", share()},
            {"unvisited", unvisited}};
}

Coverage keyAccountCoverage(replica::Replica& replica, const LocalTime& time)
{
    Coverage cov;
    const int64_t now = time.now();
    cov.monthStart = time.startOfMonth(now);
    cov.monthEnd = time.startOfNextMonth(now);
    std::set<std::string> visitedIds;
    storage::Statement st(replica.database(), "SELECT DISTINCT customer FROM visit NOT INDEXED WHERE checkin_at >= ? "
                                              "AND checkin_at < ? AND COALESCE(voided, 0) = 0");
    st.bind(1, cov.monthStart).bind(2, cov.monthEnd);
    while (st.step()) visitedIds.insert(rows::text(st, 0));
    std::vector<std::pair<std::string, std::string>> unvisited;  // (name, id)
    for (const auto& [id, c] : rows::customers(replica.database())) {
        if (c.archived || c.level != "A") continue;
        ++cov.keyCustomers;
        if (visitedIds.count(id)) ++cov.visited;
        else unvisited.emplace_back(c.name, id);
    }
    std::sort(unvisited.begin(), unvisited.end());
    for (auto& [name, id] : unvisited) cov.unvisited.push_back(id);
    return cov;
}

std::vector<Visit> visitFeed(replica::Replica& replica, const FeedFilter& filter)
{
    std::vector<Visit> out;
    for (auto& v : visitsCheckedInBetween(replica, filter.from, filter.to, teamConfig(replica).checkinRadiusM)) {
        if (v.voided) continue;
        if (filter.rep && v.rep != *filter.rep) continue;
        if (filter.from && *v.checkinAt < *filter.from) continue;
        if (filter.to && *v.checkinAt >= *filter.to) continue;
        if (filter.outcome && v.outcome != *filter.outcome) continue;
        if (filter.flaggedOnly && !v.far && !v.noLocation) continue;
        if (filter.verdict && v.verdict != *filter.verdict) continue;
        out.push_back(std::move(v));
    }
    std::sort(out.begin(), out.end(), [](const Visit& a, const Visit& b) {
        return *a.checkinAt != *b.checkinAt ? *a.checkinAt > *b.checkinAt : a.id < b.id;
    });
    return out;
}

std::vector<RepVerdicts> verdictsPerRep(replica::Replica& replica, std::optional<int64_t> from, std::optional<int64_t> to)
{
    std::map<std::string, RepVerdicts> counts;
    for (const auto& v : visitsCheckedInBetween(replica, from, to, teamConfig(replica).checkinRadiusM)) {
        if (v.voided || !v.checkinAt) continue;
        auto& c = counts[v.rep];
        c.rep = v.rep;
        if (v.verdict == "verified") ++c.verified;
        else if (v.verdict == "suspicious") ++c.suspicious;
        else ++c.unverified;
    }
    std::vector<RepVerdicts> out;
    for (auto& [rep, c] : counts) out.push_back(std::move(c));
    return out;
}

std::vector<RepCount> visitsPerRep(replica::Replica& replica, const LocalTime& time, Period period,
                                   std::optional<int64_t> from, std::optional<int64_t> to)
{
    std::map<std::pair<std::string, std::string>, int> counts;
    storage::Statement st(replica.database(), "SELECT COALESCE(rep, ''), checkin_at FROM visit "
                                              "WHERE checkin_at IS NOT NULL AND COALESCE(voided, 0) = 0");
    while (st.step()) {
        const int64_t at = st.getInt(1);
        if ((from && at < *from) || (to && at >= *to)) continue;
        ++counts[{rows::text(st, 0), period == Period::Day ? time.dateText(at) : time.weekText(at)}];
    }
    std::vector<RepCount> out;
    for (const auto& [key, n] : counts) out.push_back({key.first, key.second, n});
    return out;
}

std::map<std::string, int> lifecycleCounts(replica::Replica& replica)
{
    std::map<std::string, int> out;
    const auto* field = replica.schema().entity("customer")->field("lifecycle");
    for (const auto& stage : field->options) out[stage] = 0;
    out["unknown"] = 0;
    for (const auto& [id, c] : rows::customers(replica.database()))
        if (!c.archived) ++out[c.lifecycle.empty() ? "unknown" : c.lifecycle];
    return out;
}

std::map<std::string, int> complaintStageCounts(replica::Replica& replica)
{
    std::map<std::string, int> out;
    for (const char* stage : kComplaintStages) out[stage] = 0;
    for (const auto& c : listComplaints(replica, false))
        if (!c.status.empty()) ++out[c.status];
    return out;
}

} // namespace fieldsync::domain
