// Reads the inputs of verify() (Verification.h) for one visit from the synced
// tables — the same columns on a device replica and on a hub, SQLite or
// PostgreSQL — so the device's provisional verdict and the server's come from
// one computation over the same values:
//   visit        checkin_at (corrected), checkin_lat/lng/accuracy,
//                checkout_at, checkin_device_at, checkin_mock, customer, rep
//   customer     lat, lng (its recorded location), team
//   team_config  of the customer's team: radius_m, min_dwell_min,
//                max_speed_kmh, max_offset_s (unset: Thresholds' defaults)
//   previous     the same rep's latest other visit checked in with a position
//                before this one (by checkin_at, then id), not voided
// What each side holds decides what it sees: a device holds its user's
// customers only, so a rep's previous check-in at a customer since handed to
// someone else counts on the server and not on the device; a visit that
// reaches the server before an earlier one of the same rep is judged without
// it (verdicts are computed when a check-in or check-out is merged, not again
// when older visits arrive).
#pragma once

#include "crdt/Value.h"
#include "evidence/Verification.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fieldsync::storage {
class Connection;
}

namespace fieldsync::evidence {

struct Gathered {
    Evidence evidence;
    Thresholds thresholds;
};

// Nothing for a visit that does not exist or is not checked in.
std::optional<Gathered> gather(storage::Connection& db, std::string_view visitId);

// What the server writes on a visit when it merges a change to its evidence
// (Hub PushContext::derive): verdict, verdict_reasons (null for none) and,
// the first time, checkin_received_at = receivedAt (none: not recorded — a
// demo seed did not receive anything) — only the fields whose stored value
// differs. Nothing for a visit that is not checked in.
std::vector<std::pair<std::string, crdt::Value>> serverFields(storage::Connection& db, std::string_view visitId,
                                                              std::optional<int64_t> receivedAt);

// The visit fields a verdict is computed from: a change writing none of them
// leaves the verdict as it is.
bool isEvidenceField(std::string_view visitField);

} // namespace fieldsync::evidence
