#include "TasksModel.h"

#include "Session.h"
#include "Values.h"

namespace fieldsync::app {

TasksModel::TasksModel(QObject* parent) : PagedListModel(parent) {}

void TasksModel::setCustomerId(const QString& id)
{
    if (m_customerId == id) return;
    m_customerId = id;
    emit customerIdChanged();
    reload();
}

void TasksModel::setOpenOnly(bool openOnly)
{
    if (m_openOnly == openOnly) return;
    m_openOnly = openOnly;
    emit openOnlyChanged();
    reload();
}

void TasksModel::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
}

int TasksModel::load()
{
    m_rows.clear();
    if (m_customerId.isEmpty()) return 0;
    domain::TaskFilter filter;
    filter.customer = m_customerId.toStdString();
    filter.openOnly = m_openOnly;
    m_rows = domain::listTasks(session()->replica(), filter);
    // Open tasks first (the list's order within each), done ones below.
    std::stable_partition(m_rows.begin(), m_rows.end(), [](const domain::Task& t) { return t.open(); });
    m_now = QDateTime::currentMSecsSinceEpoch();
    return static_cast<int>(m_rows.size());
}

bool TasksModel::complete(int row)
{
    if (!session() || !validRow(row)) return false;
    const Status done = domain::completeTask(session()->replica(), m_rows[static_cast<size_t>(row)].id);
    if (!done) {
        setError(describeError(done.error()));
        return false;
    }
    setError({});
    session()->localWriteDone();
    return true;
}

QVariant TasksModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const domain::Task& t = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return qs(t.title);
    case TaskIdRole: return qs(t.id);
    case DueRole: return dateTimeOf(t.due);
    case AssigneeRole: return qs(t.assignee);
    case NotesRole: return qs(t.notes);
    case DoneRole: return !t.open();
    case OverdueRole: return t.open() && t.due && *t.due < m_now;
    case CustomerNameRole: return qs(t.customerName);
    default: return {};
    }
}

QHash<int, QByteArray> TasksModel::roleNames() const
{
    return {{TaskIdRole, "taskId"}, {TitleRole, "title"}, {DueRole, "due"},         {AssigneeRole, "assignee"},
            {NotesRole, "notes"},   {DoneRole, "done"},   {OverdueRole, "overdue"}, {CustomerNameRole, "customerName"}};
}

} // namespace fieldsync::app
