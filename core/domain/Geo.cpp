#include "domain/Geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fieldsync::domain {

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
