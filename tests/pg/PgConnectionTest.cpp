// The PostgreSQL engine (core/storage-pg) against a real server: what the
// hub and the accounts rely on when they run on it instead of SQLite —
// parameters, exact round trips of every value type, errors, transactions,
// the writers' lock across connections, concurrent migrations, the hub's
// PostgreSQL ladder against the schema, LISTEN/NOTIFY and the poke relay
// built on it (sync-server/stores/PokeRelay.h).
//
// Each test gets a fresh database on the test cluster (PgCluster.h). Waits
// for another connection poll a condition up to a deadline; orderings are
// proved by what a transaction sees and by pg_locks, never by timing.
#include "PgCluster.h"

#include "replica/Migrations.h"
#include "schema/Schema.h"
#include "storage-pg/PgConnection.h"
#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"
#include "stores/PokeRelay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fieldsync::storage::pg::test {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using fieldsync::test::PgCluster;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

bool eventually(const std::function<bool()>& done, Clock::duration limit = 10s)
{
    const auto deadline = Clock::now() + limit;
    while (!done()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

class PgTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_url = PgCluster::shared().createDatabase();
        db = std::make_unique<PgConnection>(m_url);
    }
    void TearDown() override
    {
        db.reset();
        const std::string name = m_url.substr(m_url.rfind('/') + 1);
        PgConnection admin(PgCluster::shared().url("postgres"));
        admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    std::unique_ptr<PgConnection> connect() const { return std::make_unique<PgConnection>(m_url); }
    const std::string& url() const { return m_url; }

    std::string text(const std::string& sql)
    {
        Statement st(*db, sql);
        EXPECT_TRUE(st.step()) << sql;
        return st.getText(0);
    }
    int64_t count(Connection& c, const std::string& table)
    {
        Statement st(c, "SELECT count(*) FROM " + table);
        EXPECT_TRUE(st.step());
        return st.getInt(0);
    }

    std::unique_ptr<PgConnection> db;

private:
    std::string m_url;
};

// The message of the StorageError `f` throws ("" if none).
std::string errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const StorageError& e) {
        return e.what();
    }
    return "";
}

// ------------------------------------------------------------------ addresses

TEST(PgAddress, PasswordsAreNeverShown)
{
    EXPECT_TRUE(isPostgresUrl("postgres://db/crm"));
    EXPECT_TRUE(isPostgresUrl("postgresql://db/crm"));
    EXPECT_FALSE(isPostgresUrl("sqlite:/var/lib/fieldsync"));
    EXPECT_FALSE(isPostgresUrl("host=db dbname=crm"));

    EXPECT_EQ(redactUrl("postgresql://fieldsync:s3cret@db.example.com:5432/crm"),
              "postgresql://fieldsync:***@db.example.com:5432/crm");
    EXPECT_EQ(redactUrl("postgres://fieldsync@127.0.0.1:5432/crm"), "postgres://fieldsync@127.0.0.1:5432/crm");
    EXPECT_EQ(redactUrl("postgresql://db.example.com/crm"), "postgresql://db.example.com/crm");
    // libpq also takes the password as a query parameter of the URL...
    EXPECT_EQ(redactUrl("postgresql://db.example.com/crm?user=fs&password=s3cret&sslmode=require"),
              "postgresql://db.example.com/crm?user=fs&password=***&sslmode=require");
    EXPECT_EQ(redactUrl("postgresql://fs:a@db/crm?password=b"), "postgresql://fs:***@db/crm?password=***");
    // ...and in its key=value form, quoted or not.
    EXPECT_EQ(redactUrl("host=db.example.com password=s3cret dbname=crm"), "host=db.example.com password=*** dbname=crm");
    EXPECT_EQ(redactUrl("host=db password = 'it\\'s secret' dbname=crm"), "host=db password=*** dbname=crm");
    EXPECT_EQ(redactUrl("host=db dbname=crm"), "host=db dbname=crm");

    // Nor in the message of a connection that fails.
    for (const std::string address : {"postgresql://fieldsync:s3cret@127.0.0.1:1/crm",
                                      "postgresql://127.0.0.1:1/crm?password=s3cret",
                                      "host=127.0.0.1 port=1 password=s3cret dbname=crm"}) {
        try {
            PgConnection c(address);
            ADD_FAILURE() << "connected to port 1";
        } catch (const StorageError& e) {
            EXPECT_THAT(e.what(), HasSubstr("cannot connect to PostgreSQL at"));
            EXPECT_THAT(e.what(), Not(HasSubstr("s3cret"))) << e.what();
        }
    }
}

// ------------------------------------------------------------------ parameters

TEST_F(PgTest, QuestionMarksAreNumberedInOrder)
{
    Statement st(*db, "SELECT ?::text, ?::text, ?::text");
    st.bind(1, "a").bind(2, "b").bind(3, "c");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.getText(0), "a");
    EXPECT_EQ(st.getText(1), "b");
    EXPECT_EQ(st.getText(2), "c");
    EXPECT_FALSE(st.step());
}

