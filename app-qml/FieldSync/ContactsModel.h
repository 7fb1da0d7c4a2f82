// ContactsModel: one customer's contacts (联系人), the primary contact first,
// then by name; archived contacts are left out. The detail page taps a phone
// or e-mail through Qt.openUrlExternally (tel:/mailto:).
//
// Read with Replica::list("contact") filtered here: the domain has no
// contacts query yet, and a customer's page reads them once per open or
// data change (docs/app.md).
#pragma once

#include "PagedListModel.h"

#include <QString>
#include <vector>

namespace fieldsync::app {

class ContactsModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)

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

    struct Contact {
        QString id, name, title, phone, email;
        bool primary = false;
    };

    explicit ContactsModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);

signals:
    void customerIdChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    std::vector<Contact> m_rows;
    QString m_customerId;
};

} // namespace fieldsync::app
