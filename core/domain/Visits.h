// Visits (拜访 / 回访): plan, check in, check out, void — the rules a rep's
// device enforces before the write reaches the outbox — and the visit rows as
// the domain reads them, with their derived flags.
//
// Stored in the synced `visit` entity (schema/FieldsyncSchema.cpp). What the
// domain adds to the fields:
//   status       planned → checked_in → completed (a stage: never backwards).
//                A visit logged after the fact (`visit log`) is created
//                completed with its check-in.
//   checkin_*    written once, in one write with distance_m and the status;
//                a second check-in is refused here (the schema's `once` rule
//                makes a concurrent one lose as a whole in merge).
//   distance_m   haversine metres from the customer's recorded lat/lng to the
//                check-in position, computed at check-in; null when either
//                position is unknown.
//   voided       set, with void_reason, only by a manager (PermissionDenied
//                for a rep here; the server refuses a rep's push with 403).
//                The row stays: timelines show it marked, reports skip it.
// Derived flags (computed when read, never stored):
//   far          distance_m > the team's check-in radius (Cadence.h) — a
//                flag, not a refusal: GPS drifts and customers move
//   no_location  checked in without a position (allowed, marked)
//   customer_archived / customer_missing   the visit's customer is archived /
//                not on this replica
//   verdict      the server's (visit.verdict, a server-owned field); until
//                it arrives, the same rules computed here (provisional)
#pragma once

#include "base/Result.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

class LocalTime;

struct Visit {
    std::string id, customer, rep, kind, purpose, notes, outcome, status, voidReason;
    std::optional<int64_t> plannedAt, checkinAt, checkoutAt, nextFollowUp;
    std::optional<double> checkinLat, checkinLng, checkinAccuracy, distanceM, orderAmount;
    std::optional<int> satisfaction;
    bool voided = false;
    // Evidence of the check-in (schema 4, docs/time.md): the device clock's
    // reading at capture (checkinAt is corrected to server time), a mock
    // location, offline when captured (unknown: nullopt); the server's
    // verdict and reasons (evidence/Verification.h), and when the check-in
    // reached it.
    std::optional<int64_t> checkinDeviceAt, checkinReceivedAt;
    bool checkinMock = false;
    std::optional<bool> checkinOffline;
    std::string verdict;                      // "" until checked in
    std::vector<std::string> verdictReasons;  // codes, e.g. "far", "short_stay"
    bool verdictProvisional = false;          // computed here: the server's has not arrived

    // Derived (see above).
    bool far = false;
    bool noLocation = false;
    bool customerArchived = false;
    bool customerMissing = false;
    std::string customerName;

    bool checkedIn() const { return checkinAt.has_value(); }
    // The time the visit happened (check-in) or is planned for.
    std::optional<int64_t> when() const { return checkinAt ? checkinAt : plannedAt; }
    // How long the check-in took to reach the server.
    std::optional<int64_t> syncDelayMs() const
    {
        if (!checkinAt || !checkinReceivedAt) return std::nullopt;
        return std::max<int64_t>(0, *checkinReceivedAt - *checkinAt);
    }
    // Flags in a fixed order: far, no_location, voided, customer_archived, customer_missing.
    std::vector<std::string> flags() const;
    nlohmann::json toJson() const;
};

struct VisitPlan {
    std::string customer;
    int64_t plannedAt = 0;
    std::string purpose;
    std::string kind = "visit";
    std::string rep;  // empty: the acting user
};

struct CheckIn {
    int64_t at = 0;  // corrected time (the replica's clock)
    std::optional<double> lat, lng, accuracy;
    // The device clock's reading for `at`; unset: `at` minus the replica's
    // known offset.
    std::optional<int64_t> deviceAt = std::nullopt;
    bool mock = false;                       // the platform said the position is mocked
    std::optional<bool> offline = std::nullopt;  // known offline when captured
};

struct CheckOut {
    int64_t at = 0;
    std::optional<double> lat, lng;
    std::optional<std::string> outcome, notes;
    std::optional<int> satisfaction;       // 1..5
    std::optional<double> orderAmount;     // >= 0
    std::optional<int64_t> nextFollowUp;   // creates a follow-up task
    std::string followUpTitle;             // default "回访 <customer name>"
};

struct CheckOutResult {
    std::optional<std::string> taskId;  // the follow-up task, if one was asked for
};

Result<std::string> planVisit(replica::Replica& replica, const VisitPlan& plan);
// Refused: unknown visit (NotFound), already checked in or voided
// (FailedPrecondition), bad position (InvalidArgument).
Status checkIn(replica::Replica& replica, const std::string& visitId, const CheckIn& checkIn);
// Completes a checked-in visit; a next follow-up creates a task
// (origin_visit = this visit, assignee = the visit's rep) in the same
// transaction. Refused unless checked in and not yet completed.
Result<CheckOutResult> checkOut(replica::Replica& replica, const std::string& visitId, const CheckOut& checkOut);
// Managers only; a reason is required; a voided visit cannot be voided again.
Status voidVisit(replica::Replica& replica, const std::string& visitId, const std::string& reason);
// A planned visit moved to another time. Refused once checked in (the plan
// became a visit: FailedPrecondition), when voided, or without a time.
Status rescheduleVisit(replica::Replica& replica, const std::string& visitId, int64_t plannedAt);
// A plan called off by whoever may write it — its rep too, unlike voiding:
// nothing happened yet, so there is no evidence to protect. Stored as a
// voided visit (the reason optional) and judged by the server on the visit
// it holds: refused there, as here, once the visit is checked in
// (docs/security.md). A checked-in visit is voided by a manager instead.
Status cancelPlannedVisit(replica::Replica& replica, const std::string& visitId, const std::string& reason);

// Metres from the customer's recorded location to (lat, lng); nullopt when
// the customer is not on this replica or has no location. What checkIn
// stores in distance_m; `visit log` uses it for a visit recorded in one go.
std::optional<double> distanceFromCustomer(replica::Replica& replica, const std::string& customer, double lat,
                                           double lng);

// Reads. `radiusM`: the check-in radius for the `far` flag.
std::optional<Visit> findVisit(replica::Replica& replica, const std::string& visitId, double radiusM);
// All visits on this replica (voided included), flags set, in no order.
std::vector<Visit> allVisits(replica::Replica& replica, double radiusM);
// Visits (voided included, flags set, no order) checked in within
// [from, to) — either bound optional — or planned within [from, to) and not
// checked in: the time-bounded reads of the agenda, feed, reports and export.
std::vector<Visit> visitsCheckedInBetween(replica::Replica& replica, std::optional<int64_t> from,
                                          std::optional<int64_t> to, double radiusM);
std::vector<Visit> visitsPlannedBetween(replica::Replica& replica, int64_t from, int64_t to, double radiusM);
// A customer's timeline: every visit (voided ones marked), latest first by
// when() (unplanned and unchecked last), then id.
std::vector<Visit> visitTimeline(replica::Replica& replica, const std::string& customer, double radiusM);

} // namespace fieldsync::domain
