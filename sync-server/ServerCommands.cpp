#include "ServerCommands.h"

#include "AuditCommand.h"
#include "SeedDemo.h"
#include "api/Metrics.h"
#include "api/Scope.h"
#include "api/SyncApi.h"
#include "net/RevocationWatcher.h"
#include "net/Server.h"
#include "replica/Hub.h"
#include "store/Accounts.h"
#include "stores/Migrate.h"
#include "stores/PokeRelay.h"
#include "stores/Stores.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <pwd.h>
#include <set>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace fieldsync::server {
namespace po = boost::program_options;
using nlohmann::json;

namespace {

constexpr const char* kUsage = R"(fieldsync-server — the company's sync server for fieldsync devices

Usage:
  fieldsync-server --data DIR COMMAND [ARGS...]
  fieldsync-server --store postgres://USER@HOST:PORT/DATABASE COMMAND [ARGS...]

Commands:
  serve                 run the server (see: fieldsync-server serve --help)
  team add NAME         add a team
  user add --name N --role rep|manager|admin [--team T] --password-stdin
                        add a user; the password is read from standard input
  user list [--json]    list users
  device list [--json]  list signed-in devices
  device revoke DEVICE  sign a device out (a lost phone): its token stops working at once
  dump [--as USER]      canonical JSON of the merged state (as USER's devices see it)
  audit [--user U] [--device D] [--customer C] [--row ID] [--since T] [--json|--csv] ...
                        who changed what, when, from which device: the change log
                        (see: fieldsync-server audit --help; docs/operations.md)
  seed-demo [--reps N] [--customers N] [--visits N] [--seed S]
                        fill an empty data directory with a demo company (docs/demo.md)
  migrate --from STORE --to STORE
                        copy a company's data into an empty store, e.g.
                        --from sqlite:DIR --to postgres://… (docs/scale-out.md)

Global options:
  --data DIR            the server's data directory (created if missing)
  --store STORE         where the data is: sqlite:DIR (the same as --data DIR) or
                        postgres://USER[:PASSWORD]@HOST:PORT/DATABASE, a PostgreSQL
                        database several server instances share (docs/scale-out.md)
  -h, --help            help; works after any command

Exit status: 0 success, 1 failure, 2 usage error or invalid input, 3 not found,
4 refused by the current state (seed-demo into a directory that holds data).
)";

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

int fail(int code, const std::string& message)
{
    std::cerr << "fieldsync-server: " << message << "\n";
    return code;
}

int exitFor(const Error& e)
{
    switch (e.code) {
    case ErrorCode::InvalidArgument: return 2;
    case ErrorCode::NotFound: return 3;
    default: return 1;
    }
}

std::optional<StoreLocation> maybeStore(const po::variables_map& vm)
{
    if (vm.count("data") && vm.count("store")) throw Usage("give --data DIR or --store STORE, not both");
    if (vm.count("store")) {
        auto s = parseStore(vm["store"].as<std::string>());
        if (!s) throw Usage(s.error().message);
        return *s;
    }
    if (vm.count("data")) return StoreLocation{StoreLocation::Kind::Sqlite, vm["data"].as<std::string>(), {}};
    return std::nullopt;
}

StoreLocation storeOf(const po::variables_map& vm)
{
    auto s = maybeStore(vm);
    if (!s) throw Usage("--data DIR is required (the server's data directory; or --store STORE)");
    return *s;
}

#ifndef FIELDSYNC_FAST_HASH_SWITCH
#define FIELDSYNC_FAST_HASH_SWITCH 0
#endif

// The accounts' options of every command. FIELDSYNC_FAST_PASSWORD_HASH=1 is
// honoured only by builds with the CMake option FIELDSYNC_FAST_HASH_SWITCH
// (tests and demos); `serve` logs what it does with it, the other commands
// say so only when a build without the switch ignores it.
Accounts::Options accountOptions(bool serving = false)
{
    std::string note;
    Accounts::Options o = Accounts::fromEnvironment(FIELDSYNC_FAST_HASH_SWITCH != 0, &note);
    if (note.empty()) return o;
    if (serving) spdlog::warn("{}", note);
    else if (!FIELDSYNC_FAST_HASH_SWITCH) std::cerr << "fieldsync-server: " << note << "\n";
    return o;
}

std::pair<std::string, uint16_t> parseListen(const std::string& listen)
{
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw Usage("--listen takes HOST:PORT, e.g. 127.0.0.1:8470");
    std::string host = listen.substr(0, colon);
    int port = -1;
    try {
        port = std::stoi(listen.substr(colon + 1));
    } catch (...) {
    }
    if (port < 0 || port > 65535) throw Usage("--listen: the port must be a number from 0 to 65535");
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return {host, static_cast<uint16_t>(port)};
}

int serve(const po::variables_map& globals, const std::vector<std::string>& args)
{
    po::options_description opts("serve options");
    opts.add_options()("help,h", "show this help")
        ("listen", po::value<std::string>()->default_value("127.0.0.1:8470"), "HOST:PORT to listen on (port 0: any free port)")
        ("tls-cert", po::value<std::string>(), "PEM certificate (chain): serve HTTPS/WSS")
        ("tls-key", po::value<std::string>(), "PEM private key for --tls-cert")
        ("insecure", po::bool_switch(), "allow plain HTTP on an address other than loopback")
        ("max-body", po::value<size_t>()->default_value(8 * 1024 * 1024),
         "largest body of an authenticated /v1/sync, bytes")
        ("max-anonymous-body", po::value<size_t>()->default_value(16 * 1024),
         "largest body of any other request (sign-in, or a token that is not valid), bytes")
        ("max-body-in-flight", po::value<size_t>()->default_value(128 * 1024 * 1024),
         "request bodies being received at once, all connections together, bytes; beyond: 503")
        ("max-connections", po::value<size_t>()->default_value(10000),
         "open connections, all clients (lowered to what ulimit -n leaves); beyond: only /healthz, else 503")
        ("max-connections-per-address", po::value<size_t>()->default_value(1024),
         "open connections from one client IP (0: no limit, e.g. behind a reverse proxy); beyond: 429")
        ("max-websockets-per-device", po::value<size_t>()->default_value(2),
         "WebSockets one device may hold; a newer one closes its oldest (close code 4002)")
        ("header-timeout", po::value<int>()->default_value(10),
         "seconds a request's line and headers may take (a new connection's TLS handshake included)")
        ("idle-timeout", po::value<int>()->default_value(60),
         "seconds a kept-alive connection may wait for its next request; idle WebSockets are pinged")
        ("body-timeout", po::value<int>()->default_value(15),
         "seconds a request body may take, plus one per --min-body-rate bytes of it")
        ("min-body-rate", po::value<size_t>()->default_value(16 * 1024),
         "bytes per second a request body must arrive at, on average")
        ("revocation-poll-ms", po::value<int>()->default_value(250),
         "how often the accounts store is asked for revoked devices, whose WebSockets are then closed")
        ("max-batch", po::value<size_t>()->default_value(5000), "most changes in one push")
        ("max-drift-ms", po::value<int64_t>()->default_value(300000), "how far ahead of server time a change may be stamped")
        ("threads", po::value<int>()->default_value(2), "network threads")
        ("port-file", po::value<std::string>(), "write the bound port to this file once listening")
        ("log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << "Usage: fieldsync-server --data DIR serve [options]\n\n" << opts;
        return 0;
    }
    const StoreLocation store = storeOf(globals);
    spdlog::set_level(spdlog::level::from_str(vm["log-level"].as<std::string>()));
    if (vm.count("tls-cert") != vm.count("tls-key")) throw Usage("--tls-cert and --tls-key go together");

    auto hub = openHub(store);
    auto accounts = openAccounts(store, accountOptions(true));
    Metrics metrics;
    ApiOptions apiOptions;
    apiOptions.maxChangesPerPush = vm["max-batch"].as<size_t>();
    apiOptions.maxDriftMs = vm["max-drift-ms"].as<int64_t>();
    apiOptions.openReader = hubReaders(store);
    SyncApi api(*hub, *accounts, metrics, apiOptions);

    ServerOptions so;
    std::tie(so.address, so.port) = parseListen(vm["listen"].as<std::string>());
    so.threads = std::max(2, vm["threads"].as<int>());
    so.maxBodyBytes = vm["max-body"].as<size_t>();
    so.maxAnonymousBodyBytes = vm["max-anonymous-body"].as<size_t>();
    so.maxBodyBytesInFlight = vm["max-body-in-flight"].as<size_t>();
    so.maxConnections = vm["max-connections"].as<size_t>();
    so.maxConnectionsPerAddress = vm["max-connections-per-address"].as<size_t>();
    so.maxWebSocketsPerDevice = vm["max-websockets-per-device"].as<size_t>();
    so.headerTimeout = std::chrono::seconds(vm["header-timeout"].as<int>());
    so.idleTimeout = std::chrono::seconds(vm["idle-timeout"].as<int>());
    so.bodyTimeout = std::chrono::seconds(vm["body-timeout"].as<int>());
    so.minBodyRate = vm["min-body-rate"].as<size_t>();
    const int revocationPollMs = vm["revocation-poll-ms"].as<int>();
    if (revocationPollMs < 10 || revocationPollMs > 60'000)
        throw Usage("--revocation-poll-ms must be from 10 to 60000");
    so.insecure = vm["insecure"].as<bool>();
    if (vm.count("tls-cert")) {
        so.tlsCertFile = vm["tls-cert"].as<std::string>();
        so.tlsKeyFile = vm["tls-key"].as<std::string>();
    }
    // Signals are taken by this thread with sigwait, never by the io threads:
    // block them before any thread starts (they inherit the mask).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Server server(so, api);
    // PostgreSQL: pokes go through the database, so devices connected to
    // another instance hear of this one's changes (stores/PokeRelay.h).
    std::unique_ptr<PokeRelay> relay;
    if (store.kind == StoreLocation::Kind::Postgres) {
        relay = std::make_unique<PokeRelay>(store.url, server);
        relay->start();
        api.setPokeSink(relay.get());
    } else {
        api.setPokeSink(&server);
    }
    metrics.setGauge([&server] { return server.connectedWebSockets(); });
    server.start();
    // A device revoked by `device revoke` (another process, maybe another
    // instance) loses its WebSockets here too (net/RevocationWatcher.h).
    RevocationWatcher::Options watch;
    watch.interval = std::chrono::milliseconds(revocationPollMs);
    RevocationWatcher revocations(
        server,
        [&accounts](int64_t sinceMs) {
            std::vector<std::string> devices;
            for (auto& d : accounts->revokedDevicesSince(sinceMs)) devices.push_back(std::move(d.device));
            return devices;
        },
        watch);
    revocations.start();
    spdlog::info("fieldsync-server {} serving {} (store {})", "v1", server.url(), store.describe());
    std::cout << "listening on " << server.url() << std::endl;
    if (vm.count("port-file")) {
        std::string path = vm["port-file"].as<std::string>();
        std::ofstream(path + ".tmp") << server.port() << "\n";
        std::filesystem::rename(path + ".tmp", path);  // appears whole
    }
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    revocations.stop();
    server.stop();
    if (relay) relay->stop();
    spdlog::info("stopped");
    return 0;
}

int teamCommand(const po::variables_map& globals, const std::vector<std::string>& args)
{
    if (args.size() == 2 && args[0] == "add") {
        auto accountsStore = openAccounts(storeOf(globals), accountOptions());
        Accounts& accounts = *accountsStore;
        auto st = accounts.addTeam(args[1]);
        if (!st) return fail(exitFor(st.error()), st.error().message);
        std::cout << "team " << args[1] << " added\n";
        return 0;
    }
    throw Usage("usage: fieldsync-server --data DIR team add NAME");
}

int userCommand(const po::variables_map& globals, const std::vector<std::string>& args)
{
    if (args.empty()) throw Usage("usage: fieldsync-server --data DIR user add|list ...");
    if (args[0] == "list") {
        po::options_description opts("user list options");
        opts.add_options()("help,h", "show this help")("json", po::bool_switch(), "print JSON");
        po::variables_map vm;
        po::store(po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end())).options(opts).run(), vm);
        if (vm.count("help")) {
            std::cout << "Usage: fieldsync-server --data DIR user list [--json]\n\n" << opts;
            return 0;
        }
        auto accountsStore = openAccounts(storeOf(globals), accountOptions());
        Accounts& accounts = *accountsStore;
        auto users = accounts.users();
        if (vm["json"].as<bool>()) {
            json out = json::array();
            for (const auto& u : users)
                out.push_back({{"name", u.name}, {"role", roleName(u.role)}, {"team", u.team ? json(*u.team) : json()}});
            std::cout << out.dump(2) << "\n";
        } else {
            std::printf("%-20s %-8s %s\n", "NAME", "ROLE", "TEAM");
            for (const auto& u : users)
                std::printf("%-20s %-8s %s\n", u.name.c_str(), std::string(roleName(u.role)).c_str(),
                            u.team ? u.team->c_str() : "-");
        }
        return 0;
    }
    if (args[0] == "add") {
        po::options_description opts("user add options");
        opts.add_options()("help,h", "show this help")("name", po::value<std::string>(), "user name (sign-in name)")
            ("role", po::value<std::string>(), "rep, manager or admin")("team", po::value<std::string>(), "the user's team")
            ("password-stdin", po::bool_switch(), "read the password from standard input (required)");
        po::variables_map vm;
        po::store(po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end())).options(opts).run(), vm);
        if (vm.count("help")) {
            std::cout << "Usage: fieldsync-server --data DIR user add --name N --role R [--team T] --password-stdin\n\n"
                      << opts;
            return 0;
        }
        if (!vm.count("name") || !vm.count("role")) throw Usage("user add needs --name and --role");
        auto role = roleFromName(vm["role"].as<std::string>());
        if (!role) throw Usage("--role must be rep, manager or admin");
        if (!vm["password-stdin"].as<bool>())
            throw Usage("give the password on standard input with --password-stdin (never on the command line)");
        std::string password;
        if (!std::getline(std::cin, password) || password.empty()) throw Usage("no password on standard input");
        auto accountsStore = openAccounts(storeOf(globals), accountOptions());
        Accounts& accounts = *accountsStore;
        std::optional<std::string> team;
        if (vm.count("team")) team = vm["team"].as<std::string>();
        auto u = accounts.addUser(vm["name"].as<std::string>(), *role, team, password);
        if (!u) return fail(exitFor(u.error()), u.error().message);
        std::cout << "user " << u->name << " (" << roleName(u->role) << (u->team ? ", team " + *u->team : "") << ") added\n";
        return 0;
    }
    throw Usage("unknown user command \"" + args[0] + "\" (add, list)");
}

