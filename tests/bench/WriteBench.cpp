// Local visit writes: Replica::create (one transaction per write, the only
// local write API there is) against INSERTs of the same values into a plain
// table through the same storage wrapper.
//
// Each arm has its own database file (WAL, synchronous=NORMAL, as storage::
// Database opens every file) in one temporary directory. The arms run
// interleaved in the same process and are timed separately with steady_clock,
// so the ratios come from the same minutes of a shared machine. The "Time"
// column is the replica arm (per write, or per 1,000 writes).
//
// Counters (per write, microseconds):
//   replica_us     Replica::create("visit", Write with 15 fields)
//   plain_us       INSERT of the same values, table without secondary index
//   plain_idx_us   the same with the replica's index on customer (informative:
//                  separates the cost of that schema choice from sync)
//   ratio          replica_us / plain_us           (the target: <= 1.5)
//   ratio_idx      replica_us / plain_idx_us
//   replica_cpu_us, plain_cpu_us, cpu_ratio
//                  the same on thread CPU time, user + kernel (the rest of
//                  the wall time is waiting: for checkpoint fsyncs, or for a
//                  core on a loaded machine)
// Batched only:
//   apply_us       applyRemote of 1,000 15-field visit records in one call
//                  (one transaction): a stand-in for what a batched local write
//                  could cost, since Replica has no batch write API
//   ratio_apply    apply_us / plain_us; cpu_ratio_apply: the same on CPU time
#include "BenchCommon.h"

#include "storage/Transaction.h"

namespace fieldsync::bench {
namespace {

using replica::Replica;
using storage::Database;
using storage::Transaction;

struct Arms {
    TempDir dir;
    std::unique_ptr<Replica> replica = Replica::open(dir.file("replica.db"));
    std::string customer = createCustomer(*replica);
    Database plain{dir.file("plain.db")};
    Database plainIdx{dir.file("plain_idx.db")};

    Arms()
    {
        createPlainTable(plain, false);
        createPlainTable(plainIdx, true);
    }
};

void reportWrites(benchmark::State& state, double writesPerIteration, const Meter& replica, const Meter& plain,
                  const Meter& plainIdx)
{
    const double writes = static_cast<double>(state.iterations()) * writesPerIteration;
    state.counters["replica_us"] = replica.wallNs / 1e3 / writes;
    state.counters["plain_us"] = plain.wallNs / 1e3 / writes;
    state.counters["plain_idx_us"] = plainIdx.wallNs / 1e3 / writes;
    state.counters["ratio"] = replica.wallNs / plain.wallNs;
    state.counters["ratio_idx"] = replica.wallNs / plainIdx.wallNs;
    state.counters["replica_cpu_us"] = replica.cpuNs / 1e3 / writes;
    state.counters["plain_cpu_us"] = plain.cpuNs / 1e3 / writes;
    state.counters["cpu_ratio"] = replica.cpuNs / plain.cpuNs;
}

// 1. One write, one transaction, in every arm.
void BM_VisitWrite_Single(benchmark::State& state)
{
    Arms a;
    Meter replica, plain, plainIdx;
    size_t i = 0;
    for (auto _ : state) {
        const Visit v = makeVisit(i, a.customer);
        double replicaNs = 0;
        auto replicaArm = [&] {
            replicaNs = replica.time([&] {
                auto id = a.replica->create("visit", toWrite(v));
                if (!id) throw std::runtime_error("create failed: " + id.error().message);
            });
        };
        auto plainArm = [&](Database& db, Meter& m) {
            m.time([&] {
                Transaction tx(db);
                insertPlain(db, replica::newRowId(nowMillis()), v);
                tx.commit();
            });
        };
        if (i % 2 == 0) {
            replicaArm();
            plainArm(a.plain, plain);
            plainArm(a.plainIdx, plainIdx);
        } else {
            plainArm(a.plainIdx, plainIdx);
            plainArm(a.plain, plain);
            replicaArm();
        }
        state.SetIterationTime(replicaNs / 1e9);
        ++i;
    }
    reportWrites(state, 1, replica, plain, plainIdx);
}
BENCHMARK(BM_VisitWrite_Single)->Iterations(8000)->UseManualTime()->Unit(benchmark::kMicrosecond);

// 2. 1,000 writes: the replica can only do them one transaction each (create()
// opens its own Transaction, and Transaction refuses nesting); the plain
// tables take all 1,000 in one transaction. The applyRemote arm shows what the
// replica's row machinery costs when 1,000 rows do share one transaction.
void BM_VisitWrite_Batch1000(benchmark::State& state)
{
    constexpr size_t kBatch = 1000;
    Arms a;
    auto proxy = Replica::open(a.dir.file("apply.db"));
    const crdt::DeviceId other = replica::newDeviceId();
    crdt::Hlc hlc = crdt::hlcFromMillis(nowMillis() - 3'600'000);
    uint64_t seq = 0;

    Meter replica, plain, plainIdx, apply;
    size_t i = 0;
    for (auto _ : state) {
        std::vector<Visit> visits;
        std::vector<protocol::ChangeRecord> records;
        visits.reserve(kBatch);
        records.reserve(kBatch);
        for (size_t k = 0; k < kBatch; ++k) {
            visits.push_back(makeVisit(i + k, a.customer));
            records.push_back(visitRecord(visits.back(), replica::newRowId(nowMillis()), {++hlc, other}, ++seq));
        }
        i += kBatch;

        const double replicaNs = replica.time([&] {
            for (const auto& v : visits) {
                auto id = a.replica->create("visit", toWrite(v));
                if (!id) throw std::runtime_error("create failed: " + id.error().message);
            }
        });
        for (auto [db, m] : {std::pair{&a.plain, &plain}, std::pair{&a.plainIdx, &plainIdx}}) {
            m->time([&] {
                Transaction tx(*db);
                for (const auto& v : visits) insertPlain(*db, replica::newRowId(nowMillis()), v);
                tx.commit();
            });
        }
        apply.time([&] {
            auto stats = proxy->applyRemote(records, seq);
            if (stats.rowsChanged != kBatch) throw std::runtime_error("applyRemote changed fewer rows than expected");
        });
        state.SetIterationTime(replicaNs / 1e9);
    }
    reportWrites(state, kBatch, replica, plain, plainIdx);
    const double writes = static_cast<double>(state.iterations()) * kBatch;
    state.counters["apply_us"] = apply.wallNs / 1e3 / writes;
    state.counters["ratio_apply"] = apply.wallNs / plain.wallNs;
    state.counters["cpu_ratio_apply"] = apply.cpuNs / plain.cpuNs;
}
BENCHMARK(BM_VisitWrite_Batch1000)->Iterations(12)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace
} // namespace fieldsync::bench
