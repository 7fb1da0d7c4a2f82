// Check-in verification through the server (docs/time.md, "Check-in
// verification"): the server judges a check-in when it merges it and stores
// the verdict in the visit's server-owned fields; the device shows its own,
// provisional, verdict until the server's arrives — the same rules over the
// same inputs (evidence/Gather.h), so the two agree. Devices check in through
// the domain (domain::checkIn, checkOut), as the app and the CLI do.
#include "ServerTestSupport.h"

#include "domain/Visits.h"
#include "evidence/Verification.h"

#include <random>

namespace fieldsync::server::test {
namespace {

constexpr double kDegreePerMetre = 1.0 / 111'195.0;
constexpr double kShopLat = 31.2304, kShopLng = 121.4737;

domain::CheckOut checkOutAt(int64_t at)
{
    domain::CheckOut out;
    out.at = at;
    return out;
}

class CheckInVerdictTest : public SignedInFixture {
protected:
    std::string customerAt(Device& d, std::optional<double> lat, std::optional<double> lng, const std::string& name)
    {
        Write w = Write().set("name", name).set("owner", d.user).set("team", "north"s);
        if (lat) w.set("lat", *lat).set("lng", *lng);
        return create(d, "customer", w);
    }
    std::string visitTo(Device& d, const std::string& customer)
    {
        auto id = domain::planVisit(*d, {customer, now, "送样品", "visit", d.user});
        EXPECT_TRUE(id.ok()) << id.error().message;
        return id.ok() ? *id : std::string();
    }
    domain::Visit read(Device& d, const std::string& visit)
    {
        auto v = domain::findVisit(*d, visit, 500);
        EXPECT_TRUE(v.has_value()) << visit;
        return v.value_or(domain::Visit{});
    }
};

TEST_F(CheckInVerdictTest, TheServerJudgesACheckInWhenItIsMergedAndTheDeviceShowsItsOwnUntilThen)
{
    const std::string shop = customerAt(*lina, kShopLat, kShopLng, "上海宏达贸易");
    const std::string visit = visitTo(*lina, shop);
    // Two kilometres north of the shop, a 20 m fix.
    const int64_t checkin = now - 10 * kMinute;
    ASSERT_TRUE(domain::checkIn(**lina, visit, {checkin, kShopLat + 2000 * kDegreePerMetre, kShopLng, 20.0}).ok());

    domain::Visit local = read(*lina, visit);
    EXPECT_EQ(local.verdict, "suspicious");
    EXPECT_EQ(local.verdictReasons, std::vector<std::string>{"far"});
    EXPECT_TRUE(local.verdictProvisional);
    EXPECT_EQ(local.checkinDeviceAt, checkin) << "the device clock's reading, with no offset known";
    EXPECT_FALSE(local.checkinReceivedAt);

    now += 5 * kMinute;
    const int64_t reached = now + 1;  // the sync's request moves the fake clock by 1 ms first
    syncOk(*lina);
    EXPECT_EQ(hubField("visit", visit, "verdict"), "suspicious");
    EXPECT_EQ(hubField("visit", visit, "verdict_reasons"), "far");
    const json received = hubField("visit", visit, "checkin_received_at");
    ASSERT_TRUE(received.is_number()) << received;
    EXPECT_GE(received.get<int64_t>(), now - 5 * kMinute);
    EXPECT_LE(received.get<int64_t>(), reached + kMinute);

    syncOk(*lina);  // the server's verdict comes back
    domain::Visit synced = read(*lina, visit);
    EXPECT_EQ(synced.verdict, "suspicious");
    EXPECT_FALSE(synced.verdictProvisional) << "the server's, not the device's";
    ASSERT_TRUE(synced.syncDelayMs());
    EXPECT_GE(*synced.syncDelayMs(), 10 * kMinute) << "checked in 10 minutes before it reached the server";
    EXPECT_EQ((*lina)->pendingCount(), 0u) << "the server's fields never enter the outbox";

    // A two-minute stay: judged again at check-out.
    ASSERT_TRUE(domain::checkOut(**lina, visit, checkOutAt(checkin + 2 * kMinute)).ok());
    syncOk(*lina);
    EXPECT_EQ(hubField("visit", visit, "verdict_reasons"), "far,short_stay");
    EXPECT_EQ(hubField("visit", visit, "checkin_received_at"), received) << "when it first reached the server";
    syncOk(*lina);
    EXPECT_EQ(read(*lina, visit).verdictReasons, (std::vector<std::string>{"far", "short_stay"}));

    // The manager sees the verdict and its reasons.
    syncOk(*zhang);
    domain::Visit seen = read(*zhang, visit);
    EXPECT_EQ(seen.verdict, "suspicious");
    EXPECT_FALSE(seen.verdictProvisional);
}

TEST_F(CheckInVerdictTest, ARepWritingHerOwnVerdictIsRefusedOnTheDeviceAndByTheServer)
{
    const std::string shop = customerAt(*lina, std::nullopt, std::nullopt, "无位置客户");
    const std::string visit = visitTo(*lina, shop);
    ASSERT_TRUE(domain::checkIn(**lina, visit, {now - kMinute, std::nullopt, std::nullopt, std::nullopt}).ok());
    syncOk(*lina);
    ASSERT_EQ(hubField("visit", visit, "verdict"), "unverified");
    ASSERT_EQ(hubField("visit", visit, "verdict_reasons"), "no_location");

    auto local = (*lina)->update("visit", visit, Write().set("verdict", "verified"s));
    ASSERT_FALSE(local.ok());
    EXPECT_THAT(local.error().message, HasSubstr("written by the server only"));

    // Her own device's token, her own visit, a raw change: refused whole.
    const HubState before = hubState();
    json change = {{"entity", "visit"},
                   {"id", visit},
                   {"clock", crdt::Clock{std::max((*lina)->clock().last() + 1, crdt::hlcFromMillis(now)),
                                         (*lina)->deviceId()}.str()},
                   {"seen", (*lina)->cursor()},
                   {"set", {{"verdict", "verified"}, {"verdict_reasons", nullptr}}}};
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", lina->hex()},
                 {"push", {{"after", std::to_string((*lina)->acked())}, {"changes", json::array({change})}}}};
    HttpResponse r = post("/v1/sync", body, lina->token);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_THAT(r.body, HasSubstr("visit.verdict is written by the server only"));
    expectHubUnchanged(before, "a forged verdict");
}

TEST_F(CheckInVerdictTest, TheTeamsThresholdsDecide)
{
    // The north team wants 30-minute visits and 1 km of slack.
    ASSERT_TRUE((*zhang)->put("team_config", schema::teamConfigRowId("north"),
                           Write().set("team", "north"s).set("min_dwell_min", int64_t{30}).set("radius_m", 1000.0))
                    .ok());
    syncOk(*zhang);
    syncOk(*lina);
    const std::string shop = customerAt(*lina, kShopLat, kShopLng, "上海宏达贸易");
    const std::string visit = visitTo(*lina, shop);
    const int64_t at = now - 60 * kMinute;
    ASSERT_TRUE(domain::checkIn(**lina, visit, {at, kShopLat + 800 * kDegreePerMetre, kShopLng, 10.0}).ok());
    ASSERT_TRUE(domain::checkOut(**lina, visit, checkOutAt(at + 20 * kMinute)).ok());
    EXPECT_EQ(read(*lina, visit).verdictReasons, std::vector<std::string>{"short_stay"})
        << "800 m is within the team's 1 km; 20 minutes is short of its 30";
    syncOk(*lina);
    EXPECT_EQ(hubField("visit", visit, "verdict"), "suspicious");
    EXPECT_EQ(hubField("visit", visit, "verdict_reasons"), "short_stay");
}

TEST_F(CheckInVerdictTest, TwoCheckInsSixtyKilometresApartTenMinutesApartAreImpossibleTravel)
{
    const std::string a = customerAt(*lina, kShopLat, kShopLng, "上海宏达贸易");
    const double farLat = kShopLat + 60'000 * kDegreePerMetre;
    const std::string b = customerAt(*lina, farLat, kShopLng, "嘉兴客户");
    const std::string first = visitTo(*lina, a), second = visitTo(*lina, b);
    const int64_t at = now - 60 * kMinute;
    ASSERT_TRUE(domain::checkIn(**lina, first, {at, kShopLat, kShopLng, 10.0}).ok());
    syncOk(*lina);  // the first reaches the server before the second
    ASSERT_TRUE(domain::checkIn(**lina, second, {at + 10 * kMinute, farLat, kShopLng, 10.0}).ok());
    EXPECT_EQ(read(*lina, second).verdictReasons, std::vector<std::string>{"impossible_travel"});
    syncOk(*lina);
    EXPECT_EQ(hubField("visit", first, "verdict"), "verified");
    EXPECT_EQ(hubField("visit", second, "verdict"), "suspicious");
    EXPECT_EQ(hubField("visit", second, "verdict_reasons"), "impossible_travel");
}

// The property: for random check-ins (positions near and far, coarse and
// fine fixes, none, customers with and without a location, short and long
// stays, clocks off, mock locations, consecutive check-ins near and far in
// time and space) under random team thresholds, the verdict a device shows
// before it syncs is the one the server stores and sends back.
TEST_F(CheckInVerdictTest, TheDevicesProvisionalVerdictIsTheServers)
{
    const char* seedText = std::getenv("FIELDSYNC_SEED");
    const uint64_t seed = seedText ? std::stoull(seedText) : std::random_device{}();
    SCOPED_TRACE("FIELDSYNC_SEED=" + std::to_string(seed));
    std::mt19937_64 rng(seed);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto chance = [&](double p) { return uniform(0, 1) < p; };
    auto range = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };

