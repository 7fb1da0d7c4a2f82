// The platform keystore, for real: KeychainSecretStore through QtKeychain
// against a Secret Service (gnome-keyring), which keystore_test.sh starts on
// a private D-Bus session. A machine with no keystore is tested by app_logic
// (withoutAKeystoreOrTheOptInTheReplicaIsNotOpened); here one must answer.
#include "SecretStores.h"
#include "Session.h"
#include "replica/Ids.h"
#include "replica/Replica.h"
#include "storage/Database.h"
#include "storage/Encryption.h"
#include "sync/Secrets.h"

#include <QGuiApplication>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace fieldsync;
using namespace fieldsync::app;

class AppKeystoreTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qunsetenv(kSecretsDirVariable);  // the keystore, not the opt-in
        QString why;
        QVERIFY2(KeychainSecretStore::available(&why), qPrintable("no keystore answered: " + why));
    }

    // What is stored is read back by another instance (not its cache), and
    // an erased entry reads as nothing.
    void aKeyAndTokenRoundTripThroughTheKeystore()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("phone.db");
        const auto key = replica::newReplicaKey();
        client::Secrets secrets;
        secrets.key = key;
        secrets.token = "tok-123";
        KeychainSecretStore(db).store(secrets);
        client::Secrets back = KeychainSecretStore(db).load();
        QVERIFY(back.key && back.key->hex() == key.hex());
        QCOMPARE(QString::fromStdString(back.token.value_or("")), QString("tok-123"));
        QVERIFY(!back.nextKey);
        // Entries are per replica file.
        QVERIFY(KeychainSecretStore(dir.filePath("tablet.db")).load().empty());
        KeychainSecretStore(db).erase();
        QVERIFY(KeychainSecretStore(db).load().empty());
    }

    // The app with no opt-in: its replica's key lives in the keystore and the
    // file does not open without it.
    void theAppKeepsTheReplicasKeyInTheKeystore()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("phone.db");
        {
            Session::Options o;
            o.startSync = false;
            Session session(db, o);
            QVERIFY(!session.signedIn());
        }
        client::Secrets stored = KeychainSecretStore(db).load();
        QVERIFY(stored.key);
        QCOMPARE(storage::fileKind(db.toStdString()), storage::FileKind::Other);  // not a plain SQLite file
        QVERIFY_THROWS_EXCEPTION(storage::StorageError, storage::Database(db.toStdString()));
        { storage::Database opened(db.toStdString(), storage::Database::Mode::ReadWrite, 1000, stored.key); }
        // A wipe deletes the file and the keystore entry.
        auto store = appSecretStore(db);
        client::wipeReplica(db.toStdString(), *store);
        QVERIFY(!QFile::exists(db));
        QVERIFY(KeychainSecretStore(db).load().empty());
    }

    // The sync engine reads and forgets the token on its own thread (a
    // revocation), while the GUI thread may itself be waiting — here it is
    // blocked in join(): the keystore needs neither.
    void theKeystoreAnswersOnAThreadOtherThanTheGuiThread()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("phone.db");
        client::Secrets secrets;
        secrets.key = replica::newReplicaKey();
        secrets.token = "t";
        KeychainSecretStore(db).store(secrets);
        std::optional<std::string> seen;
        std::string error;
        std::atomic<bool> done = false;
        std::thread worker([&] {
            try {
                KeychainSecretStore store(db);
                seen = store.token();
                store.setToken(std::nullopt);
            } catch (const std::exception& e) {
                error = e.what();
            }
            done = true;
        });
        worker.join();
        QVERIFY(done.load());
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(QString::fromStdString(seen.value_or("")), QString("t"));
        client::Secrets after = KeychainSecretStore(db).load();
        QVERIFY(after.key);
        QVERIFY(!after.token);
        KeychainSecretStore(db).erase();
    }
};

QTEST_MAIN(AppKeystoreTest)
#include "AppKeystoreTest.moc"
