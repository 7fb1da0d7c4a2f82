// libFuzzer target: request decoding of the sync server (docs/api.md), with
// the request bounds the network layer applies before it (net/Server.h).
//
// Input: one byte that picks the endpoint, then the request body.
//   first byte 'u'             POST /v1/sync   with a token that does not authenticate
//   first byte 'x'             an expanded body: 'x', three bytes of size (big
//                              endian, modulo 8 MiB + 64 KiB + 1), one byte of
//                              target (even: POST /v1/sync as "lina", odd:
//                              POST /v1/login), then a pattern repeated to
//                              that size ("[" if empty): 8 MiB of "[[[[…" is
//                              "x\x80\x00\x00\x00[" (corpus/request/expanded-*)
//   otherwise, first byte % 4:
//                     0 or 1   POST /v1/sync   as the rep "lina"  (device aaaa...aaaa)
//                     2        POST /v1/login  (users lina, wang, admin; passwords <name>-secret-pw)
//                     3        POST /v1/sync   as "admin"         (device bbbb...bbbb)
// so seeds are readable: "0{...}" is a rep's sync body, "2{...}" a login,
// "3{...}" an admin's sync body (corpus/request/).
//
// Each request first goes through SyncApi::admit() with its headers only and
// the body limits of ServerOptions' defaults, as net::Server does: a refusal
// or an over-limit body is the answer and handle() is not called.
//
// The bytes go through SyncApi::handle() over a real Hub and real Accounts
// (SQLite files in a temp dir; TMPDIR is honoured) with a fake clock that
// starts at 2026-11-22T00:00:00Z (kBaseMs, as in docs/api.md and the server
// tests) and moves 3 s per input, so records stamped around kBaseMs are never
// "ahead" and failed logins age out of the rate limiter.
//
// The users (team north: reps lina and wang; admin) and the signed-in devices
// are set up once, through handle(), in a template dir that is then closed.
// A world is a copy of that template, opened. State carries over from input
// to input within a world (what one input pushes, the next pulls), and every
// 10,000 inputs (FIELDSYNC_FUZZ_WORLD=N to change) a fresh copy replaces it,
// so the hub stays small (a few MB). A crash found after many inputs may
// need the inputs before it; running the binary on the crashing file alone
// replays it against a fresh world.
//
// FIELDSYNC_FUZZ_VERBOSE=1 prints each input's status and body (checking seeds).
//
// Invariants (a violation prints the request and the response, then traps):
//   * the status is one of 200 400 401 403 405 409 413 426 429: never 500
//     (handle() turns an exception into 500) nor anything else;
//   * the body is a JSON object; a non-200 body has string "error", "message"
//     and "retry";
//   * a 200 sync has "server_time"; its pulled changes, and the "restore"
//     records of a 403, decode with protocol::recordFromJson (a device must be
//     able to apply whatever the server sends);
//   * a 200 login has a token and a user;
//   * admit(): a login is never authenticated nor refused; a sync with a
//     signed-in device's token is authenticated; one with a bad token is
//     refused with 401 and an error body;
//   * a login or sync body nesting deeper than protocol::kMaxJsonDepth gets
//     400 naming the limit, and no other body gets that message;
//   * what nlohmann parses never nests deeper than protocol::jsonNestingDepth
//     said (bodies up to 64 KiB).
#include "api/Metrics.h"
#include "api/SyncApi.h"
#include "http/HttpTypes.h"
#include "net/Server.h"
#include "protocol/ChangeRecord.h"
#include "protocol/JsonDepth.h"
#include "replica/Hub.h"
#include "schema/Schema.h"
#include "store/Accounts.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <tuple>

