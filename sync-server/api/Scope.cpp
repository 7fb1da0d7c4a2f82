#include "api/Scope.h"

#include "schema/Schema.h"

namespace fieldsync::server {

Scope Scope::of(const User& user, Accounts& accounts)
{
    Scope s{user, {}};
    if (user.team)
        for (auto& m : accounts.teamMembers(*user.team)) s.team.insert(std::move(m));
    return s;
}

bool Scope::poolOf(const std::optional<std::string>& customerTeam) const
{
    return user.role == Role::Admin || !customerTeam || (user.team && *customerTeam == *user.team);
}

bool Scope::owns(const std::optional<std::string>& owner, const std::optional<std::string>& customerTeam) const
{
    switch (user.role) {
    case Role::Admin: return true;
    case Role::Manager: return owner ? *owner == user.name || team.count(*owner) > 0 : poolOf(customerTeam);
    case Role::Rep: return owner && *owner == user.name;
    }
    return false;
}

replica::Viewer Scope::viewer() const
{
    return {[this](const std::optional<std::string>& owner, const std::optional<std::string>& customerTeam) {
        return sees(owner, customerTeam);
    }};
}

std::optional<Error> Scope::allow(const protocol::ChangeRecord& r, const replica::RecordScope& s) const
{
    const Scope& scope = *this;
    const auto& e = schema::fieldsyncSchema().entity(r.entity);
    auto denied = [&](const std::string& why) {
        return Error{ErrorCode::PermissionDenied, e.name + " " + r.id + ": " + why};
    };
    // Not even an admin: a customer changing pools without an owner change
    // would slip past the pulls' eviction (replica::Viewer).
    if (e.name == "customer" && s.writesTeam && !s.createsRow)
        return denied("a customer's team is set when it is created; to move it to another team, "
                      "reassign it to an owner in that team");
    if (scope.user.role == Role::Admin) return std::nullopt;
    const bool rep = scope.user.role == Role::Rep;
    if (e.name == "team_config") {
        // A team's configuration: written by the team's managers (admins:
        // any team's, above), read by everybody (it hangs off no customer).
        if (rep) return denied("only a manager of the team changes its configuration");
        if (!scope.user.team || r.id != schema::teamConfigRowId(*scope.user.team))
            return denied("the configuration of another team");
        const auto* teamField = e.field("team");
        for (const auto& w : r.writes)
            if (w.field == teamField->index && w.value != crdt::Value(*scope.user.team))
                return denied("the configuration of another team");
        return std::nullopt;
    }
    if (e.name == "customer") {
        if (s.createsRow && s.writesTeam && s.newTeam && !scope.poolOf(s.newTeam))
            return denied("a customer is created for your own team (" + scope.user.team.value_or("none") + "), not "
                          + *s.newTeam);
        if (s.createsRow) {
            if (s.writesOwner && s.newOwner && !scope.owns(s.newOwner))
                return denied(rep ? "a rep creates customers for themselves or the public pool"
                                  : "a new customer's owner must be in your team");
            return std::nullopt;
        }
        if (s.writesOwner) {
            if (rep) {
                // A claim from the pool: the first to reach the server wins.
                // Judged by the current owner, not the owner at write time, so
                // an earlier-stamped claim arriving second is refused here,
                // where the rep hears of it, instead of being accepted and
                // then silently outranked by the winner's later clock.
                if (s.newOwner == scope.user.name) {
                    if (s.owner && *s.owner != scope.user.name)
                        return denied("claim lost: it is already owned by " + *s.owner);
                    if (!s.owner && !scope.poolOf(s.team))
                        return denied("the customer is in the pool of team " + *s.team + ", not yours");
                    if (!s.ownerAtWrite || *s.ownerAtWrite == scope.user.name) return std::nullopt;
                }
                return denied("only a manager can reassign a customer");
            }
            if (!scope.owns(s.ownerAtWrite, s.team)) return denied("the customer belongs to another team");
            if (s.newOwner && !scope.owns(s.newOwner)) return denied("customers can only go to members of your team");
            return std::nullopt;
        }
        if (!scope.owns(s.ownerAtWrite, s.team))
            return denied(rep && !s.ownerAtWrite ? "the customer is in the public pool: claim it first"
                          : !s.ownerAtWrite      ? "the customer is in another team's pool"
                                                 : "the customer is owned by someone else");
        return std::nullopt;
    }
    if (!s.customerExists) return denied("its customer " + s.customer + " is unknown to the server");
    if (!scope.owns(s.ownerAtWrite, s.team)) return denied("its customer " + s.customer + " is not yours");
    // A visit is an audit record: a rep never voids one (nor un-voids or
    // edits the reason); a manager voids it with a reason and the row stays.
    if (rep && e.name == "visit")
        for (const auto& w : r.writes) {
            const auto& name = e.fields.at(static_cast<size_t>(w.field)).name;
            if (name == "voided" || name == "void_reason") return denied("only a manager can void a visit");
        }
    return std::nullopt;
}

} // namespace fieldsync::server
