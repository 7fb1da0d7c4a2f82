#include "Cli.h"

#include "CliError.h"
#include "Commands.h"
#include "Output.h"
#include "storage/Database.h"

#include <algorithm>
#include <iostream>
#include <optional>

namespace fieldsync::cli {

namespace {

constexpr const char* kGlobalHelp =
    "Global options:\n"
    "  --db PATH    the replica database file (required by every command but help)\n"
    "  --json       print JSON instead of text (listings, show, import, init)\n"
    "  --plaintext  the replica is a plain, unencrypted file (old files, debugging):\n"
    "               opened without a key, never encrypted; an encrypted one is refused\n"
    "  -h, --help   show help; works after any command: fieldsync customer add --help\n";

po::options_description globalOptions()
{
    po::options_description d("Global options");
    d.add_options()
        ("db", po::value<std::string>()->value_name("PATH"), "the replica database file")
        ("json", po::bool_switch(), "print JSON")
        ("plaintext", po::bool_switch(), "a plain replica, no key")
        ("help,h", po::bool_switch(), "show help");
    return d;
}

bool isHelp(const std::string& a)
{
    return a == "-h" || a == "--help";
}

bool isOption(const std::string& a)
{
    return a.size() > 1 && a[0] == '-';
}

// Whether a token names one of the command's options ("--name", "--name=x", "-h").
bool isKnownOption(const po::options_description& options, const std::string& token)
{
    if (token.rfind("--", 0) == 0) {
        std::string name = token.substr(2);
        name = name.substr(0, name.find('='));
        return options.find_nothrow(name, false);
    }
    return isOption(token) && options.find_nothrow(token.substr(0, 2), false);
}

// "--notes" (an option that takes a value, without "=value").
bool awaitsValue(const po::options_description& options, const std::string& token)
{
    if (token.rfind("--", 0) != 0 || token.find('=') != std::string::npos) return false;
    const auto* option = options.find_nothrow(token.substr(2), false);
    return option && option->semantic()->max_tokens() > 0;
}

// Tokens for the command's option parser.
//  - A value starting with '-' after an option that takes one (`--lat -31.2`,
//    `--notes -x-`) is joined to it: Boost would read it as an option.
//  - A known option there means the value is missing: Boost would silently
//    take "--json" itself as the value.
//  - For commands whose operands start with '-' (+TAG -TAG), everything but
//    the global options becomes an operand, after a "--".
std::vector<std::string> optionTokens(const Command& command, const po::options_description& options,
                                      const std::vector<std::string>& args)
{
    std::vector<std::string> out;
    if (command.signedOperands) {
        std::vector<std::string> operands;
        for (size_t i = 0; i < args.size(); ++i) {
            const auto& a = args[i];
            if (a == "--") {
                operands.insert(operands.end(), args.begin() + static_cast<long>(i) + 1, args.end());
                break;
            }
            if (a == "--db" && i + 1 < args.size()) {
                out.push_back(a);
                out.push_back(args[++i]);
            } else if (a.rfind("--db=", 0) == 0 || a == "--json" || a == "--plaintext" || isHelp(a)) {
                out.push_back(a);
            } else {
                operands.push_back(a);
            }
        }
        out.push_back("--");
        out.insert(out.end(), operands.begin(), operands.end());
        return out;
    }
    for (size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--") {
            out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
            break;
        }
        const bool valueExpected = !out.empty() && awaitsValue(options, out.back());
        if (valueExpected && isKnownOption(options, a))  // Boost would take "--json" as the value
            usageError(command.name() + ": the required argument for option '" + out.back() + "' is missing");
        if (valueExpected && isOption(a)) out.back() += "=" + a;
        else out.push_back(a);
    }
    return out;
}

// "list customers" -> "List customers."
std::string sentence(std::string text)
{
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text + ".";
}

std::string oneLine(std::string message)
{
    for (auto& c : message)
        if (c == '\n' || c == '\r') c = ' ';
    while (!message.empty() && message.back() == ' ') message.pop_back();
    return message;
}

} // namespace

Cli::Cli()
{
    addInitCommand(m_commands);
    addEntityCommands(m_commands);
    addActivityCommands(m_commands);
    addSyncCommands(m_commands);
}

int Cli::run(int argc, char** argv)
{
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return run(args, std::cout, std::cerr);
}

