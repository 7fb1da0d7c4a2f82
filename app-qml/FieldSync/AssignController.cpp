#include "AssignController.h"

#include "Session.h"
#include "Values.h"
#include "domain/Assign.h"

namespace fieldsync::app {

AssignController::AssignController(QObject* parent) : SessionController(Follow::FollowData, parent) {}

void AssignController::reloadMembers()
{
    QStringList members;
    if (session()) members = stringList(domain::knownTeamMembers(session()->replica()));
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
    setError(error);
    m_result = result;
    emit resultChanged();
}

bool AssignController::assign(const QString& rep)
{
    if (!session()) return false;
    std::vector<std::string> ids;
    for (const QString& id : m_selected) ids.push_back(id.toStdString());
    auto done = domain::assignCustomers(session()->replica(), ids, rep.toStdString());
    if (!done) {
        setResult(describeError(done.error()), {});
        return false;
    }
    setResult({}, tr("%n customer(s) now belong to %1", nullptr, static_cast<int>(done->changed + done->unchanged))
                      .arg(rep));
    clearSelection();
    if (done->changed > 0) session()->localWriteDone();
    return true;
}

} // namespace fieldsync::app
