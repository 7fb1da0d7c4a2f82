// TasksModel: one customer's tasks (domain::listTasks, customer filter): by
// due time, no due time last; done tasks kept below as a record unless
// openOnly. complete(row) marks a task done (domain::completeTask).
#pragma once

#include "PagedListModel.h"
#include "domain/Tasks.h"

#include <QString>
#include <vector>

namespace fieldsync::app {

class TasksModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)
    Q_PROPERTY(bool openOnly READ openOnly WRITE setOpenOnly NOTIFY openOnlyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        TaskIdRole = Qt::UserRole + 1,
        TitleRole,
        DueRole,       // QDateTime; invalid: no due time
        AssigneeRole,
        NotesRole,
        DoneRole,
        OverdueRole,   // open and due before now
        CustomerNameRole,
    };
    Q_ENUM(Role)

    explicit TasksModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);
    bool openOnly() const { return m_openOnly; }
    void setOpenOnly(bool openOnly);
    QString errorText() const { return m_error; }

    // False (and errorText) when refused, e.g. already done.
    Q_INVOKABLE bool complete(int row);

signals:
    void customerIdChanged();
    void openOnlyChanged();
    void errorTextChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    void setError(const QString& text);

    std::vector<domain::Task> m_rows;
    QString m_customerId;
    bool m_openOnly = false;
    int64_t m_now = 0;
    QString m_error;
};

} // namespace fieldsync::app
