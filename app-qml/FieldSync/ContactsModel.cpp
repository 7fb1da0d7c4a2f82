#include "ContactsModel.h"

#include "Session.h"
#include "replica/Replica.h"

#include <algorithm>

namespace fieldsync::app {

namespace {

QString text(const nlohmann::json& row, const char* field)
{
    auto it = row.find(field);
    return it != row.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

bool flag(const nlohmann::json& row, const char* field)
{
    auto it = row.find(field);
    return it != row.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

ContactsModel::ContactsModel(QObject* parent) : PagedListModel(parent) {}

void ContactsModel::setCustomerId(const QString& id)
{
    if (m_customerId == id) return;
    m_customerId = id;
    emit customerIdChanged();
    reload();
}

int ContactsModel::load()
{
    m_rows.clear();
    if (m_customerId.isEmpty()) return 0;
    for (const auto& row : session()->replica().list("contact")) {
        if (text(row, "customer") != m_customerId || flag(row, "archived")) continue;
        m_rows.push_back({text(row, "id"), text(row, "name"), text(row, "title"), text(row, "phone"),
                          text(row, "email"), flag(row, "is_primary")});
    }
    std::sort(m_rows.begin(), m_rows.end(), [](const Contact& a, const Contact& b) {
        if (a.primary != b.primary) return a.primary;
        const int byName = QString::localeAwareCompare(a.name, b.name);
        return byName != 0 ? byName < 0 : a.id < b.id;
    });
    return static_cast<int>(m_rows.size());
}

QVariant ContactsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const Contact& c = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return c.name;
    case ContactIdRole: return c.id;
    case TitleRole: return c.title;
    case PhoneRole: return c.phone;
    case EmailRole: return c.email;
    case PrimaryRole: return c.primary;
    default: return {};
    }
}

QHash<int, QByteArray> ContactsModel::roleNames() const
{
    return {{ContactIdRole, "contactId"}, {NameRole, "name"},   {TitleRole, "title"},
            {PhoneRole, "phone"},         {EmailRole, "email"}, {PrimaryRole, "primary"}};
}

} // namespace fieldsync::app
