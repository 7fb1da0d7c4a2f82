// Shared helpers of the sync suite:
//   SyncFixture   a fresh temp dir per test and fake wall clocks
//   FakeTransport scripted responses (queue or handler), records every request
//   HubServer     a tiny in-process emulation of POST /v1/login and /v1/sync
//                 (docs/api.md) over a real replica::Hub, so the client runs
//                 against the real merge code without a network. The real
//                 handler lives in sync-server/api; this one is kept small.
//   ManualClock   an EngineClock the test moves by hand
#pragma once

#include "crdt/Clock.h"
#include "protocol/ChangeRecord.h"
#include "replica/Hub.h"
#include "replica/Replica.h"
#include "schema/Schema.h"
#include "sync/SyncClient.h"
#include "sync/SyncEngine.h"
#include "sync/Transport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fieldsync::client::test {

using nlohmann::json;
using namespace std::chrono_literals;

// 2023-11-14T22:13:20Z: fake clocks start here.
inline constexpr int64_t kBaseMs = 1'700'000'000'000;
inline const std::string kServer = "https://sync.test";

#define FS_ASSERT_OK(expr)                                                             \
    do {                                                                               \
        const auto& fs_status_ = (expr);                                               \
        ASSERT_TRUE(fs_status_.ok()) << #expr << ": " << fs_status_.error().message;   \
    } while (0)

inline const schema::Schema& theSchema() { return schema::fieldsyncSchema(); }

// Polls `done` (real time) until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s)
{
    auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

// ------------------------------------------------------------------ transports

class FakeTransport : public Transport {
public:
    using Handler = std::function<TransportResponse(const TransportRequest&)>;

    // Queued responses are used first, in order; then the handler; then a
    // network error.
    void enqueue(int status, std::string body)
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({status, std::move(body), {}});
    }
    void enqueue(int status, const json& body) { enqueue(status, body.dump()); }
    void enqueueNetworkError(std::string error = "Couldn't connect to server")
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({0, {}, std::move(error)});
    }
    void setHandler(Handler handler)
    {
        std::lock_guard lock(m_mutex);
        m_handler = std::move(handler);
    }

    TransportResponse send(const TransportRequest& request) override
    {
        Handler handler;
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(request);
            if (!m_queue.empty()) {
                auto r = m_queue.front();
                m_queue.pop_front();
                return r;
            }
            handler = m_handler;
        }
        if (handler) return handler(request);
        return {0, {}, "no scripted response"};
    }

    std::vector<TransportRequest> requests()
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    size_t count()
    {
        std::lock_guard lock(m_mutex);
        return m_requests.size();
    }
    json body(size_t i)
    {
        std::lock_guard lock(m_mutex);
        return json::parse(m_requests.at(i).body);
    }
    size_t queued()
    {
        std::lock_guard lock(m_mutex);
        return m_queue.size();
    }

private:
    std::mutex m_mutex;
    std::deque<TransportResponse> m_queue;
    Handler m_handler;
    std::vector<TransportRequest> m_requests;
};

// POST /v1/login and /v1/sync over a real Hub, with the API's status codes
// and bodies. Scope policy (small): a rep sees and writes only the customers
// they own (by the owner when the change was written) and may not reassign
// one; managers and admins see and write everything.
class HubServer : public Transport {
public:
    struct User {
        std::string password, role, team;
    };

    HubServer(replica::Hub& hub, int64_t& serverMs) : m_hub(hub), m_ms(serverMs) {}

    void addUser(const std::string& name, const std::string& password, const std::string& role)
    {
        std::lock_guard lock(m_mutex);
        m_users[name] = {password, role, "north"};
    }
    // The next /v1/sync commits, then its answer is lost (a dropped connection).
    void dropNextAnswer()
    {
        std::lock_guard lock(m_mutex);
        m_dropNext = true;
    }
    // An administrator revokes the device: its token gets 401 `revoked`.
    void revoke(const std::string& deviceHex)
    {
        std::lock_guard lock(m_mutex);
        m_revoked.insert(deviceHex);
    }
    bool revoked(const std::string& deviceHex)
    {
        std::lock_guard lock(m_mutex);
        return m_revoked.count(deviceHex) > 0;
    }
    size_t syncRequests()
    {
        std::lock_guard lock(m_mutex);
        return m_syncRequests;
    }
    int64_t maxDriftMs = 5 * 60 * 1000;

