#include "domain/Cadence.h"

#include "domain/Actor.h"
#include "replica/Replica.h"
#include "schema/Schema.h"

#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace fieldsync::domain {
namespace {

using nlohmann::json;

std::string settingKey(std::string_view team) { return "team_config:" + std::string(team); }

constexpr const char* kTeamConfigEntity = "team_config";
constexpr std::array<const char*, 4> kCadenceFields = {"cadence_a", "cadence_b", "cadence_c", "cadence_d"};

Status checkCadence(int days)
{
    if (days < 1 || days > kMaxCadenceDays)
        return invalidArgument("a visit cadence is 1.." + std::to_string(kMaxCadenceDays) + " days, not "
                               + std::to_string(days));
    return Ok{};
}

Status checkRadius(double metres)
{
    if (!(metres >= 1.0 && metres <= kMaxCheckinRadiusM))
        return invalidArgument("the check-in radius is 1..100000 metres");
    return Ok{};
}

// The verification thresholds: assignment key, team_config field, bounds
// (the schema's), and where they live in TeamConfig and TeamConfigChange.
struct Threshold {
    const char* key;    // upper case, as parsed
    const char* field;  // team_config
    const char* name;   // in messages
    int min, max;
    int TeamConfig::*member;
    std::optional<int> TeamConfigChange::*change;
};
const Threshold kThresholds[] = {
    {"MIN_DWELL", "min_dwell_min", "min_dwell (minutes)", 0, 1440, &TeamConfig::minDwellMin, &TeamConfigChange::minDwellMin},
    {"MAX_SPEED", "max_speed_kmh", "max_speed (km/h)", 1, 2000, &TeamConfig::maxSpeedKmh, &TeamConfigChange::maxSpeedKmh},
    {"MAX_OFFSET", "max_offset_s", "max_offset (seconds)", 0, 31'536'000, &TeamConfig::maxOffsetS,
     &TeamConfigChange::maxOffsetS},
};

} // namespace

std::optional<int> levelIndex(std::string_view level)
{
    for (size_t i = 0; i < kLevels.size(); ++i)
        if (kLevels[i] == level) return static_cast<int>(i);
    return std::nullopt;
}

std::optional<int> TeamConfig::cadenceFor(std::string_view level) const
{
    auto i = levelIndex(level);
    if (!i) return std::nullopt;
    return cadenceDays[static_cast<size_t>(*i)];
}

// The device's own setting over the defaults (the fallback).
static TeamConfig deviceConfig(replica::Replica& replica, std::string_view team)
{
    TeamConfig config;
    config.team = std::string(team);
    auto stored = replica.setting(settingKey(team));
    if (!stored) return config;
    // The setting is written only by setTeamConfig; a value that does not
    // parse (edited by hand) falls back to the defaults member by member.
    json j = json::parse(*stored, nullptr, false);
    if (!j.is_object()) return config;
    if (auto c = j.find("cadence"); c != j.end() && c->is_object())
        for (size_t i = 0; i < kLevels.size(); ++i)
            if (auto d = c->find(std::string(kLevels[i])); d != c->end() && d->is_number_integer()
                && checkCadence(d->get<int>()).ok())
                config.cadenceDays[i] = d->get<int>();
    if (auto r = j.find("checkin_radius_m"); r != j.end() && r->is_number() && checkRadius(r->get<double>()).ok())
        config.checkinRadiusM = r->get<double>();
    return config;
}

TeamConfig teamConfig(replica::Replica& replica, std::string_view team)
{
    TeamConfig config = deviceConfig(replica, team);
    if (team.empty()) return config;
    auto row = replica.get(kTeamConfigEntity, schema::teamConfigRowId(team));
    if (!row) return config;  // not synced here yet
    config.synced = true;
    for (size_t i = 0; i < kLevels.size(); ++i) {
        const auto& v = (*row)[kCadenceFields[i]];
        if (v.is_number_integer() && checkCadence(v.get<int>()).ok()) config.cadenceDays[i] = v.get<int>();
    }
    if (const auto& r = (*row)["radius_m"]; r.is_number() && checkRadius(r.get<double>()).ok())
        config.checkinRadiusM = r.get<double>();
    for (const auto& t : kThresholds)
        if (const auto& v = (*row)[t.field]; v.is_number_integer()) config.*(t.member) = v.get<int>();
    return config;
}