int deviceCommand(const po::variables_map& globals, const std::vector<std::string>& args)
{
    if (args.empty()) throw Usage("usage: fieldsync-server --data DIR device list|revoke ...");
    auto accountsStore = openAccounts(storeOf(globals), accountOptions());
    Accounts& accounts = *accountsStore;
    if (args[0] == "list") {
        bool asJson = args.size() > 1 && args[1] == "--json";
        auto devices = accounts.devices();
        if (asJson) {
            json out = json::array();
            for (const auto& d : devices)
                out.push_back({{"device", d.device}, {"user", d.user}, {"name", d.name}, {"created_at", d.createdAt},
                               {"last_seen", d.lastSeen}, {"revoked", d.revokedAt.has_value()}});
            std::cout << out.dump(2) << "\n";
        } else {
            std::printf("%-32s  %-16s %-8s %s\n", "DEVICE", "USER", "STATE", "NAME");
            for (const auto& d : devices)
                std::printf("%-32s  %-16s %-8s %s\n", d.device.c_str(), d.user.c_str(), d.revokedAt ? "revoked" : "active",
                            d.name.c_str());
        }
        return 0;
    }
    if (args[0] == "revoke" && args.size() == 2) {
        const passwd* pw = ::getpwuid(::geteuid());
        std::string who = "fieldsync-server device revoke, run by " + std::string(pw ? pw->pw_name : "uid " + std::to_string(::geteuid()));
        if (const char* sudo = std::getenv("SUDO_USER")) who += " (sudo from " + std::string(sudo) + ")";
        auto st = accounts.revokeDevice(args[1], Revocation::Admin, who);
        if (!st) return fail(exitFor(st.error()), st.error().message);
        std::cout << "device " << args[1] << " revoked\n";
        return 0;
    }
    throw Usage("usage: fieldsync-server --data DIR device list [--json] | device revoke DEVICE");
}

