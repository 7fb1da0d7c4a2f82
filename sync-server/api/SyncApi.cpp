#include "api/SyncApi.h"

#include "api/Scope.h"
#include "evidence/Gather.h"

#include "protocol/ChangeRecord.h"
#include "protocol/JsonDepth.h"
#include "schema/Schema.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

namespace fieldsync::server {

void verifyCheckIns(replica::PushContext& context, bool recordArrival)
{
    const auto& visit = *schema::fieldsyncSchema().entity("visit");
    context.derivesFrom = [&visit](const protocol::ChangeRecord& r) {
        if (r.entity != visit.code) return false;
        for (const auto& w : r.writes)
            if (evidence::isEvidenceField(visit.fields[static_cast<size_t>(w.field)].name)) return true;
        return false;
    };
    context.derive = [recordArrival](const protocol::ChangeRecord& r, storage::Connection& db, int64_t nowMs) {
        return evidence::serverFields(db, r.id, recordArrival ? std::optional(nowMs) : std::nullopt);
    };
}

using nlohmann::json;

namespace {

struct Wire {
    int status;
    const char* code;
    const char* retry;
};

Wire wireOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return {400, "invalid_argument", "never"};
    case ErrorCode::NotFound: return {404, "not_found", "never"};
    case ErrorCode::FailedPrecondition: return {409, "failed_precondition", "after_fix"};
    case ErrorCode::PermissionDenied: return {403, "permission_denied", "never"};
    case ErrorCode::Unauthenticated: return {401, "unauthenticated", "after_login"};
    case ErrorCode::Revoked: return {401, "revoked", "never"};
    case ErrorCode::ResourceExhausted: return {429, "resource_exhausted", "later"};
    case ErrorCode::Unavailable: return {503, "unavailable", "backoff"};
    case ErrorCode::Internal: return {500, "internal", "backoff"};
    }
    return {500, "internal", "backoff"};
}

HttpResponse special(int status, const char* code, const char* retry, const std::string& message, json extra = {})
{
    json body = {{"error", code}, {"message", message}, {"retry", retry}};
    if (extra.is_object())
        for (auto it = extra.begin(); it != extra.end(); ++it) body[it.key()] = it.value();
    return {status, "application/json", body.dump(), {}};
}

HttpResponse ok(const json& body)
{
    return {200, "application/json", body.dump(), {}};
}

std::string pathOf(const std::string& target)
{
    return target.substr(0, target.find('?'));
}

// The bearer token of a request: the Authorization header; on /v1/ws only,
// also ?token= for WebSocket clients that cannot set headers. Elsewhere a
// token in the URL is ignored (the request is then unauthenticated):
// URLs end up in proxies' and servers' access logs, headers do not.
std::string bearer(const HttpRequest& r)
{
    std::string h = r.header("authorization");
    const std::string prefix = "Bearer ";
    if (h.size() > prefix.size() && h.compare(0, prefix.size(), prefix) == 0) return h.substr(prefix.size());
    if (pathOf(r.target) != "/v1/ws") return {};
    const auto query = r.target.find('?');
    if (query == std::string::npos) return {};
    const std::string q = "&" + r.target.substr(query + 1);
    const auto at = q.find("&token=");
    if (at == std::string::npos) return {};
    std::string t = q.substr(at + 7);
    return t.substr(0, t.find('&'));
}

// A 64-bit HLC arrives as a decimal string (JSON numbers lose precision in
// many clients) or, from C++ clients, as an integer.
std::optional<uint64_t> hlcField(const json& j)
{
    if (j.is_number_unsigned()) return j.get<uint64_t>();
    if (j.is_number_integer() && j.get<int64_t>() >= 0) return static_cast<uint64_t>(j.get<int64_t>());
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        uint64_t v = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty()) return v;
    }
    return std::nullopt;
}

} // namespace

HttpResponse errorResponse(const Error& error, json extra)
{
    auto w = wireOf(error.code);
    return special(w.status, w.code, w.retry, error.message, std::move(extra));
}

