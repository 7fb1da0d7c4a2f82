// CustomersModel: the customer list of the Customers page — search as you
// type (full text, pinyin, initials, phone digits), filters and sort, all by
// domain::Customers over the local replica, a page of 50 at a time: the
// first page on every change of the query, the next ones as the view
// scrolls (fetchMore). 50,000 customers are never read at once.
//
// Claiming from the public pool (公海) goes through domain::Pool (one synced
// write; the server has the last word, see Pool.h).
#pragma once

#include "PagedListModel.h"
#include "domain/Customers.h"

#include <memory>
#include <vector>

namespace fieldsync::domain {
class Customers;
}

namespace fieldsync::app {

class CustomersModel : public PagedListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY queryChanged)
    Q_PROPERTY(QString level READ level WRITE setLevel NOTIFY queryChanged)      // "" = any
    Q_PROPERTY(bool poolOnly READ poolOnly WRITE setPoolOnly NOTIFY queryChanged)
    Q_PROPERTY(bool overdueOnly READ overdueOnly WRITE setOverdueOnly NOTIFY queryChanged)
    Q_PROPERTY(QString sort READ sort WRITE setSort NOTIFY queryChanged)         // name | last-visit | level
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    enum Role {
        CustomerIdRole = Qt::UserRole + 1,
        NameRole,
        PhoneRole,
        RegionRole,
        LevelRole,     // "" when none
        OwnerRole,     // "" in the pool
        InPoolRole,
        TagsRole,      // QStringList
        OverdueRole,
        LastVisitRole, // QDateTime; invalid: never visited
    };
    Q_ENUM(Role)

    explicit CustomersModel(QObject* parent = nullptr);
    ~CustomersModel() override;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString search() const { return m_search; }
    void setSearch(const QString& text);
    QString level() const { return m_level; }
    void setLevel(const QString& level);
    bool poolOnly() const { return m_poolOnly; }
    void setPoolOnly(bool on);
    bool overdueOnly() const { return m_overdueOnly; }
    void setOverdueOnly(bool on);
    QString sort() const { return m_sort; }
    void setSort(const QString& sort);
    QString errorText() const { return m_error; }

    // Claims the customer on `row` from the pool for the signed-in user.
    Q_INVOKABLE bool claim(int row);

signals:
    void queryChanged();
    void errorTextChanged();

protected:
    int load() override;
    void clear() override;
    int fetchRows(int from, int count) override;

private:
    domain::Customers& customers();
    domain::CustomerQuery query(int offset, int limit) const;
    void setError(const QString& text);
    void queryEdited();

    std::unique_ptr<domain::Customers> m_customers;
    const void* m_replicaOf = nullptr;  // which replica m_customers reads
    std::vector<domain::CustomerRow> m_rows;
    QString m_search, m_level, m_sort = QStringLiteral("name");
    bool m_poolOnly = false, m_overdueOnly = false;
    QString m_error;
};

} // namespace fieldsync::app
