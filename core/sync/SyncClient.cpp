#include "sync/SyncClient.h"

#include "protocol/JsonDepth.h"

#include "protocol/ChangeRecord.h"
#include "schema/Schema.h"
#include "storage/Transaction.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace fieldsync::client {

using nlohmann::json;

void SyncReport::add(const SyncReport& o)
{
    pushed += o.pushed;
    accepted += o.accepted;
    duplicates += o.duplicates;
    rejected += o.rejected;
    pulled += o.pulled;
    evicted += o.evicted;
    conflicts += o.conflicts;
    rounds += o.rounds;
    clockCorrections += o.clockCorrections;
    upToDate = o.upToDate;
}

Result<std::string> normalizeServerUrl(std::string_view url)
{
    std::string u(url);
    while (!u.empty() && u.back() == '/') u.pop_back();
    std::string_view rest;
    if (u.rfind("https://", 0) == 0) rest = std::string_view(u).substr(8);
    else if (u.rfind("http://", 0) == 0) rest = std::string_view(u).substr(7);
    else return invalidArgument("the server address must start with https:// (or http:// on this machine), got \""
                                + std::string(url) + "\"");
    if (rest.empty() || rest[0] == '/' || rest[0] == ':')
        return invalidArgument("the server address \"" + std::string(url) + "\" names no host");
    for (char c : u)
        if (static_cast<unsigned char>(c) <= ' ' || c == '?' || c == '#')
            return invalidArgument("the server address \"" + std::string(url)
                                   + "\" may not contain spaces, control characters, '?' or '#'");
    // user@host would make the part before '@' look like the host to a reader
    // (http://127.0.0.1@example.com goes to example.com).
    if (rest.substr(0, rest.find('/')).find('@') != std::string_view::npos)
        return invalidArgument("the server address \"" + std::string(url) + "\" may not contain a user name (@)");
    return u;
}

namespace {

// The host of http://host[:port][/...] is this machine: localhost,
// 127.0.0.0/8 in dotted-quad form, or [::1]. Anything else (a name that
// merely resolves to loopback, a shortened 127.1, user@host) is not.
bool loopbackHost(std::string_view rest)
{
    const std::string_view authority = rest.substr(0, rest.find('/'));
    if (authority.find('@') != std::string_view::npos) return false;
    std::string host;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return false;
        host = authority.substr(1, close - 1);
        in6_addr a6{};
        return inet_pton(AF_INET6, host.c_str(), &a6) == 1 && std::memcmp(&a6, &in6addr_loopback, sizeof a6) == 0;
    }
    host = authority.substr(0, authority.find(':'));
    std::string lower = host;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "localhost") return true;
    in_addr a4{};
    return inet_pton(AF_INET, host.c_str(), &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

} // namespace

Status requireSecureServer(std::string_view url)
{
    if (url.rfind("https://", 0) == 0) return Ok{};
    if (url.rfind("http://", 0) == 0 && loopbackHost(url.substr(7))) return Ok{};
    return invalidArgument("refusing to send a password or token unencrypted to " + std::string(url)
                           + ": use the server's https:// address (plain http:// is only for a server on this "
                             "machine: localhost, 127.0.0.1, [::1])");
}