TEST_F(PgTest, NumberedParametersKeepTheirNumberAndMayRepeat)
{
    Statement st(*db, "SELECT ?2::text, ?1::text, ?2::text || ?1::text");
    st.bind(1, "one").bind(2, "two");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.getText(0), "two");
    EXPECT_EQ(st.getText(1), "one");
    EXPECT_EQ(st.getText(2), "twoone");
    // ?2 names two parameters: binding a third is a caller's bug.
    try {
        st.bind(3, "three");
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.code(), kErrorMisuse);
        EXPECT_THAT(e.what(), HasSubstr("parameter 3 out of range"));
    }
}

TEST_F(PgTest, QuestionMarksInsideQuotesAreLeftAlone)
{
    Statement st(*db, "SELECT '?' || ?::text, 'it''s ?1 and ?', ?::text AS \"what?\"");
    st.bind(1, "x").bind(2, "y");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.getText(0), "?x");
    EXPECT_EQ(st.getText(1), "it's ?1 and ?");
    EXPECT_EQ(st.getText(2), "y");
    EXPECT_EQ(st.columnName(2), "what?");
    EXPECT_EQ(st.columnCount(), 3);
}

TEST_F(PgTest, AStatementRunsAgainWithNewBindingsAfterReset)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)");
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (?, ?)");
    for (int k = 1; k <= 3; ++k) {
        insert.bind(1, k).bind(2, "v" + std::to_string(k));
        insert.run();
        insert.reset();
    }
    // A blob in a parameter that held text before: prepared again with BYTEA.
    Statement echo(*db, "SELECT ?");
    echo.bind(1, "text");
    ASSERT_TRUE(echo.step());
    EXPECT_EQ(echo.columnType(0), kText);
    echo.reset();
    echo.bind(1, Blob{"\x01\x02"s});
    ASSERT_TRUE(echo.step());
    EXPECT_EQ(echo.columnType(0), kBlob);
    EXPECT_EQ(echo.getBlobView(0), "\x01\x02"s);
    EXPECT_EQ(text("SELECT string_agg(v, ',' ORDER BY k) FROM t"), "v1,v2,v3");
}

// ------------------------------------------------------------------ values

TEST_F(PgTest, Int64ExtremesRoundTrip)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v BIGINT)");
    const std::vector<int64_t> values{std::numeric_limits<int64_t>::min(), -1, 0, 1, (int64_t{1} << 53) + 1,
                                      std::numeric_limits<int64_t>::max()};
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (?, ?)");
    for (size_t i = 0; i < values.size(); ++i) {
        insert.bind(1, static_cast<int64_t>(i)).bind(2, values[i]);
        insert.run();
        insert.reset();
    }
    Statement st(*db, "SELECT v FROM t WHERE v = ? ");
    for (int64_t v : values) {
        st.bind(1, v);
        ASSERT_TRUE(st.step()) << v;
        EXPECT_EQ(st.getInt(0), v);
        EXPECT_EQ(st.columnType(0), kInteger);
        EXPECT_FALSE(st.step());
        st.reset();
    }
}

TEST_F(PgTest, DoublesRoundTripExactly)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v DOUBLE PRECISION)");
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> values{0.1,
                                     1e-300,
                                     std::numeric_limits<double>::denorm_min(),
                                     std::numeric_limits<double>::max(),
                                     -std::numeric_limits<double>::max(),
                                     39.9042123456789,
                                     116.407396,
                                     1.0 / 3.0,
                                     -0.0,
                                     inf,
                                     -inf};
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (?, ?)");
    for (size_t i = 0; i < values.size(); ++i) {
        insert.bind(1, static_cast<int64_t>(i)).bind(2, values[i]);
        insert.run();
        insert.reset();
    }
    insert.bind(1, int64_t{100}).bind(2, std::numeric_limits<double>::quiet_NaN());
    insert.run();

    Statement st(*db, "SELECT v FROM t WHERE k = ?");
    for (size_t i = 0; i < values.size(); ++i) {
        st.bind(1, static_cast<int64_t>(i));
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.columnType(0), kFloat);
        const double got = st.getDouble(0);
        EXPECT_EQ(got, values[i]) << "value " << i << " came back as " << st.getText(0);
        EXPECT_EQ(std::signbit(got), std::signbit(values[i])) << "value " << i << ": the sign of zero";
        st.reset();
    }
    st.bind(1, int64_t{100});
    ASSERT_TRUE(st.step());
    EXPECT_TRUE(std::isnan(st.getDouble(0))) << st.getText(0);
    // The server compares what it stored, not text: 0.1 finds the row of 0.1.
    Statement find(*db, "SELECT k FROM t WHERE v = ?");
    find.bind(1, 0.1);
    ASSERT_TRUE(find.step());
    EXPECT_EQ(find.getInt(0), 0);
}

