#include "RejectedModel.h"

#include "ConflictsModel.h"
#include "FieldLabels.h"
#include "Session.h"

#include <QDateTime>
#include <QStringList>
#include <algorithm>

namespace fieldsync::app {

using replica::RejectedChange;

RejectedModel::RejectedModel(QObject* parent) : PagedListModel(parent) {}

int RejectedModel::load()
{
    m_rows = session()->replica().rejected();
    std::stable_sort(m_rows.begin(), m_rows.end(), [](const RejectedChange& a, const RejectedChange& b) {
        return a.rejectedAt != b.rejectedAt ? a.rejectedAt > b.rejectedAt : a.clock > b.clock;
    });
    return static_cast<int>(m_rows.size());
}

QString RejectedModel::summarize(const nlohmann::json& record)
{
    QStringList parts;
    const std::string entity = record.value("entity", "");
    if (auto set = record.find("set"); set != record.end() && set->is_object()) {
        for (const auto& [field, value] : set->items()) {
            // Stage fields travel as {"stage": ..., "gen": ...}.
            const auto& shown = value.is_object() && value.contains("stage") ? value["stage"] : value;
            parts << fieldLabel(entity, field) + QStringLiteral(" = ") + ConflictsModel::valueText(shown);
        }
    }
    for (const char* op : {"add", "remove"}) {
        auto ops = record.find(op);
        if (ops == record.end() || !ops->is_array()) continue;
        for (const auto& o : *ops)
            parts << fieldLabel(entity, o.value("field", "")) + (op[0] == 'a' ? QStringLiteral(" + ") : QStringLiteral(" − "))
                         + QString::fromStdString(o.value("value", ""));
    }
    return parts.join(QStringLiteral(", "));
}

QVariant RejectedModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const RejectedChange& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case MessageRole: return QString::fromStdString(r.message);
    case EntityRole: return QString::fromStdString(r.entity);
    case RowIdRole: return QString::fromStdString(r.id);
    case CodeRole: return QString::fromStdString(r.code);
    case ChangesRole: return summarize(r.record);
    case RejectedAtRole: return r.rejectedAt > 0 ? QDateTime::fromMSecsSinceEpoch(r.rejectedAt) : QDateTime();
    case EntityLabelRole: return entityLabel(r.entity);
    default: return {};
    }
}

QHash<int, QByteArray> RejectedModel::roleNames() const
{
    return {{EntityRole, "entity"},   {RowIdRole, "rowId"},     {CodeRole, "code"},
            {MessageRole, "message"}, {ChangesRole, "changes"}, {RejectedAtRole, "rejectedAt"},
            {EntityLabelRole, "entityLabel"}};
}

} // namespace fieldsync::app
