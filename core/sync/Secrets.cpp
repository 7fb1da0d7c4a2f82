#include "sync/Secrets.h"

#include "replica/Ids.h"
#include "replica/SettingKeys.h"
#include "storage/Connection.h"
#include "storage/Transaction.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace fieldsync::client {

using nlohmann::json;

namespace {

constexpr int kSqliteNotADb = 26;  // SQLITE_NOTADB: a wrong key

std::string errnoText(int e)
{
    return std::strerror(e);
}

std::string octal(mode_t mode)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string readAll(int fd, const std::string& path)
{
    std::string text;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw SecretsError("cannot read " + path + ": " + errnoText(errno));
        }
        if (n == 0) break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() > 64 * 1024) throw SecretsError(path + " is too large to be a fieldsync key file");
    }
    return text;
}

std::optional<storage::EncryptionKey> keyField(const json& j, const char* name, const std::string& path)
{
    if (!j.contains(name) || j[name].is_null()) return std::nullopt;
    if (!j[name].is_string()) throw SecretsError(path + ": \"" + name + "\" is not text");
    auto key = storage::EncryptionKey::fromHex(j[name].get<std::string>());
    if (!key) throw SecretsError(path + ": \"" + name + "\" is not 64 hex digits");
    return key;
}

void syncFolderOf(const std::string& path)
{
    auto folder = std::filesystem::path(path).parent_path();
    const int dfd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd < 0) return;
    ::fsync(dfd);
    ::close(dfd);
}

} // namespace

std::string secretsToJson(const Secrets& secrets)
{
    json j = {{"format", "fieldsync-secrets"}, {"version", 1}};
    if (secrets.key) j["key"] = secrets.key->hex();
    if (secrets.nextKey) j["next_key"] = secrets.nextKey->hex();
    if (secrets.token) j["token"] = *secrets.token;
    return j.dump(2) + "\n";
}

Secrets secretsFromJson(const std::string& text, const std::string& where)
{
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "fieldsync-secrets")
        throw SecretsError(where + " is damaged (not fieldsync secrets)");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != 1)
        throw SecretsError(where + " has a version this fieldsync does not know");
    Secrets s;
    s.key = keyField(j, "key", where);
    s.nextKey = keyField(j, "next_key", where);
    if (j.contains("token") && !j["token"].is_null()) {
        if (!j["token"].is_string()) throw SecretsError(where + ": \"token\" is not text");
        s.token = j["token"].get<std::string>();
    }
    return s;
}

void SecretStore::setToken(std::optional<std::string> token)
{
    Secrets s = load();
    s.token = std::move(token);
    store(s);
}

// ---------------------------------------------------------------- MemorySecretStore

Secrets MemorySecretStore::load()
{
    std::lock_guard lock(m_mutex);
    return m_secrets;
}

void MemorySecretStore::store(const Secrets& secrets)
{
    std::lock_guard lock(m_mutex);
    m_secrets = secrets;
}

void MemorySecretStore::erase()
{
    std::lock_guard lock(m_mutex);
    m_secrets = {};
}

// ---------------------------------------------------------------- FileSecretStore

bool FileSecretStore::exists() const
{
    struct stat st{};
    return ::lstat(m_path.c_str(), &st) == 0;
}

