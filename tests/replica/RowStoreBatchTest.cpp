// RowStore's read-ahead and write-behind (what the hub uses to cut a push's
// round trips): reads answered from the read-ahead until a row is written,
// new rows inserted in multi-row INSERTs, and every read still seeing every
// write.
#include "ReplicaTestSupport.h"

#include "replica/Migrations.h"
#include "replica/RowStore.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <gtest/gtest.h>

namespace fieldsync::replica::test {
namespace {

class RowStoreBatchTest : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        db = std::make_unique<storage::Database>(file("rows.db"));
        storage::migrate(*db, replicaMigrations());
        rows = std::make_unique<RowStore>(*db, theSchema());
        device.bytes.fill(0x31);
    }
    void TearDown() override
    {
        rows.reset();
        db.reset();
        ReplicaFixture::TearDown();
    }
    // A row with `field` = value, written at `hlc`.
    RowState written(const char* entity, const char* field, crdt::Value value, crdt::Hlc hlc)
    {
        const auto& e = *theSchema().entity(entity);
        protocol::FieldWrite w;
        w.field = e.field(field)->index;
        w.value = std::move(value);
        RowState row = rows->blank(e);
        rows->assign(row, w.field, rows->registerFor(*e.field(field), w, crdt::Clock{hlc, device}));
        return row;
    }
    int64_t stored(const std::string& table)
    {
        storage::Statement st(*db, "SELECT count(*) FROM \"" + table + "\"");
        st.step();
        return st.getInt(0);
    }
    std::optional<std::string> name(const std::string& id)
    {
        const auto& c = *theSchema().entity("customer");
        RowState row = rows->load(c, id);
        if (!row.exists) return std::nullopt;
        return std::get<std::string>(row.fields[static_cast<size_t>(c.field("name")->index)].reg.value);
    }

    std::unique_ptr<storage::Database> db;
    std::unique_ptr<RowStore> rows;
    crdt::DeviceId device;
};

TEST_F(RowStoreBatchTest, NewRowsWaitAndEveryReadSeesThem)
{
    const auto& customer = *theSchema().entity("customer");
    const auto& visit = *theSchema().entity("visit");
    storage::Transaction tx(*db);
    {
        RowStore::WriteBehind behind(*rows);
        // 250 customers (three statements: 100, 100, 50) and visits with two sets of columns.
        for (int i = 0; i < 250; ++i)
            rows->save(customer, "c" + std::to_string(i), written("customer", "name", "Name " + std::to_string(i), 100 + i));
        for (int i = 0; i < 30; ++i) {
            RowState v = i % 2 ? written("visit", "notes", "n" + std::to_string(i), 500 + i)
                               : written("visit", "customer", "c" + std::to_string(i), 500 + i);
            rows->save(visit, "v" + std::to_string(i), v);
        }
        EXPECT_EQ(rows->waitingWrites(), 280u);
        EXPECT_EQ(stored(customer.table), 0) << "nothing inserted yet";
        // A read of a waiting row inserts everything waiting, then reads it.
        EXPECT_TRUE(rows->exists(customer, "c7"));
        EXPECT_EQ(rows->waitingWrites(), 0u);
        EXPECT_EQ(stored(customer.table), 250);
        EXPECT_EQ(stored(visit.table), 30);
        EXPECT_EQ(name("c0"), "Name 0");
        EXPECT_EQ(name("c249"), "Name 249");
        EXPECT_EQ(rows->idsWhere(visit, "customer", "c4"), std::vector<std::string>{"v4"});

        // Written again while waiting: the INSERT goes first, then the update.
        rows->save(customer, "new", written("customer", "name", "First", 900));
        RowState again = rows->load(customer, "new");
        ASSERT_TRUE(again.exists);
        const auto& f = *customer.field("name");
        protocol::FieldWrite w{f.index, std::string("Second"), 0};
        rows->assign(again, f.index, rows->registerFor(f, w, crdt::Clock{901, device}));
        rows->save(customer, "new", again);
        EXPECT_EQ(name("new"), "Second");

        // A listing inserts what waits before it reads.
        rows->save(visit, "late", written("visit", "customer", "c4", 950));
        EXPECT_EQ(rows->idsWhere(visit, "customer", "c4"), (std::vector<std::string>{"late", "v4"}));
        rows->save(customer, "flushed", written("customer", "name", "Flushed", 960));
        rows->flushWrites();
        EXPECT_EQ(rows->waitingWrites(), 0u);
        // Dropped with the scope if never flushed (the caller rolls back).
        rows->save(customer, "dropped", written("customer", "name", "Dropped", 970));
    }
    EXPECT_EQ(rows->waitingWrites(), 0u);
    EXPECT_EQ(name("dropped"), std::nullopt);
    EXPECT_EQ(name("flushed"), "Flushed");
    // Without the scope, a save is written at once.
    rows->save(customer, "direct", written("customer", "name", "Direct", 980));
    EXPECT_EQ(stored(customer.table), 253);
    tx.commit();
}

TEST_F(RowStoreBatchTest, TheReadAheadAnswersUntilARowIsWrittenAndKnowsAbsentRows)
{
    const auto& customer = *theSchema().entity("customer");
    storage::Transaction tx(*db);
    for (int i = 0; i < 3; ++i)
        rows->save(customer, "c" + std::to_string(i), written("customer", "name", "Name " + std::to_string(i), 100 + i));
    {
        RowStore::ReadAhead ahead(*rows);
        // Duplicates and absent ids: each asked once, absent ones known as absent.
        std::vector<std::string> ids;
        for (int i = 0; i < 1200; ++i) ids.push_back("c" + std::to_string(i % 600));
        ids.push_back("c1");
        rows->readAhead(customer, ids);
        EXPECT_EQ(rows->readAheadSize(), 600u);
        EXPECT_TRUE(rows->exists(customer, "c2"));
        EXPECT_FALSE(rows->exists(customer, "c3"));
        EXPECT_EQ(name("c1"), "Name 1");
        // Changed behind the read-ahead's back (not through this RowStore):
        // the read-ahead is what a caller holding the transaction sees.
        db->exec("UPDATE customer SET name = 'Changed' WHERE id = 'c1'");
        EXPECT_EQ(name("c1"), "Name 1");
        // Written through it: it is read again.
        RowState row = rows->load(customer, "c1");
        const auto& f = *customer.field("name");
        protocol::FieldWrite w{f.index, std::string("Renamed"), 0};
        rows->assign(row, f.index, rows->registerFor(f, w, crdt::Clock{200, device}));
        rows->save(customer, "c1", row);
        EXPECT_EQ(rows->readAheadSize(), 599u);
        EXPECT_EQ(name("c1"), "Renamed");
        rows->save(customer, "c3", written("customer", "name", "Now here", 300));
        EXPECT_TRUE(rows->exists(customer, "c3"));
    }
    EXPECT_EQ(rows->readAheadSize(), 0u);
    tx.commit();
}

} // namespace
} // namespace fieldsync::replica::test
