// PagedListModel: the paging every list model of the app shares. Views get
// rows a page at a time (canFetchMore / fetchMore), so a long list costs
// delegates only for what is scrolled to. A subclass either reads every row
// in load() (short lists: conflicts, rejected changes), or reads the first
// page in load() and each further page in fetchRows() (customers: 50,000
// rows are never read at once).
//
// Every model reloads when the Session says the replica changed (a sync
// ended, a local write, a wipe), and when the language changes.
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>
#include <algorithm>

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
    // Reloads when the language changes (QEvent::LanguageChange).
    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    void sessionChanged();
    void countChanged();

protected:
    // Re-reads the rows from session()->replica() (a session is set) and
    // returns how many there are. Runs inside a model reset.
    virtual int load() = 0;
    // Drops every row (no session); inside a model reset.
    virtual void clear() = 0;
    // Makes rows [from, from + count) readable by data() and returns how
    // many of them there are. The default is for models that load() every
    // row at once; models over long lists read the page here.
    virtual int fetchRows(int from, int count) { return std::max(0, std::min(count, m_available - from)); }
    bool validRow(int row) const { return row >= 0 && row < m_shown; }

private:
    QPointer<Session> m_session;
    int m_available = 0;
    int m_shown = 0;
    bool m_notifying = false;
};

} // namespace fieldsync::app
