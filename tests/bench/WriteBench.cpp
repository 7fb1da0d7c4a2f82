// Local visit writes: Replica::create against INSERTs of the same values
// into a plain table through the same storage wrapper.
//
// The plain table is the replica's visit table without what sync adds: the
// same columns and the same index on customer (any visits table is queried by
// customer), minus `_clocks`, `status_gen` and the outbox. So `ratio` is the
// cost of sync. `ratio_noidx` compares with a table that has no secondary
// index at all, for the record.
//
// Each arm has its own database file (WAL, synchronous=NORMAL, as storage::
// Database opens every file) in one temporary directory. The arms run
// interleaved in the same process and are timed separately with steady_clock,
// so the ratios come from the same minutes of a shared machine. The "Time"
// column is the replica arm (per write, or per 1,000 writes).
//
// Counters (per write, microseconds):
//   replica_us     Replica::create("visit", Write with 15 fields)
//   plain_us       INSERT of the same values into the plain table
//   noidx_us       the same into a table without the customer index
//   ratio          replica_us / plain_us           (the target: <= 1.5)
//   ratio_noidx    replica_us / noidx_us
//   replica_cpu_us, plain_cpu_us, cpu_ratio
//                  the same on thread CPU time, user + kernel (the rest of
//                  the wall time is waiting: for checkpoint fsyncs, or for a
//                  core on a loaded machine)
//
// BM_EncryptedVisitWrite_*: the same writes into two replicas, one plaintext
// and one encrypted as on a device (BenchCommon.h, openEncryptedReplica),
// interleaved the same way. Counters: plain_us, enc_us, enc_ratio = encrypted
// / plaintext (the goal: <= 1.15), and their CPU times. "Time" is the
// encrypted arm.
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
    Database plainNoIdx{dir.file("plain_noidx.db")};

    Arms()
    {
        createPlainTable(plain, true);
        createPlainTable(plainNoIdx, false);
    }
};

void reportWrites(benchmark::State& state, double writesPerIteration, const Meter& replica, const Meter& plain,
                  const Meter& noIdx)
{
    const double writes = static_cast<double>(state.iterations()) * writesPerIteration;
    state.counters["replica_us"] = replica.wallNs / 1e3 / writes;
    state.counters["plain_us"] = plain.wallNs / 1e3 / writes;
    state.counters["noidx_us"] = noIdx.wallNs / 1e3 / writes;
    state.counters["ratio"] = replica.wallNs / plain.wallNs;
    state.counters["ratio_noidx"] = replica.wallNs / noIdx.wallNs;
    state.counters["replica_cpu_us"] = replica.cpuNs / 1e3 / writes;
    state.counters["plain_cpu_us"] = plain.cpuNs / 1e3 / writes;
    state.counters["cpu_ratio"] = replica.cpuNs / plain.cpuNs;
}

// 1. One write, one transaction, in every arm.
void BM_VisitWrite_Single(benchmark::State& state)
{
    Arms a;
    Meter replica, plain, noIdx;
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
            plainArm(a.plainNoIdx, noIdx);
        } else {
            plainArm(a.plainNoIdx, noIdx);
            plainArm(a.plain, plain);
            replicaArm();
        }
        state.SetIterationTime(replicaNs / 1e9);
        ++i;
    }
    reportWrites(state, 1, replica, plain, noIdx);
}
BENCHMARK(BM_VisitWrite_Single)->Iterations(8000)->UseManualTime()->Unit(benchmark::kMicrosecond);

// 2. 1,000 writes in one transaction in every arm: Replica::batch() for the
// replica (each write still gets its own clock and outbox record).
void BM_VisitWrite_Batch1000(benchmark::State& state)
{
    constexpr size_t kBatch = 1000;
    Arms a;
    Meter replica, plain, noIdx;
    size_t i = 0;
    for (auto _ : state) {
        std::vector<Visit> visits;
        visits.reserve(kBatch);
        for (size_t k = 0; k < kBatch; ++k) visits.push_back(makeVisit(i + k, a.customer));
        auto replicaArm = [&] {
            return replica.time([&] {
                auto st = a.replica->batch([&]() -> Status {
                    for (const auto& v : visits) {
                        auto id = a.replica->create("visit", toWrite(v));
                        if (!id) return id.error();
                    }
                    return Ok{};
                });
                if (!st) throw std::runtime_error("batch failed: " + st.error().message);
            });
        };
        auto plainArm = [&](Database& db, Meter& m) {
            m.time([&] {
                Transaction tx(db);
                for (const auto& v : visits) insertPlain(db, replica::newRowId(nowMillis()), v);
                tx.commit();
            });
        };
        double replicaNs = 0;
        if ((i / kBatch) % 2 == 0) {
            replicaNs = replicaArm();
            plainArm(a.plain, plain);
            plainArm(a.plainNoIdx, noIdx);
        } else {
            plainArm(a.plainNoIdx, noIdx);
            plainArm(a.plain, plain);
            replicaNs = replicaArm();
        }
        i += kBatch;
        state.SetIterationTime(replicaNs / 1e9);
    }
    reportWrites(state, kBatch, replica, plain, noIdx);
}
BENCHMARK(BM_VisitWrite_Batch1000)->Iterations(12)->UseManualTime()->Unit(benchmark::kMillisecond);

// The encrypted-vs-plaintext replica comparisons. `batch` writes per
// iteration, in one transaction (Replica::batch) when more than one.
void encryptedWrites(benchmark::State& state, size_t batch)
{
    TempDir dir;
    auto plain = Replica::open(dir.file("plain.db"));
    auto encrypted = openEncryptedReplica(dir.file("encrypted.db"));
    const std::string plainCustomer = createCustomer(*plain), encCustomer = createCustomer(*encrypted);
    Meter plainM, encM;
    size_t i = 0;
    for (auto _ : state) {
        auto arm = [&](Replica& r, const std::string& customer, Meter& m) {
            std::vector<Visit> visits;
            visits.reserve(batch);
            for (size_t k = 0; k < batch; ++k) visits.push_back(makeVisit(i + k, customer));
            return m.time([&] {
                auto write = [&]() -> Status {
                    for (const auto& v : visits) {
                        auto id = r.create("visit", toWrite(v));
                        if (!id) return id.error();
                    }
                    return Ok{};
                };
                auto st = batch == 1 ? write() : r.batch(write);
                if (!st) throw std::runtime_error("write failed: " + st.error().message);
            });
        };
        double encNs = 0;
        if ((i / batch) % 2 == 0) {
            arm(*plain, plainCustomer, plainM);
            encNs = arm(*encrypted, encCustomer, encM);
        } else {
            encNs = arm(*encrypted, encCustomer, encM);
            arm(*plain, plainCustomer, plainM);
        }
        i += batch;
        state.SetIterationTime(encNs / 1e9);
    }
    reportEncryption(state, static_cast<double>(state.iterations() * batch), plainM, encM);
}

void BM_EncryptedVisitWrite_Single(benchmark::State& state) { encryptedWrites(state, 1); }
BENCHMARK(BM_EncryptedVisitWrite_Single)->Iterations(8000)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_EncryptedVisitWrite_Batch1000(benchmark::State& state) { encryptedWrites(state, 1000); }
BENCHMARK(BM_EncryptedVisitWrite_Batch1000)->Iterations(12)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace
} // namespace fieldsync::bench
