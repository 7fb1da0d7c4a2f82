#include "storage/Transaction.h"

#include "storage/Database.h"

#include <sqlite3.h>

namespace fieldsync::storage {

Transaction::Transaction(Database& db)
    : m_db(db)
{
    if (m_db.inTransaction())
        throw StorageError(SQLITE_MISUSE, "a transaction is already open on " + m_db.path());
    m_db.exec("BEGIN IMMEDIATE");
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
        throw StorageError(SQLITE_MISUSE, "commit() on a transaction that is no longer active");
    try {
        m_db.exec("COMMIT");
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
        m_db.exec("ROLLBACK");
}

ReadTransaction::ReadTransaction(Database& db)
    : m_db(db)
{
    if (m_db.inTransaction())
        throw StorageError(SQLITE_MISUSE, "a transaction is already open on " + m_db.path());
    m_db.exec("BEGIN DEFERRED");
}

ReadTransaction::~ReadTransaction()
{
    try {
        if (m_db.inTransaction()) m_db.exec("ROLLBACK");
    } catch (...) {
        // As for Transaction: closing the connection ends it at the latest.
    }
}

} // namespace fieldsync::storage
