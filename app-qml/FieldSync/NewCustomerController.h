// NewCustomerController: the Customers page's "new customer" form.
//
// save() first asks the domain for likely duplicates already on this device
// (撞单 prevention, domain::findDuplicates: same normalized phone of the
// customer or its first contact, same or same-sounding or contained name).
// If there are any, nothing is written: `duplicates` lists them and the form
// shows them, the user opens one of them, or saves again with `anyway`. The
// "anyway" only holds for the name and phones that were checked: a changed
// name or phone is checked again. Then domain::createCustomer writes the
// customer (a rep's own, a manager's to the pool; the user's team) and its
// first contact in one batch. Refusals come back as errorText; the form keeps
// what was typed.
#pragma once

#include "SessionController.h"

#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>

namespace fieldsync::app {

class NewCustomerController : public SessionController {
    Q_OBJECT
    QML_ELEMENT
    // One map per suggestion, strongest reason first: id, name, owner ("" =
    // public pool), ownerLabel, reason (same_phone | same_name | same_pinyin |
    // name_contains), reasonLabel, detail (the phone or name that matched).
    Q_PROPERTY(QVariantList duplicates READ duplicates NOTIFY duplicatesChanged)
    Q_PROPERTY(QString createdId READ createdId NOTIFY createdIdChanged)  // the last customer saved

public:
    explicit NewCustomerController(QObject* parent = nullptr);

    QVariantList duplicates() const { return m_duplicates; }
    QString createdId() const { return m_createdId; }

    // Keys: name, phone, address, region, level, lifecycle, tags (one string,
    // split at commas, 、 and spaces), contactName, contactTitle,
    // contactPhone. True when saved; false when refused (errorText) or held
    // back by duplicates (`duplicates` not empty, errorText empty).
    Q_INVOKABLE bool save(const QVariantMap& fields, bool anyway = false);
    // A fresh form: no duplicates, no error.
    Q_INVOKABLE void reset();
    Q_INVOKABLE static QString reasonLabel(const QString& reason);
    // The lifecycle stages and their labels, for the form (CustomerDetail's).
    Q_INVOKABLE static QStringList lifecycleValues();
    Q_INVOKABLE static QString lifecycleName(const QString& value);

signals:
    void duplicatesChanged();
    void createdIdChanged();

protected:
    void refresh() override { reset(); }

private:
    void setDuplicates(const QVariantList& duplicates);

    QVariantList m_duplicates;
    QString m_checked;  // name and phones the shown duplicates are for
    QString m_createdId;
};

} // namespace fieldsync::app
