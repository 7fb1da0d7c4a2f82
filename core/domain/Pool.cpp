#include "domain/Pool.h"

#include "domain/Actor.h"
#include "domain/SearchIndex.h"

#include "crdt/Clock.h"
#include "replica/Replica.h"
#include "replica/RowState.h"
#include "schema/Schema.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <algorithm>
#include <map>

namespace fieldsync::domain {

using nlohmann::json;
using storage::UsingStatement;

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr int kMaxIdleDays = 3650;

const schema::EntityDef& customerEntity()
{
    return *schema::fieldsyncSchema().entity("customer");
}

// When the row's owner field was last written (ms), from its clock.
std::optional<int64_t> ownerWrittenAt(std::string_view clocks)
{
    const uint64_t bit = uint64_t{1} << customerEntity().field("owner")->index;
    for (const auto& g : replica::decodeClockGroups(clocks))
        if (g.mask & bit) return crdt::hlcMillis(g.hlc);
    return std::nullopt;
}

} // namespace

json Claim::toJson() const
{
    return {{"customer", customer}, {"name", name},     {"claimed_by", claimedBy}, {"claimed_at", claimedAt},
            {"clock", std::to_string(clock)}, {"status", status}, {"reason", reason}};
}

json IdleCustomer::toJson() const
{
    return {{"id", id},
            {"name", name},
            {"owner", owner},
            {"last_visit", lastVisit ? json(*lastVisit) : json(nullptr)},
            {"owner_since", ownerSince ? json(*ownerSince) : json(nullptr)},
            {"idle_days", idleDays}};
}

Pool::Pool(SearchIndex& index, Options options)
    : m_index(index), m_replica(index.replica()), m_options(std::move(options))
{
}

Status Pool::claim(std::string_view customerId)
{
    const Actor actor = Actor::of(m_replica);
    if (!actor.signedIn())
        return Error{ErrorCode::PermissionDenied, "sign in first: a claim makes the customer yours, by user name"};
    auto row = m_replica.get("customer", customerId);
    if (!row) return row.error();
    const std::string name = (*row)["name"].is_string() ? (*row)["name"].get<std::string>() : std::string();
    if ((*row)["archived"] == true)
        return failedPrecondition("customer " + name + " (" + std::string(customerId) + ") is archived");
    if ((*row)["owner"].is_string()) {
        const auto owner = (*row)["owner"].get<std::string>();
        if (owner == actor.user)
            return failedPrecondition("customer " + name + " (" + std::string(customerId) + ") is already yours");
        return failedPrecondition("customer " + name + " (" + std::string(customerId) + ") is not in the pool: "
                                  + owner + " owns it");
    }
    const int64_t at = m_options.time();
    return m_replica.batch([&]() -> Status {
        Status written = m_replica.update("customer", customerId, replica::Write().set("owner", actor.user));
        if (!written) return written;
        // The claim's clock: the newest outbox record of this customer, just written.
        auto& db = m_replica.database();
        UsingStatement last(db, "SELECT max(hlc) FROM outbox WHERE entity = ? AND \"row\" = ?");
        last->bind(1, customerEntity().code).bind(2, customerId);
        if (!last->step() || last->isNull(0)) return Error{ErrorCode::Internal, "the claim was not recorded"};
        UsingStatement keep(db, "INSERT INTO pool_claim (hlc, customer, name, claimed_by, claimed_at) "
                                "VALUES (?, ?, ?, ?, ?)");
        keep->bind(1, last->getInt(0)).bind(2, customerId).bind(3, name).bind(4, actor.user).bind(5, at);
        keep->run();
        return Ok{};
    });
}

