// Command, CommandTable and Context: what one `fieldsync` command declares
// (its words, options and operands) and what it gets when it runs.
//
// Commands are one or two words: `init`, `dump`, `customer add`. A group
// (`customer`) is the first word of several commands; it may name a default
// command run when no second word is given (`conflicts` = `conflicts list`).
#pragma once

#include "replica/Replica.h"
#include "sync/Secrets.h"

#include <boost/program_options.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::cli {

namespace po = boost::program_options;

// The environment variable that may hold a replica's key (64 hex digits).
inline constexpr const char* kKeyVariable = "FIELDSYNC_REPLICA_KEY";

struct Command;

// One run of one command: its parsed options and operands, and the replica
// (opened on first use).
class Context {
public:
    Context(const Command& command, std::optional<std::string> dbPath, bool json, po::variables_map options,
            std::vector<std::string> operands, std::ostream& out);
    ~Context();

    const Command& command() const { return m_command; }
    // The replica at --db; fails (not found) when the file does not exist.
    replica::Replica& replica();
    // The replica at --db, created if it does not exist yet (init).
    replica::Replica& createReplica();
    const schema::Schema& schema() const;
    // Where the replica's key and token live: the key file <db>.keys, with the
    // key from FIELDSYNC_REPLICA_KEY instead when that is set.
    std::shared_ptr<client::SecretStore> secrets();
    // --plaintext: the replica is a plain file, opened without a key.
    bool plaintext() const { return flag("plaintext"); }
    const std::string& dbPath() const { return *m_dbPath; }
    // Closes the replica (before it is wiped or rekeyed).
    void closeReplica() { m_replica.reset(); }

    bool json() const { return m_json; }
    bool flag(const char* name) const;
    std::optional<std::string> value(const char* name) const;
    std::vector<std::string> values(const char* name) const;
    const std::vector<std::string>& operands() const { return m_operands; }
    std::ostream& out() { return m_out; }

    // Throws a usage error prefixed with the command's name.
    [[noreturn]] void usageError(const std::string& message) const;

private:
    replica::Replica& openReplica(bool create);

    const Command& m_command;
    std::optional<std::string> m_dbPath;
    bool m_json;
    po::variables_map m_options;
    std::vector<std::string> m_operands;
    std::ostream& m_out;
    std::unique_ptr<replica::Replica> m_replica;
    std::shared_ptr<client::SecretStore> m_secrets;
};

struct Command {
    std::vector<std::string> words;   // {"customer", "add"}
    std::string synopsis;             // what follows the words in the usage line
    std::string summary;              // one line, for listings
    std::string details;              // shown by --help before the options (optional)
    std::string reference;            // shown by --help after the options (field lists)
    std::function<void(po::options_description&)> options;  // command options (optional)
    size_t minOperands = 0;
    size_t maxOperands = 0;           // kUnbounded: any number
    bool needsDatabase = true;
    bool signedOperands = false;      // operands may start with '-' (+TAG -TAG)
    std::function<void(Context&)> run;

    static constexpr size_t kUnbounded = static_cast<size_t>(-1);
    std::string name() const;         // "customer add"
};

class CommandTable {
public:
    struct Group {
        std::string name;
        std::string summary;
        std::string defaultCommand;   // second word run when none is given
    };
    // A top-level entry: a group or a one-word command, in declaration order.
    struct Entry {
        std::string name;
        std::string summary;
        bool isGroup = false;
    };

    void addGroup(Group group);
    void add(Command command);

    const Group* group(std::string_view name) const;
    const Command* find(std::string_view first, std::string_view second = {}) const;
    std::vector<const Command*> commandsOf(std::string_view group) const;
    const std::vector<Entry>& topLevel() const { return m_topLevel; }

private:
    std::vector<Group> m_groups;
    std::vector<std::unique_ptr<Command>> m_commands;
    std::vector<Entry> m_topLevel;
};

} // namespace fieldsync::cli
