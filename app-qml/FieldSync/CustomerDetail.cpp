#include "CustomerDetail.h"

#include "Session.h"
#include "domain/Actor.h"
#include "domain/CustomerProfile.h"
#include "replica/Replica.h"

#include <QRegularExpression>
#include <set>

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
    return lifecycleName(m_lifecycle);
}

QString CustomerDetail::lifecycleName(const QString& value)
{
    if (value == QLatin1String("lead")) return tr("Lead");
    if (value == QLatin1String("first_purchase")) return tr("First purchase");
    if (value == QLatin1String("repeat")) return tr("Repeat buyer");
    if (value == QLatin1String("loyal")) return tr("Loyal");
    if (value == QLatin1String("churned")) return tr("Churned");
    return value;
}

QStringList CustomerDetail::lifecycleValues()
{
    return {QStringLiteral("lead"), QStringLiteral("first_purchase"), QStringLiteral("repeat"), QStringLiteral("loyal"),
            QStringLiteral("churned")};
}

bool CustomerDetail::editable() const
{
    if (!m_session || !m_found || m_archived) return false;
    const domain::Actor actor = domain::Actor::of(m_session->replica());
    return actor.isManager() || m_owner.toStdString() == actor.user;
}

bool CustomerDetail::save(const QVariantMap& fields)
{
    if (!m_session || m_id.isEmpty()) return false;
    domain::ProfileEdit edit;
    auto take = [&](const char* key, std::optional<std::string>& into) {
        if (auto it = fields.find(QLatin1String(key)); it != fields.end()) into = it->toString().toStdString();
    };
    take("name", edit.name);
    take("phone", edit.phone);
    take("address", edit.address);
    take("region", edit.region);
    take("industry", edit.industry);
    take("level", edit.level);
    take("lifecycle", edit.lifecycle);
    take("notes", edit.notes);
    if (auto it = fields.find(QStringLiteral("tags")); it != fields.end()) {
        static const QRegularExpression separators(QStringLiteral("[,，、;；\\s]+"));
        std::set<std::string> wanted;
        for (const QString& t : it->toString().split(separators, Qt::SkipEmptyParts)) wanted.insert(t.toStdString());
        for (const QString& t : m_tags)
            if (!wanted.count(t.toStdString())) edit.removeTags.push_back(t.toStdString());
        edit.addTags.assign(wanted.begin(), wanted.end());
    }
    auto written = domain::updateProfile(m_session->replica(), m_id.toStdString(), edit);
    setError(written ? QString() : describeError(written.error()));
    if (!written) return false;
    if (*written > 0) m_session->localWriteDone();
    return true;
}

bool CustomerDetail::archive()
{
    if (!m_session || m_id.isEmpty()) return false;
    Status done = domain::archiveCustomer(m_session->replica(), m_id.toStdString());
    setError(done ? QString() : describeError(done.error()));
    if (!done) return false;
    m_session->localWriteDone();
    return true;
}

void CustomerDetail::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
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
