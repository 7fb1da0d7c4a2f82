#include "domain/Geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fieldsync::domain {

double haversineMetres(double lat1, double lng1, double lat2, double lng2)
{
    constexpr double rad = std::numbers::pi / 180.0;
    const double dLat = (lat2 - lat1) * rad;
    const double dLng = (lng2 - lng1) * rad;
    const double a = std::sin(dLat / 2) * std::sin(dLat / 2)
        + std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dLng / 2) * std::sin(dLng / 2);
    // min() guards asin against rounding just above 1 for antipodal points.
    return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

Status checkPosition(std::optional<double> lat, std::optional<double> lng, std::optional<double> accuracy)
{
    if (lat.has_value() != lng.has_value()) return invalidArgument("latitude and longitude go together");
    if (accuracy && !lat) return invalidArgument("an accuracy needs a latitude and longitude");
    if (lat && !(std::isfinite(*lat) && *lat >= -90 && *lat <= 90))
        return invalidArgument("latitude must be between -90 and 90");
    if (lng && !(std::isfinite(*lng) && *lng >= -180 && *lng <= 180))
        return invalidArgument("longitude must be between -180 and 180");
    if (accuracy && !(std::isfinite(*accuracy) && *accuracy >= 0))
        return invalidArgument("accuracy must be a non-negative number of metres");
    return Ok{};
}

} // namespace fieldsync::domain
