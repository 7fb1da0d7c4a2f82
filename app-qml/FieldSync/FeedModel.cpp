#include "FeedModel.h"

#include "Session.h"
#include "domain/LocalTime.h"
#include "domain/Reports.h"

namespace fieldsync::app {

FeedModel::FeedModel(QObject* parent) : VisitsModel(parent) {}

void FeedModel::setRep(const QString& rep)
{
    if (m_rep == rep) return;
    m_rep = rep;
    emit filterChanged();
    reload();
}

void FeedModel::setDays(int days)
{
    days = std::max(0, days);
    if (m_days == days) return;
    m_days = days;
    emit filterChanged();
    reload();
}

void FeedModel::setFlaggedOnly(bool flagged)
{
    if (m_flaggedOnly == flagged) return;
    m_flaggedOnly = flagged;
    emit filterChanged();
    reload();
}

void FeedModel::setVerdict(const QString& verdict)
{
    if (m_verdict == verdict) return;
    m_verdict = verdict;
    emit filterChanged();
    reload();
}

int FeedModel::load()
{
    domain::FeedFilter filter;
    if (!m_rep.isEmpty()) filter.rep = m_rep.toStdString();
    if (m_days > 0) {
        const domain::LocalTime time = domain::LocalTime::system();
        filter.from = time.addDays(time.now(), 1 - m_days);
    }
    filter.flaggedOnly = m_flaggedOnly;
    if (!m_verdict.isEmpty()) filter.verdict = m_verdict.toStdString();
    m_rows = domain::visitFeed(session()->replica(), filter);
    return static_cast<int>(m_rows.size());
}

} // namespace fieldsync::app