TEST_F(PgTest, ChineseTextRoundTrips)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)");
    const std::string name = "北京昭智教育科技有限公司（海淀）· 客户档案 🚗 \u00e9";
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (1, ?)");
    insert.bind(1, name);
    insert.run();
    Statement st(*db, "SELECT v, length(v), octet_length(v) FROM t WHERE v = ?");
    st.bind(1, name);
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.getText(0), name);
    EXPECT_EQ(st.getInt(1), 26) << "the server counts characters, so it got UTF-8";
    EXPECT_EQ(st.getInt(2), static_cast<int64_t>(name.size()));
    EXPECT_EQ(st.columnType(0), kText);
}

TEST_F(PgTest, BlobsWithNulAndHighBytesRoundTrip)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v BYTEA)");
    std::string all;
    for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
    const std::vector<std::string> values{"\0"s, "\xff\x00\xff"s, "a\0b\0"s, all, ""s};
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (?, ?)");
    for (size_t i = 0; i < values.size(); ++i) {
        insert.bind(1, static_cast<int64_t>(i)).bind(2, Blob{values[i]});
        insert.run();
        insert.reset();
    }
    Statement st(*db, "SELECT v, octet_length(v) FROM t WHERE k = ?");
    for (size_t i = 0; i < values.size(); ++i) {
        st.bind(1, static_cast<int64_t>(i));
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.columnType(0), kBlob) << "an empty blob is not NULL";
        EXPECT_EQ(std::string(st.getBlobView(0)), values[i]) << "value " << i;
        EXPECT_EQ(st.getInt(1), static_cast<int64_t>(values[i].size()));
        st.reset();
    }
    // A blob compares as bytes in a WHERE clause.
    Statement find(*db, "SELECT k FROM t WHERE v = ?");
    find.bind(1, Blob{"\xff\x00\xff"s});
    ASSERT_TRUE(find.step());
    EXPECT_EQ(find.getInt(0), 1);
}

TEST_F(PgTest, NullsBindAndReadAsNull)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT, b BYTEA)");
    Statement insert(*db, "INSERT INTO t (k, i, d, s, b) VALUES (1, ?, ?, ?, ?)");
    insert.bind(1, nullptr).bind(2, std::optional<double>()).bind(3, std::optional<std::string>()).bind(4, nullptr);
    insert.run();
    Statement st(*db, "SELECT i, d, s, b, i IS NULL AND d IS NULL AND s IS NULL AND b IS NULL FROM t");
    ASSERT_TRUE(st.step());
    for (int c = 0; c < 4; ++c) {
        EXPECT_TRUE(st.isNull(c)) << c;
        EXPECT_EQ(st.columnType(c), kNull) << c;
    }
    EXPECT_EQ(st.getInt(0), 0);
    EXPECT_EQ(st.getText(2), "");
    EXPECT_EQ(st.getInt(4), 1) << "a boolean reads as 1";
    // clearBindings() makes every parameter NULL again.
    Statement echo(*db, "SELECT ?::text IS NULL");
    echo.bind(1, "x");
    ASSERT_TRUE(echo.step());
    EXPECT_EQ(echo.getInt(0), 0);
    echo.reset();
    echo.clearBindings();
    ASSERT_TRUE(echo.step());
    EXPECT_EQ(echo.getInt(0), 1);
}

TEST_F(PgTest, ColumnTypeFollowsTheColumnsType)
{
    Statement st(*db, "SELECT 1::bigint, 2::integer, 3::smallint, true, 1.5::double precision, 2.5::real, "
                      "3.25::numeric, 'x'::text, 'y'::varchar, '\\x00ff'::bytea, NULL::bigint, NULL::text, "
                      "NULL::bytea");
    ASSERT_TRUE(st.step());
    const std::vector<int> expected{kInteger, kInteger, kInteger, kInteger, kFloat, kFloat, kFloat,
                                    kText,    kText,    kBlob,    kNull,    kNull,  kNull};
    ASSERT_EQ(st.columnCount(), static_cast<int>(expected.size()));
    for (size_t c = 0; c < expected.size(); ++c) EXPECT_EQ(st.columnType(static_cast<int>(c)), expected[c]) << c;
    EXPECT_EQ(st.getInt(1), 2);
    EXPECT_EQ(st.getDouble(5), 2.5);
    EXPECT_EQ(st.getDouble(6), 3.25);
    EXPECT_EQ(st.getInt(6), 3) << "a fraction read as an integer is truncated, as SQLite does";
    EXPECT_EQ(st.getBlobView(9), "\x00\xff"s);
}

