// File size once synced: 20,000 visits written through the Replica, pushed to
// a Hub and acknowledged (outbox empty), then checkpointed (TRUNCATE) and
// VACUUMed, against a plain table holding the same 20,000 rows (same ids,
// same values), compacted the same way. One iteration.
//
// Counters (bytes per visit row = file size / 20,000):
//   replica_B      the replica's file (schema of every entity, meta, peer, the
//                  customer row, the visit table and its indexes)
//   plain_B        plain table, no secondary index
//   plain_idx_B    plain table with the replica's index on customer
//   ratio          replica_B / plain_B              (the target: <= 1.5)
//   ratio_idx      replica_B / plain_idx_B
// Where the replica's bytes are (dbstat, per row):
//   r_table_B      visit table b-tree           p_table_B  the same, plain
//   r_pk_B         its id index (TEXT PRIMARY KEY on a rowid table)
//   r_cust_idx_B   visit_customer index
//   r_rest_B       every other page in the file
//   clocks_B       average length of the _clocks column
#include "BenchCommon.h"

#include "replica/Hub.h"
#include "storage/Transaction.h"

#include <map>

namespace fieldsync::bench {
namespace {

using replica::Hub;
using replica::Replica;
using storage::Database;

constexpr size_t kVisits = 20'000;

// Checkpoints, vacuums and checkpoints again (VACUUM itself goes through the
// WAL); returns the main file's size.
double compact(Database& db)
{
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.exec("VACUUM");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return static_cast<double>(std::filesystem::file_size(db.path()));
}

// Bytes per b-tree (table or index name) in the file.
std::map<std::string, double> pagesByName(Database& db)
{
    std::map<std::string, double> out;
    storage::Statement st(db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name");
    while (st.step()) out[st.getText(0)] = static_cast<double>(st.getInt(1));
    return out;
}

double plainFile(TempDir& dir, const char* name, bool withIndex, const std::vector<std::string>& ids,
                 const std::string& customer, double* tableBytes)
{
    Database db(dir.file(name));
    createPlainTable(db, withIndex);
    storage::Transaction tx(db);
    for (size_t i = 0; i < ids.size(); ++i) insertPlain(db, ids[i], makeVisit(i, customer));
    tx.commit();
    const double size = compact(db);
    if (tableBytes) *tableBytes = pagesByName(db)["visit"];
    return size;
}

void BM_FileSize_Synced(benchmark::State& state)
{
    for (auto _ : state) {
        TempDir dir;
        auto replica = Replica::open(dir.file("replica.db"));
        auto hub = Hub::open(dir.file("hub.db"));
        const std::string customer = createCustomer(*replica);
        std::vector<std::string> ids;
        ids.reserve(kVisits);
        for (size_t i = 0; i < kVisits; ++i) {
            auto id = replica->create("visit", toWrite(makeVisit(i, customer)));
            if (!id) throw std::runtime_error("create failed: " + id.error().message);
            ids.push_back(*id);
        }
        for (;;) {
            auto batch = replica->pending(1000);
            if (batch.records.empty()) break;
            auto pushed = hub->push(replica->deviceId(), batch.after, batch.records);
            if (!pushed) throw std::runtime_error("push failed: " + pushed.error().message);
            replica->acknowledge(pushed->acked);
        }
        if (replica->pendingCount() != 0) throw std::runtime_error("outbox not empty after sync");

        const double replicaBytes = compact(replica->database());
        auto pages = pagesByName(replica->database());
        double clocks = 0;
        {
            storage::Statement st(replica->database(), "SELECT avg(length(_clocks)) FROM visit");
            st.step();
            clocks = st.getDouble(0);
        }
        double plainTable = 0;
        const double plainBytes = plainFile(dir, "plain.db", false, ids, customer, &plainTable);
        const double plainIdxBytes = plainFile(dir, "plain_idx.db", true, ids, customer, nullptr);

        const double n = static_cast<double>(kVisits);
        const double rTable = pages["visit"], rPk = pages["sqlite_autoindex_visit_1"],
                     rCust = pages["visit_customer"];
        state.counters["replica_B"] = replicaBytes / n;
        state.counters["plain_B"] = plainBytes / n;
        state.counters["plain_idx_B"] = plainIdxBytes / n;
        state.counters["ratio"] = replicaBytes / plainBytes;
        state.counters["ratio_idx"] = replicaBytes / plainIdxBytes;
        state.counters["r_table_B"] = rTable / n;
        state.counters["p_table_B"] = plainTable / n;
        state.counters["r_pk_B"] = rPk / n;
        state.counters["r_cust_idx_B"] = rCust / n;
        state.counters["r_rest_B"] = (replicaBytes - rTable - rPk - rCust) / n;
        state.counters["clocks_B"] = clocks;
    }
}
BENCHMARK(BM_FileSize_Synced)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace
} // namespace fieldsync::bench
