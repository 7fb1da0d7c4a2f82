#include "SeedDemo.h"

#include "api/SyncApi.h"

#include "replica/Hub.h"
#include "schema/Schema.h"
#include "storage/Statement.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <regex>

namespace fieldsync::server {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kBeijingOffsetMs = 8 * 3'600'000;
// Records per Hub::push (one transaction each): large enough that commits
// do not dominate, small enough to bound memory for big companies.
constexpr size_t kBatch = 1000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string civilFromDays(int64_t z)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp + (mp < 10 ? 3 : -9);
    const int64_t y = yoe + era * 400 + (m <= 2);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
    return text;
}

// "2026-11-22" -> 00:00 of that day in Beijing time, ms since the epoch.
std::optional<int64_t> parseDay(const std::string& text)
{
    std::smatch m;
    static const std::regex day(R"((\d{4})-(\d{2})-(\d{2}))");
    if (!std::regex_match(text, m, day)) return std::nullopt;
    int64_t y = std::stoll(m[1]), mo = std::stoll(m[2]), d = std::stoll(m[3]);
    if (y < 1971 || mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    int64_t days = daysFromCivil(y, mo, d);
    if (civilFromDays(days) != text) return std::nullopt;  // 2026-02-30
    return days * kDayMs - kBeijingOffsetMs;
}

std::string dayText(int64_t beijingMidnight) { return civilFromDays((beijingMidnight + kBeijingOffsetMs) / kDayMs); }

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Role serverRole(domain::Role role)
{
    switch (role) {
    case domain::Role::Rep: return Role::Rep;
    case domain::Role::Manager: return Role::Manager;
    case domain::Role::Admin: return Role::Admin;
    }
    return Role::Rep;
}

std::string plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

} // namespace

