#include "TempDir.h"

#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <limits>
#include <optional>

namespace fieldsync::storage {
namespace {

using test::TempDir;
using ::testing::HasSubstr;

// Runs a query that yields exactly one row and returns its first column.
int64_t queryInt(Database& db, std::string_view sql)
{
    Statement query(db, sql);
    EXPECT_TRUE(query.step()) << sql;
    return query.getInt(0);
}

std::string queryText(Database& db, std::string_view sql)
{
    Statement query(db, sql);
    EXPECT_TRUE(query.step()) << sql;
    return query.getText(0);
}

int primary(const StorageError& e)
{
    return e.code() & 0xff;
}

// ---------------------------------------------------------------- Database

TEST(DatabaseTest, FileDatabaseUsesWalNormalSyncAndForeignKeys)
{
    TempDir dir;
    Database db(dir.file("a.db"));
    EXPECT_EQ(queryText(db, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(queryInt(db, "PRAGMA synchronous"), 1); // NORMAL
    EXPECT_EQ(queryInt(db, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(db.path(), dir.file("a.db"));
    EXPECT_NE(db.handle(), nullptr);
}

TEST(DatabaseTest, WalPersistsForLaterConnections)
{
    TempDir dir;
    {
        Database db(dir.file("a.db"));
        db.exec("CREATE TABLE t(x)");
    }
    Database reader(dir.file("a.db"), Database::Mode::ReadOnly);
    EXPECT_EQ(queryText(reader, "PRAGMA journal_mode"), "wal");
}

TEST(DatabaseTest, InMemoryDatabasesSkipWal)
{
    Database memory(":memory:");
    EXPECT_EQ(queryText(memory, "PRAGMA journal_mode"), "memory");
    EXPECT_EQ(queryInt(memory, "PRAGMA foreign_keys"), 1);
    Database temporary("");
    EXPECT_NE(queryText(temporary, "PRAGMA journal_mode"), "wal");
}

TEST(DatabaseTest, OpenFailureNamesPathAndReason)
{
    TempDir dir;
    const std::string path = dir.file("missing.db");
    try {
        Database db(path, Database::Mode::ReadWrite);
        FAIL() << "opened a file that does not exist";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_CANTOPEN);
        EXPECT_THAT(e.what(), HasSubstr(path));
        EXPECT_THAT(e.what(), HasSubstr("unable to open database file"));
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(DatabaseTest, FileThatIsNotADatabaseIsRefused)
{
    TempDir dir;
    const std::string path = dir.file("junk.db");
    std::ofstream(path) << std::string(4096, 'x');
    try {
        Database db(path);
        FAIL() << "opened a file that is not a database";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_NOTADB);
        EXPECT_THAT(e.what(), HasSubstr(path));
    }
}

TEST(DatabaseTest, ReadOnlyConnectionRejectsWrites)
{
    TempDir dir;
    Database writer(dir.file("a.db"));
    writer.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    Database reader(dir.file("a.db"), Database::Mode::ReadOnly);
    EXPECT_EQ(queryInt(reader, "SELECT count(*) FROM t"), 1);
    try {
        reader.exec("INSERT INTO t VALUES (2)");
        FAIL() << "wrote through a read-only connection";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_READONLY);
    }
}

TEST(DatabaseTest, ExecRunsSeveralStatementsAndReportsFailingSql)
{
    Database db(":memory:");
    db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
    EXPECT_EQ(queryInt(db, "SELECT sum(x) FROM t"), 3);
    EXPECT_EQ(db.changes(), 1);
    try {
        db.exec("INSERT INTO nowhere VALUES (1)");
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_ERROR);
        EXPECT_THAT(e.what(), HasSubstr("no such table: nowhere"));
        EXPECT_THAT(e.what(), HasSubstr("INSERT INTO nowhere VALUES (1)"));
    }
}

TEST(DatabaseTest, UserVersionRoundTripsAndPersists)
{
    TempDir dir;
    {
        Database db(dir.file("a.db"));
        EXPECT_EQ(db.userVersion(), 0);
        db.setUserVersion(42);
        EXPECT_EQ(db.userVersion(), 42);
    }
    Database again(dir.file("a.db"));
    EXPECT_EQ(again.userVersion(), 42);
}

TEST(DatabaseTest, LastInsertRowidAndChanges)
{
    Database db(":memory:");
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x)");
    Statement insert(db, "INSERT INTO t(id, x) VALUES (?1, 0)");
    insert.bind(1, 77).run();
    EXPECT_EQ(db.lastInsertRowid(), 77);
    db.exec("INSERT INTO t(x) VALUES (0), (0)");
    Statement update(db, "UPDATE t SET x = 1");
    update.run();
    EXPECT_EQ(db.changes(), 3);
}

TEST(DatabaseTest, CachedReturnsTheSameStatementForTheSameSql)
{
    Database db(":memory:");
    const std::string sql = "SELECT 1";
    Statement& first = db.cached(sql);
    Statement& second = db.cached(std::string_view(std::string("SELECT ") + "1"));
    Statement& other = db.cached("SELECT 2");
    EXPECT_EQ(&first, &second);
    EXPECT_NE(&first, &other);
    EXPECT_STREQ(first.sql(), "SELECT 1");
}

TEST(DatabaseTest, CachedDoesNotKeepStatementsThatFailedToPrepare)
{
    Database db(":memory:");
    EXPECT_THROW(db.cached("SELECT * FROM later"), StorageError);
    db.exec("CREATE TABLE later(x)");
    EXPECT_NO_THROW(db.cached("SELECT * FROM later"));
}

// The last connection to close checkpoints and deletes the -wal file, which it
// only does if sqlite3_close succeeded (a half-stepped cached statement would
// otherwise keep the connection open).
TEST(DatabaseTest, CloseFinalizesCachedStatementsEvenMidStep)
{
    TempDir dir;
    const std::string path = dir.file("a.db");
    {
        Database db(path);
        db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
        Statement& select = db.cached("SELECT x FROM t");
        ASSERT_TRUE(select.step());
        EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
    }
    EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
    EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
}

// --------------------------------------------------------------- Statement

class StatementTest : public ::testing::Test {
protected:
    StatementTest() { db.exec("CREATE TABLE v(id INTEGER PRIMARY KEY, value ANY)"); }

    // Stores `value` in row `id`; load() reads it back.
    template <typename T>
    void store(int id, const T& value)
    {
        Statement insert(db, "INSERT INTO v(id, value) VALUES (?1, ?2)");
        insert.bind(1, id).bind(2, value).run();
    }
    Statement load(int id)
    {
        Statement select(db, "SELECT value FROM v WHERE id = ?1");
        select.bind(1, id);
        EXPECT_TRUE(select.step());
        return select;
    }

    Database db{":memory:"};
};

TEST_F(StatementTest, TypedBindAndGetRoundTrip)
{
    const std::string chinese = "离线优先的同步引擎 🚀";
    const std::string bytes("\0a\0\xff\0", 5);
    store(1, std::numeric_limits<int64_t>::min());
    store(2, 2.5);
    store(3, chinese);
    store(4, Blob{bytes});
    store(5, nullptr);
    store(6, true);
    store(7, std::optional<int64_t>{});
    store(8, std::optional<std::string>{"set"});
    store(9, "c-string");

    Statement s = load(1);
    EXPECT_EQ(s.columnType(0), SQLITE_INTEGER);
    EXPECT_EQ(s.getInt(0), std::numeric_limits<int64_t>::min());

    s = load(2);
    EXPECT_EQ(s.columnType(0), SQLITE_FLOAT);
    EXPECT_DOUBLE_EQ(s.getDouble(0), 2.5);

    s = load(3);
    EXPECT_EQ(s.columnType(0), SQLITE_TEXT);
    EXPECT_EQ(s.getText(0), chinese);
    EXPECT_EQ(s.getTextView(0), chinese);
    EXPECT_EQ(queryInt(db, "SELECT length(value) FROM v WHERE id = 3"), 11); // characters, not bytes

    s = load(4);
    EXPECT_EQ(s.columnType(0), SQLITE_BLOB);
    EXPECT_EQ(s.getBlobView(0), bytes);
    EXPECT_EQ(s.getBlobView(0).size(), 5u);

    s = load(5);
    EXPECT_TRUE(s.isNull(0));
    EXPECT_EQ(s.getTextView(0), "");
    EXPECT_EQ(s.getBlobView(0), "");
    EXPECT_EQ(s.getInt(0), 0);

    s = load(6);
    EXPECT_EQ(s.getInt(0), 1);

    s = load(7);
    EXPECT_TRUE(s.isNull(0));

    s = load(8);
    EXPECT_EQ(s.getText(0), "set");

    s = load(9);
    EXPECT_EQ(s.getText(0), "c-string");
}

// SQLite binds a null data pointer as NULL; an empty value must stay empty.
TEST_F(StatementTest, EmptyTextAndBlobAreNotNull)
{
    store(1, std::string_view());
    store(2, Blob{});
    Statement s = load(1);
    EXPECT_EQ(s.columnType(0), SQLITE_TEXT);
    EXPECT_EQ(s.getTextView(0), "");
    s = load(2);
    EXPECT_EQ(s.columnType(0), SQLITE_BLOB);
    EXPECT_EQ(s.getBlobView(0), "");
}

TEST_F(StatementTest, BoundTextIsCopied)
{
    Statement insert(db, "INSERT INTO v(id, value) VALUES (1, ?1)");
    {
        std::string temporary = "copied";
        insert.bind(1, temporary);
        temporary.assign(temporary.size(), '#');
    }
    insert.run();
    EXPECT_EQ(load(1).getText(0), "copied");
}

TEST_F(StatementTest, StepReturnsRowsThenFalseAndResetKeepsBindings)
{
    db.exec("INSERT INTO v VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    Statement select(db, "SELECT value FROM v WHERE id >= ?1 ORDER BY id");
    select.bind(1, 2);
    EXPECT_EQ(select.columnCount(), 1);
    ASSERT_TRUE(select.step());
    EXPECT_EQ(select.getText(0), "b");
    ASSERT_TRUE(select.step());
    EXPECT_EQ(select.getText(0), "c");
    EXPECT_FALSE(select.step());

    select.reset();
    ASSERT_TRUE(select.step());
    EXPECT_EQ(select.getText(0), "b");

    select.reset();
    select.clearBindings(); // id >= NULL matches nothing
    EXPECT_FALSE(select.step());
}

TEST_F(StatementTest, RunExecutesAndRefusesStatementsThatReturnRows)
{
    Statement insert(db, "INSERT INTO v VALUES (?1, 'x')");
    insert.bind(1, 1).run();
    insert.bind(1, 2).run(); // runs again without an explicit reset
    EXPECT_EQ(queryInt(db, "SELECT count(*) FROM v"), 2);

    Statement select(db, "SELECT id FROM v ORDER BY id");
    EXPECT_THROW(select.run(), StorageError);
    // ... and is left reset, not holding a row.
    ASSERT_TRUE(select.step());
    EXPECT_EQ(select.getInt(0), 1);
}

TEST_F(StatementTest, ConstraintViolationThrowsAndStatementStaysUsable)
{
    Statement insert(db, "INSERT INTO v(id, value) VALUES (?1, ?2)");
    insert.bind(1, 1).bind(2, "first").run();
    insert.bind(2, "second"); // same id
    try {
        insert.run();
        FAIL() << "duplicate primary key accepted";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_CONSTRAINT);
        EXPECT_THAT(e.what(), HasSubstr("UNIQUE constraint failed"));
        EXPECT_THAT(e.what(), HasSubstr("INSERT INTO v(id, value) VALUES (?1, ?2)"));
    }
    EXPECT_FALSE(db.inTransaction());
    insert.bind(1, 2).run();
    EXPECT_EQ(queryInt(db, "SELECT count(*) FROM v"), 2);
    EXPECT_EQ(load(1).getText(0), "first");
}

TEST_F(StatementTest, ForeignKeysAreEnforced)
{
    db.exec("CREATE TABLE child(parent INTEGER REFERENCES v(id))");
    Statement insert(db, "INSERT INTO child VALUES (?1)");
    try {
        insert.bind(1, 99).run();
        FAIL() << "dangling foreign key accepted";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_CONSTRAINT);
    }
}

TEST_F(StatementTest, SecondStatementInSqlIsRefused)
{
    EXPECT_THROW(Statement(db, "SELECT 1; SELECT 2"), StorageError);
    EXPECT_THROW(Statement(db, "DELETE FROM v; DROP TABLE v"), StorageError);
    EXPECT_THROW(Statement(db, "SELECT 1; garbage"), StorageError);
    EXPECT_THROW(Statement(db, std::string_view("SELECT 1;\0DROP TABLE v", 22)), StorageError);
    EXPECT_THROW(Statement(db, "   "), StorageError);
    EXPECT_EQ(queryInt(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'v'"), 1);

    // A trailing semicolon, whitespace or comment is not a second statement.
    EXPECT_NO_THROW(Statement(db, "SELECT 1;"));
    EXPECT_NO_THROW(Statement(db, "SELECT 1; -- done\n  /* really */ ;"));
}

TEST_F(StatementTest, SqlNeedNotBeNulTerminated)
{
    const std::string buffer = "SELECT 7XXXX";
    Statement s(db, std::string_view(buffer).substr(0, 8));
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.getInt(0), 7);
}

TEST_F(StatementTest, PrepareErrorNamesSql)
{
    try {
        Statement s(db, "SELEKT 1");
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_ERROR);
        EXPECT_THAT(e.what(), HasSubstr("syntax error"));
        EXPECT_THAT(e.what(), HasSubstr("SELEKT 1"));
    }
}

TEST_F(StatementTest, BindOutOfRangeThrows)
{
    Statement s(db, "SELECT ?1");
    try {
        s.bind(2, 1);
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_RANGE);
    }
}

TEST_F(StatementTest, MovesLeaveTheSourceEmpty)
{
    Statement a(db, "SELECT 1");
    Statement b(std::move(a));
    EXPECT_EQ(a.sql(), nullptr); // NOLINT(bugprone-use-after-move): that is the point
    ASSERT_TRUE(b.step());
    EXPECT_EQ(b.getInt(0), 1);

    Statement c(db, "SELECT 2");
    c = std::move(b); // finalizes "SELECT 2"
    EXPECT_EQ(b.sql(), nullptr); // NOLINT(bugprone-use-after-move)
    EXPECT_STREQ(c.sql(), "SELECT 1");
    c.reset();
    ASSERT_TRUE(c.step());
    EXPECT_EQ(c.getInt(0), 1);
}

// ---------------------------------------------------------- UsingStatement

TEST_F(StatementTest, UsingStatementResetsAndClearsBindings)
{
    db.exec("INSERT INTO v VALUES (1, 'a'), (2, 'b')");
    const char* sql = "SELECT id, ?1 FROM v ORDER BY id";
    {
        UsingStatement s(db, sql);
        s->bind(1, "bound");
        ASSERT_TRUE(s->step());
        EXPECT_EQ(s->getInt(0), 1);
        ASSERT_TRUE(s->step());
        EXPECT_EQ((*s).getInt(0), 2);
    }
    Statement& again = db.cached(sql);
    ASSERT_TRUE(again.step());
    EXPECT_EQ(again.getInt(0), 1);
    EXPECT_TRUE(again.isNull(1));
}

TEST_F(StatementTest, UsingStatementResetsWhenAnExceptionLeavesTheScope)
{
    db.exec("INSERT INTO v VALUES (1, 'a'), (2, 'b')");
    const char* sql = "SELECT id FROM v ORDER BY id";
    try {
        UsingStatement s(db, sql);
        s->step();
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    UsingStatement s(db, sql);
    ASSERT_TRUE(s->step());
    EXPECT_EQ(s->getInt(0), 1);
}

// A half-stepped SELECT pins its WAL snapshot; once the guard resets it, the
// connection sees other connections' commits again.
TEST(UsingStatementTest, ReleasesTheReadSnapshot)
{
    TempDir dir;
    Database reader(dir.file("a.db"));
    reader.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)");
    Database writer(dir.file("a.db"));
    {
        UsingStatement select(reader, "SELECT x FROM t");
        ASSERT_TRUE(select->step());
        EXPECT_FALSE(reader.inTransaction()); // an implicit read transaction, not BEGIN
        writer.exec("INSERT INTO t VALUES (4)");
        EXPECT_EQ(queryInt(reader, "SELECT count(*) FROM t"), 3); // still the old snapshot
    }
    EXPECT_EQ(queryInt(reader, "SELECT count(*) FROM t"), 4);
}

// ---------------------------------------------------------- ReadTransaction

// Every read inside one ReadTransaction sees the same snapshot, while a writer
// on another connection commits (the sync server's pulls rely on it: the log
// and the owner changes must be read as of one moment).
TEST(ReadTransactionTest, KeepsOneSnapshotAcrossStatementsWhileAWriterCommits)
{
    TempDir dir;
    Database reader(dir.file("a.db"));
    reader.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    Database writer(dir.file("a.db"));
    {
        ReadTransaction snapshot(reader);
        EXPECT_TRUE(reader.inTransaction());
        EXPECT_EQ(queryInt(reader, "SELECT count(*) FROM t"), 1);
        // It takes no write lock: the writer commits without waiting.
        writer.exec("INSERT INTO t VALUES (2)");
        EXPECT_EQ(queryInt(reader, "SELECT count(*) FROM t"), 1);
        EXPECT_EQ(queryInt(reader, "SELECT max(x) FROM t"), 1);
    }
    EXPECT_FALSE(reader.inTransaction());
    EXPECT_EQ(queryInt(reader, "SELECT count(*) FROM t"), 2);
}

TEST(ReadTransactionTest, RefusesToNestInAnOpenTransaction)
{
    TempDir dir;
    Database db(dir.file("a.db"));
    Transaction tx(db);
    EXPECT_THROW(ReadTransaction{db}, StorageError);
    EXPECT_TRUE(tx.active());
}

// ------------------------------------------------------------- Transaction

class TransactionTest : public ::testing::Test {
protected:
    TransactionTest() { db.exec("CREATE TABLE t(x)"); }
    int64_t rows(Database& on) { return queryInt(on, "SELECT count(*) FROM t"); }
    int64_t rows() { return rows(db); }