namespace {

using namespace fieldsync;
using namespace fieldsync::server;
using nlohmann::json;

constexpr int64_t kBaseMs = 1'795'305'600'000;  // 2026-11-22T00:00:00Z
constexpr int64_t kStepMs = 3'000;              // fake time per input
constexpr const char* kRepDevice = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr const char* kAdminDevice = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
constexpr const char* kFuzzAddress = "10.0.0.1";   // fuzzed logins
constexpr const char* kOwnAddress = "127.0.0.1";   // the harness's own logins
constexpr const char* kBadToken = "not-a-token-of-anybody-xxxxxxxxxxxxxxxxxxxxx";
const fieldsync::server::ServerOptions kNet{};      // the body limits `serve` applies by default
constexpr size_t kExpandedMax = 8 * 1024 * 1024 + 64 * 1024 + 1;
constexpr size_t kDifferentialMax = 64 * 1024;     // bodies parsed to cross-check the depth scan
constexpr const char* kDepthMessage = "the JSON nests deeper than";

std::string passwordOf(const std::string& user) { return user + "-secret-pw"; }

[[noreturn]] void fail(const char* what, const HttpRequest* request, const HttpResponse* response)
{
    std::fprintf(stderr, "\n*** request_fuzz invariant violated: %s\n", what);
    if (request)
        std::fprintf(stderr, "request: %s %s\n%.*s\n", request->method.c_str(), request->target.c_str(),
                     static_cast<int>(std::min<size_t>(request->body.size(), 2000)), request->body.c_str());
    if (response)
        std::fprintf(stderr, "response: %d\n%.*s\n", response->status,
                     static_cast<int>(std::min<size_t>(response->body.size(), 2000)), response->body.c_str());
    __builtin_trap();
}

class World {
public:
    World()
        : m_verbose(std::getenv("FIELDSYNC_FUZZ_VERBOSE") != nullptr)
        , m_inputsPerWorld(std::getenv("FIELDSYNC_FUZZ_WORLD") ? std::strtoull(std::getenv("FIELDSYNC_FUZZ_WORLD"), nullptr, 10) : 10'000)
    {
        buildTemplate();
        openWorld();
    }
    ~World()
    {
        closeServices();
        std::error_code ignored;
        std::filesystem::remove_all(m_root, ignored);
    }

    // One fuzz input: picks the endpoint, sends the body, checks the answer.
    void run(const uint8_t* data, size_t size)
    {
        if (size == 0) return;
        if (m_inputs++ == m_inputsPerWorld) openWorld();
        m_now += kStepMs;

        enum class Who { Rep, Admin, Nobody, BadToken } who = Who::Rep;
        HttpRequest request;
        request.method = "POST";
        request.headers["content-type"] = "application/json";
        request.remoteAddress = kFuzzAddress;
        if (data[0] == 'x') {
            if (size < 5) return;
            const size_t length = ((size_t{data[1]} << 16) | (size_t{data[2]} << 8) | data[3]) % kExpandedMax;
            who = data[4] % 2 ? Who::Nobody : Who::Rep;
            std::string_view pattern(reinterpret_cast<const char*>(data + 5), size - 5);
            if (pattern.empty()) pattern = "[";
            // Doubling: a one-byte pattern must not cost 8 million appends.
            request.body.reserve(length);
            request.body.assign(pattern.substr(0, std::min(pattern.size(), length)));
            while (request.body.size() < length) {
                const size_t more = std::min(request.body.size(), length - request.body.size());
                request.body.append(request.body, 0, more);
            }
        } else {
            request.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
            if (data[0] == 'u') who = Who::BadToken;
            else if (data[0] % 4 == 2) who = Who::Nobody;
            else if (data[0] % 4 == 3) who = Who::Admin;
        }
        request.target = who == Who::Nobody ? "/v1/login" : "/v1/sync";
        if (who != Who::Nobody)
            request.headers["authorization"] =
                "Bearer " + (who == Who::Rep ? m_repToken : who == Who::Admin ? m_adminToken : std::string(kBadToken));

        HttpResponse response = serve(request, who == Who::Rep || who == Who::Admin, who == Who::BadToken);
        if (m_verbose)
            std::fprintf(stderr, "%s (%zu bytes) -> %d %.*s\n", request.target.c_str(), request.body.size(),
                         response.status, static_cast<int>(std::min<size_t>(response.body.size(), 300)),
                         response.body.c_str());
        check(request, response);
        checkDepth(request, response);

        // A fuzzed login may have replaced the token of one of our devices.
        if (who == Who::Nobody && response.status == 200) signInAll();
    }

private:
    // What net::Server does with a request: admit() on the headers, the body
    // limit that follows from it, then handle().
    HttpResponse serve(const HttpRequest& request, bool signedIn, bool badToken)
    {
        HttpRequest head = request;
        head.body.clear();
        const RequestHandler::Admission admission = m_api->admit(head);
        if (admission.refusal) {
            if (!badToken) fail("admit() refused a request whose token is valid (or that needs none)", &request,
                                &*admission.refusal);
            if (admission.refusal->status != 401) fail("a bad token was refused with another status than 401",
                                                       &request, &*admission.refusal);
            return *admission.refusal;
        }
        if (badToken) fail("admit() let a bad token through", &request, nullptr);
        if (admission.authenticated != signedIn)
            fail(signedIn ? "a signed-in device's sync was not admitted as authenticated"
                          : "a request without a token was admitted as authenticated",
                 &request, nullptr);
        const size_t limit =
            admission.authenticated ? kNet.maxBodyBytes : std::min(kNet.maxAnonymousBodyBytes, kNet.maxBodyBytes);
        if (request.body.size() > limit)
            return {413, "application/json",
                    R"({"error":"payload_too_large","message":"over the body limit","retry":"never"})", {}};
        return m_api->handle(request);
    }

    // The nesting bound: too deep is refused by name, before parsing, and
    // the scan agrees with the parser.
    static void checkDepth(const HttpRequest& request, const HttpResponse& response)
    {
        if (response.status == 413 || response.status == 401) return;  // never reached the decoder
        const size_t depth = protocol::jsonNestingDepth(request.body, protocol::kMaxJsonDepth);
        // The depth refusal's message starts with kDepthMessage; other
        // messages may quote the request (an unknown key), which may say anything.
        const auto answer = nlohmann::json::parse(response.body, nullptr, false);
        const bool named = answer.is_object() && answer.contains("message") && answer["message"].is_string()
            && answer["message"].get<std::string>().rfind(kDepthMessage, 0) == 0;
        if (depth > protocol::kMaxJsonDepth) {
            if (response.status != 400 || !named ||
                response.body.find(std::to_string(protocol::kMaxJsonDepth)) == std::string::npos)
                fail("a body nesting deeper than the limit was not refused naming it", &request, &response);
            return;
        }
        if (named) fail("a body within the nesting limit was refused as too deep", &request, &response);
        if (request.body.size() > kDifferentialMax) return;
        // The scan may count more than the parser keeps (nlohmann stops at a
        // NUL byte and keeps the last of duplicate keys), never less.
        json parsed = json::parse(request.body, nullptr, false);
        if (!parsed.is_discarded() && depthOf(parsed) > depth)
            fail("the parsed value nests deeper than jsonNestingDepth said", &request, &response);
    }

    static size_t depthOf(const json& j)
    {
        if (!j.is_structured()) return 0;
        size_t deepest = 0;
        for (const auto& child : j) deepest = std::max(deepest, depthOf(child));
        return deepest + 1;
    }

    // The template: the accounts (team north; reps lina and wang, admin) and an
    // empty hub, with lina and admin signed in; built once, then closed.
    void buildTemplate()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "fieldsync-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        m_root = pattern;
        std::filesystem::create_directory(m_root / "template");
        m_now = kBaseMs;
        openServices(m_root / "template");
        if (!m_accounts->addTeam("north").ok()) std::abort();
        for (auto [name, role, team] : {std::tuple{"lina", Role::Rep, "north"}, std::tuple{"wang", Role::Rep, "north"},
                                        std::tuple{"admin", Role::Admin, ""}}) {
            auto u = m_accounts->addUser(name, role, *team ? std::optional<std::string>(team) : std::nullopt,
                                         passwordOf(name));
            if (!u) {
                std::fprintf(stderr, "request_fuzz: adding %s: %s\n", name, u.error().message.c_str());
                std::abort();
            }
        }
        signInAll();
        closeServices();  // SQLite folds the WAL back in: the template is the .db files
        m_template = {m_now, m_repToken, m_adminToken};
    }

