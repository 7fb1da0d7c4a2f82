// The replica and hub file migrations against the schema they must hold.
#include "ReplicaTestSupport.h"

#include "replica/Migrations.h"
#include "storage/Migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

namespace fieldsync::replica::test {
namespace {

using schema::FieldType;

// Every object of the file, as one comparable string.
std::string masterOf(storage::Database& db)
{
    storage::Statement st(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name");
    std::string out;
    while (st.step()) out += st.getText(0) + " " + st.getText(1) + ": " + st.getText(2) + "\n";
    return out;
}

std::string masterOf(const std::string& path)
{
    storage::Database db(path);
    return masterOf(db);
}

int userVersionOf(const std::string& path)
{
    storage::Database db(path);
    return db.userVersion();
}

std::string bytesOf(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// column name -> declared type
std::map<std::string, std::string> columnsOf(storage::Database& db, const std::string& table)
{
    std::map<std::string, std::string> cols;
    storage::Statement st(db, "SELECT name, type FROM pragma_table_info(?)");
    st.bind(1, table);
    while (st.step()) cols[st.getText(0)] = st.getText(1);
    return cols;
}

std::string sqlTypeFor(FieldType t)
{
    switch (t) {
    case FieldType::Integer:
    case FieldType::Time:
    case FieldType::Bool: return "INTEGER";
    case FieldType::Real: return "REAL";
    case FieldType::Text:
    case FieldType::Ref:
    case FieldType::Enum:
    case FieldType::Stage:
    case FieldType::TagSet: return "TEXT";
    }
    return "?";
}

// Every entity table has exactly: id, one column per field (of the type the
// field is stored as), <stage>_gen per stage field, and _clocks.
void expectTablesMatchTheSchema(storage::Database& db)
{
    for (const auto& e : theSchema().entities()) {
        SCOPED_TRACE("entity " + e.name);
        auto cols = columnsOf(db, e.table);
        ASSERT_FALSE(cols.empty()) << "no table " << e.table;
        std::map<std::string, std::string> expected{{"id", "TEXT"}, {"_clocks", "BLOB"}};
        for (const auto& f : e.fields) {
            expected[f.name] = sqlTypeFor(f.type);
            if (f.type == FieldType::Stage) expected[f.name + "_gen"] = "INTEGER";
        }
        for (const auto& [name, type] : expected) {
            auto it = cols.find(name);
            if (it == cols.end()) {
                ADD_FAILURE() << e.table << " has no column " << name;
                continue;
            }
            EXPECT_EQ(it->second, type) << e.table << "." << name;
        }
        for (const auto& [name, type] : cols)
            EXPECT_TRUE(expected.count(name)) << e.table << " has a column " << name << " that no field explains";
    }
}

std::set<std::string> tablesOf(storage::Database& db)
{
    std::set<std::string> out;
    storage::Statement st(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    while (st.step()) out.insert(st.getText(0));
    return out;
}

class Migrations : public ReplicaFixture {};

TEST_F(Migrations, AFreshReplicaFileIsAtTheNewestVersion)
{
    const int newest = static_cast<int>(replicaMigrations().size());
    ASSERT_GE(newest, 1);
    {
        auto r = openReplica("fresh.db", tA);
        EXPECT_EQ(r->database().userVersion(), newest);
        expectTablesMatchTheSchema(r->database());
        auto tables = tablesOf(r->database());
        for (const char* t : {"outbox", "local_conflict", "peer", "meta", "set_dot"}) EXPECT_TRUE(tables.count(t)) << t;
        EXPECT_FALSE(tables.count("hub_log")) << "hub tables do not belong in a device file";
    }
    EXPECT_EQ(userVersionOf(file("fresh.db")), newest);
}

TEST_F(Migrations, AFreshHubFileIsAtTheNewestVersion)
{
    const int newest = static_cast<int>(hubMigrations().size());
    ASSERT_GE(newest, 1);
    auto h = openHub("hub.db", tHub);
    auto& db = dynamic_cast<storage::Database&>(h->database());
    EXPECT_EQ(db.userVersion(), newest);
    expectTablesMatchTheSchema(db);
    auto tables = tablesOf(db);
    for (const char* t : {"hub_log", "hub_device", "peer", "meta", "set_dot"}) EXPECT_TRUE(tables.count(t)) << t;
    EXPECT_FALSE(tables.count("outbox")) << "device tables do not belong in a hub file";
}

TEST_F(Migrations, EveryEarlierReplicaVersionUpgradesToTheSameSchema)
{
    const int newest = static_cast<int>(replicaMigrations().size());
    { auto r = openReplica("fresh.db", tA); }
    const std::string fresh = masterOf(file("fresh.db"));
    for (int k = 0; k < newest; ++k) {
        SCOPED_TRACE("from version " + std::to_string(k));
        const std::string path = file("v" + std::to_string(k) + ".db");
        {
            storage::Database db(path);
            EXPECT_EQ(storage::migrate(db, replicaMigrations(), k), k);
            EXPECT_EQ(db.userVersion(), k);
        }
        {
            auto r = openReplica("v" + std::to_string(k) + ".db", tA);
            EXPECT_EQ(r->database().userVersion(), newest);
            // Usable after the upgrade.
            EXPECT_TRUE(r->create("customer", Write().set("name", "Acme"s)).ok());
        }
        EXPECT_EQ(masterOf(path), fresh);
    }
}

TEST_F(Migrations, EveryEarlierHubVersionUpgradesToTheSameSchema)
{
    const int newest = static_cast<int>(hubMigrations().size());
    { auto h = openHub("fresh.db", tHub); }
    const std::string fresh = masterOf(file("fresh.db"));
    for (int k = 0; k < newest; ++k) {
        SCOPED_TRACE("from version " + std::to_string(k));
        const std::string path = file("v" + std::to_string(k) + ".db");
        {
            storage::Database db(path);
            EXPECT_EQ(storage::migrate(db, hubMigrations(), k), k);
        }
        { auto h = openHub("v" + std::to_string(k) + ".db", tHub); }
        EXPECT_EQ(masterOf(path), fresh);
        EXPECT_EQ(userVersionOf(path), newest);
    }
}

// A file written by a newer build: refused, and left exactly as it was.
class NewerFile : public ReplicaFixture {
protected:
    std::string makeNewerFile(const std::string& name, int version)
    {
        const std::string path = file(name);
        storage::Database db(path);
        db.exec("CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (42);");
        db.setUserVersion(version);
        return path;
    }
    void expectUntouched(const std::string& path, const std::string& bytes, int version)
    {
        EXPECT_EQ(bytesOf(path), bytes) << "the file's bytes changed";
        storage::Database db(path);
        EXPECT_EQ(db.userVersion(), version);
        EXPECT_EQ(masterOf(db), "table future: CREATE TABLE future (x INTEGER)\n");
        storage::Statement st(db, "SELECT x FROM future");
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.getInt(0), 42);
    }
};

TEST_F(NewerFile, IsRefusedByReplicaOpen)
{
    const int version = static_cast<int>(replicaMigrations().size()) + 1;
    const std::string path = makeNewerFile("newer.db", version);
    const std::string bytes = bytesOf(path);
    ASSERT_FALSE(bytes.empty());
    EXPECT_THROW((void)openReplica("newer.db", tA), storage::MigrationError);
    expectUntouched(path, bytes, version);
}

TEST_F(NewerFile, IsRefusedByHubOpen)
{
    const int version = static_cast<int>(hubMigrations().size()) + 1;
    const std::string path = makeNewerFile("newer.db", version);
    const std::string bytes = bytesOf(path);
    EXPECT_THROW((void)openHub("newer.db", tHub), storage::MigrationError);
    expectUntouched(path, bytes, version);
}

} // namespace
} // namespace fieldsync::replica::test
