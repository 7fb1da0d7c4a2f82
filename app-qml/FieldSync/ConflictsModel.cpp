#include "ConflictsModel.h"

#include "FieldLabels.h"
#include "RowNames.h"
#include "Session.h"
#include "schema/Schema.h"

#include <algorithm>

namespace fieldsync::app {

using replica::ConflictEntry;

ConflictsModel::ConflictsModel(QObject* parent) : PagedListModel(parent) {}

QString ConflictsModel::valueText(const nlohmann::json& value)
{
    if (value.is_null()) return QStringLiteral("—");
    if (value.is_string()) return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump());
}

int ConflictsModel::rowOf(const QString& entity, const QString& rowId, const QString& field) const
{
    for (int i = 0; i < rowCount(); ++i) {
        const ConflictEntry& c = m_rows[static_cast<size_t>(i)];
        if (c.entity == entity.toStdString() && c.row == rowId.toStdString() && c.field == field.toStdString())
            return i;
    }
    return -1;
}

QVariantMap ConflictsModel::entryAt(int row) const
{
    if (!validRow(row)) return {};
    const QModelIndex i = index(row);
    return {{QStringLiteral("row"), row},
            {QStringLiteral("entity"), data(i, EntityRole)},
            {QStringLiteral("rowId"), data(i, RowIdRole)},
            {QStringLiteral("field"), data(i, FieldRole)},
            {QStringLiteral("entityLabel"), data(i, EntityLabelRole)},
            {QStringLiteral("fieldLabel"), data(i, FieldLabelRole)},
            {QStringLiteral("rowName"), data(i, RowNameRole)},
            {QStringLiteral("currentValue"), data(i, CurrentValueRole)},
            {QStringLiteral("otherValue"), data(i, OtherValueRole)},
            {QStringLiteral("provisional"), data(i, ProvisionalRole)}};
}

int ConflictsModel::load()
{
    m_rows = session()->replica().conflicts(m_includeResolved);
    if (!m_rowFilter.isEmpty()) {
        const std::string row = m_rowFilter.toStdString();
        std::erase_if(m_rows, [&](const ConflictEntry& c) { return c.row != row; });
    }
    // Newest first; ties (one sync) by id, so the order is stable.
    std::stable_sort(m_rows.begin(), m_rows.end(), [](const ConflictEntry& a, const ConflictEntry& b) {
        return a.detectedAt != b.detectedAt ? a.detectedAt > b.detectedAt : a.id < b.id;
    });
    m_names.clear();
    for (const auto& c : m_rows) m_names.push_back(rowName(session()->replica(), c.entity, c.row));
    return static_cast<int>(m_rows.size());
}

QVariant ConflictsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const ConflictEntry& c = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case FieldRole: return QString::fromStdString(c.field);
    case ConflictIdRole: return QString::fromStdString(c.id);
    case EntityRole: return QString::fromStdString(c.entity);
    case RowIdRole: return QString::fromStdString(c.row);
    case RuleRole: return QString::fromStdString(c.rule);
    case CurrentValueRole: return valueText(c.winnerValue);
    case OtherValueRole: return valueText(c.loserValue);
    case ProvisionalRole: return c.provisional;
    case NeedsResolutionRole: return c.needsResolution;
    case ResolvedRole: return c.resolved;
    case DetectedAtRole: return c.detectedAt > 0 ? QDateTime::fromMSecsSinceEpoch(c.detectedAt) : QDateTime();
    case EntityLabelRole: return entityLabel(c.entity);
    case FieldLabelRole: return fieldLabel(c.entity, c.field);
    case RowNameRole: return m_names[static_cast<size_t>(index.row())];
    default: return {};
    }
}

QHash<int, QByteArray> ConflictsModel::roleNames() const
{
    return {{ConflictIdRole, "conflictId"},       {EntityRole, "entity"},
            {RowIdRole, "rowId"},                 {FieldRole, "field"},
            {RuleRole, "rule"},                   {CurrentValueRole, "currentValue"},
            {OtherValueRole, "otherValue"},       {ProvisionalRole, "provisional"},
            {NeedsResolutionRole, "needsResolution"}, {ResolvedRole, "resolved"},
            {DetectedAtRole, "detectedAt"},       {EntityLabelRole, "entityLabel"},
            {FieldLabelRole, "fieldLabel"},       {RowNameRole, "rowName"}};
}

void ConflictsModel::setRowFilter(const QString& row)
{
    if (m_rowFilter == row) return;
    m_rowFilter = row;
    emit rowFilterChanged();
    reload();
}

void ConflictsModel::setIncludeResolved(bool include)
{
    if (m_includeResolved == include) return;
    m_includeResolved = include;
    emit includeResolvedChanged();
    reload();
}

void ConflictsModel::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
}

bool ConflictsModel::keepCurrent(int row)
{
    return resolve(row, [](const ConflictEntry&) -> Result<std::optional<crdt::Value>> {
        return std::optional<crdt::Value>();
    });
}

bool ConflictsModel::takeOther(int row)
{
    return resolve(row, [](const ConflictEntry& c) -> Result<std::optional<crdt::Value>> {
        try {
            return std::optional<crdt::Value>(crdt::valueFromJson(c.loserValue));
        } catch (const std::invalid_argument&) {
            return invalidArgument("the other value of " + c.field + " cannot be written back as it is");
        }
    });
}

bool ConflictsModel::saveEdited(int row, const QString& text)
{
    Session* s = session();
    return resolve(row, [s, text](const ConflictEntry& c) -> Result<std::optional<crdt::Value>> {
        const auto& schema = s->replica().schema();
        const auto* e = schema.entity(c.entity);
        const auto* f = e ? e->field(c.field) : nullptr;
        if (!f) return invalidArgument("unknown field " + c.entity + "." + c.field);
        auto v = schema::parseValue(*e, *f, text.toStdString());
        if (!v) return v.error();
        return std::optional<crdt::Value>(std::move(*v));
    });
}

bool ConflictsModel::resolve(int row,
                             const std::function<Result<std::optional<crdt::Value>>(const ConflictEntry&)>& choose)
{
    if (!session() || !validRow(row)) {
        setError(tr("No such conflict."));
        return false;
    }
    const ConflictEntry entry = m_rows[static_cast<size_t>(row)];
    if (entry.provisional || entry.id.empty()) {
        setError(tr("This conflict is only known on this device so far; sync first, then resolve it."));
        return false;
    }
    auto chosen = choose(entry);
    if (!chosen) {
        setError(describeError(chosen.error()));
        return false;
    }
    Status done = session()->replica().resolveConflict(entry.id, *chosen);
    if (!done) {
        setError(describeError(done.error()));
        return false;
    }
    setError({});
    session()->localWriteDone();  // reloads this model too
    return true;
}

} // namespace fieldsync::app
