// The app's C++ objects without QML: command line, translations, the
// location adapter, the poke URL, and every model under
// QAbstractItemModelTester (attached before any data arrives) over replicas
// built through Replica and an in-process Hub (AppFixtures).
#include "AppFixtures.h"
#include "AppOptions.h"
#include "AbcModel.h"
#include "AppSetup.h"
#include "AssignController.h"
#include "ChurnModel.h"
#include "ComplaintsModel.h"
#include "ConflictsModel.h"
#include "ContactsModel.h"
#include "CustomerDetail.h"
#include "CustomersModel.h"
#include "ExportController.h"
#include "FieldHistoryModel.h"
#include "Amounts.h"
#include "FeedModel.h"
#include "TasksModel.h"
#include "TeamStats.h"
#include "TodayModel.h"
#include "VisitController.h"
#include "VisitsModel.h"
#include "domain/Complaints.h"
#include "domain/LocalTime.h"
#include "domain/Tasks.h"
#include "domain/Visits.h"
#include "LocationSource.h"
#include "NewCustomerController.h"
#include "PoolReturnController.h"
#include "sync/PokeListener.h"
#include "RejectedModel.h"
#include "RowNames.h"
#include "Session.h"
#include "storage/Connection.h"
#include "storage/Encryption.h"
#include "Translator.h"
#include "replica/Replica.h"
#include "replica/SettingKeys.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace fieldsync;
using namespace fieldsync::app;

namespace {

Session::Options offline()
{
    Session::Options o;
    o.startSync = false;  // models only: no engine, no network
    return o;
}

// 2026-09-21 12:00 UTC: fixed instants for rows whose order the tests check.
constexpr int64_t kT0 = 1'790'000'000'000;
constexpr int64_t kDay = 24 * 3600 * 1000;

std::string addCustomer(replica::Replica& r, const std::string& name, const char* level, const char* owner,
                        bool located = true)
{
    replica::Write w;
    w.set("name", name);
    if (level) w.set("level", std::string(level));
    if (owner) w.set("owner", std::string(owner));
    if (located) {
        w.set("lat", 39.9042);  // 北京, 天安门
        w.set("lng", 116.4074);
    }
    return *r.create("customer", w);
}

void addContact(replica::Replica& r, const std::string& customer, const std::string& name, const char* title,
                const char* phone, const char* email, bool primary, bool archived = false)
{
    replica::Write w;
    w.set("customer", customer);
    w.set("name", name);
    if (title) w.set("title", std::string(title));
    if (phone) w.set("phone", std::string(phone));
    if (email) w.set("email", std::string(email));
    if (primary) w.set("is_primary", true);
    if (archived) w.set("archived", true);
    QVERIFY(r.create("contact", w).ok());
}

QStringList column(const QAbstractItemModel& model, int role)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i) out << model.data(model.index(i, 0), role).toString();
    return out;
}

// A test's own connection to a replica file, opened as the app opens it
// (encrypted, with the key in the opt-in key file of prepareTestEnvironment).
std::unique_ptr<replica::Replica> openDevice(const QString& db, replica::Replica::Options options = {})
{
    client::OpenOptions o;
    o.replica = std::move(options);
    return client::openReplica(db.toStdString(), *appSecretStore(db), std::move(o));
}

} // namespace

class AppLogicTest : public QObject {
    Q_OBJECT

private slots:
    void optionsParse()
    {
        auto o = AppOptions::parse({"fieldsync-app", "--db", "/tmp/x.db", "--lang", "zh"});
        QVERIFY(o.ok());
        QCOMPARE(o->dbPath, QString("/tmp/x.db"));
        QCOMPARE(o->lang, QString("zh"));
        QVERIFY(!o->signInRequested());

        auto s = AppOptions::parse(
            {"fieldsync-app", "--server", "http://127.0.0.1:8080", "--user", "lina", "--password-stdin"});
        QVERIFY(s.ok());
        QVERIFY(s->signInRequested());
        QCOMPARE(s->user, QString("lina"));
        QVERIFY(s->passwordStdin);
        QVERIFY(s->dbPath.isEmpty());
    }

    void optionsTakeTheSecretsDirOptIn()
    {
        auto o = AppOptions::parse({"fieldsync-app", "--secrets-dir", "/tmp/keys"});
        QVERIFY(o.ok());
        QCOMPARE(o->secretsDir, QString("/tmp/keys"));
        QVERIFY(AppOptions::parse({"fieldsync-app"})->secretsDir.isEmpty());
    }

