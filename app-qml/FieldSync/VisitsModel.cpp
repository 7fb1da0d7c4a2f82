#include "VisitsModel.h"

#include "Session.h"
#include "Values.h"
#include "domain/Cadence.h"

namespace fieldsync::app {

VisitsModel::VisitsModel(QObject* parent) : PagedListModel(parent) {}

void VisitsModel::setCustomerId(const QString& id)
{
    if (m_customerId == id) return;
    m_customerId = id;
    emit customerIdChanged();
    reload();
}

int VisitsModel::load()
{
    m_rows.clear();
    if (m_customerId.isEmpty()) return 0;
    replica::Replica& r = session()->replica();
    m_rows = domain::visitTimeline(r, m_customerId.toStdString(), domain::teamConfig(r).checkinRadiusM);
    return static_cast<int>(m_rows.size());
}

bool VisitsModel::finish(const Status& status)
{
    const QString error = status ? QString() : describeError(status.error());
    if (m_error != error) {
        m_error = error;
        emit errorTextChanged();
    }
    if (!status) return false;
    session()->localWriteDone();
    return true;
}

bool VisitsModel::plan(const QString& when, const QString& purpose, const QString& kind)
{
    if (!session() || m_customerId.isEmpty()) return false;
    const QDateTime at = QDateTime::fromString(when.trimmed(), QStringLiteral("yyyy-MM-dd HH:mm"));
    if (!at.isValid()) {
        const QString error = tr("Enter the date and time as 2026-11-23 09:30");
        if (m_error != error) {
            m_error = error;
            emit errorTextChanged();
        }
        return false;
    }
    domain::VisitPlan p;
    p.customer = m_customerId.toStdString();
    p.plannedAt = at.toMSecsSinceEpoch();
    p.purpose = purpose.trimmed().toStdString();
    p.kind = kind.toStdString();
    auto planned = domain::planVisit(session()->replica(), p);
    return finish(planned ? Status(Ok{}) : Status(planned.error()));
}

bool VisitsModel::voidVisit(int row, const QString& reason)
{
    if (!session() || !validRow(row)) return false;
    return finish(domain::voidVisit(session()->replica(), m_rows[static_cast<size_t>(row)].id,
                                    reason.trimmed().toStdString()));
}

QString VisitsModel::kindLabel(const std::string& kind)
{
    if (kind == "visit") return tr("Visit");
    if (kind == "follow_up") return tr("Follow-up");
    if (kind == "complaint") return tr("Complaint visit");
    if (kind == "delivery") return tr("Delivery");
    if (kind == "other") return tr("Other");
    return qs(kind);
}

QString VisitsModel::statusLabel(const std::string& status)
{
    if (status == "planned") return tr("Planned");
    if (status == "checked_in") return tr("Checked in");
    if (status == "completed") return tr("Completed");
    return qs(status);
}

QString VisitsModel::verdictLabel(const domain::Visit& v)
{
    if (v.verdict.empty()) return {};
    QString out = v.verdict == "verified" ? tr("Verified")
        : v.verdict == "suspicious"       ? tr("Suspicious")
                                          : tr("Unverified");
    QStringList reasons;
    for (const auto& r : v.verdictReasons) {
        if (r == "no_location") reasons << tr("no location");
        else if (r == "customer_unlocated") reasons << tr("the customer has no location");
        else if (r == "imprecise") reasons << tr("imprecise location");
        else if (r == "far") reasons << tr("far from the customer");
        else if (r == "clock_offset") reasons << tr("the phone's clock was wrong");
        else if (r == "short_stay") reasons << tr("a very short visit");
        else if (r == "impossible_travel") reasons << tr("too far from the previous check-in for the time between");
        else if (r == "mock_location") reasons << tr("a simulated location");
        else reasons << qs(r);
    }
    // The punctuation is the language's: "Suspicious: far, short" / "可疑：太远、过短".
    //: a verdict and its reasons
    if (!reasons.isEmpty()) out = tr("%1: %2").arg(out, reasons.join(tr(", ")));
    if (v.verdictProvisional) out = tr("%1 (not confirmed by the server yet)").arg(out);
    return out;
}

QVariant VisitsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const domain::Visit& v = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case KindLabelRole: return kindLabel(v.kind.empty() ? "visit" : v.kind);
    case VisitIdRole: return qs(v.id);
    case CustomerIdRole: return qs(v.customer);
    case CustomerNameRole: return qs(v.customerName);
    case RepRole: return qs(v.rep);
    case KindRole: return qs(v.kind);
    case StatusRole: return qs(v.status);
    case StatusLabelRole: return statusLabel(v.status);
    case WhenRole: return dateTimeOf(v.when());
    case PurposeRole: return qs(v.purpose);
    case NotesRole: return qs(v.notes);
    case OutcomeRole: return qs(v.outcome);
    case SatisfactionRole: return v.satisfaction.value_or(0);
    case OrderAmountRole: return numberOr(v.orderAmount);
    case DistanceRole: return numberOr(v.distanceM);
    case FarRole: return v.far;
    case NoLocationRole: return v.noLocation;
    case VoidedRole: return v.voided;
    case VoidReasonRole: return qs(v.voidReason);
    case VerdictRole: return qs(v.verdict);
    case VerdictLabelRole: return verdictLabel(v);
    default: return {};
    }
}

QHash<int, QByteArray> VisitsModel::roleNames() const
{
    return {{VisitIdRole, "visitId"},
            {CustomerIdRole, "customerId"},
            {CustomerNameRole, "customerName"},
            {RepRole, "rep"},
            {KindRole, "kind"},
            {KindLabelRole, "kindLabel"},
            {StatusRole, "status"},
            {StatusLabelRole, "statusLabel"},
            {WhenRole, "when"},
            {PurposeRole, "purpose"},
            {NotesRole, "notes"},
            {OutcomeRole, "outcome"},
            {SatisfactionRole, "satisfaction"},
            {OrderAmountRole, "orderAmount"},
            {DistanceRole, "distance"},
            {FarRole, "far"},
            {NoLocationRole, "noLocation"},
            {VoidedRole, "voided"},
            {VoidReasonRole, "voidReason"},
            {VerdictRole, "verdict"},
            {VerdictLabelRole, "verdictLabel"}};
}

} // namespace fieldsync::app
