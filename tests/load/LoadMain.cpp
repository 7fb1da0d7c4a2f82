// fieldsync_load: the sync server under load, in-process, over real HTTP.
//
//   fieldsync_load [--devices N] [--rounds R] [--threads T] [--websockets K]
//                  [--skip-bootstrap] [--skip-websockets] [--json]
//                  [--store postgres://USER@HOST:PORT/DATABASE [--instances N]]
//
// Each phase starts its own server (Hub + Accounts with the minimum Argon2id
// cost + SyncApi + net::Server on 127.0.0.1:0, 2 io threads as `serve`) on a
// store of its own: a fresh temporary directory (SQLite, the default), or
// with --store a fresh database created on that PostgreSQL server (the URL's
// database is only used to create and drop it) and removed afterwards. With
// --instances N (PostgreSQL only), N such servers share the database, each
// with its PokeRelay, as N `serve` processes would; devices are spread round
// robin over them. Phase 1 also reports the CPU of the servers, of the
// simulated devices and (on this machine) of PostgreSQL, and what the
// database's backends were doing (pg_stat_activity, sampled).
//  1. throughput: N rep devices (one team, plus a manager user) log in over
//     HTTP, create one customer each, then for R rounds each push 100 change
//     records (90 ten-field visits + 10 two-field customer updates) and pull
//     (limit 500) in one /v1/sync, from T client threads. Simulated devices:
//     ChangeRecords built directly, per-device DeviceId and HLC, acked mark and
//     cursor tracked from the responses. Field changes merged are the
//     server's own count (fieldsync_changes_merged_total from /metrics).
//  2. bootstrap: 20,000 customers + 100,000 visits pushed straight into the
//     Hub (4 fake devices, 5,000 per push), then a fresh manager device with a
//     real Replica on disk logs in and pulls everything through SyncClient
//     (pull limit 5,000) over HTTP.
//  3. idle WebSockets: K device tokens; a forked child process opens K
//     WebSockets (so the parent's RSS is the server's, not the clients'),
//     then one pool customer is pushed and every socket must get the poke.
//     The sockets are on the first instance, the push goes to the last.
// RSS figures are this process's (/proc/self/status), which holds the server;
// in phases 1 and 2 it also holds the client side (curl handles, threads).
#include "LoadWs.h"

#include "api/Metrics.h"
#include "api/SyncApi.h"
#include "net/Server.h"
#include "protocol/ChangeRecord.h"
#include "replica/Hub.h"
#include "replica/Replica.h"
#include "schema/Schema.h"
#include "storage-pg/PgConnection.h"
#include "storage/Statement.h"
#include "store/Accounts.h"
#include "stores/PokeRelay.h"
#include "stores/Stores.h"
#include "sync/CurlTransport.h"
#include "sync/SyncClient.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fieldsync::load {
namespace {

using nlohmann::json;
using Clk = std::chrono::steady_clock;
namespace fs = std::filesystem;

const char* const kPassword = "load-test-password";

double secondsSince(Clk::time_point t) { return std::chrono::duration<double>(Clk::now() - t).count(); }

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// kB from /proc/self/status ("VmRSS", "VmHWM").
long procStatusKb(const char* key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(key);
    while (std::getline(in, line))
        if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') return std::stol(line.substr(n + 1));
    return -1;
}

std::string rowId(uint32_t a, uint64_t b)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-7%03x-8%03x-%012llx", a, static_cast<unsigned>((b >> 48) & 0xffff),
                  static_cast<unsigned>((b >> 36) & 0xfff), static_cast<unsigned>((b >> 24) & 0xfff) ,
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
}

