#include "TeamStats.h"

#include "Session.h"
#include "Values.h"
#include "domain/LocalTime.h"
#include "domain/Reports.h"

#include <QDate>
#include <QDateTime>
#include <QLocale>
#include <QVariantMap>
#include <array>
#include <map>

namespace fieldsync::app {

TeamStats::TeamStats(QObject* parent) : QObject(parent) {}

void TeamStats::setSession(Session* session)
{
    if (m_session == session) return;
    if (m_session) m_session->disconnect(this);
    m_session = session;
    if (m_session) connect(m_session, &Session::dataChanged, this, &TeamStats::reload);
    emit sessionChanged();
    reload();
}

void TeamStats::reload()
{
    m_keyCustomers = m_keyVisited = m_max = m_maxDay = 0;
    m_week.clear();
    m_teamDays.clear();
    m_dayLabels.clear();
    m_maxTeamDay = 0;
    m_reps.clear();
    if (m_session) {
        replica::Replica& r = m_session->replica();
        const domain::LocalTime time = domain::LocalTime::system();
        const domain::Coverage c = domain::keyAccountCoverage(r, time);
        m_keyCustomers = c.keyCustomers;
        m_keyVisited = c.visited;
        const int64_t weekStart = time.startOfWeek(time.now());
        // Per rep, the week's total and its seven days (Monday first).
        std::map<std::string, std::map<std::string, int>> byDay;
        for (const auto& row : domain::visitsPerRep(r, time, domain::Period::Day, weekStart))
            byDay[row.rep][row.period] = row.visits;
        m_maxDay = 0;
        std::array<int, 7> team{};
        const QLocale locale;
        for (int d = 0; d < 7; ++d) {
            const QDate day = QDateTime::fromMSecsSinceEpoch(time.addDays(weekStart, d)).date();
            m_dayLabels << locale.dayName(day.dayOfWeek(), QLocale::ShortFormat) + QLatin1Char(' ')
                    + QString::number(day.day());
        }
        // The week's check-ins by verdict (docs/time.md), per rep.
        std::map<std::string, domain::RepVerdicts> verdicts;
        for (auto& v : domain::verdictsPerRep(r, weekStart)) verdicts[v.rep] = v;
        for (const auto& row : domain::visitsPerRep(r, time, domain::Period::Week, weekStart)) {
            QVariantList days, bases;
            for (int d = 0; d < 7; ++d) {
                const int n = byDay[row.rep][time.dateText(time.addDays(weekStart, d))];
                days << n;
                bases << team[static_cast<size_t>(d)];  // the reps before this one, stacked below
                m_maxDay = std::max(m_maxDay, n);
                team[static_cast<size_t>(d)] += n;
            }
            const domain::RepVerdicts& v = verdicts[row.rep];
            m_week << QVariantMap{{QStringLiteral("rep"), qs(row.rep)},
                                  {QStringLiteral("visits"), row.visits},
                                  {QStringLiteral("days"), days},
                                  {QStringLiteral("bases"), bases},
                                  {QStringLiteral("verified"), v.verified},
                                  {QStringLiteral("unverified"), v.unverified},
                                  {QStringLiteral("suspicious"), v.suspicious}};
            m_max = std::max(m_max, row.visits);
        }
        for (int n : team) {
            m_teamDays << n;
            m_maxTeamDay = std::max(m_maxTeamDay, n);
        }
        // Reps for the filter: everyone with a check-in, any time.
        std::map<std::string, int> seen;
        for (const auto& row : domain::visitsPerRep(r, time, domain::Period::Week))
            if (!row.rep.empty()) seen[row.rep] += row.visits;
        for (const auto& [rep, n] : seen) m_reps << qs(rep);
    }
    emit changed();
}

} // namespace fieldsync::app