TEST_F(PgTest, ChangesCountsTheRowsOfTheLastWrite)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)");
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (?, 'a') ON CONFLICT (k) DO NOTHING");
    insert.bind(1, 1);
    insert.run();
    EXPECT_EQ(db->changes(), 1);
    insert.reset();
    insert.run();  // the same key again: nothing inserted
    EXPECT_EQ(db->changes(), 0);
    db->exec("INSERT INTO t (k, v) VALUES (2, 'b'), (3, 'c')");
    EXPECT_EQ(db->changes(), 2);
    Statement update(*db, "UPDATE t SET v = 'z' WHERE k >= ?");
    update.bind(1, 1);
    update.run();
    EXPECT_EQ(db->changes(), 3);
    // A query or DDL in between does not change the count of the last write
    // (as on SQLite, where changes() counts INSERT, UPDATE and DELETE only).
    Statement read(*db, "SELECT k FROM t WHERE k = 1");
    while (read.step()) {
    }
    EXPECT_EQ(db->changes(), 3);
    db->exec("CREATE INDEX t_v ON t (v)");
    EXPECT_EQ(db->changes(), 3);
    Statement ddl(*db, "CREATE TABLE u (k BIGINT)");
    ddl.run();
    EXPECT_EQ(db->changes(), 3);
    Statement remove(*db, "DELETE FROM t WHERE k = ?");
    remove.bind(1, 42);
    remove.run();
    EXPECT_EQ(db->changes(), 0);
    remove.reset();
    remove.bind(1, 2);
    remove.run();
    EXPECT_EQ(db->changes(), 1);
    // An upsert that updates counts its row too.
    Statement upsert(*db, "INSERT INTO t (k, v) VALUES (1, 'u') ON CONFLICT (k) DO UPDATE SET v = excluded.v");
    upsert.run();
    EXPECT_EQ(db->changes(), 1);
}

// ------------------------------------------------------------------ errors

TEST_F(PgTest, ErrorsCarryTheSqlstateAndTheStatementStaysUsable)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT NOT NULL)");
    Statement insert(*db, "INSERT INTO t (k, v) VALUES (?, ?)");
    insert.bind(1, 1).bind(2, "first");
    insert.run();
    insert.reset();
    // The same key: unique_violation, 23505.
    try {
        insert.run();
        FAIL() << "expected StorageError";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.code(), kErrorGeneric);
        EXPECT_THAT(e.what(), HasSubstr("SQLSTATE 23505"));
        EXPECT_THAT(e.what(), HasSubstr("INSERT INTO t"));
    }
    // Ready to run again with new bindings.
    insert.reset();
    insert.bind(1, 2).bind(2, "second");
    insert.run();
    insert.reset();
    insert.bind(1, 3).bind(2, nullptr);
    EXPECT_THAT(errorOf([&] { insert.run(); }), HasSubstr("SQLSTATE 23502"));  // not_null_violation
    insert.reset();
    insert.bind(2, "third");
    insert.run();
    EXPECT_EQ(text("SELECT string_agg(v, ',' ORDER BY k) FROM t"), "first,second,third");

    // Errors found when the statement is prepared: syntax, unknown table.
    EXPECT_THAT(errorOf([&] {
                    Statement bad(*db, "SELEC 1");
                    bad.step();
                }),
                HasSubstr("SQLSTATE 42601"));
    EXPECT_THAT(errorOf([&] {
                    Statement bad(*db, "SELECT * FROM no_such_table");
                    bad.step();
                }),
                HasSubstr("SQLSTATE 42P01"));
    EXPECT_THAT(errorOf([&] { db->exec("CREATE TABLE t (x BIGINT)"); }), HasSubstr("SQLSTATE 42P07"));
    // A value the column type refuses.
    Statement badInt(*db, "SELECT ?::bigint");
    badInt.bind(1, "twelve");
    EXPECT_THAT(errorOf([&] { badInt.step(); }), HasSubstr("SQLSTATE 22P02"));
    badInt.reset();
    badInt.bind(1, int64_t{12});
    ASSERT_TRUE(badInt.step());
    EXPECT_EQ(badInt.getInt(0), 12);
}

TEST_F(PgTest, AFailedStatementInsideATransactionRollsItBack)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY)");
    {
        Transaction tx(*db);
        db->exec("INSERT INTO t VALUES (1)");
        EXPECT_THAT(errorOf([&] { db->exec("INSERT INTO t VALUES (1)"); }), HasSubstr("23505"));
        // The transaction is aborted: even a good statement is refused now.
        EXPECT_THAT(errorOf([&] { db->exec("INSERT INTO t VALUES (2)"); }), HasSubstr("25P02"));
    }  // the destructor rolls back
    EXPECT_FALSE(db->inTransaction());
    EXPECT_EQ(count(*db, "t"), 0);
    // The connection carries on.
    {
        Transaction tx(*db);
        db->exec("INSERT INTO t VALUES (3)");
        tx.commit();
    }
    EXPECT_EQ(count(*db, "t"), 1);
}

TEST_F(PgTest, CommitAfterAnErrorThrowsAndKeepsNothing)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY)");
    Transaction tx(*db);
    db->exec("INSERT INTO t VALUES (1)");
    EXPECT_NE(errorOf([&] { db->exec("INSERT INTO t VALUES (1)"); }), "");
    // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK and no
    // error: the engine must not let that pass as a commit.
    try {
        tx.commit();
        FAIL() << "commit() of an aborted transaction did not throw";
    } catch (const StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("rolled back"));
    }
    EXPECT_FALSE(tx.active());
    EXPECT_FALSE(db->inTransaction());
    EXPECT_EQ(count(*db, "t"), 0);
}