    Write config = Write().set("team", "north"s);
    if (chance(0.7)) config.set("radius_m", uniform(100, 2000));
    if (chance(0.7)) config.set("min_dwell_min", range(0, 60));
    if (chance(0.7)) config.set("max_speed_kmh", range(20, 300));
    if (chance(0.7)) config.set("max_offset_s", range(0, 1200));
    ASSERT_TRUE((*zhang)->put("team_config", schema::teamConfigRowId("north"), config).ok());
    syncOk(*zhang);
    syncOk(*lina);

    std::vector<std::string> customers;
    std::vector<std::optional<std::pair<double, double>>> places;
    for (int i = 0; i < 12; ++i) {
        std::optional<std::pair<double, double>> place;
        if (i > 0) place = std::pair{kShopLat + uniform(-0.5, 0.5), kShopLng + uniform(-0.5, 0.5)};
        customers.push_back(customerAt(*lina, place ? std::optional(place->first) : std::nullopt,
                                       place ? std::optional(place->second) : std::nullopt, "客户" + std::to_string(i)));
        places.push_back(place);
    }
    std::map<std::string, domain::Visit> provisional;
    int64_t at = now - 30LL * 24 * 60 * kMinute;
    for (int i = 0; i < 120; ++i) {
        const size_t c = static_cast<size_t>(range(0, static_cast<int64_t>(customers.size()) - 1));
        const std::string visit = visitTo(*lina, customers[c]);
        at += chance(0.2) ? range(0, 3) * kMinute : range(10, 240) * kMinute;
        domain::CheckIn in{at, std::nullopt, std::nullopt, std::nullopt};
        if (chance(0.85)) {
            const auto base = places[c].value_or(std::pair{kShopLat, kShopLng});
            const double metres = chance(0.6) ? uniform(0, 400) : uniform(400, 80'000);
            in.lat = base.first + metres * kDegreePerMetre;
            in.lng = base.second;
            if (chance(0.8)) in.accuracy = chance(0.8) ? uniform(3, 60) : uniform(200, 3000);
        }
        if (chance(0.2)) in.deviceAt = at + range(-30, 30) * kMinute;
        in.mock = chance(0.05);
        ASSERT_TRUE(domain::checkIn(**lina, visit, in).ok());
        if (chance(0.7)) {
            at += chance(0.3) ? range(0, 10) * kMinute : range(10, 90) * kMinute;
            ASSERT_TRUE(domain::checkOut(**lina, visit, checkOutAt(at)).ok());
        }
        // What the device shows before the visit reaches the server.
        domain::Visit mine = read(*lina, visit);
        EXPECT_TRUE(mine.verdictProvisional) << visit;
        provisional[visit] = mine;
        if (chance(0.1)) syncOk(*lina);  // some reach the server before later ones are made
    }

    syncOk(*lina);
    syncOk(*lina);
    const json visits = hub->dump()["visit"];
    size_t compared = 0, suspicious = 0, unverified = 0;
    std::set<std::string> reasonsSeen;
    for (const auto& [id, mine] : provisional) {
        ASSERT_TRUE(visits.contains(id)) << id;
        const json& row = visits[id];
        std::string reasons;
        for (const auto& r : mine.verdictReasons) reasons += (reasons.empty() ? "" : ",") + r;
        EXPECT_EQ(row["verdict"]["value"], mine.verdict) << id << ": " << row.dump();
        EXPECT_EQ(row.contains("verdict_reasons") ? row["verdict_reasons"]["value"] : json(nullptr),
                  reasons.empty() ? json(nullptr) : json(reasons))
            << id;
        domain::Visit back = read(*lina, id);
        EXPECT_FALSE(back.verdictProvisional) << id;
        EXPECT_EQ(back.verdict, mine.verdict) << id;
        EXPECT_EQ(back.verdictReasons, mine.verdictReasons) << id;
        ++compared;
        reasonsSeen.insert(mine.verdictReasons.begin(), mine.verdictReasons.end());
        suspicious += mine.verdict == "suspicious";
        unverified += mine.verdict == "unverified";
    }
    // The scenario reaches every verdict (not a test that passes on nothing).
    EXPECT_GT(suspicious, 0u);
    EXPECT_GT(unverified, 0u);
    EXPECT_GT(compared - suspicious - unverified, 0u);
    for (const char* reason : {"far", "no_location", "customer_unlocated", "impossible_travel"})
        EXPECT_TRUE(reasonsSeen.count(reason)) << reason << " never came up";
}

} // namespace
} // namespace fieldsync::server::test
