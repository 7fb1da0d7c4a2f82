#include "Command.h"

#include "CliError.h"
#include "storage/Database.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace fieldsync::cli {

// ---------------------------------------------------------------- Context

Context::Context(const Command& command, std::optional<std::string> dbPath, bool json, po::variables_map options,
                 std::vector<std::string> operands, std::ostream& out)
    : m_command(command), m_dbPath(std::move(dbPath)), m_json(json), m_options(std::move(options)),
      m_operands(std::move(operands)), m_out(out)
{
}

Context::~Context() = default;

replica::Replica& Context::replica()
{
    return openReplica(false);
}

replica::Replica& Context::createReplica()
{
    return openReplica(true);
}

const schema::Schema& Context::schema() const
{
    return schema::fieldsyncSchema();
}

std::shared_ptr<client::SecretStore> Context::secrets()
{
    if (m_secrets) return m_secrets;
    if (!m_dbPath || m_dbPath->empty()) usageError("missing --db PATH (the replica database file)");
    auto file = std::make_shared<client::FileSecretStore>(client::FileSecretStore::pathFor(*m_dbPath));
    const char* env = std::getenv(kKeyVariable);
    if (env && *env) {
        auto key = storage::EncryptionKey::fromHex(env);
        if (!key)
            usageError(std::string(kKeyVariable) + " must be 64 hex digits (a replica key), got "
                       + std::to_string(std::string_view(env).size()) + " characters");
        m_secrets = std::make_shared<client::KeyOverrideStore>(file, *key, kKeyVariable);
    } else {
        m_secrets = file;
    }
    return m_secrets;
}

replica::Replica& Context::openReplica(bool create)
{
    if (m_replica) return *m_replica;
    if (!m_dbPath || m_dbPath->empty()) usageError("missing --db PATH (the replica database file)");
    const std::string& path = *m_dbPath;
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (!create && !std::filesystem::exists(status))
        throw CliError(ExitCode::NotFound,
                       "no database at " + path + " (create it with: fieldsync --db " + path + " init)");
    if (std::filesystem::is_directory(status)) throw CliError(ExitCode::Failure, path + " is a directory, not a database");
    auto store = secrets();
    const std::string keyFile = client::FileSecretStore::pathFor(path);
    try {
        client::OpenOptions options;
        options.plaintext = plaintext();
        m_replica = client::openReplica(path, *store, std::move(options));
    } catch (const client::SecretsError& e) {
        const char* env = std::getenv(kKeyVariable);
        const bool noKeyAnywhere = storage::fileKind(path) == storage::FileKind::Other
            && !std::filesystem::exists(keyFile) && !(env && *env);
        if (noKeyAnywhere)
            throw CliError(ExitCode::Failure,
                           "the replica " + path + " is encrypted and its key is missing: no key file " + keyFile
                               + " and no " + kKeyVariable + " in the environment (copy the key file from where the "
                               "replica was made, or set " + kKeyVariable + "); nothing was changed");
        throw CliError(ExitCode::Failure, e.what());
    } catch (const storage::StorageError& e) {
        std::string what = e.what();
        if (what.find(path) == std::string::npos) what = "cannot open database " + path + ": " + what;
        if (!plaintext() && (e.code() & 0xff) == 26 /* SQLITE_NOTADB */)
            what += " (the key came from " + store->describe() + ")";
        throw CliError(ExitCode::Failure, what);
    }
    return *m_replica;
}

bool Context::flag(const char* name) const
{
    auto it = m_options.find(name);
    return it != m_options.end() && it->second.as<bool>();
}

std::optional<std::string> Context::value(const char* name) const
{
    auto it = m_options.find(name);
    if (it == m_options.end() || it->second.empty()) return std::nullopt;
    return it->second.as<std::string>();
}

std::vector<std::string> Context::values(const char* name) const
{
    auto it = m_options.find(name);
    if (it == m_options.end() || it->second.empty()) return {};
    return it->second.as<std::vector<std::string>>();
}

void Context::usageError(const std::string& message) const
{
    cli::usageError(m_command.name() + ": " + message);
}

// ---------------------------------------------------------------- Command

std::string Command::name() const
{
    std::string n;
    for (const auto& w : words) n += (n.empty() ? "" : " ") + w;
    return n;
}

// ---------------------------------------------------------------- CommandTable

void CommandTable::addGroup(Group group)
{
    m_topLevel.push_back({group.name, group.summary, true});
    m_groups.push_back(std::move(group));
}

void CommandTable::add(Command command)
{
    if (command.words.size() == 1) m_topLevel.push_back({command.words[0], command.summary, false});
    m_commands.push_back(std::make_unique<Command>(std::move(command)));
}

const CommandTable::Group* CommandTable::group(std::string_view name) const
{
    for (const auto& g : m_groups)
        if (g.name == name) return &g;
    return nullptr;
}

const Command* CommandTable::find(std::string_view first, std::string_view second) const
{
    for (const auto& c : m_commands) {
        if (c->words[0] != first) continue;
        if (second.empty() ? c->words.size() == 1 : c->words.size() == 2 && c->words[1] == second) return c.get();
    }
    return nullptr;
}

std::vector<const Command*> CommandTable::commandsOf(std::string_view groupName) const
{
    std::vector<const Command*> out;
    for (const auto& c : m_commands)
        if (c->words.size() == 2 && c->words[0] == groupName) out.push_back(c.get());
    return out;
}

} // namespace fieldsync::cli
