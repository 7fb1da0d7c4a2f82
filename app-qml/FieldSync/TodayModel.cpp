#include "TodayModel.h"

#include "Session.h"
#include "Values.h"
#include "VisitsModel.h"
#include "domain/Agenda.h"
#include "domain/LocalTime.h"

namespace fieldsync::app {

TodayModel::TodayModel(QObject* parent) : PagedListModel(parent) {}

QString TodayModel::sectionLabel(const QString& section)
{
    if (section == QLatin1String("visits")) return tr("Planned visits");
    if (section == QLatin1String("tasks")) return tr("Follow-ups due");
    if (section == QLatin1String("customers")) return tr("Key customers to visit");
    return section;
}

int TodayModel::load()
{
    m_rows.clear();
    Session& s = *session();
    const std::string who = s.isManager() ? std::string() : s.user().toStdString();
    const domain::LocalTime time = domain::LocalTime::system();
    const domain::Today day = domain::today(s.replica(), time, who);
    for (const auto& v : day.plannedVisits) {
        Item item{QStringLiteral("visits"), qs(v.customerName), {}, dateTimeOf(v.plannedAt), false, qs(v.customer),
                  qs(v.id), {}, {}};
        item.detail = v.purpose.empty() ? VisitsModel::kindLabel(v.kind.empty() ? "visit" : v.kind) : qs(v.purpose);
        m_rows.push_back(std::move(item));
    }
    for (const auto& t : day.tasks) {
        const bool overdue = t.due && *t.due < day.dayStart;
        m_rows.push_back({QStringLiteral("tasks"), qs(t.title), qs(t.customerName), dateTimeOf(t.due), overdue,
                          qs(t.customer), {}, qs(t.id), {}});
    }
    for (const auto& c : day.keyCustomers) {
        const QString detail = c.daysSince ? tr("%n day(s) since the last visit", "", *c.daysSince)
                                           : tr("Never visited");
        m_rows.push_back({QStringLiteral("customers"), qs(c.name), detail, dateTimeOf(c.lastVisit), c.overdue,
                          qs(c.customer), {}, {}, qs(c.level)});
    }
    return static_cast<int>(m_rows.size());
}

QVariant TodayModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const Item& i = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return i.title;
    case SectionRole: return i.section;
    case SectionLabelRole: return sectionLabel(i.section);
    case DetailRole: return i.detail;
    case WhenRole: return i.when;
    case OverdueRole: return i.overdue;
    case CustomerIdRole: return i.customerId;
    case VisitIdRole: return i.visitId;
    case TaskIdRole: return i.taskId;
    case LevelRole: return i.level;
    default: return {};
    }
}

QHash<int, QByteArray> TodayModel::roleNames() const
{
    return {{SectionRole, "section"},       {SectionLabelRole, "sectionLabel"}, {TitleRole, "title"},
            {DetailRole, "detail"},         {WhenRole, "when"},                 {OverdueRole, "overdue"},
            {CustomerIdRole, "customerId"}, {VisitIdRole, "visitId"},           {TaskIdRole, "taskId"},
            {LevelRole, "level"}};
}

} // namespace fieldsync::app
