#include "CustomerDetail.h"

#include "Session.h"
#include "domain/Actor.h"
#include "domain/CustomerProfile.h"
#include "replica/Replica.h"

#include <QLocale>
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

CustomerDetail::CustomerDetail(QObject* parent) : SessionController(Follow::FollowData, parent) {}

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

QString CustomerDetail::annualSalesText() const
{
    // Up to two decimals (yuan and fen), no grouping, no trailing zeros.
    static const QRegularExpression trailingZeros(QStringLiteral("\\.?0+$"));
    return m_annualSales < 0 ? QString() : QString::number(m_annualSales, 'f', 2).remove(trailingZeros);
}

QStringList CustomerDetail::sizeValues()
{
    return {QStringLiteral("micro"), QStringLiteral("small"), QStringLiteral("medium"), QStringLiteral("large"),
            QStringLiteral("enterprise")};
}

QString CustomerDetail::sizeName(const QString& value)
{
    if (value == QLatin1String("micro")) return tr("Micro");
    if (value == QLatin1String("small")) return tr("Small");
    if (value == QLatin1String("medium")) return tr("Medium-sized");
    if (value == QLatin1String("large")) return tr("Large");
    if (value == QLatin1String("enterprise")) return tr("Enterprise group");
    return value;
}

QStringList CustomerDetail::lifecycleValues()
{
    return {QStringLiteral("lead"), QStringLiteral("first_purchase"), QStringLiteral("repeat"), QStringLiteral("loyal"),
            QStringLiteral("churned")};
}

bool CustomerDetail::editable() const
{
    if (!session() || !m_found || m_archived) return false;
    const domain::Actor actor = domain::Actor::of(session()->replica());
    return actor.isManager() || m_owner.toStdString() == actor.user;
}

bool CustomerDetail::save(const QVariantMap& fields)
{
    if (!session() || m_id.isEmpty()) return false;
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
    take("size", edit.size);
    take("source", edit.source);
    take("notes", edit.notes);
    if (auto it = fields.find(QStringLiteral("annualSales"));
        it != fields.end() && it->toString().trimmed() != annualSalesText()) {
        QString text = it->toString().trimmed();
        static const QRegularExpression grouping(QStringLiteral("[,，\\s¥￥]"));
        text.remove(grouping);
        if (text.isEmpty()) {
            edit.annualSales = std::optional<double>();
        } else {
            bool ok = false;
            const double sales = QLocale::c().toDouble(text, &ok);
            if (!ok) {
                setError(tr("Enter the annual sales as a number, e.g. 1200000"));
                return false;
            }
            edit.annualSales = sales;
        }
    }
    if (auto it = fields.find(QStringLiteral("location")); it != fields.end() && it->toString().trimmed() != m_location) {
        static const QRegularExpression separators(QStringLiteral("[,，\\s]+"));
        const QStringList parts = it->toString().split(separators, Qt::SkipEmptyParts);
        if (parts.isEmpty()) {
            edit.location = std::optional<std::pair<double, double>>();
        } else {
            bool latOk = false, lngOk = false;
            const double lat = parts.size() == 2 ? QLocale::c().toDouble(parts[0], &latOk) : 0;
            const double lng = parts.size() == 2 ? QLocale::c().toDouble(parts[1], &lngOk) : 0;
            if (!latOk || !lngOk) {
                setError(tr("Enter the location as latitude, longitude, e.g. 30.2346, 120.1269"));
                return false;
            }
            edit.location = std::pair{lat, lng};
        }
    }
    if (auto it = fields.find(QStringLiteral("tags")); it != fields.end()) {
        static const QRegularExpression separators(QStringLiteral("[,，、;；\\s]+"));
        std::set<std::string> wanted;
        for (const QString& t : it->toString().split(separators, Qt::SkipEmptyParts)) wanted.insert(t.toStdString());
        for (const QString& t : m_tags)
            if (!wanted.count(t.toStdString())) edit.removeTags.push_back(t.toStdString());
        edit.addTags.assign(wanted.begin(), wanted.end());
    }
    auto written = domain::updateProfile(session()->replica(), m_id.toStdString(), edit);
    setError(written ? QString() : describeError(written.error()));
    if (!written) return false;
    if (*written > 0) session()->localWriteDone();
    return true;
}

bool CustomerDetail::archive()
{
    if (!session() || m_id.isEmpty()) return false;
    Status done = domain::archiveCustomer(session()->replica(), m_id.toStdString());
    setError(done ? QString() : describeError(done.error()));
    if (!done) return false;
    session()->localWriteDone();
    return true;
}

void CustomerDetail::reload()
{
    nlohmann::json row;
    if (session() && !m_id.isEmpty()) {
        auto got = session()->replica().get("customer", m_id.toStdString());
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
    m_size = textField(row, "size");
    m_source = textField(row, "source");
    auto number = [&](const char* field) -> std::optional<double> {
        auto it = row.find(field);
        return m_found && it != row.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
    };
    m_annualSales = number("annual_sales").value_or(-1);
    const auto lat = number("lat"), lng = number("lng");
    m_location = lat && lng ? QStringLiteral("%1, %2").arg(*lat, 0, 'f', 6).arg(*lng, 0, 'f', 6) : QString();
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
