// The field-work commands over the CRM domain (core/domain): visit
// plan/checkin/checkout/void, task done, complaint add/move/list, today,
// report, export and config cadence. Every rule (who may void, forward-only
// stages, write-once check-ins) lives in the domain, which the app calls too;
// this file parses, prints and maps errors to exit codes.
//
// Time: listings and reports use the device's local zone (TZ) through
// domain::LocalTime; `--as-of TIME` evaluates today and the reports as if
// it were that instant (a month-end report, or a fixed day in tests).
#include "CliError.h"
#include "Commands.h"
#include "Output.h"

#include "domain/Actor.h"
#include "domain/Agenda.h"
#include "domain/Cadence.h"
#include "domain/Complaints.h"
#include "domain/Export.h"
#include "domain/LocalTime.h"
#include "domain/Reports.h"
#include "domain/Tasks.h"
#include "domain/Visits.h"
#include "evidence/Verification.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace fieldsync::cli {
namespace {

using nlohmann::json;

const schema::EntityDef& entity(std::string_view name) { return *schema::fieldsyncSchema().entity(name); }

// A TIME option read like FIELD=VALUE times: ISO 8601 or milliseconds.
std::optional<int64_t> timeOption(Context& ctx, const char* option)
{
    auto text = ctx.value(option);
    if (!text) return std::nullopt;
    const auto& visit = entity("visit");
    crdt::Value v = unwrap(schema::parseValue(visit, *visit.field("planned_at"), *text));
    if (crdt::isNull(v)) ctx.usageError("--" + std::string(option) + " needs a time");
    return std::get<int64_t>(v);
}

std::optional<double> numberOption(Context& ctx, const char* option)
{
    auto text = ctx.value(option);
    if (!text) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || text->empty() || !std::isfinite(v))
        ctx.usageError("--" + std::string(option) + " must be a number, got \"" + *text + "\"");
    return v;
}

std::optional<int> intOption(Context& ctx, const char* option)
{
    auto text = ctx.value(option);
    if (!text) return std::nullopt;
    int v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || text->empty())
        ctx.usageError("--" + std::string(option) + " must be a whole number, got \"" + *text + "\"");
    return v;
}

domain::LocalTime localTime(Context& ctx)
{
    domain::LocalTime system = domain::LocalTime::system();
    auto asOf = timeOption(ctx, "as-of");
    if (!asOf) return system;
    const int64_t fixed = *asOf;
    return unwrap(domain::LocalTime::inZone(system.zone(), [fixed] { return fixed; }));
}

// --from D / --to D: local dates, both days included.
domain::ExportRange dateRange(Context& ctx, const domain::LocalTime& time)
{
    domain::ExportRange range;
    if (auto from = ctx.value("from")) range.from = unwrap(time.parseDate(*from));
    if (auto to = ctx.value("to")) range.to = time.addDays(unwrap(time.parseDate(*to)), 1);
    if (range.from && range.to && *range.from >= *range.to) ctx.usageError("--from is after --to");
    return range;
}

std::string orDash(const std::string& s) { return s.empty() ? "-" : s; }

std::string timeText(const domain::LocalTime& time, const std::optional<int64_t>& t)
{
    return t ? time.dateTimeText(*t) : "-";
}

std::string metres(const std::optional<double>& m)
{
    if (!m) return "-";
    // Whole metres in listings; one decimal when it tells a flagged 500.4 m
    // from a radius of 500 m.
    char buf[32];
    std::snprintf(buf, sizeof buf, *m == std::round(*m) || *m >= 1000 ? "%.0f m" : "%.1f m", *m);
    return buf;
}

std::string flagsText(const domain::Visit& v)
{
    std::string out;
    for (auto f : v.flags()) {
        for (auto& c : f)
            if (c == '_') c = ' ';
        if (f == "far") f = "far check-in";
        out += (out.empty() ? "" : ", ") + f;
    }
    return out;
}

// "suspicious: far, short stay" — the server's verdict, or the device's own
// until the server's arrives ("(provisional)").
std::string verdictText(const domain::Visit& v)
{
    if (v.verdict.empty()) return "-";
    std::string out = v.verdict;
    std::string reasons;
    for (auto r : v.verdictReasons) {
        for (auto& c : r)
            if (c == '_') c = ' ';
        reasons += (reasons.empty() ? "" : ", ") + r;
    }
    if (!reasons.empty()) out += ": " + reasons;
    if (v.verdictProvisional) out += " (provisional)";
    return out;
}