TeamConfig teamConfig(replica::Replica& replica) { return teamConfig(replica, Actor::of(replica).team); }

std::optional<int> cadenceDays(replica::Replica& replica, std::string_view level)
{
    return teamConfig(replica).cadenceFor(level);
}

Status parseConfigAssignment(std::string_view text, TeamConfigChange& change)
{
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return invalidArgument("expected LEVEL=DAYS (A=7) or radius=METRES, got '" + std::string(text) + "'");
    std::string key(text.substr(0, eq));
    std::string_view value = text.substr(eq + 1);
    for (auto& ch : key) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (const auto& t : kThresholds) {
        if (key != t.key) continue;
        int n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || end != value.data() + value.size() || value.empty() || n < t.min || n > t.max)
            return invalidArgument(std::string(t.name) + " must be a whole number from " + std::to_string(t.min) + " to "
                                   + std::to_string(t.max) + ", got '" + std::string(value) + "'");
        change.*(t.change) = n;
        return Ok{};
    }
    if (key == "RADIUS") {
        double metres = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), metres);
        if (ec != std::errc() || end != value.data() + value.size() || value.empty())
            return invalidArgument("radius must be a number of metres, got '" + std::string(value) + "'");
        if (auto s = checkRadius(metres); !s) return s;
        change.checkinRadiusM = metres;
        return Ok{};
    }
    auto level = levelIndex(key);
    if (!level) return invalidArgument("unknown level '" + key + "' (A, B, C, D or radius)");
    int days = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), days);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        return invalidArgument("cadence for " + key + " must be a whole number of days, got '" + std::string(value) + "'");
    if (auto s = checkCadence(days); !s) return s;
    change.cadenceDays[static_cast<size_t>(*level)] = days;
    return Ok{};
}

Result<TeamConfig> setTeamConfig(replica::Replica& replica, const TeamConfigChange& change)
{
    Actor actor = Actor::of(replica);
    if (!actor.isManager())
        return Error{ErrorCode::PermissionDenied, "only a manager can change the team's visit cadence"};
    for (const auto& d : change.cadenceDays)
        if (d)
            if (auto s = checkCadence(*d); !s) return s.error();
    if (change.checkinRadiusM)
        if (auto s = checkRadius(*change.checkinRadiusM); !s) return s.error();
    if (!actor.team.empty()) {
        replica::Write w;
        w.set("team", actor.team);  // write-once: the same value again changes nothing
        for (size_t i = 0; i < kLevels.size(); ++i)
            if (change.cadenceDays[i]) w.set(kCadenceFields[i], int64_t{*change.cadenceDays[i]});
        if (change.checkinRadiusM) w.set("radius_m", *change.checkinRadiusM);
        for (const auto& t : kThresholds)
            if (change.*(t.change)) w.set(t.field, int64_t{*(change.*(t.change))});
        if (auto s = replica.put(kTeamConfigEntity, schema::teamConfigRowId(actor.team), w); !s) return s.error();
        return teamConfig(replica, actor.team);
    }
    for (const auto& t : kThresholds)
        if (change.*(t.change))
            return invalidArgument("check-in verification thresholds are a team's settings; you are in no team");
    TeamConfig config = deviceConfig(replica, actor.team);
    for (size_t i = 0; i < kLevels.size(); ++i)
        if (change.cadenceDays[i]) config.cadenceDays[i] = *change.cadenceDays[i];
    if (change.checkinRadiusM) config.checkinRadiusM = *change.checkinRadiusM;
    json cadence = json::object();
    for (size_t i = 0; i < kLevels.size(); ++i) cadence[std::string(kLevels[i])] = config.cadenceDays[i];
    json stored = {{"cadence", cadence}, {"checkin_radius_m", config.checkinRadiusM}};
    replica.setSetting(settingKey(actor.team), stored.dump());
    return config;
}

} // namespace fieldsync::domain
