// RejectedModel: the changes the server refused for good
// (Replica::rejected()), newest first, with why: what the status bar's
// rejected count opens. Read-only: a refused change is never pushed again;
// the row already shows what everybody else sees.
#pragma once

#include "PagedListModel.h"
#include "replica/Replica.h"

#include <vector>

namespace fieldsync::app {

class RejectedModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        EntityRole = Qt::UserRole + 1,
        RowIdRole,
        CodeRole,
        MessageRole,
        ChangesRole,    // "field = value, tags + vip" as pushed
        RejectedAtRole, // QDateTime
        EntityLabelRole,
    };
    Q_ENUM(Role)

    explicit RejectedModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The summary ChangesRole shows, from a pushed ChangeRecord's JSON.
    static QString summarize(const nlohmann::json& record);

protected:
    int load() override;
    void clear() override { m_rows.clear(); }

private:
    std::vector<replica::RejectedChange> m_rows;
};

} // namespace fieldsync::app
