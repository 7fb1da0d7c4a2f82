#include "domain/Visits.h"

#include "domain/ActivityRows.h"
#include "domain/Actor.h"
#include "domain/Geo.h"
#include "evidence/Gather.h"
#include "replica/Replica.h"
#include "storage/Database.h"

#include <algorithm>
#include <set>

namespace fieldsync::domain {
namespace {

using nlohmann::json;
using replica::Write;

constexpr const char* kSelect =
    "SELECT id, customer, rep, kind, purpose, notes, outcome, status, void_reason, planned_at, checkin_at, "
    "checkout_at, next_follow_up, checkin_lat, checkin_lng, checkin_accuracy, distance_m, order_amount, "
    "satisfaction, voided, checkin_device_at, checkin_mock, checkin_offline, verdict, verdict_reasons, "
    "checkin_received_at FROM visit";

std::vector<std::string> splitReasons(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        if (comma > start) out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

Visit readVisit(storage::Statement& st)
{
    using namespace rows;
    Visit v;
    v.id = text(st, 0);
    v.customer = text(st, 1);
    v.rep = text(st, 2);
    v.kind = text(st, 3);
    v.purpose = text(st, 4);
    v.notes = text(st, 5);
    v.outcome = text(st, 6);
    v.status = text(st, 7);
    v.voidReason = text(st, 8);
    v.plannedAt = integer(st, 9);
    v.checkinAt = integer(st, 10);
    v.checkoutAt = integer(st, 11);
    v.nextFollowUp = integer(st, 12);
    v.checkinLat = real(st, 13);
    v.checkinLng = real(st, 14);
    v.checkinAccuracy = real(st, 15);
    v.distanceM = real(st, 16);
    v.orderAmount = real(st, 17);
    if (auto s = integer(st, 18)) v.satisfaction = static_cast<int>(*s);
    v.voided = flag(st, 19);
    v.checkinDeviceAt = integer(st, 20);
    v.checkinMock = flag(st, 21);
    if (auto offline = integer(st, 22)) v.checkinOffline = *offline != 0;
    v.verdict = text(st, 23);
    v.verdictReasons = splitReasons(text(st, 24));
    v.checkinReceivedAt = integer(st, 25);
    return v;
}

void derive(Visit& v, const std::map<std::string, rows::CustomerLabel>& customers, double radiusM)
{
    v.far = v.distanceM && *v.distanceM > radiusM;
    v.noLocation = v.checkinAt && !v.checkinLat;
    auto it = customers.find(v.customer);
    v.customerMissing = it == customers.end();
    v.customerArchived = !v.customerMissing && it->second.archived;
    v.customerName = v.customerMissing ? std::string() : it->second.name;
}

std::vector<Visit> query(replica::Replica& replica, const std::string& where, const std::vector<rows::Bind>& binds,
                         double radiusM)
{
    auto& db = replica.database();
    std::vector<Visit> out;
    storage::Statement st(db, std::string(kSelect) + where);
    rows::bindAll(st, binds);
    std::set<std::string> ids;
    while (st.step()) {
        out.push_back(readVisit(st));
        ids.insert(out.back().customer);
    }
    auto customers = rows::customerLabels(db, ids);
    for (auto& v : out) {
        derive(v, customers, radiusM);
        // Not judged by the server yet (not synced, or synced before schema
        // 4): the device's own verdict, from the same rules and inputs.
        if (v.checkinAt && v.verdict.empty())
            if (auto g = evidence::gather(db, v.id)) {
                const auto verdict = evidence::verify(g->evidence, g->thresholds);
                v.verdict = std::string(evidence::verdictName(verdict.verdict));
                v.verdictReasons = verdict.reasons;
                v.verdictProvisional = true;
            }
    }
    return out;
}

Result<Visit> loadForWrite(replica::Replica& replica, const std::string& id)
{
    auto found = query(replica, " WHERE id = ?", {id}, 0);
    if (found.empty()) return notFound("no visit with id " + id);
    return std::move(found.front());
}

template <typename T>
json optionalJson(const std::optional<T>& v)
{
    return v ? json(*v) : json(nullptr);
}

json textJson(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

} // namespace

std::vector<std::string> Visit::flags() const
{
    std::vector<std::string> out;
    if (far) out.emplace_back("far");
    if (noLocation) out.emplace_back("no_location");
    if (voided) out.emplace_back("voided");
    if (customerArchived) out.emplace_back("customer_archived");
    if (customerMissing) out.emplace_back("customer_missing");
    return out;
}

json Visit::toJson() const
{
    return {
        {"id", id},
        {"customer", customer},
        {"customer_name", textJson(customerName)},
        {"rep", textJson(rep)},
        {"kind", textJson(kind)},
        {"status", textJson(status)},
        {"purpose", textJson(purpose)},
        {"notes", textJson(notes)},
        {"outcome", textJson(outcome)},
        {"planned_at", optionalJson(plannedAt)},
        {"checkin_at", optionalJson(checkinAt)},
        {"checkin_lat", optionalJson(checkinLat)},
        {"checkin_lng", optionalJson(checkinLng)},
        {"checkin_accuracy", optionalJson(checkinAccuracy)},
        {"checkout_at", optionalJson(checkoutAt)},
        {"distance_m", optionalJson(distanceM)},
        {"satisfaction", optionalJson(satisfaction)},
        {"order_amount", optionalJson(orderAmount)},
        {"next_follow_up", optionalJson(nextFollowUp)},
        {"voided", voided},
        {"void_reason", textJson(voidReason)},
        {"flags", flags()},
        {"verdict", textJson(verdict)},
        {"verdict_reasons", verdictReasons},
        {"verdict_provisional", verdictProvisional},
        {"checkin_device_at", optionalJson(checkinDeviceAt)},
        {"checkin_received_at", optionalJson(checkinReceivedAt)},
        {"sync_delay_ms", optionalJson(syncDelayMs())},
        {"checkin_offline", optionalJson(checkinOffline)},
        {"checkin_mock", checkinMock},
    };
}

Result<std::string> planVisit(replica::Replica& replica, const VisitPlan& plan)
{
    auto customer = rows::customer(replica.database(), plan.customer);
    if (!customer) return notFound("no customer with id " + plan.customer);
    if (customer->archived) return failedPrecondition("customer " + customer->name + " is archived");
    if (plan.plannedAt <= 0) return invalidArgument("a planned visit needs a time");
    std::string rep = plan.rep.empty() ? Actor::of(replica).user : plan.rep;
    Write w;
    w.set("customer", plan.customer);
    w.set("planned_at", plan.plannedAt);
    w.set("status", std::string("planned"));
    w.set("kind", plan.kind.empty() ? std::string("visit") : plan.kind);
    if (!plan.purpose.empty()) w.set("purpose", plan.purpose);
    if (!rep.empty()) w.set("rep", rep);
    return replica.create("visit", w);
}

Status checkIn(replica::Replica& replica, const std::string& visitId, const CheckIn& in)
{
    auto visit = loadForWrite(replica, visitId);
    if (!visit) return visit.error();
    if (visit->voided) return failedPrecondition("visit " + visitId + " is voided");
    if (visit->checkinAt)
        return failedPrecondition("visit " + visitId + " is already checked in; a check-in is written once");
    if (auto s = checkPosition(in.lat, in.lng, in.accuracy); !s) return s;
    if (in.at <= 0) return invalidArgument("a check-in needs a time");
    Write w;
    // One write, one clock: time, place and distance stand or fall together.
    w.set("checkin_at", in.at);
    // The device clock's own reading: `at` came from the clock corrected by
    // the offset this replica knows (Replica::correctClock).
    w.set("checkin_device_at", in.deviceAt.value_or(in.at - replica.clock().offset()));
    if (in.mock) w.set("checkin_mock", true);
    if (in.offline) w.set("checkin_offline", *in.offline);
    if (in.lat) {
        w.set("checkin_lat", *in.lat);
        w.set("checkin_lng", *in.lng);
        if (in.accuracy) w.set("checkin_accuracy", *in.accuracy);
        if (auto d = distanceFromCustomer(replica, visit->customer, *in.lat, *in.lng)) w.set("distance_m", *d);
    }
    w.set("status", std::string("checked_in"));
    if (visit->rep.empty())
        if (auto user = Actor::of(replica).user; !user.empty()) w.set("rep", user);
    return replica.update("visit", visitId, w);
}

Result<CheckOutResult> checkOut(replica::Replica& replica, const std::string& visitId, const CheckOut& out)
{
    auto visit = loadForWrite(replica, visitId);
    if (!visit) return visit.error();
    if (visit->voided) return failedPrecondition("visit " + visitId + " is voided");
    if (!visit->checkinAt) return failedPrecondition("visit " + visitId + " is not checked in yet: check in first");
    if (visit->checkoutAt || visit->status == "completed")
        return failedPrecondition("visit " + visitId + " is already completed");
    if (auto s = checkPosition(out.lat, out.lng, std::nullopt); !s) return s.error();
    if (out.satisfaction && (*out.satisfaction < 1 || *out.satisfaction > 5))
        return invalidArgument("satisfaction is 1 to 5");
    if (out.orderAmount && !(*out.orderAmount >= 0)) return invalidArgument("an order amount cannot be negative");
    if (out.at < *visit->checkinAt) return invalidArgument("check-out cannot be before the check-in");
    if (out.nextFollowUp && *out.nextFollowUp < out.at)
        return invalidArgument("the next follow-up must be after the visit");

    Write w;
    w.set("checkout_at", out.at);
    if (out.lat) {
        w.set("checkout_lat", *out.lat);
        w.set("checkout_lng", *out.lng);
    }
    if (out.outcome) w.set("outcome", *out.outcome);
    if (out.notes) w.set("notes", *out.notes);
    if (out.satisfaction) w.set("satisfaction", int64_t{*out.satisfaction});
    if (out.orderAmount) w.set("order_amount", *out.orderAmount);
    if (out.nextFollowUp) w.set("next_follow_up", *out.nextFollowUp);
    w.set("status", std::string("completed"));

    CheckOutResult result;
    Status status = replica.batch([&]() -> Status {
        if (auto s = replica.update("visit", visitId, w); !s) return s;
        if (!out.nextFollowUp) return Ok{};
        std::string title = out.followUpTitle;
        if (title.empty()) title = "回访 " + (visit->customerName.empty() ? visit->customer : visit->customerName);
        Write task;
        task.set("customer", visit->customer);
        task.set("title", title);
        task.set("due", *out.nextFollowUp);
        task.set("status", std::string("open"));
        task.set("origin_visit", visitId);
        std::string assignee = visit->rep.empty() ? Actor::of(replica).user : visit->rep;
        if (!assignee.empty()) task.set("assignee", assignee);
        auto id = replica.create("task", task);
        if (!id) return id.error();
        result.taskId = *id;
        return Ok{};
    });
    if (!status) return status.error();
    return result;
}

Status voidVisit(replica::Replica& replica, const std::string& visitId, const std::string& reason)
{
    auto visit = loadForWrite(replica, visitId);
    if (!visit) return visit.error();
    if (!Actor::of(replica).isManager())
        return Error{ErrorCode::PermissionDenied,
                     "only a manager can void a visit; a visit is never deleted, and a rep cannot void one"};
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return invalidArgument("voiding a visit needs a reason");
    if (visit->voided) return failedPrecondition("visit " + visitId + " is already voided");
    return replica.update("visit", visitId, Write().set("voided", true).set("void_reason", reason));
}

Status rescheduleVisit(replica::Replica& replica, const std::string& visitId, int64_t plannedAt)
{
    auto visit = loadForWrite(replica, visitId);
    if (!visit) return visit.error();
    if (visit->voided) return failedPrecondition("visit " + visitId + " is cancelled or voided");
    if (visit->checkinAt) return failedPrecondition("visit " + visitId + " is already checked in; it cannot move");
    if (plannedAt <= 0) return invalidArgument("a planned visit needs a time");
    return replica.update("visit", visitId, Write().set("planned_at", plannedAt));
}

Status cancelPlannedVisit(replica::Replica& replica, const std::string& visitId, const std::string& reason)
{
    auto visit = loadForWrite(replica, visitId);
    if (!visit) return visit.error();
    if (visit->voided) return failedPrecondition("visit " + visitId + " is already cancelled or voided");
    if (visit->checkinAt)
        return failedPrecondition("visit " + visitId + " is checked in: a manager voids it, with a reason");
    Write w;
    w.set("voided", true);
    const auto first = reason.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) w.set("void_reason", reason.substr(first));
    return replica.update("visit", visitId, w);
}

std::optional<double> distanceFromCustomer(replica::Replica& replica, const std::string& customer, double lat,
                                           double lng)
{
    auto c = rows::customer(replica.database(), customer);
    if (!c || !c->lat || !c->lng) return std::nullopt;
    return haversineMetres(*c->lat, *c->lng, lat, lng);
}

std::optional<Visit> findVisit(replica::Replica& replica, const std::string& visitId, double radiusM)
{
    auto found = query(replica, " WHERE id = ?", {visitId}, radiusM);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<Visit> allVisits(replica::Replica& replica, double radiusM) { return query(replica, "", {}, radiusM); }

std::vector<Visit> visitsCheckedInBetween(replica::Replica& replica, std::optional<int64_t> from,
                                          std::optional<int64_t> to, double radiusM)
{
    std::string where = " WHERE checkin_at IS NOT NULL";
    std::vector<rows::Bind> binds;
    if (from) {
        where += " AND checkin_at >= ?";
        binds.emplace_back(*from);
    }
    if (to) {
        where += " AND checkin_at < ?";
        binds.emplace_back(*to);
    }
    return query(replica, where, binds, radiusM);
}

std::vector<Visit> visitsPlannedBetween(replica::Replica& replica, int64_t from, int64_t to, double radiusM)
{
    return query(replica, " WHERE checkin_at IS NULL AND planned_at >= ? AND planned_at < ?", {from, to}, radiusM);
}

std::vector<Visit> visitTimeline(replica::Replica& replica, const std::string& customer, double radiusM)
{
    auto visits = query(replica, " WHERE customer = ?", {customer}, radiusM);
    std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
        auto wa = a.when(), wb = b.when();
        if (wa.has_value() != wb.has_value()) return wa.has_value();
        if (wa && *wa != *wb) return *wa > *wb;
        return a.id < b.id;
    });
    return visits;
}

} // namespace fieldsync::domain
