// The replica-wide commands: init, changes (offline sync by file), conflicts
// and dump; sync with a server is in ServerCommands.cpp.
#include "CliError.h"
#include "Commands.h"
#include "Output.h"

#include "protocol/EncryptedBundle.h"

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <sstream>
#include <termios.h>
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

// ---------------------------------------------------------------- passphrases

constexpr size_t kMinPassphraseChars = 8;

// One line from standard input, typed without echo when it is a terminal.
std::string readSecretLine(const std::string& prompt)
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
    } else {
        std::getline(std::cin, line);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

size_t utf8Chars(std::string_view s)
{
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// The passphrase of an encrypted bundle: from the environment variable that
// --passphrase-env names, else one line of standard input. Never from the
// command line, where `ps` and the shell's history would show it.
std::string readPassphrase(Context& ctx, const std::string& bundleName, bool creating, bool stdinIsTheBundle)
{
    std::string passphrase;
    if (auto var = ctx.value("passphrase-env")) {
        const char* value = std::getenv(var->c_str());
        if (!value || !*value)
            ctx.usageError("the environment variable " + *var + " (--passphrase-env) is not set or empty");
        passphrase = value;
    } else {
        if (stdinIsTheBundle)
            ctx.usageError("the encrypted bundle comes on standard input, so its passphrase cannot: name an "
                           "environment variable that holds it with --passphrase-env NAME");
        passphrase = readSecretLine("Passphrase for " + bundleName + ": ");
        if (passphrase.empty())
            ctx.usageError("no passphrase given (one line on standard input, or --passphrase-env NAME)");
        if (creating && ::isatty(STDIN_FILENO)) {
            std::string again = readSecretLine("The same passphrase again: ");
            const bool same = again == passphrase;
            again.assign(again.size(), '\0');
            if (!same) ctx.usageError("the two passphrases differ; nothing was written");
        }
    }
    if (creating && utf8Chars(passphrase) < kMinPassphraseChars)
        ctx.usageError("the passphrase must have at least " + std::to_string(kMinPassphraseChars)
                       + " characters (a few words are better than one)");
    return passphrase;
}

void exportChanges(Context& ctx)
{
    const bool encrypt = ctx.flag("encrypt");
    if (!encrypt && ctx.value("passphrase-env"))
        ctx.usageError("--passphrase-env is for an encrypted bundle: add --encrypt");
    auto& r = ctx.replica();
    const auto& path = ctx.operands()[0];
    if (encrypt && path == "-" && ::isatty(STDOUT_FILENO))
        ctx.usageError("an encrypted bundle is binary: redirect standard output to a file, or name the file");
    std::string passphrase;
    if (encrypt) passphrase = readPassphrase(ctx, path == "-" ? "the bundle" : path, true, false);
    protocol::Bundle bundle = r.exportBundle();
    std::string text = protocol::toJson(bundle, r.schema()).dump(2) + "\n";
    if (encrypt) {
        std::string sealed = protocol::encryptBundle(text, passphrase);
        passphrase.assign(passphrase.size(), '\0');
        text.assign(text.size(), '\0');
        text = std::move(sealed);
    }
    if (path == "-") {
        ctx.out() << text;
        return;
    }
    writeOutput(path, text);
    if (ctx.json())
        printJson(ctx.out(), json{{"file", path}, {"records", bundle.records.size()}, {"encrypted", encrypt}});
    else
        ctx.out() << "exported " << bundle.records.size() << (bundle.records.size() == 1 ? " record to " : " records to ") << path
                  << (encrypt ? " (encrypted)" : "") << '\n';
}

void importChanges(Context& ctx)
{
    const auto& path = ctx.operands()[0];
    const std::string name = path == "-" ? "standard input" : path;
    std::string text = readInput(path);
    const bool encrypted = protocol::isEncryptedBundle(text);
    if (encrypted) {
        // Nothing is asked for before the file's header is known to be sound.
        if (auto header = protocol::readEncryptedBundleHeader(text); !header)
            usageError(name + " is not a usable bundle: " + header.error().message);
        (void)ctx.replica();  // a wrong --db fails before the passphrase is asked for
        std::string passphrase = readPassphrase(ctx, name, false, path == "-");
        auto opened = protocol::decryptBundle(text, passphrase);
        passphrase.assign(passphrase.size(), '\0');
        if (!opened) usageError(name + " was not imported: " + opened.error().message);
        text = std::move(*opened);
    } else if (ctx.value("passphrase-env")) {
        // Whoever expects a sealed bundle relies on it coming from someone who
        // knows the passphrase: a plain file in its place may be forged.
        usageError(name + " is not an encrypted bundle, though --passphrase-env expects one; nothing was imported "
                          "(import it without --passphrase-env if you trust where it came from)");
    }
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
                                  {"encrypted", encrypted},
                                  {"records", stats.records},
                                  {"rows_changed", stats.rowsChanged},
                                  {"provisional_conflicts", stats.provisionalConflicts},
                                  {"ahead_refused", stats.aheadRefused}});
        return;
    }
    printPairs(ctx.out(), {{"from device", bundle->from.hex()},
                           {"encrypted", encrypted ? "yes" : "no"},
                           {"records applied", std::to_string(stats.records)},
                           {"rows changed", std::to_string(stats.rowsChanged)},
                           {"provisional conflicts", std::to_string(stats.provisionalConflicts)}});
    if (stats.aheadRefused)
        ctx.out() << "\n"
                  << (stats.aheadRefused == 1 ? "1 change was not imported: it is stamped"
                                              : std::to_string(stats.aheadRefused)
                                                    + " changes were not imported: they are stamped")
                  << " more than " << replica::kMaxClockAheadMs / 60000
                  << " minutes ahead of this device's clock (the exporting device's clock runs ahead).\n"
                     "They arrive here when that device syncs. If this device's date is wrong instead, correct it "
                     "and import again.\n";
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
        c.synopsis = "FILE [--encrypt [--passphrase-env NAME]]";
        c.summary = "write every change this replica knows to FILE as a bundle (\"-\" = stdout)";
        c.details = "Hand the file to another replica and run `changes import` there. Exporting\n"
                    "does not acknowledge anything: pending changes stay pending until a hub sync.\n"
                    "\n"
                    "A plain bundle holds customer names, phones and notes in clear text. With\n"
                    "--encrypt it is sealed with a passphrase (at least 8 characters) that the two\n"
                    "people share by other means: Argon2id and XChaCha20-Poly1305 (libsodium).\n"
                    "The passphrase is one line of standard input (asked twice, without echo, on\n"
                    "a terminal), or the value of the environment variable --passphrase-env names;\n"
                    "never a command-line argument, which `ps` shows to every user:\n"
                    "  fieldsync --db phone.db changes export --encrypt hand-over.fsb\n"
                    "  BUNDLE_PASS=... fieldsync --db phone.db changes export --encrypt \\\n"
                    "      --passphrase-env BUNDLE_PASS hand-over.fsb\n";
        c.options = [](po::options_description& d) {
            d.add_options()("encrypt", po::bool_switch(), "seal the bundle with a passphrase")(
                "passphrase-env", po::value<std::string>()->value_name("NAME"),
                "read the passphrase from environment variable NAME, not standard input");
        };
        c.minOperands = c.maxOperands = 1;
        c.run = exportChanges;
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {"changes", "import"};
        c.synopsis = "FILE [--passphrase-env NAME]";
        c.summary = "merge a bundle from FILE (\"-\" = stdin) and print what changed";
        c.details = "Importing is all or nothing, and importing the same bundle again changes\n"
                    "nothing. A malformed file is refused before anything is written.\n"
                    "\n"
                    "An encrypted bundle (`changes export --encrypt`) is recognised by its first\n"
                    "bytes; its passphrase is read like export's: one line of standard input, or\n"
                    "the environment variable --passphrase-env names (required when the bundle\n"
                    "itself comes on standard input). A wrong passphrase or a damaged file is\n"
                    "refused and nothing is imported; so is a plain bundle when --passphrase-env\n"
                    "says an encrypted one is expected (a plain file in its place may be forged).\n";
        c.options = [](po::options_description& d) {
            d.add_options()("passphrase-env", po::value<std::string>()->value_name("NAME"),
                            "read an encrypted bundle's passphrase from environment variable NAME");
        };
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
