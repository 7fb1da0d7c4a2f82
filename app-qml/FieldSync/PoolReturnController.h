// PoolReturnController: the Team page's "return idle customers to the public
// pool" (managers; domain::Pool::returnToPool, the call behind the CLI's
// `customer return-to-pool`). preview(days) is the dry run: how many
// customers, and which, have had no visit and no new owner for that many
// days; confirm() returns exactly that day count's customers as they are at
// that moment (one batch of synced writes) and says how many went. A rep is
// refused by the domain (the page is not offered to reps anyway).
#pragma once

#include "SessionController.h"

#include <QString>
#include <QVariantList>

namespace fieldsync::app {

class PoolReturnController : public SessionController {
    Q_OBJECT
    QML_ELEMENT
    // -1: no preview shown; else the day count the preview is for.
    Q_PROPERTY(int previewDays READ previewDays NOTIFY previewChanged)
    Q_PROPERTY(int previewCount READ previewCount NOTIFY previewChanged)
    // One map per customer, longest idle first: id, name, owner, idleDays,
    // lastVisit (QDateTime, invalid: never visited).
    Q_PROPERTY(QVariantList preview READ preview NOTIFY previewChanged)
    Q_PROPERTY(QString resultText READ resultText NOTIFY resultChanged)

public:
    explicit PoolReturnController(QObject* parent = nullptr);

    int previewDays() const { return m_days; }
    int previewCount() const { return static_cast<int>(m_preview.size()); }
    QVariantList preview() const { return m_preview; }
    QString resultText() const { return m_result; }

    // `days` as typed (1..3650). False (and errorText) when refused.
    Q_INVOKABLE bool previewFor(const QString& days);
    // Returns the previewed day count's idle customers to the pool.
    Q_INVOKABLE bool confirm();
    Q_INVOKABLE void cancel();

signals:
    void previewChanged();
    void resultChanged();

protected:
    void refresh() override { cancel(); }

private:
    void setResult(const QString& error, const QString& result);
    void setPreview(int days, const QVariantList& preview);

    int m_days = -1;
    QVariantList m_preview;
    QString m_result;
};

} // namespace fieldsync::app
