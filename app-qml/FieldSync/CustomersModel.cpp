#include "CustomersModel.h"

#include "Session.h"
#include "domain/Pool.h"

#include <QDateTime>
#include <QStringList>

namespace fieldsync::app {

CustomersModel::CustomersModel(QObject* parent) : PagedListModel(parent) {}
CustomersModel::~CustomersModel() = default;

domain::Customers& CustomersModel::customers()
{
    // A sign-out replaces the replica: the search index must follow it.
    replica::Replica& r = session()->replica();
    if (!m_customers || m_replicaOf != &r) {
        m_customers = std::make_unique<domain::Customers>(r);
        m_replicaOf = &r;
    }
    return *m_customers;
}

domain::CustomerQuery CustomersModel::query(int offset, int limit) const
{
    domain::CustomerQuery q;
    q.search = m_search.trimmed().toStdString();
    if (!m_level.isEmpty()) q.level = m_level.toStdString();
    q.poolOnly = m_poolOnly;
    q.overdueOnly = m_overdueOnly;
    q.sort = domain::customerSortFromString(m_sort.toStdString()).value_or(domain::CustomerSort::Name);
    q.offset = offset;
    q.limit = limit;
    return q;
}

int CustomersModel::load()
{
    m_rows.clear();
    auto page = customers().list(query(0, kPageSize));
    if (!page) {
        setError(describeError(page.error()));
        return 0;
    }
    setError({});
    m_rows = std::move(page->rows);
    return static_cast<int>(page->total);
}

void CustomersModel::clear()
{
    m_rows.clear();
    m_customers.reset();
    m_replicaOf = nullptr;
}

int CustomersModel::fetchRows(int from, int count)
{
    if (from < static_cast<int>(m_rows.size()))  // the first page, read by load()
        return std::min(count, static_cast<int>(m_rows.size()) - from);
    auto page = customers().list(query(from, count));
    if (!page) {
        setError(describeError(page.error()));
        return 0;
    }
    for (auto& row : page->rows) m_rows.push_back(std::move(row));
    return static_cast<int>(page->rows.size());
}

QVariant CustomersModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const auto& c = m_rows[static_cast<size_t>(index.row())];
    auto text = [](const std::optional<std::string>& v) { return v ? QString::fromStdString(*v) : QString(); };
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return QString::fromStdString(c.name);
    case CustomerIdRole: return QString::fromStdString(c.id);
    case PhoneRole: return text(c.phone);
    case RegionRole: return text(c.region);
    case LevelRole: return text(c.level);
    case OwnerRole: return text(c.owner);
    case InPoolRole: return !c.owner.has_value();
    case TagsRole: {
        QStringList tags;
        for (const auto& t : c.tags) tags << QString::fromStdString(t);
        return tags;
    }
    case OverdueRole: return c.overdue;
    case LastVisitRole: return c.lastVisit ? QDateTime::fromMSecsSinceEpoch(*c.lastVisit) : QDateTime();
    default: return {};
    }
}

QHash<int, QByteArray> CustomersModel::roleNames() const
{
    return {{CustomerIdRole, "customerId"}, {NameRole, "name"},     {PhoneRole, "phone"},
            {RegionRole, "region"},         {LevelRole, "level"},   {OwnerRole, "owner"},
            {InPoolRole, "inPool"},         {TagsRole, "tags"},     {OverdueRole, "overdue"},
            {LastVisitRole, "lastVisit"}};
}

void CustomersModel::queryEdited()
{
    emit queryChanged();
    reload();
}

void CustomersModel::setSearch(const QString& text)
{
    if (m_search == text) return;
    m_search = text;
    queryEdited();
}

void CustomersModel::setLevel(const QString& level)
{
    if (m_level == level) return;
    m_level = level;
    queryEdited();
}

void CustomersModel::setPoolOnly(bool on)
{
    if (m_poolOnly == on) return;
    m_poolOnly = on;
    queryEdited();
}

void CustomersModel::setOverdueOnly(bool on)
{
    if (m_overdueOnly == on) return;
    m_overdueOnly = on;
    queryEdited();
}

void CustomersModel::setSort(const QString& sort)
{
    if (m_sort == sort || !domain::customerSortFromString(sort.toStdString())) return;
    m_sort = sort;
    queryEdited();
}

void CustomersModel::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
}

bool CustomersModel::claim(int row)
{
    if (!session() || !validRow(row)) {
        setError(tr("No such customer."));
        return false;
    }
    domain::Pool pool(customers().index());
    Status done = pool.claim(m_rows[static_cast<size_t>(row)].id);
    if (!done) {
        setError(describeError(done.error()));
        return false;
    }
    setError({});
    session()->localWriteDone();  // reloads this model too
    return true;
}

} // namespace fieldsync::app
