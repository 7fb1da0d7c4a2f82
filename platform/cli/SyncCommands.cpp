// The replica-wide commands: init, changes (offline sync by file), conflicts
// and dump; sync with a server is in ServerCommands.cpp.
#include "CliError.h"
#include "Commands.h"
#include "Output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace fieldsync::cli {

namespace {

using nlohmann::json;

// ---------------------------------------------------------------- files

std::string readInput(const std::string& path)
{
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        return ss.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CliError(ExitCode::Failure, "cannot read " + path + ": " + std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw CliError(ExitCode::Failure, "cannot read " + path + ": " + std::strerror(errno));
    return text;
}

// Writes next to the target and renames, so a failed export never leaves a
// half-written bundle behind.
void writeOutput(const std::string& path, const std::string& text)
{
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw CliError(ExitCode::Failure, "cannot write " + path + ": " + std::strerror(errno));
        out << text;
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            throw CliError(ExitCode::Failure, "cannot write " + path + ": " + std::strerror(errno));
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        std::remove(tmp.c_str());
        throw CliError(ExitCode::Failure, "cannot write " + path + ": " + std::strerror(err));
    }
}

// ---------------------------------------------------------------- commands

void init(Context& ctx)
{
    auto& r = ctx.createReplica();
    if (ctx.json())
        printJson(ctx.out(), json{{"device_id", r.deviceId().hex()},
                                  {"encrypted", !ctx.plaintext()},
                                  {"key_file", client::FileSecretStore::pathFor(ctx.dbPath())}});
    else ctx.out() << r.deviceId().hex() << '\n';
}

void exportChanges(Context& ctx)
{
    auto& r = ctx.replica();
    const auto& path = ctx.operands()[0];
    protocol::Bundle bundle = r.exportBundle();
    std::string text = protocol::toJson(bundle, r.schema()).dump(2) + "\n";
    if (path == "-") {
        ctx.out() << text;
        return;
    }
    writeOutput(path, text);
    if (ctx.json()) printJson(ctx.out(), json{{"file", path}, {"records", bundle.records.size()}});
    else ctx.out() << "exported " << bundle.records.size() << " records to " << path << '\n';
}

void importChanges(Context& ctx)
{
    const auto& path = ctx.operands()[0];
    const std::string name = path == "-" ? "standard input" : path;
    std::string text = readInput(path);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e400
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
        usageError(name + " is not a bundle: not valid JSON (" + what + ")");
    }
    auto& r = ctx.replica();
    auto bundle = protocol::bundleFromJson(j, r.schema());
    if (!bundle) usageError(name + " is not a valid bundle: " + bundle.error().message);
    replica::ApplyStats stats = r.importBundle(*bundle);
    if (ctx.json()) {
        printJson(ctx.out(), json{{"from", bundle->from.hex()},
                                  {"records", stats.records},
                                  {"rows_changed", stats.rowsChanged},
                                  {"provisional_conflicts", stats.provisionalConflicts},
                                  {"ahead_refused", stats.aheadRefused}});
        return;
    }
    printPairs(ctx.out(), {{"from device", bundle->from.hex()},
                           {"records applied", std::to_string(stats.records)},
                           {"rows changed", std::to_string(stats.rowsChanged)},
                           {"provisional conflicts", std::to_string(stats.provisionalConflicts)}});
    if (stats.aheadRefused)
        ctx.out() << "\n" << stats.aheadRefused << " change(s) were not imported: they are stamped more than "
                  << replica::kMaxClockAheadMs / 60000 << " minutes ahead of this device's clock (the exporting "
                     "device's clock runs ahead).\nThey arrive here when that device syncs. If this device's date "
                     "is wrong instead, correct it and import again.\n";
}

void pendingChanges(Context& ctx)
{
    auto& r = ctx.replica();
    const auto& schema = r.schema();
    auto batch = r.pending(static_cast<size_t>(std::numeric_limits<int64_t>::max()));
    if (ctx.json()) {
        json out = json::array();
        for (const auto& rec : batch.records) out.push_back(protocol::toJson(rec, schema));
        printJson(ctx.out(), out);
        return;
    }
    if (batch.records.empty()) {
        ctx.out() << "no pending changes\n";
        return;
    }
    Table table({"CLOCK", "ENTITY", "ROW", "CHANGES"});
    table.setMaxCellWidth(60);
    for (const auto& rec : batch.records) {
        const auto& e = schema.entity(rec.entity);
        std::string changes;
        auto append = [&](const std::string& s) { changes += (changes.empty() ? "" : ", ") + s; };
        for (const auto& w : rec.writes) append(e.fields.at(static_cast<size_t>(w.field)).name);
        for (const auto& op : rec.setOps)
            append(e.fields.at(static_cast<size_t>(op.field)).name + (op.remove ? " -" : " +") + op.element);
        table.addRow({rec.clock.str(), e.name, rec.id, changes});
    }
    table.print(ctx.out());
    ctx.out() << "(" << batch.records.size() << " change" << (batch.records.size() == 1 ? "" : "s")
              << " not yet acknowledged by the hub)\n";
}