Result<SeedReport> seedDemo(const StoreLocation& store, const domain::DemoCompany& company,
                            const Accounts::Options& accountOptions)
{
    auto started = std::chrono::steady_clock::now();
    // Look before touching anything.
    if (!storeIsEmpty(store)) {
        auto existing = openAccounts(store, accountOptions);
        const size_t users = existing->users().size(), teams = existing->teams().size();
        const uint64_t changes = openHub(store)->head();
        return failedPrecondition(store.describe() + " already holds data (" + plural(users, "user") + ", "
                                  + plural(teams, "team") + ", " + plural(changes, "change")
                                  + "); seed-demo only fills an empty store, so demo data never mixes "
                                    "with real data. Give a new directory with --data (or a new database)");
    }

    SeedReport report;
    auto hub = openHub(store);
    // A bulk load touches every index page over and over: a 64 MB page cache
    // (for this connection only) keeps them in memory instead of re-reading.
    if (hub->database().dialect() == storage::Dialect::Sqlite) hub->database().exec("PRAGMA cache_size = -65536");
    const auto& schema = schema::fieldsyncSchema();
    const auto& customer = *schema.entity("customer");
    const int ownerField = customer.field("owner")->index;
    crdt::Hlc after = 0;
    std::optional<Error> failure;
    replica::PushContext context;
    context.user = "seed-demo";
    verifyCheckIns(context, /*recordArrival=*/false);
    report.counts = company.generate(kBatch, [&](std::span<const protocol::ChangeRecord> batch) {
        if (failure) return;
        for (const auto& r : batch)
            if (r.entity == customer.code)
                for (const auto& w : r.writes)
                    if (w.field == ownerField) ++report.customersOf[std::get<std::string>(w.value)];
        auto pushStarted = std::chrono::steady_clock::now();
        auto pushed = hub->push(company.device(), after, batch, context);
        report.mergeSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - pushStarted).count();
        if (!pushed) {
            failure = pushed.error();
            return;
        }
        // Everything generated is valid and in scope: a refusal is a bug.
        if (pushed->accepted != batch.size())
            throw std::logic_error("the hub refused " + std::to_string(batch.size() - pushed->accepted)
                                   + " demo records");
        after = pushed->acked;
    });
    if (failure) return *failure;
    report.changes = hub->head();
    {
        storage::UsingStatement st(hub->database(),
                                   "SELECT verdict, count(*) FROM visit WHERE verdict IS NOT NULL GROUP BY verdict");
        while (st->step()) report.verdicts[st->getText(0)] = static_cast<size_t>(st->getInt(1));
    }

    auto accountsStore = openAccounts(store, accountOptions);
    Accounts& accounts = *accountsStore;
    for (const auto& t : company.teams())
        if (auto st = accounts.addTeam(t.name); !st) return st.error();
    for (const auto& u : company.users()) {
        std::optional<std::string> team;
        if (!u.team.empty()) team = u.team;
        if (auto added = accounts.addUser(u.name, serverRole(u.role), team, u.password); !added) return added.error();
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

namespace {
size_t verdictCount(const SeedReport& r, const std::string& verdict)
{
    auto it = r.verdicts.find(verdict);
    return it == r.verdicts.end() ? 0 : it->second;
}
} // namespace

int seedDemoCommand(const std::optional<StoreLocation>& store, const std::vector<std::string>& args,
                    const Accounts::Options& accountOptions, std::ostream& out, std::ostream& err)
{
    auto fail = [&](int code, const std::string& message) {
        err << "fieldsync-server: seed-demo: " << message << "\n";
        return code;
    };
    domain::DemoOptions defaults;
    po::options_description opts("seed-demo options");
    opts.add_options()("help,h", "show this help")
        ("reps", po::value<int>()->default_value(defaults.reps), "sales reps (teams of up to 4, one manager each)")
        ("customers", po::value<int>()->default_value(defaults.customers), "customers")
        ("visits", po::value<int>()->default_value(defaults.visits), "visits (past ones and a few planned)")
        ("seed", po::value<uint64_t>()->default_value(defaults.seed), "random seed: the same seed gives the same data")
        ("today", po::value<std::string>(), "the company's today, YYYY-MM-DD in Beijing time (default: today)")
        ("json", po::bool_switch(), "print the result as JSON");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return fail(2, std::string(e.what()) + " (see fieldsync-server seed-demo --help)");
    }
    if (vm.count("help")) {
        out << "Usage: fieldsync-server --data DIR seed-demo [--reps N] [--customers N] [--visits N] [--seed S]\n"
               "                        [--today YYYY-MM-DD] [--json]\n\n"
               "Fills an empty data directory with a synthetic sales company for demos and\n"
               "benchmarks: teams, users with demo passwords (printed), customers, contacts,\n"
               "visits, tasks and complaints (docs/demo.md). A directory holding data is refused.\n\n"
            << opts;
        return 0;
    }
    if (!store) return fail(2, "--data DIR is required (the server's data directory; or --store STORE)");

    domain::DemoOptions options;
    options.reps = vm["reps"].as<int>();
    options.customers = vm["customers"].as<int>();
    options.visits = vm["visits"].as<int>();
    options.seed = vm["seed"].as<uint64_t>();
    const int64_t today = domain::beijingMidnight(nowMs());
    options.today = today;
    if (vm.count("today")) {
        auto day = parseDay(vm["today"].as<std::string>());
        if (!day) return fail(2, "--today takes a date as YYYY-MM-DD, e.g. 2026-11-22");
        // Records are stamped at 00:00 of that day: a later day would put
        // them ahead of every device's clock.
        if (*day > today) return fail(2, "--today " + vm["today"].as<std::string>() + " is in the future");
        options.today = *day;
    }
    auto company = domain::DemoCompany::make(options);
    if (!company) return fail(2, "--" + company.error().message);

    auto seeded = seedDemo(*store, *company, accountOptions);
    if (!seeded) return fail(seeded.error().code == ErrorCode::FailedPrecondition ? 4 : 1, seeded.error().message);
    const auto& r = *seeded;
    const auto& c = r.counts;

    if (vm["json"].as<bool>()) {
        json users = json::array();
        for (const auto& u : company->users()) {
            auto owned = r.customersOf.find(u.name);
            users.push_back({{"name", u.name}, {"display_name", u.displayName}, {"role", roleName(serverRole(u.role))},
                             {"team", u.team.empty() ? json() : json(u.team)}, {"password", u.password},
                             {"customers", owned == r.customersOf.end() ? 0 : owned->second}});
        }
        json teams = json::array();
        for (const auto& t : company->teams()) teams.push_back({{"name", t.name}, {"city", t.city}, {"manager", t.manager}});
        json result = {{"data", store->kind == StoreLocation::Kind::Sqlite ? store->dir : store->describe()}, {"seed", options.seed}, {"today", dayText(company->options().today)},
                       {"customers", c.customers}, {"pool", c.pool}, {"contacts", c.contacts}, {"visits", c.visits},
                       {"tasks", c.tasks}, {"complaints", c.complaints}, {"changes", r.changes},
                       {"verdicts", r.verdicts},
                       {"seconds", r.seconds}, {"merge_seconds", r.mergeSeconds}, {"teams", teams}, {"users", users}};
        out << result.dump(2) << "\n";
        return 0;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", r.seconds);
    out << "Seeded the demo company into " << (store->kind == StoreLocation::Kind::Sqlite ? store->dir : store->describe()) << " in " << seconds << " s (seed " << options.seed
        << ", today " << dayText(company->options().today) << "):\n"
        << "  " << c.customers << " customers (" << c.pool << " in the public pool), " << c.contacts << " contacts, "
        << c.visits << " visits, " << c.tasks << " tasks, " << c.complaints << " complaints: " << r.changes
        << " changes in the hub log\n"
        << "  check-ins judged by the server: " << verdictCount(r, "verified") << " verified, "
        << verdictCount(r, "unverified") << " unverified, " << verdictCount(r, "suspicious")
        << " suspicious (fieldsync report feed --verdict suspicious)\n\n"
        << "Users. The passwords are demo passwords, printed for anyone to read: never use them for real data.\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-14s %-8s %-12s %-16s %9s  %s\n", "USER", "ROLE", "TEAM", "PASSWORD",
                  "CUSTOMERS", "NAME");
    out << line;
    for (const auto& u : company->users()) {
        auto owned = r.customersOf.find(u.name);
        std::string count = u.role == domain::Role::Rep
            ? std::to_string(owned == r.customersOf.end() ? 0 : owned->second) : "-";
        std::snprintf(line, sizeof line, "  %-14s %-8s %-12s %-16s %9s  %s\n", u.name.c_str(),
                      std::string(roleName(serverRole(u.role))).c_str(), u.team.empty() ? "-" : u.team.c_str(),
                      u.password.c_str(), count.c_str(), u.displayName.c_str());
        out << line;
    }
    out << "\nStart the server: fieldsync-server "
        << (store->kind == StoreLocation::Kind::Sqlite ? "--data " + store->dir : "--store " + store->describe())
        << " serve\n";
    return 0;
}

} // namespace fieldsync::server
