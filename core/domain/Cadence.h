// Cadence: how often a customer of each level should be visited, and how far
// from the customer's recorded location a check-in may be before it is
// flagged — one configuration per team.
//
// Defaults (docs/domain.md "Tasks and today"): A every 7 days, B 14, C 30,
// D 90; check-in radius 500 m. A customer with no level has no cadence (never
// overdue).
//
// Where it lives: the team's synced `team_config` row (schema 2; id
// schema::teamConfigRowId(team), fields cadence_a..cadence_d in days 1..3650,
// radius_m in metres 1..100000, each lww). A manager of the team writes it
// (setTeamConfig, `fieldsync team config`); the server accepts it from the
// team's managers and admins only (sync-server/api/Scope.h) and every device
// of the team receives it. Per value, what counts is:
//   1. the synced row's value, when the row has arrived and holds one;
//   2. else the device's own setting `team_config:<team>` (Replica::setting,
//      written by releases before schema 2, and by setTeamConfig for a user
//      in no team — there is no row to sync then), a JSON object:
//        {"cadence": {"A": days, ...}, "checkin_radius_m": metres};
//   3. else the default.
// A value out of range (a hand-edited setting) is ignored, like a missing one.
#pragma once

#include "base/Result.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

inline constexpr std::array<std::string_view, 4> kLevels = {"A", "B", "C", "D"};
inline constexpr std::array<int, 4> kDefaultCadenceDays = {7, 14, 30, 90};
inline constexpr double kDefaultCheckinRadiusM = 500.0;
inline constexpr int kMaxCadenceDays = 3650;
inline constexpr double kMaxCheckinRadiusM = 100000.0;

// 0..3 for "A".."D", nullopt for anything else (including no level).
std::optional<int> levelIndex(std::string_view level);

struct TeamConfig {
    std::string team;  // empty: no team (the defaults apply)
    std::array<int, 4> cadenceDays = kDefaultCadenceDays;
    double checkinRadiusM = kDefaultCheckinRadiusM;
    // Check-in verification thresholds (evidence/Verification.h, docs/time.md):
    // synced team settings only; the defaults where unset.
    int minDwellMin = 5, maxSpeedKmh = 150, maxOffsetS = 300;
    bool synced = false;  // the team's team_config row is on this replica

    // Days between visits for a level, nullopt for an unknown/empty level.
    std::optional<int> cadenceFor(std::string_view level) const;
};

// The configuration of `team` as stored on this replica (defaults if none).
TeamConfig teamConfig(replica::Replica& replica, std::string_view team);
// The configuration of the acting user's team (Actor::of(replica).team).
TeamConfig teamConfig(replica::Replica& replica);
// Shortcut: the acting user's team's cadence for a level.
std::optional<int> cadenceDays(replica::Replica& replica, std::string_view level);

// A change to the acting user's team configuration: only the members set.
struct TeamConfigChange {
    std::array<std::optional<int>, 4> cadenceDays;
    std::optional<double> checkinRadiusM;
    std::optional<int> minDwellMin, maxSpeedKmh, maxOffsetS;  // a team's only
};

// Parses "A=7", "b=14", "radius=300", "min_dwell=10" (minutes, 0..1440),
// "max_speed=120" (km/h, 1..2000), "max_offset=300" (seconds, 0..31536000);
// case-insensitive keys.
Status parseConfigAssignment(std::string_view text, TeamConfigChange& change);

// Applies a change for the acting user's team: one synced write of the
// team_config row (created by the first manager to write it, on any device),
// or the device setting for a user in no team. Refused (PermissionDenied)
// for a rep; InvalidArgument for out-of-range values (nothing is written
// then).
Result<TeamConfig> setTeamConfig(replica::Replica& replica, const TeamConfigChange& change);

} // namespace fieldsync::domain