    TransportResponse send(const TransportRequest& req) override
    {
        std::lock_guard lock(m_mutex);
        const std::string path = req.url.substr(req.url.find("/v1/"));
        json body;
        try {
            body = json::parse(req.body);
        } catch (const json::exception&) {
            return error(400, "invalid_argument", "not JSON");
        }
        if (path == "/v1/login") return login(body);
        auto auth = req.headers.find("Authorization");
        auto token = auth == req.headers.end() ? m_tokens.end() : m_tokens.find(auth->second.substr(7));
        if (token != m_tokens.end() && m_revoked.count(token->second.second))
            return error(401, "revoked", "this device was signed out by an administrator; sign in again");
        if (path == "/v1/logout") {
            if (token == m_tokens.end()) return error(401, "unauthenticated", "unknown token");
            m_revoked.insert(token->second.second);
            return {200, json{{"revoked", true}, {"device", token->second.second}}.dump(), {}};
        }
        if (path == "/v1/sync") {
            ++m_syncRequests;
            if (token == m_tokens.end()) return error(401, "unauthenticated", "unknown token");
            TransportResponse r = sync(body, token->second.first, token->second.second);
            if (m_dropNext) {
                m_dropNext = false;
                return {0, {}, "Connection reset by peer"};
            }
            return r;
        }
        return error(404, "not_found", "no such path");
    }

private:
    static TransportResponse error(int status, const std::string& code, const std::string& message, json extra = {})
    {
        json b = {{"error", code}, {"message", message}, {"retry", "never"}};
        if (extra.is_object()) b.update(extra);
        return {status, b.dump(), {}};
    }

    TransportResponse login(const json& body)
    {
        auto user = m_users.find(body.at("user").get<std::string>());
        if (user == m_users.end() || user->second.password != body.at("password").get<std::string>())
            return error(401, "unauthenticated", "wrong user name or password");
        std::string token = "tok-" + user->first + "-" + body.at("device").get<std::string>();
        m_tokens[token] = {user->first, body.at("device").get<std::string>()};
        m_revoked.erase(body.at("device").get<std::string>());
        return {200,
                json{{"token", token},
                     {"user", {{"name", user->first}, {"role", user->second.role}, {"team", user->second.team}}},
                     {"server_time", m_ms}}
                    .dump(),
                {}};
    }

    TransportResponse sync(const json& body, const std::string& user, const std::string& deviceHex)
    {
        const auto& schema = schema::fieldsyncSchema();
        if (body.at("schema").get<int>() != schema::kSchemaVersion)
            return error(426, "schema_mismatch", "upgrade", {{"server_schema", schema::kSchemaVersion}});
        if (body.at("device").get<std::string>() != deviceHex)
            return error(403, "permission_denied", "not this token's device");
        const bool rep = m_users[user].role == "rep";
        auto device = *crdt::DeviceId::fromHex(deviceHex);
        json out = {{"server_time", m_ms}};
        if (body.contains("push")) {
            const auto& p = body["push"];
            crdt::Hlc after = 0;
            if (p["after"].is_string()) {
                const auto& s = p["after"].get_ref<const std::string&>();
                std::from_chars(s.data(), s.data() + s.size(), after);
            } else {
                after = p["after"].get<uint64_t>();
            }
            std::vector<protocol::ChangeRecord> records;
            for (const auto& c : p["changes"]) {
                auto r = protocol::recordFromJson(c, schema);
                if (!r) return error(400, "invalid_argument", r.error().message);
                if (crdt::hlcMillis(r->clock.hlc) > m_ms + maxDriftMs)
                    return error(409, "clock_skew", "clock ahead", {{"server_time", m_ms}, {"max_drift_ms", maxDriftMs}});
                records.push_back(std::move(*r));
            }
            replica::PushContext ctx;
            ctx.user = user;
            if (rep)
                ctx.allow = [user](const protocol::ChangeRecord&, const replica::RecordScope& s) -> std::optional<Error> {
                    if (!s.rootExists) {
                        if (s.writesOwner && s.newOwner && *s.newOwner != user)
                            return Error{ErrorCode::PermissionDenied, "a rep creates customers for themselves"};
                        return std::nullopt;
                    }
                    if (s.ownerAtWrite != user)
                        return Error{ErrorCode::PermissionDenied, "customer " + s.root + " is not yours"};
                    if (s.writesOwner && s.newOwner != s.owner)
                        return Error{ErrorCode::PermissionDenied, "only managers reassign customers"};
                    return std::nullopt;
                };
            auto res = m_hub.push(device, after, records, ctx);
            if (!res) {
                if (res.error().code == ErrorCode::FailedPrecondition)
                    return error(409, "failed_precondition", res.error().message);
                return error(400, "invalid_argument", res.error().message);
            }
            json rejected = json::array();
            json restore = json::array();
            for (const auto& rj : res->rejected) {
                rejected.push_back({{"clock", rj.clock.str()},
                                    {"entity", schema.entity(rj.entity).name},
                                    {"id", rj.id},
                                    {"error", std::string(errorCodeName(rj.error.code))},
                                    {"message", rj.error.message}});
            }
            for (const auto& text : res->restore) restore.push_back(json::parse(text));
            out["push"] = {{"acked", std::to_string(res->acked)},
                           {"accepted", res->accepted},
                           {"duplicates", res->duplicates},
                           {"rejected", rejected}};
            if (!res->rejected.empty()) {
                json b = {{"error", "permission_denied"},
                          {"message", res->rejected.front().error.message},
                          {"retry", "never"},
                          {"push", out["push"]},
                          {"restore", restore}};
                return {403, b.dump(), {}};
            }
        }
        if (body.contains("pull")) {
            replica::Viewer viewer{
                [user](const std::optional<std::string>& owner, const std::optional<std::string>&) { return owner == user; }};
            auto page = m_hub.pull(body["pull"].at("cursor").get<uint64_t>(), body["pull"].value("limit", size_t{500}),
                                   rep ? &viewer : nullptr);
            json changes = json::array();
            for (const auto& r : page.records) changes.push_back(protocol::toJson(r, schema));
            out["pull"] = {{"changes", changes}, {"cursor", page.cursor}, {"more", page.more}, {"evict", page.evict}};
        }
        return {200, out.dump(), {}};
    }

