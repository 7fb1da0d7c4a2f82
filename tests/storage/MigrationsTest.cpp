#include "TempDir.h"

#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/Statement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace fieldsync::storage {
namespace {

using test::TempDir;
using ::testing::HasSubstr;

// Everything in sqlite_schema, in a stable order, as one comparable string.
std::string schemaOf(Database& db)
{
    Statement select(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
    std::string schema;
    while (select.step())
        schema += select.getText(0) + " " + select.getText(1) + " " + select.getText(2) + ": "
                  + select.getText(3) + "\n";
    return schema;
}

bool hasTable(Database& db, const char* name)
{
    Statement select(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    return select.bind(1, name).step();
}

class MigrationsTest : public ::testing::Test {
protected:
    MigrationsTest()
    {
        steps = {
            {1, "create notes", "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"},
            {2, "tags", "CREATE TABLE tag(note INTEGER REFERENCES note(id), name TEXT);"
                        "CREATE INDEX tag_by_name ON tag(name)"},
            {3, "seed from code", nullptr,
             [this](storage::Connection& db) {
                 ++applyRuns;
                 insideTransaction = db.inTransaction();
                 db.exec("INSERT INTO note(body) VALUES ('welcome')");
             }},
            {4, "note title", "ALTER TABLE note ADD COLUMN title TEXT"},
        };
    }

    TempDir dir;
    std::vector<Migration> steps;
    int applyRuns = 0;
    bool insideTransaction = false;
};

TEST_F(MigrationsTest, FreshDatabaseReachesTheNewestVersion)
{
    Database db(dir.file("a.db"));
    EXPECT_EQ(migrate(db, steps), 4);
    EXPECT_EQ(db.userVersion(), 4);
    EXPECT_TRUE(hasTable(db, "note"));
    EXPECT_TRUE(hasTable(db, "tag"));
    EXPECT_EQ(applyRuns, 1);
    EXPECT_FALSE(db.inTransaction());
}

TEST_F(MigrationsTest, RerunningIsANoOp)
{
    Database db(dir.file("a.db"));
    migrate(db, steps);
    const std::string schema = schemaOf(db);
    EXPECT_EQ(migrate(db, steps), 4);
    EXPECT_EQ(applyRuns, 1);
    EXPECT_EQ(schemaOf(db), schema);

    Database reopened(dir.file("a.db"));
    EXPECT_EQ(migrate(reopened, steps), 4);
    EXPECT_EQ(applyRuns, 1);
}

TEST_F(MigrationsTest, EveryIntermediateVersionReachesTheSameSchema)
{
    std::string reference;
    {
        Database db(dir.file("reference.db"));
        migrate(db, steps);
        reference = schemaOf(db);
    }
    for (int k = 0; k <= 4; ++k) {
        SCOPED_TRACE("starting at version " + std::to_string(k));
        const std::string path = dir.file("from" + std::to_string(k) + ".db");
        {
            Database db(path);
            EXPECT_EQ(migrate(db, steps, k), k);
            EXPECT_EQ(db.userVersion(), k);
        }
        Database db(path); // a later run of the program
        EXPECT_EQ(migrate(db, steps), 4);
        EXPECT_EQ(schemaOf(db), reference);
    }
}

TEST_F(MigrationsTest, TargetBelowTheCurrentVersionDoesNotDowngrade)
{
    Database db(dir.file("a.db"));
    migrate(db, steps);
    EXPECT_EQ(migrate(db, steps, 2), 4);
    EXPECT_EQ(db.userVersion(), 4);
}

TEST_F(MigrationsTest, TargetBeyondTheListThrows)
{
    Database db(dir.file("a.db"));
    EXPECT_THROW(migrate(db, steps, 5), MigrationError);
    EXPECT_THROW(migrate(db, steps, -2), MigrationError);
    EXPECT_EQ(db.userVersion(), 0);
}

TEST_F(MigrationsTest, FailingSqlStepLeavesThePreviousVersionAndNoPartialTables)
{
    steps[2] = {3, "half done", "CREATE TABLE partial(x); INSERT INTO missing VALUES (1)"};
    const std::string path = dir.file("a.db");
    {
        Database db(path);
        try {
            migrate(db, steps);
            FAIL() << "migration 3 should have failed";
        } catch (const MigrationError& e) {
            EXPECT_THAT(e.what(), HasSubstr("migration 3 (half done) failed: "));
            EXPECT_THAT(e.what(), HasSubstr("no such table: missing"));
        }
        EXPECT_FALSE(db.inTransaction());
        EXPECT_EQ(db.userVersion(), 2);
        EXPECT_FALSE(hasTable(db, "partial"));
        EXPECT_TRUE(hasTable(db, "tag"));
    }
    Database reopened(path);
    EXPECT_EQ(reopened.userVersion(), 2);
    EXPECT_FALSE(hasTable(reopened, "partial"));
}

TEST_F(MigrationsTest, FailingApplyRollsBackItsWritesAndTheStepsSql)
{
    steps[1].apply = [](storage::Connection& db) {
        db.exec("INSERT INTO note(body) VALUES ('orphan')");
        throw std::runtime_error("cannot convert");
    };
    Database db(dir.file("a.db"));
    try {
        migrate(db, steps);
        FAIL() << "migration 2 should have failed";
    } catch (const MigrationError& e) {
        EXPECT_THAT(e.what(), HasSubstr("migration 2 (tags) failed: cannot convert"));
    }
    EXPECT_EQ(db.userVersion(), 1);
    EXPECT_FALSE(hasTable(db, "tag"));
    Statement count(db, "SELECT count(*) FROM note");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.getInt(0), 0);
    EXPECT_EQ(applyRuns, 0);

    // Fixed in the next build: it continues from version 1.
    steps[1].apply = {};
    EXPECT_EQ(migrate(db, steps), 4);
}

TEST_F(MigrationsTest, ApplyRunsInsideTheStepsTransaction)
{
    Database db(dir.file("a.db"));
    migrate(db, steps);
    EXPECT_TRUE(insideTransaction);
}

TEST_F(MigrationsTest, NonContiguousNumberingThrowsBeforeTouchingTheDatabase)
{
    Database db(dir.file("a.db"));
    const std::vector<std::vector<Migration>> broken = {
        {{1, "a", "CREATE TABLE a(x)"}, {3, "c", "CREATE TABLE c(x)"}},
        {{2, "b", "CREATE TABLE b(x)"}},
        {{1, "a", "CREATE TABLE a(x)"}, {1, "again", "CREATE TABLE a2(x)"}},
        {{0, "zero", "CREATE TABLE z(x)"}},
        {{2, "b", "CREATE TABLE b(x)"}, {1, "a", "CREATE TABLE a(x)"}},
    };
    for (const auto& list : broken) {
        EXPECT_THROW(migrate(db, list), MigrationError);
        EXPECT_EQ(db.userVersion(), 0);
        EXPECT_EQ(schemaOf(db), "");
    }
}

TEST_F(MigrationsTest, StepWithNeitherSqlNorApplyThrows)
{
    Database db(dir.file("a.db"));
    const std::vector<Migration> empty = {{1, "nothing", nullptr}};
    EXPECT_THROW(migrate(db, empty), MigrationError);
}

TEST_F(MigrationsTest, EmptyListLeavesAFreshDatabaseAtZero)
{
    Database db(dir.file("a.db"));
    EXPECT_EQ(migrate(db, {}), 0);
}

TEST_F(MigrationsTest, NewerDatabaseIsRefusedAndLeftUntouched)
{
    const std::string path = dir.file("a.db");
    {
        Database db(path);
        migrate(db, steps);
        db.setUserVersion(7);
    }
    Database db(path);
    const std::string schema = schemaOf(db);
    try {
        migrate(db, std::span(steps).first(3));
        FAIL() << "migrated a database newer than the list";
    } catch (const MigrationError& e) {
        EXPECT_THAT(e.what(), HasSubstr("newer than this build"));
        EXPECT_THAT(e.what(), HasSubstr("7"));
        EXPECT_THAT(e.what(), HasSubstr("3"));
        EXPECT_THAT(e.what(), HasSubstr(path));
    }
    EXPECT_EQ(db.userVersion(), 7);
    EXPECT_EQ(schemaOf(db), schema);
    EXPECT_EQ(applyRuns, 1);
}

TEST_F(MigrationsTest, RunningInsideAnOpenTransactionFails)
{
    Database db(dir.file("a.db"));
    db.exec("BEGIN");
    EXPECT_THROW(migrate(db, steps), MigrationError);
    db.exec("ROLLBACK");
    EXPECT_EQ(db.userVersion(), 0);
}

} // namespace
} // namespace fieldsync::storage
