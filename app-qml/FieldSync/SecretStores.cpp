#include "SecretStores.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <qt6keychain/keychain.h>

namespace fieldsync::app {

namespace {

const QString kService = QStringLiteral("fieldsync");

// Runs a QtKeychain job to its end (the jobs are asynchronous; these calls
// are rare: opening, signing in and out, a revocation).
void runJob(QKeychain::Job& job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
}

std::string keystoreError(const QKeychain::Job& job, const std::string& what)
{
    return "the keystore could not " + what + ": " + job.errorString().toStdString();
}

} // namespace

QString secretsFileFor(const QString& databasePath, const QString& secretsDir)
{
    const QFileInfo db(databasePath);
    const QByteArray where = QCryptographicHash::hash(db.absoluteFilePath().toUtf8(), QCryptographicHash::Sha256);
    return QDir(secretsDir).filePath(db.fileName() + u'-' + QString::fromLatin1(where.toHex().left(12))
                                     + QStringLiteral(".keys"));
}

std::shared_ptr<client::SecretStore> appSecretStore(const QString& databasePath, const QString& secretsDir)
{
    QString dir = secretsDir;
    if (dir.isEmpty()) dir = qEnvironmentVariable(kSecretsDirVariable);
    if (!dir.isEmpty()) {
        if (!QDir(dir).exists()) {
            // A new folder for secrets: the owner's only.
            if (!QDir().mkpath(dir)
                || !QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
                throw client::SecretsError("cannot create the key file folder " + dir.toStdString());
        }
        return std::make_shared<client::FileSecretStore>(secretsFileFor(databasePath, dir).toStdString());
    }
    QString why;
    if (KeychainSecretStore::available(&why)) return std::make_shared<KeychainSecretStore>(databasePath);
    throw client::SecretsError("no keystore on this device to keep the replica's key in (" + why.toStdString()
                               + "); the replica is not opened unencrypted. On a machine without one, name a folder "
                                 "for a key file with --secrets-dir DIR or " + kSecretsDirVariable);
}

KeychainSecretStore::KeychainSecretStore(QString databasePath)
    : m_account(QFileInfo(databasePath).absoluteFilePath())
{
}

bool KeychainSecretStore::available(QString* why)
{
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(QStringLiteral("fieldsync-keystore-probe"));
    runJob(job);
    if (job.error() == QKeychain::NoError || job.error() == QKeychain::EntryNotFound) return true;
    if (why) *why = job.errorString();
    return false;
}

client::Secrets KeychainSecretStore::load()
{
    std::lock_guard lock(m_mutex);
    if (m_cache) return *m_cache;
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(m_account);
    runJob(job);
    if (job.error() == QKeychain::EntryNotFound) {
        m_cache = client::Secrets{};
        return *m_cache;
    }
    if (job.error() != QKeychain::NoError) throw client::SecretsError(keystoreError(job, "be read"));
    m_cache = client::secretsFromJson(job.textData().toStdString(), describe());
    return *m_cache;
}

void KeychainSecretStore::store(const client::Secrets& secrets)
{
    std::lock_guard lock(m_mutex);
    QKeychain::WritePasswordJob job(kService);
    job.setKey(m_account);
    job.setTextData(QString::fromStdString(client::secretsToJson(secrets)));
    runJob(job);
    if (job.error() != QKeychain::NoError) throw client::SecretsError(keystoreError(job, "store the replica's key"));
    m_cache = secrets;
}

void KeychainSecretStore::erase()
{
    std::lock_guard lock(m_mutex);
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(m_account);
    runJob(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        throw client::SecretsError(keystoreError(job, "delete the replica's key"));
    m_cache = client::Secrets{};
}

std::string KeychainSecretStore::describe() const
{
    return "the keystore entry " + kService.toStdString() + "/" + m_account.toStdString();
}

} // namespace fieldsync::app