int Cli::run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    try {
        int status = dispatch(args, out);
        out.flush();
        if (!out) throw CliError(ExitCode::Failure, "cannot write to standard output");
        return status;
    } catch (const CliError& e) {
        err << "fieldsync: " << oneLine(e.what()) << '\n';
        return static_cast<int>(e.code());
    } catch (const storage::StorageError& e) {
        err << "fieldsync: database error: " << oneLine(e.what()) << '\n';
    } catch (const std::exception& e) {
        err << "fieldsync: unexpected error: " << oneLine(e.what()) << '\n';
    }
    return static_cast<int>(ExitCode::Failure);
}

int Cli::dispatch(const std::vector<std::string>& args, std::ostream& out)
{
    for (size_t i = 0; i < args.size(); ++i) {
        if (isValidUtf8(args[i])) continue;
        std::string after = i > 0 && isValidUtf8(args[i - 1]) ? " (after " + args[i - 1] + ")" : "";
        usageError("argument " + std::to_string(i + 1) + after + " is not valid UTF-8 text");
    }
    Invocation invocation = resolve(args);
    if (invocation.help) {
        if (invocation.command) printCommandHelp(out, *invocation.command);
        else if (invocation.group) printGroupHelp(out, *invocation.group);
        else printHelp(out);
        return 0;
    }
    auto context = parse(invocation, args, out);
    invocation.command->run(*context);
    return 0;
}

Cli::Invocation Cli::resolve(const std::vector<std::string>& args) const
{
    // The command words: the first words that are not options, skipping the
    // global options (which may come first). `help WORDS` = `WORDS --help`.
    Invocation inv;
    bool helpWord = false;
    bool wordsDone = false;
    std::vector<std::string> words;
    for (size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--") break;
        if (isHelp(a)) {
            inv.help = true;
        } else if (a == "--db") {
            ++i;
        } else if (a.rfind("--db=", 0) == 0 || a == "--json" || a == "--plaintext") {
            // a global switch, not a word
        } else if (isOption(a)) {
            wordsDone = true;
        } else if (!wordsDone) {
            if (words.empty() && !helpWord && a == "help") {
                inv.help = helpWord = true;
                inv.wordAt.push_back(i);
            } else if (words.empty() || (words.size() == 1 && m_commands.group(words[0]))) {
                words.push_back(a);
                inv.wordAt.push_back(i);
            } else {
                wordsDone = true;
            }
        }
    }

    if (words.empty()) {
        if (!inv.help) usageError("missing command (see: fieldsync --help)");
        return inv;
    }
    if ((inv.group = m_commands.group(words[0]))) {
        const std::string& g = words[0];
        if (words.size() > 1) {
            inv.command = m_commands.find(g, words[1]);
            if (!inv.command)
                usageError("unknown " + g + " command '" + words[1] + "' (" + g + " commands: " + subcommandNames(g)
                           + ")");
        } else if (!inv.help) {
            if (inv.group->defaultCommand.empty())
                usageError(g + ": missing command (" + g + " commands: " + subcommandNames(g) + ")");
            inv.command = m_commands.find(g, inv.group->defaultCommand);
        }
        return inv;
    }
    inv.command = m_commands.find(words[0]);
    if (!inv.command) {
        std::string names;
        for (const auto& e : m_commands.topLevel()) names += (names.empty() ? "" : ", ") + e.name;
        usageError("unknown command '" + words[0] + "' (commands: " + names + ")");
    }
    return inv;
}

std::unique_ptr<Context> Cli::parse(const Invocation& invocation, const std::vector<std::string>& args,
                                    std::ostream& out) const
{
    const Command& command = *invocation.command;
    const std::string name = command.name();
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i)
        if (std::find(invocation.wordAt.begin(), invocation.wordAt.end(), i) == invocation.wordAt.end())
            rest.push_back(args[i]);

    po::options_description own;
    if (command.options) command.options(own);
    po::options_description hidden;
    hidden.add_options()("operands", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(own).add(globalOptions()).add(hidden);
    po::positional_options_description positional;
    positional.add("operands", -1);
    po::variables_map vm;
    try {
        auto style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(optionTokens(command, all, rest))
                      .options(all)
                      .positional(positional)
                      .style(style)
                      .run(),
                  vm);
        po::notify(vm);
    } catch (const po::unknown_option& e) {
        usageError(name + ": unknown option " + e.get_option_name() + " (see: fieldsync " + name + " --help)");
    } catch (const po::error& e) {
        usageError(name + ": " + e.what());
    }

    std::vector<std::string> operands;
    if (vm.count("operands")) operands = vm["operands"].as<std::vector<std::string>>();
    const std::string usage = "(usage: fieldsync " + name + (command.synopsis.empty() ? "" : " ") + command.synopsis + ")";
    if (operands.size() > command.maxOperands) {
        const auto& extra = operands[command.maxOperands];
        if (isOption(extra)) usageError(name + ": unknown option " + extra + " (see: fieldsync " + name + " --help)");
        usageError(name + ": unexpected argument '" + extra + "' " + usage);
    }
    if (operands.size() < command.minOperands) usageError(name + ": missing arguments " + usage);

    std::optional<std::string> db;
    if (vm.count("db")) db = vm["db"].as<std::string>();
    if (command.needsDatabase && (!db || db->empty()))
        usageError(name + ": missing --db PATH (the replica database file)");
    const bool json = vm["json"].as<bool>();
    return std::make_unique<Context>(command, std::move(db), json, std::move(vm), std::move(operands), out);
}