crdt::DeviceId deviceIdFor(uint32_t salt, uint32_t n)
{
    static std::mt19937_64 rng(std::random_device{}());
    crdt::DeviceId d;
    uint64_t r = rng();
    for (int i = 0; i < 8; ++i) d.bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(r >> (8 * i));
    for (int i = 0; i < 4; ++i) d.bytes[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(salt >> (8 * i));
    for (int i = 0; i < 4; ++i) d.bytes[static_cast<size_t>(12 + i)] = static_cast<uint8_t>(n >> (8 * i));
    return d;
}

const schema::Schema& S() { return schema::fieldsyncSchema(); }
int entityCode(const char* name) { return S().entity(name)->code; }
int fieldIndex(const char* entity, const char* field) { return S().entity(entity)->field(field)->index; }

// Record builders. Every record gets the next clock of its device.
struct FakeDevice {
    crdt::DeviceId id;
    crdt::Hlc last = 0;
    uint64_t rows = 0;
    crdt::Clock next()
    {
        last = std::max(last + 1, crdt::hlcFromMillis(nowMs()));
        return {last, id};
    }
};

protocol::ChangeRecord customerCreate(FakeDevice& d, const std::string& id, const std::string& owner, uint64_t seen)
{
    static const int e = entityCode("customer");
    protocol::ChangeRecord r;
    r.entity = e;
    r.id = id;
    r.clock = d.next();
    r.seen = seen;
    r.writes = {{fieldIndex("customer", "name"), std::string("Customer ") + id.substr(0, 8), 0},
                {fieldIndex("customer", "owner"), owner, 0},
                {fieldIndex("customer", "region"), std::string("north"), 0},
                {fieldIndex("customer", "level"), std::string("B"), 0},
                {fieldIndex("customer", "phone"), std::string("+86 21 5555 0100"), 0}};
    return r;
}

protocol::ChangeRecord customerUpdate(FakeDevice& d, const std::string& id, uint64_t seen, uint64_t n)
{
    static const int e = entityCode("customer");
    static const char* levels[] = {"A", "B", "C", "D"};
    protocol::ChangeRecord r;
    r.entity = e;
    r.id = id;
    r.clock = d.next();
    r.seen = seen;
    r.writes = {{fieldIndex("customer", "level"), std::string(levels[n % 4]), 0},
                {fieldIndex("customer", "annual_sales"), 1000.0 + static_cast<double>(n), 0}};
    return r;
}

protocol::ChangeRecord visit(FakeDevice& d, const std::string& id, const std::string& customer,
                             const std::string& rep, uint64_t seen, uint64_t n)
{
    static const int e = entityCode("visit");
    protocol::ChangeRecord r;
    r.entity = e;
    r.id = id;
    r.clock = d.next();
    r.seen = seen;
    r.writes = {{fieldIndex("visit", "customer"), customer, 0},
                {fieldIndex("visit", "rep"), rep, 0},
                {fieldIndex("visit", "kind"), std::string("visit"), 0},
                {fieldIndex("visit", "planned_at"), int64_t{1795305600000} + static_cast<int64_t>(n) * 60000, 0},
                {fieldIndex("visit", "purpose"), std::string("quarterly review"), 0},
                {fieldIndex("visit", "notes"), std::string("Met the buyer; discussed the spring order."), 0},
                {fieldIndex("visit", "outcome"), std::string("order expected"), 0},
                {fieldIndex("visit", "satisfaction"), static_cast<int64_t>(1 + n % 5), 0},
                {fieldIndex("visit", "order_amount"), 250.0 + static_cast<double>(n % 100), 0},
                {fieldIndex("visit", "distance_m"), 12.5, 0}};
    return r;
}

size_t fieldCount(const std::vector<protocol::ChangeRecord>& rs)
{
    size_t n = 0;
    for (const auto& r : rs) n += r.writes.size() + r.setOps.size();
    return n;
}

// Where the load runs: SQLite in a temporary directory (one instance), or
// PostgreSQL (--store URL; any number of instances on one database).
struct StoreChoice {
    std::string pgUrl;  // empty: SQLite
    size_t instances = 1;
};

// `url` with its database (the path after host:port) replaced by `database`.
std::string withDatabase(const std::string& url, const std::string& database)
{
    const size_t scheme = url.find("://");
    const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    const size_t query = url.find('?', slash == std::string::npos ? 0 : slash);
    std::string head = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
    std::string tail = query == std::string::npos ? std::string() : url.substr(query);
    return head + "/" + database + tail;
}

// One server instance, as `fieldsync-server serve` assembles it: Hub,
// Accounts, SyncApi with its pull readers, net::Server with 2+ io threads,
// and on PostgreSQL the PokeRelay, so pokes reach every instance's sockets.
struct Instance {
    std::unique_ptr<replica::Hub> hub;
    std::unique_ptr<server::Accounts> accounts;
    server::Metrics metrics;
    std::unique_ptr<server::SyncApi> api;
    std::unique_ptr<server::Server> net;
    std::unique_ptr<server::PokeRelay> relay;

    Instance(const server::StoreLocation& store, int threads)
    {
        hub = server::openHub(store);
        server::Accounts::Options ao;
        ao.opsLimit = 1;  // the minimum Argon2id cost (as FIELDSYNC_FAST_PASSWORD_HASH=1)
        ao.memLimit = 8192;
        accounts = server::openAccounts(store, ao);
        server::ApiOptions apiOptions;
        apiOptions.openReader = server::hubReaders(store);
        api = std::make_unique<server::SyncApi>(*hub, *accounts, metrics, apiOptions);
        server::ServerOptions so;
        so.address = "127.0.0.1";
        so.port = 0;
        so.threads = threads;
        net = std::make_unique<server::Server>(so, *api);
        if (store.kind == server::StoreLocation::Kind::Postgres) {
            relay = std::make_unique<server::PokeRelay>(store.url, *net);
            relay->start();
            api->setPokeSink(relay.get());
        } else {
            api->setPokeSink(net.get());
        }
        metrics.setGauge([this] { return net->connectedWebSockets(); });
        net->start();
    }
    ~Instance()
    {
        net->stop();
        if (relay) relay->stop();
        net.reset();
        relay.reset();
        api.reset();
        accounts.reset();
        hub.reset();
    }
};

// The servers of one phase, on a store of their own: a fresh temporary
// directory (SQLite), or a fresh database on the PostgreSQL server of
// --store, created next to the URL's database and dropped afterwards.
struct ServerEnv {
    fs::path dir;
    std::string adminUrl, database;
    server::StoreLocation store;
    std::vector<std::unique_ptr<Instance>> instances;

    ServerEnv(const std::string& tag, int threads, const StoreChoice& choice)
    {
        dir = fs::temp_directory_path() / ("fieldsync-load-" + tag + "-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        if (choice.pgUrl.empty()) {
            store.kind = server::StoreLocation::Kind::Sqlite;
            store.dir = dir.string();
        } else {
            adminUrl = choice.pgUrl;
            database = "fieldsync_load_" + tag + "_" + std::to_string(::getpid());
            storage::pg::PgConnection admin(adminUrl);
            admin.exec("DROP DATABASE IF EXISTS " + database);
            admin.exec("CREATE DATABASE " + database);
            store.kind = server::StoreLocation::Kind::Postgres;
            store.url = withDatabase(adminUrl, database);
        }
        for (size_t i = 0; i < choice.instances; ++i) instances.push_back(std::make_unique<Instance>(store, threads));
    }
    ~ServerEnv()
    {
        instances.clear();
        if (!database.empty()) {
            try {
                storage::pg::PgConnection admin(adminUrl);
                admin.exec("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (const std::exception& e) {
                std::cerr << "fieldsync_load: could not drop " << database << ": " << e.what() << "\n";
            }
        }
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    replica::Hub& hub() { return *instances.front()->hub; }
    server::Accounts& accounts() { return *instances.front()->accounts; }
    server::Server& net(size_t i = 0) { return *instances[i % instances.size()]->net; }
    std::string url(size_t i = 0) { return net(i).url(); }

    // Users: team "north", reps rep0..rep{n-1}, manager "boss".
    void addUsers(size_t reps)
    {
        if (!accounts().addTeam("north")) throw std::runtime_error("addTeam failed");
        for (size_t i = 0; i < reps; ++i)
            if (!accounts().addUser("rep" + std::to_string(i), server::Role::Rep, std::string("north"), kPassword))
                throw std::runtime_error("addUser failed");
        if (!accounts().addUser("boss", server::Role::Manager, std::string("north"), kPassword))
            throw std::runtime_error("addUser failed");
    }
};

client::TransportResponse post(client::Transport& t, const std::string& url, const std::string& body,
                               const std::string& token = {})
{
    client::TransportRequest rq;
    rq.method = "POST";
    rq.url = url;
    rq.body = body;
    rq.headers["Content-Type"] = "application/json";
    if (!token.empty()) rq.headers["Authorization"] = "Bearer " + token;
    return t.send(rq);
}

double mergedFromMetrics(const std::string& base);

// The servers' own count of merged field changes, summed over the instances.
double mergedFromMetrics(ServerEnv& env)
{
    double sum = 0;
    for (size_t i = 0; i < env.instances.size(); ++i) sum += mergedFromMetrics(env.url(i));
    return sum;
}

double mergedFromMetrics(const std::string& base)
{
    client::CurlTransport t;
    client::TransportRequest rq;
    rq.method = "GET";
    rq.url = base + "/metrics";
    auto resp = t.send(rq);
    std::istringstream in(resp.body);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("fieldsync_changes_merged_total", 0) == 0) return std::stod(line.substr(line.find(' ') + 1));
    return -1;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

struct Options {
    size_t devices = 100, rounds = 20, threads = 16, websockets = 1000;
    int serverThreads = 2;
    bool skipBootstrap = false, skipWebsockets = false, json = false;
    StoreChoice store;
};

// ---------------------------------------------------------------- where the CPU goes
double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// CPU seconds (user + system) of this process: the server instances and the
// simulated devices together.
double processCpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

// CPU seconds of the calling thread.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// What /proc/PID/stat says of a process: its command name, parent, and CPU
// seconds (its own; those of its reaped children).
struct ProcStat {
    std::string comm;
    int ppid = 0;
    double cpu = 0, reapedChildrenCpu = 0;
};

std::optional<ProcStat> procStat(int pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    const size_t open = text.find('('), close = text.rfind(')');  // the name may hold spaces
    if (open == std::string::npos || close == std::string::npos) return std::nullopt;
    ProcStat st;
    st.comm = text.substr(open + 1, close - open - 1);
    std::istringstream rest(text.substr(close + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(rest), std::istream_iterator<std::string>()};
    // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
    if (f.size() < 15) return std::nullopt;
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    st.ppid = std::stoi(f[1]);
    st.cpu = (std::stod(f[11]) + std::stod(f[12])) / tick;
    st.reapedChildrenCpu = (std::stod(f[13]) + std::stod(f[14])) / tick;
    return st;
}

// The CPU seconds of a PostgreSQL server running on this machine: its
// postmaster, every live child (backends, WAL writer, checkpointer...) and
// the children that already exited (reaped by the postmaster, so counted in
// its children's time). Found through the pid of a backend of ours.
class PgCpu {
public:
    explicit PgCpu(const std::string& url)
    {
        storage::pg::PgConnection c(url);
        auto backend = procStat(c.backendPid());
        if (!backend || backend->comm != "postgres") return;  // not on this machine
        auto postmaster = procStat(backend->ppid);
        if (postmaster && postmaster->comm == "postgres") m_postmaster = backend->ppid;
    }
    bool local() const { return m_postmaster != 0; }
    double seconds() const
    {
        if (!m_postmaster) return -1;
        auto pm = procStat(m_postmaster);
        if (!pm) return -1;
        double sum = pm->cpu + pm->reapedChildrenCpu;
        for (const auto& entry : fs::directory_iterator("/proc")) {
            const std::string name = entry.path().filename().string();
            if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
            if (auto st = procStat(std::stoi(name)); st && st->ppid == m_postmaster) sum += st->cpu;
        }
        return sum;
    }

private:
    int m_postmaster = 0;
};

// The durability settings a connection to `url` runs with (a URL may carry
// its own, e.g. ?options=-c%20synchronous_commit%3Doff).
json pgSettings(const std::string& url)
{
    storage::pg::PgConnection c(url);
    json out = json::object();
    for (const char* name : {"fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers"}) {
        storage::Statement st(c, std::string("SELECT current_setting('") + name + "')");
        if (st.step()) out[name] = st.getText(0);
    }
    return out;
}

// What the backends of one database are doing, sampled from
// pg_stat_activity and pg_locks every kIntervalMs on a connection of its
// own: for each role / state / wait event, the average number of backends in
// it. The role is "writer" for the backend holding the writer lock (the
// advisory lock of PgConnection.h; at most one), "other" for the rest
// (pulls, accounts, pushes queued for the lock). "active / no wait" is a
// backend running a statement; "idle in transaction / Client:ClientRead" a
// transaction open while its instance works between two statements;
// "active / Lock:advisory" a push waiting for the writer lock; "active /
// IO:WALSync" a commit waiting for its WAL flush.
class PgActivitySampler {
public:
    static constexpr int kIntervalMs = 20;

    explicit PgActivitySampler(const std::string& url) : m_conn(url)
    {
        m_thread = std::thread([this] { loop(); });
    }
    ~PgActivitySampler() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
    }
    json report() const
    {
        json states = json::object();
        for (const auto& [key, n] : m_counts)
            states[key] = m_samples ? static_cast<double>(n) / static_cast<double>(m_samples) : 0.0;
        return {{"interval_ms", kIntervalMs}, {"samples", m_samples}, {"sampler_cpu_s", m_cpu},
                {"avg_backends", states}};
    }

private:
    void loop()
    {
        storage::Statement st(
            m_conn,
            "SELECT CASE WHEN l.pid IS NULL THEN 'other' ELSE 'writer' END, a.state,"
            " coalesce(a.wait_event_type, ''), coalesce(a.wait_event, ''), count(*)"
            " FROM pg_stat_activity a LEFT JOIN pg_locks l"
            "   ON l.pid = a.pid AND l.locktype = 'advisory' AND l.granted"
            " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
            "   AND a.state IS NOT NULL AND a.state <> 'idle' GROUP BY 1, 2, 3, 4");
        while (!m_stop) {
            st.reset();
            while (st.step()) {
                std::string key = st.getText(0) + ": " + st.getText(1) + " / ";
                key += st.getText(2).empty() ? std::string("no wait") : st.getText(2) + ":" + st.getText(3);
                m_counts[key] += static_cast<uint64_t>(st.getInt(4));
            }
            ++m_samples;
            std::this_thread::sleep_for(std::chrono::milliseconds(kIntervalMs));
        }
        m_cpu = threadCpuSeconds();
    }

    storage::pg::PgConnection m_conn;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::map<std::string, uint64_t> m_counts;
    uint64_t m_samples = 0;
    double m_cpu = 0;
};

// ---------------------------------------------------------------- phase 1
struct SimDevice {
    uint32_t index = 0;
    std::string user, token, customer, base;  // base: the instance it talks to
    FakeDevice clock;
    crdt::Hlc acked = 0;
    uint64_t cursor = 0;
    std::unique_ptr<client::CurlTransport> transport;
    std::mutex busy;
};

json throughput(const Options& o)
{
    ServerEnv env("throughput", o.serverThreads, o.store);
    env.addUsers(o.devices);
    std::vector<std::unique_ptr<SimDevice>> devs;
    auto tLogin = Clk::now();
    for (size_t i = 0; i < o.devices; ++i) {
        auto d = std::make_unique<SimDevice>();
        d->index = static_cast<uint32_t>(i);
        d->user = "rep" + std::to_string(i);
        d->clock.id = deviceIdFor(1, d->index);
        d->customer = rowId(d->index, 0);
        d->base = env.url(i);  // round robin over the instances
        d->transport = std::make_unique<client::CurlTransport>();
        json login = {{"user", d->user}, {"password", kPassword}, {"device", d->clock.id.hex()},
                      {"device_name", "load " + std::to_string(i)}};
        auto r = post(*d->transport, d->base + "/v1/login", login.dump());
        if (r.status != 200) throw std::runtime_error("login failed: " + std::to_string(r.status) + " " + r.body + r.error);
        d->token = json::parse(r.body).at("token").get<std::string>();
        devs.push_back(std::move(d));
    }
    const double loginS = secondsSince(tLogin);

    std::atomic<size_t> errors{0}, recordsSent{0}, fieldsSent{0}, accepted{0}, pulled{0};
    std::string firstError;
    std::mutex errMutex;
    auto fail = [&](const std::string& what) {
        ++errors;
        std::lock_guard l(errMutex);
        if (firstError.empty()) firstError = what;
    };
    // One /v1/sync for a device: round 0 creates its customer, later rounds
    // push 100 records (90 visits, 10 customer updates); every request pulls.
    auto syncOnce = [&](SimDevice& d, size_t round, std::vector<double>* latencies) {
        std::lock_guard busy(d.busy);
        std::vector<protocol::ChangeRecord> batch;
        if (round == 0) {
            batch.push_back(customerCreate(d.clock, d.customer, d.user, d.cursor));
        } else {
            for (int k = 0; k < 100; ++k) {
                uint64_t n = ++d.clock.rows;
                if (k % 10 == 9) batch.push_back(customerUpdate(d.clock, d.customer, d.cursor, n));
                else batch.push_back(visit(d.clock, rowId(0x10000000u + d.index, n), d.customer, d.user, d.cursor, n));
            }
        }
        json changes = json::array();
        for (const auto& r : batch) changes.push_back(protocol::toJson(r, S()));
        json body = {{"schema", schema::kSchemaVersion},
                     {"device", d.clock.id.hex()},
                     {"push", {{"after", d.acked}, {"changes", std::move(changes)}}},
                     {"pull", {{"cursor", d.cursor}, {"limit", 500}}}};
        std::string text = body.dump();
        auto t0 = Clk::now();
        auto resp = post(*d.transport, d.base + "/v1/sync", text, d.token);
        double ms = secondsSince(t0) * 1000;
        if (latencies) latencies->push_back(ms);
        if (resp.status != 200) return fail("sync: " + std::to_string(resp.status) + " " + resp.body + resp.error);
        recordsSent += batch.size();
        fieldsSent += fieldCount(batch);
        try {
            json r = json::parse(resp.body);
            const json& push = r.at("push");
            d.acked = std::stoull(push.at("acked").get<std::string>());
            accepted += push.at("accepted").get<size_t>();
            if (!push.at("rejected").empty()) fail("rejected: " + push.at("rejected").dump());
            const json& pull = r.at("pull");
            pulled += pull.at("changes").size();
            d.cursor = pull.at("cursor").get<uint64_t>();
        } catch (const std::exception& e) {
            fail(std::string("bad response: ") + e.what());
        }
    };

    // Round 0 (customers) sequentially, not timed.
    for (auto& d : devs) syncOnce(*d, 0, nullptr);
    const double mergedBefore = mergedFromMetrics(env);
    const size_t acceptedBefore = accepted.load();
    const long rssBefore = procStatusKb("VmRSS");
    std::optional<PgCpu> pgCpu;
    std::unique_ptr<PgActivitySampler> sampler;
    if (env.store.kind == server::StoreLocation::Kind::Postgres) {
        pgCpu.emplace(env.store.url);
        sampler = std::make_unique<PgActivitySampler>(env.store.url);
    }
    const double pgCpuBefore = pgCpu ? pgCpu->seconds() : -1;
    const double cpuBefore = processCpuSeconds();

    // Rounds 1..R from the thread pool, round-major; a device's requests are
    // serialised by its mutex (its next push follows its last ack).
    const size_t total = o.devices * o.rounds;
    std::atomic<size_t> next{0};
    std::vector<std::vector<double>> lat(o.threads);
    std::vector<double> clientCpu(o.threads, 0.0);
    std::vector<std::thread> pool;
    auto t0 = Clk::now();
    for (size_t t = 0; t < o.threads; ++t)
        pool.emplace_back([&, t] {
            for (size_t i; (i = next++) < total;) syncOnce(*devs[i % o.devices], 1 + i / o.devices, &lat[t]);
            clientCpu[t] = threadCpuSeconds();  // these threads are the devices: curl, JSON
        });
    for (auto& th : pool) th.join();
    const double wall = secondsSince(t0);
    const double cpu = processCpuSeconds() - cpuBefore;
    const double pgCpuUsed = pgCpu && pgCpu->local() ? pgCpu->seconds() - pgCpuBefore : -1;
    json pgActivity;
    if (sampler) {
        sampler->stop();
        pgActivity = sampler->report();
    }
    double devicesCpu = 0;
    for (double c : clientCpu) devicesCpu += c;
    const double serverCpu = cpu - devicesCpu - (sampler ? pgActivity["sampler_cpu_s"].get<double>() : 0.0);
    const double merged = mergedFromMetrics(env) - mergedBefore;
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    const size_t recs = accepted.load() - acceptedBefore;

    json out = {{"store", env.store.kind == server::StoreLocation::Kind::Postgres ? "postgres" : "sqlite"},
                {"instances", env.instances.size()},
                {"devices", o.devices},
                {"rounds", o.rounds},
                {"client_threads", o.threads},
                {"server_threads", o.serverThreads},
                {"login_seconds", loginS},
                {"requests", all.size()},
                {"errors", errors.load()},
                {"first_error", firstError},
                {"wall_seconds", wall},
                {"records_accepted", recs},
                {"field_changes_sent", fieldsSent.load()},
                {"field_changes_merged_server", merged},
                {"field_changes_per_s", merged / wall},
                {"records_per_s", static_cast<double>(recs) / wall},
                {"requests_per_s", static_cast<double>(all.size()) / wall},
                {"latency_ms_p50", percentile(all, 0.50)},
                {"latency_ms_p99", percentile(all, 0.99)},
                {"latency_ms_max", percentile(all, 1.0)},
                {"pulled_records", pulled.load()},
                {"rss_before_kb", rssBefore},
                {"rss_after_kb", procStatusKb("VmRSS")},
                {"peak_rss_kb", procStatusKb("VmHWM")},
                {"cpu_s_servers", serverCpu},
                {"cpu_s_devices", devicesCpu},
                {"cpu_s_postgres", pgCpuUsed}};
    if (sampler) {
        out["postgres_activity"] = pgActivity;
        out["postgres_settings"] = pgSettings(env.store.url);
    }
    return out;
}

// ---------------------------------------------------------------- phase 2
json bootstrap(const Options& o)
{
    const size_t kCustomers = 20000, kVisits = 100000, kBatch = 5000, kReps = 100;
    ServerEnv env("bootstrap", o.serverThreads, o.store);
    env.addUsers(kReps);
    auto tSeed = Clk::now();
    std::vector<FakeDevice> seeders(4);
    for (uint32_t i = 0; i < 4; ++i) seeders[i].id = deviceIdFor(2, i);
    std::vector<crdt::Hlc> acked(4, 0);
    auto pushAll = [&](size_t count, auto make) {
        for (size_t start = 0, k = 0; start < count; start += kBatch, ++k) {
            size_t s = k % seeders.size();
            std::vector<protocol::ChangeRecord> batch;
            for (size_t i = start; i < std::min(count, start + kBatch); ++i) batch.push_back(make(seeders[s], i));
            auto r = env.hub().push(seeders[s].id, acked[s], batch);
            if (!r) throw std::runtime_error("seed push failed: " + r.error().message);
            acked[s] = r->acked;
        }
    };
    auto customerOf = [](size_t i) { return rowId(0x20000000u, i); };
    pushAll(kCustomers, [&](FakeDevice& d, size_t i) {
        return customerCreate(d, customerOf(i), "rep" + std::to_string(i % kReps), 0);
    });
    pushAll(kVisits, [&](FakeDevice& d, size_t i) {
        size_t c = i % kCustomers;
        return visit(d, rowId(0x30000000u, i), customerOf(c), "rep" + std::to_string(c % kReps), 0, i);
    });
    const double seedS = secondsSince(tSeed);
    const uint64_t head = env.hub().head();

    fs::path replicaPath = env.dir / "manager-device.db";
    auto replica = replica::Replica::open(replicaPath.string());
    client::CurlTransport transport;
    client::SyncClient::Options so;
    so.pullLimit = 5000;
    client::MemorySecretStore secrets;
    client::SyncClient sc(*replica, transport, secrets, so);
    auto t0 = Clk::now();
    auto login = sc.login(env.url(), "boss", kPassword, "manager's new tablet");
    if (!login) throw std::runtime_error("manager login failed: " + login.error().message);
    auto report = sc.syncUntilDone();
    const double syncS = secondsSince(t0);
    if (!report) throw std::runtime_error("bootstrap sync failed: " + report.error().message);
    replica.reset();
    return {{"customers", kCustomers},
            {"visits", kVisits},
            {"seed_seconds", seedS},
            {"hub_head", head},
            {"pull_limit", so.pullLimit},
            {"pulled", report->pulled},
            {"rounds", report->rounds},
            {"up_to_date", report->upToDate},
            {"seconds", syncS},
            {"records_per_s", static_cast<double>(report->pulled) / syncS},
            {"replica_bytes", fs::file_size(replicaPath)}};
}

// ---------------------------------------------------------------- phase 3
struct WsPipe {
    int fd = -1;
};

void childConnected(const WsClientReport& r, void* ctx)
{
    auto* p = static_cast<WsPipe*>(ctx);
    char buf[128];
    int n = std::snprintf(buf, sizeof buf, "%zu %zu %.6f\n", r.connected, r.failed, r.connectSeconds);
    if (::write(p->fd, buf, static_cast<size_t>(n)) != n) ::_exit(3);
}

std::string readLine(int fd)
{
    std::string s;
    char c;
    while (::read(fd, &c, 1) == 1) {
        if (c == '\n') break;
        s.push_back(c);
    }
    return s;
}

json websockets(const Options& o)
{
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rlim_t want = static_cast<rlim_t>(o.websockets) + 512;
    if (rl.rlim_cur < want) {
        rl.rlim_cur = std::min(want, rl.rlim_max);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    getrlimit(RLIMIT_NOFILE, &rl);

    const size_t kReps = 100;
    ServerEnv env("ws", o.serverThreads, o.store);
    env.addUsers(kReps);
    // Device tokens, issued in-process (Accounts::login, as /v1/login does).
    auto tTok = Clk::now();
    std::vector<std::string> tokens;
    tokens.reserve(o.websockets);
    for (size_t i = 0; i < o.websockets; ++i) {
        auto l = env.accounts().login("rep" + std::to_string(i % kReps), kPassword, deviceIdFor(3, static_cast<uint32_t>(i)).hex(),
                                     "ws " + std::to_string(i), "127.0.0.1");
        if (!l) throw std::runtime_error("token: " + l.error().message);
        tokens.push_back(l->token);
    }
    const double tokenS = secondsSince(tTok);
    // A pusher device: rep0 over HTTP, on the last instance (with several,
    // the sockets are on the first: the poke crosses instances).
    const std::string pusherBase = env.url(env.instances.size() - 1);
    client::CurlTransport pusherT;
    FakeDevice pusher;
    pusher.id = deviceIdFor(4, 0);
    json login = {{"user", "rep0"}, {"password", kPassword}, {"device", pusher.id.hex()}, {"device_name", "pusher"}};
    auto lr = post(pusherT, pusherBase + "/v1/login", login.dump());
    if (lr.status != 200) throw std::runtime_error("pusher login failed");
    const std::string pusherToken = json::parse(lr.body).at("token").get<std::string>();

    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long rssBefore = procStatusKb("VmRSS");
    int toParent[2];
    if (::pipe(toParent) != 0) throw std::runtime_error("pipe failed");
    const uint16_t port = env.net(0).port();
    std::fflush(nullptr);
    pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        ::close(toParent[0]);
        WsPipe p{toParent[1]};
        WsClientReport r = runIdleWebSockets(port, tokens, 256, 30.0, &childConnected, &p);
        char buf[128];
        int n = std::snprintf(buf, sizeof buf, "%zu %lld\n", r.delivered, static_cast<long long>(r.lastDeliveryNs));
        if (::write(toParent[1], buf, static_cast<size_t>(n)) != n) ::_exit(3);
        ::_exit(0);
    }
    ::close(toParent[1]);
    size_t connected = 0, failed = 0;
    double connectS = 0;
    std::sscanf(readLine(toParent[0]).c_str(), "%zu %zu %lf", &connected, &failed, &connectS);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // idle
    const size_t serverSide = env.net(0).connectedWebSockets();
    const long rssAfter = procStatusKb("VmRSS");

    // Poke: a pool customer (no owner) is in everybody's scope.
    FakeDevice& d = pusher;
    protocol::ChangeRecord rec = customerCreate(d, rowId(0x40000000u, 1), "", 0);
    rec.writes.erase(std::remove_if(rec.writes.begin(), rec.writes.end(),
                                    [](const protocol::FieldWrite& w) {
                                        return w.field == fieldIndex("customer", "owner");
                                    }),
                     rec.writes.end());
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", pusher.id.hex()},
                 {"push", {{"after", 0}, {"changes", json::array({protocol::toJson(rec, S())})}}}};
    auto tPoke = Clk::now();
    auto pr = post(pusherT, pusherBase + "/v1/sync", body.dump(), pusherToken);
    size_t delivered = 0;
    long long lastNs = 0;
    std::sscanf(readLine(toParent[0]).c_str(), "%zu %lld", &delivered, &lastNs);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(toParent[0]);
    const double pokeS =
        static_cast<double>(lastNs - std::chrono::duration_cast<std::chrono::nanoseconds>(tPoke.time_since_epoch()).count())
        / 1e9;
    const double perConn = connected ? static_cast<double>(rssAfter - rssBefore) * 1024.0 / static_cast<double>(connected) : 0;
    return {{"websockets", o.websockets},
            {"nofile_soft", static_cast<long long>(rl.rlim_cur)},
            {"nofile_hard", static_cast<long long>(rl.rlim_max)},
            {"token_seconds", tokenS},
            {"connected", connected},
            {"failed", failed},
            {"server_connected", serverSide},
            {"connect_seconds", connectS},
            {"poke_status", pr.status},
            {"delivered", delivered},
            {"poke_to_last_delivery_s", delivered ? pokeS : -1.0},
            {"server_rss_before_kb", rssBefore},
            {"server_rss_after_kb", rssAfter},
            {"server_rss_bytes_per_connection", perConn},
            {"server_rss_extrapolated_10000_mb",
             (static_cast<double>(rssBefore) * 1024.0 + perConn * 10000.0) / (1024.0 * 1024.0)}};
}

} // namespace
} // namespace fieldsync::load

