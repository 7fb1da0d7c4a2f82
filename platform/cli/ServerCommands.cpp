// The commands that talk to a sync server (docs/api.md): login, logout, sync,
// status and rejected. The protocol is core/sync's SyncClient; this file only
// reads options, prints, and maps failures to exit statuses:
//   not signed in             3 (the sign-in does not exist)
//   server unreachable / 5xx  1, with a message naming the server
//   refused sign-in, 401      1
//   401 revoked               6 (the server revoked this device's sign-in)
//   anything else             as CliError.h maps its error code
#include "CliError.h"
#include "Commands.h"
#include "Output.h"

#include "sync/CurlTransport.h"
#include "sync/PokeListener.h"
#include "sync/SyncClient.h"
#include "sync/SyncEngine.h"

#include <atomic>
#include <map>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <cmath>
#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace fieldsync::cli {

namespace {

using nlohmann::json;
namespace settings = client::settings;

// Where a private CA's certificate is kept, if login was given --ca-file.
constexpr std::string_view kCaFileSetting = "ca_file";

constexpr const char* kLoginHint = "run fieldsync --db PATH login --server URL --user NAME --password-stdin";

[[noreturn]] void notSignedIn(const std::optional<std::string>& server)
{
    std::string where = server ? " to " + *server : "";
    throw CliError(ExitCode::NotFound, "not signed in" + where + ": " + kLoginHint);
}

[[noreturn]] void revoked(const std::string& why)
{
    throw CliError(ExitCode::Revoked, why + " (this device no longer syncs; " + kLoginHint + ")");
}

// Not signed in: exit 3, or 6 if the server revoked the sign-in.
[[noreturn]] void notSignedIn(replica::Replica& r, const std::optional<std::string>& server)
{
    if (auto why = r.setting(settings::kRevoked)) revoked(server.value_or("the server") + " revoked this device's sign-in: " + *why);
    notSignedIn(server);
}

std::unique_ptr<client::CurlTransport> transportFor(replica::Replica& r)
{
    client::CurlTransport::Options options;
    if (auto ca = r.setting(kCaFileSetting)) options.caFile = *ca;
    return std::make_unique<client::CurlTransport>(options);
}

// One line from standard input, without echo when it is a terminal.
std::string readPassword(const std::string& prompt)
{
    std::string line;
    if (::isatty(STDIN_FILENO)) {
        termios saved{};
        const bool canHide = ::tcgetattr(STDIN_FILENO, &saved) == 0;
        if (canHide) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        std::cerr << prompt << std::flush;
        std::getline(std::cin, line);
        if (canHide) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << '\n';
        if (line.empty()) usageError("login: no password given");
    } else {
        std::getline(std::cin, line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) usageError("login: no password on standard input (--password-stdin reads one line)");
    }
    return line;
}

std::string hostName()
{
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) == 0 && buf[0]) return buf;
    return "fieldsync cli";
}

