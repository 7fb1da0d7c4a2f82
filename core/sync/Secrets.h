// Secrets: where one replica's encryption key and bearer token live — never in
// the replica itself (docs/security.md, "Device data at rest").
//
// A SecretStore holds the secrets of one replica: its key, the key a rekey is
// moving it to, and the sign-in token. Implementations:
//   FileSecretStore    a JSON file beside the replica (the CLI; the app only
//                      by explicit opt-in where no keystore exists), mode 0600
//   KeychainSecretStore  the platform keystore through QtKeychain (app-qml/)
//   MemorySecretStore  tests
//
// The secrets file (FileSecretStore), one JSON object, written whole:
//   format    "fieldsync-secrets"
//   version   1
//   key       the replica's key: 64 hex digits (storage::EncryptionKey), absent
//             for a plain replica
//   next_key  present only while a rekey runs: the key the file is being
//             re-encrypted to (openReplica tries key, then next_key)
//   token     the bearer token of this device's sign-in; absent = signed out
// It is created with mode 0600 (write to a temporary file of mode 0600, fsync,
// rename, fsync the folder) and refused when group or others may read or
// write it: a copy the whole machine can read is no secret.
#pragma once

#include "replica/Replica.h"
#include "storage/Encryption.h"

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace fieldsync::client {

struct Secrets {
    std::optional<storage::EncryptionKey> key = std::nullopt;
    std::optional<storage::EncryptionKey> nextKey = std::nullopt;
    std::optional<std::string> token = std::nullopt;
    bool empty() const { return !key && !nextKey && !token; }
};

// A store that cannot be read or written (permissions, a damaged file, no
// keystore). The message names the store and what to do.
class SecretsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The JSON object above, and back (SecretsError naming `where` if damaged).
std::string secretsToJson(const Secrets& secrets);
Secrets secretsFromJson(const std::string& text, const std::string& where);

class SecretStore {
public:
    virtual ~SecretStore() = default;
    // Nothing stored yet: empty Secrets. Throws SecretsError.
    virtual Secrets load() = 0;
    // Replaces what is stored, atomically. Throws SecretsError.
    virtual void store(const Secrets& secrets) = 0;
    // Deletes everything stored; nothing stored is fine. Throws SecretsError.
    virtual void erase() = 0;
    // Where the secrets live, for messages: "the key file phone.db.keys".
    virtual std::string describe() const = 0;

    std::optional<std::string> token() { return load().token; }
    void setToken(std::optional<std::string> token);
};

class MemorySecretStore : public SecretStore {
public:
    Secrets load() override;
    void store(const Secrets& secrets) override;
    void erase() override;
    std::string describe() const override { return "memory"; }

private:
    std::mutex m_mutex;
    Secrets m_secrets;
};

class FileSecretStore : public SecretStore {
public:
    explicit FileSecretStore(std::string path) : m_path(std::move(path)) {}
    // "<replica>.keys": the CLI's secrets file of a replica.
    static std::string pathFor(const std::string& replicaPath) { return replicaPath + ".keys"; }

    Secrets load() override;
    void store(const Secrets& secrets) override;
    void erase() override;
    std::string describe() const override { return "the key file " + m_path; }
    const std::string& path() const { return m_path; }
    bool exists() const;

private:
    std::string m_path;
    std::mutex m_mutex;
};

// A store whose key comes from elsewhere (the environment): load() reports
// that key and no next key; store() keeps the inner store's own key as it was
// and writes only the token.
class KeyOverrideStore : public SecretStore {
public:
    KeyOverrideStore(std::shared_ptr<SecretStore> inner, storage::EncryptionKey key, std::string where)
        : m_inner(std::move(inner)), m_key(std::move(key)), m_where(std::move(where)) {}
    Secrets load() override;
    void store(const Secrets& secrets) override;
    void erase() override { m_inner->erase(); }
    std::string describe() const override { return m_where; }

private:
    std::shared_ptr<SecretStore> m_inner;
    storage::EncryptionKey m_key;
    std::string m_where;
};

struct OpenOptions {
    replica::Replica::Options replica;  // its key is ignored: the store's is used
    bool plaintext = false;  // open a plain file without a key (never encrypts; refuses an encrypted one)
    bool create = true;      // false: a missing file is an error (storage::StorageError)
};

// Opens (or creates) the replica at `path` with the key in `store`:
//  - a new replica gets a new random key, stored before the file is made;
//  - a plain replica without a stored key gets one and is encrypted in place;
//  - an encrypted replica without a stored key: SecretsError naming the store,
//    nothing changed; a wrong key: storage::StorageError, nothing changed;
//  - a rekey that was interrupted is finished: the file opens with `key` (the
//    rekey never reached it: next_key is dropped) or with `next_key` (it did:
//    next_key becomes the key);
//  - a token an older version kept in the replica (setting `token`) moves to
//    the store and is deleted from the file.
std::unique_ptr<replica::Replica> openReplica(const std::string& path, SecretStore& store, OpenOptions options = {});

// Re-encrypts the replica at `path` (closed) to a new random key, crash-safe
// across the file and the store: next_key is stored first, the file rekeyed
// (storage::rekeyFile), then next_key becomes the key. Throws SecretsError
// (no key stored) or storage::StorageError.
void rekeyReplica(const std::string& path, SecretStore& store);

// Remote wipe (and logout): deletes the replica at `path` (closed) with its
// WAL and leftovers (storage::removeDatabaseFiles), then its key and token.
void wipeReplica(const std::string& path, SecretStore& store);

} // namespace fieldsync::client
