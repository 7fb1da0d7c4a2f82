#include "ContactsModel.h"

#include "Session.h"
#include "Values.h"

namespace fieldsync::app {

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
    if (!m_customerId.isEmpty()) m_rows = domain::contactsOf(session()->replica(), m_customerId.toStdString());
    return static_cast<int>(m_rows.size());
}

bool ContactsModel::finish(const Status& status)
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

bool ContactsModel::save(const QString& contactId, const QString& name, const QString& title, const QString& phone,
                         const QString& email)
{
    if (!session() || m_customerId.isEmpty()) return false;
    const domain::ContactFields fields{name.toStdString(), title.toStdString(), phone.toStdString(),
                                       email.toStdString(), {}};
    if (contactId.isEmpty()) {
        auto added = domain::addContact(session()->replica(), m_customerId.toStdString(), fields);
        return finish(added ? Status(Ok{}) : Status(added.error()));
    }
    // The birthday is not on the form: keep the stored one.
    auto current = domain::findContact(session()->replica(), contactId.toStdString());
    domain::ContactFields withBirthday = fields;
    if (current) withBirthday.birthday = current->birthday;
    return finish(domain::updateContact(session()->replica(), contactId.toStdString(), withBirthday));
}

bool ContactsModel::setPrimary(int row)
{
    if (!session() || !validRow(row)) return false;
    return finish(domain::setPrimaryContact(session()->replica(), m_rows[static_cast<size_t>(row)].id));
}

bool ContactsModel::archive(int row)
{
    if (!session() || !validRow(row)) return false;
    return finish(domain::archiveContact(session()->replica(), m_rows[static_cast<size_t>(row)].id));
}

QVariant ContactsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const domain::Contact& c = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return qs(c.name);
    case ContactIdRole: return qs(c.id);
    case TitleRole: return qs(c.title);
    case PhoneRole: return qs(c.phone);
    case EmailRole: return qs(c.email);
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
