// AssignController: the Team page's "reassign customers" (managers): the
// customers picked (selection kept here, so the view only shows it), the
// reps the device knows in the team (domain::knownTeamMembers), and assign()
// through domain::assignCustomers (managers only, team members only, all or
// nothing). After a sync the rep's device receives the customers and the
// previous owner's device drops them.
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace fieldsync::app {

class Session;

} // namespace fieldsync::app
Q_MOC_INCLUDE("Session.h")
namespace fieldsync::app {

class AssignController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(fieldsync::app::Session* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QStringList members READ members NOTIFY membersChanged)
    Q_PROPERTY(QStringList selected READ selected NOTIFY selectionChanged)  // customer ids, in picking order
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY resultChanged)
    Q_PROPERTY(QString resultText READ resultText NOTIFY resultChanged)  // what the last assign did

public:
    explicit AssignController(QObject* parent = nullptr);

    Session* session() const { return m_session; }
    void setSession(Session* session);
    QStringList members() const { return m_members; }
    QStringList selected() const { return m_selected; }
    int selectedCount() const { return static_cast<int>(m_selected.size()); }
    QString errorText() const { return m_error; }
    QString resultText() const { return m_result; }

    Q_INVOKABLE void toggle(const QString& customerId);
    Q_INVOKABLE bool isSelected(const QString& customerId) const { return m_selected.contains(customerId); }
    Q_INVOKABLE void clearSelection();
    // Gives the selected customers to `rep`; the selection is cleared when it worked.
    Q_INVOKABLE bool assign(const QString& rep);
    Q_INVOKABLE void reloadMembers();

signals:
    void sessionChanged();
    void membersChanged();
    void selectionChanged();
    void resultChanged();

private:
    void setResult(const QString& error, const QString& result);

    QPointer<Session> m_session;
    QStringList m_members, m_selected;
    QString m_error, m_result;
};

} // namespace fieldsync::app