void printId(Context& ctx, const std::string& id)
{
    if (ctx.json()) printJson(ctx.out(), json{{"id", id}});
    else ctx.out() << id << '\n';
}

// ---------------------------------------------------------------- visits

void planVisit(Context& ctx)
{
    auto customer = ctx.value("customer");
    if (!customer) ctx.usageError("missing --customer ID");
    auto at = timeOption(ctx, "at");
    if (!at) ctx.usageError("missing --at TIME (when the visit is planned)");
    domain::VisitPlan plan;
    plan.customer = *customer;
    plan.plannedAt = *at;
    plan.purpose = ctx.value("purpose").value_or("");
    plan.kind = ctx.value("kind").value_or("visit");
    plan.rep = ctx.value("rep").value_or("");
    printId(ctx, unwrap(domain::planVisit(ctx.replica(), plan)));
}

void checkInVisit(Context& ctx)
{
    auto& r = ctx.replica();
    const std::string& id = ctx.operands()[0];
    domain::CheckIn in;
    in.at = timeOption(ctx, "at").value_or(r.clock().physicalMillis());
    in.lat = numberOption(ctx, "lat");
    in.lng = numberOption(ctx, "lng");
    in.accuracy = numberOption(ctx, "accuracy");
    check(domain::checkIn(r, id, in));
    const double radius = domain::teamConfig(r).checkinRadiusM;
    domain::Visit v = *domain::findVisit(r, id, radius);
    if (ctx.json()) {
        printJson(ctx.out(), v.toJson());
        return;
    }
    ctx.out() << "checked in";
    if (v.distanceM) ctx.out() << ", " << metres(v.distanceM) << " from the customer";
    if (v.far) ctx.out() << " (farther than " << metres(radius) << ": flagged)";
    if (v.noLocation) ctx.out() << " without a location (flagged)";
    ctx.out() << "\ncheck-in " << verdictText(v) << '\n';
}

void checkOutVisit(Context& ctx)
{
    domain::CheckOut out;
    auto& r = ctx.replica();
    out.at = timeOption(ctx, "at").value_or(r.clock().physicalMillis());
    out.lat = numberOption(ctx, "lat");
    out.lng = numberOption(ctx, "lng");
    out.outcome = ctx.value("outcome");
    out.notes = ctx.value("notes");
    out.satisfaction = intOption(ctx, "satisfaction");
    out.orderAmount = numberOption(ctx, "order");
    out.nextFollowUp = timeOption(ctx, "next");
    out.followUpTitle = ctx.value("task-title").value_or("");
    if (!out.nextFollowUp && ctx.value("task-title")) ctx.usageError("--task-title needs --next TIME");
    auto done = unwrap(domain::checkOut(r, ctx.operands()[0], out));
    if (ctx.json()) printJson(ctx.out(), json{{"task", done.taskId ? json(*done.taskId) : json(nullptr)}});
    else if (done.taskId) ctx.out() << "completed; follow-up task " << *done.taskId << '\n';
    else ctx.out() << "completed\n";
}

void voidVisit(Context& ctx)
{
    auto reason = ctx.value("reason");
    if (!reason) ctx.usageError("missing --reason TEXT (why the visit is voided)");
    check(domain::voidVisit(ctx.replica(), ctx.operands()[0], *reason));
}

// ---------------------------------------------------------------- tasks

void taskDone(Context& ctx) { check(domain::completeTask(ctx.replica(), ctx.operands()[0])); }

// ---------------------------------------------------------------- complaints

void addComplaint(Context& ctx)
{
    auto customer = ctx.value("customer");
    if (!customer) ctx.usageError("missing --customer ID");
    auto& r = ctx.replica();
    domain::NewComplaint c;
    c.customer = *customer;
    c.receivedAt = timeOption(ctx, "at").value_or(r.clock().physicalMillis());
    c.channel = ctx.value("channel").value_or("");
    c.severity = ctx.value("severity").value_or("");
    c.description = ctx.value("description").value_or("");
    c.handler = ctx.value("handler").value_or("");
    printId(ctx, unwrap(domain::addComplaint(r, c)));
}

void moveComplaint(Context& ctx)
{
    domain::ComplaintMove move;
    move.stage = ctx.operands()[1];
    move.resolution = ctx.value("resolution");
    move.handler = ctx.value("handler");
    move.satisfactionAfter = intOption(ctx, "satisfaction");
    check(domain::moveComplaint(ctx.replica(), ctx.operands()[0], move));
}