std::string Cli::subcommandNames(const std::string& group) const
{
    std::string names;
    for (const auto* c : m_commands.commandsOf(group)) names += (names.empty() ? "" : ", ") + c->words[1];
    return names;
}

void Cli::printHelp(std::ostream& out) const
{
    out << "fieldsync — offline-first sync engine for field sales reps (headless shell)\n\n"
           "Usage:\n"
           "  fieldsync --db PATH COMMAND [ARGS...] [--json]\n"
           "  fieldsync COMMAND --help\n\n"
           "Commands:\n";
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& e : m_commands.topLevel()) {
        std::string summary = e.summary;
        if (e.isGroup) summary += " (" + subcommandNames(e.name) + ")";
        rows.emplace_back("  " + e.name, summary);
    }
    rows.emplace_back("  help", "help for a command: fieldsync help customer add");
    printPairs(out, rows);
    out << '\n'
        << kGlobalHelp
        << "\nValues are UTF-8 text. FIELD=VALUE arguments take the field's type: text, numbers,\n"
           "true/false, times as 2026-11-22T09:30 (UTC), 2026-11-22T09:30+08:00 or milliseconds,\n"
           "and \"null\" or nothing to clear a field. Times print in the local time zone (TZ).\n"
           "\nExit status: 0 success, 1 I/O or other failure, 2 usage error or invalid input,\n"
           "3 not found (row, conflict, database file), 4 refused by the current state\n"
           "(a write-once field already set, a status moving backwards), 5 not allowed for\n"
           "the signed-in user (a rep voiding a visit or changing the team's configuration),\n"
           "6 this device's sign-in was revoked by the server (sign in again).\n"
           "\nKeys: every replica is encrypted with its own random key, made when the\n"
           "replica is created (an older, plain replica gets one and is encrypted on\n"
           "first use). The key and the sign-in token live in the key file PATH.keys\n"
           "(mode 0600; refused if others may read it). FIELDSYNC_REPLICA_KEY (64 hex\n"
           "digits), when set, is the key instead of the key file's; the token stays in\n"
           "the key file. Keep the key file: without it the replica cannot be opened.\n"
           "\nStart with: fieldsync --db phone.db init\n";
}

void Cli::printGroupHelp(std::ostream& out, const CommandTable::Group& group) const
{
    out << "Usage: fieldsync --db PATH " << group.name << " COMMAND [ARGS...]\n\n" << sentence(group.summary) << '\n';
    if (!group.defaultCommand.empty())
        out << "Without a command: " << group.name << " " << group.defaultCommand << ".\n";
    out << "\nCommands:\n";
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto* c : m_commands.commandsOf(group.name)) rows.emplace_back("  " + c->words[1], c->summary);
    printPairs(out, rows);
    out << "\nSee: fieldsync " << group.name << " COMMAND --help\n";
}

void Cli::printCommandHelp(std::ostream& out, const Command& command) const
{
    out << "Usage: fieldsync " << (command.needsDatabase ? "--db PATH " : "") << command.name();
    if (!command.synopsis.empty()) out << ' ' << command.synopsis;
    out << "\n\n" << sentence(command.summary) << '\n';
    if (!command.details.empty()) out << '\n' << command.details;
    if (command.options) {
        po::options_description own("Options", 100, 50);
        command.options(own);
        if (!own.options().empty()) out << '\n' << own;
    }
    if (!command.reference.empty()) out << '\n' << command.reference;
    out << '\n' << kGlobalHelp;
}

} // namespace fieldsync::cli
