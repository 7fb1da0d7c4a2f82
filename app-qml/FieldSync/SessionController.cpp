#include "SessionController.h"

#include "Session.h"
#include "Values.h"

namespace fieldsync::app {

SessionController::SessionController(Follow follow, QObject* parent) : QObject(parent), m_follow(follow) {}

void SessionController::setSession(Session* session)
{
    if (m_session == session) return;
    if (m_session) m_session->disconnect(this);
    m_session = session;
    if (m_session && m_follow == Follow::FollowData)
        connect(m_session, &Session::dataChanged, this, [this] { refresh(); });
    emit sessionChanged();
    refresh();
}

void SessionController::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
}

bool SessionController::fail(const Error& error)
{
    setError(describeError(error));
    return false;
}

} // namespace fieldsync::app
