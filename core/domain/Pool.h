// Pool: the public pool (公海) — customers with no owner, visible to every
// rep of the team — claiming from it offline, seeing how each claim ended,
// and a manager returning idle customers to it.
//
// Claims race: two reps may claim the same customer offline. The first claim
// to reach the server wins; a later one is refused there (code
// permission_denied, message "… claim lost: it is already owned by …",
// sync-server/api/Scope.cpp) and lands in the device's rejected list. The
// device keeps its own record of every claim (pool_claim, DomainMigrations.h)
// and derives each one's status, so a lost claim stays visible after the
// customer has left the device:
//   pending    not pushed yet, or pushed and not yet acknowledged
//   won        acknowledged, and the customer is owned by the claimer
//   lost       refused by the server (reason: its message), or accepted but
//              the customer is now owned by someone else / no longer on this
//              device (an older claim that a later change overrode)
//   withdrawn  replaced by a later local write of the owner before syncing
//
// Returning to the pool (manager or admin): customers with an owner whose
// last visit (latest non-voided check-in) and whose assignment to that owner
// (the clock of the owner field) are both older than N days lose their owner,
// in one batch of ordinary synced writes.
#pragma once

#include "base/Result.h"
#include "crdt/Hlc.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

class SearchIndex;

struct Claim {
    std::string customer, name, claimedBy;
    int64_t claimedAt = 0;  // ms
    crdt::Hlc clock = 0;    // the claim write's clock
    std::string status;     // pending | won | lost | withdrawn
    std::string reason;     // for lost (and withdrawn): why, in words

    nlohmann::json toJson() const;
};

struct IdleCustomer {
    std::string id, name, owner;
    std::optional<int64_t> lastVisit;   // ms; nullopt: never visited
    std::optional<int64_t> ownerSince;  // ms: when the owner was set
    int64_t idleDays = 0;               // since the later of the two

    nlohmann::json toJson() const;
};

class Pool {
public:
    struct Options {
        crdt::TimeSource time = crdt::systemTimeSource();
    };
    explicit Pool(SearchIndex& index) : Pool(index, Options{}) {}
    Pool(SearchIndex& index, Options options);

    // Sets the owner to the signed-in user (one synced write) and records the
    // claim. PermissionDenied when nobody is signed in; NotFound; and
    // FailedPrecondition when the customer is archived or already owned.
    Status claim(std::string_view customerId);

    // Every claim made on this device, newest first, with its status.
    std::vector<Claim> claims();

    // Customers idle for `idleDays` (1..3650), longest idle first; unless
    // `dryRun`, they are returned to the pool in one batch.
    // PermissionDenied for a rep; InvalidArgument for a bad day count.
    Result<std::vector<IdleCustomer>> returnToPool(int idleDays, bool dryRun);

private:
    SearchIndex& m_index;
    replica::Replica& m_replica;
    Options m_options;
};

} // namespace fieldsync::domain
