// Assign: a manager hands customers to a rep of the team (reassigning between
// reps, or out of the public pool), so that two reps never chase the same
// customer (撞单).
//
// Rules (checked here for a clear message at once, offline; the server checks
// them again on push, sync-server/api/Scope.cpp, and its word counts):
//   - only a manager or an admin assigns (PermissionDenied for a rep or for a
//     replica nobody signed in on);
//   - the target must be a member of the team as this device knows it
//     (knownTeamMembers; InvalidArgument otherwise);
//   - every customer must be on this replica (NotFound) and not archived
//     (FailedPrecondition); one bad customer refuses the whole request.
// A customer already owned by the target is left alone (counted unchanged).
// The others get `owner = target` in one Replica::batch: all or nothing, one
// ordinary synced write each. When it syncs, the rep's device receives the
// customer whole (scope entry) and the previous owner's device evicts it.
//
// Who is in the team: devices do not receive the server's user list, so the
// roster is derived from the replica, which for a manager holds exactly the
// team's customers and what hangs off them: the signed-in user, every owner
// of a customer, and every rep of a visit or assignee of a task on this
// replica. A rep who owns nothing and has never visited anyone is not known
// yet (docs/app.md, "Team").
#pragma once

#include "base/Result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

// The team's members as this replica knows them, sorted by user name.
std::vector<std::string> knownTeamMembers(replica::Replica& replica);

struct AssignResult {
    size_t changed = 0;    // customers whose owner is now the target
    size_t unchanged = 0;  // already owned by the target
};

Result<AssignResult> assignCustomers(replica::Replica& replica, const std::vector<std::string>& customerIds,
                                     const std::string& rep);

} // namespace fieldsync::domain