void listComplaints(Context& ctx)
{
    auto& r = ctx.replica();
    auto time = localTime(ctx);
    const bool openOnly = ctx.flag("open");
    std::vector<domain::OpenComplaint> rows;
    if (openOnly) rows = domain::openComplaintsByAge(r, time);
    else
        for (auto& c : domain::listComplaints(r, false)) {
            int age = c.receivedAt ? time.daysBetween(*c.receivedAt, time.now()) : 0;
            rows.push_back({std::move(c), age});
        }
    if (ctx.json()) {
        json out = json::array();
        for (const auto& row : rows) {
            json j = row.complaint.toJson();
            j["age_days"] = row.ageDays;
            out.push_back(std::move(j));
        }
        printJson(ctx.out(), out);
        return;
    }
    if (rows.empty()) {
        ctx.out() << (openOnly ? "no open complaints\n" : "no complaints\n");
        return;
    }
    Table t({"ID", "CUSTOMER", "RECEIVED", "AGE", "SEVERITY", "STATUS", "HANDLER"});
    for (const auto& row : rows) {
        const auto& c = row.complaint;
        t.addRow({c.id, orDash(c.customerName), timeText(time, c.receivedAt), std::to_string(row.ageDays) + " d",
                  orDash(c.severity), orDash(c.status), orDash(c.handler)});
    }
    t.print(ctx.out());
}

// ---------------------------------------------------------------- today

void today(Context& ctx)
{
    auto& r = ctx.replica();
    auto time = localTime(ctx);
    domain::Actor actor = domain::Actor::of(r);
    // A rep's day is their own; a manager (or nobody signed in) sees everyone's.
    std::string who = ctx.value("rep").value_or(actor.signedIn() && !actor.isManager() ? actor.user : "");
    domain::Today t = domain::today(r, time, who);
    if (ctx.json()) {
        printJson(ctx.out(), t.toJson(time));
        return;
    }
    ctx.out() << "Today " << time.dateText(t.dayStart) << (who.empty() ? "" : " for " + who) << "\n\n";
    ctx.out() << "Planned visits (" << t.plannedVisits.size() << ")\n";
    if (!t.plannedVisits.empty()) {
        Table table({"ID", "TIME", "CUSTOMER", "REP", "PURPOSE"});
        for (const auto& v : t.plannedVisits)
            table.addRow({v.id, time.dateTimeText(*v.plannedAt).substr(11), orDash(v.customerName), orDash(v.rep),
                          orDash(v.purpose)});
        table.print(ctx.out());
    }
    ctx.out() << "\nTasks due (" << t.tasks.size() << ")\n";
    if (!t.tasks.empty()) {
        Table table({"ID", "DUE", "CUSTOMER", "TITLE", "ASSIGNEE"});
        for (const auto& task : t.tasks)
            table.addRow({task.id, timeText(time, task.due) + (*task.due < t.dayStart ? " (overdue)" : ""),
                          orDash(task.customerName), task.title, orDash(task.assignee)});
        table.print(ctx.out());
    }
    ctx.out() << "\nKey customers due a visit (" << t.keyCustomers.size() << ")\n";
    if (!t.keyCustomers.empty()) {
        Table table({"ID", "NAME", "LEVEL", "LAST VISIT", "DAYS", "CADENCE"});
        for (const auto& c : t.keyCustomers)
            table.addRow({c.customer, c.name, c.level, c.lastVisit ? time.dateText(*c.lastVisit) : "never",
                          c.daysSince ? std::to_string(*c.daysSince) : "-", std::to_string(c.cadenceDays) + " d"});
        table.print(ctx.out());
    }
}

// ---------------------------------------------------------------- reports

void reportAbc(Context& ctx)
{
    auto rows = domain::abcClassification(ctx.replica());
    if (ctx.json()) {
        json out = json::array();
        for (const auto& r : rows) out.push_back(r.toJson());
        printJson(ctx.out(), out);
        return;
    }
    if (rows.empty()) {
        ctx.out() << "no customers\n";
        return;
    }
    Table t({"ID", "NAME", "SALES", "CUM. BEFORE", "ABC", "LEVEL"});
    for (const auto& r : rows) {
        char sales[32], share[16];
        std::snprintf(sales, sizeof sales, "%.2f", r.sales);
        std::snprintf(share, sizeof share, "%.1f %%", r.shareBefore * 100);
        t.addRow({r.customer, r.name, sales, share, std::string(1, r.abc), orDash(r.level)});
    }
    t.print(ctx.out());
}

