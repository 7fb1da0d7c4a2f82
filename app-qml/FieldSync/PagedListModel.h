// PagedListModel: the paging every list model of the app shares. The rows a
// subclass has read are handed to views a page at a time (canFetchMore /
// fetchMore), so a long list costs delegates only for what is scrolled to.
// Subclasses own their rows and call setAvailable() after reloading them
// (inside beginResetModel/endResetModel, which resetRows() does for them).
//
// Every model reloads when the Session says the replica changed (a sync
// ended, a local write, a wipe).
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace fieldsync::app {

class Session;

} // namespace fieldsync::app
Q_MOC_INCLUDE("Session.h")
namespace fieldsync::app {

class PagedListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(fieldsync::app::Session* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(int count READ available NOTIFY countChanged)  // rows available, shown or not

public:
    static constexpr int kPageSize = 50;

    explicit PagedListModel(QObject* parent = nullptr);

    Session* session() const { return m_session; }
    void setSession(Session* session);
    int available() const { return m_available; }

    int rowCount(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    Q_INVOKABLE void reload();

signals:
    void sessionChanged();
    void countChanged();

protected:
    // Re-reads the rows from session()->replica() (a session is set) and
    // returns how many there are. Runs inside a model reset.
    virtual int load() = 0;
    // Drops every row (no session); inside a model reset.
    virtual void clear() = 0;
    bool validRow(int row) const { return row >= 0 && row < m_shown; }

private:
    QPointer<Session> m_session;
    int m_available = 0;
    int m_shown = 0;
    bool m_notifying = false;
};

} // namespace fieldsync::app