SyncApi::SyncApi(replica::Hub& hub, Accounts& accounts, Metrics& metrics, ApiOptions options)
    : m_hub(hub), m_accounts(accounts), m_metrics(metrics), m_options(std::move(options)),
      m_openReader(std::move(m_options.openReader)),
      m_sharedStore(hub.database().dialect() == storage::Dialect::Postgres), m_headAtStart(hub.head())
{
    const std::string path = hub.database().path();
    if (!m_openReader && hub.database().dialect() == storage::Dialect::Sqlite && path != ":memory:" && !path.empty())
        m_openReader = [path] { return replica::Hub::openReader(path); };
}

int64_t SyncApi::now() const
{
    if (m_options.now) return m_options.now();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

RequestHandler::Admission SyncApi::admit(const HttpRequest& head)
{
    const std::string path = pathOf(head.target);
    const bool sync = path == "/v1/sync" && head.method == "POST";
    if (!sync && path != "/v1/ws") return {};
    auto session = m_accounts.authenticate(bearer(head));
    if (!session) {
        // Answered here, body unread: counted as handle() counts its answers.
        HttpResponse refusal = errorResponse(session.error());
        m_metrics.request(path, refusal.status);
        m_metrics.error(std::string(errorCodeName(session.error().code)));
        return {false, std::move(refusal), nullptr};
    }
    // The session goes on to sync(), which then does not look the token up again.
    return {sync, std::nullopt, std::make_shared<const Session>(std::move(*session))};
}

HttpResponse SyncApi::handle(const HttpRequest& request)
{
    const std::string path = pathOf(request.target);
    HttpResponse response;
    // The bodies handlers parse are checked for nesting first (linear, no
    // allocation): a deep body would cost the parser far more than its size.
    const bool parsesBody = request.method == "POST" && (path == "/v1/login" || path == "/v1/sync");
    const Status depth = parsesBody ? protocol::checkJsonDepth(request.body) : Status(Ok{});
    try {
        if (!depth) response = errorResponse(depth.error());
        else if (path == "/healthz" && request.method == "GET") response = health();
        else if (path == "/metrics" && request.method == "GET") response = {200, "text/plain; version=0.0.4", m_metrics.render(), {}};
        else if (path == "/v1/login" && request.method == "POST") response = login(request);
        else if (path == "/v1/sync" && request.method == "POST") response = sync(request);
        else if (path == "/v1/logout" && request.method == "POST") response = logout(request);
        else if (path == "/v1/login" || path == "/v1/sync" || path == "/v1/logout") {
            response = special(405, "invalid_argument", "never", request.method + " is not allowed on " + path + "; use POST");
            response.headers["Allow"] = "POST";
        } else if (path == "/healthz" || path == "/metrics") {
            response = special(405, "invalid_argument", "never", request.method + " is not allowed on " + path + "; use GET");
            response.headers["Allow"] = "GET";
        }
        else
            response = special(404, "not_found", "never", "no such path: " + path + " (see docs/api.md)");
    } catch (const std::exception& e) {
        // A bug or an I/O failure: the transaction rolled back; say so, keep serving.
        response = special(500, "internal", "backoff", std::string("internal error: ") + e.what());
    }
    // Only known paths become labels: clients must not mint metric series.
    const bool known = path == "/healthz" || path == "/metrics" || path == "/v1/login" || path == "/v1/sync"
        || path == "/v1/logout";
    m_metrics.request(known ? path : "other", response.status);
    if (response.status >= 400) {
        auto body = json::parse(response.body, nullptr, false);
        if (body.is_object() && body.contains("error")) m_metrics.error(body["error"].get<std::string>());
    }
    return response;
}

HttpResponse SyncApi::health()
{
    std::lock_guard lock(m_hubMutex);
    return ok({{"status", "ok"}, {"head", m_hub.head()}});
}

HttpResponse SyncApi::login(const HttpRequest& request)
{
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return special(400, "invalid_argument", "never", "the body must be a JSON object");
    for (const char* key : {"user", "password", "device"})
        if (!body.contains(key) || !body[key].is_string())
            return special(400, "invalid_argument", "never", std::string("\"") + key + "\" (a string) is required");
    for (const char* key : {"device_name", "device_key"})
        if (body.contains(key) && !body[key].is_string())
            return special(400, "invalid_argument", "never", std::string("\"") + key + "\" must be a string");
    auto parsedDevice = crdt::DeviceId::fromHex(body["device"].get<std::string>());
    if (!parsedDevice) return special(400, "invalid_argument", "never", "\"device\" must be 32 hex digits");
    Accounts::Attempt attempt;
    attempt.user = body["user"];
    attempt.password = body["password"];
    attempt.device = parsedDevice->hex();  // one spelling per device (lower case)
    attempt.deviceName = body.value("device_name", "");
    attempt.deviceKey = body.value("device_key", "");
    attempt.address = request.remoteAddress;
    int64_t wait = 0;
    auto result = m_accounts.login(attempt, &wait);
    if (!result && result.error().code == ErrorCode::ResourceExhausted) {
        auto r = errorResponse(result.error(), {{"retry_after_s", wait}});
        r.headers["Retry-After"] = std::to_string(wait);
        return r;
    }
    if (!result) return errorResponse(result.error());
    json u = {{"name", result->user.name}, {"role", roleName(result->user.role)}};
    u["team"] = result->user.team ? json(*result->user.team) : json(nullptr);
    return ok({{"token", result->token}, {"user", u}, {"server_time", now()}});
}

// POST /v1/logout: the device signs itself out; its token is revoked at once.
HttpResponse SyncApi::logout(const HttpRequest& request)
{
    auto session = m_accounts.authenticate(bearer(request));
    if (!session) return errorResponse(session.error());
    auto revoked = m_accounts.revokeDevice(session->device, Revocation::Logout,
                                           "POST /v1/logout by " + session->user.name + " from " + request.remoteAddress);
    if (!revoked) return errorResponse(revoked.error());
    return ok({{"revoked", true}, {"device", session->device}});
}

HttpResponse SyncApi::sync(const HttpRequest& request)
{
    const auto started = std::chrono::steady_clock::now();
    // Authenticated by admit() when the body was still on its way (the
    // network layer hands its session over); tests call handle() directly.
    const auto* admitted = static_cast<const Session*>(request.admitted.get());
    Result<Session> session = admitted ? Result<Session>(*admitted) : m_accounts.authenticate(bearer(request));
    if (!session) return errorResponse(session.error());

    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) return special(400, "invalid_argument", "never", "the body is not valid JSON");
    if (!body.is_object()) return special(400, "invalid_argument", "never", "the body must be a JSON object");
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != "schema" && it.key() != "device" && it.key() != "push" && it.key() != "pull" && it.key() != "clock")
            return special(400, "invalid_argument", "never", "unknown key \"" + it.key() + "\"");
    if (!body.contains("schema") || !body["schema"].is_number_integer())
        return special(400, "invalid_argument", "never", "\"schema\" (the device's schema version) is required");
    const int64_t deviceSchema = body["schema"].get<int64_t>();
    if (deviceSchema != schema::kSchemaVersion) {
        std::string what = deviceSchema < schema::kSchemaVersion
            ? "this device runs an older fieldsync (schema " + std::to_string(deviceSchema)
                + "); update the fieldsync app to a version with schema " + std::to_string(schema::kSchemaVersion)
            : "this device runs a newer fieldsync (schema " + std::to_string(deviceSchema)
                + ") than the server (schema " + std::to_string(schema::kSchemaVersion) + "); upgrade the server";
        return special(426, "schema_mismatch", "never", what, {{"server_schema", schema::kSchemaVersion}});
    }
    const auto device = *crdt::DeviceId::fromHex(session->device);
    auto claimed = body.contains("device") && body["device"].is_string()
        ? crdt::DeviceId::fromHex(body["device"].get<std::string>())
        : std::nullopt;
    if (!claimed || *claimed != device)
        return special(403, "permission_denied", "never", "\"device\" must be the device this token was issued to");

    // Decode and check everything before touching the hub.
    std::optional<uint64_t> after;
    std::vector<protocol::ChangeRecord> records;
    if (body.contains("push")) {
        const auto& push = body["push"];
        if (!push.is_object() || !push.contains("changes") || !push["changes"].is_array())
            return special(400, "invalid_argument", "never", "\"push\" must be {\"after\": ..., \"changes\": [...]}");
        after = push.contains("after") ? hlcField(push["after"]) : std::optional<uint64_t>(0);
        if (!after) return special(400, "invalid_argument", "never", "\"push.after\" must be a non-negative integer");
        const auto& changes = push["changes"];
        if (changes.size() > m_options.maxChangesPerPush)
            return special(413, "payload_too_large", "never",
                           "too many changes in one push: " + std::to_string(changes.size()) + " > "
                               + std::to_string(m_options.maxChangesPerPush) + "; send smaller batches");
        const int64_t limit = now() + m_options.maxDriftMs;
        // The device's own reading of the time (optional): a clock off by more
        // than the drift either way is corrected before anything it captured
        // is accepted — a check-in from a clock a month behind would
        // otherwise be stored a month in the past.
        if (body.contains("clock")) {
            if (!body["clock"].is_number_integer())
                return special(400, "invalid_argument", "never", "\"clock\" must be the device's time in milliseconds");
            const int64_t off = body["clock"].get<int64_t>() - now();
            if (off > m_options.maxDriftMs || off < -m_options.maxDriftMs)
                return special(409, "clock_skew", "now",
                               "the device's clock is " + std::to_string((off < 0 ? -off : off) / 1000) + " s "
                                   + (off < 0 ? "behind" : "ahead of") + " the server's; correct the device clock "
                                   "offset and re-stamp",
                               {{"server_time", now()}, {"max_drift_ms", m_options.maxDriftMs}});
        }
        records.reserve(changes.size());
        for (size_t i = 0; i < changes.size(); ++i) {
            auto r = protocol::recordFromJson(changes[i], schema::fieldsyncSchema());
            if (!r) return special(400, "invalid_argument", "never", "change " + std::to_string(i) + ": " + r.error().message);
            if (crdt::hlcMillis(r->clock.hlc) > limit)
                return special(409, "clock_skew", "now",
                               "change " + std::to_string(i) + " is stamped "
                                   + std::to_string((crdt::hlcMillis(r->clock.hlc) - now()) / 1000)
                                   + " s ahead of the server's clock; correct the device clock offset and re-stamp",
                               {{"server_time", now()}, {"max_drift_ms", m_options.maxDriftMs}});
            r->seq = 0;
            records.push_back(std::move(*r));
        }
    }
    std::optional<std::pair<uint64_t, size_t>> pull;
    if (body.contains("pull")) {
        const auto& p = body["pull"];
        if (!p.is_object()) return special(400, "invalid_argument", "never", "\"pull\" must be {\"cursor\": n, \"limit\": n}");
        auto cursor = p.contains("cursor") ? hlcField(p["cursor"]) : std::optional<uint64_t>(0);
        if (!cursor) return special(400, "invalid_argument", "never", "\"pull.cursor\" must be a non-negative integer");
        size_t limit = m_options.defaultPullLimit;
        if (p.contains("limit")) {
            if (!p["limit"].is_number_integer() || p["limit"].get<int64_t>() < 1)
                return special(400, "invalid_argument", "never", "\"pull.limit\" must be a positive integer");
            limit = std::min<size_t>(static_cast<size_t>(p["limit"].get<int64_t>()), m_options.maxPullLimit);
        }
        pull = {{*cursor, limit}};
    }

    Scope scope = Scope::of(session->user, m_accounts);
    replica::Viewer viewer = scope.viewer();
    const replica::Viewer* viewerPtr = scope.user.role == Role::Admin ? nullptr : &viewer;

    json response = {{"server_time", now()}};
    std::vector<std::string> touched;
    uint64_t head = 0;
    std::optional<HttpResponse> refusal;
    std::vector<replica::CustomerKey> formerKeys;
    {
        std::lock_guard lock(m_hubMutex);
        if (after) {
            replica::PushContext context;
            context.user = scope.user.name;
            context.allow = [&scope](const protocol::ChangeRecord& r, const replica::RecordScope& s) {
                return scope.allow(r, s);
            };
            context.viewer = viewerPtr;
            if (scope.user.role != Role::Admin) context.creatorTeam = scope.user.team;
            // restore never outgrows the request by more than one row
            // (docs/api.md, "push.restore").
            context.restoreBudget = std::max(request.body.size(), kMinRestoreBudget);
            context.servedAtLeast = servedTo(device);
            verifyCheckIns(context);
            auto pushed = m_hub.push(device, *after, records, context);
            if (!pushed) return errorResponse(pushed.error());
            m_metrics.merged(pushed->fieldChanges);
            touched = pushed->customers;
            formerKeys = pushed->formerKeys;
            head = pushed->head;
            json rejected = json::array();
            for (const auto& rj : pushed->rejected) {
                const auto& entity = schema::fieldsyncSchema().entity(rj.entity).name;
                rejected.push_back({{"clock", rj.clock.str()},
                                    {"entity", entity},
                                    {"id", rj.id},
                                    {"error", "permission_denied"},
                                    {"reason", rj.error.reason},
                                    {"message", rj.error.message}});
                spdlog::info("refused {} {} from {} (device {}): {} [{}]", entity, rj.id, scope.user.name,
                             session->device, rj.error.message, rj.error.reason);
            }
            response["push"] = {{"acked", std::to_string(pushed->acked)},
                                {"accepted", pushed->accepted},
                                {"duplicates", pushed->duplicates},
                                {"rejected", rejected}};
            if (!pushed->rejected.empty()) {
                // 403 names the refused rows; what was accepted is committed.
                json restore = json::array();
                for (const auto& text : pushed->restore) restore.push_back(json::parse(text));
                json extra = {{"push", response["push"]}, {"restore", std::move(restore)}};
                HttpResponse r = special(403, "permission_denied", "never",
                                         "refused: " + pushed->rejected.front().error.message
                                             + (pushed->rejected.size() > 1
                                                    ? " (and " + std::to_string(pushed->rejected.size() - 1) + " more)"
                                                    : ""),
                                         extra);
                refusal = std::move(r);
            }
        }
    }
    std::optional<replica::PullResult> page;
    if (pull && !refusal) page = pullPage(device, pull->first, pull->second, viewerPtr);
    if (!touched.empty() && head) pokeFor(touched, formerKeys, head);
    if (refusal) return *refusal;
    std::string bodyText = response.dump();
    if (page) {
        // The page's records are the log's stored JSON text: spliced in as
        // they are rather than parsed and written again.
        json rest = {{"cursor", page->cursor}, {"more", page->more}, {"evict", page->evict}};
        std::string pullText = "{\"changes\":[";
        size_t size = pullText.size() + 64;
        for (const auto& r : page->json) size += r.size() + 1;
        pullText.reserve(size);
        for (size_t i = 0; i < page->json.size(); ++i) {
            if (i) pullText += ',';
            pullText += page->json[i];
        }
        pullText += "],";
        pullText.append(rest.dump(), 1, std::string::npos);  // {"cursor":..} without its "{"
        bodyText.pop_back();  // the response object's closing "}"
        bodyText += ",\"pull\":" + pullText + "}";
    }
    m_metrics.syncSeconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return {200, "application/json", std::move(bodyText), {}};
}