void reportChurn(Context& ctx)
{
    auto time = localTime(ctx);
    domain::ChurnOptions options;
    if (auto days = intOption(ctx, "days")) {
        if (*days < 1) ctx.usageError("--days must be at least 1");
        options.inactiveDays = *days;
    }
    auto risks = domain::churnRisks(ctx.replica(), time, options);
    if (ctx.json()) {
        json out = json::array();
        for (const auto& r : risks) out.push_back(r.toJson());
        printJson(ctx.out(), out);
        return;
    }
    if (risks.empty()) {
        ctx.out() << "no customers at risk\n";
        return;
    }
    Table t({"ID", "NAME", "LEVEL", "LAST VISIT", "REASONS"});
    t.setMaxCellWidth(60);
    for (const auto& r : risks) {
        std::string reasons;
        for (const auto& reason : r.reasons) reasons += (reasons.empty() ? "" : ", ") + reason;
        t.addRow({r.customer, r.name, orDash(r.level), r.lastVisit ? time.dateText(*r.lastVisit) : "never", reasons});
    }
    t.print(ctx.out());
}

void reportCoverage(Context& ctx)
{
    auto time = localTime(ctx);
    auto& r = ctx.replica();
    auto cov = domain::keyAccountCoverage(r, time);
    if (ctx.json()) {
        printJson(ctx.out(), cov.toJson(time));
        return;
    }
    char share[16];
    std::snprintf(share, sizeof share, "%.1f %%", cov.share() * 100);
    printPairs(ctx.out(), {{"month", time.dateText(cov.monthStart).substr(0, 7)},
                           {"A customers", std::to_string(cov.keyCustomers)},
                           {"visited", std::to_string(cov.visited)},
                           {"coverage", share}});
    if (!cov.unvisited.empty()) {
        ctx.out() << "\nNot visited this month\n";
        Table t({"ID", "NAME"});
        for (const auto& id : cov.unvisited) {
            auto row = r.get("customer", id);
            t.addRow({id, row ? (*row)["name"].get<std::string>() : "-"});
        }
        t.print(ctx.out());
    }
}

void reportFeed(Context& ctx)
{
    auto time = localTime(ctx);
    auto range = dateRange(ctx, time);
    domain::FeedFilter filter;
    filter.rep = ctx.value("rep");
    filter.from = range.from;
    filter.to = range.to;
    filter.outcome = ctx.value("outcome");
    filter.flaggedOnly = ctx.flag("flagged");
    filter.verdict = ctx.value("verdict");
    if (filter.verdict && !evidence::verdictFromName(*filter.verdict))
        ctx.usageError("--verdict is verified, unverified or suspicious, not \"" + *filter.verdict + "\"");
    auto visits = domain::visitFeed(ctx.replica(), filter);
    if (ctx.json()) {
        json out = json::array();
        for (const auto& v : visits) out.push_back(v.toJson());
        printJson(ctx.out(), out);
        return;
    }
    if (visits.empty()) {
        ctx.out() << "no visits\n";
        return;
    }
    Table t({"CHECK-IN", "REP", "CUSTOMER", "OUTCOME", "DISTANCE", "FLAGS", "VERDICT", "ID"});
    for (const auto& v : visits)
        t.addRow({time.dateTimeText(*v.checkinAt), orDash(v.rep), orDash(v.customerName), orDash(v.outcome),
                  metres(v.distanceM), flagsText(v), verdictText(v), v.id});
    t.print(ctx.out());
}

void reportVerdicts(Context& ctx)
{
    auto time = localTime(ctx);
    auto range = dateRange(ctx, time);
    auto rows = domain::verdictsPerRep(ctx.replica(), range.from, range.to);
    if (ctx.json()) {
        json out = json::array();
        for (const auto& r : rows)
            out.push_back({{"rep", r.rep}, {"verified", r.verified}, {"unverified", r.unverified},
                           {"suspicious", r.suspicious}});
        printJson(ctx.out(), out);
        return;
    }
    if (rows.empty()) {
        ctx.out() << "no check-ins\n";
        return;
    }
    Table t({"REP", "VERIFIED", "UNVERIFIED", "SUSPICIOUS"});
    for (const auto& r : rows)
        t.addRow({orDash(r.rep), std::to_string(r.verified), std::to_string(r.unverified), std::to_string(r.suspicious)});
    t.print(ctx.out());
}

