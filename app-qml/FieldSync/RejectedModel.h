// RejectedModel: the changes the server refused for good
// (Replica::rejected()), newest first, with why: what the status bar's
// rejected count opens. Read-only: a refused change is never pushed again;
// the row already shows what everybody else sees. Rows are named by their
// names and the reason said in the user's language (RowNames.h): the
// server's English message stays in MessageRole, for a support request.
#pragma once

#include "PagedListModel.h"
#include "replica/Replica.h"

#include <functional>
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
        ReasonRole,     // the server's one word (docs/api.md), "" from older servers
        RowNameRole,    // what the row is called (RowNames.h), never its id
        WhyRole,        // why, in the user's language (rejectionText)
    };
    Q_ENUM(Role)

    explicit RejectedModel(QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The summary ChangesRole shows, from a pushed ChangeRecord's JSON; a
    // reference to a customer is shown as `customerName` says (its id when
    // that is empty).
    static QString summarize(const nlohmann::json& record,
                             const std::function<QString(const std::string&)>& customerName = {});

protected:
    int load() override;
    void clear() override
    {
        m_rows.clear();
        m_names.clear();
        m_changes.clear();
    }

private:
    std::vector<replica::RejectedChange> m_rows;
    std::vector<QString> m_names;    // rowName per row, looked up at load
    std::vector<QString> m_changes;  // summarize per row, likewise
};

} // namespace fieldsync::app