replica::PullResult SyncApi::pullPage(const crdt::DeviceId& device, uint64_t cursor, size_t limit,
                                     const replica::Viewer* viewer)
{
    replica::PullResult page;
    if (!m_openReader) {
        std::lock_guard lock(m_hubMutex);
        page = m_hub.pull(cursor, limit, viewer, replica::PullEncoding::Json, m_options.maxPullBytes);
    } else {
        std::unique_ptr<replica::Hub> reader;
        {
            std::lock_guard lock(m_readersMutex);
            if (!m_readers.empty()) {
                reader = std::move(m_readers.back());
                m_readers.pop_back();
            }
        }
        // One connection per concurrent pull at most: the pool grows to the
        // number of network threads and stays there.
        if (!reader) reader = m_openReader();
        page = reader->pull(cursor, limit, viewer, replica::PullEncoding::Json, m_options.maxPullBytes);
        // Several server processes share a PostgreSQL store, and the device's
        // next push may reach another one: there what was served is stored
        // before the answer leaves (its own small write, outside the lock).
        if (m_sharedStore && page.cursor > cursor) reader->noteServed(device, page.cursor);
        std::lock_guard lock(m_readersMutex);
        m_readers.push_back(std::move(reader));
    }
    if (page.cursor > cursor) {
        std::lock_guard lock(m_servedMutex);
        auto& served = m_served[device];
        served = std::max(served, page.cursor);
    }
    return page;
}