TEST_F(PgTest, TransactionsDoNotNestAndRollBackUnlessCommitted)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY)");
    {
        Transaction tx(*db);
        db->exec("INSERT INTO t VALUES (1)");
        EXPECT_TRUE(db->inTransaction());
        try {
            Transaction nested(*db);
            FAIL() << "a nested transaction was opened";
        } catch (const StorageError& e) {
            EXPECT_EQ(e.code(), kErrorMisuse);
        }
    }
    EXPECT_EQ(count(*db, "t"), 0);
    {
        Transaction tx(*db);
        db->exec("INSERT INTO t VALUES (2)");
        tx.commit();
        EXPECT_FALSE(db->inTransaction());
    }
    EXPECT_EQ(count(*db, "t"), 1);
}

// ------------------------------------------------------------------ several connections

TEST_F(PgTest, AReadTransactionSeesOneSnapshotWhileAnotherConnectionCommits)
{
    db->exec("CREATE TABLE t (k BIGINT PRIMARY KEY)");
    db->exec("INSERT INTO t VALUES (1)");
    auto writer = connect();
    {
        ReadTransaction snapshot(*db);
        EXPECT_EQ(count(*db, "t"), 1);  // the first read fixes the snapshot
        {
            Transaction tx(*writer);  // a read transaction does not hold the writers' lock
            writer->exec("INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)");
            tx.commit();
        }
        EXPECT_EQ(count(*writer, "t"), 3);
        EXPECT_EQ(count(*db, "t"), 1) << "the snapshot moved";
        EXPECT_THAT(errorOf([&] { db->exec("INSERT INTO t VALUES (4)"); }), HasSubstr("25006"))
            << "a read transaction is read-only";
    }
    EXPECT_EQ(count(*db, "t"), 3);
}

TEST_F(PgTest, ASecondWriterWaitsForTheFirstToCommit)
{
    db->exec("CREATE TABLE seq (n BIGINT PRIMARY KEY, who TEXT NOT NULL)");
    // What the hub does: the next position is max + 1, read and written
    // under the writers' lock.
    auto next = [](Connection& c, const std::string& who) {
        Statement st(c, "INSERT INTO seq (n, who) SELECT coalesce(max(n), 0) + 1, ? FROM seq");
        st.bind(1, who);
        st.run();
    };
    auto second = connect();
    auto observer = connect();
    std::atomic<bool> secondBegan{false};
    std::atomic<int64_t> secondSaw{-1};

    auto first = std::make_unique<Transaction>(*db);
    next(*db, "first");
    std::thread t([&] {
        Transaction tx(*second);  // blocks on the lock until `first` commits
        secondBegan = true;
        secondSaw = count(*second, "seq");
        next(*second, "second");
        tx.commit();
    });
    // The second writer is queued on the advisory lock, not running.
    const bool waiting = eventually([&] {
        Statement st(*observer, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                                    "(SELECT oid FROM pg_database WHERE datname = current_database())");
        return st.step() && st.getInt(0) == 1;
    });
    EXPECT_TRUE(waiting) << "the second writer never queued on the lock";
    EXPECT_FALSE(secondBegan) << "the second writer began while the first held the lock";
    first->commit();
    first.reset();
    t.join();
    EXPECT_TRUE(secondBegan);
    EXPECT_EQ(secondSaw, 1) << "the second writer began before the first's commit was visible";
    Statement st(*db, "SELECT n, who FROM seq ORDER BY n");
    std::vector<std::string> rows;
    while (st.step()) rows.push_back(std::to_string(st.getInt(0)) + ":" + st.getText(1));
    EXPECT_EQ(rows, (std::vector<std::string>{"1:first", "2:second"}));
    // The lock went with the transactions.
    Statement held(*observer, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                                "(SELECT oid FROM pg_database WHERE datname = current_database())");
    ASSERT_TRUE(held.step());
    EXPECT_EQ(held.getInt(0), 0);
}

TEST_F(PgTest, AWriterThatGivesUpWaitingForTheLockCanBeginAgain)
{
    auto holder = connect();
    auto held = std::make_unique<Transaction>(*holder);
    db->exec("SET lock_timeout = '100ms'");  // e.g. set by an operator on the role
    EXPECT_THAT(errorOf([&] { Transaction tx(*db); }), HasSubstr("SQLSTATE 55P03"));  // lock_not_available
    EXPECT_FALSE(db->inTransaction()) << "the failed BEGIN left a transaction open";
    held->commit();
    held.reset();
    Transaction tx(*db);
    db->exec("CREATE TABLE t (k BIGINT)");
    tx.commit();
    EXPECT_TRUE(holder->hasTable("t"));
}

TEST_F(PgTest, ARolledBackWriterReleasesTheLock)
{
    auto other = connect();
    {
        Transaction tx(*db);
        db->exec("CREATE TABLE t (k BIGINT)");
    }  // rolled back
    Transaction tx(*other);  // would wait forever if the lock were still held
    other->exec("CREATE TABLE t (k BIGINT)");
    tx.commit();
    EXPECT_TRUE(db->hasTable("t"));
}