void reportPerRep(Context& ctx)
{
    auto time = localTime(ctx);
    auto range = dateRange(ctx, time);
    std::string by = ctx.value("by").value_or("day");
    if (by != "day" && by != "week") ctx.usageError("--by is day or week, not \"" + by + "\"");
    auto rows = domain::visitsPerRep(ctx.replica(), time, by == "day" ? domain::Period::Day : domain::Period::Week,
                                     range.from, range.to);
    if (ctx.json()) {
        json out = json::array();
        for (const auto& r : rows) out.push_back({{"rep", r.rep}, {by, r.period}, {"visits", r.visits}});
        printJson(ctx.out(), out);
        return;
    }
    if (rows.empty()) {
        ctx.out() << "no visits\n";
        return;
    }
    Table t({"REP", by == "day" ? "DAY" : "WEEK", "VISITS"});
    for (const auto& r : rows) t.addRow({orDash(r.rep), r.period, std::to_string(r.visits)});
    t.print(ctx.out());
}

void printCounts(Context& ctx, const std::map<std::string, int>& counts, const std::vector<std::string>& order,
                 const char* header)
{
    if (ctx.json()) {
        printJson(ctx.out(), json(counts));
        return;
    }
    Table t({header, "COUNT"});
    for (const auto& key : order) t.addRow({key, std::to_string(counts.at(key))});
    t.print(ctx.out());
}

void reportLifecycle(Context& ctx)
{
    auto counts = domain::lifecycleCounts(ctx.replica());
    std::vector<std::string> order = entity("customer").field("lifecycle")->options;
    order.push_back("unknown");
    printCounts(ctx, counts, order, "LIFECYCLE");
}

void reportComplaints(Context& ctx)
{
    auto counts = domain::complaintStageCounts(ctx.replica());
    printCounts(ctx, counts, entity("complaint").field("status")->options, "STAGE");
}

// ---------------------------------------------------------------- export, config

void exportCsv(Context& ctx, bool visits)
{
    auto out = ctx.value("out");
    if (!out) ctx.usageError("missing --out FILE");
    auto time = localTime(ctx);
    auto range = dateRange(ctx, time);
    auto& r = ctx.replica();
    auto done = unwrap(visits ? domain::exportVisits(r, time, range, *out, ctx.flag("force"))
                              : domain::exportCustomers(r, time, range, *out, ctx.flag("force")));
    if (ctx.json()) printJson(ctx.out(), json{{"file", *out}, {"rows", done.rows}, {"bytes", done.bytes}});
    else ctx.out() << "wrote " << done.rows << (visits ? " visits" : " customers") << " to " << *out << '\n';
}

