// Check-in verification: how far a manager may trust that a rep was at the
// customer when the visit says. Pure functions over values (no SQLite, no
// clock): the server computes the verdict at merge and stores it in the
// visit's server-owned fields; a device computes the same one, provisionally,
// until the server's arrives (Gather.h reads the inputs on either side).
//
// A verdict and its reasons, each reason with its weight:
//   no_location         checked in without a position                 unverified
//   customer_unlocated  the customer has no recorded position         unverified
//   imprecise           the reported accuracy is worse than the radius unverified
//   far                 distance − accuracy > radius: outside even at  suspicious
//                       the best the fix allows
//   clock_offset        the device clock was off from server time by   unverified
//                       more than max_offset when it captured the
//                       check-in (its time is corrected; still, only
//                       the server's word says when)
//   short_stay          check-out − check-in < min_dwell               suspicious
//   impossible_travel   from the rep's previous check-in to this one   suspicious
//                       faster than max_speed over more than 1 km
//   mock_location       the platform reported a mock location provider suspicious
// The verdict: suspicious if any suspicious reason, else unverified if any
// reason, else verified. Reasons are listed in the order above.
//
// Thresholds are the team's settings (team_config: radius_m, min_dwell_min,
// max_speed_kmh, max_offset_s); an unset one takes the default below.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::evidence {

enum class Verdict { Verified, Unverified, Suspicious };

std::string_view verdictName(Verdict verdict);  // "verified", "unverified", "suspicious"
std::optional<Verdict> verdictFromName(std::string_view name);

struct Thresholds {
    double radiusM = 500;                  // team_config.radius_m (Cadence.h's default)
    int64_t minDwellMs = 5 * 60'000;       // team_config.min_dwell_min
    double maxSpeedKmh = 150;              // team_config.max_speed_kmh: faster than a car between cities
    int64_t maxOffsetMs = 5 * 60'000;      // team_config.max_offset_s: the server's own bound on clocks
};

// Hops shorter than this never count as impossible travel: two fixes a few
// hundred metres apart are GPS noise as often as they are travel.
inline constexpr double kMinTravelCheckedM = 1000;

struct Place {
    double lat = 0, lng = 0;
};

// The rep's check-in before this one (by corrected time), with a position.
struct PreviousCheckIn {
    int64_t at = 0;
    Place place;
};

struct Evidence {
    int64_t checkinAt = 0;                 // corrected time (server clock), ms
    std::optional<Place> position;         // where the device said it was
    std::optional<double> accuracyM;       // the fix's reported accuracy
    std::optional<Place> customer;         // the customer's recorded location
    std::optional<int64_t> checkoutAt;     // corrected time, once checked out
    std::optional<int64_t> deviceAt;       // the device clock's reading at capture
    bool mock = false;
    std::optional<PreviousCheckIn> previous;
};

struct Verification {
    Verdict verdict = Verdict::Verified;
    std::vector<std::string> reasons;  // codes, in the order of the table above
    // "far,short_stay" — how the server stores them (visit.verdict_reasons).
    std::string reasonText() const;
};

// Great-circle distance on the mean Earth sphere (IUGG radius), in metres.
// Within a city the sphere is off from the ellipsoid by well under 0.5 %,
// far less than a phone's GPS error.
double haversineMetres(double lat1, double lng1, double lat2, double lng2);

Verification verify(const Evidence& evidence, const Thresholds& thresholds);

} // namespace fieldsync::evidence