TEST_F(PgTest, ConcurrentMigrationsApplyEachStepOnce)
{
    std::atomic<int> applied[4] = {0, 0, 0, 0};
    auto step = [&](int n) {
        return [&, n](Connection& c) {
            if (n == 1) c.exec("CREATE TABLE applied (version BIGINT NOT NULL)");
            c.exec("INSERT INTO applied VALUES (" + std::to_string(n) + ")");
            ++applied[n];
            // Holds the lock a while so the other migrator is surely waiting.
            std::this_thread::sleep_for(20ms);
        };
    };
    const Migration ladder[] = {
        {1, "one", nullptr, step(1)},
        {2, "two", nullptr, step(2)},
        {3, "three", nullptr, step(3)},
    };
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    auto run = [&](const std::string& track) {
        auto c = connect();
        start.wait();
        return track.empty() ? migrate(*c, ladder) : migrate(*c, ladder, track);
    };
    {
        auto a = std::async(std::launch::async, run, "");
        auto b = std::async(std::launch::async, run, "");
        go.set_value();
        EXPECT_EQ(a.get(), 3);
        EXPECT_EQ(b.get(), 3);
    }
    for (int n = 1; n <= 3; ++n) EXPECT_EQ(applied[n].load(), 1) << "step " << n;
    EXPECT_EQ(db->userVersion(), 3);
    EXPECT_EQ(text("SELECT string_agg(version::text, ',' ORDER BY version) FROM applied"), "1,2,3");

    // A named track, which creates its table inside the first step.
    db->exec("DROP TABLE applied");
    for (auto& a : applied) a = 0;
    std::promise<void> go2;
    start = go2.get_future().share();
    {
        auto a = std::async(std::launch::async, run, "accounts");
        auto b = std::async(std::launch::async, run, "accounts");
        go2.set_value();
        EXPECT_EQ(a.get(), 3);
        EXPECT_EQ(b.get(), 3);
    }
    for (int n = 1; n <= 3; ++n) EXPECT_EQ(applied[n].load(), 1) << "track step " << n;
    EXPECT_EQ(trackVersion(*db, "accounts"), 3);
    EXPECT_EQ(db->userVersion(), 3) << "a track leaves the schema version alone";
}

TEST_F(PgTest, AFailingMigrationStepLeavesTheLastGoodVersion)
{
    const Migration ladder[] = {
        {1, "table", "CREATE TABLE a (x BIGINT)"},
        {2, "broken", "CREATE TABLE b (x BIGINT); INSERT INTO nowhere VALUES (1)"},
    };
    try {
        migrate(*db, ladder);
        FAIL() << "expected MigrationError";
    } catch (const MigrationError& e) {
        EXPECT_THAT(e.what(), HasSubstr("migration 2 (broken) failed"));
        EXPECT_THAT(e.what(), HasSubstr("42P01"));
    }
    EXPECT_EQ(db->userVersion(), 1);
    EXPECT_TRUE(db->hasTable("a"));
    EXPECT_FALSE(db->hasTable("b")) << "the failed step's DDL was rolled back with it";
    EXPECT_FALSE(db->inTransaction());
}

// ------------------------------------------------------------------ the hub's ladder

// table -> column -> type, as information_schema reports them.
std::map<std::string, std::map<std::string, std::string>> pgColumns(PgConnection& c)
{
    std::map<std::string, std::map<std::string, std::string>> out;
    Statement st(c, "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema()");
    while (st.step()) out[st.getText(0)][st.getText(1)] = st.getText(2);
    return out;
}

std::string pgTypeFor(schema::FieldType t)
{
    using schema::FieldType;
    switch (t) {
    case FieldType::Integer:
    case FieldType::Time:
    case FieldType::Bool: return "bigint";
    case FieldType::Real: return "double precision";
    case FieldType::Text:
    case FieldType::Ref:
    case FieldType::Enum:
    case FieldType::Stage:
    case FieldType::TagSet: return "text";
    }
    return "?";
}

TEST_F(PgTest, TheHubLadderHasAColumnForEveryFieldOfTheSchema)
{
    const auto ladder = replica::hubMigrations(Dialect::Postgres);
    EXPECT_EQ(migrate(*db, ladder), static_cast<int>(ladder.size()));
    const auto tables = pgColumns(*db);
    for (const auto& e : schema::fieldsyncSchema().entities()) {
        SCOPED_TRACE("entity " + e.name);
        auto it = tables.find(e.table);
        ASSERT_NE(it, tables.end()) << "no table " << e.table << " in the PostgreSQL hub ladder";
        const auto& cols = it->second;
        std::map<std::string, std::string> expected{{"id", "text"}, {"_clocks", "bytea"}};
        for (const auto& f : e.fields) {
            expected[f.name] = pgTypeFor(f.type);
            if (f.type == schema::FieldType::Stage) expected[f.name + "_gen"] = "bigint";
        }
        for (const auto& [name, type] : expected) {
            auto c = cols.find(name);
            if (c == cols.end()) {
                ADD_FAILURE() << e.table << " has no column " << name;
                continue;
            }
            EXPECT_EQ(c->second, type) << e.table << "." << name;
        }
        for (const auto& [name, type] : cols)
            EXPECT_TRUE(expected.count(name)) << e.table << " has a column " << name << " that no field explains";
    }
}

