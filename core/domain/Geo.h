// Geo: distances between check-in positions and customers' recorded
// locations. WGS-84 degrees in, metres out.
#pragma once

#include "base/Result.h"

#include <optional>

namespace fieldsync::domain {

// The mean Earth radius (IUGG), the usual sphere for haversine distances.
inline constexpr double kEarthRadiusM = 6'371'008.8;

// Great-circle distance on that sphere. Within a city the sphere is off from
// the ellipsoid by well under 0.5 %, far less than a phone's GPS error.
double haversineMetres(double lat1, double lng1, double lat2, double lng2);

// A check-in position as typed or reported: lat in [-90, 90], lng in
// [-180, 180], accuracy >= 0; lat and lng both present or both absent.
Status checkPosition(std::optional<double> lat, std::optional<double> lng, std::optional<double> accuracy);

} // namespace fieldsync::domain
