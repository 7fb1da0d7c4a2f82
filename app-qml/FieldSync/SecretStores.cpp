#include "SecretStores.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <qt6keychain/keychain.h>

#include <functional>
#include <memory>

namespace fieldsync::app {

namespace {

const QString kService = QStringLiteral("fieldsync");

// QtKeychain's jobs and its job executor are not safe across threads (a job
// started on the sync engine's thread while the executor lives on the GUI
// thread crashes it). So every job of this process runs on one thread of its
// own, with its own event loop, and callers on any thread — the GUI, the sync
// engine, sign-in workers — wait for it. That thread never waits for anyone,
// so no caller can deadlock against it. Stopped when the application object
// goes (qAddPostRoutine).
class KeystoreThread {
public:
    static KeystoreThread& instance()
    {
        static KeystoreThread* self = [] {
            auto* t = new KeystoreThread;
            qAddPostRoutine([] { KeystoreThread::instance().stop(); });
            return t;
        }();
        return *self;
    }

    // Runs `work` on the keystore thread and returns when it is done.
    void run(const std::function<void()>& work)
    {
        if (QThread::currentThread() == &m_thread) {
            work();
            return;
        }
        QMetaObject::invokeMethod(&m_context, work, Qt::BlockingQueuedConnection);
    }

private:
    KeystoreThread()
    {
        m_thread.setObjectName(QStringLiteral("keystore"));
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    void stop()
    {
        m_thread.quit();
        m_thread.wait();
    }

    QThread m_thread;
    QObject m_context;
};

// Runs a QtKeychain job to its end (the jobs are asynchronous; these calls
// are rare: opening, signing in and out, a revocation). Call only on the
// keystore thread.
void runJob(QKeychain::Job& job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
}

// What a job said, copied out of the keystore thread.
struct JobResult {
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;  // a read's secret
};

enum class Op { Read, Write, Delete };

JobResult keystore(Op op, const QString& key, const QString& text = {})
{
    JobResult result;
    KeystoreThread::instance().run([&] {
        std::unique_ptr<QKeychain::Job> job;
        if (op == Op::Read) job = std::make_unique<QKeychain::ReadPasswordJob>(kService);
        else if (op == Op::Write) job = std::make_unique<QKeychain::WritePasswordJob>(kService);
        else job = std::make_unique<QKeychain::DeletePasswordJob>(kService);
        job->setKey(key);
        if (op == Op::Write) static_cast<QKeychain::WritePasswordJob&>(*job).setTextData(text);
        runJob(*job);
        result.error = job->error();
        result.errorString = job->errorString();
        if (op == Op::Read) result.text = static_cast<QKeychain::ReadPasswordJob&>(*job).textData();
    });
    return result;
}

std::string keystoreError(const JobResult& job, const std::string& what)
{
    return "the keystore could not " + what + ": " + job.errorString.toStdString();
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
    JobResult job = keystore(Op::Read, QStringLiteral("fieldsync-keystore-probe"));
    if (job.error == QKeychain::NoError || job.error == QKeychain::EntryNotFound) return true;
    if (why) *why = job.errorString;
    return false;
}

client::Secrets KeychainSecretStore::load()
{
    std::lock_guard lock(m_mutex);
    if (m_cache) return *m_cache;
    JobResult job = keystore(Op::Read, m_account);
    if (job.error == QKeychain::EntryNotFound) {
        m_cache = client::Secrets{};
        return *m_cache;
    }
    if (job.error != QKeychain::NoError) throw client::SecretsError(keystoreError(job, "be read"));
    m_cache = client::secretsFromJson(job.text.toStdString(), describe());
    return *m_cache;
}

void KeychainSecretStore::store(const client::Secrets& secrets)
{
    std::lock_guard lock(m_mutex);
    JobResult job = keystore(Op::Write, m_account, QString::fromStdString(client::secretsToJson(secrets)));
    if (job.error != QKeychain::NoError) throw client::SecretsError(keystoreError(job, "store the replica's key"));
    m_cache = secrets;
}

void KeychainSecretStore::erase()
{
    std::lock_guard lock(m_mutex);
    JobResult job = keystore(Op::Delete, m_account);
    if (job.error != QKeychain::NoError && job.error != QKeychain::EntryNotFound)
        throw client::SecretsError(keystoreError(job, "delete the replica's key"));
    m_cache = client::Secrets{};
}

std::string KeychainSecretStore::describe() const
{
    return "the keystore entry " + kService.toStdString() + "/" + m_account.toStdString();
}

} // namespace fieldsync::app
