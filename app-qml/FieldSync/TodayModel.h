// TodayModel: the rep's day (domain::today): planned visits for today by
// planned time, open tasks due by the end of today (overdue first), and key
// customers (level A/B) due or overdue for a visit — one list in three
// sections (the `section` role) so one ListView shows it with headers.
//
// Whose day: a rep's own (planned visits as rep, tasks as assignee,
// customers as owner); a manager's is the whole team on the replica.
// Days are the device's local calendar days (LocalTime::system()).
#pragma once

#include "PagedListModel.h"

#include <QDateTime>
#include <QString>
#include <vector>

namespace fieldsync::app {

class TodayModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        SectionRole = Qt::UserRole + 1,  // "visits" | "tasks" | "customers"
        SectionLabelRole,
        TitleRole,
        DetailRole,
        WhenRole,        // QDateTime: planned time, due time or last visit; invalid: none
        OverdueRole,
        CustomerIdRole,
        VisitIdRole,     // planned visits
        TaskIdRole,      // tasks
        LevelRole,       // key customers
    };
    Q_ENUM(Role)

    struct Item {
        QString section, title, detail;
        QDateTime when;
        bool overdue = false;
        QString customerId, visitId, taskId, level;
    };

    explicit TodayModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString sectionLabel(const QString& section);

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    std::vector<Item> m_rows;
};

} // namespace fieldsync::app