void printTeamConfig(Context& ctx, const domain::TeamConfig& config)
{
    if (ctx.json()) {
        json cadence = json::object();
        for (size_t i = 0; i < domain::kLevels.size(); ++i)
            cadence[std::string(domain::kLevels[i])] = config.cadenceDays[i];
        printJson(ctx.out(), {{"team", config.team.empty() ? json(nullptr) : json(config.team)},
                              {"cadence_days", cadence},
                              {"checkin_radius_m", config.checkinRadiusM},
                              {"min_dwell_min", config.minDwellMin},
                              {"max_speed_kmh", config.maxSpeedKmh},
                              {"max_offset_s", config.maxOffsetS},
                              {"synced", config.synced}});
        return;
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    pairs.emplace_back("team", orDash(config.team));
    for (size_t i = 0; i < domain::kLevels.size(); ++i)
        pairs.emplace_back(std::string(domain::kLevels[i]), "every " + std::to_string(config.cadenceDays[i]) + " days");
    pairs.emplace_back("check-in radius", metres(config.checkinRadiusM));
    pairs.emplace_back("shortest visit", std::to_string(config.minDwellMin) + " minutes");
    pairs.emplace_back("fastest travel", std::to_string(config.maxSpeedKmh) + " km/h");
    pairs.emplace_back("largest clock error", std::to_string(config.maxOffsetS) + " s");
    pairs.emplace_back("source", config.synced ? "the team's configuration (synced)"
                                               : "this device (no team configuration received yet)");
    printPairs(ctx.out(), pairs);
}

// `config cadence A=7 radius=500`, kept for scripts written before `team config`.
void configCadence(Context& ctx)
{
    auto& r = ctx.replica();
    domain::TeamConfig config = domain::teamConfig(r);
    if (!ctx.operands().empty()) {
        domain::TeamConfigChange change;
        for (const auto& op : ctx.operands()) check(domain::parseConfigAssignment(op, change));
        config = unwrap(domain::setTeamConfig(r, change));
    }
    printTeamConfig(ctx, config);
}

void teamConfig(Context& ctx)
{
    auto& r = ctx.replica();
    domain::TeamConfigChange change;
    bool changes = false;
    for (size_t i = 0; i < domain::kLevels.size(); ++i) {
        const std::string level(domain::kLevels[i]);
        const std::string option = "cadence-" + std::string(1, static_cast<char>(std::tolower(level[0])));
        if (auto days = ctx.value(option.c_str())) {
            check(domain::parseConfigAssignment(level + "=" + *days, change));
            changes = true;
        }
    }
    if (auto radius = ctx.value("radius")) {
        check(domain::parseConfigAssignment("radius=" + *radius, change));
        changes = true;
    }
    for (const auto& [option, key] : {std::pair{"min-dwell", "min_dwell"}, std::pair{"max-speed", "max_speed"},
                                      std::pair{"max-offset", "max_offset"}})
        if (auto value = ctx.value(option)) {
            check(domain::parseConfigAssignment(std::string(key) + "=" + *value, change));
            changes = true;
        }
    printTeamConfig(ctx, changes ? unwrap(domain::setTeamConfig(r, change)) : domain::teamConfig(r));
}

// ---------------------------------------------------------------- registration

void asOfOption(po::options_description& d)
{
    d.add_options()("as-of", po::value<std::string>()->value_name("TIME"),
                    "evaluate as if it were TIME (default now): 2026-11-30T18:00+08:00");
}

void rangeOptions(po::options_description& d)
{
    d.add_options()
        ("from", po::value<std::string>()->value_name("DATE"), "first day included (YYYY-MM-DD, local)")
        ("to", po::value<std::string>()->value_name("DATE"), "last day included (YYYY-MM-DD, local)");
}

Command command(std::vector<std::string> words, std::string synopsis, std::string summary,
                std::function<void(Context&)> run, size_t operands = 0)
{
    Command c;
    c.words = std::move(words);
    c.synopsis = std::move(synopsis);
    c.summary = std::move(summary);
    c.run = std::move(run);
    c.minOperands = c.maxOperands = operands;
    return c;
}

void addVisitCommands(CommandTable& table)
{
    {
        Command c = command({"visit", "plan"}, "--customer ID --at TIME [--purpose P] [--kind K] [--rep U] [--json]",
                            "plan a visit and print its id", planVisit);
        c.options = [](po::options_description& d) {
            d.add_options()
                ("customer", po::value<std::string>()->value_name("ID"), "the customer to visit (required)")
                ("at", po::value<std::string>()->value_name("TIME"), "when (required): 2026-11-23T10:00+08:00")
                ("purpose", po::value<std::string>()->value_name("P"), "what the visit is for")
                ("kind", po::value<std::string>()->value_name("K"), "visit|follow_up|complaint|delivery|other")
                ("rep", po::value<std::string>()->value_name("U"), "the rep (default: the signed-in user)");
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"visit", "checkin"}, "ID [--at TIME] [--lat X --lng Y [--accuracy M]] [--json]",
                            "check in at a planned visit (once)", checkInVisit, 1);
        c.details = "The check-in time and place are written once. The distance to the customer's\n"
                    "recorded location is stored; farther than the team's check-in radius (default\n"
                    "500 m, see config cadence) is flagged, not refused. Without --lat/--lng the\n"
                    "check-in is kept and flagged \"no location\".\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("at", po::value<std::string>()->value_name("TIME"), "check-in time (default now)")
                ("lat", po::value<std::string>()->value_name("X"), "latitude")
                ("lng", po::value<std::string>()->value_name("Y"), "longitude")
                ("accuracy", po::value<std::string>()->value_name("M"), "accuracy in metres");
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"visit", "checkout"},
                            "ID [--at TIME] [--outcome T] [--notes T] [--satisfaction 1-5] [--order AMOUNT]\n"
                            "                 [--next TIME [--task-title T]] [--lat X --lng Y] [--json]",
                            "complete a checked-in visit", checkOutVisit, 1);
        c.details = "--next creates a follow-up task (回访) due then, for the visit's rep, in the\n"
                    "same transaction as the check-out.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("at", po::value<std::string>()->value_name("TIME"), "check-out time (default now)")
                ("outcome", po::value<std::string>()->value_name("T"), "outcome")
                ("notes", po::value<std::string>()->value_name("T"), "visit notes")
                ("satisfaction", po::value<std::string>()->value_name("1-5"), "customer satisfaction")
                ("order", po::value<std::string>()->value_name("AMOUNT"), "order amount taken")
                ("next", po::value<std::string>()->value_name("TIME"), "next follow-up: creates a task")
                ("task-title", po::value<std::string>()->value_name("T"), "title of that task")
                ("lat", po::value<std::string>()->value_name("X"), "check-out latitude")
                ("lng", po::value<std::string>()->value_name("Y"), "check-out longitude");
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"visit", "void"}, "ID --reason TEXT", "void a visit (managers only; the record stays)",
                            voidVisit, 1);
        c.details = "Visits are never deleted. A manager voids one with a reason: it stays in the\n"
                    "customer's timeline, marked, and leaves every report.\n";
        c.options = [](po::options_description& d) {
            d.add_options()("reason", po::value<std::string>()->value_name("TEXT"), "why (required)");
        };
        table.add(std::move(c));
    }
}