    std::mutex m_mutex;
    replica::Hub& m_hub;
    int64_t& m_ms;
    std::map<std::string, User> m_users;
    std::map<std::string, std::pair<std::string, std::string>> m_tokens;  // token -> (user, device hex)
    std::set<std::string> m_revoked;  // device hex
    bool m_dropNext = false;
    size_t m_syncRequests = 0;
};

// ------------------------------------------------------------------ clock

class ManualClock : public EngineClock {
public:
    time_point now() override { return time_point(std::chrono::nanoseconds(m_ns.load())); }
    void advance(std::chrono::milliseconds d) { m_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(); }
    // The engine re-checks the time every millisecond of real time.
    void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, time_point) override
    {
        cv.wait_for(lock, 1ms);
    }

private:
    std::atomic<int64_t> m_ns{1'000'000'000};
};

// ------------------------------------------------------------------ fixture

class SyncFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string pattern = "/tmp/fieldsync-sync-XXXXXX";
        ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp failed";
        m_dir = pattern;
    }

    void TearDown() override
    {
        std::error_code ignored;
        if (!m_dir.empty()) std::filesystem::remove_all(m_dir, ignored);
    }

    std::string file(const std::string& name) const { return (m_dir / name).string(); }

    std::unique_ptr<replica::Replica> openReplica(const std::string& name, int64_t& ms)
    {
        return replica::Replica::open(file(name), replica::Replica::Options{.time = [&ms] { return ms; }});
    }

    std::unique_ptr<replica::Hub> openHub(const std::string& name, int64_t& ms)
    {
        return replica::Hub::open(file(name), replica::Hub::Options{.time = [&ms] { return ms; }});
    }

    // Each replica file's secrets (its token), kept across reopening.
    std::shared_ptr<MemorySecretStore> secretsFor(const std::string& path)
    {
        auto& s = m_secrets[path];
        if (!s) s = std::make_shared<MemorySecretStore>();
        return s;
    }
    SecretStore& secrets(replica::Replica& r) { return *secretsFor(r.database().path()); }

    // Signed in without a login round trip.
    void signIn(replica::Replica& r, const std::string& user = "lina", const std::string& role = "rep")
    {
        r.setSetting(settings::kServer, kServer);
        secrets(r).setToken("secret-token");
        r.setSetting(settings::kUser, user);
        r.setSetting(settings::kRole, role);
    }

    int64_t tA = kBaseMs;
    int64_t tB = kBaseMs;
    int64_t tHub = kBaseMs;

private:
    std::filesystem::path m_dir;
    std::map<std::string, std::shared_ptr<MemorySecretStore>> m_secrets;
};

} // namespace fieldsync::client::test
