// Shared pieces of the fieldsync benchmarks: a temporary directory on disk,
// one realistic visit (the same values for the replica and for the plain
// table), the plain table itself, and change records from another device.
//
// The plain baseline goes through the same storage wrapper (Database,
// cached Statement, Transaction) as the replica, so a ratio between the two
// measures what the sync layer adds, not differences in SQLite access.
#pragma once

#include "crdt/Clock.h"
#include "crdt/Value.h"
#include "protocol/ChangeRecord.h"
#include "replica/Ids.h"
#include "replica/Replica.h"
#include "schema/Schema.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <time.h>
#include <vector>

namespace fieldsync::bench {

// A fresh directory under $TMPDIR (or /tmp), removed with its files.
class TempDir {
public:
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "fieldsync-bench-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// A replica encrypted as devices keep theirs (storage/Encryption.h): a fresh
// random key, ChaCha20-Poly1305 on every page of the file and its WAL.
inline std::unique_ptr<replica::Replica> openEncryptedReplica(const std::string& path)
{
    replica::Replica::Options options;
    options.key = replica::newReplicaKey();
    return replica::Replica::open(path, std::move(options));
}

// The counters of an encrypted-vs-plaintext replica comparison, per unit of
// `units` (writes or records): plain_us, enc_us, enc_ratio (the goal: <=
// 1.15), and the same on thread CPU time (enc_cpu_ratio).
template <typename M>
void reportEncryption(benchmark::State& state, double units, const M& plain, const M& encrypted)
{
    state.counters["plain_us"] = plain.wallNs / 1e3 / units;
    state.counters["enc_us"] = encrypted.wallNs / 1e3 / units;
    state.counters["enc_ratio"] = encrypted.wallNs / plain.wallNs;
    state.counters["plain_cpu_us"] = plain.cpuNs / 1e3 / units;
    state.counters["enc_cpu_us"] = encrypted.cpuNs / 1e3 / units;
    state.counters["enc_cpu_ratio"] = encrypted.cpuNs / plain.cpuNs;
}

inline int64_t nowMillis()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

using Clock = std::chrono::steady_clock;

inline double elapsedNs(Clock::time_point from, Clock::time_point to)
{
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count());
}

// CPU time of the calling thread: with the wall time it shows how much of a
// write is spent waiting for the disk.
inline double threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Wall and CPU nanoseconds accumulated over several timed calls.
struct Meter {
    double wallNs = 0, cpuNs = 0;

