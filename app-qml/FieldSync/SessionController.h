// SessionController: what every page controller shares — the Session it works
// on (QML's `session`) and the text of its last refusal (`errorText`, empty
// after a success). A controller made with FollowData is refreshed whenever
// the session's data changes (a sync ended, a local write, a wipe); every
// controller is refreshed when its session is set. Refusals from the core
// (an Error) reach errorText through fail(), in the user's language
// (describeError).
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace fieldsync {
struct Error;
}

namespace fieldsync::app {

class Session;

} // namespace fieldsync::app
Q_MOC_INCLUDE("Session.h")
namespace fieldsync::app {

class SessionController : public QObject {
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(fieldsync::app::Session* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    Session* session() const { return m_session; }
    void setSession(Session* session);
    QString errorText() const { return m_error; }

signals:
    void sessionChanged();
    void errorTextChanged();

protected:
    enum class Follow { SessionOnly, FollowData };
    explicit SessionController(Follow follow, QObject* parent = nullptr);

    // After the session is set (and, with FollowData, after its data changed).
    virtual void refresh() {}
    void setError(const QString& text);
    // setError(describeError(error)); returns false, for `return fail(e);`.
    bool fail(const Error& error);

private:
    QPointer<Session> m_session;
    QString m_error;
    Follow m_follow;
};

} // namespace fieldsync::app
