#include "PoolReturnController.h"

#include "Session.h"
#include "Values.h"
#include "domain/Pool.h"
#include "domain/SearchIndex.h"

namespace fieldsync::app {

PoolReturnController::PoolReturnController(QObject* parent) : SessionController(Follow::SessionOnly, parent) {}

void PoolReturnController::setResult(const QString& error, const QString& result)
{
    setError(error);
    m_result = result;
    emit resultChanged();
}

void PoolReturnController::setPreview(int days, const QVariantList& preview)
{
    m_days = days;
    m_preview = preview;
    emit previewChanged();
}

void PoolReturnController::cancel()
{
    setPreview(-1, {});
}

bool PoolReturnController::previewFor(const QString& days)
{
    if (!session()) return false;
    bool isNumber = false;
    const int n = days.trimmed().toInt(&isNumber);
    // The domain's own message names the CLI's option: the form says it in its words.
    if (!isNumber || n < 1 || n > 3650) {
        cancel();
        setResult(tr("Enter a number of days from 1 to 3650"), {});
        return false;
    }
    domain::SearchIndex index(session()->replica());
    domain::Pool pool(index);
    auto idle = pool.returnToPool(n, /*dryRun=*/true);
    if (!idle) {
        cancel();
        setResult(describeError(idle.error()), {});
        return false;
    }
    QVariantList rows;
    for (const auto& c : *idle)
        rows << QVariantMap{{QStringLiteral("id"), qs(c.id)},
                            {QStringLiteral("name"), qs(c.name)},
                            {QStringLiteral("owner"), qs(c.owner)},
                            {QStringLiteral("idleDays"), static_cast<qlonglong>(c.idleDays)},
                            {QStringLiteral("lastVisit"), dateTimeOf(c.lastVisit)}};
    setPreview(n, rows);
    setResult({}, {});
    return true;
}

bool PoolReturnController::confirm()
{
    if (!session() || m_days < 0) return false;
    domain::SearchIndex index(session()->replica());
    domain::Pool pool(index);
    auto returned = pool.returnToPool(m_days, /*dryRun=*/false);
    if (!returned) {
        setResult(describeError(returned.error()), {});
        return false;
    }
    const int n = static_cast<int>(returned->size());
    cancel();
    setResult({}, tr("%n customer(s) returned to the public pool", nullptr, n));
    if (n > 0) session()->localWriteDone();
    return true;
}

} // namespace fieldsync::app
