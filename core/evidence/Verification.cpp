#include "evidence/Verification.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fieldsync::evidence {

std::string_view verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Verified: return "verified";
    case Verdict::Unverified: return "unverified";
    case Verdict::Suspicious: return "suspicious";
    }
    return "unverified";
}

std::optional<Verdict> verdictFromName(std::string_view name)
{
    for (Verdict v : {Verdict::Verified, Verdict::Unverified, Verdict::Suspicious})
        if (verdictName(v) == name) return v;
    return std::nullopt;
}

std::string Verification::reasonText() const
{
    std::string out;
    for (const auto& r : reasons) out += (out.empty() ? "" : ",") + r;
    return out;
}

double haversineMetres(double lat1, double lng1, double lat2, double lng2)
{
    constexpr double kEarthRadiusM = 6'371'008.8;
    constexpr double rad = std::numbers::pi / 180.0;
    const double dLat = (lat2 - lat1) * rad;
    const double dLng = (lng2 - lng1) * rad;
    const double a = std::sin(dLat / 2) * std::sin(dLat / 2)
        + std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dLng / 2) * std::sin(dLng / 2);
    // min() guards asin against rounding just above 1 for antipodal points.
    return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

Verification verify(const Evidence& e, const Thresholds& t)
{
    Verification out;
    bool suspicious = false;
    auto reason = [&](const char* code, bool isSuspicious) {
        out.reasons.emplace_back(code);
        suspicious = suspicious || isSuspicious;
    };
    const double accuracy = e.accuracyM && std::isfinite(*e.accuracyM) ? std::max(0.0, *e.accuracyM) : 0.0;
    if (!e.position) {
        reason("no_location", false);
    } else if (!e.customer) {
        reason("customer_unlocated", false);
    } else {
        const double d = haversineMetres(e.position->lat, e.position->lng, e.customer->lat, e.customer->lng);
        if (accuracy > t.radiusM) reason("imprecise", false);
        if (d - accuracy > t.radiusM) reason("far", true);
    }
    if (e.deviceAt && std::llabs(e.checkinAt - *e.deviceAt) > t.maxOffsetMs) reason("clock_offset", false);
    if (e.checkoutAt && *e.checkoutAt - e.checkinAt < t.minDwellMs) reason("short_stay", true);
    if (e.position && e.previous) {
        const double d = haversineMetres(e.previous->place.lat, e.previous->place.lng, e.position->lat, e.position->lng);
        const int64_t dt = e.checkinAt - e.previous->at;
        // km/h = (m / 1000) / (ms / 3,600,000); no time at all over a long hop is infinitely fast.
        if (d > kMinTravelCheckedM && (dt <= 0 || d * 3600.0 / static_cast<double>(dt) > t.maxSpeedKmh))
            reason("impossible_travel", true);
    }
    if (e.mock) reason("mock_location", true);
    out.verdict = suspicious ? Verdict::Suspicious : out.reasons.empty() ? Verdict::Verified : Verdict::Unverified;
    return out;
}

} // namespace fieldsync::evidence
