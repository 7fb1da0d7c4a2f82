#include "CustomerDetail.h"

#include "Session.h"
#include "replica/Replica.h"

namespace fieldsync::app {

namespace {

QString textField(const nlohmann::json& row, const char* field)
{
    auto it = row.find(field);
    return it != row.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

} // namespace

CustomerDetail::CustomerDetail(QObject* parent) : QObject(parent) {}

void CustomerDetail::setSession(Session* session)
{
    if (m_session == session) return;
    if (m_session) m_session->disconnect(this);
    m_session = session;
    if (m_session) connect(m_session, &Session::dataChanged, this, &CustomerDetail::reload);
    emit sessionChanged();
    reload();
}

void CustomerDetail::setCustomerId(const QString& id)
{
    if (m_id == id) return;
    m_id = id;
    emit customerIdChanged();
    reload();
}

QString CustomerDetail::lifecycleLabel() const
{
    if (m_lifecycle == QLatin1String("lead")) return tr("Lead");
    if (m_lifecycle == QLatin1String("first_purchase")) return tr("First purchase");
    if (m_lifecycle == QLatin1String("repeat")) return tr("Repeat buyer");
    if (m_lifecycle == QLatin1String("loyal")) return tr("Loyal");
    if (m_lifecycle == QLatin1String("churned")) return tr("Churned");
    return m_lifecycle;
}

void CustomerDetail::reload()
{
    nlohmann::json row;
    if (m_session && !m_id.isEmpty()) {
        auto got = m_session->replica().get("customer", m_id.toStdString());
        if (got) row = std::move(*got);
    }
    m_found = row.is_object();
    m_name = textField(row, "name");
    m_phone = textField(row, "phone");
    m_address = textField(row, "address");
    m_region = textField(row, "region");
    m_industry = textField(row, "industry");
    m_level = textField(row, "level");
    m_lifecycle = textField(row, "lifecycle");
    m_owner = textField(row, "owner");
    m_notes = textField(row, "notes");
    m_tags.clear();
    if (auto tags = row.find("tags"); m_found && tags != row.end() && tags->is_array())
        for (const auto& t : *tags)
            if (t.is_string()) m_tags << QString::fromStdString(t.get<std::string>());
    m_tags.sort();
    m_archived = m_found && row.value("archived", nlohmann::json()).is_boolean() && row["archived"].get<bool>();
    m_hasLocation = m_found && row.value("lat", nlohmann::json()).is_number() && row.value("lng", nlohmann::json()).is_number();
    emit changed();
}

} // namespace fieldsync::app
