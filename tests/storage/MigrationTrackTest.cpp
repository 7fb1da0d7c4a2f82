// Named migration tracks: a second numbered ladder in a file whose
// user_version belongs to someone else (the replica's domain tables).
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

bool hasTable(Database& db, const char* name)
{
    Statement select(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    return select.bind(1, name).step();
}

class MigrationTrackTest : public ::testing::Test {
protected:
    TempDir dir;
    std::vector<Migration> base = {
        {1, "notes", "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)"},
        {2, "note title", "ALTER TABLE note ADD COLUMN title TEXT"},
    };
    std::vector<Migration> extra = {
        {1, "note index", "CREATE TABLE note_word(note INTEGER, word TEXT)"},
        {2, "word index", "CREATE INDEX note_word_word ON note_word(word)"},
        {3, "seed", "INSERT INTO note_word VALUES (0, 'hello')"},
    };
};

TEST_F(MigrationTrackTest, ATrackKeepsItsOwnVersionBesideUserVersion)
{
    Database db(dir.file("a.db"));
    EXPECT_EQ(migrate(db, base), 2);
    EXPECT_EQ(trackVersion(db, "extra"), 0) << "never migrated: version 0, no table needed";
    EXPECT_FALSE(hasTable(db, "_migration_track"));

    EXPECT_EQ(migrate(db, extra, "extra"), 3);
    EXPECT_EQ(trackVersion(db, "extra"), 3);
    EXPECT_EQ(db.userVersion(), 2) << "the file's own ladder is untouched";
    EXPECT_TRUE(hasTable(db, "note_word"));
    EXPECT_EQ(trackVersion(db, "other"), 0);

    // Re-running applies nothing (the seed row stays single).
    EXPECT_EQ(migrate(db, extra, "extra"), 3);
    Statement count(db, "SELECT count(*) FROM note_word");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.getInt(0), 1);
}

TEST_F(MigrationTrackTest, TwoTracksAndALaterProgramRunContinueWhereTheyWere)
{
    const std::string path = dir.file("a.db");
    {
        Database db(path);
        EXPECT_EQ(migrate(db, extra, "extra", 1), 1);
        EXPECT_EQ(migrate(db, base, "second"), 2) << "a track may hold any ladder";
    }
    Database db(path);
    EXPECT_EQ(trackVersion(db, "extra"), 1);
    EXPECT_EQ(trackVersion(db, "second"), 2);
    EXPECT_EQ(migrate(db, extra, "extra"), 3);
    EXPECT_EQ(trackVersion(db, "second"), 2);
    EXPECT_EQ(db.userVersion(), 0);
}

TEST_F(MigrationTrackTest, AFailingStepRollsBackWithItsVersion)
{
    extra[1] = {2, "broken", "CREATE TABLE half(x); INSERT INTO missing VALUES (1)"};
    Database db(dir.file("a.db"));
    try {
        migrate(db, extra, "extra");
        FAIL() << "step 2 should have failed";
    } catch (const MigrationError& e) {
        EXPECT_THAT(e.what(), HasSubstr("migration 2 (broken) failed: "));
    }
    EXPECT_EQ(trackVersion(db, "extra"), 1);
    EXPECT_FALSE(hasTable(db, "half"));
    EXPECT_FALSE(db.inTransaction());
}

TEST_F(MigrationTrackTest, ANewerTrackIsRefusedAndAnEmptyNameIsABug)
{
    Database db(dir.file("a.db"));
    migrate(db, extra, "extra");
    std::vector<Migration> older(extra.begin(), extra.begin() + 2);
    try {
        migrate(db, older, "extra");
        FAIL() << "an older build must refuse a newer track";
    } catch (const MigrationError& e) {
        EXPECT_THAT(e.what(), HasSubstr("is at \"extra\" schema version 3, newer than this build"));
    }
    EXPECT_THROW(migrate(db, extra, ""), MigrationError);
}

} // namespace
} // namespace fieldsync::storage
