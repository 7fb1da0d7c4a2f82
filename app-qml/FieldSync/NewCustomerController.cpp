#include "NewCustomerController.h"

#include "CustomerDetail.h"
#include "Session.h"
#include "Values.h"
#include "domain/CustomerProfile.h"
#include "domain/Duplicates.h"
#include "domain/SearchIndex.h"

#include <QRegularExpression>

namespace fieldsync::app {

NewCustomerController::NewCustomerController(QObject* parent) : SessionController(Follow::SessionOnly, parent) {}

void NewCustomerController::setDuplicates(const QVariantList& duplicates)
{
    if (m_duplicates.isEmpty() && duplicates.isEmpty()) return;
    m_duplicates = duplicates;
    emit duplicatesChanged();
}

void NewCustomerController::reset()
{
    setDuplicates({});
    m_checked.clear();
    setError({});
}

QString NewCustomerController::reasonLabel(const QString& reason)
{
    if (reason == QLatin1String("same_phone")) return tr("Same phone number");
    if (reason == QLatin1String("same_name")) return tr("Same name");
    if (reason == QLatin1String("same_pinyin")) return tr("Name sounds the same");
    if (reason == QLatin1String("name_contains")) return tr("Similar name");
    return reason;
}

QStringList NewCustomerController::lifecycleValues()
{
    return CustomerDetail::lifecycleValues();
}

QString NewCustomerController::lifecycleName(const QString& value)
{
    return CustomerDetail::lifecycleName(value);
}

bool NewCustomerController::save(const QVariantMap& fields, bool anyway)
{
    if (!session()) return false;
    auto text = [&](const char* key) { return fields.value(QLatin1String(key)).toString().trimmed(); };
    domain::NewCustomer c;
    c.name = text("name").toStdString();
    c.phone = text("phone").toStdString();
    c.address = text("address").toStdString();
    c.region = text("region").toStdString();
    c.level = text("level").toStdString();
    c.lifecycle = text("lifecycle").toStdString();
    static const QRegularExpression separators(QStringLiteral("[,，、;；\\s]+"));
    for (const QString& t : text("tags").split(separators, Qt::SkipEmptyParts)) c.tags.push_back(t.toStdString());
    c.contactName = text("contactName").toStdString();
    c.contactTitle = text("contactTitle").toStdString();
    c.contactPhone = text("contactPhone").toStdString();

    replica::Replica& replica = session()->replica();
    const QString checked = text("name") + QLatin1Char('\n') + text("phone") + QLatin1Char('\n') + text("contactPhone");
    if (!c.name.empty() && !(anyway && checked == m_checked)) {
        domain::DuplicateCandidate candidate;
        candidate.name = c.name;
        for (const auto* phone : {&c.phone, &c.contactPhone})
            if (!phone->empty()) candidate.phones.push_back(*phone);
        domain::SearchIndex index(replica);
        QVariantList found;
        for (const auto& d : domain::findDuplicates(index, candidate))
            found << QVariantMap{{QStringLiteral("id"), qs(d.id)},
                                 {QStringLiteral("name"), qs(d.name)},
                                 {QStringLiteral("owner"), qs(d.owner)},
                                 {QStringLiteral("ownerLabel"), d.owner ? qs(*d.owner) : tr("Public pool")},
                                 {QStringLiteral("reason"), qs(d.reason)},
                                 {QStringLiteral("reasonLabel"), reasonLabel(qs(d.reason))},
                                 {QStringLiteral("detail"), qs(d.detail)}};
        m_checked = checked;
        setDuplicates(found);
        if (!found.isEmpty()) {
            setError({});
            return false;
        }
    }
    auto created = domain::createCustomer(replica, c);
    if (!created) {
        setError(describeError(created.error()));
        return false;
    }
    reset();
    m_createdId = qs(*created);
    emit createdIdChanged();
    session()->localWriteDone();
    return true;
}

} // namespace fieldsync::app
