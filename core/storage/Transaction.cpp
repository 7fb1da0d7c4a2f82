#include "storage/Transaction.h"

#include "storage/Connection.h"

namespace fieldsync::storage {

Transaction::Transaction(Connection& db)
    : m_db(db)
{
    if (m_db.inTransaction())
        throw StorageError(kErrorMisuse, "a transaction is already open on " + m_db.path());
    m_db.begin(Connection::Begin::Write);
    m_active = true;
}

Transaction::~Transaction()
{
    try {
        rollback();
    } catch (...) {
        // Nothing sensible to do while unwinding; SQLite rolls back an open
        // transaction when the connection closes at the latest.
    }
}

void Transaction::commit()
{
    if (!m_active)
        throw StorageError(kErrorMisuse, "commit() on a transaction that is no longer active");
    try {
        m_db.commit();
    } catch (...) {
        // A failed COMMIT can leave the transaction open (SQLITE_BUSY, deferred
        // foreign keys). Roll it back so the caller sees the documented state,
        // and report the original error rather than any from the rollback.
        try {
            rollback();
        } catch (...) {
        }
        throw;
    }
    m_active = false;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    // After some errors (SQLITE_FULL, SQLITE_IOERR, ...) SQLite has already
    // rolled back by itself, and a second ROLLBACK would fail.
    if (m_db.inTransaction())
        m_db.rollback();
}

ReadTransaction::ReadTransaction(Connection& db)
    : m_db(db)
{
    if (m_db.inTransaction())
        throw StorageError(kErrorMisuse, "a transaction is already open on " + m_db.path());
    m_db.begin(Connection::Begin::Read);
}

ReadTransaction::~ReadTransaction()
{
    try {
        if (m_db.inTransaction()) m_db.rollback();
    } catch (...) {
        // As for Transaction: closing the connection ends it at the latest.
    }
}

} // namespace fieldsync::storage
