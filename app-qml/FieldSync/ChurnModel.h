// ChurnModel: customers at risk of churning (流失预警, domain::churnRisks):
// most reasons first, each reason as the text a manager reads.
#pragma once

#include "PagedListModel.h"
#include "domain/Reports.h"

#include <vector>

namespace fieldsync::app {

class ChurnModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        CustomerIdRole = Qt::UserRole + 1,
        NameRole,
        LevelRole,
        OwnerRole,
        ReasonsRole,          // QStringList, what the user reads
        ReasonCodesRole,      // QStringList: inactive, open_complaint, ...
        LastVisitRole,        // QDateTime; invalid: never
        OpenComplaintsRole,
    };
    Q_ENUM(Role)

    explicit ChurnModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString reasonLabel(const std::string& reason);

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    std::vector<domain::ChurnRisk> m_rows;
};

} // namespace fieldsync::app
