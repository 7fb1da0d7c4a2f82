// ComplaintsModel: complaints (投诉, domain::listComplaints), oldest received
// first; optionally one customer's only (the detail page) and open only.
// moveTo(row, stage, resolution) moves a complaint forward
// (domain::moveComplaint: stages only go forward; "answered" needs a
// resolution — the domain refuses, the model shows why), with the customer's
// satisfaction after it (1–5, asked when it is followed up); add() records a new
// complaint received now (domain::addComplaint) and reopen(row) starts a
// closed one again at "received" (domain::reopenComplaint: a new generation).
#pragma once

#include "PagedListModel.h"
#include "domain/Complaints.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace fieldsync::app {

class ComplaintsModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString customerId READ customerId WRITE setCustomerId NOTIFY customerIdChanged)  // empty: all
    Q_PROPERTY(bool openOnly READ openOnly WRITE setOpenOnly NOTIFY openOnlyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        ComplaintIdRole = Qt::UserRole + 1,
        CustomerIdRole,
        CustomerNameRole,
        DescriptionRole,
        ChannelRole,
        ChannelLabelRole,
        SeverityRole,        // low | medium | high | ""
        SeverityLabelRole,
        StageRole,           // received | investigating | answered | followed_up
        StageLabelRole,
        NextStagesRole,      // QStringList: the stages it may move to
        ReceivedAtRole,      // QDateTime
        ResolutionRole,
        HandlerRole,
        OpenRole,
        SatisfactionAfterRole,  // 1..5, -1: not recorded
    };
    Q_ENUM(Role)

    explicit ComplaintsModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString customerId() const { return m_customerId; }
    void setCustomerId(const QString& id);
    bool openOnly() const { return m_openOnly; }
    void setOpenOnly(bool openOnly);
    QString errorText() const { return m_error; }

    // False (and errorText) when refused. An empty resolution keeps the
    // recorded one; satisfaction 1..5 records the satisfaction after, 0 or
    // less leaves it as it is.
    Q_INVOKABLE bool moveTo(int row, const QString& stage, const QString& resolution = {}, int satisfaction = 0);
    // A complaint about `customerId` received now. channel: phone | visit |
    // wechat | email | other; severity: low | medium | high (either may be
    // empty). The description is required.
    Q_INVOKABLE bool add(const QString& customerId, const QString& channel, const QString& severity,
                         const QString& description);
    // Only a closed (followed-up) complaint can be reopened.
    Q_INVOKABLE bool reopen(int row);
    Q_INVOKABLE static QString stageLabel(const QString& stage);

signals:
    void customerIdChanged();
    void openOnlyChanged();
    void errorTextChanged();

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    void setError(const QString& text);
    bool finish(const Status& status);

    std::vector<domain::Complaint> m_rows;
    QString m_customerId;
    bool m_openOnly = false;
    QString m_error;
};

} // namespace fieldsync::app
