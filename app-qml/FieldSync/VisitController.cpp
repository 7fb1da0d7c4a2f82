#include "VisitController.h"

#include "Amounts.h"

#include "Session.h"
#include "SyncMonitor.h"
#include "Values.h"
#include "VisitsModel.h"
#include "domain/Cadence.h"
#include "domain/LocalTime.h"
#include "domain/Visits.h"
#include "replica/Replica.h"

namespace fieldsync::app {

namespace {
constexpr int64_t kFollowUpHourMs = 9 * 3600 * 1000;  // follow-ups are due at 09:00 local time
}

VisitController::VisitController(QObject* parent) : SessionController(Follow::FollowData, parent) {}

QString VisitController::statusLabel() const
{
    return VisitsModel::statusLabel(m_status.toStdString());
}

int64_t VisitController::now() const
{
    // The replica's clock: corrected for a device clock the hub found ahead.
    return session()->replica().clock().physicalMillis();
}

void VisitController::open(const QString& visitId)
{
    setError({});
    m_visitId = visitId;
    reload();
}

void VisitController::reload()
{
    std::optional<domain::Visit> v;
    if (session() && !m_visitId.isEmpty()) {
        replica::Replica& r = session()->replica();
        m_radius = domain::teamConfig(r).checkinRadiusM;
        v = domain::findVisit(r, m_visitId.toStdString(), m_radius);
    }
    m_found = v.has_value();
    m_customerId = v ? qs(v->customer) : QString();
    m_customerName = v ? qs(v->customerName) : QString();
    m_status = v ? qs(v->status) : QString();
    m_checkinAt = v ? dateTimeOf(v->checkinAt) : QDateTime();
    m_lat = v && v->checkinLat ? *v->checkinLat : 0;
    m_lng = v && v->checkinLng ? *v->checkinLng : 0;
    m_accuracy = v ? numberOr(v->checkinAccuracy) : -1;
    m_distance = v ? numberOr(v->distanceM) : -1;
    m_far = v && v->far;
    m_noLocation = v && v->noLocation;
    m_verdict = v ? qs(v->verdict) : QString();
    m_verdictLabel = v ? VisitsModel::verdictLabel(*v) : QString();
    m_plannedAt = v ? dateTimeOf(v->plannedAt) : QDateTime();
    m_purpose = v ? qs(v->purpose) : QString();
    m_kindLabel = v ? VisitsModel::kindLabel(v->kind) : QString();
    m_cancelled = v && v->voided && !v->checkinAt;
    m_cancelReason = v && v->voided ? qs(v->voidReason) : QString();
    m_customerPhone.clear();
    m_customerAddress.clear();
    if (v && session())
        if (auto c = session()->replica().get("customer", v->customer); c && c->is_object()) {
            auto text = [&](const char* field) {
                auto it = c->find(field);
                return it != c->end() && it->is_string() ? qs(it->get<std::string>()) : QString();
            };
            m_customerPhone = text("phone");
            m_customerAddress = text("address");
        }
    emit changed();
}

bool VisitController::reschedule(const QString& when)
{
    if (!session() || m_visitId.isEmpty()) return false;
    const QDateTime at = QDateTime::fromString(when.trimmed(), QStringLiteral("yyyy-MM-dd HH:mm"));
    if (!at.isValid()) {
        setError(tr("Enter the date and time as 2026-11-23 09:30"));
        return false;
    }
    const Status done = domain::rescheduleVisit(session()->replica(), m_visitId.toStdString(), at.toMSecsSinceEpoch());
    if (!done) {
        return fail(done.error());
    }
    setError({});
    session()->localWriteDone();
    return true;
}

bool VisitController::cancelPlan(const QString& reason)
{
    if (!session() || m_visitId.isEmpty()) return false;
    const Status done = domain::cancelPlannedVisit(session()->replica(), m_visitId.toStdString(), reason.toStdString());
    if (!done) {
        return fail(done.error());
    }
    setError({});
    session()->localWriteDone();
    return true;
}

bool VisitController::start(const QString& customerId)
{
    if (!session()) return false;
    domain::VisitPlan plan;
    plan.customer = customerId.toStdString();
    plan.plannedAt = now();
    auto id = domain::planVisit(session()->replica(), plan);
    if (!id) {
        return fail(id.error());
    }
    setError({});
    m_visitId = qs(*id);
    session()->localWriteDone();  // reloads this through dataChanged
    return true;
}

bool VisitController::checkIn(bool located, double latitude, double longitude, double accuracy)
{
    if (!session() || m_visitId.isEmpty()) return false;
    domain::CheckIn in;
    in.at = now();
    if (located) {
        in.lat = latitude;
        in.lng = longitude;
        if (accuracy >= 0) in.accuracy = accuracy;
    }
    // Whether the check-in is captured offline is part of its evidence:
    // no network, or no live connection to the server (its poke socket
    // down — the state alone says offline only after a sync has failed).
    if (auto* sync = session()->sync()) in.offline = !sync->online() || !sync->pokesConnected();
    const Status done = domain::checkIn(session()->replica(), m_visitId.toStdString(), in);
    if (!done) {
        return fail(done.error());
    }
    setError({});
    session()->localWriteDone();
    return true;
}

bool VisitController::checkOut(const QString& notes, const QString& outcome, int satisfaction,
                               const QString& orderAmount, int followUpDays)
{
    if (!session() || m_visitId.isEmpty()) return false;
    domain::CheckOut out;
    out.at = now();
    if (!notes.trimmed().isEmpty()) out.notes = notes.trimmed().toStdString();
    if (!outcome.trimmed().isEmpty()) out.outcome = outcome.trimmed().toStdString();
    if (satisfaction != 0) out.satisfaction = satisfaction;
    if (!orderAmount.trimmed().isEmpty()) {
        const auto amount = parseAmount(orderAmount);
        if (!amount) {
            setError(tr("The order amount must be an amount of yuan, like 12500, 12,500, ¥12,500 or 1.2万"));
            return false;
        }
        out.orderAmount = *amount;
    }
    if (followUpDays < 0) {
        setError(tr("The next follow-up cannot be in the past"));
        return false;
    }
    if (followUpDays > 0) {
        const domain::LocalTime time = domain::LocalTime::system();
        out.nextFollowUp = time.addDays(out.at, followUpDays) + kFollowUpHourMs;
    }
    auto done = domain::checkOut(session()->replica(), m_visitId.toStdString(), out);
    if (!done) {
        return fail(done.error());
    }
    setError({});
    session()->localWriteDone();
    return true;
}

} // namespace fieldsync::app