std::string plural(size_t n, const std::string& one, const std::string& many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// ---------------------------------------------------------------- commands

void login(Context& ctx)
{
    auto server = ctx.value("server");
    auto user = ctx.value("user");
    if (!server) ctx.usageError("missing --server URL");
    if (!user) ctx.usageError("missing --user NAME");
    if (!ctx.flag("password-stdin"))
        ctx.usageError("missing --password-stdin (the password is read from standard input, never from the command "
                       "line)");
    auto& r = ctx.replica();  // before asking for the password: a wrong --db fails first
    auto url = client::normalizeServerUrl(*server);
    if (!url) usageError("login: " + url.error().message);
    // Before the password is asked for, let alone sent.
    if (auto secure = client::requireSecureServer(*url); !secure) usageError("login: " + secure.error().message);
    if (auto ca = ctx.value("ca-file"); ca && ::access(ca->c_str(), R_OK) != 0)
        throw CliError(ExitCode::NotFound, "login: cannot read the CA file " + *ca);

    std::string password = readPassword("Password for " + *user + " at " + *url + ": ");
    client::CurlTransport::Options options;
    if (auto ca = ctx.value("ca-file")) options.caFile = *ca;
    else if (auto stored = r.setting(kCaFileSetting)) options.caFile = *stored;
    client::CurlTransport transport(options);
    client::SyncClient c(r, transport, *ctx.secrets());
    auto info = c.login(*url, *user, password, ctx.value("device-name").value_or(hostName()));
    password.assign(password.size(), '\0');
    if (!info) fail(info.error());
    if (auto ca = ctx.value("ca-file")) r.setSetting(kCaFileSetting, *ca);

    if (ctx.json()) {
        printJson(ctx.out(), json{{"server", info->server},
                                  {"user", info->user},
                                  {"role", info->role},
                                  {"team", info->team.empty() ? json(nullptr) : json(info->team)},
                                  {"device", r.deviceId().hex()}});
        return;
    }
    ctx.out() << "signed in to " << info->server << " as " << info->user << " (" << info->role
              << (info->team.empty() ? "" : ", team " + info->team) << ")\n";
}

// "3 visits, 1 customer": what the unsynced changes are, by entity.
std::string pendingKinds(replica::Replica& r, size_t pending)
{
    std::map<std::string, size_t> byEntity;
    for (const auto& record : r.pending(pending).records) ++byEntity[r.schema().entity(record.entity).name];
    std::string out;
    for (const auto& [entity, n] : byEntity) {
        const bool y = !entity.empty() && entity.back() == 'y';
        out += (out.empty() ? "" : ", ") + plural(n, entity, y ? entity.substr(0, entity.size() - 1) + "ies" : entity + "s");
    }
    return out;
}

// Deletes the replica (closed first), its WAL and its key file; returns what
// to tell the user.
std::string wipe(Context& ctx, size_t lost)
{
    const std::string path = ctx.dbPath();
    ctx.closeReplica();
    client::wipeReplica(path, *ctx.secrets());
    std::string text = "this device's data was removed: the replica " + path + ", its WAL and its key file "
        + client::FileSecretStore::pathFor(path);
    if (lost) text += " (" + plural(lost, "unsynced change was", "unsynced changes were") + " lost)";
    return text;
}

// Refuses while changes are unsynced (unless --force), then revokes the
// token on the server (POST /v1/logout) and wipes the device: the replica,
// its WAL, its key and its token. If the server cannot be told (unreachable,
// an old server), the device is wiped all the same and the command says so
// and exits 1: the server accepts the token until an administrator revokes
// the device.
void logout(Context& ctx)
{
    auto& r = ctx.replica();
    auto server = r.setting(settings::kServer);
    const bool wasSignedIn = server && ctx.secrets()->token().has_value();
    if (!wasSignedIn) {
        if (ctx.json()) printJson(ctx.out(), json{{"signed_out", false}, {"server", server ? json(*server) : json(nullptr)}, {"wiped", false}});
        else ctx.out() << "not signed in; nothing was removed\n";
        return;
    }
    const size_t pending = r.pendingCount();
    if (pending && !ctx.flag("force"))
        throw CliError(ExitCode::Refused,
                       "logout would lose " + plural(pending, "change", "changes") + " not yet synced ("
                           + pendingKinds(r, pending) + "): run fieldsync sync first, or fieldsync logout --force "
                           "to discard them; nothing was changed");
    const std::string device = r.deviceId().hex();
    Status told = Ok{};
    {
        auto transport = transportFor(r);
        client::SyncClient c(r, *transport, *ctx.secrets());
        told = c.logout();
    }
    const std::string wiped = wipe(ctx, pending);
    const std::string notTold = told ? ""
        : "signed out and " + wiped + ", but " + told.error().message
            + ". The server accepts the old token until an administrator revokes this device "
              "(fieldsync-server device revoke " + device + ")";
    if (ctx.json()) {
        json out = {{"signed_out", true},
                    {"server", *server},
                    {"revoked_on_server", told.ok()},
                    {"wiped", true},
                    {"discarded", pending}};
        if (!told) out["error"] = told.error().message;
        printJson(ctx.out(), out);
        if (!told) throw CliError(ExitCode::Failure, notTold);
        return;
    }
    if (!told) throw CliError(ExitCode::Failure, notTold);
    ctx.out() << "signed out of " << *server << " (the server revoked this device's token); " << wiped << '\n';
}

// The server revoked this device: wipe it and exit 6 saying so.
[[noreturn]] void revokedAndWiped(Context& ctx, const std::string& why, size_t lost)
{
    const std::string wiped = wipe(ctx, lost);
    throw CliError(ExitCode::Revoked, why + "; " + wiped + " (to use this device again: fieldsync --db PATH init, then "
                                          "login)");
}

// `sync --watch`: the app's sync loop without the app. The engine syncs on
// its timer, on every poke from the server's WebSocket and when other
// commands write to the same file (checked once a second); each state change
// is printed as one line (one JSON object per line with --json) until SIGINT
// or SIGTERM, which stop it cleanly: a sync in progress is cancelled between
// requests, nothing half-applied (every page is applied in one transaction).
void watch(Context& ctx, const std::string& server, const std::string& token, std::chrono::milliseconds period)

{
    auto& r = ctx.replica();
    const std::string path = r.database().path();
    client::CurlTransport::Options transportOptions;
    client::PokeListener::Options listenerOptions;
    if (auto ca = r.setting(kCaFileSetting)) transportOptions.caFile = listenerOptions.caFile = *ca;

    // Block the stop signals before any thread starts, so every thread
    // inherits the mask and this one takes them with sigwait.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    std::mutex outMutex;
    auto line = [&](const json& event, const std::string& text) {
        std::lock_guard lock(outMutex);
        if (ctx.json()) ctx.out() << event.dump() << std::endl;
        else {
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch());
            ctx.out() << formatTime(now.count()) << "  " << text << std::endl;
        }
    };
    client::SyncEngine::Options engineOptions;
    engineOptions.period = period;
    engineOptions.open.plaintext = ctx.plaintext();
    client::SyncEngine engine(path, std::make_shared<client::CurlTransport>(transportOptions), ctx.secrets(),
                              engineOptions);
    std::atomic<bool> revokedSeen{false};
    std::string revokedWhy;
    engine.onStatus([&](const client::SyncStatus& s) {
        if (s.state == client::SyncState::Revoked) {
            std::lock_guard lock(outMutex);
            revokedWhy = s.lastError;
            revokedSeen = true;
        }
        json event = {{"event", "status"},
                      {"state", client::syncStateName(s.state)},
                      {"pending", s.pending},
                      {"rejected", s.rejected},
                      {"last_sync", s.lastSync ? json(s.lastSync) : json(nullptr)}};
        std::string text = std::string(client::syncStateName(s.state));
        if (s.state == client::SyncState::Idle)
            text = "up to date (" + plural(s.pending, "change", "changes") + " pending"
                + (s.rejected ? ", " + plural(s.rejected, "change", "changes") + " rejected" : "") + ")";
        if (!s.lastError.empty()) {
            event["error"] = s.lastError;
            text += ": " + s.lastError;
        }
        if (s.state == client::SyncState::Offline) {
            event["retry_in_ms"] = s.retryIn.count();
            text += " (retrying in " + std::to_string((s.retryIn.count() + 999) / 1000) + " s)";
        }
        line(event, text);
    });
    engine.onProgress([&](const client::SyncReport& p) {
        if (p.pushed == 0 && p.pulled == 0) return;
        line({{"event", "synced"}, {"pushed", p.pushed}, {"accepted", p.accepted}, {"pulled", p.pulled},
              {"rejected", p.rejected}, {"conflicts", p.conflicts}},
             "pushed " + std::to_string(p.accepted) + ", pulled " + std::to_string(p.pulled)
                 + (p.rejected ? ", " + std::to_string(p.rejected) + " rejected" : "")
                 + (p.conflicts ? ", " + std::to_string(p.conflicts) + " conflicts" : ""));
    });
    client::PokeListener listener(
        server, token, [&](uint64_t) { engine.poke(); },
        [&](bool connected, const std::string& reason) {
            json event = {{"event", "live"}, {"connected", connected}};
            if (!connected) event["reason"] = reason;
            line(event, connected ? "live updates on (" + client::PokeListener::webSocketUrl(server) + ")"
                                  : "live updates off: " + reason + "; syncing every "
                                        + std::to_string(period.count() / 1000) + " s meanwhile");
        },
        listenerOptions);
    line({{"event", "watching"}, {"server", server}, {"period_s", period.count() / 1000}},
         "watching " + server + " (Ctrl-C to stop)");
    engine.start();
    listener.start();
    // Writes made by other processes on this file (other fieldsync commands)
    // do not call the engine: notice them once a second and sync soon after.
    size_t pendingSeen = r.pendingCount();
    const timespec tick{1, 0};
    while (sigtimedwait(&stopSignals, nullptr, &tick) < 0) {
        if (revokedSeen) break;  // the engine has stopped syncing for good
        const size_t pending = r.pendingCount();
        if (pending > pendingSeen) engine.requestSync();
        pendingSeen = pending;
    }
    listener.stop();
    engine.stop();
    const size_t pending = r.pendingCount();
    if (revokedSeen) {
        line({{"event", "wiped"}, {"lost", pending}}, "wiping this device: its sign-in was revoked");
        revokedAndWiped(ctx, revokedWhy, pending);
    }
    line({{"event", "stopped"}, {"pending", pending}}, "stopped (" + plural(pending, "change", "changes") + " pending)");
}

