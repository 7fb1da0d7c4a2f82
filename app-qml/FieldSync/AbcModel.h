// AbcModel: ABC classification by annual sales (domain::abcClassification:
// A up to 75 % of cumulative sales, B to 95 %, C the rest), highest sales
// first, each customer with the manually set level beside the computed
// class, and whether the two disagree (an A customer by sales kept at level
// C deserves a look, and the other way round).
#pragma once

#include "PagedListModel.h"
#include "domain/Reports.h"

#include <vector>

namespace fieldsync::app {

class AbcModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        CustomerIdRole = Qt::UserRole + 1,
        NameRole,
        LevelRole,        // the manual level; "" if none
        AbcRole,          // "A" | "B" | "C"
        SalesRole,        // annual sales (0 when unknown)
        ShareBeforeRole,  // cumulative share of the customers above, 0..1
        MismatchRole,     // the manual level is not the ABC class
    };
    Q_ENUM(Role)

    explicit AbcModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    std::vector<domain::AbcRow> m_rows;
};

} // namespace fieldsync::app
