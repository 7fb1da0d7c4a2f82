// TeamStats: the figures at the top of the manager's Team page, from the
// local replica (offline): key-account coverage this local month
// (domain::keyAccountCoverage: level-A customers with a check-in this month)
// and visits per rep this ISO week (domain::visitsPerRep) with their
// verdicts (domain::verdictsPerRep), plus the reps
// seen, for the feed's filter. Re-read on Session::dataChanged.
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace fieldsync::app {

class Session;

} // namespace fieldsync::app
Q_MOC_INCLUDE("Session.h")
namespace fieldsync::app {

class TeamStats : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(fieldsync::app::Session* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(int keyCustomers READ keyCustomers NOTIFY changed)
    Q_PROPERTY(int keyVisited READ keyVisited NOTIFY changed)
    Q_PROPERTY(double coverage READ coverage NOTIFY changed)  // 0..1
    // [{rep, visits, days: [7 counts, Monday first], bases: [7 counts of the
    // reps before this one that day, where its segment of the stacked day
    // column starts], verified, unverified, suspicious}] this week, by rep
    // name; the last three count the week's check-ins by verdict (docs/time.md).
    Q_PROPERTY(QVariantList visitsThisWeek READ visitsThisWeek NOTIFY changed)
    Q_PROPERTY(int maxVisits READ maxVisits NOTIFY changed)
    Q_PROPERTY(int maxVisitsInADay READ maxVisitsInADay NOTIFY changed)
    Q_PROPERTY(QStringList reps READ reps NOTIFY changed)  // every rep with a check-in, by name
    // The team's week for the per-day chart: seven totals (Monday first),
    // the largest, and the days' names in the user's language ("Mon 7").
    Q_PROPERTY(QVariantList teamDays READ teamDays NOTIFY changed)
    Q_PROPERTY(int maxTeamDay READ maxTeamDay NOTIFY changed)
    Q_PROPERTY(QStringList dayLabels READ dayLabels NOTIFY changed)

public:
    explicit TeamStats(QObject* parent = nullptr);

    Session* session() const { return m_session; }
    void setSession(Session* session);
    int keyCustomers() const { return m_keyCustomers; }
    int keyVisited() const { return m_keyVisited; }
    double coverage() const { return m_keyCustomers ? double(m_keyVisited) / m_keyCustomers : 0.0; }
    // One map per rep: rep, visits (the week's), days (seven counts, Monday first).
    QVariantList visitsThisWeek() const { return m_week; }
    int maxVisitsInADay() const { return m_maxDay; }
    int maxVisits() const { return m_max; }
    QStringList reps() const { return m_reps; }
    QVariantList teamDays() const { return m_teamDays; }
    int maxTeamDay() const { return m_maxTeamDay; }
    QStringList dayLabels() const { return m_dayLabels; }

    Q_INVOKABLE void reload();

signals:
    void sessionChanged();
    void changed();

private:
    QPointer<Session> m_session;
    int m_keyCustomers = 0, m_keyVisited = 0, m_max = 0;
    QVariantList m_week;
    int m_maxDay = 0;
    QStringList m_reps;
    QVariantList m_teamDays;
    int m_maxTeamDay = 0;
    QStringList m_dayLabels;
};

} // namespace fieldsync::app