void addTaskCommands(CommandTable& table)
{
    table.add(command({"task", "done"}, "ID", "mark a task done", taskDone, 1));
}

void addComplaintCommands(CommandTable& table)
{
    {
        Command c = command({"complaint", "add"},
                            "--customer ID [--channel C] [--severity S] [--description T] [--handler U]\n"
                            "                 [--at TIME] [--json]",
                            "record a complaint (received) and print its id", addComplaint);
        c.options = [](po::options_description& d) {
            d.add_options()
                ("customer", po::value<std::string>()->value_name("ID"), "the customer (required)")
                ("channel", po::value<std::string>()->value_name("C"), "phone|visit|wechat|email|other")
                ("severity", po::value<std::string>()->value_name("S"), "low|medium|high")
                ("description", po::value<std::string>()->value_name("T"), "what happened")
                ("handler", po::value<std::string>()->value_name("U"), "who handles it")
                ("at", po::value<std::string>()->value_name("TIME"), "when it was received (default now)");
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"complaint", "move"},
                            "ID STAGE [--resolution T] [--handler U] [--satisfaction 1-5]",
                            "move a complaint forward: received > investigating > answered > followed_up",
                            moveComplaint, 2);
        c.details = "Stages only move forward; `complaint reopen` starts a new round. Answering\n"
                    "needs a resolution.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("resolution", po::value<std::string>()->value_name("T"), "how it was resolved")
                ("handler", po::value<std::string>()->value_name("U"), "who handles it")
                ("satisfaction", po::value<std::string>()->value_name("1-5"), "satisfaction afterwards");
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"complaint", "list"}, "[--open] [--as-of TIME] [--json]",
                            "list complaints, oldest first, with their age in days", listComplaints);
        c.options = [](po::options_description& d) {
            d.add_options()("open", po::bool_switch(), "only open ones (not followed up)");
            asOfOption(d);
        };
        table.add(std::move(c));
    }
}

