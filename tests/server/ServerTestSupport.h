// Shared helpers of the server API suite: SyncApi::handle() driven directly
// with HttpRequest values (no sockets), over a real Hub, real Accounts and a
// fake clock the test controls; device replicas with their own clock skew; a
// client loop (login, then /v1/sync built exactly as docs/api.md says, and
// the response applied the way a device applies it); a PokeSink that records.
//
// The store: SQLite files in a temporary folder, or, with
// FIELDSYNC_TEST_STORE=postgres, a fresh database on the test PostgreSQL
// server (tests/pg/PgCluster.h). ctest runs every test of the suite both ways.
#pragma once

#include "api/Metrics.h"
#include "api/SyncApi.h"
#include "crdt/Clock.h"
#include "http/HttpTypes.h"
#include "protocol/ChangeRecord.h"
#include "replica/Hub.h"
#include "replica/Replica.h"
#include "schema/Schema.h"
#include "store/Accounts.h"
#include "storage-pg/PgConnection.h"
#include "PgCluster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace fieldsync::server::test {

using namespace std::string_literals;
using nlohmann::json;
using replica::Write;
using ::testing::HasSubstr;

// 2026-11-22T00:00:00Z (the example in docs/api.md): fake clocks start here.
inline constexpr int64_t kBaseMs = 1'795'305'600'000;
inline constexpr int64_t kMaxDriftMs = 300'000;
inline constexpr size_t kMaxChangesPerPush = 50;
inline constexpr int64_t kMinute = 60'000;

inline const schema::Schema& theSchema() { return schema::fieldsyncSchema(); }

inline json bodyOf(const HttpResponse& r)
{
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) ADD_FAILURE() << "response body is not JSON: " << r.body;
    return j;
}

// Every poke the API announced, in order.
class RecordingPokes : public PokeSink {
public:
    struct Call {
        std::vector<std::string> users;
        uint64_t head = 0;
    };
    void poke(const std::vector<std::string>& users, uint64_t head) override { calls.push_back({users, head}); }
    std::vector<Call> calls;
};

// One installation of the app: a replica with its own clock skew, signed in
// as one user.
struct Device {
    std::string name, user, password;
    int64_t skew = 0;  // ms this device's clock runs ahead of the server's
    std::unique_ptr<replica::Replica> replica;
    std::string token;

    replica::Replica* operator->() { return replica.get(); }
    replica::Replica& operator*() { return *replica; }
    std::string hex() const { return replica->deviceId().hex(); }
};

// What one round of the client loop saw.
struct SyncOutcome {
    std::vector<int> statuses;        // every /v1/sync status, in order
    json last;                        // the last response body
    size_t accepted = 0, duplicates = 0, pulled = 0;
    std::vector<json> rejected;       // every push.rejected entry
    std::vector<json> restore;        // every restore record received
    std::vector<std::string> evicted; // every pull.evict entry

    int status() const { return statuses.empty() ? 0 : statuses.back(); }
};

// The store the suite runs against (FIELDSYNC_TEST_STORE).
inline bool onPostgres()
{
    const char* store = std::getenv("FIELDSYNC_TEST_STORE");
    return store && std::string(store) == "postgres";
}

// One server instance over the fixture's store: its own connections, as a
// second process would have.
struct Instance {
    std::unique_ptr<replica::Hub> hub;
    std::unique_ptr<Accounts> accounts;
    Metrics metrics;
    std::unique_ptr<SyncApi> api;
};

class ServerFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string pattern = "/tmp/fieldsync-server-XXXXXX";
        ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp failed";
        m_dir = pattern;
        if (onPostgres()) m_pgUrl = fieldsync::test::PgCluster::shared().createDatabase();
        hub = openHub();
        accounts = openAccounts();
        api = std::make_unique<SyncApi>(*hub, *accounts, metrics, apiOptions());
        api->setPokeSink(&pokes);
        ASSERT_TRUE(accounts->addTeam("north").ok());
        ASSERT_TRUE(accounts->addTeam("south").ok());
        addUser("lina", Role::Rep, "north"s);
        addUser("wang", Role::Rep, "north"s);
        addUser("zhou", Role::Rep, "south"s);
        addUser("zhang", Role::Manager, "north"s);
        addUser("admin", Role::Admin, std::nullopt);
    }

    void TearDown() override
    {
        m_devices.clear();
        api.reset();
        accounts.reset();
        hub.reset();
        std::error_code ignored;
        if (!m_dir.empty()) std::filesystem::remove_all(m_dir, ignored);
        if (!m_pgUrl.empty()) {
            // The database goes with the test, so a long run does not pile them up.
            const std::string name = m_pgUrl.substr(m_pgUrl.rfind('/') + 1);
            storage::pg::PgConnection admin(fieldsync::test::PgCluster::shared().url("postgres"));
            admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    static std::string passwordOf(const std::string& user) { return user + "-secret-pw"; }

    void addUser(const std::string& name, Role role, const std::optional<std::string>& team)
    {
        auto u = accounts->addUser(name, role, team, passwordOf(name));
        ASSERT_TRUE(u.ok()) << u.error().message;
    }

    std::string file(const std::string& name) const { return (m_dir / name).string(); }

    std::unique_ptr<replica::Hub> openHub()
    {
        replica::Hub::Options options{.time = [this] { return now; }};
        if (m_pgUrl.empty()) return replica::Hub::open(file("hub.db"), options);
        return replica::Hub::open(std::make_unique<storage::pg::PgConnection>(m_pgUrl), options);
    }
    // Another Accounts on the fixture's store; the minimum Argon2id cost
    // unless `options` says otherwise; the fixture's clock unless it has one.
    static Accounts::Options cheapHashing(unsigned long long opsLimit = 1, unsigned long long memLimit = 8192)
    {
        Accounts::Options o;
        o.opsLimit = opsLimit;
        o.memLimit = memLimit;
        return o;
    }
    std::unique_ptr<Accounts> openAccounts(Accounts::Options options = cheapHashing())
    {
        if (!options.now) options.now = [this] { return now; };
        if (m_pgUrl.empty()) return std::make_unique<Accounts>(file("accounts.db"), options);
        return std::make_unique<Accounts>(std::make_unique<storage::pg::PgConnection>(m_pgUrl), options);
    }
    ApiOptions apiOptions()
    {
        ApiOptions options;
        options.maxChangesPerPush = kMaxChangesPerPush;
        options.maxDriftMs = kMaxDriftMs;
        options.now = [this] { return now; };
        if (!m_pgUrl.empty())
            options.openReader = [url = m_pgUrl] {
                return replica::Hub::openReader(std::make_unique<storage::pg::PgConnection>(url));
            };
        return options;
    }
    // Another server instance on the same store (a second process behind
    // the same address): its own hub and accounts connections.
    std::unique_ptr<Instance> secondInstance()
    {
        auto i = std::make_unique<Instance>();
        i->hub = openHub();
        i->accounts = openAccounts();
        i->api = std::make_unique<SyncApi>(*i->hub, *i->accounts, i->metrics, apiOptions());
        return i;
    }

    // The instance this thread's requests go to (default: `api`), for tests
    // with several server instances behind one address.
    static SyncApi*& routed()
    {
        thread_local SyncApi* instance = nullptr;
        return instance;
    }
    struct Via {
        explicit Via(SyncApi& instance) : previous(routed()) { routed() = &instance; }
        ~Via() { routed() = previous; }
        SyncApi* previous;
    };

    // ------------------------------------------------------------ raw HTTP

    HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                         const std::map<std::string, std::string>& headers = {},
                         const std::string& remote = "10.0.0.1")
    {
        HttpRequest r;
        r.method = method;
        r.target = target;
        r.headers = headers;
        r.body = body;
        r.remoteAddress = remote;
        return (routed() ? routed() : api.get())->handle(r);
    }

    HttpResponse postRaw(const std::string& target, const std::string& body, const std::string& token = {},
                         const std::string& remote = "10.0.0.1")
    {
        std::map<std::string, std::string> headers{{"content-type", "application/json"}};
        if (!token.empty()) headers["authorization"] = "Bearer " + token;
        return request("POST", target, body, headers, remote);
    }

    HttpResponse post(const std::string& target, const json& body, const std::string& token = {},
                      const std::string& remote = "10.0.0.1")
    {
        return postRaw(target, body.dump(), token, remote);
    }

    // ------------------------------------------------------------ devices

    Device& device(const std::string& name, const std::string& user, int64_t skew = 0)
    {
        auto d = std::make_unique<Device>();
        d->name = name;
        d->user = user;
        d->password = passwordOf(user);
        d->skew = skew;
        Device* self = d.get();
        d->replica = replica::Replica::open(file(name + ".db"),
                                            replica::Replica::Options{.time = [this, self] { return now + self->skew; }});
        auto& slot = m_devices[name];
        slot = std::move(d);
        return *slot;
    }

    json loginBody(const Device& d) const
    {
        return {{"user", d.user}, {"password", d.password}, {"device", d.hex()}, {"device_name", d.name}};
    }

    // POST /v1/login; keeps the token on success.
    HttpResponse login(Device& d, const std::string& remote = "10.0.0.1")
    {
        HttpResponse r = post("/v1/login", loginBody(d), {}, remote);
        if (r.status == 200) d.token = bodyOf(r)["token"].get<std::string>();
        return r;
    }

    // A device signed in and ready to sync.
    Device& signedIn(const std::string& name, const std::string& user, int64_t skew = 0)
    {
        Device& d = device(name, user, skew);
        HttpResponse r = login(d);
        EXPECT_EQ(r.status, 200) << "login of " << user << ": " << r.body;
        return d;
    }

    // ------------------------------------------------------------ the client

    // The /v1/sync body exactly as docs/api.md describes it.
    json syncBody(Device& d, bool withPush = true, size_t pullLimit = 500)
    {
        json body = {{"schema", schema::kSchemaVersion}, {"device", d.hex()}};
        if (withPush) {
            replica::PendingBatch batch = d->pending(kMaxChangesPerPush);
            json changes = json::array();
            for (const auto& r : batch.records) changes.push_back(protocol::toJson(r, theSchema()));
            body["push"] = {{"after", std::to_string(batch.after)}, {"changes", std::move(changes)}};
        }
        body["pull"] = {{"cursor", d->cursor()}, {"limit", pullLimit}};
        return body;
    }

    static std::vector<protocol::ChangeRecord> records(const json& list)
    {
        std::vector<protocol::ChangeRecord> out;
        for (const auto& j : list) {
            auto r = protocol::recordFromJson(j, theSchema());
            if (!r) {
                ADD_FAILURE() << "server sent a record the client cannot decode: " << r.error().message << ": " << j;
                continue;
            }
            out.push_back(std::move(*r));
        }
        return out;
    }

    // Applies a /v1/sync response the way a device does; returns its body.
    json apply(Device& d, const HttpResponse& response, SyncOutcome& out)
    {
        json b = bodyOf(response);
        out.statuses.push_back(response.status);
        out.last = b;
        if (response.status == 200) {
            const uint64_t pulledTo = b.contains("pull") ? b["pull"]["cursor"].get<uint64_t>() : 0;
            if (b.contains("push")) {
                out.accepted += b["push"]["accepted"].get<size_t>();
                out.duplicates += b["push"]["duplicates"].get<size_t>();
                d->acknowledge(std::stoull(b["push"]["acked"].get<std::string>()), pulledTo);
            }
            if (b.contains("pull")) {
                auto page = records(b["pull"]["changes"]);
                out.pulled += page.size();
                d->applyRemote(page, pulledTo);
                std::vector<std::string> evict = b["pull"]["evict"].get<std::vector<std::string>>();
                out.evicted.insert(out.evicted.end(), evict.begin(), evict.end());
                d->evict(evict);
            }
        } else if (response.status == 403 && b.contains("push")) {
            std::vector<replica::Rejection> rejections;
            for (const auto& rj : b["push"]["rejected"]) {
                out.rejected.push_back(rj);
                auto clock = crdt::Clock::parse(rj["clock"].get<std::string>());
                if (!clock) {
                    ADD_FAILURE() << "rejected entry without a clock: " << rj;
                    continue;
                }
                rejections.push_back({clock->hlc, rj["error"].get<std::string>(), rj["message"].get<std::string>(),
                                      rj.value("reason", std::string())});
            }
            auto restore = records(b.value("restore", json::array()));
            for (const auto& r : b.value("restore", json::array())) out.restore.push_back(r);
            out.accepted += b["push"]["accepted"].get<size_t>();
            out.duplicates += b["push"]["duplicates"].get<size_t>();
            d->reject(rejections, restore);
            d->acknowledge(std::stoull(b["push"]["acked"].get<std::string>()), 0);
        }
        return b;
    }

    // One /v1/sync round trip, applied.
    HttpResponse exchange(Device& d, SyncOutcome& out, bool withPush = true, size_t pullLimit = 500)
    {
        HttpResponse r = post("/v1/sync", syncBody(d, withPush, pullLimit), d.token);
        apply(d, r, out);
        return r;
    }

    // The client loop: push what is pending (in batches the server accepts)
    // and pull, until nothing is left to push and the server has no more.
    // Stops at the first response that is neither 200 nor a 403 naming
    // rejected changes.
    SyncOutcome sync(Device& d, size_t pullLimit = 500)
    {
        SyncOutcome out;
        for (int guard = 0; guard < 100; ++guard) {
            const bool pushing = d->pendingCount() > 0;
            HttpResponse r = exchange(d, out, pushing, pullLimit);
            if (r.status == 403 && out.last.contains("push")) continue;
            if (r.status != 200) return out;
            if (d->pendingCount() == 0 && !out.last["pull"]["more"].get<bool>()) return out;
        }
        ADD_FAILURE() << "sync of " << d.name << " did not settle";
        return out;
    }

    // A sync that must go through without refusals.
    SyncOutcome syncOk(Device& d)
    {
        SyncOutcome out = sync(d);
        EXPECT_EQ(out.status(), 200) << d.name << ": " << out.last.dump();
        for (int s : out.statuses) EXPECT_EQ(s, 200) << d.name << ": " << out.last.dump();
        return out;
    }

    // ------------------------------------------------------------ readers

    struct HubState {
        uint64_t head = 0;
        std::string dump;
    };
    HubState hubState() { return {hub->head(), hub->dump().dump()}; }
    void expectHubUnchanged(const HubState& before, const std::string& what)
    {
        EXPECT_EQ(hub->head(), before.head) << what << " moved the hub's head";
        EXPECT_EQ(hub->dump().dump(), before.dump) << what << " changed the hub's state";
    }

    static bool has(Device& d, std::string_view entity, const std::string& id) { return d->get(entity, id).ok(); }
    static json field(Device& d, std::string_view entity, const std::string& id, const std::string& name)
    {
        auto row = d->get(entity, id);
        if (!row) return json("<" + row.error().message + ">");
        return (*row)[name];
    }
    static std::set<std::string> ids(Device& d, std::string_view entity)
    {
        std::set<std::string> out;
        for (const auto& row : d->list(entity)) out.insert(row["id"].get<std::string>());
        return out;
    }
    std::set<std::string> hubIds(std::string_view entity)
    {
        std::set<std::string> out;
        json dump = hub->dump();
        for (auto it = dump[std::string(entity)].begin(); it != dump[std::string(entity)].end(); ++it)
            out.insert(it.key());
        return out;
    }
    json hubField(std::string_view entity, const std::string& id, const std::string& name)
    {
        json dump = hub->dump();
        const auto& rows = dump[std::string(entity)];
        if (!rows.contains(id) || !rows[id].contains(name)) return nullptr;
        return rows[id][name]["value"];
    }

    // Local writes that must succeed.
    static std::string create(Device& d, std::string_view entity, const Write& w)
    {
        auto id = d->create(entity, w);
        EXPECT_TRUE(id.ok()) << id.error().message;
        return id.ok() ? *id : std::string();
    }
    static void update(Device& d, std::string_view entity, const std::string& id, const Write& w)
    {
        auto st = d->update(entity, id, w);
        EXPECT_TRUE(st.ok()) << st.error().message;
    }

    int64_t now = kBaseMs;
    std::unique_ptr<replica::Hub> hub;
    std::unique_ptr<Accounts> accounts;
    Metrics metrics;
    RecordingPokes pokes;
    std::unique_ptr<SyncApi> api;

private:
    std::filesystem::path m_dir;
    std::string m_pgUrl;  // the test's PostgreSQL database, if on PostgreSQL
    std::map<std::string, std::unique_ptr<Device>> m_devices;
};

// The suite's cast, each signed in on one device: reps lina and wang (north)
// and zhou (south), their manager zhang (north), an admin.
class SignedInFixture : public ServerFixture {
protected:
    void SetUp() override
    {
        ServerFixture::SetUp();
        lina = &signedIn("lina-phone", "lina");
        wang = &signedIn("wang-phone", "wang");
        zhou = &signedIn("zhou-phone", "zhou");
        zhang = &signedIn("zhang-phone", "zhang");
        admin = &signedIn("admin-laptop", "admin");
    }

    Device* lina = nullptr;
    Device* wang = nullptr;
    Device* zhou = nullptr;
    Device* zhang = nullptr;
    Device* admin = nullptr;
};

} // namespace fieldsync::server::test

namespace fieldsync::protocol {
// Readable records in failure output.
inline void PrintTo(const ChangeRecord& r, std::ostream* os) { *os << toJson(r, schema::fieldsyncSchema()).dump(); }
} // namespace fieldsync::protocol
