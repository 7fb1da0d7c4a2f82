// The customer commands over the domain layer (core/domain): the list with
// search, filters, sorts and pages; duplicate suggestions (before `customer
// add` saves, and on demand); the public pool (claim, claims,
// return-to-pool). `customer add`, set, tag, archive and show are the entity
// commands (EntityCommands.cpp), which call checkDuplicatesBeforeAdd.
#include "CliError.h"
#include "Commands.h"
#include "Output.h"

#include "domain/Customers.h"
#include "domain/Duplicates.h"
#include "domain/Pool.h"
#include "domain/SearchIndex.h"

#include <iostream>
#include <ostream>

namespace fieldsync::cli {

namespace {

using nlohmann::json;

std::string dateOf(const std::optional<int64_t>& ms)
{
    return ms ? formatTime(*ms).substr(0, 10) : std::string("never");
}

std::string orPool(const std::optional<std::string>& owner)
{
    return owner ? *owner : std::string("(pool)");
}

int intOption(Context& ctx, const char* name, int fallback)
{
    auto v = ctx.value(name);
    if (!v) return fallback;
    try {
        size_t used = 0;
        const long n = std::stol(*v, &used);
        if (used == v->size() && n >= INT32_MIN && n <= INT32_MAX) return static_cast<int>(n);
    } catch (const std::exception&) {
    }
    ctx.usageError("--" + std::string(name) + " needs a whole number, got \"" + *v + "\"");
}

void printSuggestions(std::ostream& out, const std::vector<domain::DuplicateSuggestion>& found)
{
    Table table({"ID", "NAME", "OWNER", "WHY", "MATCHED"});
    for (const auto& s : found) {
        std::string why = s.reason;
        for (auto& c : why)
            if (c == '_') c = ' ';
        table.addRow({s.id, s.name, orPool(s.owner), why, s.detail});
    }
    table.print(out);
}

json suggestionsJson(const std::vector<domain::DuplicateSuggestion>& found)
{
    json list = json::array();
    for (const auto& s : found) list.push_back(s.toJson());
    return list;
}

// ---------------------------------------------------------------- list

void listCustomers(Context& ctx)
{
    domain::CustomerQuery q;
    q.search = ctx.value("search").value_or("");
    q.level = ctx.value("level");
    q.tag = ctx.value("tag");
    q.region = ctx.value("region");
    q.stage = ctx.value("stage");
    q.owner = ctx.value("owner");
    q.poolOnly = ctx.flag("pool");
    q.overdueOnly = ctx.flag("overdue");
    q.includeArchived = ctx.flag("archived") || ctx.flag("all");
    if (auto sort = ctx.value("sort")) {
        auto s = domain::customerSortFromString(*sort);
        if (!s) ctx.usageError("--sort must be name, last-visit or level, got \"" + *sort + "\"");
        q.sort = *s;
    }
    q.descending = ctx.flag("desc");
    q.limit = intOption(ctx, "limit", 50);
    q.offset = intOption(ctx, "offset", 0);
    if (q.poolOnly && q.owner) ctx.usageError("--pool and --owner exclude each other");

    domain::Customers customers(ctx.replica());
    auto page = unwrap(customers.list(q));
    if (ctx.json()) {
        printJson(ctx.out(), page.toJson());
        return;
    }
    if (page.rows.empty()) {
        ctx.out() << (page.total ? "no customers on this page (" + std::to_string(page.total) + " in all)"
                                 : std::string("no customers"))
                  << '\n';
        return;
    }
    Table table({"ID", "NAME", "LEVEL", "PHONE", "OWNER", "LAST VISIT", "FLAGS"});
    for (const auto& r : page.rows) {
        std::string flags;
        if (r.overdue) flags = "overdue";
        if (r.archived) flags += flags.empty() ? "archived" : ", archived";
        table.addRow({r.id, r.name, r.level.value_or("-"), r.phone.value_or("-"), orPool(r.owner),
                      dateOf(r.lastVisit), flags});
    }
    table.print(ctx.out());
    const int64_t first = page.offset + 1, last = page.offset + static_cast<int64_t>(page.rows.size());
    ctx.out() << "(" << first << "-" << last << " of " << page.total << ")\n";
}

// ---------------------------------------------------------------- duplicates

void showDuplicates(Context& ctx)
{
    const bool byId = !ctx.operands().empty();
    if (byId == ctx.value("name").has_value())
        ctx.usageError("give either a customer ID or --name NAME [--phone P ...]");
    if (byId && !ctx.values("phone").empty()) ctx.usageError("--phone goes with --name, not with an ID");
    domain::SearchIndex index(ctx.replica());
    std::vector<domain::DuplicateSuggestion> found;
    if (byId) {
        found = unwrap(domain::duplicatesOf(index, ctx.operands()[0]));
    } else {
        if (ctx.value("name")->empty()) ctx.usageError("--name needs a name");
        found = domain::findDuplicates(index, {*ctx.value("name"), ctx.values("phone"), {}});
    }
    if (ctx.json()) {
        printJson(ctx.out(), suggestionsJson(found));
        return;
    }
    if (found.empty()) ctx.out() << "no likely duplicates\n";
    else printSuggestions(ctx.out(), found);
}

// ---------------------------------------------------------------- pool

void claimCustomer(Context& ctx)
{
    auto& r = ctx.replica();
    domain::SearchIndex index(r);
    domain::Pool pool(index);
    check(pool.claim(ctx.operands()[0]));
    const auto claims = pool.claims();
    if (ctx.json()) {
        printJson(ctx.out(), claims.front().toJson());
        return;
    }
    ctx.out() << "claimed " << claims.front().name << " (" << claims.front().customer
              << "); the server confirms it at the next sync: fieldsync customer claims\n";
}

void listClaims(Context& ctx)
{
    domain::SearchIndex index(ctx.replica());
    domain::Pool pool(index);
    const auto claims = pool.claims();
    if (ctx.json()) {
        json list = json::array();
        for (const auto& c : claims) list.push_back(c.toJson());
        printJson(ctx.out(), list);
        return;
    }
    if (claims.empty()) {
        ctx.out() << "no claims made on this device\n";
        return;
    }
    Table table({"CUSTOMER", "NAME", "STATUS", "CLAIMED", "BY", "REASON"});
    table.setMaxCellWidth(120);  // the reason names the customer id and its holder
    for (const auto& c : claims)
        table.addRow({c.customer, c.name, c.status, formatTime(c.claimedAt), c.claimedBy, c.reason});
    table.print(ctx.out());
}

void returnToPool(Context& ctx)
{
    if (!ctx.value("idle-days")) ctx.usageError("missing --idle-days N");
    const int days = intOption(ctx, "idle-days", 0);
    const bool dryRun = ctx.flag("dry-run");
    domain::SearchIndex index(ctx.replica());
    domain::Pool pool(index);
    const auto idle = unwrap(pool.returnToPool(days, dryRun));
    if (ctx.json()) {
        json list = json::array();
        for (const auto& c : idle) list.push_back(c.toJson());
        printJson(ctx.out(), json{{"dry_run", dryRun}, {"customers", list}});
        return;
    }
    if (idle.empty()) {
        ctx.out() << "no customer idle for " << days << " days\n";
        return;
    }
    Table table({"ID", "NAME", "OWNER", "LAST VISIT", "IDLE DAYS"});
    for (const auto& c : idle)
        table.addRow({c.id, c.name, c.owner, dateOf(c.lastVisit), std::to_string(c.idleDays)});
    table.print(ctx.out());
    ctx.out() << (dryRun ? "(dry run: " + std::to_string(idle.size()) + " would return to the pool)"
                         : std::to_string(idle.size()) + " returned to the pool")
              << '\n';
}

} // namespace

void checkDuplicatesBeforeAdd(Context& ctx, const std::string& name, const std::vector<std::string>& phones)
{
    domain::SearchIndex index(ctx.replica());
    const auto found = domain::findDuplicates(index, {name, phones, {}});
    if (found.empty()) return;
    if (ctx.flag("force")) {
        // Saved anyway: say so on stderr, keep stdout the new id.
        std::cerr << "fieldsync: note: saved despite " << found.size() << " likely duplicate(s), first: "
                  << found.front().name << " (" << found.front().id << ")\n";
        return;
    }
    if (ctx.json()) printJson(ctx.out(), json{{"duplicates", suggestionsJson(found)}});
    else printSuggestions(ctx.out(), found);
    throw CliError(ExitCode::Refused, "customer add: " + std::to_string(found.size())
                                          + " likely duplicate(s) already on this device (撞单); nothing was saved; "
                                            "claim or edit the existing customer, or add --force to save anyway");
}

void addCustomerQueryCommands(CommandTable& table)
{
    {
        Command c;
        c.words = {"customer", "list"};
        c.synopsis = "[--search TEXT] [--level L] [--tag T] [--region R] [--stage S] [--owner U | --pool]\n"
                     "                  [--overdue] [--archived] [--sort name|last-visit|level] [--desc]\n"
                     "                  [--limit N] [--offset N] [--json]";
        c.summary = "find customers: search (pinyin, initials, phone digits), filters, sort, pages";
        c.details = "--search matches names, contact names, addresses and phone numbers: Chinese\n"
                    "characters anywhere (昭智), pinyin from any syllable on (beijing, zhaozhi, beij),\n"
                    "initials (bjzz) and any run of 3 or more digits of a phone. Several words must\n"
                    "all match. --overdue: the last visit is older than the level's cadence (A 7, B 14,\n"
                    "C 30, D 90 days unless the team says otherwise), or there was none. --sort\n"
                    "last-visit lists the longest unvisited first. JSON: {\"total\", \"offset\",\n"
                    "\"customers\": [...]}.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("search", po::value<std::string>()->value_name("TEXT"), "what to look for")
                ("level", po::value<std::string>()->value_name("L"), "only this level (A, B, C, D)")
                ("tag", po::value<std::string>()->value_name("T"), "only customers with this tag")
                ("region", po::value<std::string>()->value_name("R"), "only this region")
                ("stage", po::value<std::string>()->value_name("S"), "only this lifecycle stage")
                ("owner", po::value<std::string>()->value_name("U"), "only customers owned by U")
                ("pool", po::bool_switch(), "only the public pool (no owner)")
                ("overdue", po::bool_switch(), "only customers due for a visit")
                ("archived", po::bool_switch(), "include archived customers")
                ("all", po::bool_switch(), "the same as --archived")
                ("sort", po::value<std::string>()->value_name("KEY"), "name (pinyin order, default), last-visit or level")
                ("desc", po::bool_switch(), "reverse the order")
                ("limit", po::value<std::string>()->value_name("N"), "rows per page, 1-1000 (default 50)")
                ("offset", po::value<std::string>()->value_name("N"), "rows to skip (default 0)");
        };
        c.run = listCustomers;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"customer", "duplicates"};
        c.synopsis = "ID | --name NAME [--phone P ...] [--json]";
        c.summary = "customers on this device that are probably the same one (撞单)";
        c.details = "Suggested when a phone number matches (digits only, +86/0086 dropped), the\n"
                    "names are the same or read the same in pinyin once company forms (有限公司,\n"
                    "集团, ...) are dropped, or one name contains the other. Archived customers\n"
                    "are not suggested.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("name", po::value<std::string>()->value_name("NAME"), "a name to check")
                ("phone", po::value<std::vector<std::string>>()->composing()->value_name("P"), "a phone number to check (repeatable)");
        };
        c.maxOperands = 1;
        c.run = showDuplicates;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"customer", "claim"};
        c.synopsis = "ID [--json]";
        c.summary = "claim a customer from the public pool (公海), offline";
        c.details = "The customer becomes yours on this device at once. The first claim to reach\n"
                    "the server wins: if another rep's got there first, yours is refused and\n"
                    "`customer claims` lists it as lost, with who holds the customer.\n";
        c.minOperands = c.maxOperands = 1;
        c.run = claimCustomer;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"customer", "claims"};
        c.synopsis = "[--json]";
        c.summary = "the claims made on this device: pending, won, lost (and why)";
        c.run = listClaims;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"customer", "return-to-pool"};
        c.synopsis = "--idle-days N [--dry-run] [--json]";
        c.summary = "managers: put customers nobody visited for N days back in the pool";
        c.details = "A customer is idle when its last visit and its assignment to its owner are\n"
                    "both more than N days ago. --dry-run lists them and changes nothing.\n";
        c.options = [](po::options_description& d) {
            d.add_options()
                ("idle-days", po::value<std::string>()->value_name("N"), "days without a visit (1-3650)")
                ("dry-run", po::bool_switch(), "only list them");
        };
        c.run = returnToPool;
        table.add(std::move(c));
    }
}

} // namespace fieldsync::cli
