#include "AbcModel.h"

#include "Session.h"
#include "Values.h"

namespace fieldsync::app {

AbcModel::AbcModel(QObject* parent) : PagedListModel(parent) {}

int AbcModel::load()
{
    m_rows = domain::abcClassification(session()->replica());
    return static_cast<int>(m_rows.size());
}

QVariant AbcModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const domain::AbcRow& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return qs(r.name);
    case CustomerIdRole: return qs(r.customer);
    case LevelRole: return qs(r.level);
    case AbcRole: return QString(QChar::fromLatin1(r.abc));
    case SalesRole: return r.sales;
    case ShareBeforeRole: return r.shareBefore;
    // Level D has no ABC counterpart: it disagrees only with A and B.
    case MismatchRole:
        return !r.level.empty() && r.level != std::string(1, r.abc) && !(r.level == "D" && r.abc == 'C');
    default: return {};
    }
}

QHash<int, QByteArray> AbcModel::roleNames() const
{
    return {{CustomerIdRole, "customerId"}, {NameRole, "name"},   {LevelRole, "level"},
            {AbcRole, "abc"},               {SalesRole, "sales"}, {ShareBeforeRole, "shareBefore"},
            {MismatchRole, "mismatch"}};
}

} // namespace fieldsync::app
