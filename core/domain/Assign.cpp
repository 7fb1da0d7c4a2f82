#include "domain/Assign.h"

#include "domain/Actor.h"

#include "replica/Replica.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <algorithm>
#include <set>

namespace fieldsync::domain {

std::vector<std::string> knownTeamMembers(replica::Replica& replica)
{
    std::set<std::string> names;
    const Actor actor = Actor::of(replica);
    if (actor.signedIn()) names.insert(actor.user);
    storage::UsingStatement st(replica.database(),
                               "SELECT owner FROM customer WHERE owner IS NOT NULL AND owner <> '' "
                               "UNION SELECT rep FROM visit WHERE rep IS NOT NULL AND rep <> '' "
                               "UNION SELECT assignee FROM task WHERE assignee IS NOT NULL AND assignee <> ''");
    while (st->step()) names.insert(st->getText(0));
    return {names.begin(), names.end()};
}

Result<AssignResult> assignCustomers(replica::Replica& replica, const std::vector<std::string>& customerIds,
                                     const std::string& rep)
{
    const Actor actor = Actor::of(replica);
    if (!actor.signedIn() || !actor.isManager())
        return Error{ErrorCode::PermissionDenied, "only a manager or an admin can assign customers"};
    if (rep.empty()) return invalidArgument("choose the rep who gets the customers");
    const auto members = knownTeamMembers(replica);
    if (!std::binary_search(members.begin(), members.end(), rep))
        return invalidArgument(rep + " is not a member of your team");
    if (customerIds.empty()) return invalidArgument("choose at least one customer");

    std::vector<std::string> toChange;
    AssignResult result;
    std::set<std::string> seen;
    for (const auto& id : customerIds) {
        if (!seen.insert(id).second) continue;
        auto row = replica.get("customer", id);
        if (!row) return notFound("no customer with id " + id);
        const auto& name = (*row)["name"];
        const std::string label = (name.is_string() ? name.get<std::string>() : std::string()) + " (" + id + ")";
        if ((*row)["archived"] == true) return failedPrecondition("customer " + label + " is archived");
        if ((*row)["owner"] == rep)
            ++result.unchanged;
        else
            toChange.push_back(id);
    }
    Status written = replica.batch([&]() -> Status {
        for (const auto& id : toChange) {
            Status s = replica.update("customer", id, replica::Write().set("owner", rep));
            if (!s) return s;
        }
        return Ok{};
    });
    if (!written) return written.error();
    result.changed = toChange.size();
    return result;
}

} // namespace fieldsync::domain
