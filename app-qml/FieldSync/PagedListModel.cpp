#include "PagedListModel.h"

#include <QCoreApplication>
#include <QEvent>

#include "Session.h"

namespace fieldsync::app {

PagedListModel::PagedListModel(QObject* parent) : QAbstractListModel(parent)
{
    // Installing a translator sends the application LanguageChange: rows
    // hold text made with tr() (section headers, labels, reasons), so they
    // are read again in the new language at once, not after a restart.
    if (auto* app = QCoreApplication::instance()) app->installEventFilter(this);
}

bool PagedListModel::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::LanguageChange && watched == QCoreApplication::instance()) reload();
    return QAbstractListModel::eventFilter(watched, event);
}

void PagedListModel::setSession(Session* session)
{
    if (m_session == session) return;
    if (m_session) m_session->disconnect(this);
    m_session = session;
    if (m_session) connect(m_session, &Session::dataChanged, this, &PagedListModel::reload);
    emit sessionChanged();
    reload();
}

// Nothing is fetched from inside a change's own notifications (a reset or an
// insertion): views and QAbstractItemModelTester ask again after it.
void PagedListModel::reload()
{
    const int before = m_available;
    m_notifying = true;
    beginResetModel();
    if (m_session) {
        m_available = load();
    } else {
        clear();
        m_available = 0;
    }
    m_shown = m_available > 0 ? fetchRows(0, kPageSize) : 0;
    endResetModel();
    m_notifying = false;
    if (before != m_available) emit countChanged();
}

int PagedListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_shown;
}

bool PagedListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_notifying && m_shown < m_available;
}

void PagedListModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) return;
    m_notifying = true;
    const int got = fetchRows(m_shown, kPageSize);
    if (got <= 0) {
        // The list shrank since the total was read: stop here.
        m_available = m_shown;
        m_notifying = false;
        emit countChanged();
        return;
    }
    const int next = m_shown + got;
    beginInsertRows({}, m_shown, next - 1);
    m_shown = next;
    endInsertRows();
    m_notifying = false;
}

} // namespace fieldsync::app