void addReportCommands(CommandTable& table)
{
    {
        Command c = command({"today"}, "[--rep U] [--as-of TIME] [--json]",
                            "planned visits, tasks due and key customers due a visit, today", today);
        c.details = "A signed-in rep sees their own day; a manager, or a replica nobody signed in\n"
                    "on, sees everyone's unless --rep is given.\n";
        c.options = [](po::options_description& d) {
            d.add_options()("rep", po::value<std::string>()->value_name("U"), "whose day");
            asOfOption(d);
        };
        table.add(std::move(c));
    }
    table.addGroup({"report", "analysis of the local replica (offline)", {}});
    {
        Command c = command({"report", "abc"}, "[--json]", "ABC classification by annual sales (75 % / 95 %)", reportAbc);
        table.add(std::move(c));
    }
    {
        Command c = command({"report", "churn"}, "[--days N] [--as-of TIME] [--json]",
                            "customers at risk of churning, with the reasons", reportChurn);
        c.options = [](po::options_description& d) {
            d.add_options()("days", po::value<std::string>()->value_name("N"), "inactive after N days (default 60)");
            asOfOption(d);
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"report", "coverage"}, "[--as-of TIME] [--json]",
                            "share of A customers visited this month", reportCoverage);
        c.options = asOfOption;
        table.add(std::move(c));
    }
    {
        Command c = command({"report", "feed"},
                            "[--rep U] [--from DATE] [--to DATE] [--outcome T] [--flagged] [--verdict V] [--json]",
                            "the team's check-ins, latest first, with their verdicts", reportFeed);
        c.options = [](po::options_description& d) {
            d.add_options()
                ("rep", po::value<std::string>()->value_name("U"), "only this rep's")
                ("outcome", po::value<std::string>()->value_name("T"), "only this outcome")
                ("flagged", po::bool_switch(), "only far check-ins and check-ins without a location")
                ("verdict", po::value<std::string>()->value_name("V"),
                 "only check-ins judged verified, unverified or suspicious");
            rangeOptions(d);
        };
        table.add(std::move(c));
    }
    {
        Command c = command({"report", "verdicts"}, "[--from DATE] [--to DATE] [--json]",
                            "check-ins per rep by verdict: verified, unverified, suspicious", reportVerdicts);
        c.options = rangeOptions;
        table.add(std::move(c));
    }
    {
        Command c = command({"report", "per-rep"}, "[--by day|week] [--from DATE] [--to DATE] [--json]",
                            "visits per rep per day or ISO week", reportPerRep);
        c.options = [](po::options_description& d) {
            d.add_options()("by", po::value<std::string>()->value_name("day|week"), "period (default day)");
            rangeOptions(d);
        };
        table.add(std::move(c));
    }
    table.add(command({"report", "lifecycle"}, "[--json]", "customers per lifecycle stage", reportLifecycle));
    table.add(command({"report", "complaints"}, "[--json]", "complaints per stage", reportComplaints));

    table.addGroup({"export", "CSV files for Excel (UTF-8 with BOM)", {}});
    for (bool visits : {true, false}) {
        Command c = command({"export", visits ? "visits" : "customers"},
                            "--out FILE [--from DATE] [--to DATE] [--force] [--json]",
                            visits ? "export check-ins in a date range to CSV"
                                   : "export customers (with --from/--to: those visited then) to CSV",
                            [visits](Context& ctx) { exportCsv(ctx, visits); });
        c.details = "The file is written whole or not at all; an existing file is kept unless\n"
                    "--force.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("out", po::value<std::string>()->value_name("FILE"), "the CSV file to write (required)")
                ("force", po::bool_switch(), "overwrite FILE if it exists");
            rangeOptions(d);
        };
        table.add(std::move(c));
    }

    table.addGroup({"config", "team settings", {}});
    {
        Command c = command({"config", "cadence"}, "[A=DAYS] [B=DAYS] [C=DAYS] [D=DAYS] [radius=METRES] [--json]",
                            "show or set (managers) the visit cadence per level and the check-in radius",
                            configCadence);
        c.maxOperands = 5;
        table.add(std::move(c));
    }

    table.addGroup({"team", "the team's configuration, synced to every device of the team", {}});
    {
        Command c = command({"team", "config"}, "[--cadence-a DAYS] [--cadence-b DAYS] [--cadence-c DAYS] "
                                                "[--cadence-d DAYS] [--radius METRES] [--min-dwell MIN] "
                                                "[--max-speed KMH] [--max-offset S] [--json]",
                            "show, or set (managers), the team's visit cadence per level, check-in radius and "
                            "check-in verification thresholds",
                            teamConfig);
        c.reference = "The configuration is one synced row per team: a manager's change reaches every\n"
                      "device of the team at its next sync; the server refuses it from anybody but the\n"
                      "team's managers and admins. Until a device has received it, it uses its own\n"
                      "setting (config cadence, earlier releases) or the defaults: A every 7 days,\n"
                      "B 14, C 30, D 90, radius 500 m. A rep changing it: exit status 5.\n"
                      "The server judges every check-in against the team's radius, shortest visit,\n"
                      "fastest travel and largest clock error (docs/time.md): verified, unverified\n"
                      "or suspicious, with reasons (report feed --verdict, report verdicts).\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("cadence-a", po::value<std::string>()->value_name("DAYS"), "days between visits of A customers (1..3650)")
                ("cadence-b", po::value<std::string>()->value_name("DAYS"), "days between visits of B customers")
                ("cadence-c", po::value<std::string>()->value_name("DAYS"), "days between visits of C customers")
                ("cadence-d", po::value<std::string>()->value_name("DAYS"), "days between visits of D customers")
                ("radius", po::value<std::string>()->value_name("METRES"), "check-in radius in metres (1..100000)")
                ("min-dwell", po::value<std::string>()->value_name("MIN"),
                 "a visit shorter than this is suspicious (minutes, 0..1440; default 5)")
                ("max-speed", po::value<std::string>()->value_name("KMH"),
                 "travel between check-ins faster than this is suspicious (km/h, 1..2000; default 150)")
                ("max-offset", po::value<std::string>()->value_name("S"),
                 "a device clock off by more than this leaves a check-in unverified (seconds; default 300)");
        };
        table.add(std::move(c));
    }
}

} // namespace

void addActivityCommands(CommandTable& table)
{
    addVisitCommands(table);
    addTaskCommands(table);
    addComplaintCommands(table);
    addReportCommands(table);
}

bool replacedByActivityCommands(std::string_view group, std::string_view name)
{
    return (group == "visit" && name == "void") || (group == "complaint" && (name == "add" || name == "list"));
}

} // namespace fieldsync::cli