int dumpCommand(const po::variables_map& globals, const std::vector<std::string>& args)
{
    std::optional<std::string> as;
    if (args.size() == 2 && args[0] == "--as") as = args[1];
    else if (!args.empty()) throw Usage("usage: fieldsync-server --data DIR dump [--as USER]");
    const StoreLocation store = storeOf(globals);
    auto hub = openHub(store);
    if (!as) {
        std::cout << hub->dump().dump(2) << "\n";
        return 0;
    }
    auto accounts = openAccounts(store, accountOptions());
    auto user = accounts->user(*as);
    if (!user) return fail(3, "no user " + *as);
    Scope scope = Scope::of(*user, *accounts);
    replica::Viewer viewer = scope.viewer();
    std::cout << hub->dump(viewer).dump(2) << "\n";
    return 0;
}

int migrateCommand(const po::variables_map& globals, const std::vector<std::string>& args)
{
    po::options_description opts("migrate options");
    opts.add_options()("help,h", "show this help")("from", po::value<std::string>(), "source store: sqlite:DIR or postgres://...")(
        "to", po::value<std::string>(), "destination store (must be empty)")("json", po::bool_switch(), "print the report as JSON");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << "Usage: fieldsync-server migrate --from STORE --to STORE [--json]\n\n"
                     "Copies a company's data (hub log and state, users, teams, device tokens) into an\n"
                     "empty store and compares both afterwards. Stop the servers of the source first.\n"
                     "STORE is sqlite:DIR or postgres://USER[:PASSWORD]@HOST:PORT/DATABASE.\n\n"
                  << opts;
        return 0;
    }
    if (globals.count("data") || globals.count("store")) throw Usage("migrate takes --from and --to, not --data/--store");
    if (!vm.count("from") || !vm.count("to")) throw Usage("migrate needs --from STORE and --to STORE");
    auto from = parseStore(vm["from"].as<std::string>());
    if (!from) throw Usage("--from: " + from.error().message);
    auto to = parseStore(vm["to"].as<std::string>());
    if (!to) throw Usage("--to: " + to.error().message);
    auto report = migrateStore(*from, *to, accountOptions());
    if (!report) return fail(report.error().code == ErrorCode::FailedPrecondition ? 4 : exitFor(report.error()),
                             report.error().message);
    if (vm["json"].as<bool>()) {
        json rows = json::object();
        for (const auto& [table, n] : report->rows) rows[table] = n;
        std::cout << json{{"from", from->describe()}, {"to", to->describe()}, {"head", report->head}, {"rows", rows},
                          {"seconds", report->seconds}, {"verified", true}}
                         .dump(2)
                  << "\n";
        return 0;
    }
    std::cout << "Copied " << from->describe() << " to " << to->describe() << " in " << report->seconds << " s:\n";
    for (const auto& [table, n] : report->rows) std::cout << "  " << table << ": " << n << " rows\n";
    std::cout << "Verified: the same log (head " << report->head << "), merged state and accounts on both sides.\n";
    return 0;
}

} // namespace

