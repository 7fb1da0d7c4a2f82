#include "domain/Complaints.h"

#include "domain/ActivityRows.h"
#include "domain/LocalTime.h"
#include "replica/Replica.h"
#include "storage/Database.h"

#include <algorithm>
#include <set>

namespace fieldsync::domain {
namespace {

using nlohmann::json;

json textJson(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

int stageRank(std::string_view stage)
{
    for (int i = 0; i < 4; ++i)
        if (stage == kComplaintStages[i]) return i;
    return -1;
}

std::vector<Complaint> query(replica::Replica& replica, const std::string& where, const std::string& arg)
{
    auto& db = replica.database();
    storage::Statement st(db, "SELECT id, customer, channel, severity, handler, status, description, resolution, "
                              "received_at, satisfaction_after, status_gen, voided FROM complaint" + where);
    if (!arg.empty()) st.bind(1, arg);
    std::vector<Complaint> out;
    std::set<std::string> ids;
    while (st.step()) {
        Complaint c;
        c.id = rows::text(st, 0);
        c.customer = rows::text(st, 1);
        c.channel = rows::text(st, 2);
        c.severity = rows::text(st, 3);
        c.handler = rows::text(st, 4);
        c.status = rows::text(st, 5);
        c.description = rows::text(st, 6);
        c.resolution = rows::text(st, 7);
        c.receivedAt = rows::integer(st, 8);
        if (auto s = rows::integer(st, 9)) c.satisfactionAfter = static_cast<int>(*s);
        c.generation = rows::integer(st, 10).value_or(0);
        c.voided = rows::flag(st, 11);
        ids.insert(c.customer);
        out.push_back(std::move(c));
    }
    auto customers = rows::customerLabels(db, ids);
    for (auto& c : out)
        if (auto it = customers.find(c.customer); it != customers.end()) c.customerName = it->second.name;
    return out;
}

} // namespace

json Complaint::toJson() const
{
    return {{"id", id},
            {"customer", customer},
            {"customer_name", textJson(customerName)},
            {"received_at", receivedAt ? json(*receivedAt) : json(nullptr)},
            {"channel", textJson(channel)},
            {"severity", textJson(severity)},
            {"handler", textJson(handler)},
            {"status", textJson(status)},
            {"generation", generation},
            {"description", textJson(description)},
            {"resolution", textJson(resolution)},
            {"satisfaction_after", satisfactionAfter ? json(*satisfactionAfter) : json(nullptr)},
            {"voided", voided}};
}

Result<std::string> addComplaint(replica::Replica& replica, const NewComplaint& c)
{
    if (!rows::customer(replica.database(), c.customer)) return notFound("no customer with id " + c.customer);
    if (c.receivedAt <= 0) return invalidArgument("a complaint needs the time it was received");
    replica::Write w;
    w.set("customer", c.customer).set("received_at", c.receivedAt).set("status", std::string("received"));
    // Enum values are checked by the schema on write (InvalidArgument names the options).
    if (!c.channel.empty()) w.set("channel", c.channel);
    if (!c.severity.empty()) w.set("severity", c.severity);
    if (!c.description.empty()) w.set("description", c.description);
    if (!c.handler.empty()) w.set("handler", c.handler);
    return replica.create("complaint", w);
}

Status moveComplaint(replica::Replica& replica, const std::string& id, const ComplaintMove& move)
{
    auto found = query(replica, " WHERE id = ?", id);
    if (found.empty()) return notFound("no complaint with id " + id);
    const Complaint& c = found.front();
    const int to = stageRank(move.stage);
    if (to < 0)
        return invalidArgument("unknown complaint stage '" + move.stage
                               + "' (received, investigating, answered, followed_up)");
    if (c.voided) return failedPrecondition("complaint " + id + " is voided");
    const int from = stageRank(c.status);
    if (to == from) return failedPrecondition("complaint " + id + " is already " + c.status);
    if (to < from)
        return failedPrecondition("complaint " + id + " is " + c.status + ": a complaint only moves forward (reopen it to start over)");
    const bool hasResolution = (move.resolution && !move.resolution->empty()) || !c.resolution.empty();
    if (to >= stageRank("answered") && !hasResolution)
        return invalidArgument("an answered complaint needs a resolution");
    if (move.satisfactionAfter && (*move.satisfactionAfter < 1 || *move.satisfactionAfter > 5))
        return invalidArgument("satisfaction is 1 to 5");
    replica::Write w;
    w.set("status", move.stage);
    if (move.resolution) w.set("resolution", *move.resolution);
    if (move.handler) w.set("handler", *move.handler);
    if (move.satisfactionAfter) w.set("satisfaction_after", int64_t{*move.satisfactionAfter});
    return replica.update("complaint", id, w);
}

Status reopenComplaint(replica::Replica& replica, const std::string& id)
{
    auto found = query(replica, " WHERE id = ?", id);
    if (found.empty()) return notFound("no complaint with id " + id);
    if (found.front().voided) return failedPrecondition("complaint " + id + " is voided");
    return replica.update("complaint", id, replica::Write().reopen("status", "received"));
}

std::optional<Complaint> findComplaint(replica::Replica& replica, const std::string& id)
{
    auto found = query(replica, " WHERE id = ?", id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<Complaint> listComplaints(replica::Replica& replica, bool openOnly)
{
    auto all = query(replica, "", "");
    std::erase_if(all, [&](const Complaint& c) { return c.voided || (openOnly && !c.open()); });
    std::sort(all.begin(), all.end(), [](const Complaint& a, const Complaint& b) {
        int64_t ra = a.receivedAt.value_or(INT64_MAX), rb = b.receivedAt.value_or(INT64_MAX);
        return ra != rb ? ra < rb : a.id < b.id;
    });
    return all;
}

std::vector<OpenComplaint> openComplaintsByAge(replica::Replica& replica, const LocalTime& time)
{
    std::vector<OpenComplaint> out;
    const int64_t now = time.now();
    for (auto& c : listComplaints(replica, true)) {
        int age = c.receivedAt ? time.daysBetween(*c.receivedAt, now) : 0;
        out.push_back({std::move(c), age});
    }
    return out;
}

} // namespace fieldsync::domain
