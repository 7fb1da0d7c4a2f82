// The app's C++ objects without QML: command line, translations, the
// location adapter, the poke URL, and every model under
// QAbstractItemModelTester (attached before any data arrives) over replicas
// built through Replica and an in-process Hub (AppFixtures).
#include "AppFixtures.h"
#include "AppOptions.h"
#include "AppSetup.h"
#include "ConflictsModel.h"
#include "CustomersModel.h"
#include "LocationSource.h"
#include "PokeListener.h"
#include "RejectedModel.h"
#include "Session.h"
#include "Translator.h"
#include "replica/Replica.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QSignalSpy>
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
        QCOMPARE(PokeListener::socketUrl("https://sync.example.com:8443"),
                 QUrl("wss://sync.example.com:8443/v1/ws"));
        QCOMPARE(PokeListener::socketUrl("http://127.0.0.1:8080"), QUrl("ws://127.0.0.1:8080/v1/ws"));
        QCOMPARE(PokeListener::socketUrl("https://example.com/fieldsync"), QUrl("wss://example.com/fieldsync/v1/ws"));
    }

    void conflictsModelShowsBothValues()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        std::string customer;
        {
            auto device = replica::Replica::open(db.toStdString());
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
        QCOMPARE(at(phone, ConflictsModel::CurrentValueRole).toString(), QString("010-6666 2222"));
        QCOMPARE(at(phone, ConflictsModel::OtherValueRole).toString(), QString("010-6666 1111"));
        QCOMPARE(at(phone, ConflictsModel::ProvisionalRole).toBool(), false);
        QCOMPARE(at(phone, ConflictsModel::NeedsResolutionRole).toBool(), false);
        QCOMPARE(at(notes, ConflictsModel::NeedsResolutionRole).toBool(), true);
        QCOMPARE(at(notes, ConflictsModel::CurrentValueRole).toString(), QString("改到周四下午"));
        QCOMPARE(at(notes, ConflictsModel::OtherValueRole).toString(), QString("周三上午拜访，带样品"));
        QVERIFY(at(phone, ConflictsModel::DetectedAtRole).toDateTime().isValid());

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
            auto device = replica::Replica::open(db.toStdString());
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
            auto device = replica::Replica::open(db.toStdString());
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
            auto device = replica::Replica::open(db.toStdString());
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
        QVERIFY(model.data(i, RejectedModel::MessageRole).toString().endsWith(" is not yours"));
        QCOMPARE(model.data(i, RejectedModel::ChangesRole).toString(),
                 QString("Level = B, Name = 上海宏达贸易, Tags + vip"));
        QCOMPARE(model.data(i, RejectedModel::EntityLabelRole).toString(), QString("Customer"));
        QVERIFY(model.data(i, RejectedModel::RejectedAtRole).toDateTime().isValid());
    }

    void rejectedModelPages()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("device.db");
        {
            auto device = replica::Replica::open(db.toStdString());
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
            auto r = replica::Replica::open(db.toStdString());
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
            auto r = replica::Replica::open(db.toStdString());
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
            auto device = replica::Replica::open(db.toStdString());
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
        session.signIn("http://127.0.0.1:9", "  ", "pw");
        QCOMPARE(session.errorText(), QString("Enter your user name and password."));
        QVERIFY(!session.signedIn());
        QVERIFY(!session.busy());
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