TEST_F(PgTest, TheHubLaddersOfBothEnginesMatchStepForStepAndTableForTable)
{
    const auto sqliteLadder = replica::hubMigrations(Dialect::Sqlite);
    const auto pgLadder = replica::hubMigrations(Dialect::Postgres);
    ASSERT_EQ(pgLadder.size(), sqliteLadder.size()) << "a hub step added to one engine's ladder only";
    for (size_t i = 0; i < sqliteLadder.size(); ++i)
        EXPECT_STREQ(pgLadder[i].description, sqliteLadder[i].description) << "step " << i + 1;

    migrate(*db, pgLadder);
    auto pg = pgColumns(*db);
    pg.erase("_user_version");

    const char* base = std::getenv("FIELDSYNC_TEST_TMP");
    std::string pattern =
        ((base && *base) ? std::filesystem::path(base) : std::filesystem::temp_directory_path()) / "pg-ladder-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    std::map<std::string, std::set<std::string>> sqliteTables;
    std::set<std::string> sqliteIndexes;
    {
        Database lite(pattern + "/hub.db");
        migrate(lite, sqliteLadder);
        Statement tables(lite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        while (tables.step()) {
            Statement cols(lite, "SELECT name FROM pragma_table_info(?)");
            cols.bind(1, tables.getText(0));
            while (cols.step()) sqliteTables[tables.getText(0)].insert(cols.getText(0));
        }
        Statement indexes(lite, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
        while (indexes.step()) sqliteIndexes.insert(indexes.getText(0));
    }
    std::filesystem::remove_all(pattern);

    std::map<std::string, std::set<std::string>> pgTables;
    for (const auto& [table, cols] : pg)
        for (const auto& [name, type] : cols) pgTables[table].insert(name);
    EXPECT_EQ(pgTables, sqliteTables);
    std::set<std::string> pgIndexes;
    Statement indexes(*db, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                           "AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'");
    while (indexes.step()) pgIndexes.insert(indexes.getText(0));
    EXPECT_EQ(pgIndexes, sqliteIndexes);
}

// ------------------------------------------------------------------ LISTEN/NOTIFY

// Waits on `c`'s socket for notifications, up to `limit`, until `enough`.
std::vector<Notification> receive(PgConnection& c, const std::function<bool(const std::vector<Notification>&)>& enough,
                                  Clock::duration limit = 10s)
{
    std::vector<Notification> got;
    const auto deadline = Clock::now() + limit;
    while (!enough(got) && Clock::now() < deadline) {
        pollfd fd{c.socket(), POLLIN, 0};
        ::poll(&fd, 1, 50);
        for (auto& n : c.notifications()) got.push_back(std::move(n));
    }
    return got;
}

TEST_F(PgTest, NotificationsArriveAtCommitAndNotAfterARollback)
{
    auto listener = connect();
    listener->listen("fs_test");
    auto other = connect();
    {
        Transaction tx(*db);
        db->notify("fs_test", "rolled back");
    }
    {
        Transaction tx(*db);
        db->notify("fs_test", "客户 1");
        // Not before the commit: a round trip of the listener shows nothing yet.
        listener->exec("SELECT 1");
        EXPECT_TRUE(listener->notifications().empty());
        tx.commit();
    }
    other->notify("other_channel", "not listened to");
    other->notify("fs_test", "{\"head\":2}");
    auto got = receive(*listener, [](const auto& n) { return n.size() >= 2; });
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].channel, "fs_test");
    EXPECT_EQ(got[0].payload, "客户 1");
    EXPECT_EQ(got[0].senderPid, db->backendPid());
    EXPECT_EQ(got[1].payload, "{\"head\":2}");
    EXPECT_EQ(got[1].senderPid, other->backendPid());
    EXPECT_NE(db->backendPid(), other->backendPid());
    listener->exec("SELECT 1");
    EXPECT_TRUE(listener->notifications().empty()) << "the rolled-back or unlistened one arrived";
}

