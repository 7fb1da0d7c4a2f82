// BEGIN IMMEDIATE in the constructor (takes the write lock up front, so a
// transaction never fails half-way with SQLITE_BUSY on its first write);
// ROLLBACK in the destructor unless commit() succeeded. No nesting: opening a
// Transaction while one is open throws, which catches a caller that assumed
// its writes were in a transaction of its own.
#pragma once

namespace fieldsync::storage {

class Database;

class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    void rollback();  // explicit early rollback; the destructor then does nothing
    bool active() const { return m_active; }

private:
    Database& m_db;
    bool m_active = false;
};

} // namespace fieldsync::storage
