// Where the app keeps a replica's key and token (sync/Secrets.h;
// docs/security.md, "Device data at rest"):
//
//  - the platform keystore, through QtKeychain: Secret Service or KWallet on
//    Linux, the Keychain on macOS and iOS, the Android Keystore, the Windows
//    credential store. One entry per replica: service "fieldsync", account
//    the replica's absolute path, the secret the same JSON object as the
//    CLI's key file (format "fieldsync-secrets", key, next_key, token).
//  - by explicit opt-in only, on a machine without a keystore (a headless
//    test machine, CI, the demo): a key file of the CLI's format (mode 0600)
//    in the folder named by --secrets-dir DIR or FIELDSYNC_SECRETS_DIR,
//    named after the replica: <file name>-<12 hex digits of the SHA-256 of
//    its absolute path>.keys (two replicas of the same name never share one).
//
// Without a keystore and without the opt-in there is no store: the app says
// so and does not open the replica, never falling back to a plain file.
#pragma once

#include "sync/Secrets.h"

#include <QString>
#include <memory>

namespace fieldsync::app {

// The environment variable of the opt-in.
inline constexpr const char* kSecretsDirVariable = "FIELDSYNC_SECRETS_DIR";

// The opt-in key file of a replica (above).
QString secretsFileFor(const QString& databasePath, const QString& secretsDir);

// `secretsDir` (the command line's --secrets-dir) wins over the environment.
// Throws client::SecretsError, naming both ways to opt in, when neither is
// given and no keystore answers.
std::shared_ptr<client::SecretStore> appSecretStore(const QString& databasePath, const QString& secretsDir = {});

// The keystore entry of one replica. load() reads the keystore once and then
// answers from memory (the sync engine asks on its worker thread); store()
// and erase() write through. Throws client::SecretsError when the keystore
// cannot be used.
class KeychainSecretStore : public client::SecretStore {
public:
    explicit KeychainSecretStore(QString databasePath);
    // Whether a keystore answers on this machine (a read of an entry that
    // does not exist succeeds as "not found").
    static bool available(QString* why = nullptr);

    client::Secrets load() override;
    void store(const client::Secrets& secrets) override;
    void erase() override;
    std::string describe() const override;

private:
    QString m_account;
    std::mutex m_mutex;
    std::optional<client::Secrets> m_cache;
};

} // namespace fieldsync::app