Secrets FileSecretStore::load()
{
    std::lock_guard lock(m_mutex);
    const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return {};
        throw SecretsError("cannot open the key file " + m_path + ": " + errnoText(errno));
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        throw SecretsError("cannot read the key file " + m_path + ": " + errnoText(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw SecretsError("the key file " + m_path + " is not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        throw SecretsError("the key file " + m_path + " may be read or written by others (mode " + octal(st.st_mode)
                           + "); refusing to use it: chmod 600 " + m_path);
    }
    if (st.st_uid != ::geteuid()) {
        ::close(fd);
        throw SecretsError("the key file " + m_path + " belongs to another user; refusing to use it");
    }
    std::string text;
    try {
        text = readAll(fd, m_path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return secretsFromJson(text, "the key file " + m_path);
}

void FileSecretStore::store(const Secrets& secrets)
{
    std::lock_guard lock(m_mutex);
    std::string text = secretsToJson(secrets);

    const std::string tmp = m_path + ".tmp";
    ::unlink(tmp.c_str());  // a leftover of an interrupted store
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw SecretsError("cannot write the key file " + m_path + ": " + errnoText(errno));
    auto failed = [&](const std::string& what) {
        const int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        explicit_bzero(text.data(), text.size());
        throw SecretsError("cannot write the key file " + m_path + ": " + what + ": " + errnoText(e));
    };
    if (::fchmod(fd, 0600) != 0) failed("chmod");  // whatever the umask
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            failed("write");
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) failed("fsync");
    ::close(fd);
    explicit_bzero(text.data(), text.size());
    if (::rename(tmp.c_str(), m_path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw SecretsError("cannot write the key file " + m_path + ": rename: " + errnoText(e));
    }
    syncFolderOf(m_path);
}

void FileSecretStore::erase()
{
    std::lock_guard lock(m_mutex);
    for (const std::string& p : {m_path, m_path + ".tmp"})
        if (::unlink(p.c_str()) != 0 && errno != ENOENT)
            throw SecretsError("cannot delete the key file " + p + ": " + errnoText(errno));
    syncFolderOf(m_path);
}

// ---------------------------------------------------------------- KeyOverrideStore

Secrets KeyOverrideStore::load()
{
    Secrets s = m_inner->load();
    s.key = m_key;
    s.nextKey.reset();
    return s;
}

void KeyOverrideStore::store(const Secrets& secrets)
{
    Secrets s = m_inner->load();
    s.token = secrets.token;
    m_inner->store(s);
}

// ---------------------------------------------------------------- opening, rekeying, wiping

std::unique_ptr<replica::Replica> openReplica(const std::string& path, SecretStore& store, OpenOptions options)
{
    const storage::FileKind kind = storage::fileKind(path);
    if (kind == storage::FileKind::Missing && !options.create)
        throw storage::StorageError(14 /* SQLITE_CANTOPEN */, "no database at " + path);
    Secrets s = store.load();
    std::unique_ptr<replica::Replica> r;
    if (options.plaintext) {
        if (kind == storage::FileKind::Other)
            throw storage::StorageError(kSqliteNotADb, "cannot open " + path + " as a plain database: it is "
                                                       "encrypted (open it without --plaintext) or not a database");
        options.replica.key.reset();
        r = replica::Replica::open(path, std::move(options.replica));
    } else if (kind != storage::FileKind::Other) {
        // New or plain: a key first (stored before the file is made or
        // encrypted, so the file never exists encrypted without its key).
        if (!s.key) {
            s.key = replica::newReplicaKey();
            s.nextKey.reset();
            store.store(s);
        }
        options.replica.key = s.key;
        r = replica::Replica::open(path, std::move(options.replica));
    } else {
        if (!s.key && !s.nextKey)
            throw SecretsError("the replica " + path + " is encrypted and its key is missing (" + store.describe()
                               + " holds none); nothing was changed");
        std::optional<storage::StorageError> firstFailure;
        if (s.key) {
            try {
                options.replica.key = s.key;
                r = replica::Replica::open(path, options.replica);
            } catch (const storage::StorageError& e) {
                if ((e.code() & 0xff) != kSqliteNotADb || !s.nextKey) throw;
                firstFailure = e;
            }
        }
        if (r && s.nextKey) {
            s.nextKey.reset();  // a rekey that never reached the file
            store.store(s);
        } else if (!r) {
            // A rekey interrupted after the file was re-encrypted: finish it.
            options.replica.key = s.nextKey;
            try {
                r = replica::Replica::open(path, std::move(options.replica));
            } catch (const storage::StorageError& e) {
                if (firstFailure) throw *firstFailure;
                throw;
            }
            s.key = s.nextKey;
            s.nextKey.reset();
            store.store(s);
        }
    }

    // A token an older version kept in the file moves to the store.
    if (auto token = r->setting(replica::settings::kToken)) {
        s = store.load();
        if (!s.token) {
            s.token = *token;
            store.store(s);
        }
        r->setSetting(replica::settings::kToken, std::nullopt);
    }
    return r;
}

void rekeyReplica(const std::string& path, SecretStore& store)
{
    Secrets s = store.load();
    if (!s.key)
        throw SecretsError("cannot rekey " + path + ": " + store.describe() + " holds no key (is it a plain replica?)");
    if (s.nextKey) {
        // An earlier rekey was interrupted: opening settles which key the file has.
        openReplica(path, store, {.replica = {}, .plaintext = false, .create = false}).reset();
        s = store.load();
    }
    s.nextKey = replica::newReplicaKey();
    store.store(s);
    storage::rekeyFile(path, *s.key, *s.nextKey);
    s.key = s.nextKey;
    s.nextKey.reset();
    store.store(s);
}

void wipeReplica(const std::string& path, SecretStore& store)
{
    storage::removeDatabaseFiles(path);
    store.erase();
}

} // namespace fieldsync::client
