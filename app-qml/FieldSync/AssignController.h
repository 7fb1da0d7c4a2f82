// AssignController: the Team page's "reassign customers" (managers): the
// customers picked (selection kept here, so the view only shows it), the
// reps the device knows in the team (domain::knownTeamMembers), and assign()
// through domain::assignCustomers (managers only, team members only, all or
// nothing). After a sync the rep's device receives the customers and the
// previous owner's device drops them.
#pragma once

#include "SessionController.h"

#include <QStringList>

namespace fieldsync::app {

class AssignController : public SessionController {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QStringList members READ members NOTIFY membersChanged)
    Q_PROPERTY(QStringList selected READ selected NOTIFY selectionChanged)  // customer ids, in picking order
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    Q_PROPERTY(QString resultText READ resultText NOTIFY resultChanged)  // what the last assign did

public:
    explicit AssignController(QObject* parent = nullptr);

    QStringList members() const { return m_members; }
    QStringList selected() const { return m_selected; }
    int selectedCount() const { return static_cast<int>(m_selected.size()); }
    QString resultText() const { return m_result; }

    Q_INVOKABLE void toggle(const QString& customerId);
    Q_INVOKABLE bool isSelected(const QString& customerId) const { return m_selected.contains(customerId); }
    Q_INVOKABLE void clearSelection();
    // Gives the selected customers to `rep`; the selection is cleared when it worked.
    Q_INVOKABLE bool assign(const QString& rep);
    Q_INVOKABLE void reloadMembers();

signals:
    void membersChanged();
    void selectionChanged();
    void resultChanged();

protected:
    void refresh() override { reloadMembers(); }

private:
    void setResult(const QString& error, const QString& result);

    QStringList m_members, m_selected;
    QString m_result;
};

} // namespace fieldsync::app
