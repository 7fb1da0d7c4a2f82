// FeedModel: the team's visit feed for managers (domain::visitFeed):
// non-voided check-ins, latest first, filtered by rep, by how many local
// days back (0: all), to the flagged ones (far or without a location), and
// by check-in verdict (docs/time.md).
// Same roles as VisitsModel.
#pragma once

#include "VisitsModel.h"

namespace fieldsync::app {

class FeedModel : public VisitsModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString rep READ rep WRITE setRep NOTIFY filterChanged)  // empty: every rep
    Q_PROPERTY(int days READ days WRITE setDays NOTIFY filterChanged)   // today and N-1 days before; 0: all
    Q_PROPERTY(bool flaggedOnly READ flaggedOnly WRITE setFlaggedOnly NOTIFY filterChanged)
    // verified | unverified | suspicious; empty: every check-in
    Q_PROPERTY(QString verdict READ verdict WRITE setVerdict NOTIFY filterChanged)

public:
    explicit FeedModel(QObject* parent = nullptr);

    QString rep() const { return m_rep; }
    void setRep(const QString& rep);
    int days() const { return m_days; }
    void setDays(int days);
    bool flaggedOnly() const { return m_flaggedOnly; }
    void setFlaggedOnly(bool flagged);
    QString verdict() const { return m_verdict; }
    void setVerdict(const QString& verdict);

signals:
    void filterChanged();

protected:
    int load() override;

private:
    QString m_rep;
    int m_days = 0;
    bool m_flaggedOnly = false;
    QString m_verdict;
};

} // namespace fieldsync::app
