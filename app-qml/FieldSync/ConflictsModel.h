// ConflictsModel: the conflict log as this device knows it
// (Replica::conflicts(): the hub's entries and this device's provisional
// flags), newest first, optionally only for one row (the detail pages).
//
// Resolving is a normal local write (Replica::resolveConflict): keep the value
// that won, take the one that lost, or save an edited value (parsed like the
// CLI's input, against the field's type). Provisional flags have no entry on
// the hub yet and cannot be resolved until the next sync logs them.
#pragma once

#include "PagedListModel.h"
#include "replica/Replica.h"

#include <QDateTime>
#include <QVariantMap>
#include <vector>

namespace fieldsync::app {

class ConflictsModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString rowFilter READ rowFilter WRITE setRowFilter NOTIFY rowFilterChanged)
    Q_PROPERTY(bool includeResolved READ includeResolved WRITE setIncludeResolved NOTIFY includeResolvedChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        ConflictIdRole = Qt::UserRole + 1,
        EntityRole,
        RowIdRole,
        FieldRole,
        RuleRole,
        CurrentValueRole,  // the value that won (what the row holds), as text
        OtherValueRole,    // the value that lost, as text
        ProvisionalRole,
        NeedsResolutionRole,
        ResolvedRole,
        DetectedAtRole,    // QDateTime
        EntityLabelRole,   // what the user reads (FieldLabels)
        FieldLabelRole,
        RowNameRole,       // what the row is called (RowNames.h), never its id
    };
    Q_ENUM(Role)

    explicit ConflictsModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString rowFilter() const { return m_rowFilter; }
    void setRowFilter(const QString& row);
    bool includeResolved() const { return m_includeResolved; }
    void setIncludeResolved(bool include);
    QString errorText() const { return m_error; }

    // Each returns false (and sets errorText) when refused.
    Q_INVOKABLE bool keepCurrent(int row);
    Q_INVOKABLE bool takeOther(int row);
    Q_INVOKABLE bool saveEdited(int row, const QString& text);

    // The row showing the conflict on (entity, rowId, field), -1 if none:
    // after a reload (a sync ended) the page keeps the open conflict open.
    Q_INVOKABLE int rowOf(const QString& entity, const QString& rowId, const QString& field) const;
    // The page's selection for `row`: {row, entity, rowId, field, entityLabel,
    // fieldLabel, currentValue, otherValue, provisional}; empty if no such row.
    Q_INVOKABLE QVariantMap entryAt(int row) const;

    // "—" for null, text as is, anything else as JSON.
    static QString valueText(const nlohmann::json& value);

signals:
    void rowFilterChanged();
    void includeResolvedChanged();
    void errorTextChanged();

protected:
    int load() override;
    void clear() override
    {
        m_rows.clear();
        m_names.clear();
    }

private:
    bool resolve(int row, const std::function<Result<std::optional<crdt::Value>>(const replica::ConflictEntry&)>& choose);
    void setError(const QString& text);

    std::vector<replica::ConflictEntry> m_rows;
    std::vector<QString> m_names;  // rowName per row, looked up at load
    QString m_rowFilter;
    bool m_includeResolved = false;
    QString m_error;
};

} // namespace fieldsync::app
