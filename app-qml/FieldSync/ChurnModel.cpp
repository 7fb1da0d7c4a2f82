#include "ChurnModel.h"

#include "Session.h"
#include "Values.h"
#include "domain/LocalTime.h"

namespace fieldsync::app {

ChurnModel::ChurnModel(QObject* parent) : PagedListModel(parent) {}

QString ChurnModel::reasonLabel(const std::string& reason)
{
    if (reason == "inactive") return tr("No visit or order for 60 days");
    if (reason == "open_complaint") return tr("Open complaint");
    if (reason == "falling_satisfaction") return tr("Falling satisfaction");
    if (reason == "key_overdue") return tr("Key customer overdue for a visit");
    return qs(reason);
}

int ChurnModel::load()
{
    m_rows = domain::churnRisks(session()->replica(), domain::LocalTime::system());
    return static_cast<int>(m_rows.size());
}

QVariant ChurnModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const domain::ChurnRisk& c = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return qs(c.name);
    case CustomerIdRole: return qs(c.customer);
    case LevelRole: return qs(c.level);
    case OwnerRole: return qs(c.owner);
    case ReasonsRole: {
        QStringList out;
        for (const auto& r : c.reasons) out << reasonLabel(r);
        return out;
    }
    case ReasonCodesRole: return stringList(c.reasons);
    case LastVisitRole: return dateTimeOf(c.lastVisit);
    case OpenComplaintsRole: return c.openComplaints;
    default: return {};
    }
}

QHash<int, QByteArray> ChurnModel::roleNames() const
{
    return {{CustomerIdRole, "customerId"}, {NameRole, "name"},           {LevelRole, "level"},
            {OwnerRole, "owner"},           {ReasonsRole, "reasons"},     {ReasonCodesRole, "reasonCodes"},
            {LastVisitRole, "lastVisit"},   {OpenComplaintsRole, "openComplaints"}};
}

} // namespace fieldsync::app
