// Geo: distances between check-in positions and customers' recorded
// locations. WGS-84 degrees in, metres out.
#pragma once

#include "base/Result.h"
#include "evidence/Verification.h"

#include <optional>

namespace fieldsync::domain {

// Great-circle distance in metres (evidence/Verification.h: the verdict's
// distances are the same computation).
using evidence::haversineMetres;

// A check-in position as typed or reported: lat in [-90, 90], lng in
// [-180, 180], accuracy >= 0; lat and lng both present or both absent.
Status checkPosition(std::optional<double> lat, std::optional<double> lng, std::optional<double> accuracy);

} // namespace fieldsync::domain
