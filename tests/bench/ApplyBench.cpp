// Remote apply: 100,000 field changes from another device through
// Replica::applyRemote, 1,000 records per call (one transaction each, with the
// pull cursor), in two shapes:
//
//   NewRows   10,000 records creating visits, 10 fields each.
//   Updates   100,000 single-field records over 10,000 existing visits (made
//             by an untimed applyRemote of the NewRows records first), rows in
//             a scattered order, fields cycling through 10 lww/text fields.
//
// Records are built in memory before timing; each iteration starts from a
// fresh database file. Only the applyRemote calls are timed ("Time" column =
// all the calls). The plain baseline applies the same records as INSERT
// (new rows) or UPDATE ... WHERE id = ? (updates) to a plain table (the
// 15-column one plus distance_m), 1,000 per transaction, in the same
// iteration. Counters:
//   field_changes    field changes per second (the target: >= 200,000/s)
//   record_us        wall microseconds per record; cpu_record_us: thread CPU
//                    (user + kernel)
//   plain_changes    the plain baseline's field changes per second
//   plain_record_us, plain_cpu_us   the same per record
//   ratio, cpu_ratio replica / plain, wall and CPU
// BM_EncryptedApplyRemote: the same records applied to two replicas, one
// plaintext and one encrypted as on a device, alternating which goes first;
// plain_us / enc_us per record, enc_ratio = encrypted / plaintext (the goal:
// <= 1.15), and CPU. "Time" is the encrypted arm. BM_EncryptedApplyRemoteDiag:
// the updates with a 64 MB page cache on both replicas.
// BM_ApplyRemoteDiag rows are diagnostics, not configurations the Replica
// uses: 10,000 records per call, or both connections with a 64 MB page cache
// instead of SQLite's default 2 MB.
#include "BenchCommon.h"

#include "storage/Transaction.h"

#include <type_traits>
#include <unordered_map>
#include <variant>

namespace fieldsync::bench {
namespace {

using replica::Replica;

constexpr size_t kRows = 10'000;
constexpr size_t kChanges = 100'000;
constexpr size_t kPerCall = 1'000;

struct RemoteData {
    crdt::DeviceId other = replica::newDeviceId();
    std::vector<protocol::ChangeRecord> newRows;   // 10,000 x 10 fields
    std::vector<protocol::ChangeRecord> updates;   // 100,000 x 1 field

    RemoteData()
    {
        crdt::Hlc hlc = crdt::hlcFromMillis(nowMillis() - 3'600'000);
        uint64_t seq = 0;
        const std::string customer = replica::newRowId(nowMillis());
        newRows.reserve(kRows);
        for (size_t i = 0; i < kRows; ++i)
            newRows.push_back(visitRecord(makeVisit(i, customer), replica::newRowId(nowMillis()), {++hlc, other},
                                          ++seq, /*ten=*/true));

        const std::vector<std::pair<const char*, int>> fields = {
            {"rep", 0}, {"outcome", 0}, {"satisfaction", 1}, {"order_amount", 2}, {"purpose", 0},
            {"notes", 0}, {"planned_at", 1}, {"next_follow_up", 1}, {"kind", 3}, {"distance_m", 2}};
        static const char* const kinds[] = {"visit", "follow_up", "complaint", "delivery", "other"};
        updates.reserve(kChanges);
        for (size_t j = 0; j < kChanges; ++j) {
            const auto& row = newRows[(j * 7919) % kRows];  // 7919 is prime: every row, scattered
            const auto& [name, type] = fields[(j / kRows) % fields.size()];
            crdt::Value value;
            switch (type) {
            case 0: value = std::string(name) + " 更新 #" + std::to_string(j); break;
            case 1: value = static_cast<int64_t>(name == std::string_view("satisfaction") ? 1 + j % 5
                                                                                       : 1767225600000 + j * 1000);
                break;
            case 2: value = 100.0 + static_cast<double>(j % 1000) * 0.25; break;
            default: value = std::string(kinds[j % 5]); break;
            }
            protocol::ChangeRecord r;
            r.entity = row.entity;
            r.id = row.id;
            r.clock = {++hlc, other};
            r.seq = ++seq;
            r.seen = seq - 1;
            r.writes.push_back(fieldWrite(name, std::move(value)));
            updates.push_back(std::move(r));
        }
    }
};

const RemoteData& remoteData()
{
    static const RemoteData data;
    return data;
}

size_t fieldCount(std::span<const protocol::ChangeRecord> records)
{
    size_t n = 0;
    for (const auto& r : records) n += r.writes.size();
    return n;
}

// Applies `records` in calls of `perCall`.
void applyInCalls(Replica& replica, std::span<const protocol::ChangeRecord> records, size_t perCall = kPerCall)
{
    for (size_t at = 0; at < records.size(); at += perCall) {
        auto batch = records.subspan(at, std::min(perCall, records.size() - at));
        auto stats = replica.applyRemote(batch, batch.back().seq);
        if (stats.rowsChanged != batch.size()) throw std::runtime_error("a remote record changed nothing");
    }
}

// The plain baseline of the same records: INSERT of the record's columns for
// a new row, UPDATE ... SET <columns> WHERE id = ? otherwise, `perCall`
// statements per transaction, statements cached per column set.
class PlainApplier {
public:
    explicit PlainApplier(storage::Database& db) : m_db(db) {}