    TempDir dir;
    Database db{dir.file("a.db")};
};

TEST_F(TransactionTest, RollsBackWhenDestroyedWithoutCommit)
{
    {
        Transaction transaction(db);
        EXPECT_TRUE(transaction.active());
        EXPECT_TRUE(db.inTransaction());
        db.exec("INSERT INTO t VALUES (1)");
        EXPECT_EQ(rows(), 1);
    }
    EXPECT_FALSE(db.inTransaction());
    EXPECT_EQ(rows(), 0);
}

TEST_F(TransactionTest, RollsBackWhenAnExceptionUnwinds)
{
    try {
        Transaction transaction(db);
        db.exec("INSERT INTO t VALUES (1)");
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    EXPECT_FALSE(db.inTransaction());
    EXPECT_EQ(rows(), 0);
}

TEST_F(TransactionTest, CommitPersistsAndIsVisibleToAnotherConnection)
{
    Database other(dir.file("a.db"));
    {
        Transaction transaction(db);
        db.exec("INSERT INTO t VALUES (1), (2)");
        EXPECT_EQ(rows(other), 0); // not before the commit
        transaction.commit();
        EXPECT_FALSE(transaction.active());
    }
    EXPECT_FALSE(db.inTransaction());
    EXPECT_EQ(rows(other), 2);
    EXPECT_EQ(rows(), 2);
}

TEST_F(TransactionTest, ExplicitRollbackEndsTheTransaction)
{
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)");
    transaction.rollback();
    EXPECT_FALSE(transaction.active());
    EXPECT_FALSE(db.inTransaction());
    EXPECT_EQ(rows(), 0);
    EXPECT_THROW(transaction.commit(), StorageError);
    transaction.rollback(); // harmless
}

TEST_F(TransactionTest, NestingThrowsAndLeavesTheOuterTransactionAlone)
{
    Transaction outer(db);
    db.exec("INSERT INTO t VALUES (1)");
    EXPECT_THROW(Transaction inner(db), StorageError);
    EXPECT_TRUE(outer.active());
    EXPECT_TRUE(db.inTransaction());
    outer.commit();
    EXPECT_EQ(rows(), 1);
}

TEST_F(TransactionTest, ATransactionOpenedWithExecAlsoCountsAsNesting)
{
    db.exec("BEGIN");
    EXPECT_THROW(Transaction transaction(db), StorageError);
    db.exec("ROLLBACK");
}

// A deferred foreign key makes COMMIT itself fail and leave the transaction
// open; commit() must roll it back and still report the error.
TEST_F(TransactionTest, FailedCommitRollsBackAndThrows)
{
    db.exec("CREATE TABLE parent(id INTEGER PRIMARY KEY);"
            "CREATE TABLE child(p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1); INSERT INTO child VALUES (42)");
    try {
        transaction.commit();
        FAIL() << "commit with a dangling deferred foreign key succeeded";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_CONSTRAINT);
        EXPECT_THAT(e.what(), HasSubstr("FOREIGN KEY"));
    }
    EXPECT_FALSE(transaction.active());
    EXPECT_FALSE(db.inTransaction());
    EXPECT_EQ(rows(), 0);
    EXPECT_EQ(queryInt(db, "SELECT count(*) FROM child"), 0);
}

TEST_F(TransactionTest, SecondWriterWaitsForTheBusyTimeoutThenThrowsBusy)
{
    using Clock = std::chrono::steady_clock;
    Database impatient(dir.file("a.db"), Database::Mode::ReadWriteCreate, 200);
    Transaction holding(db);
    db.exec("INSERT INTO t VALUES (1)");

    const auto start = Clock::now();
    try {
        Transaction blocked(impatient);
        FAIL() << "two write transactions at once";
    } catch (const StorageError& e) {
        EXPECT_EQ(primary(e), SQLITE_BUSY);
    }
    const auto waited = Clock::now() - start;
    EXPECT_GE(waited, std::chrono::milliseconds(150));
    EXPECT_LT(waited, std::chrono::seconds(4));
    EXPECT_FALSE(impatient.inTransaction());

    // WAL: readers are not blocked by the writer, and see the last commit.
    EXPECT_EQ(rows(impatient), 0);

    holding.commit();
    Transaction now(impatient);
    impatient.exec("INSERT INTO t VALUES (2)");
    now.commit();
    EXPECT_EQ(rows(), 2);
}

} // namespace
} // namespace fieldsync::storage
