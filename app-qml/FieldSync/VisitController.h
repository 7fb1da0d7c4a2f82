// VisitController: the Visit page's actions on one visit, through the
// domain's Visits API only (domain::planVisit / checkIn / checkOut): the
// rules (check-in once, stages forward, satisfaction 1..5, amount >= 0, the
// distance to the customer and the far flag) are the domain's; this class
// turns page input into its calls and its refusals into errorText.
//
// A visit starts either from a planned one (open(visitId), the Today page)
// or on the spot (start(customerId): planned now, then checked in).
// Check-in takes the fix the page got from LocationSource; without one it
// goes on and the visit is marked "no location". Check-out records notes,
// outcome, satisfaction, order amount and optionally a next follow-up (the
// domain creates the task), completing the visit. Every write is followed
// by Session::localWriteDone() (pending count, debounced sync, models
// reload).
#pragma once

#include "SessionController.h"

#include <QDateTime>
#include <QString>

namespace fieldsync::app {

class VisitController : public SessionController {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString visitId READ visitId NOTIFY changed)
    Q_PROPERTY(bool found READ found NOTIFY changed)
    Q_PROPERTY(QString customerId READ customerId NOTIFY changed)
    Q_PROPERTY(QString customerName READ customerName NOTIFY changed)
    Q_PROPERTY(QString status READ status NOTIFY changed)  // planned | checked_in | completed
    Q_PROPERTY(QString statusLabel READ statusLabel NOTIFY changed)
    Q_PROPERTY(bool checkedIn READ checkedIn NOTIFY changed)
    Q_PROPERTY(bool completed READ completed NOTIFY changed)
    Q_PROPERTY(QDateTime checkinAt READ checkinAt NOTIFY changed)
    Q_PROPERTY(double latitude READ latitude NOTIFY changed)
    Q_PROPERTY(double longitude READ longitude NOTIFY changed)
    Q_PROPERTY(double accuracy READ accuracy NOTIFY changed)  // metres; < 0: unknown
    Q_PROPERTY(double distance READ distance NOTIFY changed)  // metres to the customer; < 0: unknown
    Q_PROPERTY(double radius READ radius NOTIFY changed)      // the team's check-in radius
    Q_PROPERTY(bool far READ far NOTIFY changed)
    Q_PROPERTY(bool noLocation READ noLocation NOTIFY changed)
    // The check-in's verdict (docs/time.md): verified | unverified |
    // suspicious ("" before the check-in), and in words with its reasons.
    Q_PROPERTY(QString verdict READ verdict NOTIFY changed)
    Q_PROPERTY(QString verdictLabel READ verdictLabel NOTIFY changed)
    // The plan: when, what for, and whom (the customer's phone and address,
    // for the way there); cancelled once called off (a voided plan).
    Q_PROPERTY(QDateTime plannedAt READ plannedAt NOTIFY changed)
    Q_PROPERTY(QString purpose READ purpose NOTIFY changed)
    Q_PROPERTY(QString kindLabel READ kindLabel NOTIFY changed)
    Q_PROPERTY(QString customerPhone READ customerPhone NOTIFY changed)
    Q_PROPERTY(QString customerAddress READ customerAddress NOTIFY changed)
    Q_PROPERTY(bool cancelled READ cancelled NOTIFY changed)
    Q_PROPERTY(QString cancelReason READ cancelReason NOTIFY changed)

public:
    explicit VisitController(QObject* parent = nullptr);


    QString visitId() const { return m_visitId; }
    bool found() const { return m_found; }
    QString customerId() const { return m_customerId; }
    QString customerName() const { return m_customerName; }
    QString status() const { return m_status; }
    QString statusLabel() const;
    bool checkedIn() const { return m_checkinAt.isValid(); }
    bool completed() const { return m_status == QLatin1String("completed"); }
    QDateTime checkinAt() const { return m_checkinAt; }
    double latitude() const { return m_lat; }
    double longitude() const { return m_lng; }
    double accuracy() const { return m_accuracy; }
    double distance() const { return m_distance; }
    double radius() const { return m_radius; }
    bool far() const { return m_far; }
    bool noLocation() const { return m_noLocation; }
    QString verdict() const { return m_verdict; }
    QString verdictLabel() const { return m_verdictLabel; }
    QDateTime plannedAt() const { return m_plannedAt; }
    QString purpose() const { return m_purpose; }
    QString kindLabel() const { return m_kindLabel; }
    QString customerPhone() const { return m_customerPhone; }
    QString customerAddress() const { return m_customerAddress; }
    bool cancelled() const { return m_cancelled; }
    QString cancelReason() const { return m_cancelReason; }

    // Shows an existing visit.
    Q_INVOKABLE void open(const QString& visitId);
    // A visit at this customer now (planned at the current time), shown.
    Q_INVOKABLE bool start(const QString& customerId);
    // `located` false: checked in without a position (marked no_location).
    Q_INVOKABLE bool checkIn(bool located, double latitude, double longitude, double accuracy);
    // satisfaction 0: none; orderAmount empty: none (else a number >= 0);
    // followUpDays 0: no follow-up task, else due that many local days
    // from today at 09:00.
    Q_INVOKABLE bool checkOut(const QString& notes, const QString& outcome, int satisfaction,
                              const QString& orderAmount, int followUpDays);

    // A planned visit moved: `when` as "yyyy-MM-dd HH:mm", local time.
    Q_INVOKABLE bool reschedule(const QString& when);
    // A planned visit called off (reason optional); refused once checked in.
    Q_INVOKABLE bool cancelPlan(const QString& reason);

    Q_INVOKABLE void reload();

signals:
    void changed();

protected:
    void refresh() override { reload(); }

private:
    int64_t now() const;

    QString m_visitId;
    bool m_found = false;
    QString m_customerId, m_customerName, m_status;
    QDateTime m_checkinAt;
    double m_lat = 0, m_lng = 0, m_accuracy = -1, m_distance = -1, m_radius = 0;
    bool m_far = false, m_noLocation = false;
    QString m_verdict, m_verdictLabel;
    QDateTime m_plannedAt;
    QString m_purpose, m_kindLabel, m_customerPhone, m_customerAddress, m_cancelReason;
    bool m_cancelled = false;
};

} // namespace fieldsync::app
