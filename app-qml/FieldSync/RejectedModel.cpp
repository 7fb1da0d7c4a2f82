#include "RejectedModel.h"

#include "ConflictsModel.h"
#include "FieldLabels.h"
#include "RowNames.h"
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
    // A refused new customer is gone from the device: its name is in the
    // refused change, and names the rows refused with it.
    std::map<std::string, std::string> refusedCustomers;
    for (const auto& r : m_rows)
        if (r.entity == "customer" && r.record.contains("set") && r.record["set"].is_object()
            && r.record["set"].contains("name") && r.record["set"]["name"].is_string())
            refusedCustomers.emplace(r.id, r.record["set"]["name"].get<std::string>());
    m_names.clear();
    m_changes.clear();
    auto& replica = session()->replica();
    const auto customerName = [&](const std::string& id) {
        return rowName(replica, "customer", id, {}, refusedCustomers);
    };
    for (const auto& r : m_rows) {
        m_names.push_back(rowName(replica, r.entity, r.id, r.record, refusedCustomers));
        m_changes.push_back(summarize(r.record, customerName));
    }
    return static_cast<int>(m_rows.size());
}

QString RejectedModel::summarize(const nlohmann::json& record,
                                 const std::function<QString(const std::string&)>& customerName)
{
    QStringList parts;
    const std::string entity = record.value("entity", "");
    if (auto set = record.find("set"); set != record.end() && set->is_object()) {
        for (const auto& [field, value] : set->items()) {
            // Stage fields travel as {"stage": ..., "gen": ...}.
            const auto& shown = value.is_object() && value.contains("stage") ? value["stage"] : value;
            const QString named = field == "customer" && shown.is_string() && customerName
                ? customerName(shown.get<std::string>())
                : QString();
            parts << fieldLabel(entity, field) + QStringLiteral(" = ")
                    + (named.isEmpty() ? ConflictsModel::valueText(shown) : named);
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
    case WhyRole: return rejectionText(r.reason, r.entity, r.record);
    case MessageRole: return QString::fromStdString(r.message);
    case ReasonRole: return QString::fromStdString(r.reason);
    case RowNameRole: return m_names[static_cast<size_t>(index.row())];
    case EntityRole: return QString::fromStdString(r.entity);
    case RowIdRole: return QString::fromStdString(r.id);
    case CodeRole: return QString::fromStdString(r.code);
    case ChangesRole: return m_changes[static_cast<size_t>(index.row())];
    case RejectedAtRole: return r.rejectedAt > 0 ? QDateTime::fromMSecsSinceEpoch(r.rejectedAt) : QDateTime();
    case EntityLabelRole: return entityLabel(r.entity);
    default: return {};
    }
}

QHash<int, QByteArray> RejectedModel::roleNames() const
{
    return {{EntityRole, "entity"},   {RowIdRole, "rowId"},     {CodeRole, "code"},
            {MessageRole, "message"}, {ChangesRole, "changes"}, {RejectedAtRole, "rejectedAt"},
            {EntityLabelRole, "entityLabel"}, {ReasonRole, "reason"},       {RowNameRole, "rowName"},
            {WhyRole, "why"}};
}

} // namespace fieldsync::app