    template <typename F>
    double time(F&& f)
    {
        const double c0 = threadCpuNs();
        const auto t0 = Clock::now();
        f();
        const double wall = elapsedNs(t0, Clock::now());
        wallNs += wall;
        cpuNs += threadCpuNs() - c0;
        return wall;
    }
};

// One completed visit: the 15 fields a rep fills in on a typical visit.
struct Visit {
    std::string customer;
    std::string rep;
    std::string kind;
    int64_t plannedAt = 0;
    int64_t checkinAt = 0;
    double checkinLat = 0, checkinLng = 0, checkinAccuracy = 0;
    std::string purpose;
    std::string notes;
    std::string outcome;
    int64_t satisfaction = 0;
    int64_t nextFollowUp = 0;
    double orderAmount = 0;
    std::string status;
};

inline Visit makeVisit(size_t i, const std::string& customer)
{
    static const char* const reps[] = {"张伟", "李娜", "王芳", "刘洋", "陈静", "zhao.lei"};
    static const char* const kinds[] = {"visit", "follow_up", "complaint", "delivery", "other"};
    static const char* const purposes[] = {"季度回访，确认二季度订单", "新品演示与报价", "处理投诉：送货延迟",
                                           "收款及对账"};
    static const char* const outcomes[] = {"已达成初步意向，等待报价", "客户需要内部审批", "已下单",
                                           "问题已解决，客户满意"};
    const int64_t base = 1767225600000;  // 2026-01-01
    Visit v;
    v.customer = customer;
    v.rep = reps[i % 6];
    v.kind = kinds[i % 5];
    v.plannedAt = base + static_cast<int64_t>(i) * 60'000;
    v.checkinAt = v.plannedAt + 300'000 + static_cast<int64_t>(i % 97) * 1000;
    v.checkinLat = 31.2304 + static_cast<double>(i % 1000) * 1e-4;
    v.checkinLng = 121.4737 + static_cast<double>(i % 777) * 1e-4;
    v.checkinAccuracy = 8.5 + static_cast<double>(i % 20);
    v.purpose = purposes[i % 4];
    v.notes = "客户对新款冷链设备很感兴趣，要求下周三前提供报价单和两台样机；仓库主管反映上次送货延迟了两天，"
              "需要物流部门跟进。Visit #" + std::to_string(i);
    v.outcome = outcomes[i % 4];
    v.satisfaction = 1 + static_cast<int64_t>(i % 5);
    v.nextFollowUp = v.plannedAt + 7 * 86'400'000LL;
    v.orderAmount = 12800.0 + static_cast<double>(i % 100) * 37.5;
    v.status = "completed";
    return v;
}

inline replica::Write toWrite(const Visit& v)
{
    replica::Write w;
    w.set("customer", v.customer)
        .set("rep", v.rep)
        .set("kind", v.kind)
        .set("planned_at", v.plannedAt)
        .set("checkin_at", v.checkinAt)
        .set("checkin_lat", v.checkinLat)
        .set("checkin_lng", v.checkinLng)
        .set("checkin_accuracy", v.checkinAccuracy)
        .set("purpose", v.purpose)
        .set("notes", v.notes)
        .set("outcome", v.outcome)
        .set("satisfaction", v.satisfaction)
        .set("next_follow_up", v.nextFollowUp)
        .set("order_amount", v.orderAmount)
        .set("status", v.status);
    return w;
}

// The plain table: id + the same 15 columns with the replica's column types
// (core/replica/Migrations.cpp), no sync metadata. `withIndex` adds the index
// the replica's visit table has on customer (visit_customer).
inline void createPlainTable(storage::Database& db, bool withIndex)
{
    db.exec("CREATE TABLE visit ("
            " id TEXT PRIMARY KEY,"
            " customer TEXT, rep TEXT, kind TEXT, planned_at INTEGER,"
            " checkin_at INTEGER, checkin_lat REAL, checkin_lng REAL, checkin_accuracy REAL,"
            " purpose TEXT, notes TEXT, outcome TEXT, satisfaction INTEGER, next_follow_up INTEGER,"
            " order_amount REAL, status TEXT)");
    if (withIndex) db.exec("CREATE INDEX visit_customer ON visit (customer)");
}

inline void insertPlain(storage::Database& db, const std::string& id, const Visit& v)
{
    storage::UsingStatement st(db.cached(
        "INSERT INTO visit (id, customer, rep, kind, planned_at, checkin_at, checkin_lat, checkin_lng, "
        "checkin_accuracy, purpose, notes, outcome, satisfaction, next_follow_up, order_amount, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->bind(1, id).bind(2, v.customer).bind(3, v.rep).bind(4, v.kind).bind(5, v.plannedAt).bind(6, v.checkinAt)
        .bind(7, v.checkinLat).bind(8, v.checkinLng).bind(9, v.checkinAccuracy).bind(10, v.purpose)
        .bind(11, v.notes).bind(12, v.outcome).bind(13, v.satisfaction).bind(14, v.nextFollowUp)
        .bind(15, v.orderAmount).bind(16, v.status);
    st->run();
}

inline const schema::EntityDef& visitEntity()
{
    return *schema::fieldsyncSchema().entity("visit");
}

inline int visitField(std::string_view name)
{
    const auto* f = visitEntity().field(name);
    if (!f) throw std::logic_error("no visit field " + std::string(name));
    return f->index;
}

inline protocol::FieldWrite fieldWrite(std::string_view name, crdt::Value value)
{
    return protocol::FieldWrite{visitField(name), std::move(value), 0};
}

// A remote record creating a visit with every field of `v` (15 fields), or
// only the first ten listed in `kTenFields` order when `ten` is set.
inline protocol::ChangeRecord visitRecord(const Visit& v, std::string id, crdt::Clock clock, uint64_t seq,
                                          bool ten = false)
{
    protocol::ChangeRecord r;
    r.entity = visitEntity().code;
    r.id = std::move(id);
    r.clock = clock;
    r.seen = seq > 0 ? seq - 1 : 0;
    r.seq = seq;
    auto& w = r.writes;
    w.push_back(fieldWrite("customer", v.customer));
    w.push_back(fieldWrite("rep", v.rep));
    w.push_back(fieldWrite("kind", v.kind));
    w.push_back(fieldWrite("planned_at", v.plannedAt));
    w.push_back(fieldWrite("purpose", v.purpose));
    w.push_back(fieldWrite("notes", v.notes));
    w.push_back(fieldWrite("outcome", v.outcome));
    w.push_back(fieldWrite("satisfaction", v.satisfaction));
    w.push_back(fieldWrite("order_amount", v.orderAmount));
    w.push_back(fieldWrite("status", v.status));
    if (!ten) {
        w.push_back(fieldWrite("checkin_at", v.checkinAt));
        w.push_back(fieldWrite("checkin_lat", v.checkinLat));
        w.push_back(fieldWrite("checkin_lng", v.checkinLng));
        w.push_back(fieldWrite("checkin_accuracy", v.checkinAccuracy));
        w.push_back(fieldWrite("next_follow_up", v.nextFollowUp));
    }
    return r;
}

// Creates the customer every visit refers to; returns its id.
inline std::string createCustomer(replica::Replica& r)
{
    auto id = r.create("customer", replica::Write()
                                       .set("name", std::string("上海锦华贸易有限公司"))
                                       .set("phone", std::string("021-5555-0101"))
                                       .set("region", std::string("华东"))
                                       .set("level", std::string("A")));
    if (!id) throw std::runtime_error("creating the customer failed: " + id.error().message);
    return *id;
}

} // namespace fieldsync::bench