void sync(Context& ctx)
{
    auto& r = ctx.replica();
    auto server = r.setting(settings::kServer);
    auto token = ctx.secrets()->token();
    if (!server || !token) notSignedIn(r, server);
    if (ctx.flag("watch")) {
        if (ctx.value("timeout")) ctx.usageError("--watch runs until stopped: it takes no --timeout");
        auto period = std::chrono::milliseconds(60'000);
        if (auto text = ctx.value("period")) {
            size_t used = 0;
            long long n = -1;
            try {
                n = std::stoll(*text, &used);
            } catch (const std::exception&) {
            }
            if (used != text->size() || n < 1 || n > 86400)
                ctx.usageError("--period takes a number of seconds from 1 to 86400, got \"" + *text + "\"");
            period = std::chrono::seconds(n);
        }
        watch(ctx, *server, *token, period);
        return;
    }
    if (ctx.value("period")) ctx.usageError("--period goes with --watch");

    client::SyncClient::Options options;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (auto text = ctx.value("timeout")) {
        double seconds = 0;
        try {
            size_t used = 0;
            seconds = std::stod(*text, &used);
            if (used != text->size()) seconds = -1;
        } catch (const std::exception&) {
            seconds = -1;
        }
        if (!(seconds > 0) || !std::isfinite(seconds) || seconds > 86400.0 * 7)
            ctx.usageError("--timeout takes a number of seconds above 0, got \"" + *text + "\"");
        auto limit = std::chrono::milliseconds(static_cast<int64_t>(std::ceil(seconds * 1000)));
        deadline = std::chrono::steady_clock::now() + limit;
        options.requestTimeout = std::min(options.requestTimeout, limit);
    }
    if (auto text = ctx.value("batch")) {
        size_t used = 0;
        long long n = -1;
        try {
            n = std::stoll(*text, &used);
        } catch (const std::exception&) {
        }
        if (used != text->size() || n < 1 || n > 5000)
            ctx.usageError("--batch takes a number of changes from 1 to 5000, got \"" + *text + "\"");
        options.batchSize = static_cast<size_t>(n);
    }
    auto transport = transportFor(r);
    Result<client::SyncReport> report = Error{ErrorCode::Internal, "not run"};
    {
        client::SyncClient c(r, *transport, *ctx.secrets(), options);
        report = c.syncUntilDone(deadline);
    }
    if (!report) {
        if (report.error().code == ErrorCode::Unauthenticated)
            throw CliError(ExitCode::Failure, report.error().message + " (" + kLoginHint + ")");
        if (report.error().code == ErrorCode::Revoked) revokedAndWiped(ctx, report.error().message, r.pendingCount());
        fail(report.error());
    }
    const auto& s = *report;
    const size_t pending = r.pendingCount();
    if (ctx.json()) {
        printJson(ctx.out(), json{{"server", *server},
                                  {"pushed", s.pushed},
                                  {"accepted", s.accepted},
                                  {"duplicates", s.duplicates},
                                  {"rejected", s.rejected},
                                  {"pulled", s.pulled},
                                  {"evicted", s.evicted},
                                  {"conflicts", s.conflicts},
                                  {"rounds", s.rounds},
                                  {"clock_corrections", s.clockCorrections},
                                  {"pending", pending},
                                  {"cursor", r.cursor()},
                                  {"up_to_date", s.upToDate}});
        return;
    }
    std::string text = "Synced with " + *server + " in " + plural(s.rounds, "round", "rounds") + ": ";
    if (s.pushed) {
        text += "pushed " + plural(s.pushed, "change", "changes") + " (" + std::to_string(s.accepted) + " accepted";
        if (s.duplicates) text += ", " + std::to_string(s.duplicates) + " already there";
        if (s.rejected) text += ", " + std::to_string(s.rejected) + " rejected: see fieldsync rejected";
        text += ")";
    } else {
        text += "nothing to push";
    }
    text += ", pulled " + plural(s.pulled, "change", "changes");
    if (s.conflicts) text += " with " + plural(s.conflicts, "conflict entry", "conflict entries") + " (see fieldsync conflicts)";
    if (s.evicted) text += "; " + plural(s.evicted, "customer", "customers") + " left your scope and were removed";
    if (s.clockCorrections) text += "; this device's clock was corrected";
    text += ". Up to date.";
    ctx.out() << text << '\n';
}

void status(Context& ctx)
{
    auto& r = ctx.replica();
    auto server = r.setting(settings::kServer);
    auto user = r.setting(settings::kUser);
    auto role = r.setting(settings::kRole);
    const bool signedIn = server && ctx.secrets()->token().has_value();
    auto revokedWhy = r.setting(settings::kRevoked);
    const size_t pending = r.pendingCount();
    const size_t rejected = r.rejected().size();
    const size_t evictions = r.pendingEvictions().size();
    std::optional<int64_t> lastSync;
    if (auto text = r.setting(settings::kLastSync)) {
        try {
            lastSync = std::stoll(*text);
        } catch (const std::exception&) {  // unreadable: shown as never
        }
    }
    auto orNull = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
    if (ctx.json()) {
        printJson(ctx.out(), json{{"device", r.deviceId().hex()},
                                  {"server", orNull(server)},
                                  {"user", orNull(user)},
                                  {"role", orNull(role)},
                                  {"signed_in", signedIn},
                                  {"revoked", orNull(revokedWhy)},
                                  {"pending", pending},
                                  {"rejected", rejected},
                                  {"pending_evictions", evictions},
                                  {"cursor", r.cursor()},
                                  {"acked", std::to_string(r.acked())},
                                  {"last_sync", lastSync ? json(*lastSync) : json(nullptr)}});
        return;
    }
    std::string who = !server ? "none (not signed in)"
        : signedIn            ? *server + " as " + user.value_or("?") + (role ? " (" + *role + ")" : "")
        : revokedWhy          ? *server + " (revoked: " + *revokedWhy + ")"
                              : *server + " (signed out)";
    std::vector<std::pair<std::string, std::string>> rows = {
        {"device", r.deviceId().hex()},
        {"server", who},
        {"pending", plural(pending, "change", "changes") + " not yet acknowledged by the server"},
        {"rejected", rejected ? plural(rejected, "change", "changes") + " refused (see: fieldsync rejected)" : "none"},
        {"cursor", std::to_string(r.cursor())},
        {"last sync", lastSync ? formatTime(*lastSync) : "never"},
    };
    if (evictions)
        rows.emplace_back("pending evictions", plural(evictions, "customer", "customers")
                                                   + " to remove once their changes are synced");
    printPairs(ctx.out(), rows);
}

void listRejected(Context& ctx)
{
    auto& r = ctx.replica();
    auto rejected = r.rejected();
    if (ctx.json()) {
        json out = json::array();
        for (const auto& c : rejected)
            out.push_back({{"clock", crdt::Clock{c.clock, r.deviceId()}.str()},
                           {"entity", c.entity},
                           {"id", c.id},
                           {"error", c.code},
                           {"reason", c.reason},
                           {"message", c.message},
                           {"rejected_at", c.rejectedAt},
                           {"change", c.record}});
        printJson(ctx.out(), out);
        return;
    }
    if (rejected.empty()) {
        ctx.out() << "no rejected changes\n";
        return;
    }
    Table table({"REJECTED AT", "ENTITY", "ROW", "CHANGES", "REASON"});
    table.setMaxCellWidth(60);
    for (const auto& c : rejected) {
        std::string changes;
        auto append = [&](const std::string& s) { changes += (changes.empty() ? "" : ", ") + s; };
        if (c.record.contains("set") && c.record["set"].is_object())
            for (const auto& [field, value] : c.record["set"].items()) append(field + "=" + formatJsonValue(value));
        for (const char* key : {"add", "remove"})
            if (c.record.contains(key) && c.record[key].is_array())
                for (const auto& op : c.record[key])
                    append(op.value("field", "?") + (std::string_view(key) == "add" ? " +" : " -")
                           + op.value("value", "?"));
        table.addRow({formatTime(c.rejectedAt), c.entity, c.id, changes, c.message.empty() ? c.code : c.message});
    }
    table.print(ctx.out());
    ctx.out() << "(the server refused these for good; this device shows the server's state of those rows)\n";
}

// Rotates the replica's key (client::rekeyReplica): crash-safe across the
// file and the key file.
void rekey(Context& ctx)
{
    if (ctx.plaintext()) ctx.usageError("a --plaintext replica has no key to rotate");
    if (const char* env = std::getenv(kKeyVariable); env && *env)
        ctx.usageError(std::string("the key comes from ") + kKeyVariable
                       + ", which fieldsync cannot change: unset it to rotate the key in the key file");
    const std::string path = ctx.dbPath();
    ctx.replica();  // opens it: a plain replica is encrypted, an interrupted rekey finished
    ctx.closeReplica();
    try {
        client::rekeyReplica(path, *ctx.secrets());
    } catch (const client::SecretsError& e) {
        throw CliError(ExitCode::Failure, e.what());
    }
    const std::string keyFile = client::FileSecretStore::pathFor(path);
    if (ctx.json()) printJson(ctx.out(), json{{"rekeyed", path}, {"key_file", keyFile}});
    else ctx.out() << "rekeyed " << path << ": its new key is in " << keyFile << "; the old key no longer opens it\n";
}

} // namespace

