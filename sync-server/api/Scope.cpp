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
    auto denied = [&](const char* reason, const std::string& why) {
        return Error{ErrorCode::PermissionDenied, e.name + " " + r.id + ": " + why, reason};
    };
    if (scope.user.role == Role::Admin) return std::nullopt;
    const bool rep = scope.user.role == Role::Rep;
    if (e.scope.kind == schema::ScopeKind::Shared) {
        // A team's configuration: written by the team's managers (admins:
        // any team's, above), read by everybody (it hangs off no root).
        if (rep) return denied("role", "only a manager of the team changes its configuration");
        if (!scope.user.team || r.id != schema::teamConfigRowId(*scope.user.team))
            return denied("not_in_scope", "the configuration of another team");
        const auto* teamField = e.field("team");
        for (const auto& w : r.writes)
            if (w.field == teamField->index && w.value != crdt::Value(*scope.user.team))
                return denied("not_in_scope", "the configuration of another team");
        return std::nullopt;
    }
    if (e.scope.kind == schema::ScopeKind::Root) {
        if (s.createsRow) {
            // A new customer is in the creator's team (its pool when unowned):
            // never another team's. Written without a team (made before the
            // device signed in), the hub gives it the creator's team
            // (PushContext::creatorTeam).
            if (s.writesTeam && s.newTeam != scope.user.team)
                return denied("own_team", "a customer is created for your own team ("
                                              + scope.user.team.value_or("none") + "), not "
                                              + (s.newTeam ? *s.newTeam : std::string("every team")));
            if (s.writesOwner && s.newOwner && !scope.owns(s.newOwner))
                return denied("role", rep ? "a rep creates customers for themselves or the public pool"
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
                        return denied("claim_lost", "claim lost: it is already owned by " + *s.owner);
                    if (!s.owner && !scope.poolOf(s.team))
                        return denied("not_in_scope", "the customer is in the pool of team " + *s.team + ", not yours");
                    if (!s.ownerAtWrite || *s.ownerAtWrite == scope.user.name) return std::nullopt;
                }
                return denied("role", "only a manager can reassign a customer");
            }
            if (!scope.owns(s.ownerAtWrite, s.team)) return denied("not_in_scope", "the customer belongs to another team");
            if (s.newOwner && !scope.owns(s.newOwner))
                return denied("role", "customers can only go to members of your team");
            return std::nullopt;
        }
        if (!scope.owns(s.ownerAtWrite, s.team))
            return denied("not_in_scope", rep && !s.ownerAtWrite ? "the customer is in the public pool: claim it first"
                                          : !s.ownerAtWrite      ? "the customer is in another team's pool"
                                                                 : "the customer is owned by someone else");
        return std::nullopt;
    }
    // A child, or a conflict entry: judged on its stored root. The message
    // names only what the request named, so a refusal reveals nothing of a
    // row the caller may not see.
    if (!s.rootExists || !scope.owns(s.ownerAtWrite, s.team))
        return denied("not_in_scope", s.createsRow ? "its customer " + s.root + " is not yours"
                                                   : "it belongs to a customer that is not yours");
    // A visit is an audit record: a rep never voids one (nor un-voids or
    // edits the reason); a manager voids it with a reason and the row stays.
    // A plan is not yet a record of anything: its rep may call it off
    // (domain::cancelPlannedVisit) — judged on the visit the server holds,
    // which must exist and not be checked in, whatever the device believed.
    if (rep && e.name == "visit")
        for (const auto& w : r.writes) {
            const auto& name = e.fields.at(static_cast<size_t>(w.field)).name;
            if (name != "voided" && name != "void_reason") continue;
            const bool storedPlan = !s.createsRow && s.storedHolds && !s.storedHolds("checkin_at");
            if (!storedPlan) return denied("role", "only a manager can void a visit");
        }
    return std::nullopt;
}

} // namespace fieldsync::server