// A PokeSink that records, for another thread to read.
class Pokes : public server::PokeSink {
public:
    struct Call {
        std::vector<std::string> users;
        uint64_t head;
    };
    void poke(const std::vector<std::string>& users, uint64_t head) override
    {
        std::lock_guard lock(m_mutex);
        m_calls.push_back({users, head});
    }
    std::vector<Call> calls()
    {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    size_t size() { return calls().size(); }

private:
    std::mutex m_mutex;
    std::vector<Call> m_calls;
};

TEST_F(PgTest, APokeRelayedByOneInstanceReachesEveryInstancesSink)
{
    Pokes localA, localB;
    server::PokeRelay a(url(), localA), b(url(), localB);
    a.start();
    b.start();
    a.poke({"lina", "张伟"}, 7);
    ASSERT_TRUE(eventually([&] { return localA.size() == 1 && localB.size() == 1; }))
        << localA.size() << " " << localB.size();
    for (Pokes* p : {&localA, &localB}) {
        auto calls = p->calls();
        EXPECT_EQ(calls[0].users, (std::vector<std::string>{"lina", "张伟"}));
        EXPECT_EQ(calls[0].head, 7u);
    }
    // No users named: every user (a change to a pool customer), relayed too.
    a.poke({}, 8);
    ASSERT_TRUE(eventually([&] { return localA.size() == 2 && localB.size() == 2; }))
        << "a poke for everyone was not relayed";
    EXPECT_TRUE(localB.calls()[1].users.empty());
    EXPECT_EQ(localB.calls()[1].head, 8u);
    b.poke({"wang"}, 9);
    ASSERT_TRUE(eventually([&] { return localA.size() == 3 && localB.size() == 3; }));
    EXPECT_EQ(localA.calls()[2].users, std::vector<std::string>{"wang"});
    EXPECT_EQ(localA.calls()[2].head, 9u);
    EXPECT_EQ(a.delivered(), 3u);
    EXPECT_EQ(b.delivered(), 3u);

    // Malformed notifications on the channel are ignored, not fatal.
    db->notify(server::PokeRelay::kChannel, "not json");
    db->notify(server::PokeRelay::kChannel, "{\"users\":[\"lina\"]}");
    a.poke({"zhou"}, 10);
    ASSERT_TRUE(eventually([&] { return localB.size() == 4; }));
    EXPECT_EQ(localB.calls()[3].users, std::vector<std::string>{"zhou"});
    EXPECT_EQ(b.delivered(), 4u);

    // A stopped relay hands nothing on.
    b.stop();
    a.poke({"lina"}, 11);
    ASSERT_TRUE(eventually([&] { return localA.size() == 5; }));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(localB.size(), 4u);
}

TEST_F(PgTest, APokeRelayCarriesOnAfterItsConnectionsAreCut)
{
    Pokes localA, localB;
    server::PokeRelay a(url(), localA), b(url(), localB);
    a.start();
    b.start();
    a.poke({"lina"}, 1);
    ASSERT_TRUE(eventually([&] { return localB.size() == 1; }));
    // The server drops every connection of the relays (a restart, an idle
    // timeout, an operator): both the listeners and A's sending connection.
    db->exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    // Pokes sent while a listener is down are lost to it (devices still sync
    // on their timer); once it has reconnected they arrive again. The two
    // listeners reconnect independently, so keep poking until each has heard
    // one sent after the cut.
    uint64_t head = 1;
    auto heardAgain = [](Pokes& p) {
        auto calls = p.calls();
        return calls.size() > 1 && calls.back().head > 1;
    };
    const bool back = eventually(
        [&] {
            a.poke({"lina"}, ++head);
            std::this_thread::sleep_for(50ms);
            return heardAgain(localA) && heardAgain(localB);
        },
        20s);
    EXPECT_TRUE(heardAgain(localB)) << "relay B never heard a poke again";
    EXPECT_TRUE(heardAgain(localA)) << "relay A does not hear its own pokes again";
    ASSERT_TRUE(back);
    EXPECT_EQ(localB.calls().back().users, std::vector<std::string>{"lina"});
}

TEST_F(PgTest, ALongUserListIsSplitOverSeveralNotifications)
{
    auto raw = connect();
    raw->listen(server::PokeRelay::kChannel);
    Pokes localA, localB;
    server::PokeRelay a(url(), localA), b(url(), localB);
    a.start();
    b.start();
    std::vector<std::string> users;
    for (int i = 0; i < 1200; ++i) users.push_back("销售代表-" + std::to_string(i));  // ~20 bytes each in JSON
    a.poke(users, 42);

    auto total = [](Pokes& p) {
        size_t n = 0;
        for (const auto& c : p.calls()) n += c.users.size();
        return n;
    };
    ASSERT_TRUE(eventually([&] { return total(localA) == users.size() && total(localB) == users.size(); }))
        << total(localA) << " " << total(localB);
    const auto calls = localB.calls();
    EXPECT_GE(calls.size(), 4u) << "24 kB of names in notifications of at most 7000 bytes";
    std::vector<std::string> together;
    for (const auto& c : calls) {
        EXPECT_EQ(c.head, 42u);
        EXPECT_FALSE(c.users.empty());
        together.insert(together.end(), c.users.begin(), c.users.end());
    }
    EXPECT_EQ(together, users) << "every user once, in order";
    // The payloads themselves, as another listener sees them.
    auto sent = receive(*raw, [&](const auto& n) { return n.size() >= calls.size(); });
    ASSERT_EQ(sent.size(), calls.size());
    for (const auto& n : sent) {
        EXPECT_LE(n.payload.size(), server::PokeRelay::kMaxPayload);
        auto j = nlohmann::json::parse(n.payload);
        EXPECT_EQ(j["head"], 42);
    }
}

} // namespace
} // namespace fieldsync::storage::pg::test