std::vector<Claim> Pool::claims()
{
    auto& db = m_replica.database();
    std::vector<Claim> out;
    {
        UsingStatement st(db, "SELECT hlc, customer, name, claimed_by, claimed_at FROM pool_claim ORDER BY hlc DESC");
        while (st->step()) {
            Claim c;
            c.clock = static_cast<crdt::Hlc>(st->getInt(0));
            c.customer = st->getText(1);
            c.name = st->getText(2);
            c.claimedBy = st->getText(3);
            c.claimedAt = st->getInt(4);
            out.push_back(std::move(c));
        }
    }
    std::map<crdt::Hlc, std::string> rejected;
    for (const auto& r : m_replica.rejected()) rejected.emplace(r.clock, r.message);
    const crdt::Hlc acked = m_replica.acked();
    for (auto& c : out) {
        if (auto it = rejected.find(c.clock); it != rejected.end()) {
            c.status = "lost";
            c.reason = it->second;
            continue;
        }
        UsingStatement pending(db, "SELECT 1 FROM outbox WHERE hlc = ?");
        pending->bind(1, static_cast<int64_t>(c.clock));
        if (pending->step()) {
            c.status = "pending";
            continue;
        }
        if (c.clock > acked) {
            c.status = "withdrawn";
            c.reason = "the owner was written again on this device before the claim was synced";
            continue;
        }
        UsingStatement owner(db, "SELECT owner FROM customer WHERE id = ?");
        owner->bind(1, c.customer);
        if (!owner->step()) {
            c.status = "lost";
            c.reason = "the customer is no longer on this device: someone else holds it";
        } else if (owner->isNull(0)) {
            c.status = "lost";
            c.reason = "the customer is back in the public pool";
        } else if (owner->getText(0) != c.claimedBy) {
            c.status = "lost";
            c.reason = "the customer is now owned by " + owner->getText(0);
        } else {
            c.status = "won";
        }
    }
    return out;
}

Result<std::vector<IdleCustomer>> Pool::returnToPool(int idleDays, bool dryRun)
{
    if (!Actor::of(m_replica).isManager())
        return Error{ErrorCode::PermissionDenied, "only a manager can return customers to the pool"};
    if (idleDays < 1 || idleDays > kMaxIdleDays)
        return invalidArgument("--idle-days must be 1.." + std::to_string(kMaxIdleDays) + ", got "
                               + std::to_string(idleDays));
    m_index.refresh();
    const int64_t now = m_options.time();
    const int64_t cutoff = now - idleDays * kDayMs;
    std::vector<IdleCustomer> idle;
    {
        UsingStatement st(m_replica.database(),
                          "SELECT c.id, c.name, c.owner, d.last_visit, c._clocks FROM search_doc d "
                          "JOIN customer c ON c.id = d.customer WHERE c.owner IS NOT NULL "
                          "AND coalesce(c.archived, 0) = 0 AND (d.last_visit IS NULL OR d.last_visit < ?)");
        st->bind(1, cutoff);
        while (st->step()) {
            IdleCustomer c;
            c.id = st->getText(0);
            c.name = st->getText(1);
            c.owner = st->getText(2);
            if (!st->isNull(3)) c.lastVisit = st->getInt(3);
            c.ownerSince = ownerWrittenAt(st->getBlobView(4));
            // A customer handed to its owner recently is not idle yet.
            if (c.ownerSince && *c.ownerSince >= cutoff) continue;
            const int64_t since = std::max(c.lastVisit.value_or(0), c.ownerSince.value_or(0));
            c.idleDays = (now - since) / kDayMs;
            idle.push_back(std::move(c));
        }
    }
    std::sort(idle.begin(), idle.end(), [](const IdleCustomer& a, const IdleCustomer& b) {
        return a.idleDays != b.idleDays ? a.idleDays > b.idleDays : a.id < b.id;
    });
    if (dryRun || idle.empty()) return idle;
    Status written = m_replica.batch([&]() -> Status {
        for (const auto& c : idle) {
            Status s = m_replica.update("customer", c.id, replica::Write().set("owner", crdt::Value{}));
            if (!s) return s;
        }
        return Ok{};
    });
    if (!written) return written.error();
    return idle;
}

} // namespace fieldsync::domain