    // A fresh world: a copy of the template (tokens still valid), its clock reset.
    void openWorld()
    {
        closeServices();
        const auto world = m_root / "world";
        std::filesystem::remove_all(world);
        std::filesystem::copy(m_root / "template", world);
        m_now = m_template.now;
        m_inputs = 1;
        m_repToken = m_template.repToken;
        m_adminToken = m_template.adminToken;
        openServices(world);
    }

    void openServices(const std::filesystem::path& dir)
    {
        auto clock = [this] { return m_now; };
        m_hub = replica::Hub::open((dir / "hub.db").string(), replica::Hub::Options{.time = clock});
        m_accounts = std::make_unique<Accounts>((dir / "accounts.db").string(),
                                                Accounts::Options{.opsLimit = 1, .memLimit = 8192, .now = clock});
        m_metrics = std::make_unique<Metrics>();
        // Small limits so that 413 and paging ("more") are reachable within 4 KB inputs.
        m_api = std::make_unique<SyncApi>(*m_hub, *m_accounts, *m_metrics,
                                          ApiOptions{.maxChangesPerPush = 50,
                                                     .maxDriftMs = 300'000,
                                                     .defaultPullLimit = 50,
                                                     .maxPullLimit = 100,
                                                     .now = clock});
    }

    void closeServices()
    {
        m_api.reset();
        m_metrics.reset();
        m_accounts.reset();
        m_hub.reset();
    }

