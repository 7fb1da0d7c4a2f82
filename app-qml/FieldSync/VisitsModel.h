// VisitsModel: a customer's visit timeline (domain::visitTimeline): every
// visit latest first, voided ones kept and marked, with the derived flags
// far (checked in farther than the team's radius from the customer) and
// noLocation (checked in without a position).
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
    };
    Q_ENUM(Role)

    explicit VisitsModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);

    static QString kindLabel(const std::string& kind);
    static QString statusLabel(const std::string& status);

signals:
    void customerIdChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

    std::vector<domain::Visit> m_rows;  // what data() shows (FeedModel fills it too)

private:
    QString m_customerId;
};

} // namespace fieldsync::app
