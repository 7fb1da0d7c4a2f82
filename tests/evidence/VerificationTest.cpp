// Every rule of evidence/Verification.h and its threshold, one row each: the
// inputs of a check-in, the thresholds, and the verdict and reasons expected.
// One metre of latitude is 1 / 111,195 degree on the mean sphere.
#include "evidence/Verification.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fieldsync::evidence {
namespace {

constexpr double kDegreePerMetre = 1.0 / 111'195.0;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kNoon = 1'796'000'000'000;  // a check-in time, ms
const Place kShop{31.2304, 121.4737};

Place north(const Place& from, double metres) { return {from.lat + metres * kDegreePerMetre, from.lng}; }

// A check-in at the customer, a 30-minute stay, a correct clock: verified.
Evidence good()
{
    Evidence e;
    e.checkinAt = kNoon;
    e.position = north(kShop, 50);
    e.accuracyM = 20;
    e.customer = kShop;
    e.checkoutAt = kNoon + 30 * kMinute;
    e.deviceAt = kNoon;
    return e;
}

struct Row {
    const char* name;
    void (*change)(Evidence&, Thresholds&);
    Verdict verdict;
    std::vector<std::string> reasons;
};

const Row kRows[] = {
    {"at the customer", [](Evidence&, Thresholds&) {}, Verdict::Verified, {}},
    {"no location", [](Evidence& e, Thresholds&) { e.position.reset(), e.accuracyM.reset(); }, Verdict::Unverified,
     {"no_location"}},
    {"customer without a location", [](Evidence& e, Thresholds&) { e.customer.reset(); }, Verdict::Unverified,
     {"customer_unlocated"}},
    {"far beyond the radius", [](Evidence& e, Thresholds&) { e.position = north(kShop, 2000); }, Verdict::Suspicious,
     {"far"}},
    {"just inside the radius", [](Evidence& e, Thresholds&) { e.position = north(kShop, 495), e.accuracyM = 0; },
     Verdict::Verified, {}},
    {"just outside the radius, exact fix", [](Evidence& e, Thresholds&) { e.position = north(kShop, 505), e.accuracyM = 0; },
     Verdict::Suspicious, {"far"}},
    {"outside the radius but within the fix's accuracy",
     [](Evidence& e, Thresholds&) { e.position = north(kShop, 600), e.accuracyM = 150; }, Verdict::Verified, {}},
    {"a fix too coarse to tell", [](Evidence& e, Thresholds&) { e.position = kShop, e.accuracyM = 800; },
     Verdict::Unverified, {"imprecise"}},
    {"a coarse fix still far", [](Evidence& e, Thresholds&) { e.position = north(kShop, 5000), e.accuracyM = 800; },
     Verdict::Suspicious, {"imprecise", "far"}},
    {"the team's wider radius", [](Evidence& e, Thresholds& t) { e.position = north(kShop, 900), t.radiusM = 1000; },
     Verdict::Verified, {}},
    {"clock off by more than the bound",
     [](Evidence& e, Thresholds&) { e.deviceAt = kNoon - 6 * kMinute; }, Verdict::Unverified, {"clock_offset"}},
    {"clock off ahead by more than the bound",
     [](Evidence& e, Thresholds&) { e.deviceAt = kNoon + 6 * kMinute; }, Verdict::Unverified, {"clock_offset"}},
    {"clock off within the bound", [](Evidence& e, Thresholds&) { e.deviceAt = kNoon - 4 * kMinute; },
     Verdict::Verified, {}},
    {"the team's tighter clock bound",
     [](Evidence& e, Thresholds& t) { e.deviceAt = kNoon - 2 * kMinute, t.maxOffsetMs = kMinute; }, Verdict::Unverified,
     {"clock_offset"}},
    {"a two-minute stay", [](Evidence& e, Thresholds&) { e.checkoutAt = kNoon + 2 * kMinute; }, Verdict::Suspicious,
     {"short_stay"}},
    {"a stay of exactly the minimum", [](Evidence& e, Thresholds&) { e.checkoutAt = kNoon + 5 * kMinute; },
     Verdict::Verified, {}},
    {"the team's longer minimum stay",
     [](Evidence& e, Thresholds& t) { e.checkoutAt = kNoon + 20 * kMinute, t.minDwellMs = 30 * kMinute; },
     Verdict::Suspicious, {"short_stay"}},
    {"not checked out yet", [](Evidence& e, Thresholds&) { e.checkoutAt.reset(); }, Verdict::Verified, {}},
    {"60 km in 10 minutes after the previous check-in",
     [](Evidence& e, Thresholds&) { e.previous = PreviousCheckIn{kNoon - 10 * kMinute, north(kShop, 60'000)}; },
     Verdict::Suspicious, {"impossible_travel"}},
    {"60 km in an hour", [](Evidence& e, Thresholds&) { e.previous = PreviousCheckIn{kNoon - 60 * kMinute, north(kShop, 60'000)}; },
     Verdict::Verified, {}},
    {"60 km in an hour, the team's 50 km/h",
     [](Evidence& e, Thresholds& t) {
         e.previous = PreviousCheckIn{kNoon - 60 * kMinute, north(kShop, 60'000)};
         t.maxSpeedKmh = 50;
     },
     Verdict::Suspicious, {"impossible_travel"}},
    {"a short hop at the same moment (GPS noise)",
     [](Evidence& e, Thresholds&) { e.previous = PreviousCheckIn{kNoon, north(kShop, 900)}; }, Verdict::Verified, {}},
    {"a long hop at the same moment",
     [](Evidence& e, Thresholds&) { e.previous = PreviousCheckIn{kNoon, north(kShop, 5000)}; }, Verdict::Suspicious,
     {"impossible_travel"}},
    {"no position: travel is not judged",
     [](Evidence& e, Thresholds&) {
         e.position.reset();
         e.previous = PreviousCheckIn{kNoon - kMinute, north(kShop, 60'000)};
     },
     Verdict::Unverified, {"no_location"}},
    {"a mock location", [](Evidence& e, Thresholds&) { e.mock = true; }, Verdict::Suspicious, {"mock_location"}},
    {"every reason at once, in the documented order",
     [](Evidence& e, Thresholds&) {
         e.position = north(kShop, 9000), e.accuracyM = 700;
         e.deviceAt = kNoon + 60 * kMinute;
         e.checkoutAt = kNoon + kMinute;
         e.previous = PreviousCheckIn{kNoon - kMinute, kShop};
         e.mock = true;
     },
     Verdict::Suspicious, {"imprecise", "far", "clock_offset", "short_stay", "impossible_travel", "mock_location"}},
    {"unverified reasons alone stay unverified",
     [](Evidence& e, Thresholds&) { e.customer.reset(), e.deviceAt = kNoon - 60 * kMinute; }, Verdict::Unverified,
     {"customer_unlocated", "clock_offset"}},
};

TEST(VerificationTest, EveryRuleAndThreshold)
{
    for (const auto& row : kRows) {
        Evidence e = good();
        Thresholds t;
        row.change(e, t);
        const Verification v = verify(e, t);
        EXPECT_EQ(verdictName(v.verdict), verdictName(row.verdict)) << row.name;
        EXPECT_EQ(v.reasons, row.reasons) << row.name;
    }
}

TEST(VerificationTest, ReasonsAreStoredCommaSeparated)
{
    Verification v;
    EXPECT_EQ(v.reasonText(), "");
    v.reasons = {"far", "short_stay"};
    EXPECT_EQ(v.reasonText(), "far,short_stay");
}

TEST(VerificationTest, VerdictNamesRoundTripAndUnknownOnesAreRefused)
{
    for (Verdict v : {Verdict::Verified, Verdict::Unverified, Verdict::Suspicious})
        EXPECT_EQ(verdictFromName(verdictName(v)), v);
    EXPECT_FALSE(verdictFromName("trusted"));
    EXPECT_FALSE(verdictFromName(""));
}

TEST(VerificationTest, HaversineOfAKnownDistance)
{
    // Shanghai People's Square to Beijing Tiananmen: about 1,067 km.
    EXPECT_NEAR(haversineMetres(31.2304, 121.4737, 39.9042, 116.4074), 1'067'000, 3'000);
    EXPECT_NEAR(haversineMetres(kShop.lat, kShop.lng, north(kShop, 1000).lat, kShop.lng), 1000, 0.5);
    EXPECT_EQ(haversineMetres(kShop.lat, kShop.lng, kShop.lat, kShop.lng), 0);
}

} // namespace
} // namespace fieldsync::evidence