    void signInAll()
    {
        m_repToken = signIn("lina", kRepDevice);
        m_adminToken = signIn("admin", kAdminDevice);
    }

    // Logs in through handle(), as a device does.
    std::string signIn(const std::string& user, const char* device)
    {
        HttpRequest request;
        request.method = "POST";
        request.target = "/v1/login";
        request.headers["content-type"] = "application/json";
        request.remoteAddress = kOwnAddress;
        // With its device's sign-in key: once signed in, the harness's devices
        // are trusted, and fuzzed failures under the same names never delay them.
        request.body = json{{"user", user}, {"password", passwordOf(user)}, {"device", device}, {"device_name", "fuzz"},
                            {"device_key", std::string(43, device[0])}}
                           .dump();
        for (int attempt = 0; attempt < 5; ++attempt) {
            HttpResponse response = m_api->handle(request);
            check(request, response);
            if (response.status == 200) return json::parse(response.body)["token"].get<std::string>();
            // Before the first sign-in, fuzzed logins with this user name may
            // have made it wait: wait as told.
            if (response.status != 429) fail("the harness's own login was refused", &request, &response);
            m_now += json::parse(response.body).value("retry_after_s", int64_t{900}) * 1000 + 1;
        }
        fail("the harness's own login stays rate limited", &request, nullptr);
    }

    static void checkRecords(const json& list, const char* what, const HttpRequest& request,
                             const HttpResponse& response)
    {
        if (!list.is_array()) fail(what, &request, &response);
        for (const auto& j : list)
            if (!protocol::recordFromJson(j, schema::fieldsyncSchema())) fail(what, &request, &response);
    }

    static void check(const HttpRequest& request, const HttpResponse& response)
    {
        switch (response.status) {
        case 200: case 400: case 401: case 403: case 405: case 409: case 413: case 426: case 429: break;
        default: fail("unexpected status", &request, &response);
        }
        json body = json::parse(response.body, nullptr, false);
        if (!body.is_object()) fail("the response body is not a JSON object", &request, &response);
        const bool login = request.target == "/v1/login";
        if (response.status != 200) {
            for (const char* key : {"error", "message", "retry"})
                if (!body.contains(key) || !body[key].is_string() || body[key].get_ref<const std::string&>().empty())
                    fail("an error body lacks \"error\", \"message\" or \"retry\"", &request, &response);
            if (response.status == 403 && body.contains("restore"))
                checkRecords(body["restore"], "a restore record does not decode", request, response);
            return;
        }
        if (login) {
            if (!body.contains("token") || !body["token"].is_string() || !body.contains("user")
                || !body["user"].is_object())
                fail("a 200 login lacks \"token\" or \"user\"", &request, &response);
            return;
        }
        if (!body.contains("server_time") || !body["server_time"].is_number_integer())
            fail("a 200 sync lacks \"server_time\"", &request, &response);
        if (body.contains("push")) {
            const auto& push = body["push"];
            if (!push.is_object() || !push.contains("acked") || !push["acked"].is_string())
                fail("a 200 sync's \"push\" lacks \"acked\"", &request, &response);
        }
        if (body.contains("pull")) {
            const auto& pull = body["pull"];
            if (!pull.is_object() || !pull.contains("changes") || !pull.contains("cursor")
                || !pull["cursor"].is_number_unsigned())
                fail("a 200 sync's \"pull\" is malformed", &request, &response);
            checkRecords(pull["changes"], "a pulled change does not decode", request, response);
        }
    }

    const bool m_verbose;  // FIELDSYNC_FUZZ_VERBOSE set: print every status and body
    const size_t m_inputsPerWorld;
    std::filesystem::path m_root;  // template/ and world/
    int64_t m_now = kBaseMs;
    struct {
        int64_t now = kBaseMs;
        std::string repToken, adminToken;
    } m_template;
    size_t m_inputs = 0;
    std::unique_ptr<replica::Hub> m_hub;
    std::unique_ptr<Accounts> m_accounts;
    std::unique_ptr<Metrics> m_metrics;
    std::unique_ptr<SyncApi> m_api;
    std::string m_repToken, m_adminToken;
};

World* g_world = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    g_world = new World();
    // libFuzzer leaves through exit(): close the databases and remove the temp dir.
    std::atexit([] {
        delete g_world;
        g_world = nullptr;
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    g_world->run(data, size);
    return 0;
}
