// CustomerDetail: one customer's profile for the detail page (客户档案), read
// from the UI's replica. The lists on the page (contacts, visit timeline,
// tasks, complaints, the row's conflicts) are models of their own with the
// same customerId.
//
// Re-reads on Session::dataChanged (a sync ended, a local write, a wipe), so
// an edit that arrives from another device shows while the page is open; a
// customer that left this replica (reassigned, evicted) reads as found=false.
//
// save() is the profile form's write (domain::updateProfile): every field the
// form shows is sent, only those that differ are written (one clock), tags
// are added and removed as set elements; refusals come back as errorText.
// archive() archives the customer (domain::archiveCustomer: its owner, or a
// manager); it then leaves the customer list, and the page shows it archived.
#pragma once

#include "SessionController.h"

#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace fieldsync::app {

class CustomerDetail : public SessionController {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)
    Q_PROPERTY(bool found READ found NOTIFY changed)
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QString phone READ phone NOTIFY changed)
    Q_PROPERTY(QString address READ address NOTIFY changed)
    Q_PROPERTY(QString region READ region NOTIFY changed)
    Q_PROPERTY(QString industry READ industry NOTIFY changed)
    Q_PROPERTY(QString level READ level NOTIFY changed)
    Q_PROPERTY(QString lifecycle READ lifecycle NOTIFY changed)       // stored value: lead, loyal, ...
    Q_PROPERTY(QString lifecycleLabel READ lifecycleLabel NOTIFY changed)  // what the user reads
    Q_PROPERTY(QString owner READ owner NOTIFY changed)               // empty: public pool
    Q_PROPERTY(QStringList tags READ tags NOTIFY changed)
    Q_PROPERTY(QString notes READ notes NOTIFY changed)
    Q_PROPERTY(QString size READ size NOTIFY changed)  // stored value: micro .. enterprise
    Q_PROPERTY(QString sizeLabel READ sizeLabel NOTIFY changed)
    Q_PROPERTY(QString source READ source NOTIFY changed)
    Q_PROPERTY(double annualSales READ annualSales NOTIFY changed)  // -1: not recorded
    Q_PROPERTY(QString annualSalesText READ annualSalesText NOTIFY changed)  // as the form shows it; "" none
    // "latitude, longitude" (six decimals, about 0.1 m), "" when not recorded.
    Q_PROPERTY(QString locationText READ locationText NOTIFY changed)
    Q_PROPERTY(bool archived READ archived NOTIFY changed)
    Q_PROPERTY(bool hasLocation READ hasLocation NOTIFY changed)
    // The acting user may edit this profile (their own customer, or a manager's).
    Q_PROPERTY(bool editable READ editable NOTIFY changed)
    // The acting user may archive it (the same rule; not yet archived).
    Q_PROPERTY(bool canArchive READ canArchive NOTIFY changed)

public:
    explicit CustomerDetail(QObject* parent = nullptr);

    QString customerId() const { return m_id; }
    void setCustomerId(const QString& id);

    bool found() const { return m_found; }
    QString name() const { return m_name; }
    QString phone() const { return m_phone; }
    QString address() const { return m_address; }
    QString region() const { return m_region; }
    QString industry() const { return m_industry; }
    QString level() const { return m_level; }
    QString lifecycle() const { return m_lifecycle; }
    QString lifecycleLabel() const;
    QString owner() const { return m_owner; }
    QStringList tags() const { return m_tags; }
    QString notes() const { return m_notes; }
    QString size() const { return m_size; }
    QString sizeLabel() const { return sizeName(m_size); }
    QString source() const { return m_source; }
    double annualSales() const { return m_annualSales; }
    QString annualSalesText() const;
    QString locationText() const { return m_location; }
    bool archived() const { return m_archived; }
    bool hasLocation() const { return m_hasLocation; }
    bool editable() const;
    bool canArchive() const { return editable(); }

    Q_INVOKABLE void reload();
    // Keys: name, phone, address, region, industry, level, lifecycle, size,
    // source, notes (strings; "" clears), tags (one string, split at commas,
    // 、 and spaces), annualSales (a number as typed, "1,200,000" or
    // "¥1200000" too; "" clears) and location ("latitude, longitude"; ""
    // clears). Keys not given are left alone, and so are annualSales and
    // location given exactly as the form was filled (annualSalesText,
    // locationText): their text is rounded, and an untouched field must not
    // be written. False (and errorText) when refused.
    Q_INVOKABLE bool save(const QVariantMap& fields);
    // False (and errorText) when refused.
    Q_INVOKABLE bool archive();
    // The labels of the lifecycle stages, in the schema's order of `lifecycleValues`.
    Q_INVOKABLE static QStringList lifecycleValues();
    Q_INVOKABLE static QString lifecycleName(const QString& value);
    Q_INVOKABLE static QStringList sizeValues();
    Q_INVOKABLE static QString sizeName(const QString& value);

signals:
    void customerIdChanged();
    void changed();

protected:
    void refresh() override { reload(); }

private:
    QString m_id;
    bool m_found = false;
    QString m_name, m_phone, m_address, m_region, m_industry, m_level, m_lifecycle, m_owner, m_notes, m_size, m_source,
        m_location;
    double m_annualSales = -1;
    QStringList m_tags;
    bool m_archived = false;
    bool m_hasLocation = false;
};

} // namespace fieldsync::app
