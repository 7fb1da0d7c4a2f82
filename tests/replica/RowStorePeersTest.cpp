// Two connections to one replica file (the app's UI and its sync engine):
// the engine commits a row written by a device the UI's connection has never
// seen. Reading that row must not fail as "unknown peer" even when nothing
// told the reader to reload its peer cache first — the race between
// Replica::followFile() and the read that follows it.
#include "ReplicaTestSupport.h"

#include "replica/Migrations.h"
#include "replica/RowStore.h"
#include "storage/Transaction.h"

#include <gtest/gtest.h>

namespace fieldsync::replica::test {
namespace {

class RowStorePeersTest : public ReplicaFixture {};

TEST_F(RowStorePeersTest, ARowFromAPeerAddedByAnotherConnectionReadsWithoutAReload)
{
    storage::Database uiDb(file("r.db")), engineDb(file("r.db"));
    storage::migrate(uiDb, replicaMigrations());
    RowStore ui(uiDb, theSchema()), engine(engineDb, theSchema());

    const auto& customer = *theSchema().entity("customer");
    crdt::DeviceId stranger;
    stranger.bytes.fill(0x5a);
    protocol::FieldWrite w;
    w.field = fieldIndex("customer", "name");
    w.value = std::string("北京昭智教育");
    RowState row = engine.blank(customer);
    engine.assign(row, w.field, engine.registerFor(*customer.field("name"), w, crdt::Clock{kBaseMs << 16, stranger}));
    {
        storage::Transaction tx(engineDb);
        engine.save(customer, "c1", row);
        tx.commit();
    }

    // The UI's RowStore cached the peer table before the engine's commit.
    RowState seen = ui.load(customer, "c1");
    ASSERT_TRUE(seen.exists);
    std::vector<protocol::ChangeRecord> records;
    ASSERT_NO_THROW(ui.exportRow(customer, "c1", records));
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].clock.device, stranger);
    EXPECT_NE(ui.dump().dump().find(stranger.hex()), std::string::npos);
}

} // namespace
} // namespace fieldsync::replica::test