    void apply(std::span<const protocol::ChangeRecord> records, bool insert, size_t perCall = kPerCall)
    {
        const auto& e = visitEntity();
        for (size_t at = 0; at < records.size(); at += perCall) {
            storage::Transaction tx(m_db);
            for (size_t k = at; k < std::min(at + perCall, records.size()); ++k) {
                const auto& r = records[k];
                uint64_t mask = 0;
                for (const auto& w : r.writes) mask |= uint64_t{1} << w.field;
                auto& sql = (insert ? m_insert : m_update)[mask];
                if (sql.empty()) {
                    std::string cols, params;
                    for (const auto& w : r.writes) {
                        const auto& name = e.fields[static_cast<size_t>(w.field)].name;
                        cols += (cols.empty() ? "" : ", ") + name + (insert ? "" : " = ?");
                        params += ", ?";
                    }
                    sql = insert ? "INSERT INTO visit (id, " + cols + ") VALUES (?" + params + ")"
                                 : "UPDATE visit SET " + cols + " WHERE id = ?";
                }
                storage::UsingStatement st(m_db.cached(sql));
                int p = 1;
                if (insert) st->bind(p++, r.id);
                for (const auto& w : r.writes) {
                    std::visit(
                        [&](const auto& x) {
                            using T = std::decay_t<decltype(x)>;
                            if constexpr (std::is_same_v<T, std::monostate>) st->bind(p, nullptr);
                            else st->bind(p, x);
                        },
                        w.value);
                    ++p;
                }
                if (!insert) st->bind(p, r.id);
                st->run();
                if (m_db.changes() != 1) throw std::runtime_error("plain statement changed no row");
            }
            tx.commit();
        }
    }

private:
    storage::Database& m_db;
    std::unordered_map<uint64_t, std::string> m_insert, m_update;
};

// state.range(0): 0 = NewRows, 1 = Updates. state.range(1): records per
// applyRemote call (and per plain transaction). state.range(2): page cache of
// both connections in KiB, 0 = SQLite's default (2 MB). Anything but
// (per_call 1000, cache_kib 0) is a diagnostic.
void BM_ApplyRemote(benchmark::State& state)
{
    const bool updates = state.range(0) == 1;
    const auto perCall = static_cast<size_t>(state.range(1));
    const auto cacheKiB = state.range(2);
    state.SetLabel(updates ? "updates" : "new_rows");
    const auto& data = remoteData();
    const auto& timed = updates ? data.updates : data.newRows;
    const size_t changes = fieldCount(timed);
    Meter replicaM, plainM;
    size_t i = 0;
    for (auto _ : state) {
        TempDir dir;
        auto replica = Replica::open(dir.file("replica.db"));
        storage::Database plainDb(dir.file("plain.db"));
        createPlainTable(plainDb, false);
        plainDb.exec("ALTER TABLE visit ADD COLUMN distance_m REAL");
        if (cacheKiB > 0) {
            const std::string pragma = "PRAGMA cache_size = -" + std::to_string(cacheKiB);
            replica->database().exec(pragma);
            plainDb.exec(pragma);
        }
        PlainApplier plain(plainDb);
        if (updates) {  // the existing rows: not timed
            applyInCalls(*replica, data.newRows);
            plain.apply(data.newRows, true);
        }
        double replicaNs = 0;
        auto replicaArm = [&] { replicaNs = replicaM.time([&] { applyInCalls(*replica, timed, perCall); }); };
        auto plainArm = [&] { plainM.time([&] { plain.apply(timed, !updates, perCall); }); };
        if (i++ % 2 == 0) {
            replicaArm();
            plainArm();
        } else {
            plainArm();
            replicaArm();
        }
        state.SetIterationTime(replicaNs / 1e9);
    }
    const double iterations = static_cast<double>(state.iterations());
    const double total = static_cast<double>(changes) * iterations;
    const double records = static_cast<double>(timed.size()) * iterations;
    state.counters["field_changes"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
    state.counters["record_us"] = replicaM.wallNs / 1e3 / records;
    state.counters["cpu_record_us"] = replicaM.cpuNs / 1e3 / records;
    state.counters["plain_changes"] = total / (plainM.wallNs / 1e9);
    state.counters["plain_record_us"] = plainM.wallNs / 1e3 / records;
    state.counters["plain_cpu_us"] = plainM.cpuNs / 1e3 / records;
    state.counters["ratio"] = replicaM.wallNs / plainM.wallNs;
    state.counters["cpu_ratio"] = replicaM.cpuNs / plainM.cpuNs;
}
BENCHMARK(BM_ApplyRemote)
    ->ArgNames({"updates", "per_call", "cache_kib"})
    ->Args({0, 1000, 0})
    ->Args({1, 1000, 0})
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Diagnostics for the updates shape: 10,000 records per call (transaction),
// and a 64 MB page cache on both connections.
void BM_ApplyRemoteDiag(benchmark::State& state) { BM_ApplyRemote(state); }
BENCHMARK(BM_ApplyRemoteDiag)
    ->ArgNames({"updates", "per_call", "cache_kib"})
    ->Args({1, 10000, 0})
    ->Args({1, 1000, 65536})
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// state.range(0): 0 = NewRows, 1 = Updates (1,000 records per call).
// state.range(1): page cache of both replicas in KiB, 0 = SQLite's default
// (2 MB); anything else is a diagnostic.
void BM_EncryptedApplyRemote(benchmark::State& state)
{
    const bool updates = state.range(0) == 1;
    const auto cacheKiB = state.range(1);
    state.SetLabel(updates ? "updates" : "new_rows");
    const auto& data = remoteData();
    const auto& timed = updates ? data.updates : data.newRows;
    Meter plainM, encM;
    size_t i = 0;
    for (auto _ : state) {
        TempDir dir;
        auto plain = Replica::open(dir.file("plain.db"));
        auto encrypted = openEncryptedReplica(dir.file("encrypted.db"));
        if (cacheKiB > 0) {
            const std::string pragma = "PRAGMA cache_size = -" + std::to_string(cacheKiB);
            plain->database().exec(pragma);
            encrypted->database().exec(pragma);
        }
        if (updates) {  // the existing rows: not timed
            applyInCalls(*plain, data.newRows);
            applyInCalls(*encrypted, data.newRows);
        }
        double encNs = 0;
        auto plainArm = [&] { plainM.time([&] { applyInCalls(*plain, timed); }); };
        auto encArm = [&] { encNs = encM.time([&] { applyInCalls(*encrypted, timed); }); };
        if (i++ % 2 == 0) {
            plainArm();
            encArm();
        } else {
            encArm();
            plainArm();
        }
        state.SetIterationTime(encNs / 1e9);
    }
    const double records = static_cast<double>(timed.size()) * static_cast<double>(state.iterations());
    state.counters["field_changes"] =
        benchmark::Counter(static_cast<double>(fieldCount(timed)) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
    reportEncryption(state, records, plainM, encM);
}
BENCHMARK(BM_EncryptedApplyRemote)
    ->ArgNames({"updates", "cache_kib"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Iterations(4)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
void BM_EncryptedApplyRemoteDiag(benchmark::State& state) { BM_EncryptedApplyRemote(state); }
BENCHMARK(BM_EncryptedApplyRemoteDiag)
    ->ArgNames({"updates", "cache_kib"})
    ->Args({1, 65536})
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

} // namespace
} // namespace fieldsync::bench
