#include "AssignController.h"

#include "Session.h"
#include "Values.h"
#include "domain/Assign.h"

namespace fieldsync::app {

AssignController::AssignController(QObject* parent) : QObject(parent) {}

void AssignController::setSession(Session* session)
{
    if (m_session == session) return;
    if (m_session) m_session->disconnect(this);
    m_session = session;
    if (m_session) connect(m_session, &Session::dataChanged, this, &AssignController::reloadMembers);
    emit sessionChanged();
    reloadMembers();
}

void AssignController::reloadMembers()
{
    QStringList members;
    if (m_session) members = stringList(domain::knownTeamMembers(m_session->replica()));
    if (members == m_members) return;
    m_members = members;
    emit membersChanged();
}

void AssignController::toggle(const QString& customerId)
{
    if (!m_selected.removeOne(customerId)) m_selected << customerId;
    emit selectionChanged();
}

void AssignController::clearSelection()
{
    if (m_selected.isEmpty()) return;
    m_selected.clear();
    emit selectionChanged();
}

void AssignController::setResult(const QString& error, const QString& result)
{
    m_error = error;
    m_result = result;
    emit resultChanged();
}

bool AssignController::assign(const QString& rep)
{
    if (!m_session) return false;
    std::vector<std::string> ids;
    for (const QString& id : m_selected) ids.push_back(id.toStdString());
    auto done = domain::assignCustomers(m_session->replica(), ids, rep.toStdString());
    if (!done) {
        setResult(describeError(done.error()), {});
        return false;
    }
    setResult({}, tr("%n customer(s) now belong to %1", nullptr, static_cast<int>(done->changed + done->unchanged))
                      .arg(rep));
    clearSelection();
    if (done->changed > 0) m_session->localWriteDone();
    return true;
}

} // namespace fieldsync::app