    // Without a keystore and without the opt-in the replica is not opened
    // (and not made): never a plain file by default.
    void withoutAKeystoreOrTheOptInTheReplicaIsNotOpened()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("phone.db");
        const QByteArray optIn = qgetenv(kSecretsDirVariable);
        qunsetenv(kSecretsDirVariable);
        QString why;
        if (KeychainSecretStore::available(&why)) {
            // A machine with a keystore: the key goes there.
            auto store = appSecretStore(db);
            QVERIFY(QString::fromStdString(store->describe()).startsWith("the keystore entry fieldsync/"));
        } else {
            try {
                Session session(db, offline());
                QFAIL("a Session opened without a keystore or the opt-in");
            } catch (const client::SecretsError& e) {
                const QString message = QString::fromUtf8(e.what());
                QVERIFY2(message.contains("no keystore on this device") && message.contains("--secrets-dir DIR")
                             && message.contains("FIELDSYNC_SECRETS_DIR")
                             && message.contains("the replica is not opened unencrypted"),
                         qPrintable(message));
            }
            QVERIFY(!QFile::exists(db));
        }
        qputenv(kSecretsDirVariable, optIn);
    }

    // The opt-in: the key in a 0600 key file of the CLI's format, the replica
    // encrypted with it.
    void theSecretsDirOptInKeepsTheKeyInA0600FileAndTheReplicaEncrypted()
    {
        QTemporaryDir dir, keys;
        const QString db = dir.filePath("phone.db");
        {
            Session::Options o = offline();
            o.secretsDir = keys.path();
            Session session(db, o);
        }
        const QString file = secretsFileFor(db, keys.path());
        QVERIFY(file.startsWith(keys.path() + "/phone.db-"));
        QCOMPARE(QFile::permissions(file) & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFileDevice::Permissions());
        QVERIFY(client::FileSecretStore(file.toStdString()).load().key);
        QCOMPARE(storage::fileKind(db.toStdString()), storage::FileKind::Other);
        QVERIFY_THROWS_EXCEPTION(storage::StorageError, replica::Replica::open(db.toStdString()));
        // Another replica of the same name elsewhere gets a key file of its own.
        QTemporaryDir other;
        QVERIFY(secretsFileFor(other.filePath("phone.db"), keys.path()) != file);
    }

    void optionsRefuseBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("lang") << QStringList{"a", "--lang", "fr"} << "--lang must be zh or en, not fr";
        QTest::newRow("server alone") << QStringList{"a", "--server", "http://h"} << "--server and --user go together";
        QTest::newRow("no password-stdin")
            << QStringList{"a", "--server", "http://h", "--user", "u"}
            << "--server and --user need --password-stdin (the password is never an argument)";
        QTest::newRow("stdin alone") << QStringList{"a", "--password-stdin"}
                                     << "--password-stdin needs --server and --user";
        QTest::newRow("unknown") << QStringList{"a", "--password", "x"} << "Unknown option 'password'.";
        QTest::newRow("positional") << QStringList{"a", "extra"} << "unexpected argument: extra";
    }
    void optionsRefuseBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        auto o = AppOptions::parse(args);
        QVERIFY(!o.ok());
        QCOMPARE(QString::fromStdString(o.error().message), message);
    }

    void translatorFollowsLocaleAndOverride()
    {
        QCOMPARE(Translator::languageForLocale("zh_CN"), QString("zh"));
        QCOMPARE(Translator::languageForLocale("zh_TW"), QString("zh"));
        QCOMPARE(Translator::languageForLocale("en_US"), QString("en"));
        QCOMPARE(Translator::languageForLocale("C"), QString("en"));

        Translator t(nullptr);
        t.setLanguage("en");  // whatever an earlier run saved
        QSignalSpy changed(&t, &Translator::languageChanged);
        t.setLanguage("zh");
        QCOMPARE(t.effectiveLanguage(), QString("zh"));
        QCOMPARE(changed.count(), 1);
        // The .qm is built and installed: a C++ message comes out in Chinese.
        QCOMPARE(QCoreApplication::translate("fieldsync::app::Session", "Enter your user name and password."),
                 QString("请输入用户名和密码。"));
        t.setLanguage("en");
        QCOMPARE(QCoreApplication::translate("fieldsync::app::Session", "Enter your user name and password."),
                 QString("Enter your user name and password."));
        // The choice is saved: a new Translator starts with it.
        Translator again(nullptr);
        QCOMPARE(again.language(), QString("en"));
        again.setLanguage("");  // back to the system default
        QCOMPARE(Translator(nullptr).language(), QString());
    }

    void locationWithoutSourceIsMarked()
    {
        LocationSource none(nullptr, nullptr);
        QVERIFY(!none.available());
        QSignalSpy fix(&none, &LocationSource::fixChanged);
        none.requestFix(100);
        QCOMPARE(fix.count(), 1);
        QVERIFY(!none.located());
        QVERIFY(!none.busy());
        QCOMPARE(none.unavailableReason(), QString("No location source on this device"));
        QCOMPARE(none.accuracy(), -1.0);
    }

    void pokeUrlFollowsServerScheme()
    {
        // The app's listener is the core's: the server URL the session stores
        // maps to the socket it opens.
        using client::PokeListener;
        QCOMPARE(QString::fromStdString(PokeListener::webSocketUrl("https://sync.example.com:8443")), QString("wss://sync.example.com:8443/v1/ws"));
        QCOMPARE(QString::fromStdString(PokeListener::webSocketUrl("http://127.0.0.1:8080")), QString("ws://127.0.0.1:8080/v1/ws"));
        QCOMPARE(QString::fromStdString(PokeListener::webSocketUrl("https://example.com/fieldsync")), QString("wss://example.com:443/fieldsync/v1/ws"));
        QCOMPARE(QString::fromStdString(PokeListener::webSocketUrl("ftp://example.com")), QString(""));
    }

    void conflictsModelShowsBothValues()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        std::string customer;
        {
            auto device = openDevice(db);
            auto f = apptest::makeConflicts(dir.path().toStdString(), *device, "http://127.0.0.1:9");
            customer = f.customer;
        }
        ConflictsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        Session session(db, offline());
        model.setSession(&session);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.property("count").toInt(), 2);

        // Same detection time: ordered by id; find each by field.
        int phone = -1, notes = -1;
        for (int i = 0; i < 2; ++i) {
            const QString field = model.data(model.index(i), ConflictsModel::FieldRole).toString();
            (field == "phone" ? phone : notes) = i;
        }
        QVERIFY(phone >= 0 && notes >= 0);
        auto at = [&](int row, ConflictsModel::Role role) { return model.data(model.index(row), role); };
        QCOMPARE(at(phone, ConflictsModel::EntityRole).toString(), QString("customer"));
        QCOMPARE(at(phone, ConflictsModel::EntityLabelRole).toString(), QString("Customer"));
        QCOMPARE(at(phone, ConflictsModel::FieldLabelRole).toString(), QString("Phone"));
        QCOMPARE(at(phone, ConflictsModel::RowIdRole).toString(), QString::fromStdString(customer));
        QCOMPARE(at(phone, ConflictsModel::RowNameRole).toString(), QString("北京昭智教育"));  // named, not its id
        QCOMPARE(model.entryAt(phone).value("rowName").toString(), QString("北京昭智教育"));  // what the detail page shows
        QCOMPARE(at(phone, ConflictsModel::CurrentValueRole).toString(), QString("010-6666 2222"));
        QCOMPARE(at(phone, ConflictsModel::OtherValueRole).toString(), QString("010-6666 1111"));
        QCOMPARE(at(phone, ConflictsModel::ProvisionalRole).toBool(), false);
        QCOMPARE(at(phone, ConflictsModel::NeedsResolutionRole).toBool(), false);
        QCOMPARE(at(notes, ConflictsModel::NeedsResolutionRole).toBool(), true);
        QCOMPARE(at(notes, ConflictsModel::CurrentValueRole).toString(), QString("改到周四下午"));
        QCOMPARE(at(notes, ConflictsModel::OtherValueRole).toString(), QString("周三上午拜访，带样品"));
        QVERIFY(at(phone, ConflictsModel::DetectedAtRole).toDateTime().isValid());
        // What the page uses to keep the open conflict across a reload.
        const QString id = QString::fromStdString(customer);
        QCOMPARE(model.rowOf("customer", id, "phone"), phone);
        QCOMPARE(model.rowOf("customer", id, "address"), -1);
        QCOMPARE(model.entryAt(notes).value("otherValue").toString(), QString("周三上午拜访，带样品"));
        QCOMPARE(model.entryAt(notes).value("row").toInt(), notes);
        QVERIFY(model.entryAt(5).isEmpty());

        // Row filter: another row has none.
        model.setRowFilter("no-such-row");
        QCOMPARE(model.rowCount(), 0);
        model.setRowFilter(QString::fromStdString(customer));
        QCOMPARE(model.rowCount(), 2);
    }

    void resolvingWritesAndSyncsLikeAnyEdit()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        std::string customer;
        {
            auto device = openDevice(db);
            customer = apptest::makeConflicts(dir.path().toStdString(), *device, "http://127.0.0.1:9").customer;
        }
        Session session(db, offline());
        ConflictsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(&session);
        QCOMPARE(session.sync()->pendingCount(), 0);
        auto rowOf = [&](const QString& field) {
            for (int i = 0; i < model.rowCount(); ++i)
                if (model.data(model.index(i), ConflictsModel::FieldRole).toString() == field) return i;
            return -1;
        };

        // Take the value that lost: the row gets it, as a pending local write.
        QVERIFY(model.takeOther(rowOf("phone")));
        QVERIFY(model.errorText().isEmpty());
        QCOMPARE(session.replica().get("customer", customer)->at("phone").get<std::string>(), "010-6666 1111");
        QCOMPARE(model.rowCount(), 1);  // resolved entries are hidden
        QVERIFY(session.sync()->pendingCount() > 0);

        // An edited value is parsed against the field's type; bad input is refused.
        const int notes = rowOf("notes");
        QVERIFY(model.saveEdited(notes, "周四下午拜访，带样品"));
        QCOMPARE(session.replica().get("customer", customer)->at("notes").get<std::string>(), "周四下午拜访，带样品");
        QCOMPARE(model.rowCount(), 0);

        model.setIncludeResolved(true);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0), ConflictsModel::ResolvedRole).toBool(), true);
    }

    void resolvingRefusesBadInput()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            auto device = openDevice(db);
            apptest::makeConflicts(dir.path().toStdString(), *device, "http://127.0.0.1:9");
        }
        Session session(db, offline());
        ConflictsModel model;
        model.setSession(&session);
        QVERIFY(!model.keepCurrent(7));
        QCOMPARE(model.errorText(), QString("No such conflict."));
        const int pendingBefore = session.sync()->pendingCount();
        QVERIFY(!model.saveEdited(-1, "x"));
        QCOMPARE(session.sync()->pendingCount(), pendingBefore);
        QCOMPARE(model.rowCount(), 2);
    }

    void rejectedModelSaysWhy()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            auto device = openDevice(db);
            replica::Write w;
            w.set("name", std::string("上海宏达贸易")).set("level", std::string("B")).add("tags", "vip");
            QVERIFY(device->create("customer", w).ok());
            apptest::rejectPending(*device, 1);
        }
        RejectedModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Session session(db, offline());
        model.setSession(&session);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(session.sync()->rejectedCount(), 1);
        QCOMPARE(session.sync()->pendingCount(), 0);
        const QModelIndex i = model.index(0);
        QCOMPARE(model.data(i, RejectedModel::EntityRole).toString(), QString("customer"));
        QCOMPARE(model.data(i, RejectedModel::CodeRole).toString(), QString("permission_denied"));
        QVERIFY(model.data(i, RejectedModel::MessageRole).toString().endsWith(" is owned by someone else"));
        QCOMPARE(model.data(i, RejectedModel::ReasonRole).toString(), QString("not_in_scope"));
        QCOMPARE(model.data(i, RejectedModel::RowNameRole).toString(), QString("上海宏达贸易"));
        QCOMPARE(model.data(i, RejectedModel::WhyRole).toString(),
                 QString("It belongs to a customer that is not yours, or no longer yours."));
        QCOMPARE(model.data(i, RejectedModel::ChangesRole).toString(),
                 QString("Level = B, Name = 上海宏达贸易, Tags + vip"));
        QCOMPARE(model.data(i, RejectedModel::EntityLabelRole).toString(), QString("Customer"));
        QVERIFY(model.data(i, RejectedModel::RejectedAtRole).toDateTime().isValid());
    }

    void rejectedChangesAndConflictsSpeakTheUsersLanguageAndNameRowsByTheirNames()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        std::string customer;
        {
            auto device = openDevice(db);
            auto c = device->create("customer", replica::Write().set("name", std::string("上海宏达贸易")));
            QVERIFY(c.ok());
            customer = *c;
            QVERIFY(device->create("visit", replica::Write().set("customer", customer).set("notes", std::string("报价")))
                        .ok());
            apptest::rejectPending(*device, 2);
        }
        Translator t(nullptr);
        t.setLanguage("zh");
        Session session(db, offline());
        RejectedModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(&session);
        QCOMPARE(model.rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            const QModelIndex i = model.index(row);
            const QString why = model.data(i, RejectedModel::WhyRole).toString();
            const QString name = model.data(i, RejectedModel::RowNameRole).toString();
            QCOMPARE(why, QString("它属于不是你的客户，或已不再是你的客户。"));
            QCOMPARE(name, QString("上海宏达贸易"));  // the visit too is named by its customer
            for (const QString& shown : {why, name, model.data(i, RejectedModel::ChangesRole).toString()})
                QVERIFY2(!shown.contains(QString::fromStdString(customer.substr(0, 8))), qPrintable(shown));
        }
        QCOMPARE(model.data(model.index(0), RejectedModel::EntityLabelRole).toString(), QString("拜访"));
        t.setLanguage("en");
        QCOMPARE(model.data(model.index(0), RejectedModel::WhyRole).toString(),
                 QString("It belongs to a customer that is not yours, or no longer yours."));
        QCOMPARE(rowName(session.replica(), "visit", "0190aaaa-0000-7000-8000-000000000000"),
                 QString("a record no longer on this device"));
        // A row not held is named from the change, its customer from what
        // else was refused.
        const nlohmann::json contact = {{"set", {{"name", "王经理"}, {"customer", customer}}}};
        QCOMPARE(rowName(session.replica(), "contact", "0190aaaa-0000-7000-8000-000000000001", contact),
                 QString("王经理"));
        QCOMPARE(rowName(session.replica(), "contact", "0190aaaa-0000-7000-8000-000000000001", contact,
                         {{customer, "上海宏达贸易"}}),
                 QString("王经理 (上海宏达贸易)"));
        QCOMPARE(rejectionText("claim_lost", "customer", {}), QString("Someone else claimed this customer first."));
        QCOMPARE(rejectionText("role", "customer", {{"set", {{"owner", "wang"}}}}),
                 QString("Only a manager can reassign a customer."));
        // An older server's rejection: a general sentence, not its English.
        QCOMPARE(rejectionText("", "customer", {}), QString("The server did not accept this change."));
    }

    void rejectedModelPages()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            auto device = openDevice(db);
            QVERIFY(device->batch([&]() -> Status {
                for (int i = 0; i < 120; ++i) {
                    replica::Write w;
                    w.set("name", "客户 " + std::to_string(i));
                    auto id = device->create("customer", w);
                    if (!id) return id.error();
                }
                return Ok{};
            }).ok());
            apptest::rejectPending(*device, 120);
        }
        Session session(db, offline());
        {
            // Every page fetched under the tester's eye.
            RejectedModel tested;
            QAbstractItemModelTester tester(&tested, QAbstractItemModelTester::FailureReportingMode::QtTest);
            tested.setSession(&session);
            QCOMPARE(tested.rowCount(), 50);
            while (tested.canFetchMore({})) tested.fetchMore({});
            QCOMPARE(tested.rowCount(), 120);
            tested.reload();  // back to one page; nothing fetched inside the reset
            QCOMPARE(tested.rowCount(), 50);
        }
        RejectedModel model;
        model.setSession(&session);
        QCOMPARE(model.property("count").toInt(), 120);
        QCOMPARE(model.rowCount(), 50);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 100);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 120);
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 120);
        // A reload starts again at one page.
        model.reload();
        QCOMPARE(model.rowCount(), 50);
    }

    void customersModelSearchesFiltersAndClaims()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina");
            auto add = [&](const std::string& name, const char* level, const char* owner) {
                replica::Write w;
                w.set("name", name);
                if (level) w.set("level", std::string(level));
                if (owner) w.set("owner", std::string(owner));
                return r->create("customer", w).ok();
            };
            QVERIFY(add("北京昭智教育", "A", "lina"));
            QVERIFY(add("上海宏达贸易", "B", "lina"));
            QVERIFY(add("广州南方物流", "C", nullptr));
        }
        Session session(db, offline());
        CustomersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(&session);
        QCOMPARE(model.rowCount(), 3);
        auto names = [&] {
            QStringList out;
            for (int i = 0; i < model.rowCount(); ++i) out << model.data(model.index(i)).toString();
            return out;
        };
        // Pinyin order: bei, guang, shang.
        QCOMPARE(names(), (QStringList{"北京昭智教育", "广州南方物流", "上海宏达贸易"}));

        model.setSearch("bjzz");  // initials
        QCOMPARE(names(), QStringList{"北京昭智教育"});
        QCOMPARE(model.data(model.index(0), CustomersModel::LevelRole).toString(), QString("A"));
        QCOMPARE(model.data(model.index(0), CustomersModel::OwnerRole).toString(), QString("lina"));
        QCOMPARE(model.data(model.index(0), CustomersModel::InPoolRole).toBool(), false);
        // Never visited, level A: overdue.
        QCOMPARE(model.data(model.index(0), CustomersModel::OverdueRole).toBool(), true);
        QVERIFY(!model.data(model.index(0), CustomersModel::LastVisitRole).toDateTime().isValid());
        model.setSearch("shanghai");
        QCOMPARE(names(), QStringList{"上海宏达贸易"});
        model.setSearch("宏达");
        QCOMPARE(names(), QStringList{"上海宏达贸易"});
        model.setSearch("");
        model.setLevel("B");
        QCOMPARE(names(), QStringList{"上海宏达贸易"});
        model.setLevel("");

        model.setPoolOnly(true);
        QCOMPARE(names(), QStringList{"广州南方物流"});
        QCOMPARE(model.data(model.index(0), CustomersModel::InPoolRole).toBool(), true);
        QCOMPARE(session.sync()->pendingCount(), 3);
        QVERIFY(model.claim(0));
        QCOMPARE(session.sync()->pendingCount(), 4);
        QCOMPARE(model.rowCount(), 0);  // no longer in the pool
        model.setPoolOnly(false);
        model.setSearch("guangzhou");
        QCOMPARE(model.data(model.index(0), CustomersModel::OwnerRole).toString(), QString("lina"));
        QVERIFY(!model.claim(5));
        QCOMPARE(model.errorText(), QString("No such customer."));
    }

    void customersModelPagesFromTheDomain()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            auto r = openDevice(db);
            QVERIFY(r->batch([&]() -> Status {
                for (int i = 0; i < 120; ++i) {
                    replica::Write w;
                    w.set("name", "客户" + std::to_string(1000 + i));
                    auto id = r->create("customer", w);
                    if (!id) return id.error();
                }
                return Ok{};
            }).ok());
        }
        Session session(db, offline());
        {
            CustomersModel tested;
            QAbstractItemModelTester tester(&tested, QAbstractItemModelTester::FailureReportingMode::QtTest);
            tested.setSession(&session);
            while (tested.canFetchMore({})) tested.fetchMore({});
            QCOMPARE(tested.rowCount(), 120);
        }
        CustomersModel model;
        model.setSession(&session);
        QCOMPARE(model.property("count").toInt(), 120);
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(model.data(model.index(49)).toString(), QString("客户1049"));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.data(model.index(50)).toString(), QString("客户1050"));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 120);
        QCOMPARE(model.data(model.index(119)).toString(), QString("客户1119"));
        QVERIFY(!model.canFetchMore({}));
        model.setSearch("客户1119");
        QCOMPARE(model.rowCount(), 1);
    }

    // The UI's replica and the engine's are two connections to one file: rows
    // the engine pulls (naming devices the UI has not cached) read fine.
    void uiReplicaSeesEngineCommits()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath("device.db").toStdString();
        auto hub = replica::Hub::open(dir.filePath("hub.db").toStdString());
        auto ui = replica::Replica::open(db);
        QCOMPARE(ui->list("customer").size(), size_t(0));
        auto other = replica::Replica::open(dir.filePath("other.db").toStdString());
        replica::Write w;
        w.set("name", std::string("杭州西湖茶业"));
        auto id = other->create("customer", w);
        QVERIFY(id.ok());
        apptest::syncThroughHub(*other, *hub);
        {
            auto engine = replica::Replica::open(db);
            apptest::syncThroughHub(*engine, *hub);
        }
        auto rows = ui->list("customer");
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].at("name").get<std::string>(), "杭州西湖茶业");
        QVERIFY(ui->get("customer", *id).ok());
    }

    void sessionReadsIdentityAndStaysSignedInOffline()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            Session fresh(db, offline());
            QVERIFY(!fresh.signedIn());
            QVERIFY(fresh.user().isEmpty());
        }
        {
            auto device = openDevice(db);
            apptest::signInOffline(*device, "http://127.0.0.1:9", "wang", "manager");
        }
        Session session(db, offline());
        QVERIFY(session.signedIn());
        QCOMPARE(session.user(), QString("wang"));
        QCOMPARE(session.role(), QString("manager"));
        QCOMPARE(session.team(), QString("north"));
        QVERIFY(session.isManager());
        QCOMPARE(session.server(), QString("http://127.0.0.1:9"));
    }

    void signInRefusesBadInputWithoutNetwork()
    {
        QTemporaryDir dir;
        Session session(dir.filePath("device.db"), offline());
        QSignalSpy finished(&session, &Session::signInFinished);
        session.signIn("ftp://example.com", "lina", "pw");
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(session.errorText(), QString("The server address must start with http:// or https://"));
        session.signIn("http://sync.example.com", "lina", "pw");
        QCOMPARE(session.errorText(),
                 QString("Use the server's https:// address: plain http:// is only for a server on this device."));
        QCOMPARE(finished.count(), 2);
        QCOMPARE(finished.last().first().toBool(), false);
        session.signIn("http://127.0.0.1:9", "  ", "pw");
        QCOMPARE(session.errorText(), QString("Enter your user name and password."));
        QVERIFY(!session.signedIn());
        QVERIFY(!session.busy());
    }

    void customerDetailShowsProfileContactsTimelineTasksAndComplaints()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        std::string bj, visitFar, visitBlind, visitVoided;
        {
            auto r = openDevice(db);
            // A manager: only managers may void a visit.
            apptest::signInOffline(*r, "http://127.0.0.1:9", "zhao", "manager");
            bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            QVERIFY(r->update("customer", bj, replica::Write()
                                                  .set("phone", std::string("010-6666 1111"))
                                                  .set("region", std::string("北京"))
                                                  .set("lifecycle", std::string("loyal"))
                                                  .add("tags", "教育")
                                                  .add("tags", "VIP"))
                        .ok());
            const std::string sh = addCustomer(*r, "上海宏达贸易", "B", "lina");
            addContact(*r, bj, "李娜", "采购经理", "138 0000 1111", nullptr, false);
            addContact(*r, bj, "张伟", "总经理", "139 0000 2222", "zhangwei@example.com", true);
            addContact(*r, bj, "王芳", nullptr, "137 0000 3333", nullptr, false, true);  // archived
            addContact(*r, sh, "陈静", nullptr, "136 0000 4444", nullptr, true);        // another customer

            auto visit = [&](int64_t at) { return *domain::planVisit(*r, {bj, at, "季度回访", "visit", "lina"}); };
            visitFar = visit(kT0);  // 5 km north of the customer: far
            QVERIFY(domain::checkIn(*r, visitFar, {kT0, 39.95, 116.4074, 20.0}).ok());
            domain::CheckOut out;
            out.at = kT0 + 3600'000;
            out.outcome = "续约意向";
            out.satisfaction = 4;
            out.orderAmount = 12000.0;
            QVERIFY(domain::checkOut(*r, visitFar, out).ok());
            visitBlind = visit(kT0 + kDay);  // checked in without a position
            QVERIFY(domain::checkIn(*r, visitBlind, {kT0 + kDay, {}, {}, {}}).ok());
            visitVoided = visit(kT0 + 2 * kDay);
            QVERIFY(domain::voidVisit(*r, visitVoided, "重复录入").ok());
            QVERIFY(domain::planVisit(*r, {sh, kT0, "", "visit", "lina"}).ok());

            QVERIFY(domain::addTask(*r, {bj, "寄送合同", kT0 + 5 * kDay, "lina", ""}).ok());
            const std::string done = *domain::addTask(*r, {bj, "确认报价", kT0, "lina", ""});
            QVERIFY(domain::completeTask(*r, done).ok());
            QVERIFY(domain::addComplaint(*r, {bj, kT0, "phone", "high", "发票开错", "lina"}).ok());
            QVERIFY(domain::addComplaint(*r, {sh, kT0, "wechat", "low", "送货晚了", "lina"}).ok());
        }
        Session session(db, offline());

        CustomerDetail detail;
        QSignalSpy changed(&detail, &CustomerDetail::changed);
        detail.setSession(&session);
        QVERIFY(!detail.found());
        detail.setCustomerId(QString::fromStdString(bj));
        QVERIFY(detail.found());
        QCOMPARE(detail.name(), QString("北京昭智教育"));
        QCOMPARE(detail.phone(), QString("010-6666 1111"));
        QCOMPARE(detail.level(), QString("A"));
        QCOMPARE(detail.lifecycleLabel(), QString("Loyal"));
        QCOMPARE(detail.owner(), QString("lina"));
        QCOMPARE(detail.tags(), (QStringList{"VIP", "教育"}));
        QVERIFY(detail.hasLocation());
        detail.setCustomerId("no-such-customer");
        QVERIFY(!detail.found());
        QCOMPARE(detail.name(), QString());

        ContactsModel contacts;
        QAbstractItemModelTester contactsTester(&contacts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        contacts.setSession(&session);
        QCOMPARE(contacts.rowCount(), 0);  // no customer yet
        contacts.setCustomerId(QString::fromStdString(bj));
        // Primary first, the archived contact and the other customer's left out.
        QCOMPARE(column(contacts, ContactsModel::NameRole), (QStringList{"张伟", "李娜"}));
        QCOMPARE(contacts.data(contacts.index(0), ContactsModel::EmailRole).toString(),
                 QString("zhangwei@example.com"));
        QCOMPARE(contacts.data(contacts.index(0), ContactsModel::PrimaryRole).toBool(), true);
        QCOMPARE(contacts.data(contacts.index(1), ContactsModel::TitleRole).toString(), QString("采购经理"));

        VisitsModel visits;
        QAbstractItemModelTester visitsTester(&visits, QAbstractItemModelTester::FailureReportingMode::QtTest);
        visits.setSession(&session);
        visits.setCustomerId(QString::fromStdString(bj));
        // Latest first; the voided visit stays, marked.
        QCOMPARE(column(visits, VisitsModel::VisitIdRole),
                 (QStringList{QString::fromStdString(visitVoided), QString::fromStdString(visitBlind),
                              QString::fromStdString(visitFar)}));
        auto at = [&](int row, int role) { return visits.data(visits.index(row), role); };
        QCOMPARE(at(0, VisitsModel::VoidedRole).toBool(), true);
        QCOMPARE(at(0, VisitsModel::VoidReasonRole).toString(), QString("重复录入"));
        QCOMPARE(at(0, VisitsModel::StatusRole).toString(), QString("planned"));
        QCOMPARE(at(1, VisitsModel::NoLocationRole).toBool(), true);
        QCOMPARE(at(1, VisitsModel::FarRole).toBool(), false);
        QCOMPARE(at(1, VisitsModel::DistanceRole).toDouble(), -1.0);
        QCOMPARE(at(1, VisitsModel::StatusLabelRole).toString(), QString("Checked in"));
        QCOMPARE(at(2, VisitsModel::FarRole).toBool(), true);
        QCOMPARE(qRound(at(2, VisitsModel::DistanceRole).toDouble() / 100), 51);  // about 5.1 km
        QCOMPARE(at(2, VisitsModel::SatisfactionRole).toInt(), 4);
        QCOMPARE(at(2, VisitsModel::OrderAmountRole).toDouble(), 12000.0);
        QCOMPARE(at(2, VisitsModel::OutcomeRole).toString(), QString("续约意向"));
        QCOMPARE(at(2, VisitsModel::WhenRole).toDateTime(), QDateTime::fromMSecsSinceEpoch(kT0));
        QCOMPARE(at(2, VisitsModel::KindLabelRole).toString(), QString("Visit"));

        TasksModel tasks;
        QAbstractItemModelTester tasksTester(&tasks, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tasks.setSession(&session);
        tasks.setCustomerId(QString::fromStdString(bj));
        // Open first, the done one kept below.
        QCOMPARE(column(tasks, TasksModel::TitleRole), (QStringList{"寄送合同", "确认报价"}));
        QCOMPARE(tasks.data(tasks.index(1), TasksModel::DoneRole).toBool(), true);
        QCOMPARE(tasks.data(tasks.index(0), TasksModel::OverdueRole).toBool(), true);  // due in 2026-09
        QVERIFY(!tasks.complete(1));
        QVERIFY(tasks.errorText().startsWith("Refused:"));
        const int pending = session.sync()->pendingCount();
        QVERIFY(tasks.complete(0));
        QCOMPARE(session.sync()->pendingCount(), pending + 1);
        QCOMPARE(tasks.data(tasks.index(0), TasksModel::DoneRole).toBool(), true);
        tasks.setOpenOnly(true);
        QCOMPARE(tasks.rowCount(), 0);

        ComplaintsModel complaints;
        QAbstractItemModelTester complaintsTester(&complaints, QAbstractItemModelTester::FailureReportingMode::QtTest);
        complaints.setSession(&session);
        QCOMPARE(complaints.rowCount(), 2);  // every customer's
        complaints.setCustomerId(QString::fromStdString(bj));
        QCOMPARE(column(complaints, ComplaintsModel::DescriptionRole), QStringList{"发票开错"});
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::SeverityLabelRole).toString(), QString("High"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::NextStagesRole).toStringList(),
                 (QStringList{"investigating", "answered", "followed_up"}));
        QVERIFY(complaints.moveTo(0, "investigating"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::StageLabelRole).toString(),
                 QString("Investigating"));
        QVERIFY(!complaints.moveTo(0, "received"));  // stages only go forward
        QVERIFY(!complaints.moveTo(0, "answered"));  // without a resolution
        QVERIFY(!complaints.errorText().isEmpty());
        QVERIFY(complaints.moveTo(0, "answered", "已重开发票"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::ResolutionRole).toString(),
                 QString("已重开发票"));
        QVERIFY(complaints.moveTo(0, "followed_up"));
        complaints.setOpenOnly(true);
        QCOMPARE(complaints.rowCount(), 0);
        complaints.setCustomerId({});
        QCOMPARE(column(complaints, ComplaintsModel::DescriptionRole), QStringList{"送货晚了"});
    }

    void visitControllerChecksInAndOutThroughTheDomain()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        std::string bj, unlocated;
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina");
            bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            unlocated = addCustomer(*r, "上海宏达贸易", "B", "lina", false);
        }
        Session session(db, offline());
        VisitController visit;
        visit.setSession(&session);
        QVERIFY(!visit.found());
        QVERIFY(!visit.start("no-such-customer"));
        QVERIFY(!visit.errorText().isEmpty());

        const int pending = session.sync()->pendingCount();
        QVERIFY(visit.start(QString::fromStdString(bj)));
        QVERIFY(visit.errorText().isEmpty());
        QVERIFY(visit.found());
        QCOMPARE(visit.customerName(), QString("北京昭智教育"));
        QCOMPARE(visit.status(), QString("planned"));
        QVERIFY(!visit.checkedIn());
        QCOMPARE(session.sync()->pendingCount(), pending + 1);

        // Refused by the domain: a latitude out of range.
        QVERIFY(!visit.checkIn(true, 91.0, 116.4, 10));
        QVERIFY(visit.errorText().startsWith("Invalid input:"));
        QVERIFY(!visit.checkedIn());
        // 5 km away: checked in and flagged far.
        QVERIFY(visit.checkIn(true, 39.95, 116.4074, 25));
        QVERIFY(visit.checkedIn());
        QCOMPARE(visit.status(), QString("checked_in"));
        QVERIFY(visit.far());
        QVERIFY(!visit.noLocation());
        QCOMPARE(visit.accuracy(), 25.0);
        QCOMPARE(visit.radius(), 500.0);
        QCOMPARE(qRound(visit.distance() / 100), 51);
        QVERIFY(!visit.checkIn(true, 39.9042, 116.4074, 5));  // written once
        QVERIFY(visit.errorText().startsWith("Refused:"));

        QVERIFY(!visit.checkOut("", "", 6, "", 0));
        QCOMPARE(visit.errorText(), QString("Invalid input: satisfaction is 1 to 5"));
        QVERIFY(!visit.checkOut("", "", 0, "twelve thousand", 0));
        QCOMPARE(visit.errorText(), QString("The order amount must be an amount of yuan, like 12500, 12,500, ¥12,500 or 1.2万"));
        QVERIFY(!visit.checkOut("", "", 0, "-5", 0));
        QVERIFY(!visit.completed());
        QVERIFY(visit.checkOut("谈了续约", "意向明确", 5, "12000.5", 3));
        QVERIFY(visit.completed());
        QVERIFY(visit.errorText().isEmpty());

        auto saved = domain::findVisit(session.replica(), visit.visitId().toStdString(), 500);
        QVERIFY(saved);
        QCOMPARE(saved->notes, std::string("谈了续约"));
        QCOMPARE(saved->outcome, std::string("意向明确"));
        QCOMPARE(saved->satisfaction, std::optional<int>(5));
        QCOMPARE(saved->orderAmount, std::optional<double>(12000.5));
        // The follow-up the domain created: due in 3 local days at 09:00.
        domain::TaskFilter filter;
        filter.customer = bj;
        auto tasks = domain::listTasks(session.replica(), filter);
        QCOMPARE(tasks.size(), size_t(1));
        QCOMPARE(tasks[0].title, std::string("回访 北京昭智教育"));
        QCOMPARE(tasks[0].originVisit, visit.visitId().toStdString());
        const QDateTime due = QDateTime::fromMSecsSinceEpoch(*tasks[0].due);
        QCOMPARE(due.time(), QTime(9, 0));
        QCOMPARE(QDateTime::currentDateTime().date().daysTo(due.date()), 3);
        QVERIFY(!visit.checkOut("", "", 0, "", 0));  // already completed

        // Without a position: allowed and marked; a customer without a
        // location gives no distance either way.
        QVERIFY(visit.start(QString::fromStdString(unlocated)));
        QVERIFY(visit.checkIn(false, 0, 0, -1));
        QVERIFY(visit.noLocation());
        QVERIFY(!visit.far());
        QCOMPARE(visit.distance(), -1.0);

        // Opening an existing visit shows it.
        const QString second = visit.visitId();
        visit.open(QString());
        QVERIFY(!visit.found());
        visit.open(second);
        QCOMPARE(visit.customerName(), QString("上海宏达贸易"));
        QVERIFY(visit.checkedIn());
    }

    void todayModelListsTheRepsDay()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina");
            const std::string bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            const std::string sh = addCustomer(*r, "上海宏达贸易", "C", "lina");
            const std::string gz = addCustomer(*r, "广州南方物流", "B", "wang");  // another rep's
            QVERIFY(domain::planVisit(*r, {sh, now, "送样品", "visit", "lina"}).ok());
            QVERIFY(domain::planVisit(*r, {gz, now, "", "visit", "wang"}).ok());
            QVERIFY(domain::addTask(*r, {sh, "回访 上海宏达贸易", now - 2 * kDay, "lina", ""}).ok());
            QVERIFY(domain::addTask(*r, {gz, "王的任务", now - 2 * kDay, "wang", ""}).ok());
            QVERIFY(domain::addTask(*r, {bj, "下个月的事", now + 40 * kDay, "lina", ""}).ok());
        }
        Session session(db, offline());
        TodayModel today;
        QAbstractItemModelTester tester(&today, QAbstractItemModelTester::FailureReportingMode::QtTest);
        today.setSession(&session);
        QCOMPARE(column(today, TodayModel::SectionRole), (QStringList{"visits", "tasks", "customers"}));
        QCOMPARE(column(today, TodayModel::TitleRole),
                 (QStringList{"上海宏达贸易", "回访 上海宏达贸易", "北京昭智教育"}));
        QCOMPARE(column(today, TodayModel::DetailRole), (QStringList{"送样品", "上海宏达贸易", "Never visited"}));
        QCOMPARE(column(today, TodayModel::SectionLabelRole),
                 (QStringList{"Planned visits", "Follow-ups due", "Key customers to visit"}));
        {
            // Switching the language re-reads the rows at once (issue: the
            // headers stayed English until a restart).
            Translator language(nullptr);
            language.overrideLanguage("zh");
            QCOMPARE(column(today, TodayModel::SectionLabelRole).first(), QString("今日计划拜访"));
            QCOMPARE(column(today, TodayModel::DetailRole).last(), QString("从未拜访"));
            language.overrideLanguage("en");
            QCOMPARE(column(today, TodayModel::SectionLabelRole).first(), QString("Planned visits"));
        }
        auto at = [&](int row, int role) { return today.data(today.index(row), role); };
        QVERIFY(!at(0, TodayModel::VisitIdRole).toString().isEmpty());
        QCOMPARE(at(0, TodayModel::OverdueRole).toBool(), false);
        QCOMPARE(at(1, TodayModel::OverdueRole).toBool(), true);
        QVERIFY(!at(1, TodayModel::TaskIdRole).toString().isEmpty());
        QCOMPARE(at(2, TodayModel::OverdueRole).toBool(), true);
        QCOMPARE(at(2, TodayModel::LevelRole).toString(), QString("A"));
    }

    // Amounts as reps type them (issue: "12,500" was refused as not a number).
    void amountsAsARepTypesThem()
    {
        const QLocale zh(QLocale::Chinese, QLocale::China), en(QLocale::English, QLocale::UnitedStates),
            de(QLocale::German, QLocale::Germany);
        struct Row {
            const char* text;
            QLocale locale;
            std::optional<double> amount;
        };
        const Row rows[] = {
            {"12500", zh, 12500},           {"12,500", zh, 12500},         {"¥12,500", zh, 12500},
            {"￥12,500.50", zh, 12500.5},   {"12,500元", zh, 12500},       {"RMB 12500", en, 12500},
            {"1.2万", zh, 12000},           {"3千", zh, 3000},              {"１２，５００", zh, 12500},
            {" 8800 ", en, 8800},           {"12.500,5", de, 12500.5},     {"12,500.5", de, 12500.5},
            {"0", zh, 0},                   {"abc", zh, std::nullopt},     {"-5", zh, std::nullopt},
            {"", zh, std::nullopt},         {"¥", zh, std::nullopt},       {"万", zh, std::nullopt},
            {"1e12", en, std::nullopt},     {"nan", en, std::nullopt},     {"12 万 5", zh, std::nullopt},
        };
        for (const auto& row : rows)
            QVERIFY2(parseAmount(QString::fromUtf8(row.text), row.locale) == row.amount,
                     qPrintable(QStringLiteral("%1 in %2").arg(QString::fromUtf8(row.text), row.locale.name())));
    }

    void teamModelsReadTheManagersView()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("manager.db");
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "zhao", "manager");
            const std::string bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            const std::string sh = addCustomer(*r, "上海宏达贸易", "A", "wang");
            const std::string gz = addCustomer(*r, "广州南方物流", "C", "wang");
            auto visit = [&](const std::string& customer, const char* rep, int64_t at, std::optional<double> lat) {
                const std::string id = *domain::planVisit(*r, {customer, at, "", "visit", rep});
                QVERIFY(domain::checkIn(*r, id, {at, lat, lat ? std::optional<double>(116.4074) : std::nullopt, {}}).ok());
                domain::CheckOut out;
                out.at = at + 600'000;
                out.satisfaction = 2;
                QVERIFY(domain::checkOut(*r, id, out).ok());
            };
            visit(bj, "lina", now - 60'000, 39.9042);            // on the spot
            visit(sh, "wang", now - 120'000, std::nullopt);       // no location
            visit(gz, "wang", now - 40 * kDay, 39.95);            // far, 40 days ago
            QVERIFY(domain::addComplaint(*r, {gz, now - kDay, "phone", "high", "送货晚了", "wang"}).ok());
        }
        Session session(db, offline());
        QVERIFY(session.isManager());

        FeedModel feed;
        QAbstractItemModelTester feedTester(&feed, QAbstractItemModelTester::FailureReportingMode::QtTest);
        feed.setSession(&session);
        QCOMPARE(column(feed, VisitsModel::CustomerNameRole), (QStringList{"北京昭智教育", "上海宏达贸易", "广州南方物流"}));
        feed.setRep("wang");
        QCOMPARE(column(feed, VisitsModel::CustomerNameRole), (QStringList{"上海宏达贸易", "广州南方物流"}));
        feed.setFlaggedOnly(true);
        QCOMPARE(feed.rowCount(), 2);  // no location, far
        feed.setDays(7);
        QCOMPARE(column(feed, VisitsModel::CustomerNameRole), QStringList{"上海宏达贸易"});
        QCOMPARE(feed.data(feed.index(0), VisitsModel::NoLocationRole).toBool(), true);
        feed.setRep({});
        feed.setFlaggedOnly(false);
        feed.setDays(0);
        QCOMPARE(feed.rowCount(), 3);
        QCOMPARE(feed.data(feed.index(2), VisitsModel::FarRole).toBool(), true);
        // Each check-in's verdict, the device's own until the server's
        // arrives (docs/time.md), in words; and the feed by verdict.
        QCOMPARE(column(feed, VisitsModel::VerdictRole), (QStringList{"verified", "unverified", "suspicious"}));
        QCOMPARE(column(feed, VisitsModel::VerdictLabelRole),
                 (QStringList{"Verified (not confirmed by the server yet)",
                              "Unverified: no location (not confirmed by the server yet)",
                              "Suspicious: far from the customer (not confirmed by the server yet)"}));
        feed.setVerdict("suspicious");
        QCOMPARE(column(feed, VisitsModel::CustomerNameRole), QStringList{"广州南方物流"});
        feed.setVerdict("unverified");
        QCOMPARE(column(feed, VisitsModel::CustomerNameRole), QStringList{"上海宏达贸易"});
        feed.setVerdict({});
        QCOMPARE(feed.rowCount(), 3);

        ChurnModel churn;
        QAbstractItemModelTester churnTester(&churn, QAbstractItemModelTester::FailureReportingMode::QtTest);
        churn.setSession(&session);
        // Most reasons first: 广州 is inactive (40 days is under 60: no),
        // has an open complaint and a satisfaction of 2.
        QCOMPARE(churn.data(churn.index(0), ChurnModel::NameRole).toString(), QString("广州南方物流"));
        QCOMPARE(churn.data(churn.index(0), ChurnModel::ReasonCodesRole).toStringList(),
                 (QStringList{"open_complaint", "falling_satisfaction"}));
        QCOMPARE(churn.data(churn.index(0), ChurnModel::ReasonsRole).toStringList(),
                 (QStringList{"Open complaint", "Falling satisfaction"}));
        QCOMPARE(churn.data(churn.index(0), ChurnModel::OpenComplaintsRole).toInt(), 1);
        QCOMPARE(churn.rowCount(), 3);  // every visit scored 2

        TeamStats stats;
        stats.setSession(&session);
        QCOMPARE(stats.keyCustomers(), 2);
        QCOMPARE(stats.keyVisited(), 2);  // both A customers checked in minutes ago
        QCOMPARE(stats.reps(), (QStringList{"lina", "wang"}));
        QCOMPARE(stats.maxVisits(), 1);
        QCOMPARE(stats.visitsThisWeek().size(), 2);
        QCOMPARE(stats.visitsThisWeek().first().toMap().value("rep").toString(), QString("lina"));
        // The week's check-ins by verdict: lina's at the customer, wang's without a location.
        const QVariantMap lina = stats.visitsThisWeek().first().toMap(), wang = stats.visitsThisWeek().last().toMap();
        QCOMPARE((QList<int>{lina.value("verified").toInt(), lina.value("unverified").toInt(), lina.value("suspicious").toInt()}),
                 (QList<int>{1, 0, 0}));
        QCOMPARE((QList<int>{wang.value("verified").toInt(), wang.value("unverified").toInt(), wang.value("suspicious").toInt()}),
                 (QList<int>{0, 1, 0}));
        // Day by day, Monday first: lina's one visit is on one day of the
        // week so far (minutes ago: today, or yesterday just after midnight).
        const QVariantList days = stats.visitsThisWeek().first().toMap().value("days").toList();
        QCOMPARE(days.size(), 7);
        const auto zone = domain::LocalTime::system();
        const int today = zone.daysBetween(zone.startOfWeek(zone.now()), zone.startOfDay(zone.now()));
        int total = 0, last = -1;
        for (int d = 0; d < 7; ++d) {
            total += days[d].toInt();
            if (days[d].toInt() > 0) last = d;
        }
        QCOMPARE(total, 1);
        QVERIFY(last >= 0 && last <= today);
        QCOMPARE(stats.maxVisitsInADay(), 1);

        // The per-day chart (issue: one long bar per rep read as nothing):
        // the team's seven days, each rep's segment stacked on the reps
        // before it, and the days named in the user's language.
        const QVariantList team = stats.teamDays();
        QCOMPARE(team.size(), 7);
        int teamTotal = 0;
        for (int d = 0; d < 7; ++d) {
            const int sum = lina.value("days").toList()[d].toInt() + wang.value("days").toList()[d].toInt();
            QCOMPARE(team[d].toInt(), sum);
            QCOMPARE(lina.value("bases").toList()[d].toInt(), 0);  // the first rep at the base
            QCOMPARE(wang.value("bases").toList()[d].toInt(), lina.value("days").toList()[d].toInt());
            teamTotal += sum;
        }
        QCOMPARE(teamTotal, 2);
        QVERIFY(stats.maxTeamDay() >= 1);
        QCOMPARE(stats.dayLabels().size(), 7);
        const QDate monday = QDateTime::fromMSecsSinceEpoch(zone.startOfWeek(zone.now())).date();
        QCOMPARE(monday.dayOfWeek(), 1);
        QCOMPARE(stats.dayLabels().first(),
                 QLocale().dayName(1, QLocale::ShortFormat) + " " + QString::number(monday.day()));
    }

    // The customer page's forms: profile (only changed fields written),
    // contacts (add, edit, primary), a new complaint and reopening it, a
    // planned visit, a rep refused voiding one, and the field history.
    void customerPageWritesThroughTheDomain()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("rep.db");
        std::string bj, bank;
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina", "rep");
            bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            QVERIFY(r->update("customer", bj, replica::Write().add("tags", "教育").add("tags", "重点")).ok());
            bank = addCustomer(*r, "北京银行", "A", "wang");
            addContact(*r, bj, "张伟", "总经理", "139 0000 2222", nullptr, true);
        }
        Session session(db, offline());
        const QString id = QString::fromStdString(bj);

        CustomerDetail detail;
        detail.setSession(&session);
        detail.setCustomerId(id);
        QVERIFY(detail.editable());
        int pending = session.sync()->pendingCount();
        QVERIFY(detail.save({{"name", "北京昭智教育"}, {"phone", " 010-6666 1111 "}, {"level", "B"},
                             {"lifecycle", "repeat"}, {"tags", "教育，续约"}}));
        QCOMPARE(session.sync()->pendingCount(), pending + 1);  // one write
        QCOMPARE(detail.phone(), QString("010-6666 1111"));
        QCOMPARE(detail.level(), QString("B"));
        QCOMPARE(detail.lifecycleLabel(), QString("Repeat buyer"));
        QCOMPARE(detail.tags(), (QStringList{"教育", "续约"}));
        QVERIFY(detail.save({{"name", "北京昭智教育"}, {"level", "B"}}));  // nothing differs
        QCOMPARE(session.sync()->pendingCount(), pending + 1);
        QVERIFY(!detail.save({{"name", "  "}}));
        QCOMPARE(detail.errorText(), QString("Invalid input: the name cannot be empty"));
        QVERIFY(!detail.save({{"level", "E"}}));
        QCOMPARE(detail.errorText(), QString("Invalid input: unknown level: E"));
        QCOMPARE(detail.name(), QString("北京昭智教育"));
        CustomerDetail other;
        other.setSession(&session);
        other.setCustomerId(QString::fromStdString(bank));
        QVERIFY(!other.editable());
        QVERIFY(!other.save({{"phone", "95526"}}));
        QCOMPARE(other.errorText(), QString("Not allowed: customer 北京银行 is owned by wang"));

        ContactsModel contacts;
        QAbstractItemModelTester contactsTester(&contacts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        contacts.setSession(&session);
        contacts.setCustomerId(id);
        QCOMPARE(column(contacts, ContactsModel::NameRole), QStringList{"张伟"});
        QVERIFY(!contacts.save({}, "安然", "采购", "138 1234 5678", "anran"));
        QCOMPARE(contacts.errorText(), QString("Invalid input: not an e-mail address: anran"));
        QCOMPARE(contacts.rowCount(), 1);
        QVERIFY(contacts.save({}, "安然", "采购", "138 1234 5678", "anran@zz.cn"));
        QCOMPARE(contacts.errorText(), QString());
        QCOMPARE(column(contacts, ContactsModel::NameRole), (QStringList{"张伟", "安然"}));
        const QString anran = contacts.data(contacts.index(1), ContactsModel::ContactIdRole).toString();
        QVERIFY(contacts.save(anran, "安然", "采购总监", "138 1234 5678", "anran@zz.cn"));
        QCOMPARE(contacts.data(contacts.index(1), ContactsModel::TitleRole).toString(), QString("采购总监"));
        QVERIFY(contacts.setPrimary(1));
        QCOMPARE(column(contacts, ContactsModel::NameRole), (QStringList{"安然", "张伟"}));
        QCOMPARE(contacts.data(contacts.index(1), ContactsModel::PrimaryRole).toBool(), false);

        ComplaintsModel complaints;
        QAbstractItemModelTester complaintsTester(&complaints, QAbstractItemModelTester::FailureReportingMode::QtTest);
        complaints.setSession(&session);
        complaints.setCustomerId(id);
        QCOMPARE(complaints.rowCount(), 0);
        QVERIFY(!complaints.add(id, "wechat", "high", "  "));
        QCOMPARE(complaints.errorText(), QString("Describe the complaint"));
        QVERIFY(!complaints.add("no-such-customer", "wechat", "high", "发票开错"));
        QVERIFY(complaints.add(id, "wechat", "high", "发票开错"));
        QCOMPARE(complaints.rowCount(), 1);
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::ChannelLabelRole).toString(), QString("WeChat"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::StageRole).toString(), QString("received"));
        QVERIFY(qAbs(complaints.data(complaints.index(0), ComplaintsModel::ReceivedAtRole).toDateTime().msecsTo(
                         QDateTime::currentDateTime())) < 60'000);
        QVERIFY(!complaints.reopen(0));  // still open
        QCOMPARE(complaints.errorText(), QString("This complaint is still open"));
        QVERIFY(complaints.moveTo(0, "followed_up", "已重开发票"));  // past "answered": with a resolution
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::OpenRole).toBool(), false);
        QVERIFY(complaints.reopen(0));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::StageRole).toString(), QString("received"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::OpenRole).toBool(), true);
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::NextStagesRole).toStringList(),
                 (QStringList{"investigating", "answered", "followed_up"}));

        VisitsModel visits;
        QAbstractItemModelTester visitsTester(&visits, QAbstractItemModelTester::FailureReportingMode::QtTest);
        visits.setSession(&session);
        visits.setCustomerId(id);
        QVERIFY(!visits.plan("tomorrow", "送合同"));
        QCOMPARE(visits.errorText(), QString("Enter the date and time as 2026-11-23 09:30"));
        QVERIFY(visits.plan("2026-12-01 09:30", " 送合同 ", "delivery"));
        QCOMPARE(visits.rowCount(), 1);
        QCOMPARE(visits.data(visits.index(0), VisitsModel::WhenRole).toDateTime(),
                 QDateTime(QDate(2026, 12, 1), QTime(9, 30)));
        QCOMPARE(visits.data(visits.index(0), VisitsModel::PurposeRole).toString(), QString("送合同"));
        QCOMPARE(visits.data(visits.index(0), VisitsModel::KindLabelRole).toString(), QString("Delivery"));
        QCOMPARE(visits.data(visits.index(0), VisitsModel::RepRole).toString(), QString("lina"));
        QVERIFY(!visits.voidVisit(0, "重复录入"));  // a rep never voids
        QVERIFY(visits.errorText().startsWith("Not allowed:"));
        QCOMPARE(visits.data(visits.index(0), VisitsModel::VoidedRole).toBool(), false);

        FieldHistoryModel history;
        QAbstractItemModelTester historyTester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
        history.setSession(&session);
        QCOMPARE(history.rowCount(), 0);
        history.setCustomerId(id);
        QCOMPARE(column(history, FieldHistoryModel::FieldRole),
                 (QStringList{"name", "phone", "lat", "lng", "level", "lifecycle", "owner", "tags"}));
        QCOMPARE(column(history, FieldHistoryModel::FieldLabelRole).at(1), QString("Phone"));
        QCOMPARE(column(history, FieldHistoryModel::ValueRole),
                 (QStringList{"北京昭智教育", "010-6666 1111", "39.9042", "116.4074", "B", "Repeat buyer", "lina",
                              "教育 · 续约"}));
        QCOMPARE(history.data(history.index(1), FieldHistoryModel::WriterRole).toString(),
                 QString("This device, not synced yet"));
        QCOMPARE(history.data(history.index(1), FieldHistoryModel::SectionRole).toString(), QString("current"));
        QVERIFY(history.data(history.index(1), FieldHistoryModel::UnsyncedRole).toBool());
        QVERIFY(qAbs(history.data(history.index(1), FieldHistoryModel::WhenRole).toDateTime().msecsTo(
                         QDateTime::currentDateTime())) < 60'000);
        history.setCustomerId("no-such-customer");
        QCOMPARE(history.rowCount(), 0);
    }

    // The Team page's actions for a manager: ABC beside the manual level,
    // reassigning customers to a team member, voiding a visit with a reason,
    // and the CSV export with its refusals.
    void teamActionsForAManager()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("manager.db");
        std::string bj, sh, gz, pool, visit;
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "zhao", "manager");
            bj = addCustomer(*r, "北京昭智教育", "C", "lina");
            sh = addCustomer(*r, "上海宏达贸易", "A", "wang");
            gz = addCustomer(*r, "广州南方物流", "B", "wang");
            pool = addCustomer(*r, "深圳前海科技", nullptr, nullptr);
            QVERIFY(r->update("customer", bj, replica::Write().set("annual_sales", 800'000.0)).ok());
            QVERIFY(r->update("customer", sh, replica::Write().set("annual_sales", 150'000.0)).ok());
            QVERIFY(r->update("customer", gz, replica::Write().set("annual_sales", 50'000.0)).ok());
            visit = *domain::planVisit(*r, {gz, kT0, "", "visit", "wang"});
            QVERIFY(domain::checkIn(*r, visit, {kT0, {}, {}, {}}).ok());
        }
        Session session(db, offline());

        AbcModel abc;
        QAbstractItemModelTester abcTester(&abc, QAbstractItemModelTester::FailureReportingMode::QtTest);
        abc.setSession(&session);
        // 800k of 1M: 北京 A (0 before), 上海 B (80 % before), 广州 C (95 % before), 深圳 C (no sales).
        QCOMPARE(column(abc, AbcModel::NameRole), (QStringList{"北京昭智教育", "上海宏达贸易", "广州南方物流", "深圳前海科技"}));
        QCOMPARE(column(abc, AbcModel::AbcRole), (QStringList{"A", "B", "C", "C"}));
        QCOMPARE(column(abc, AbcModel::LevelRole), (QStringList{"C", "A", "B", ""}));
        QCOMPARE(column(abc, AbcModel::MismatchRole), (QStringList{"true", "true", "true", "false"}));
        QCOMPARE(abc.data(abc.index(1), AbcModel::ShareBeforeRole).toDouble(), 0.8);
        QCOMPARE(abc.data(abc.index(0), AbcModel::SalesRole).toDouble(), 800'000.0);

        AssignController assign;
        assign.setSession(&session);
        QCOMPARE(assign.members(), (QStringList{"lina", "wang", "zhao"}));
        assign.toggle(QString::fromStdString(sh));
        assign.toggle(QString::fromStdString(pool));
        assign.toggle(QString::fromStdString(bj));
        assign.toggle(QString::fromStdString(bj));  // picked, then unpicked
        QCOMPARE(assign.selectedCount(), 2);
        QVERIFY(assign.isSelected(QString::fromStdString(pool)));
        QVERIFY(!assign.isSelected(QString::fromStdString(bj)));
        const int pending = session.sync()->pendingCount();
        QVERIFY(!assign.assign("zhang"));
        QCOMPARE(assign.errorText(), QString("Invalid input: zhang is not a member of your team"));
        QCOMPARE(assign.selectedCount(), 2);  // kept for another try
        QVERIFY(assign.assign("lina"));
        QCOMPARE(assign.errorText(), QString());
        // (English plural forms come from the .qm when a translator is installed.)
        QCOMPARE(assign.resultText(), AssignController::tr("%n customer(s) now belong to %1", nullptr, 2).arg("lina"));
        QCOMPARE(assign.selectedCount(), 0);
        QCOMPARE(session.sync()->pendingCount(), pending + 2);
        QCOMPARE(QString::fromStdString(session.replica().get("customer", sh)->at("owner").get<std::string>()),
                 QString("lina"));
        QCOMPARE(QString::fromStdString(session.replica().get("customer", pool)->at("owner").get<std::string>()),
                 QString("lina"));

        VisitsModel visits;
        visits.setSession(&session);
        visits.setCustomerId(QString::fromStdString(gz));
        QVERIFY(!visits.voidVisit(0, " "));
        QCOMPARE(visits.errorText(), QString("Invalid input: voiding a visit needs a reason"));
        QVERIFY(visits.voidVisit(0, "重复录入"));
        QCOMPARE(visits.data(visits.index(0), VisitsModel::VoidedRole).toBool(), true);
        QCOMPARE(visits.data(visits.index(0), VisitsModel::VoidReasonRole).toString(), QString("重复录入"));

        const std::string counted = *domain::planVisit(session.replica(), {sh, kT0, "", "visit", "lina"});
        QVERIFY(domain::checkIn(session.replica(), counted, {kT0 + 60'000, {}, {}, {}}).ok());
        ExportController exporter;
        exporter.setSession(&session);
        QCOMPARE(ExportController::defaultFileName("visits", "2026-09-01", "2026-09-30"),
                 QString("fieldsync-visits-20260901-20260930.csv"));
        QCOMPARE(ExportController::defaultPath("customers", "", ""),
                 QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath("fieldsync-customers.csv"));
        const QString file = dir.filePath("out/visits.csv");
        QVERIFY(!exporter.exportCsv("visits", "2026-09-1", "2026-09-30", file));
        QCOMPARE(exporter.errorText(), QString("Enter dates as 2026-11-01"));
        QVERIFY(!exporter.exportCsv("visits", "2026-09-30", "2026-09-01", file));
        QCOMPARE(exporter.errorText(), QString("The range ends before it starts"));
        QVERIFY(!exporter.exportCsv("orders", "", "", file));
        QVERIFY(!QFileInfo::exists(file));
        QVERIFY(exporter.exportCsv("customers", "", "", dir.filePath("out/customers.csv")));
        QCOMPARE(exporter.rows(), 4);
        QVERIFY(exporter.exportCsv("visits", "2026-09-01", "2026-09-30", file));
        QCOMPARE(exporter.errorText(), QString());
        QCOMPARE(exporter.writtenPath(), QFileInfo(file).absoluteFilePath());
        QCOMPARE(exporter.rows(), 1);  // the voided check-in is left out
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().startsWith("\xEF\xBB\xBF"));  // the BOM Excel needs
        QVERIFY(!exporter.exportCsv("visits", "2026-09-01", "2026-09-30", file));  // never overwritten
        QCOMPARE(exporter.errorText(), QString("%1 already exists: choose another file").arg(QFileInfo(file).absoluteFilePath()));
        QCOMPARE(exporter.writtenPath(), QString());
    }

    // The new-customer form: refusals keep nothing, likely duplicates hold
    // the save back until "save anyway" for the same name and phones, and the
    // customer (the rep's own, the user's team) with its first contact joins
    // the list; archiving it takes it off the list again.
    void newCustomerWarnsOfDuplicatesThenSavesAndArchives()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("rep.db");
        std::string bj;
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina", "rep");
            bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            QVERIFY(r->update("customer", bj, replica::Write().set("phone", std::string("010-6234 5678"))).ok());
            addCustomer(*r, "上海照志文化", "C", nullptr);  // the pool
            addCustomer(*r, "北京银行", "A", "wang");
        }
        Session session(db, offline());
        CustomersModel customers;
        QAbstractItemModelTester tester(&customers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        customers.setSession(&session);
        QCOMPARE(customers.available(), 3);

        NewCustomerController form;
        form.setSession(&session);
        QSignalSpy duplicatesChanged(&form, &NewCustomerController::duplicatesChanged);
        const int pending = session.sync()->pendingCount();
        QVERIFY(!form.save({{"name", "  "}}));
        QCOMPARE(form.errorText(), QString("Invalid input: the name cannot be empty"));
        QVERIFY(!form.save({{"name", "成都天府茶业"}, {"level", "E"}}));
        QCOMPARE(form.errorText(), QString("Invalid input: unknown level: E"));
        QVERIFY(!form.save({{"name", "成都天府茶业"}, {"contactPhone", "135 0000 1234"}}));
        QCOMPARE(form.errorText(), QString("Invalid input: the first contact needs a name"));
        QCOMPARE(form.duplicates(), QVariantList());
        QCOMPARE(session.sync()->pendingCount(), pending);

        const QVariantMap zz{{"name", "昭智教育"}, {"phone", "+86 10 6234 5678"}, {"region", "华北"},
                             {"level", "B"}, {"lifecycle", "lead"}, {"tags", "教育、新客"},
                             {"contactName", "周敏"}, {"contactTitle", "校长"}, {"contactPhone", "135 0000 1234"}};
        QVERIFY(!form.save(zz));
        QCOMPARE(form.errorText(), QString());
        QCOMPARE(form.duplicates().size(), 1);
        const QVariantMap dup = form.duplicates().at(0).toMap();
        QCOMPARE(dup.value("id").toString(), QString::fromStdString(bj));
        QCOMPARE(dup.value("name").toString(), QString("北京昭智教育"));
        QCOMPARE(dup.value("owner").toString(), QString("lina"));
        QCOMPARE(dup.value("reason").toString(), QString("same_phone"));
        QCOMPARE(dup.value("reasonLabel").toString(), QString("Same phone number"));
        QCOMPARE(dup.value("detail").toString(), QString("+86 10 6234 5678"));  // the typed phone that matched
        QCOMPARE(session.sync()->pendingCount(), pending);  // nothing saved

        // "Anyway" holds only for what was checked: another name is checked again.
        QVariantMap zhaozhi = zz;
        zhaozhi["name"] = "照志文化";
        zhaozhi["phone"] = "";
        zhaozhi["contactPhone"] = "";
        QVERIFY(!form.save(zhaozhi, true));
        QCOMPARE(form.duplicates().size(), 1);
        QCOMPARE(form.duplicates().at(0).toMap().value("name").toString(), QString("上海照志文化"));
        QCOMPARE(form.duplicates().at(0).toMap().value("ownerLabel").toString(), QString("Public pool"));
        QCOMPARE(form.duplicates().at(0).toMap().value("reason").toString(), QString("name_contains"));
        QCOMPARE(session.sync()->pendingCount(), pending);

        QVERIFY(!form.save(zz));  // warned again for the first input
        QVERIFY(form.save(zz, true));
        QCOMPARE(form.errorText(), QString());
        QCOMPARE(form.duplicates(), QVariantList());
        QVERIFY(duplicatesChanged.count() >= 4);
        QCOMPARE(session.sync()->pendingCount(), pending + 2);  // the customer and its contact
        const std::string created = form.createdId().toStdString();
        const auto row = *session.replica().get("customer", created);
        QCOMPARE(row.value("name", ""), std::string("昭智教育"));
        QCOMPARE(row.value("phone", ""), std::string("+86 10 6234 5678"));
        QCOMPARE(row.value("owner", ""), std::string("lina"));
        QCOMPARE(row.value("team", ""), std::string("north"));
        QCOMPARE(row.value("level", ""), std::string("B"));
        QCOMPARE(row["tags"], nlohmann::json({"教育", "新客"}));
        QCOMPARE(customers.available(), 4);
        QCOMPARE(column(customers, CustomersModel::NameRole),
                 (QStringList{"北京银行", "北京昭智教育", "上海照志文化", "昭智教育"}));

        ContactsModel contacts;
        contacts.setSession(&session);
        contacts.setCustomerId(form.createdId());
        QCOMPARE(column(contacts, ContactsModel::NameRole), QStringList{"周敏"});
        QCOMPARE(contacts.data(contacts.index(0), ContactsModel::PrimaryRole).toBool(), true);

        // Archiving: the owner may, not another rep's customer; it leaves the list.
        CustomerDetail mine;
        mine.setSession(&session);
        mine.setCustomerId(form.createdId());
        QVERIFY(mine.canArchive());
        QVERIFY(mine.archive());
        QVERIFY(mine.archived());
        QVERIFY(!mine.canArchive());
        QCOMPARE(session.sync()->pendingCount(), pending + 3);
        QCOMPARE(customers.available(), 3);
        QVERIFY(!column(customers, CustomersModel::NameRole).contains("昭智教育"));
        QVERIFY(!mine.archive());
        QCOMPARE(mine.errorText(), QString("Refused: customer 昭智教育 is already archived"));
        CustomerDetail bank;
        bank.setSession(&session);
        for (int i = 0; i < customers.rowCount(); ++i)
            if (customers.data(customers.index(i), CustomersModel::NameRole).toString() == "北京银行")
                bank.setCustomerId(customers.data(customers.index(i), CustomersModel::CustomerIdRole).toString());
        QVERIFY(bank.found());
        QVERIFY(!bank.canArchive());
        QVERIFY(!bank.archive());
        QCOMPARE(bank.errorText(), QString("Not allowed: customer 北京银行 is owned by wang"));
        QCOMPARE(customers.available(), 3);
    }

    // The profile form's size, source, annual sales and location (set,
    // left alone when sent back as shown, cleared, refused when not a
    // number or out of range), and archiving a contact.
    void profileExtrasAndContactArchive()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("rep.db");
        std::string bj;
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina", "rep");
            bj = addCustomer(*r, "北京昭智教育", "A", "lina", /*located=*/false);
            addContact(*r, bj, "张伟", "总经理", "139 0000 2222", nullptr, true);
            addContact(*r, bj, "安然", "采购", nullptr, nullptr, false);
        }
        Session session(db, offline());
        CustomerDetail detail;
        detail.setSession(&session);
        detail.setCustomerId(QString::fromStdString(bj));
        QCOMPARE(detail.annualSales(), -1.0);
        QCOMPARE(detail.annualSalesText(), QString());
        QCOMPARE(detail.locationText(), QString());
        QVERIFY(!detail.hasLocation());
        const int pending = session.sync()->pendingCount();
        QVERIFY(detail.save({{"size", "medium"}, {"source", " 展会 "}, {"annualSales", "¥1,250,000.50"},
                             {"location", "39.9834，116.316"}}));
        QCOMPARE(session.sync()->pendingCount(), pending + 1);
        QCOMPARE(detail.size(), QString("medium"));
        QCOMPARE(detail.sizeLabel(), QString("Medium-sized"));
        QCOMPARE(detail.source(), QString("展会"));
        QCOMPARE(detail.annualSales(), 1'250'000.5);
        QCOMPARE(detail.annualSalesText(), QString("1250000.5"));
        QCOMPARE(detail.locationText(), QString("39.983400, 116.316000"));
        QVERIFY(detail.hasLocation());
        // Sent back as the form shows them: nothing is written.
        QVERIFY(detail.save({{"size", "medium"}, {"source", "展会"}, {"annualSales", detail.annualSalesText()},
                             {"location", detail.locationText()}}));
        QCOMPARE(session.sync()->pendingCount(), pending + 1);
        QVERIFY(!detail.save({{"annualSales", "很多"}}));
        QCOMPARE(detail.errorText(), QString("Enter the annual sales as a number, e.g. 1200000"));
        QVERIFY(!detail.save({{"annualSales", "-5"}}));
        QCOMPARE(detail.errorText(), QString("Invalid input: annual sales must be a number of at least 0"));
        QVERIFY(!detail.save({{"location", "39.98"}}));
        QCOMPARE(detail.errorText(), QString("Enter the location as latitude, longitude, e.g. 30.2346, 120.1269"));
        QVERIFY(!detail.save({{"location", "116.3, 39.9"}}));
        QCOMPARE(detail.errorText(), QString("Invalid input: latitude must be between -90 and 90"));
        QVERIFY(!detail.save({{"size", "huge"}}));
        QCOMPARE(detail.errorText(), QString("Invalid input: unknown size: huge"));
        QCOMPARE(session.sync()->pendingCount(), pending + 1);
        QVERIFY(detail.save({{"annualSales", ""}, {"location", " "}, {"size", ""}}));
        QCOMPARE(session.sync()->pendingCount(), pending + 2);
        QCOMPARE(detail.annualSales(), -1.0);
        QCOMPARE(detail.locationText(), QString());
        QCOMPARE(detail.size(), QString());
        QCOMPARE(detail.source(), QString("展会"));

        ContactsModel contacts;
        QAbstractItemModelTester tester(&contacts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        contacts.setSession(&session);
        contacts.setCustomerId(QString::fromStdString(bj));
        QCOMPARE(column(contacts, ContactsModel::NameRole), (QStringList{"张伟", "安然"}));
        QVERIFY(contacts.archive(1));
        QCOMPARE(column(contacts, ContactsModel::NameRole), QStringList{"张伟"});
        QCOMPARE(session.sync()->pendingCount(), pending + 3);
        QVERIFY(!contacts.archive(1));  // no such row any more
        session.replica().setSetting(replica::settings::kUser, std::string("wang"));  // another rep now
        QVERIFY(!contacts.archive(0));
        QCOMPARE(contacts.errorText(), QString("Not allowed: customer 北京昭智教育 is owned by lina"));
        QCOMPARE(contacts.rowCount(), 1);
    }

    // Following up a complaint records the satisfaction after it (1-5); a
    // score out of range is refused and nothing moves.
    void complaintFollowedUpWithSatisfaction()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("rep.db");
        std::string bj;
        {
            auto r = openDevice(db);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "lina", "rep");
            bj = addCustomer(*r, "北京昭智教育", "A", "lina");
            QVERIFY(domain::addComplaint(*r, {bj, kT0, "phone", "high", "发票开错", ""}).ok());
            QVERIFY(domain::addComplaint(*r, {bj, kT0 + kDay, "wechat", "low", "送货晚了", ""}).ok());
        }
        Session session(db, offline());
        ComplaintsModel complaints;
        QAbstractItemModelTester tester(&complaints, QAbstractItemModelTester::FailureReportingMode::QtTest);
        complaints.setSession(&session);
        QCOMPARE(column(complaints, ComplaintsModel::DescriptionRole), (QStringList{"发票开错", "送货晚了"}));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::SatisfactionAfterRole).toInt(), -1);
        const int pending = session.sync()->pendingCount();
        QVERIFY(!complaints.moveTo(0, "followed_up", "已重开发票", 6));
        QCOMPARE(complaints.errorText(), QString("Invalid input: satisfaction is 1 to 5"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::StageRole).toString(), QString("received"));
        QCOMPARE(session.sync()->pendingCount(), pending);
        QVERIFY(complaints.moveTo(0, "followed_up", "已重开发票", 4));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::StageRole).toString(), QString("followed_up"));
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::SatisfactionAfterRole).toInt(), 4);
        QCOMPARE(complaints.data(complaints.index(0), ComplaintsModel::ResolutionRole).toString(), QString("已重开发票"));
        QVERIFY(complaints.moveTo(1, "investigating", "", 0));  // 0: not asked
        QCOMPARE(complaints.data(complaints.index(1), ComplaintsModel::SatisfactionAfterRole).toInt(), -1);
        QCOMPARE(domain::findComplaint(session.replica(), complaints.data(complaints.index(0),
                                       ComplaintsModel::ComplaintIdRole).toString().toStdString())->satisfactionAfter,
                 std::optional<int>(4));
        complaints.setOpenOnly(true);
        QCOMPARE(column(complaints, ComplaintsModel::DescriptionRole), QStringList{"送货晚了"});
    }

    // Returning idle customers to the pool: a manager's preview says how
    // many and which (longest idle first); confirming returns them; a rep
    // and bad day counts are refused.
    void poolReturnPreviewsThenReturns()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("manager.db");
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        std::string hz, xm, sz;
        {
            // Written 200 days ago (owner set then), one visited 100 days ago.
            replica::Replica::Options past;
            past.time = [now] { return now - 200 * kDay; };
            auto r = openDevice(db, past);
            apptest::signInOffline(*r, "http://127.0.0.1:9", "zhao", "manager");
            hz = addCustomer(*r, "杭州长城电子", "C", "lina");
            xm = addCustomer(*r, "厦门鹭岛贸易", "B", "wang");
            addCustomer(*r, "苏州园林设计", "C", nullptr);  // already in the pool
            const std::string v = *domain::planVisit(*r, {xm, now - 100 * kDay, "", "visit", "wang"});
            QVERIFY(domain::checkIn(*r, v, {now - 100 * kDay, {}, {}, {}}).ok());
        }
        {
            auto r = openDevice(db);
            sz = addCustomer(*r, "深圳前海科技", "A", "lina");  // owned since now
        }
        Session session(db, offline());
        PoolReturnController pool;
        pool.setSession(&session);
        QCOMPARE(pool.previewDays(), -1);
        QVERIFY(!pool.previewFor("ninety"));
        QCOMPARE(pool.errorText(), QString("Enter a number of days from 1 to 3650"));
        QVERIFY(!pool.previewFor("0"));
        QCOMPARE(pool.errorText(), QString("Enter a number of days from 1 to 3650"));
        QVERIFY(!pool.confirm());  // nothing previewed
        QVERIFY(pool.previewFor("150"));
        QCOMPARE(pool.previewCount(), 1);
        QVERIFY(pool.previewFor(" 90 "));
        QCOMPARE(pool.errorText(), QString());
        QCOMPARE(pool.previewDays(), 90);
        QCOMPARE(pool.previewCount(), 2);
        QStringList names, owners, idle;
        for (const QVariant& v : pool.preview()) {
            names << v.toMap().value("name").toString();
            owners << v.toMap().value("owner").toString();
            idle << v.toMap().value("idleDays").toString();
        }
        QCOMPARE(names, (QStringList{"杭州长城电子", "厦门鹭岛贸易"}));
        QCOMPARE(owners, (QStringList{"lina", "wang"}));
        QCOMPARE(idle, (QStringList{"200", "100"}));
        QVERIFY(!pool.preview().at(0).toMap().value("lastVisit").toDateTime().isValid());  // never visited
        QCOMPARE(pool.preview().at(1).toMap().value("lastVisit").toDateTime().toMSecsSinceEpoch(), now - 100 * kDay);
        const int pending = session.sync()->pendingCount();
        QVERIFY(pool.confirm());
        QCOMPARE(pool.resultText(), PoolReturnController::tr("%n customer(s) returned to the public pool", nullptr, 2));
        QCOMPARE(pool.previewDays(), -1);
        QCOMPARE(session.sync()->pendingCount(), pending + 2);
        QVERIFY(session.replica().get("customer", hz)->at("owner").is_null());
        QVERIFY(session.replica().get("customer", xm)->at("owner").is_null());
        QCOMPARE(session.replica().get("customer", sz)->at("owner").get<std::string>(), std::string("lina"));
        QVERIFY(pool.previewFor("90"));
        QCOMPARE(pool.previewCount(), 0);

        session.replica().setSetting(replica::settings::kRole, std::string("rep"));
        QVERIFY(!pool.previewFor("90"));
        QCOMPARE(pool.errorText(), QString("Not allowed: only a manager can return customers to the pool"));
        QCOMPARE(pool.previewDays(), -1);
    }

    void signInToUnreachableServerFails()
    {
        QTemporaryDir dir;
        Session session(dir.filePath("device.db"), offline());
        QSignalSpy finished(&session, &Session::signInFinished);
        session.signIn("http://127.0.0.1:9", "lina", "pw");  // port 9: nothing listens
        QVERIFY(session.busy());
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(session.errorText().startsWith("Cannot reach the server"), qPrintable(session.errorText()));
        QVERIFY(!session.signedIn());
        QVERIFY(!session.busy());
    }
};

int main(int argc, char* argv[])
{
    apptest::prepareTestEnvironment();
    setApplicationIdentity();
    QGuiApplication app(argc, argv);
    AppLogicTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "AppLogicTest.moc"
