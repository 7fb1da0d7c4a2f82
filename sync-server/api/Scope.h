// Scope: who may see and write what (DESIGN §4 "Scopes", docs/api.md,
// docs/security.md): the server's policy over the scope the schema declares
// (schema/Schema.h, ScopeKind) and the hub reads from what it stores
// (replica::RecordScope). The hub calls allow() for every pushed change —
// the one place a change is authorised — after its own checks (a child's
// customer and a customer's team are written once, references name rows
// the writer may see: Hub.h, PushContext).
//
//   rep      owns the customers whose `owner` is the rep; sees those and the
//            public pool of their team (unowned customers), to claim from it
//   manager  owns the customers of every member of their team, their own and
//            their team's pool
// The public pool is per team (schema 3): an unowned customer is in the pool
// of its `team`, written once when the customer is created (by default the
// creator's team: core/domain). A customer of no team (created before
// schema 3, or by an admin without one) is in every team's pool. A rep or
// manager creates customers for their own team only, and writes that team
// on them (a rep of no team: no team); nobody writes `team`
// on an existing customer (it moves between teams by a manager reassigning
// it to an owner of the other team), so visibility changes only with the
// owner, which the hub's owner_change rows track exactly. A rep claims only
// from their own team's pool.
//   admin    everything
// Everything hanging off a customer (contacts, visits, tasks, complaints,
// conflict entries) follows its customer. A write is judged by who owned the
// customer when it was written (RecordScope::ownerAtWrite), so a rep's visit
// logged offline before a reassignment still lands.
//
// Claims from the pool (a rep setting `owner` to themselves): the first claim
// to reach the server wins. A claim arriving when the customer already has
// another owner is refused (reason claim_lost) with "claim lost: it is
// already owned by <owner>",
// and the device lists it as lost (core/domain/Pool.h). A visit's `voided` and
// `void_reason` are written by managers and admins only.
//
// A team's configuration (`team_config`, schema 2: visit cadence, check-in
// radius) is written by the managers of that team — the row whose id is
// schema::teamConfigRowId(their team) — and by admins; reps are refused.
// Every user receives every team's row (it belongs to no customer, and is
// not secret); a device reads its own team's (core/domain/Cadence.h).
#pragma once

#include "replica/Hub.h"
#include "store/Accounts.h"

#include <optional>
#include <set>
#include <string>

namespace fieldsync::server {

struct Scope {
    User user;
    std::set<std::string> team;  // member names of the user's team

    static Scope of(const User& user, Accounts& accounts);

    // `customerTeam`: the customer's team (customer.team), which decides
    // whose pool holds it while it has no owner.
    bool owns(const std::optional<std::string>& owner,
              const std::optional<std::string>& customerTeam = std::nullopt) const;
    bool sees(const std::optional<std::string>& owner,
              const std::optional<std::string>& customerTeam = std::nullopt) const
    {
        return owns(owner, customerTeam) || (!owner && poolOf(customerTeam));
    }
    // Whether an unowned customer of `customerTeam` is in this user's pool:
    // a customer of no team is in every team's pool.
    bool poolOf(const std::optional<std::string>& customerTeam) const;
    replica::Viewer viewer() const;
    // Null if the user may make this change; else PermissionDenied naming the
    // row, with a reason (Error::reason): not_in_scope (outside the user's
    // scope when written), own_team (a new customer of another team),
    // claim_lost, role (a rep reassigning, voiding a visit, configuring).
    std::optional<Error> allow(const protocol::ChangeRecord& record, const replica::RecordScope& scope) const;
};

} // namespace fieldsync::server
