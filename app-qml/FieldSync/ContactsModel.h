// ContactsModel: one customer's contacts (联系人) from domain::contactsOf (the
// contact_customer index): the primary contact first, then pinyin order;
// archived contacts are left out. The detail page taps a phone or e-mail
// through Qt.openUrlExternally (tel:/mailto:), adds and edits contacts
// (save) and marks one primary (setPrimary) through domain/Contacts, whose
// refusals come back as errorText.
#pragma once

#include "PagedListModel.h"
#include "domain/Contacts.h"

#include <QString>
#include <vector>

namespace fieldsync::app {

class ContactsModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        ContactIdRole = Qt::UserRole + 1,
        NameRole,
        TitleRole,
        PhoneRole,
        EmailRole,
        PrimaryRole,
    };
    Q_ENUM(Role)

    explicit ContactsModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);
    QString errorText() const { return m_error; }

    // An empty contactId adds a contact to this customer; otherwise edits it.
    // False (and errorText) when refused.
    Q_INVOKABLE bool save(const QString& contactId, const QString& name, const QString& title, const QString& phone,
                          const QString& email);
    Q_INVOKABLE bool setPrimary(int row);
    // Archives the contact (domain::archiveContact): it leaves this list.
    Q_INVOKABLE bool archive(int row);

signals:
    void customerIdChanged();
    void errorTextChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    bool finish(const Status& status);

    std::vector<domain::Contact> m_rows;
    QString m_customerId;
    QString m_error;
};

} // namespace fieldsync::app
