#include "FieldHistoryModel.h"

#include "CustomerDetail.h"
#include "FieldLabels.h"
#include "Session.h"
#include "Values.h"

namespace fieldsync::app {

namespace {

QString writer(bool thisDevice, bool unsynced, const std::string& device)
{
    if (thisDevice)
        return unsynced ? FieldHistoryModel::tr("This device, not synced yet") : FieldHistoryModel::tr("This device");
    if (device.empty()) return FieldHistoryModel::tr("Unknown device");
    return FieldHistoryModel::tr("Device %1").arg(qs(device.substr(0, 8)));
}

} // namespace

FieldHistoryModel::FieldHistoryModel(QObject* parent) : PagedListModel(parent) {}

void FieldHistoryModel::setCustomerId(const QString& id)
{
    if (m_customerId == id) return;
    m_customerId = id;
    emit customerIdChanged();
    reload();
}

QString FieldHistoryModel::valueText(const std::string& field, const nlohmann::json& value)
{
    if (value.is_null()) return QStringLiteral("—");
    if (value.is_string()) {
        const QString text = qs(value.get<std::string>());
        return field == "lifecycle" ? CustomerDetail::lifecycleName(text) : text;
    }
    if (value.is_boolean()) return value.get<bool>() ? tr("yes") : tr("no");
    if (value.is_array()) {
        QStringList items;
        for (const auto& v : value) items << (v.is_string() ? qs(v.get<std::string>()) : qs(v.dump()));
        return items.isEmpty() ? QStringLiteral("—") : items.join(QStringLiteral(" · "));
    }
    if (value.is_number()) return QString::number(value.get<double>(), 'g', 12);
    return qs(value.dump());
}

int FieldHistoryModel::load()
{
    m_rows.clear();
    if (m_customerId.isEmpty()) return 0;
    auto history = domain::fieldHistory(session()->replica(), "customer", m_customerId.toStdString());
    if (!history) return 0;  // the customer left this replica
    for (const auto& f : history->fields) {
        if (f.field == "archived" && f.value != true) continue;  // an archive flag never set is no news
        m_rows.push_back({QStringLiteral("current"), qs(f.field), fieldLabel("customer", f.field),
                          valueText(f.field, f.value), writer(f.thisDevice, f.unsynced, f.device),
                          QDateTime::fromMSecsSinceEpoch(f.writtenAt), f.thisDevice, f.unsynced, false});
    }
    for (const auto& o : history->overwritten)
        m_rows.push_back({QStringLiteral("overwritten"), qs(o.field), fieldLabel("customer", o.field),
                          valueText(o.field, o.value), writer(o.thisDevice, false, o.device), dateTimeOf(o.writtenAt),
                          o.thisDevice, false, o.resolved});
    return static_cast<int>(m_rows.size());
}

QVariant FieldHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !validRow(index.row())) return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case SectionRole: return r.section;
    case FieldRole: return r.field;
    case Qt::DisplayRole:
    case FieldLabelRole: return r.fieldLabel;
    case ValueRole: return r.value;
    case WhenRole: return r.when;
    case WriterRole: return r.writer;
    case ThisDeviceRole: return r.thisDevice;
    case UnsyncedRole: return r.unsynced;
    case ResolvedRole: return r.resolved;
    default: return {};
    }
}

QHash<int, QByteArray> FieldHistoryModel::roleNames() const
{
    return {{SectionRole, "section"},     {FieldRole, "field"},   {FieldLabelRole, "fieldLabel"},
            {ValueRole, "value"},         {WhenRole, "when"},     {WriterRole, "writer"},
            {ThisDeviceRole, "thisDevice"}, {UnsyncedRole, "unsynced"}, {ResolvedRole, "resolved"}};
}

} // namespace fieldsync::app