namespace {

// A response that does not follow docs/api.md. Thrown while decoding only,
// before anything is changed, and turned into an Error.
struct Malformed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const json& member(const json& j, const char* name, const std::string& where)
{
    if (!j.is_object()) throw Malformed(where + " is not an object");
    auto it = j.find(name);
    if (it == j.end()) throw Malformed(where + " has no \"" + name + "\"");
    return *it;
}

uint64_t unsignedOf(const json& j, const std::string& what)
{
    if (!j.is_number_unsigned()) throw Malformed(what + " is not a non-negative integer");
    return j.get<uint64_t>();
}

int64_t integerOf(const json& j, const std::string& what)
{
    if (j.is_number_unsigned()) {
        auto v = j.get<uint64_t>();
        if (v > static_cast<uint64_t>(INT64_MAX)) throw Malformed(what + " is out of range");
        return static_cast<int64_t>(v);
    }
    if (!j.is_number_integer()) throw Malformed(what + " is not an integer");
    return j.get<int64_t>();
}

std::string textOf(const json& j, const std::string& what)
{
    if (!j.is_string()) throw Malformed(what + " is not a string");
    return j.get<std::string>();
}

// A 64-bit HLC: a decimal string (as the API sends it), or a JSON integer.
crdt::Hlc hlcOf(const json& j, const std::string& what)
{
    if (j.is_number_unsigned()) return j.get<uint64_t>();
    if (!j.is_string()) throw Malformed(what + " is not a decimal string");
    const auto& s = j.get_ref<const std::string&>();
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        throw Malformed(what + " \"" + s + "\" is not a decimal number");
    return v;
}

std::vector<protocol::ChangeRecord> recordsOf(const json& j, const std::string& what)
{
    if (!j.is_array()) throw Malformed(what + " is not an array");
    std::vector<protocol::ChangeRecord> out;
    out.reserve(j.size());
    for (size_t i = 0; i < j.size(); ++i) {
        auto r = protocol::recordFromJson(j[i], schema::fieldsyncSchema());
        if (!r) throw Malformed(what + "[" + std::to_string(i) + "]: " + r.error().message);
        out.push_back(std::move(*r));
    }
    return out;
}

struct PushAnswer {
    crdt::Hlc acked = 0;
    size_t accepted = 0, duplicates = 0;
    std::vector<replica::Rejection> rejections;
};

PushAnswer pushOf(const json& body, const crdt::DeviceId& device)
{
    const json& p = member(body, "push", "the response");
    PushAnswer a;
    a.acked = hlcOf(member(p, "acked", "push"), "push.acked");
    if (p.contains("accepted")) a.accepted = unsignedOf(p["accepted"], "push.accepted");
    if (p.contains("duplicates")) a.duplicates = unsignedOf(p["duplicates"], "push.duplicates");
    if (p.contains("rejected")) {
        const json& rs = p["rejected"];
        if (!rs.is_array()) throw Malformed("push.rejected is not an array");
        for (size_t i = 0; i < rs.size(); ++i) {
            const std::string where = "push.rejected[" + std::to_string(i) + "]";
            std::string text = textOf(member(rs[i], "clock", where), where + ".clock");
            auto clock = crdt::Clock::parse(text);
            if (!clock) throw Malformed(where + ".clock \"" + text + "\" is not a clock");
            if (clock->device != device) throw Malformed(where + " names another device's change");
            replica::Rejection rj;
            rj.clock = clock->hlc;
            rj.code = rs[i].contains("error") ? textOf(rs[i]["error"], where + ".error") : "permission_denied";
            rj.message = rs[i].contains("message") ? textOf(rs[i]["message"], where + ".message") : "";
            rj.reason = rs[i].contains("reason") ? textOf(rs[i]["reason"], where + ".reason") : "";
            if (rj.clock > a.acked) throw Malformed(where + " is above push.acked");
            a.rejections.push_back(std::move(rj));
        }
    }
    return a;
}

struct PullAnswer {
    std::vector<protocol::ChangeRecord> changes;
    uint64_t cursor = 0;
    bool more = false;
    std::vector<std::string> evict;
};

PullAnswer pullOf(const json& body)
{
    const json& p = member(body, "pull", "the response");
    PullAnswer a;
    a.changes = recordsOf(member(p, "changes", "pull"), "pull.changes");
    a.cursor = unsignedOf(member(p, "cursor", "pull"), "pull.cursor");
    if (p.contains("more")) {
        if (!p["more"].is_boolean()) throw Malformed("pull.more is not true or false");
        a.more = p["more"].get<bool>();
    }
    if (p.contains("evict")) {
        if (!p["evict"].is_array()) throw Malformed("pull.evict is not an array");
        for (const auto& c : p["evict"]) a.evict.push_back(textOf(c, "pull.evict[]"));
    }
    return a;
}

// The error body's code and message, if it has them.
struct ErrorBody {
    std::string code, message;
};

ErrorBody errorBodyOf(const json& body)
{
    ErrorBody e;
    if (!body.is_object()) return e;
    if (auto it = body.find("error"); it != body.end() && it->is_string()) e.code = it->get<std::string>();
    if (auto it = body.find("message"); it != body.end() && it->is_string()) e.message = it->get<std::string>();
    return e;
}

std::optional<json> parseJson(const std::string& text)
{
    // What a server sends is bounded like what it accepts (protocol/JsonDepth.h):
    // a reply nested deeper than any answer of the protocol is not one.
    if (!protocol::checkJsonDepth(text)) return std::nullopt;
    try {
        return json::parse(text);
    } catch (const json::exception&) {  // parse_error, or out_of_range for a number like 1e400
        return std::nullopt;
    }
}

std::string withPeriod(std::string s)
{
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

// A non-2xx answer (other than those handled in a round) as an Error.
Error errorFromResponse(const std::string& server, int status, const std::optional<json>& body)
{
    ErrorBody e = body ? errorBodyOf(*body) : ErrorBody{};
    std::string said = e.message.empty() ? "HTTP " + std::to_string(status) : withPeriod(e.message);
    if (status == 401 && e.code == "revoked")
        return {ErrorCode::Revoked, server + " revoked this device's sign-in: " + said};
    if (status == 401)
        return {ErrorCode::Unauthenticated, server + " does not accept this device's sign-in (" + said + "): sign in again"};
    if (status == 426 || e.code == "schema_mismatch")
        return {ErrorCode::FailedPrecondition, server + " does not support this version of the app: " + said};
    if (status >= 500 || e.code == "unavailable" || e.code == "internal")
        return {ErrorCode::Unavailable, server + " is unavailable: " + said};
    if (status == 429 || e.code == "resource_exhausted") {
        std::string wait;
        if (body && body->is_object() && body->contains("retry_after_s") && (*body)["retry_after_s"].is_number())
            wait = " (try again in " + std::to_string((*body)["retry_after_s"].get<int64_t>()) + " s)";
        return {ErrorCode::ResourceExhausted, server + " refused: " + said + wait};
    }
    ErrorCode code = ErrorCode::Internal;
    if (e.code == "invalid_argument" || status == 400) code = ErrorCode::InvalidArgument;
    else if (e.code == "permission_denied" || status == 403) code = ErrorCode::PermissionDenied;
    else if (e.code == "not_found" || status == 404) code = ErrorCode::NotFound;
    else if (e.code == "failed_precondition" || e.code == "clock_skew" || status == 409) code = ErrorCode::FailedPrecondition;
    else if (e.code == "payload_too_large" || status == 413) code = ErrorCode::ResourceExhausted;
    if (!body && code != ErrorCode::Internal)
        said += " (the answer is not JSON: is " + server + " a fieldsync server?)";
    else if (!body)
        said = "unexpected answer HTTP " + std::to_string(status) + " (is " + server + " a fieldsync server?)";
    return {code, server + " refused the request: " + said};
}

size_t countConflicts(const std::vector<protocol::ChangeRecord>& records)
{
    const int code = schema::fieldsyncSchema().entity(schema::kConflictEntity)->code;
    return static_cast<size_t>(std::count_if(records.begin(), records.end(),
                                             [&](const protocol::ChangeRecord& r) { return r.entity == code; }));
}

} // namespace

// ---------------------------------------------------------------- SyncClient

SyncClient::SyncClient(replica::Replica& replica, Transport& transport, SecretStore& secrets)
    : SyncClient(replica, transport, secrets, Options{})
{
}

SyncClient::SyncClient(replica::Replica& replica, Transport& transport, SecretStore& secrets, Options options)
    : m_replica(replica), m_transport(transport), m_secrets(secrets), m_options(options),
      m_batchSize(std::max<size_t>(options.batchSize, 1))
{
    m_options.pullLimit = std::max<size_t>(m_options.pullLimit, 1);
}

Result<std::optional<std::string>> SyncClient::storedToken()
{
    try {
        return m_secrets.token();
    } catch (const SecretsError& e) {
        return Error{ErrorCode::FailedPrecondition, e.what()};
    }
}

SyncClient::~SyncClient()
{
    try {
        flushHeldAck();
    } catch (...) {  // a destructor must not throw; the held changes are replays next time
    }
}

void SyncClient::flushHeldAck()
{
    if (!m_heldAck) return;
    crdt::Hlc acked = *m_heldAck;
    m_heldAck.reset();
    m_replica.acknowledge(acked, 0);
}

bool SyncClient::signedIn()
{
    auto token = storedToken();
    return m_replica.setting(settings::kServer).has_value() && token && token->has_value();
}

Status SyncClient::logout()
{
    auto server = m_replica.setting(settings::kServer);
    auto stored = storedToken();
    if (!stored) return stored.error();
    auto token = *stored;
    // Forgotten first: whatever the server answers, this device is signed out.
    try {
        m_secrets.setToken(std::nullopt);
    } catch (const SecretsError& e) {
        return Error{ErrorCode::FailedPrecondition, e.what()};
    }
    if (!server || !token) return Ok{};
    if (auto secure = requireSecureServer(*server); !secure) return secure.error();
    TransportRequest req;
    req.url = *server + "/v1/logout";
    req.body = "{}";
    req.headers["Authorization"] = "Bearer " + *token;
    req.timeout = m_options.requestTimeout;
    req.cancel = m_options.cancel;
    TransportResponse resp = m_transport.send(req);
    if (!resp.error.empty() || resp.status == 0)
        return Error{ErrorCode::Unavailable,
                     "cannot reach " + *server + ": " + (resp.error.empty() ? "no response" : resp.error)};
    if (resp.status == 200) return Ok{};
    // 401: the server does not accept the token anyway (revoked, replaced).
    if (resp.status == 401) return Ok{};
    return errorFromResponse(*server, resp.status, parseJson(resp.body));
}

std::string SyncClient::deviceKey()
{
    if (auto key = m_replica.setting(settings::kDeviceKey); key && key->size() == 43) return *key;
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    m_replica.setSetting(settings::kDeviceKey, std::string(text));
    return text;
}

Result<LoginInfo> SyncClient::login(std::string_view serverUrl, std::string_view user, std::string_view password,
                                    std::string_view deviceName)
{
    auto server = normalizeServerUrl(serverUrl);
    if (!server) return server.error();
    if (auto secure = requireSecureServer(*server); !secure) return secure.error();
    if (user.empty()) return invalidArgument("the user name is empty");
    if (password.empty()) return invalidArgument("the password is empty");

    // A database that has synced holds one server's data, seen as one user:
    // signing it into another would mix them (and its cursor means nothing there).
    const bool synced = m_replica.cursor() > 0 || m_replica.acked() > 0;
    auto previousServer = m_replica.setting(settings::kServer);
    auto previousUser = m_replica.setting(settings::kUser);
    if (synced && previousServer && *previousServer != *server)
        return failedPrecondition("this database holds data synced with " + *previousServer
                                  + "; use a new database for " + *server);
    if (synced && previousUser && *previousUser != user)
        return failedPrecondition("this database holds " + *previousUser + "'s data; use a new database for "
                                  + std::string(user));

    TransportRequest req;
    req.url = *server + "/v1/login";
    req.timeout = m_options.requestTimeout;
    req.cancel = m_options.cancel;
    req.body = json{{"user", user},
                    {"password", password},
                    {"device", m_replica.deviceId().hex()},
                    {"device_name", deviceName},
                    {"device_key", deviceKey()}}
                   .dump();
    const int64_t sentAt = m_replica.clock().physicalMillis();
    TransportResponse resp = m_transport.send(req);
    const int64_t receivedAt = m_replica.clock().physicalMillis();
    if (!resp.error.empty() || resp.status == 0)
        return Error{ErrorCode::Unavailable,
                     "cannot reach " + *server + ": " + (resp.error.empty() ? "no response" : resp.error)};
    auto body = parseJson(resp.body);
    if (resp.status == 401) {
        ErrorBody e = body ? errorBodyOf(*body) : ErrorBody{};
        return Error{ErrorCode::Unauthenticated, *server + " refused the sign-in: "
                                                     + (e.message.empty() ? "wrong user name or password" : withPeriod(e.message))};
    }
    if (resp.status != 200) return errorFromResponse(*server, resp.status, body);
    if (!body) return Error{ErrorCode::Internal, *server + " answered the sign-in with something that is not JSON"};

    LoginInfo info;
    info.server = *server;
    std::string token;
    try {
        token = textOf(member(*body, "token", "the response"), "token");
        if (token.empty()) throw Malformed("the token is empty");
        const json& u = member(*body, "user", "the response");
        info.user = textOf(member(u, "name", "user"), "user.name");
        info.role = textOf(member(u, "role", "user"), "user.role");
        if (u.contains("team") && !u["team"].is_null()) info.team = textOf(u["team"], "user.team");
        if (body->contains("server_time")) info.serverTime = integerOf((*body)["server_time"], "server_time");
    } catch (const Malformed& e) {
        return Error{ErrorCode::Internal, *server + " answered the sign-in in an unexpected form: " + e.what()};
    }

    {
        // One transaction: never a token without the server it belongs to.
        storage::Transaction tx(m_replica.database());
        m_replica.setSetting(settings::kServer, info.server);
        m_replica.setSetting(settings::kUser, info.user);
        m_replica.setSetting(settings::kRole, info.role);
        if (info.team.empty()) m_replica.setSetting(settings::kTeam, std::nullopt);
        else m_replica.setSetting(settings::kTeam, info.team);
        m_replica.setSetting(settings::kRevoked, std::nullopt);
        tx.commit();
    }
    // The token after the server it belongs to: a server without a token is
    // merely signed out.
    try {
        m_secrets.setToken(token);
    } catch (const SecretsError& e) {
        return Error{ErrorCode::FailedPrecondition, e.what()};
    }
    if (info.serverTime) learnServerTime(info.serverTime, sentAt, receivedAt);
    return info;
}

Result<SyncReport> SyncClient::syncOnce()
{
    SyncReport report;
    std::chrono::milliseconds timeout = m_options.requestTimeout;
    int corrections = 0;
    for (;;) {
        if (m_options.cancel && m_options.cancel->load()) return Error{ErrorCode::Unavailable, "sync cancelled"};
        if (m_deadline) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*m_deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return Error{ErrorCode::Unavailable, "the sync did not finish in time ("
                                                         + std::to_string(m_replica.pendingCount())
                                                         + " local changes not yet acknowledged)"};
            timeout = std::min(m_options.requestTimeout, left);
        }
        auto r = round(report, timeout);
        if (!r) return r.error();
        if (r->outcome == Outcome::Ok) break;
        if (r->outcome == Outcome::TooLarge) {
            // Not a correction: the batch shrinks, and the retries end at one change.
            m_batchSize = std::max<size_t>(m_batchSize / 2, 1);
            continue;
        }
        // Clock skew: this device's clock runs ahead of the server's.
        if (corrections >= m_options.maxClockCorrections)
            return failedPrecondition("the server still finds this device's clock too far ahead after "
                                      + std::to_string(corrections) + " corrections; check the date and time settings");
        ++corrections;
        ++report.clockCorrections;
        flushHeldAck();  // re-stamping must not touch changes the server already holds
        const int64_t oldOffset = m_replica.clock().offset();
        const int64_t newOffset = oldOffset + (r->serverTime - m_replica.clock().physicalMillis());
        m_replica.correctClock(newOffset);
    }
    if (report.upToDate)
        m_replica.setSetting(settings::kLastSync, std::to_string(m_replica.clock().physicalMillis()));
    return report;
}