uint64_t SyncApi::servedTo(const crdt::DeviceId& device)
{
    // One SQLite store has one server process: what it served since it
    // started is in memory (and reaches hub_device with the device's next
    // push); what an earlier process served is not known exactly, so every
    // position up to where it left off counts as served.
    std::lock_guard lock(m_servedMutex);
    auto it = m_served.find(device);
    return std::max(it == m_served.end() ? 0 : it->second, m_sharedStore ? 0 : m_headAtStart);
}

void SyncApi::pokeFor(const std::vector<std::string>& customers, const std::vector<replica::CustomerKey>& formerKeys,
                      uint64_t head)
{
    if (!m_poke) return;
    // Whoever sees a touched customer — now, or before a reassignment in
    // this push (their devices must evict): its owner, the managers of the
    // owner's team and every admin; for an unowned one, its team (whose pool
    // holds it). Only a customer of no team is in everybody's pool.
    std::vector<replica::CustomerKey> keys = formerKeys;
    {
        std::lock_guard lock(m_hubMutex);
        for (auto& key : m_hub.keysOf(customers)) keys.push_back(std::move(key));
    }
    for (const auto& key : keys)
        if (!key.owner && !key.team) {
            m_poke->poke({}, head);
            return;
        }
    // Every account in one query (not one per team member): a company has
    // hundreds of users, a push touches up to a hundred customers.
    std::set<std::string> users;
    std::map<std::string, std::vector<std::string>> managersByTeam, membersByTeam;
    std::map<std::string, std::optional<std::string>> teamOf;
    for (auto& u : m_accounts.users()) {
        if (u.role == Role::Admin) users.insert(u.name);
        if (u.team) {
            membersByTeam[*u.team].push_back(u.name);
            if (u.role == Role::Manager) managersByTeam[*u.team].push_back(u.name);
        }
        teamOf[u.name] = std::move(u.team);
    }
    auto insert = [&](const std::map<std::string, std::vector<std::string>>& byTeam, const std::string& team) {
        if (auto m = byTeam.find(team); m != byTeam.end()) users.insert(m->second.begin(), m->second.end());
    };
    for (const auto& key : keys) {
        if (!key.owner) {
            insert(membersByTeam, *key.team);
            continue;
        }
        users.insert(*key.owner);
        if (auto it = teamOf.find(*key.owner); it != teamOf.end() && it->second) insert(managersByTeam, *it->second);
    }
    m_poke->poke(std::vector<std::string>(users.begin(), users.end()), head);
}

RequestHandler::Upgrade SyncApi::authorizeWebSocket(const HttpRequest& request)
{
    auto session = m_accounts.authenticate(bearer(request));
    if (!session) return {false, {}, {}, errorResponse(session.error())};
    return {true, session->user.name, session->device, {}};
}

} // namespace fieldsync::server
