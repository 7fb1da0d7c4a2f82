// Transaction: a write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN
// and the writers' advisory lock — Connection.h) in the constructor, so a
// transaction never fails half-way with SQLITE_BUSY on its first write;
// ROLLBACK in the destructor unless commit() succeeded. No nesting: opening a
// Transaction while one is open throws, which catches a caller that assumed
// its writes were in a transaction of its own.
#pragma once

namespace fieldsync::storage {

class Connection;

class Transaction {
public:
    explicit Transaction(Connection& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    void rollback();  // explicit early rollback; the destructor then does nothing
    bool active() const { return m_active; }

private:
    Connection& m_db;
    bool m_active = false;
};

// A read snapshot: SQLite BEGIN DEFERRED, so it takes no write lock; in WAL
// mode the first read fixes the snapshot, and every read until the end sees
// the file as of that moment however many commits other connections make
// meanwhile (PostgreSQL: REPEATABLE READ, READ ONLY, the same guarantee).
// Ended (ROLLBACK: nothing to keep) by the destructor. Writing inside it is a
// bug: it would upgrade to a write lock behind the writer's back.
class ReadTransaction {
public:
    explicit ReadTransaction(Connection& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    Connection& m_db;
};

} // namespace fieldsync::storage