Result<SyncReport> SyncClient::syncUntilDone(std::optional<std::chrono::steady_clock::time_point> deadline)
{
    m_deadline = deadline;
    SyncReport total;
    Status failure = Ok{};
    for (size_t i = 0; i < m_options.maxRounds; ++i) {
        auto once = syncOnce();
        if (!once) {
            failure = once.error();
            break;
        }
        total.add(*once);
        if (m_progress) m_progress(total);
        if (total.upToDate) break;
    }
    m_deadline.reset();
    flushHeldAck();  // only left when stopping early: what the server holds leaves the outbox
    if (!failure) return failure.error();
    if (!total.upToDate)
        return Error{ErrorCode::Internal, "the server still had more after " + std::to_string(m_options.maxRounds)
                                              + " rounds; stopped"};
    return total;
}

Result<SyncClient::Round> SyncClient::round(SyncReport& report, std::chrono::milliseconds timeout)
{
    auto server = m_replica.setting(settings::kServer);
    auto stored = storedToken();
    if (!stored) return stored.error();
    auto token = *stored;
    if (!server || !token)
        return Error{ErrorCode::Unauthenticated, "not signed in: this device has no server and sign-in token"};
    if (auto secure = requireSecureServer(*server); !secure) return secure.error();
    const auto& schema = schema::fieldsyncSchema();
    const crdt::DeviceId& device = m_replica.deviceId();

    // While an acknowledgement is held back (see SyncClient.h), rounds only pull.
    replica::PendingBatch batch;
    if (!m_heldAck) batch = m_replica.pending(m_batchSize);
    const bool pushing = !batch.records.empty();
    const uint64_t cursorBefore = m_replica.cursor();

    json body = {{"schema", schema::kSchemaVersion}, {"device", device.hex()}};
    if (pushing) {
        json changes = json::array();
        for (const auto& r : batch.records) changes.push_back(protocol::toJson(r, schema));
        body["push"] = {{"after", std::to_string(batch.after)}, {"changes", std::move(changes)}};
    }
    body["pull"] = {{"cursor", cursorBefore}, {"limit", m_options.pullLimit}};
    // What this device believes the time is: the server refuses a push from
    // a clock too far off either way, before captured times are accepted.
    const int64_t sentAt = m_replica.clock().physicalMillis();
    if (pushing) body["clock"] = sentAt;

    TransportRequest req;
    req.url = *server + "/v1/sync";
    req.body = body.dump();
    req.headers["Authorization"] = "Bearer " + *token;
    req.timeout = timeout;
    req.cancel = m_options.cancel;
    TransportResponse resp = m_transport.send(req);
    const int64_t receivedAt = m_replica.clock().physicalMillis();
    if (m_options.cancel && m_options.cancel->load()) return Error{ErrorCode::Unavailable, "sync cancelled"};
    if (!resp.error.empty() || resp.status == 0)
        return Error{ErrorCode::Unavailable,
                     "cannot reach " + *server + ": " + (resp.error.empty() ? "no response" : resp.error)};
    ++report.rounds;

    auto answer = parseJson(resp.body);
    const bool rejectedPush = resp.status == 403 && answer && answer->is_object() && answer->contains("push");
    if (resp.status == 409 && answer && errorBodyOf(*answer).code == "clock_skew") {
        if (!answer->contains("server_time") || !(*answer)["server_time"].is_number_integer())
            return Error{ErrorCode::Internal, *server + " reported clock skew without its server_time"};
        return Round{Outcome::ClockSkew, integerOf((*answer)["server_time"], "server_time")};
    }
    if (resp.status == 413 && pushing && batch.records.size() > 1) return Round{Outcome::TooLarge, 0};
    if (resp.status == 401 && answer && errorBodyOf(*answer).code == "revoked") {
        // Signed out remotely: the token will never work again. Forget it, so
        // nothing retries it, and keep why for whoever looks next.
        Error e = errorFromResponse(*server, resp.status, answer);
        const std::string said = withPeriod(errorBodyOf(*answer).message);
        try {
            m_secrets.setToken(std::nullopt);
        } catch (const SecretsError& failure) {
            return Error{ErrorCode::FailedPrecondition, failure.what()};
        }
        m_replica.setSetting(settings::kRevoked, said.empty() ? std::string("revoked") : said);
        return e;
    }
    if (resp.status != 200 && !rejectedPush) return errorFromResponse(*server, resp.status, answer);
    if (!answer)
        return Error{ErrorCode::Unavailable, *server + " answered with something that is not JSON (a login page of the "
                                                       "network? a proxy?)"};

    // Decode all of it before changing anything.
    std::optional<PushAnswer> push;
    std::optional<PullAnswer> pull;
    std::vector<protocol::ChangeRecord> restore;
    try {
        if (rejectedPush && !pushing) throw Malformed("it refused changes this device did not send");
        if (pushing) push = pushOf(*answer, device);
        if (rejectedPush) {
            if (answer->contains("restore")) restore = recordsOf((*answer)["restore"], "restore");
        } else {
            pull = pullOf(*answer);
        }
        if (push) {
            if (push->acked < batch.records.front().clock.hlc)
                throw Malformed("push.acked holds none of the changes sent");
            for (const auto& rj : push->rejections)
                if (rj.clock > batch.records.back().clock.hlc)
                    throw Malformed("push.rejected names a change that was not sent");
        }
        if (pull && pull->more && pull->cursor <= cursorBefore)
            throw Malformed("pull.more is true but the cursor did not move");
    } catch (const Malformed& e) {
        return Error{ErrorCode::Internal, *server + " answered the sync in an unexpected form: " + e.what()};
    }

    if (push) {
        report.pushed += batch.records.size();
        report.accepted += push->accepted;
        report.duplicates += push->duplicates;
        report.rejected += push->rejections.size();
        // A mark above the last change sent is legitimate (an earlier push got
        // there and its answer was lost), but only what was sent may leave the
        // outbox here: changes written since are pushed next (as replays if the
        // server has them). Below it, the rest is simply pushed again.
        const crdt::Hlc acked = std::min(push->acked, batch.records.back().clock.hlc);
        // Rejected first: acknowledging would drop them from the outbox unseen.
        if (!push->rejections.empty() || !restore.empty()) m_replica.reject(push->rejections, restore);
        if (!pull || pull->more) m_heldAck = acked;  // the hub's head is not known yet (SyncClient.h)
        else m_replica.acknowledge(acked, pull->cursor);
    } else if (m_heldAck && pull && !pull->more) {
        crdt::Hlc acked = *m_heldAck;
        m_heldAck.reset();
        m_replica.acknowledge(acked, pull->cursor);
    }
    if (!pull) return Round{};  // a refused push: the next round pulls

    replica::ApplyStats stats = m_replica.applyRemote(pull->changes, pull->cursor);
    report.pulled += stats.records;
    report.conflicts += countConflicts(pull->changes);
    if (!pull->evict.empty()) {
        m_replica.evict(pull->evict);
        report.evicted += pull->evict.size();
    }
    // Not while an acknowledgement is held: re-stamping must not touch
    // changes the server already holds (a later round's answer will do).
    if (!m_heldAck && answer->contains("server_time") && (*answer)["server_time"].is_number_integer())
        learnServerTime((*answer)["server_time"].get<int64_t>(), sentAt, receivedAt);
    report.upToDate = !pull->more && !m_heldAck && m_replica.pendingCount() == 0;
    return Round{};
}

void SyncClient::learnServerTime(int64_t serverTime, int64_t sentAt, int64_t receivedAt)
{
    // The server read its clock somewhere within the request: the midpoint
    // is the best guess, off by at most half the round trip.
    const int64_t halfTrip = std::max<int64_t>(receivedAt - sentAt, 0) / 2;
    const int64_t error = serverTime - (sentAt + halfTrip);
    if (std::llabs(error) <= halfTrip + kOffsetToleranceMs) return;
    m_replica.correctClock(m_replica.clock().offset() + error);
}

} // namespace fieldsync::client