void listConflicts(Context& ctx)
{
    auto conflicts = ctx.replica().conflicts(ctx.flag("all"));
    if (ctx.json()) {
        json out = json::array();
        for (const auto& c : conflicts) out.push_back(c.toJson());
        printJson(ctx.out(), out);
        return;
    }
    if (conflicts.empty()) {
        ctx.out() << "no conflicts\n";
        return;
    }
    Table table({"ID", "ENTITY", "ROW", "FIELD", "KEPT", "LOST", "STATE"});
    table.setMaxCellWidth(36);
    bool anyProvisional = false;
    for (const auto& c : conflicts) {
        std::string state = c.provisional ? "provisional"
            : c.resolved                  ? "resolved"
            : c.needsResolution           ? "needs resolution"
                                          : "logged";
        anyProvisional |= c.provisional;
        table.addRow({c.provisional ? "-" : c.id, c.entity, c.row, c.field, formatJsonValue(c.winnerValue),
                      formatJsonValue(c.loserValue), state});
    }
    table.print(ctx.out());
    if (anyProvisional)
        ctx.out() << "(provisional: seen on this device only; the hub logs the conflict on the next sync,\n"
                     " and only logged conflicts have an ID to resolve)\n";
}

void resolveConflict(Context& ctx)
{
    auto& r = ctx.replica();
    const auto& id = ctx.operands()[0];
    std::optional<crdt::Value> chosen;
    if (auto take = ctx.value("take")) {
        json entry = unwrap(r.get(schema::kConflictEntity, id));
        const auto* e = r.schema().entity(entry.value("entity", ""));
        const auto* f = e ? e->field(entry.value("field", "")) : nullptr;
        if (!f) throw CliError(ExitCode::Failure, "conflict " + id + " names an unknown field");
        chosen = unwrap(schema::parseValue(*e, *f, *take));
    }
    check(r.resolveConflict(id, chosen));
}

void dump(Context& ctx)
{
    ctx.out() << ctx.replica().dump().dump(2) << '\n';
}

} // namespace

void addInitCommand(CommandTable& table)
{
    Command c;
    c.words = {"init"};
    c.summary = "create the database (or migrate an existing one) and print this device's id";
    c.details = "Every other command needs an existing database: a mistyped --db path is an\n"
                "error, not a new empty replica.\n"
                "A new replica is encrypted with a new random key, written to PATH.keys (mode\n"
                "0600) before the file is made (or taken from FIELDSYNC_REPLICA_KEY when that is\n"
                "set); an existing plain one gets a key and is encrypted in place. With\n"
                "--plaintext the file stays plain.\n";
    c.run = init;
    table.add(std::move(c));
}

void addSyncCommands(CommandTable& table)
{
    table.addGroup({"changes", "offline sync by file", {}});
    {
        Command c;
        c.words = {"changes", "export"};
        c.synopsis = "FILE";
        c.summary = "write every change this replica knows to FILE as a bundle (\"-\" = stdout)";
        c.details = "Hand the file to another replica and run `changes import` there. Exporting\n"
                    "does not acknowledge anything: pending changes stay pending until a hub sync.\n";
        c.minOperands = c.maxOperands = 1;
        c.run = exportChanges;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"changes", "import"};
        c.synopsis = "FILE";
        c.summary = "merge a bundle from FILE (\"-\" = stdin) and print what changed";
        c.details = "Importing is all or nothing, and importing the same bundle again changes\n"
                    "nothing. A malformed file is refused before anything is written.\n";
        c.minOperands = c.maxOperands = 1;
        c.run = importChanges;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"changes", "pending"};
        c.synopsis = "[--json]";
        c.summary = "list local changes not yet acknowledged by the hub";
        c.run = pendingChanges;
        table.add(std::move(c));
    }

    table.addGroup({"conflicts", "concurrent edits of the same field", "list"});
    {
        Command c;
        c.words = {"conflicts", "list"};
        c.synopsis = "[--all] [--json]";
        c.summary = "list the hub's conflict entries and this device's provisional flags";
        c.details = "Both edits are kept in the entry; the later one won on every replica. A\n"
                    "provisional flag is this device's own edit that a remote change overwrote\n"
                    "(or lost to) before the hub saw them.\n";
        c.options = [](po::options_description& d) {
            d.add_options()("all", po::bool_switch(), "include resolved conflicts");
        };
        c.run = listConflicts;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"conflicts", "resolve"};
        c.synopsis = "CONFLICT_ID [--take VALUE]";
        c.summary = "mark a conflict resolved, optionally writing VALUE to its field first";
        c.details = "VALUE is read with the field's type, like FIELD=VALUE in `set`.\n";
        c.options = [](po::options_description& d) {
            d.add_options()("take", po::value<std::string>()->value_name("VALUE"), "the value to keep");
        };
        c.minOperands = c.maxOperands = 1;
        c.run = resolveConflict;
        table.add(std::move(c));
    }

    Command c;
    c.words = {"dump"};
    c.summary = "print all synced state as canonical JSON (identical on converged replicas)";
    c.run = dump;
    table.add(std::move(c));

    addServerCommands(table);
}

} // namespace fieldsync::cli