int main(int argc, char** argv)
{
    using namespace fieldsync::load;
    Options o;
    auto usage = [] {
        std::cerr << "usage: fieldsync_load [--devices N] [--rounds R] [--threads T] [--server-threads S]\n"
                     "                      [--websockets K] [--skip-bootstrap] [--skip-websockets] [--json]\n"
                     "                      [--store postgres://USER@HOST:PORT/DATABASE [--instances N]]\n";
        return 2;
    };
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto num = [&](size_t& v) {
            if (i + 1 >= argc) return false;
            v = std::stoul(argv[++i]);
            return true;
        };
        size_t st = 0;
        if (a == "--devices") { if (!num(o.devices) || o.devices == 0) return usage(); }
        else if (a == "--rounds") { if (!num(o.rounds) || o.rounds == 0) return usage(); }
        else if (a == "--threads") { if (!num(o.threads) || o.threads == 0) return usage(); }
        else if (a == "--server-threads") { if (!num(st) || st < 2) return usage(); o.serverThreads = static_cast<int>(st); }
        else if (a == "--websockets") { if (!num(o.websockets) || o.websockets == 0) return usage(); }
        else if (a == "--skip-bootstrap") o.skipBootstrap = true;
        else if (a == "--skip-websockets") o.skipWebsockets = true;
        else if (a == "--json") o.json = true;
        else if (a == "--store") {
            if (i + 1 >= argc || !fieldsync::storage::pg::isPostgresUrl(argv[i + 1])) {
                std::cerr << "fieldsync_load: --store takes a postgres:// URL (SQLite, the default, needs none)\n";
                return usage();
            }
            o.store.pgUrl = argv[++i];
        } else if (a == "--instances") { if (!num(o.store.instances) || o.store.instances == 0) return usage(); }
        else return usage();
    }
    if (o.store.instances > 1 && o.store.pgUrl.empty()) {
        std::cerr << "fieldsync_load: --instances N > 1 needs --store postgres://... (a SQLite store has one server "
                     "process)\n";
        return 2;
    }
    spdlog::set_level(spdlog::level::warn);
    json out;
    try {
        out["throughput"] = throughput(o);
        if (!o.skipBootstrap) out["bootstrap"] = bootstrap(o);
        if (!o.skipWebsockets) out["websockets"] = websockets(o);
    } catch (const std::exception& e) {
        std::cerr << "fieldsync_load: " << e.what() << "\n";
        return 1;
    }
    if (o.json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    const json& t = out["throughput"];
    std::printf("fieldsync_load — sync server in-process on 127.0.0.1, real HTTP (libcurl), %u cores\n\n",
                std::thread::hardware_concurrency());
    if (o.store.pgUrl.empty())
        std::printf("store: SQLite (a temporary directory), 1 instance\n");
    else
        std::printf("store: PostgreSQL %s (a fresh database per phase), %zu instance%s; devices spread round robin\n",
                    fieldsync::storage::pg::redactUrl(o.store.pgUrl).c_str(), o.store.instances,
                    o.store.instances == 1 ? "" : "s");
    std::printf("1. throughput: %zu devices x %zu rounds, 100 records/request (90 visits x 10 fields + 10 customer "
                "updates x 2), %zu client threads, %d server io threads per instance\n",
                o.devices, o.rounds, o.threads, o.serverThreads);
    std::printf("   requests %zu (errors %zu) in %.2f s: %.0f req/s, %.0f records/s\n", t["requests"].get<size_t>(),
                t["errors"].get<size_t>(), t["wall_seconds"].get<double>(), t["requests_per_s"].get<double>(),
                t["records_per_s"].get<double>());
    std::printf("   field changes merged (server count): %.0f -> %.0f /s   [target >= 100,000/s]\n",
                t["field_changes_merged_server"].get<double>(), t["field_changes_per_s"].get<double>());
    std::printf("   /v1/sync latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms   [target p99 < 250 ms]\n",
                t["latency_ms_p50"].get<double>(), t["latency_ms_p99"].get<double>(), t["latency_ms_max"].get<double>());
    std::printf("   process RSS (server + clients): %.1f MB before rounds, %.1f MB after, peak %.1f MB\n",
                t["rss_before_kb"].get<double>() / 1024, t["rss_after_kb"].get<double>() / 1024,
                t["peak_rss_kb"].get<double>() / 1024);
    std::printf("   CPU during the rounds: server instances %.1f s, simulated devices %.1f s", t["cpu_s_servers"].get<double>(),
                t["cpu_s_devices"].get<double>());
    if (t["cpu_s_postgres"].get<double>() >= 0)
        std::printf(", PostgreSQL processes %.1f s", t["cpu_s_postgres"].get<double>());
    std::printf(" (of %.1f s x %u cores)\n", t["wall_seconds"].get<double>(), std::thread::hardware_concurrency());
    if (t.contains("postgres_activity")) {
        std::printf("   PostgreSQL settings:");
        for (const auto& [name, value] : t["postgres_settings"].items())
            std::printf(" %s=%s", name.c_str(), value.get<std::string>().c_str());
        std::printf("\n");
        const json& a = t["postgres_activity"];
        std::printf("   PostgreSQL backends of the database, average over %llu samples every %d ms (pg_stat_activity):\n",
                    a["samples"].get<unsigned long long>(), a["interval_ms"].get<int>());
        std::vector<std::pair<double, std::string>> rows;
        for (const auto& [state, n] : a["avg_backends"].items()) rows.emplace_back(n.get<double>(), state);
        std::sort(rows.rbegin(), rows.rend());
        for (const auto& [n, state] : rows) std::printf("     %5.2f  %s\n", n, state.c_str());
    }
    if (!t["first_error"].get<std::string>().empty())
        std::printf("   first error: %s\n", t["first_error"].get<std::string>().c_str());
    if (out.contains("bootstrap")) {
        const json& b = out["bootstrap"];
        std::printf("\n2. bootstrap: seeded %zu customers + %zu visits into the hub in %.2f s (in-process, not timed below)\n",
                    b["customers"].get<size_t>(), b["visits"].get<size_t>(), b["seed_seconds"].get<double>());
        std::printf("   fresh manager device (SyncClient + Replica on disk, pull limit %zu): %zu records in %zu rounds, "
                    "%.2f s (%.0f records/s), up to date: %s   [target < 10 s]\n",
                    b["pull_limit"].get<size_t>(), b["pulled"].get<size_t>(), b["rounds"].get<size_t>(),
                    b["seconds"].get<double>(), b["records_per_s"].get<double>(),
                    b["up_to_date"].get<bool>() ? "yes" : "NO");
    }
    if (out.contains("websockets")) {
        const json& w = out["websockets"];
        std::printf("\n3. idle WebSockets (clients in a forked process; RSS below is the server's process)\n");
        std::printf("   %zu requested: %zu connected (%zu failed, server counts %zu) in %.2f s; RLIMIT_NOFILE %lld/%lld\n",
                    w["websockets"].get<size_t>(), w["connected"].get<size_t>(), w["failed"].get<size_t>(),
                    w["server_connected"].get<size_t>(), w["connect_seconds"].get<double>(),
                    w["nofile_soft"].get<long long>(), w["nofile_hard"].get<long long>());
        std::printf("   poke (pool customer pushed, HTTP %d): delivered to %zu of %zu, last %.3f s after the push\n",
                    w["poke_status"].get<int>(), w["delivered"].get<size_t>(), w["connected"].get<size_t>(),
                    w["poke_to_last_delivery_s"].get<double>());
        std::printf("   server RSS %.1f MB -> %.1f MB: %.1f KB per connection; 10,000 would be ~%.0f MB   "
                    "[target < 1 GB]\n",
                    w["server_rss_before_kb"].get<double>() / 1024, w["server_rss_after_kb"].get<double>() / 1024,
                    w["server_rss_bytes_per_connection"].get<double>() / 1024,
                    w["server_rss_extrapolated_10000_mb"].get<double>());
    }
    return 0;
}
