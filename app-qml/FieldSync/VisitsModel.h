// VisitsModel: a customer's visit timeline (domain::visitTimeline): every
// visit latest first, voided ones kept and marked, with the derived flags
// far (checked in farther than the team's radius from the customer) and
// noLocation (checked in without a position).
//
// Actions on the customer's visits, through domain/Visits only: plan() a
// visit (the plan-visit form: local date and time as "yyyy-MM-dd HH:mm",
// purpose, kind) and voidVisit() one (managers only, with a reason: the
// domain refuses a rep or an empty reason). Refusals come back as errorText.
#pragma once

#include "PagedListModel.h"
#include "domain/Visits.h"

#include <QString>
#include <vector>

namespace fieldsync::app {

class VisitsModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        VisitIdRole = Qt::UserRole + 1,
        CustomerIdRole,
        CustomerNameRole,
        RepRole,
        KindRole,          // visit | follow_up | complaint | delivery | other
        KindLabelRole,     // what the user reads
        StatusRole,        // planned | checked_in | completed
        StatusLabelRole,
        WhenRole,          // QDateTime: check-in, else planned; invalid if neither
        PurposeRole,
        NotesRole,
        OutcomeRole,
        SatisfactionRole,  // 1..5; 0: none
        OrderAmountRole,   // < 0: none
        DistanceRole,      // metres; < 0: unknown
        FarRole,
        NoLocationRole,
        VoidedRole,
        VoidReasonRole,
        VerdictRole,       // verified | unverified | suspicious; "" before the check-in
        VerdictLabelRole,  // "Suspicious: far from the customer (not confirmed by the server yet)"
    };
    Q_ENUM(Role)

    explicit VisitsModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);

    QString errorText() const { return m_error; }

    // A visit to this customer planned at `when` (local "yyyy-MM-dd HH:mm").
    Q_INVOKABLE bool plan(const QString& when, const QString& purpose, const QString& kind = QStringLiteral("visit"));
    Q_INVOKABLE bool voidVisit(int row, const QString& reason);

    static QString kindLabel(const std::string& kind);
    static QString statusLabel(const std::string& status);
    // The verdict and its reasons in words (docs/time.md), "" if none.
    static QString verdictLabel(const domain::Visit& visit);

signals:
    void customerIdChanged();
    void errorTextChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

    std::vector<domain::Visit> m_rows;  // what data() shows (FeedModel fills it too)

private:
    bool finish(const Status& status);

    QString m_customerId;
    QString m_error;
};

} // namespace fieldsync::app