int runServerCli(const std::vector<std::string>& args)
{
    try {
        // Global options come first; the command and its own options follow.
        po::options_description globals("global options");
        globals.add_options()("help,h", "help")("data", po::value<std::string>(), "data directory")(
            "store", po::value<std::string>(), "sqlite:DIR or postgres://...");
        po::variables_map vm;
        auto parsed = po::command_line_parser(args).options(globals).allow_unregistered().run();
        po::store(parsed, vm);
        auto rest = po::collect_unrecognized(parsed.options, po::include_positional);
        if (rest.empty()) {
            std::cout << kUsage;
            return vm.count("help") ? 0 : 2;
        }
        const std::string command = rest.front();
        std::vector<std::string> tail(rest.begin() + 1, rest.end());
        if (vm.count("help")) tail.push_back("--help");
        if (command == "serve") return serve(vm, tail);
        // The administrative commands' log lines (a revocation) go to stderr:
        // stdout is their answer, which scripts read.
        spdlog::set_default_logger(
            std::make_shared<spdlog::logger>("fieldsync-server", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
        if (command == "seed-demo")
            return seedDemoCommand(maybeStore(vm), tail,
                                   accountOptions(), std::cout, std::cerr);
        if (command == "audit")
            return auditCommand(maybeStore(vm), tail, accountOptions(), std::cout, std::cerr);
        if (command == "help") {
            std::cout << kUsage;
            return 0;
        }
        bool wantsHelp = std::find(tail.begin(), tail.end(), "--help") != tail.end()
            || std::find(tail.begin(), tail.end(), "-h") != tail.end();
        if (wantsHelp && command != "user" && command != "migrate") {
            std::cout << kUsage;
            return 0;
        }
        if (command == "team") return teamCommand(vm, tail);
        if (command == "user") return userCommand(vm, tail);
        if (command == "device") return deviceCommand(vm, tail);
        if (command == "dump") return dumpCommand(vm, tail);
        if (command == "migrate") return migrateCommand(vm, tail);
        throw Usage("unknown command \"" + command + "\" (see fieldsync-server --help)");
    } catch (const Usage& e) {
        return fail(2, e.what());
    } catch (const po::error& e) {
        return fail(2, e.what());
    } catch (const std::exception& e) {
        return fail(1, e.what());
    }
}

} // namespace fieldsync::server
