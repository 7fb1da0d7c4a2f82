// Cadence: how often a customer of each level should be visited, and how far
// from the customer's recorded location a check-in may be before it is
// flagged — one configuration per team.
//
// Defaults (docs/domain.md "Tasks and today"): A every 7 days, B 14, C 30,
// D 90; check-in radius 500 m. A customer with no level has no cadence (never
// overdue).
//
// Where it lives: replica setting `team_config:<team>` (Replica::setting), a
// JSON object, every member optional (a missing one keeps its default):
//   {"cadence": {"A": days, "B": days, "C": days, "D": days},   1..3650 each
//    "checkin_radius_m": metres}                                  1..100000
// It is a per-device setting, written by a manager with `config cadence`
// (setTeamConfig refuses reps). Limitation, documented in docs/domain.md:
// it is not synced, so a rep's device uses the defaults unless the setting is
// written there too.
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
};

// Parses "A=7", "b=14", "radius=300" (case-insensitive level letters).
Status parseConfigAssignment(std::string_view text, TeamConfigChange& change);

// Applies a change for the acting user's team. Refused (PermissionDenied) for
// a rep; InvalidArgument for out-of-range values (nothing is written then).
Result<TeamConfig> setTeamConfig(replica::Replica& replica, const TeamConfigChange& change);

} // namespace fieldsync::domain
