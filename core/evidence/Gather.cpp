#include "evidence/Gather.h"

#include "storage/Statement.h"

#include <array>
#include <string>

namespace fieldsync::evidence {
namespace {

std::optional<double> real(storage::Statement& st, int column)
{
    if (st.isNull(column)) return std::nullopt;
    return st.getDouble(column);
}
std::optional<int64_t> integer(storage::Statement& st, int column)
{
    if (st.isNull(column)) return std::nullopt;
    return st.getInt(column);
}

} // namespace

bool isEvidenceField(std::string_view field)
{
    // Not `customer`: written once, at creation, and a visit is judged only
    // once it has a check-in (written with it or after it).
    static constexpr std::array<std::string_view, 7> kFields = {
        "checkin_at", "checkin_lat", "checkin_lng", "checkin_accuracy", "checkout_at", "checkin_device_at",
        "checkin_mock"};
    for (auto f : kFields)
        if (f == field) return true;
    return false;
}

std::optional<Gathered> gather(storage::Connection& db, std::string_view visitId)
{
    Gathered g;
    std::string customer, rep;
    {
        storage::UsingStatement st(db, "SELECT checkin_at, checkin_lat, checkin_lng, checkin_accuracy, checkout_at, "
                                       "checkin_device_at, checkin_mock, customer, rep FROM visit WHERE id = ?");
        st->bind(1, visitId);
        if (!st->step() || st->isNull(0)) return std::nullopt;
        Evidence& e = g.evidence;
        e.checkinAt = st->getInt(0);
        auto lat = real(*st, 1), lng = real(*st, 2);
        if (lat && lng) e.position = Place{*lat, *lng};
        e.accuracyM = real(*st, 3);
        e.checkoutAt = integer(*st, 4);
        e.deviceAt = integer(*st, 5);
        e.mock = integer(*st, 6).value_or(0) != 0;
        if (!st->isNull(7)) customer = st->getText(7);
        if (!st->isNull(8)) rep = st->getText(8);
    }
    std::optional<std::string> team;
    {
        storage::UsingStatement st(db, "SELECT lat, lng, team FROM customer WHERE id = ?");
        st->bind(1, customer);
        if (st->step()) {
            auto lat = real(*st, 0), lng = real(*st, 1);
            if (lat && lng) g.evidence.customer = Place{*lat, *lng};
            if (!st->isNull(2)) team = st->getText(2);
        }
    }
    if (team) {
        storage::UsingStatement st(
            db, "SELECT radius_m, min_dwell_min, max_speed_kmh, max_offset_s FROM team_config WHERE team = ?");
        st->bind(1, *team);
        if (st->step()) {
            Thresholds& t = g.thresholds;
            if (auto v = real(*st, 0); v && *v > 0) t.radiusM = *v;
            if (auto v = integer(*st, 1)) t.minDwellMs = *v * 60'000;
            if (auto v = integer(*st, 2); v && *v > 0) t.maxSpeedKmh = static_cast<double>(*v);
            if (auto v = integer(*st, 3)) t.maxOffsetMs = *v * 1000;
        }
    }
    if (!rep.empty() && g.evidence.position) {
        storage::UsingStatement st(
            db, "SELECT checkin_at, checkin_lat, checkin_lng FROM visit "
                "WHERE rep = ? AND id <> ? AND checkin_at IS NOT NULL AND checkin_lat IS NOT NULL "
                "AND checkin_lng IS NOT NULL AND (voided IS NULL OR voided = 0) "
                "AND (checkin_at < ? OR (checkin_at = ? AND id < ?)) ORDER BY checkin_at DESC, id DESC LIMIT 1");
        st->bind(1, rep).bind(2, visitId).bind(3, g.evidence.checkinAt).bind(4, g.evidence.checkinAt).bind(5, visitId);
        if (st->step()) g.evidence.previous = PreviousCheckIn{st->getInt(0), Place{st->getDouble(1), st->getDouble(2)}};
    }
    return g;
}

std::vector<std::pair<std::string, crdt::Value>> serverFields(storage::Connection& db, std::string_view visitId,
                                                              std::optional<int64_t> receivedAt)
{
    std::vector<std::pair<std::string, crdt::Value>> out;
    auto g = gather(db, visitId);
    if (!g) return out;
    const Verification v = verify(g->evidence, g->thresholds);
    storage::UsingStatement st(db, "SELECT verdict, verdict_reasons, checkin_received_at FROM visit WHERE id = ?");
    st->bind(1, visitId);
    if (!st->step()) return out;
    const std::string verdict(verdictName(v.verdict)), reasons = v.reasonText();
    if (st->isNull(0) || st->getText(0) != verdict) out.emplace_back("verdict", verdict);
    const std::string stored = st->isNull(1) ? std::string() : st->getText(1);
    if (stored != reasons) out.emplace_back("verdict_reasons", reasons.empty() ? crdt::Value{} : crdt::Value{reasons});
    if (receivedAt && st->isNull(2)) out.emplace_back("checkin_received_at", *receivedAt);
    return out;
}

} // namespace fieldsync::evidence
