// Cli: the `fieldsync` shell. Finds the command named by the first words of
// the command line, parses its options (Boost.Program_options), opens the
// replica and runs it; prints help; turns every failure into one line on
// stderr and an exit status (CliError.h).
//
// Global options (--db, --json, -h/--help) are accepted anywhere on the line,
// so `fieldsync --db x customer list --json` and `fieldsync customer list
// --db x --json` mean the same.
#pragma once

#include "Command.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace fieldsync::cli {

class Cli {
public:
    Cli();

    // Returns the process exit status.
    int run(int argc, char** argv);
    int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

private:
    // What the command line names: a command, or (with --help) a group or
    // nothing (top-level help). wordAt: positions of the command words.
    struct Invocation {
        const Command* command = nullptr;
        const CommandTable::Group* group = nullptr;
        bool help = false;
        std::vector<size_t> wordAt;
    };

    int dispatch(const std::vector<std::string>& args, std::ostream& out);
    Invocation resolve(const std::vector<std::string>& args) const;
    std::unique_ptr<Context> parse(const Invocation& invocation, const std::vector<std::string>& args,
                                   std::ostream& out) const;
    void printHelp(std::ostream& out) const;
    void printGroupHelp(std::ostream& out, const CommandTable::Group& group) const;
    void printCommandHelp(std::ostream& out, const Command& command) const;
    std::string subcommandNames(const std::string& group) const;

    CommandTable m_commands;
};

} // namespace fieldsync::cli
