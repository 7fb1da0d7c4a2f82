// FieldHistoryModel: what the local replica can say about the history of one
// customer's profile (domain::fieldHistory, docs/app.md "Field history"):
// first, one row per written field with its current value, when it was
// written and by which device (this one — and whether the server has it yet —
// or another one, by its short id); then the values concurrent edits
// overwrote, from the conflict log, latest first. The replica keeps no older
// values and does not know which user another device belongs to.
#pragma once

#include "PagedListModel.h"
#include "domain/CustomerProfile.h"

#include <QDateTime>
#include <QString>
#include <vector>

namespace fieldsync::app {

class FieldHistoryModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)

public:
    enum Role {
        SectionRole = Qt::UserRole + 1,  // current | overwritten
        FieldRole,                       // schema name
        FieldLabelRole,
        ValueRole,                       // the value as text
        WhenRole,                        // QDateTime the value was written; invalid if unknown
        WriterRole,                      // who wrote it, as text
        ThisDeviceRole,
        UnsyncedRole,                    // this device's write the server has not acknowledged
        ResolvedRole,                    // overwritten rows: the conflict was resolved
    };
    Q_ENUM(Role)

    struct Row {
        QString section, field, fieldLabel, value, writer;
        QDateTime when;
        bool thisDevice = false, unsynced = false, resolved = false;
    };

    explicit FieldHistoryModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);

    // A field's value as the page shows it.
    static QString valueText(const std::string& field, const nlohmann::json& value);

signals:
    void customerIdChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    std::vector<Row> m_rows;
    QString m_customerId;
};

} // namespace fieldsync::app