void addServerCommands(CommandTable& table)
{
    {
        Command c;
        c.words = {"rekey"};
        c.summary = "encrypt the replica with a new random key (kept in its key file)";
        c.details = "Re-encrypts the replica with a new key, crash-safe: the new key is written to\n"
                    "the key file as pending first, the file re-encrypted (copy, check, sync,\n"
                    "rename), then the new key made current; an interrupted rekey is finished by\n"
                    "the next command. Not with FIELDSYNC_REPLICA_KEY set, nor on a --plaintext\n"
                    "replica.\n";
        c.run = rekey;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"login"};
        c.synopsis = "--server URL --user NAME --password-stdin [--device-name N] [--ca-file PEM]";
        c.summary = "sign this device in to a sync server (the password is read from standard input)";
        c.details = "Reads one line from standard input as the password (typed without echo on a\n"
                    "terminal), so it never shows in the process list or shell history:\n"
                    "  printf '%s\\n' \"$PASSWORD\" | fieldsync --db phone.db login --server https://sync.example.com \\\n"
                    "      --user lina --password-stdin\n"
                    "The server and the sign-in are kept in the database. A database that has\n"
                    "synced cannot be signed in to another server or as another user.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("server", po::value<std::string>()->value_name("URL"), "the server, e.g. https://sync.example.com")
                ("user", po::value<std::string>()->value_name("NAME"), "user name")
                ("password-stdin", po::bool_switch(), "read the password from standard input (required)")
                ("device-name", po::value<std::string>()->value_name("N"), "how the server lists this device (default: host name)")
                ("ca-file", po::value<std::string>()->value_name("PEM"), "trust this CA certificate too (a private CA)");
        };
        c.run = login;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"logout"};
        c.synopsis = "[--force]";
        c.summary = "sign this device out and remove its data: the replica, its key and its token";
        c.details = "Refuses (exit 4) while changes are not yet synced, saying how many would be\n"
                    "lost: sync first, or give --force to discard them. Then asks the server to\n"
                    "revoke this device's token (POST /v1/logout) and deletes the replica, its WAL\n"
                    "and its key file (PATH.keys). If the server cannot be reached, the device is\n"
                    "wiped all the same and the command says so and exits 1: the server then\n"
                    "accepts the token until an administrator revokes the device\n"
                    "(fieldsync-server device revoke DEVICE).\n";
        c.options = [](po::options_description& d) {
            d.add_options()("force", po::bool_switch(), "sign out even if unsynced changes are lost");
        };
        c.run = logout;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"sync"};
        c.synopsis = "[--timeout S] [--batch N] [--json] | --watch [--period S] [--json]";
        c.summary = "push local changes and pull the server's until up to date";
        c.details = "Exits 0 only when everything is pushed and pulled. Changes the server refuses\n"
                    "for good (outside your scope or role) are moved aside: see fieldsync rejected.\n"
                    "Fails with exit status 1 if the server cannot be reached, 3 if not signed in,\n"
                    "6 if the server revoked this device's sign-in (signed out elsewhere or by an\n"
                    "administrator): the device is then wiped (the replica, its WAL and its key\n"
                    "file are deleted, and the command says how many unsynced changes were lost).\n"
                    "With --watch it keeps syncing until Ctrl-C (SIGINT) or SIGTERM, as the app does:\n"
                    "at once when the server announces changes over its WebSocket, every --period\n"
                    "seconds (default 60) otherwise, with backoff while the server is unreachable;\n"
                    "it prints one line per state change (one JSON object per line with --json).\n";
        c.options = [](po::options_description& d) {
            d.add_options()("timeout", po::value<std::string>()->value_name("S"),
                            "give up after S seconds (default: no limit; 30 s per request)")(
                "batch", po::value<std::string>()->value_name("N"),
                "push at most N changes per request (default 500; smaller on a poor connection)")(
                "watch", po::bool_switch(), "keep syncing until stopped: on the server's pokes and on a timer")(
                "period", po::value<std::string>()->value_name("S"), "with --watch: sync at least every S seconds");
        };
        c.run = sync;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"status"};
        c.synopsis = "[--json]";
        c.summary = "show the sign-in, pending and rejected changes, and the last sync";
        c.run = status;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"rejected"};
        c.synopsis = "[--json]";
        c.summary = "list changes the server refused for good, with the reasons";
        c.run = listRejected;
        table.add(std::move(c));
    }
}

} // namespace fieldsync::cli
