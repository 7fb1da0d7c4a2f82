// Page flows of the app against a real fieldsync-server started on
// 127.0.0.1 by the test (FIELDSYNC_SERVER names the binary): Main.qml is
// loaded as the app loads it, shown offscreen, and driven by mouse clicks and
// text on its named objects.
//
// The sync engine runs with a one-hour debounce and no timer, so after the
// first sync only "sync now" and the server's WebSocket poke make it sync:
// each of those is what the test proves.
#include "AppFixtures.h"
#include "AppSetup.h"
#include "Connectivity.h"
#include "SecretStores.h"
#include "Session.h"
#include "Translator.h"
#include "domain/Complaints.h"
#include "domain/LocalTime.h"
#include "domain/Reports.h"
#include "domain/Visits.h"
#include "replica/Replica.h"
#include "sync/CurlTransport.h"
#include "sync/SyncClient.h"

#include <QAccessible>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <QtQml/QQmlExtensionPlugin>
#include <cmath>
#include <csignal>
#include <sys/prctl.h>

Q_IMPORT_QML_PLUGIN(FieldSyncPlugin)

using namespace fieldsync;
using namespace fieldsync::app;

namespace {

// WCAG 2.x contrast ratio of two opaque colours: (L1 + 0.05) / (L2 + 0.05)
// over relative luminances, the lighter first.
double contrastRatio(const QColor& a, const QColor& b)
{
    auto luminance = [](const QColor& c) {
        auto channel = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// A device of a version that neither reported its clock nor learned the
// server's (docs/time.md): the server accepts its stamps as long as they are
// not ahead. The only way left to make a customer assigned 100 days ago.
class UncorrectedClockTransport : public client::Transport {
public:
    client::TransportResponse send(const client::TransportRequest& request) override
    {
        client::TransportRequest r = request;
        auto body = nlohmann::json::parse(r.body, nullptr, false);
        if (body.is_object()) {
            body.erase("clock");
            r.body = body.dump();
        }
        client::TransportResponse answer = m_inner.send(r);
        auto got = nlohmann::json::parse(answer.body, nullptr, false);
        if (answer.status == 200 && got.is_object()) {
            got.erase("server_time");
            answer.body = got.dump();
        }
        return answer;
    }

private:
    client::CurlTransport m_inner;
};

const QString kPassword = QStringLiteral("correct-horse-battery");

Session::Options quietEngine()
{
    Session::Options o;
    o.sync.engine.debounce = std::chrono::hours(1);
    o.sync.engine.period = std::chrono::milliseconds(0);
    o.sync.engine.backoffBase = std::chrono::milliseconds(200);
    o.sync.engine.backoffCap = std::chrono::milliseconds(1000);
    return o;
}

// Depth-first over items, plain children and popups' content.
QObject* findNamed(QObject* from, const QString& name, QSet<QObject*>& seen)
{
    if (!from || seen.contains(from)) return nullptr;
    seen.insert(from);
    if (from->objectName() == name) return from;
    QList<QObject*> next = from->children();
    if (auto* item = qobject_cast<QQuickItem*>(from))
        for (auto* child : item->childItems()) next << child;
    if (auto* content = from->property("contentItem").value<QObject*>()) next << content;
    for (auto* child : next)
        if (auto* hit = findNamed(child, name, seen)) return hit;
    return nullptr;
}

class AppWindow {
public:
    explicit AppWindow(Session& session, const QString& language = QStringLiteral("en")) : m_translator(&m_engine)
    {
        prepareEngine(m_engine);
        m_translator.overrideLanguage(language);
        m_engine.setInitialProperties({{QStringLiteral("session"), QVariant::fromValue(&session)},
                                       {QStringLiteral("translator"), QVariant::fromValue(&m_translator)}});
        m_engine.load(QUrl(QString::fromLatin1(kMainQml)));
        if (!m_engine.rootObjects().isEmpty()) m_window = qobject_cast<QQuickWindow*>(m_engine.rootObjects().first());
    }

    QQuickWindow* window() const { return m_window; }

    QQuickItem* item(const QString& name) const
    {
        QSet<QObject*> seen;
        QObject* found = findNamed(m_window, name, seen);
        if (!found) found = findNamed(m_window->contentItem()->parentItem(), name, seen);
        return qobject_cast<QQuickItem*>(found);
    }
    QObject* object(const QString& name) const
    {
        QSet<QObject*> seen;
        QObject* found = findNamed(m_window, name, seen);
        return found ? found : findNamed(m_window->contentItem()->parentItem(), name, seen);
    }

    // Waits until `i` stands still: no StackView above it in a transition
    // (one ignores input while busy) and its place in the scene unchanged
    // over 50 ms (a page sliding in, a list laid out again). On a loaded
    // machine a transition lasts longer than on an idle one.
    static void settle(QQuickItem* i)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 5000) {
            bool busy = false;
            for (QQuickItem* p = i; p; p = p->parentItem())
                if (p->property("busy").toBool()) busy = true;
            const QPointF before = i->mapToScene(QPointF(0, 0));
            QTest::qWait(50);
            if (!busy && i->mapToScene(QPointF(0, 0)) == before) return;
        }
    }

    // A real click in the middle of a visible, enabled item, once it stands still.
    bool click(const QString& name) const
    {
        QQuickItem* i = item(name);
        if (!i || !i->isVisible() || !i->isEnabled()) return false;
        settle(i);
        const QPointF centre = i->mapToScene(QPointF(i->width() / 2, i->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, {}, centre.toPoint());
        return true;
    }
    void type(const QString& name, const QString& text) const { item(name)->setProperty("text", text); }
    QString text(const QString& name) const { return item(name)->property("text").toString(); }
    bool visible(const QString& name) const
    {
        QQuickItem* i = item(name);
        return i && i->isVisible();
    }
    void showPage(const QString& key) const
    {
        QMetaObject::invokeMethod(m_window, "showPage", Q_ARG(QVariant, key));
    }
    // A required property of the delegate of row `row` (null if not built).
    QVariant rowProperty(const QString& list, int row, const char* name) const
    {
        QQuickItem* view = item(list);
        QQuickItem* delegate = nullptr;
        if (!view || !QMetaObject::invokeMethod(view, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, delegate), Q_ARG(int, row))
            || !delegate)
            return {};
        return delegate->property(name);
    }
    // A real click on row `row` of the ListView named `list`.
    bool clickRow(const QString& list, int row) const
    {
        QQuickItem* view = item(list);
        QQuickItem* delegate = nullptr;
        if (!view || !QMetaObject::invokeMethod(view, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, delegate), Q_ARG(int, row))
            || !delegate)
            return false;
        settle(delegate);
        const QPointF centre = delegate->mapToScene(QPointF(delegate->width() / 2, delegate->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, {}, centre.toPoint());
        return true;
    }

private:
    QQmlApplicationEngine m_engine;
    Translator m_translator;
    QQuickWindow* m_window = nullptr;
};

} // namespace

class AppFlowTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_serverBin, m_data, m_url;
    QProcess m_server;
    quint16 m_port = 0;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    bool runServerCommand(const QStringList& args, const QByteArray& input, QByteArray* output = nullptr)
    {
        QProcess p;
        p.start(m_serverBin, QStringList{"--data", m_data} + args);
        if (!p.waitForStarted()) return false;
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) return false;
        if (output) *output = p.readAllStandardOutput();
        if (p.exitCode() != 0) qWarning() << p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    void startServer()
    {
        const QString portFile = path("port");
        QFile::remove(portFile);
        const QString listen = QStringLiteral("127.0.0.1:%1").arg(m_port);
        m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // The server dies with the test, even if the test crashes.
        m_server.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_server.start(m_serverBin, {"--data", m_data, "serve", "--listen", listen, "--port-file", portFile});
        QVERIFY(m_server.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(portFile).size() > 0, 10000);
        QFile f(portFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_port = static_cast<quint16>(f.readAll().trimmed().toUInt());
        QVERIFY(m_port > 0);
        m_url = QStringLiteral("http://127.0.0.1:%1").arg(m_port);
    }
    void killServer()
    {
        m_server.kill();
        m_server.waitForFinished(5000);
    }

    // The customer names the server holds for `user`.
    QString serverView(const QString& user)
    {
        QByteArray out;
        if (!runServerCommand({"dump", "--as", user}, {}, &out)) return QStringLiteral("<dump failed>");
        return QString::fromUtf8(out);
    }

    static bool hasCustomerNamed(replica::Replica& r, const std::string& name)
    {
        for (const auto& row : r.list("customer"))
            if (row.value("name", "") == name) return true;
        return false;
    }

    static Status addCustomer(Session& s, const std::string& name)
    {
        replica::Write w;
        w.set("name", name).set("owner", s.user().toStdString()).set("level", std::string("A"));
        auto id = s.replica().create("customer", w);
        if (!id) return id.error();
        s.localWriteDone();
        return Ok{};
    }

    // Every title of the phone's tab bar shows whole (at least `atLeast` tabs).
    static void expectTabTitlesWhole(AppWindow& w, int atLeast)
    {
        QQuickItem* tabBar = w.item("tabBar");
        QVERIFY(tabBar && tabBar->isVisible());
        const int tabs = tabBar->property("count").toInt();
        QVERIFY(tabs >= atLeast);
        for (int i = 0; i < tabs; ++i) {
            QQuickItem* tab = nullptr;
            QVERIFY(QMetaObject::invokeMethod(tabBar, "itemAt", Q_RETURN_ARG(QQuickItem*, tab), Q_ARG(int, i)) && tab);
            auto* label = tab->property("contentItem").value<QQuickItem*>();
            QVERIFY(label);
            // The title shows whole: at its size, or shrunk to fit, never elided.
            QVERIFY2(!label->property("truncated").toBool(),
                     qPrintable(QStringLiteral("%1 is cut off: needs %2 px, has %3")
                                    .arg(tab->property("text").toString())
                                    .arg(label->implicitWidth())
                                    .arg(label->width())));
        }
    }

    void signInThroughPage(AppWindow& w, Session& s, const QString& user)
    {
        QTRY_VERIFY(w.visible("serverField"));
        w.type("serverField", m_url);
        w.type("userField", user);
        w.type("passwordField", kPassword);
        QVERIFY(w.click("signInButton"));
        QTRY_VERIFY_WITH_TIMEOUT(s.signedIn(), 20000);
        QVERIFY(!w.visible("serverField"));
    }

private slots:
    void initTestCase()
    {
        m_serverBin = qEnvironmentVariable("FIELDSYNC_SERVER");
        QVERIFY2(QFileInfo(m_serverBin).isExecutable(), "FIELDSYNC_SERVER must name the fieldsync-server binary");
        QVERIFY(m_dir.isValid());
        m_data = path("server");
        QVERIFY(runServerCommand({"team", "add", "north"}, {}));
        for (const auto& [name, role] : {std::pair{"lina", "rep"}, std::pair{"wang", "manager"}})
            QVERIFY(runServerCommand({"user", "add", "--name", name, "--role", role, "--team", "north",
                                      "--password-stdin"},
                                     kPassword.toUtf8() + "\n"));
        startServer();
    }

    void cleanupTestCase() { killServer(); }

    // A test that failed while the server was down (killed to be offline)
    // must not fail every test after it.
    void init()
    {
        if (m_server.state() == QProcess::NotRunning) startServer();
    }

    // Sign-in page: a wrong password is refused with a message, the right
    // one opens the main page; a local write raises the pending count at
    // once and "sync now" brings it to 0; the write reaches the server.
    void signInWriteAndSyncNow()
    {
        Session session(path("a.db"), quietEngine());
        AppWindow w(session);
        QVERIFY(w.window());
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));

        QVERIFY(w.visible("serverField"));
        QVERIFY(!w.visible("connectionLabel"));  // no status bar before sign-in
        w.type("serverField", m_url);
        w.type("userField", "lina");
        w.type("passwordField", "wrong password");
        QVERIFY(w.click("signInButton"));
        QTRY_VERIFY_WITH_TIMEOUT(w.visible("signInError"), 20000);
        QCOMPARE(w.text("signInError"),
                 QString("Wrong user name or password."));
        QVERIFY(!session.signedIn());

        signInThroughPage(w, session, "lina");
        // On a phone-sized window every tab's title shows whole (issue: "Custo…", "Comp…").
        expectTabTitlesWhole(w, 5);
        QCOMPARE(session.user(), QString("lina"));
        QCOMPARE(session.role(), QString("rep"));
        // The first sync runs at start; then the bar says online, never synced no more.
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->lastSync().isValid(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w.text("connectionLabel"), QString("Online"), 10000);
        QVERIFY(w.text("lastSyncLabel").startsWith("Synced "));
        QCOMPARE(w.text("pendingLabel"), QString("Nothing waiting"));
        // Connecting the poke socket syncs once (pokes may have been missed):
        // let that happen before writing.
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTest::qWait(200);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);

        QVERIFY(addCustomer(session, "北京昭智教育").ok());
        QCOMPARE(session.sync()->pendingCount(), 1);
        QCOMPARE(w.text("pendingLabel"), QString("1 customer waiting"));
        QTRY_VERIFY(!w.item("pendingLabel")->property("truncated").toBool());
        QTest::qWait(300);  // the debounced sync is an hour away: nothing moves
        QCOMPARE(session.sync()->pendingCount(), 1);

        w.showPage("settings");
        QTRY_VERIFY(w.visible("syncNowButton"));
        QCOMPARE(w.text("userLabel"), QString("lina"));
        QCOMPARE(w.text("serverLabel"), m_url);
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);
        QCOMPARE(w.text("pendingLabel"), QString("Nothing waiting"));
        QVERIFY(serverView("lina").contains("北京昭智教育"));
    }

    // Opening the same replica again goes straight to the main page (the
    // token is kept: works offline), and the server's WebSocket poke makes
    // it sync what another device of the same user wrote.
    void reopenSignedInAndFollowPokes()
    {
        Session session(path("a.db"), quietEngine());
        QVERIFY(session.signedIn());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QVERIFY(!w.visible("serverField"));
        QVERIFY(w.visible("connectionLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!session.sync()->syncing() && session.sync()->state() == "idle", 10000);

        // The platform says the network is gone, then back: the bar follows,
        // and the return makes the engine sync (reconnect).
        const size_t before = session.sync()->property("pendingCount").toInt();
        session.connectivity()->setForced(false);
        QCOMPARE(w.text("connectionLabel"), QString("Offline"));
        QVERIFY(!session.sync()->online());
        session.connectivity()->setForced(true);
        QTRY_COMPARE_WITH_TIMEOUT(w.text("connectionLabel"), QString("Online"), 10000);
        QCOMPARE(size_t(session.sync()->pendingCount()), before);

        Session other(path("b.db"), quietEngine());
        QSignalSpy signedIn(&other, &Session::signInFinished);
        other.signIn(m_url, "lina", kPassword);
        QVERIFY(signedIn.wait(20000));
        QVERIFY(signedIn.first().first().toBool());
        QTRY_VERIFY_WITH_TIMEOUT(hasCustomerNamed(other.replica(), "北京昭智教育"), 20000);

        QVERIFY(addCustomer(other, "上海宏达贸易").ok());
        other.sync()->syncNow();
        QTRY_COMPARE_WITH_TIMEOUT(other.sync()->pendingCount(), 0, 20000);
        // No timer, an hour's debounce, nobody pressed sync now: only the poke.
        QTRY_VERIFY_WITH_TIMEOUT(hasCustomerNamed(session.replica(), "上海宏达贸易"), 20000);

        // The Customers page lists both; typing initials finds one.
        w.showPage("customers");
        QQuickItem* list = w.item("customerList");
        QVERIFY(list);
        QTRY_COMPARE(list->property("count").toInt(), 2);
        w.type("customerSearch", "shhd");
        QTRY_COMPARE(list->property("count").toInt(), 1);
        w.type("customerSearch", "");
        QTRY_COMPARE(list->property("count").toInt(), 2);
    }

    // Two devices of one user edit the same phone number; the conflict the
    // server logs shows on the Conflicts page with both values; taking the
    // other one is a normal write that syncs to the other device.
    void conflictShownAndResolvedThroughThePage()
    {
        Session a(path("a.db"), quietEngine()), b(path("b.db"), quietEngine());
        QVERIFY(a.signedIn() && b.signedIn());
        AppWindow w(a);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        for (Session* s : {&a, &b}) {
            QTRY_VERIFY_WITH_TIMEOUT(s->sync()->pokesConnected(), 10000);
            QTRY_VERIFY_WITH_TIMEOUT(s->sync()->state() == "idle", 10000);
        }
        QTest::qWait(200);
        std::string id;
        for (const auto& row : a.replica().list("customer"))
            if (row.value("name", "") == "北京昭智教育") id = row.at("id").get<std::string>();
        QVERIFY(!id.empty());

        for (auto [s, phone] : {std::pair{&a, "010-6666 1111"}, std::pair{&b, "010-6666 2222"}}) {
            replica::Write edit;
            edit.set("phone", std::string(phone));
            QVERIFY(s->replica().update("customer", id, edit).ok());
            s->localWriteDone();
        }
        a.sync()->syncNow();  // then the server pokes b, which pushes its own edit
        QTRY_COMPARE_WITH_TIMEOUT(a.sync()->pendingCount(), 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(b.sync()->pendingCount(), 0, 20000);

        w.showPage("conflicts");
        QQuickItem* list = w.item("conflictList");
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 1, 20000);
        QQuickItem* first = nullptr;
        QTRY_VERIFY(QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, first), Q_ARG(int, 0))
                    && first);
        const QPointF centre = first->mapToScene(QPointF(first->width() / 2, first->height() / 2));
        QTest::mouseClick(w.window(), Qt::LeftButton, {}, centre.toPoint());
        QTRY_VERIFY(w.visible("takeButton"));
        // Issue 16: the detail names the customer, not its id.
        QCOMPARE(w.text("conflictRowName"), QString("北京昭智教育"));
        QCOMPARE(w.text("conflictWhat"), QString("Customer · Phone"));
        const QString kept = w.text("currentValueLabel"), other = w.text("otherValueLabel");
        QCOMPARE(QSet<QString>({kept, other}), QSet<QString>({"010-6666 1111", "010-6666 2222"}));
        QCOMPARE(QString::fromStdString(a.replica().get("customer", id)->at("phone").get<std::string>()), kept);

        QVERIFY(w.click("takeButton"));
        QTRY_COMPARE(list->property("count").toInt(), 0);
        QCOMPARE(a.sync()->pendingCount(), 2);  // the phone, and the entry marked resolved
        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(a.sync()->pendingCount(), 0, 20000);
        // The other device gets the chosen value through its poke.
        QTRY_COMPARE_WITH_TIMEOUT(
            QString::fromStdString(b.replica().get("customer", id)->at("phone").get<std::string>()), other, 20000);
    }

    // A planned visit opens from the Today page. A visit logged offline from
    // the Visit page: the customer's timeline
    // shows it and the pending count rises at once; once the server is back,
    // "Sync now" sends it and a manager's device sees it in the visit feed.
    void visitLoggedOfflineReachesTheManager()
    {
        Session session(path("a.db"), quietEngine());
        QVERIFY(session.signedIn());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 10000);

        killServer();  // offline from here on
        QTRY_VERIFY_WITH_TIMEOUT(!session.sync()->pokesConnected(), 10000);

        // A visit planned for now (as `fieldsync visit plan` would) is on the
        // Today page, which the app opens on; a tap opens it on the Visit page.
        std::string customer;
        for (const auto& row : session.replica().list("customer"))
            if (row.value("name", "") == "上海宏达贸易") customer = row.at("id").get<std::string>();
        QVERIFY(!customer.empty());
        QVERIFY(domain::planVisit(session.replica(), {customer, QDateTime::currentMSecsSinceEpoch(), "送样品", "visit", ""}).ok());
        session.localWriteDone();
        QTRY_VERIFY(w.visible("todayList"));
        // Row 0 once the model has refreshed: planned visits come first, and
        // before the refresh row 0 may be a key customer due a visit.
        QTRY_VERIFY(!w.rowProperty("todayList", 0, "visitId").toString().isEmpty());
        QVERIFY(w.clickRow("todayList", 0));
        QTRY_VERIFY(w.object("visitPopup")->property("opened").toBool());
        QCOMPARE(w.text("visitStatus"), QString("Planned"));
        QVERIFY(w.click("visitCloseButton"));
        // Closed, exit transition included (a modal popup takes the clicks).
        QTRY_VERIFY(!w.object("visitPopup")->property("visible").toBool());

        // Customers → the customer (a tap on the row) → Start visit.
        w.showPage("customers");
        QQuickItem* list = w.item("customerList");
        QTRY_VERIFY(list->property("count").toInt() >= 1);
        w.type("customerSearch", "bjzz");
        QTRY_COMPARE(list->property("count").toInt(), 1);
        QVERIFY(w.clickRow("customerList", 0));
        QTRY_VERIFY(w.visible("customerName"));
        QCOMPARE(w.text("customerName"), QString("北京昭智教育"));
        // The phone (set by the conflict test) is a tel: link with digits only.
        QVERIFY2(w.text("customerPhone").contains(QRegularExpression("href=\"tel:0106666[12]{4}\"")),
                 qPrintable(w.text("customerPhone")));
        QQuickItem* timeline = w.item("visitTimeline");
        QVERIFY(timeline);
        const int visitsBefore = timeline->property("count").toInt();
        const int pendingBefore = session.sync()->pendingCount();

        QVERIFY(w.click("startVisitButton"));
        QTRY_VERIFY(w.object("visitPopup")->property("opened").toBool());
        QCOMPARE(w.text("visitStatus"), QString("Planned"));
        QVERIFY(session.sync()->pendingCount() > pendingBefore);
        // The location adapter answers with a fix or without one (no source
        // here): either way the visit is checked in.
        QTRY_VERIFY(w.visible("checkInButton") && w.item("checkInButton")->isEnabled());
        QVERIFY(w.click("checkInButton"));
        QTRY_VERIFY_WITH_TIMEOUT(w.visible("checkinInfo"), 20000);
        QCOMPARE(w.text("visitStatus"), QString("Checked in"));
        QTRY_VERIFY(w.visible("checkOutButton"));
        w.type("visitNotes", "谈了续约，客户要报价单");
        w.type("visitOutcome", "意向明确");
        w.type("visitOrderAmount", "abc");
        QVERIFY(w.click("checkOutButton"));
        QTRY_VERIFY(w.visible("visitError"));
        QCOMPARE(w.text("visitError"), QString("The order amount must be an amount of yuan, like 12500, 12,500, ¥12,500 or 1.2万"));
        w.type("visitOrderAmount", "¥8,800");  // as a rep types it
        QVERIFY(w.click("checkOutButton"));
        QTRY_VERIFY(w.visible("visitCompleted"));
        QCOMPARE(w.text("visitStatus"), QString("Completed"));
        const int pendingAfter = session.sync()->pendingCount();
        QVERIFY(pendingAfter > pendingBefore);
        // What the rep did, not how many writes it took (issue: "4 pending"):
        // the visit planned from Today, and this one (planned, checked in,
        // checked out: three writes, one visit).
        QCOMPARE(w.text("pendingLabel"), QString("2 visits waiting"));

        QVERIFY(w.click("visitCloseButton"));
        // Closed, exit transition included (a modal popup takes the clicks).
        QTRY_VERIFY(!w.object("visitPopup")->property("visible").toBool());
        QTRY_COMPARE(timeline->property("count").toInt(), visitsBefore + 1);

        // Still offline: nothing leaves.
        QTest::qWait(300);
        QCOMPARE(session.sync()->pendingCount(), pendingAfter);

        // The server comes back; "Sync now" sends the visit. (The poke socket
        // also reconnects and syncs by itself after its backoff; the first
        // test shows Sync now alone suffices.)
        startServer();
        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);
        QCOMPARE(w.text("pendingLabel"), QString("Nothing waiting"));

        // The manager's device: the visit is in the team's feed.
        Session manager(path("m.db"), quietEngine());
        QSignalSpy signedIn(&manager, &Session::signInFinished);
        manager.signIn(m_url, "wang", kPassword);
        QVERIFY(signedIn.wait(20000));
        QVERIFY(signedIn.first().first().toBool());
        auto feedHasVisit = [&] {
            for (const auto& v : domain::visitFeed(manager.replica(), {}))
                if (v.notes == "谈了续约，客户要报价单" && v.rep == "lina" && v.customerName == "北京昭智教育"
                    && v.orderAmount == 8800.0 && v.status == "completed"
                    // The evidence: captured offline, judged by the server
                    // when it arrived, and when that was.
                    && v.checkinOffline == true && !v.verdict.empty() && !v.verdictProvisional
                    && v.syncDelayMs().has_value())
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(feedHasVisit(), 20000);

        // The Team page: managers only; the feed there lists the visit.
        auto hasTeamPage = [](QQuickWindow* window) {
            for (const auto& page : window->property("pages").toList())
                if (page.toMap().value("key").toString() == "team") return true;
            return false;
        };
        QVERIFY(!hasTeamPage(w.window()));
        AppWindow mw(manager);
        mw.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(mw.window()));
        QVERIFY(hasTeamPage(mw.window()));
        mw.showPage("team");
        expectTabTitlesWhole(mw, 6);  // a manager's six tabs on a phone
        QTRY_VERIFY(mw.visible("teamFeed"));
        QTRY_VERIFY(mw.item("teamFeed")->property("count").toInt() >= 1);
        QVERIFY(mw.text("coverageLabel").startsWith("Key-account coverage this month: "));
        // The week as a per-day chart: today's column holds the visit just
        // logged, its total written above it.
        QTRY_VERIFY(mw.visible("weekChart"));
        const auto zone = domain::LocalTime::system();
        const int today = zone.daysBetween(zone.startOfWeek(zone.now()), zone.startOfDay(zone.now()));
        QTRY_VERIFY(mw.visible(QString("dayTotal%1").arg(today)));
        QVERIFY(mw.text(QString("dayTotal%1").arg(today)).toInt() >= 1);
        QVERIFY(mw.item("weekChartPlot")->height() > 80);

        // A new visit, at another customer, starts with an empty form: the
        // notes and amount typed for the last one never land on it.
        QVERIFY(!w.text("visitNotes").isEmpty() && !w.text("visitOrderAmount").isEmpty());
        auto* controller = qvariant_cast<QObject*>(w.object("visitPage")->property("controller"));
        QVERIFY(controller);
        bool started = false;
        QVERIFY(QMetaObject::invokeMethod(controller, "start", Q_RETURN_ARG(bool, started),
                                          Q_ARG(QString, QString::fromStdString(customer))));
        QVERIFY(started);
        QCOMPARE(w.text("visitNotes"), QString());
        QCOMPARE(w.text("visitOutcome"), QString());
        QCOMPARE(w.text("visitOrderAmount"), QString());
        QCOMPARE(w.item("visitSatisfaction")->property("currentIndex").toInt(), 0);
        QCOMPARE(w.item("visitFollowUp")->property("currentIndex").toInt(), 0);
    }

    // A manager reassigns one of their customers to lina from the Team
    // page's Reassign tab (search, tick the row, pick the rep, Assign); after
    // "Sync now" the customer enters lina's scope and her device receives it.
    void reassignReachesTheRepsDevice()
    {
        Session rep(path("a.db"), quietEngine());
        Session manager(path("m.db"), quietEngine());
        QVERIFY(rep.signedIn() && manager.signedIn());
        QCOMPARE(manager.role(), QString("manager"));
        for (Session* s : {&rep, &manager}) {
            QTRY_VERIFY_WITH_TIMEOUT(s->sync()->pokesConnected(), 10000);
            QTRY_VERIFY_WITH_TIMEOUT(s->sync()->state() == "idle", 10000);
        }
        QVERIFY(addCustomer(manager, "杭州西湖茶业").ok());  // the manager's own
        manager.sync()->syncNow();
        QTRY_COMPARE_WITH_TIMEOUT(manager.sync()->pendingCount(), 0, 20000);
        QTest::qWait(300);
        QVERIFY(!hasCustomerNamed(rep.replica(), "杭州西湖茶业"));  // not in lina's scope

        AppWindow w(manager);
        w.window()->resize(1280, 800);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        w.showPage("team");
        QTRY_VERIFY(w.visible("reassignTab"));
        QVERIFY(w.click("reassignTab"));
        QTRY_VERIFY(w.visible("assignList"));
        w.type("assignSearch", "hzxh");
        QTRY_COMPARE(w.item("assignList")->property("count").toInt(), 1);
        QVERIFY(!w.item("assignButton")->isEnabled());  // nothing picked yet
        QVERIFY(w.clickRow("assignList", 0));
        QObject* assign = w.object("assignController");
        QTRY_COMPARE(assign->property("selectedCount").toInt(), 1);
        QQuickItem* repBox = w.item("assignRep");
        const QStringList members = assign->property("members").toStringList();
        QCOMPARE(members, (QStringList{"lina", "wang"}));
        repBox->setProperty("currentIndex", members.indexOf("lina"));
        QVERIFY(w.click("assignButton"));
        QTRY_COMPARE(w.text("assignResult"), QString("1 customer now belongs to lina"));
        QCOMPARE(manager.sync()->pendingCount(), 1);

        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(manager.sync()->pendingCount(), 0, 20000);
        QVERIFY(serverView("lina").contains("杭州西湖茶业"));
        // lina's device: the server's poke, or at the latest her next sync.
        rep.sync()->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(hasCustomerNamed(rep.replica(), "杭州西湖茶业"), 20000);
        for (const auto& row : rep.replica().list("customer"))
            if (row.value("name", "") == "杭州西湖茶业") QCOMPARE(row.value("owner", ""), std::string("lina"));
    }

    // The customer page's forms, clicked through: the profile (a bad level
    // refused by nothing but the list, an empty name refused with the
    // domain's message, then saved), a new contact, and a planned visit (a
    // time in the wrong format refused, then planned; it joins the timeline).
    void customerFormsWriteThroughTheDomain()
    {
        Session session(path("a.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        // Connecting the poke socket syncs once: let it, so the counts below are ours.
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTest::qWait(200);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);

        w.showPage("customers");
        QQuickItem* list = w.item("customerList");
        QTRY_VERIFY(list->property("count").toInt() >= 1);
        w.type("customerSearch", "shhd");
        QTRY_COMPARE(list->property("count").toInt(), 1);
        QVERIFY(w.clickRow("customerList", 0));
        QTRY_COMPARE(w.text("customerName"), QString("上海宏达贸易"));
        const int pending = session.sync()->pendingCount();

        QVERIFY(w.click("editProfileButton"));
        QObject* profile = w.object("profileDialog");
        QTRY_VERIFY(profile->property("opened").toBool());
        QCOMPARE(w.text("profileName"), QString("上海宏达贸易"));
        w.type("profileName", " ");
        QVERIFY(w.click("saveProfileButton"));
        QTRY_COMPARE(profile->property("errorText").toString(), QString("Invalid input: the name cannot be empty"));
        QCOMPARE(session.sync()->pendingCount(), pending);
        w.type("profileName", "上海宏达贸易有限公司");
        w.type("profilePhone", "021-5555 0101");
        w.item("profileLevel")->setProperty("currentIndex", 2);  // B
        w.type("profileTags", "外贸, 重点");
        QVERIFY(w.click("saveProfileButton"));
        QTRY_VERIFY(!profile->property("visible").toBool());
        QTRY_COMPARE(w.text("customerName"), QString("上海宏达贸易有限公司"));
        QCOMPARE(session.sync()->pendingCount(), pending + 1);  // one write for the whole form
        QVERIFY(w.text("customerPhone").contains("021-5555 0101"));

        QVERIFY(w.click("addContactButton"));
        QObject* contact = w.object("contactDialog");
        QTRY_VERIFY(contact->property("opened").toBool());
        w.type("contactName", "刘洋");
        w.type("contactTitle", "财务");
        w.type("contactPhone", "137 0000 5555");
        QVERIFY(w.click("saveContactButton"));
        QTRY_VERIFY(!contact->property("visible").toBool());
        auto* contacts = qobject_cast<QAbstractItemModel*>(w.object("customerContacts"));
        QVERIFY(contacts);
        QTRY_COMPARE(contacts->rowCount(), 1);
        QCOMPARE(contacts->index(0, 0).data().toString(), QString("刘洋"));

        QQuickItem* timeline = w.item("visitTimeline");
        const int visits = timeline->property("count").toInt();
        QVERIFY(w.click("planVisitButton"));
        QObject* plan = w.object("planDialog");
        QTRY_VERIFY(plan->property("opened").toBool());
        QVERIFY(QRegularExpression("^\\d{4}-\\d{2}-\\d{2} 09:30$").match(w.text("planWhen")).hasMatch());
        w.type("planWhen", "next Monday");
        QVERIFY(w.click("savePlanButton"));
        QTRY_COMPARE(plan->property("errorText").toString(), QString("Enter the date and time as 2026-11-23 09:30"));
        w.type("planWhen", "2026-12-01 10:00");
        w.type("planPurpose", "送新品目录");
        QVERIFY(w.click("savePlanButton"));
        QTRY_VERIFY(!plan->property("visible").toBool());
        QTRY_COMPARE(timeline->property("count").toInt(), visits + 1);
        QCOMPARE(session.sync()->pendingCount(), pending + 3);
    }

    // A complaint recorded offline from the customer page shows at once on
    // the Complaints page and in the pending count; once the server is back,
    // "Sync now" sends it and the manager's device has it.
    void complaintRecordedOfflineSyncs()
    {
        Session session(path("a.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 10000);

        killServer();  // offline from here on
        QTRY_VERIFY_WITH_TIMEOUT(!session.sync()->pokesConnected(), 10000);

        w.showPage("customers");
        QQuickItem* list = w.item("customerList");
        QTRY_VERIFY(list->property("count").toInt() >= 1);
        w.type("customerSearch", "bjzz");
        QTRY_COMPARE(list->property("count").toInt(), 1);
        QVERIFY(w.clickRow("customerList", 0));
        QTRY_VERIFY(w.visible("newComplaintButton"));
        QVERIFY(w.click("newComplaintButton"));
        QObject* dialog = w.object("complaintDialog");
        QTRY_VERIFY(dialog->property("opened").toBool());
        QVERIFY(w.click("saveComplaintButton"));  // no description: refused, stays open
        QTRY_COMPARE(dialog->property("errorText").toString(), QString("Describe the complaint"));
        QVERIFY(dialog->property("opened").toBool());
        w.type("complaintDescription", "送货时包装破损");
        w.item("complaintSeverity")->setProperty("currentIndex", 2);  // high
        QVERIFY(w.click("saveComplaintButton"));
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QCOMPARE(session.sync()->pendingCount(), 1);
        QCOMPARE(w.text("pendingLabel"), QString("1 complaint waiting"));

        w.showPage("complaints");
        QQuickItem* complaints = w.item("complaintList");
        QTRY_VERIFY(complaints && complaints->isVisible());
        auto* model = complaints->property("model").value<QAbstractItemModel*>();
        QVERIFY(model);
        auto listed = [&] {
            for (int i = 0; i < model->rowCount(); ++i)
                if (model->index(i, 0).data(Qt::DisplayRole).toString() == "送货时包装破损") return true;
            return false;
        };
        QTRY_VERIFY(listed());

        startServer();
        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);

        Session manager(path("m.db"), quietEngine());
        manager.sync()->syncNow();
        auto managerHasIt = [&] {
            for (const auto& c : domain::listComplaints(manager.replica(), true))
                if (c.description == "送货时包装破损" && c.severity == "high" && c.customerName == "北京昭智教育")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(managerHasIt(), 20000);
    }

    // A new customer made offline from the Customers page: the form shows
    // the likely duplicate (北京昭智教育, whose name contains it) before anything is
    // saved, "Save anyway" saves it; once the server is back it syncs and the
    // manager's device has it, owned by the rep.
    void newCustomerOfflineWithDuplicateWarningReachesTheManager()
    {
        Session session(path("a.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 10000);

        killServer();  // offline from here on
        QTRY_VERIFY_WITH_TIMEOUT(!session.sync()->pokesConnected(), 10000);

        w.showPage("customers");
        QTRY_VERIFY(w.visible("newCustomerButton"));
        QVERIFY(w.click("newCustomerButton"));
        QObject* dialog = w.object("newCustomerDialog");
        QTRY_VERIFY(dialog->property("opened").toBool());
        QVERIFY(!w.visible("duplicateWarning"));
        QVERIFY(w.click("saveNewCustomerButton"));  // no name: refused
        QTRY_COMPARE(dialog->property("errorText").toString(), QString("Invalid input: the name cannot be empty"));
        w.type("newCustomerName", "昭智教育");
        w.type("newCustomerPhone", "0571-8888 6666");
        w.item("newCustomerLevel")->setProperty("currentIndex", 2);  // B
        w.type("newContactName", "周敏");
        QVERIFY(w.click("saveNewCustomerButton"));
        QTRY_VERIFY(w.visible("duplicateWarning"));
        QObject* form = w.object("newCustomerController");
        const QVariantList duplicates = form->property("duplicates").toList();
        QCOMPARE(duplicates.size(), 1);
        QCOMPARE(duplicates.at(0).toMap().value("name").toString(), QString("北京昭智教育"));
        QCOMPARE(w.text("saveNewCustomerButton"), QString("Save anyway"));
        QVERIFY(dialog->property("opened").toBool());
        QCOMPARE(session.sync()->pendingCount(), 0);  // nothing saved yet
        QVERIFY(w.click("saveNewCustomerButton"));
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QCOMPARE(session.sync()->pendingCount(), 2);  // the customer and its first contact
        QTRY_COMPARE(w.text("customerName"), QString("昭智教育"));  // its page opens
        QCOMPARE(w.text("pendingLabel"), QString("1 customer, 1 contact waiting"));
        QTRY_VERIFY(!w.item("pendingLabel")->property("truncated").toBool());  // whole on the phone's bar

        startServer();
        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);

        Session manager(path("m.db"), quietEngine());
        manager.sync()->syncNow();
        auto managerHasIt = [&] {
            for (const auto& row : manager.replica().list("customer"))
                if (row.value("name", "") == "昭智教育" && row.value("owner", "") == "lina"
                    && row.value("level", "") == "B" && row.value("team", "") == "north")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(managerHasIt(), 20000);
    }

    // The new customer is archived from its page (after a confirmation): it
    // leaves the list at once, and after the sync the manager's device holds
    // it archived.
    void archiveFromTheCustomerPage()
    {
        Session session(path("a.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 10000);

        w.showPage("customers");
        QQuickItem* list = w.item("customerList");
        w.type("customerSearch", "昭智教育");
        QTRY_COMPARE(list->property("count").toInt(), 2);  // 北京昭智教育 (beijing…), 昭智教育 (zhaozhi…)
        QVERIFY(w.clickRow("customerList", 1));
        QTRY_COMPARE(w.text("customerName"), QString("昭智教育"));
        QTRY_VERIFY(w.visible("archiveCustomerButton"));
        QVERIFY(w.click("archiveCustomerButton"));
        QObject* dialog = w.object("archiveDialog");
        QTRY_VERIFY(dialog->property("opened").toBool());
        QCOMPARE(session.sync()->pendingCount(), 0);  // asked first
        QVERIFY(w.click("confirmArchiveButton"));
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QCOMPARE(session.sync()->pendingCount(), 1);
        QTRY_COMPARE(list->property("count").toInt(), 1);
        QTRY_VERIFY(list->isVisible());  // back to the list (phone layout)

        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);
        Session manager(path("m.db"), quietEngine());
        manager.sync()->syncNow();
        auto archivedThere = [&] {
            for (const auto& row : manager.replica().list("customer"))
                if (row.value("name", "") == "昭智教育") return row.contains("archived") && row.at("archived") == true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(archivedThere(), 20000);
    }

    // The complaint recorded earlier is followed up from the Complaints page
    // with a resolution and the customer's satisfaction after (4); the value
    // syncs to the manager's device.
    void complaintFollowedUpWithSatisfactionSyncs()
    {
        Session session(path("a.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->pokesConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle", 10000);
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 10000);

        w.showPage("complaints");
        QQuickItem* list = w.item("complaintList");
        QTRY_VERIFY(list && list->isVisible());
        QTRY_COMPARE(list->property("count").toInt(), 1);
        QCOMPARE(list->property("model").value<QAbstractItemModel*>()->index(0, 0).data().toString(),
                 QString("送货时包装破损"));
        QTRY_VERIFY(w.visible("complaintSatisfaction"));
        w.item("complaintSatisfaction")->setProperty("currentIndex", 4);
        w.type("complaintResolution", "已补发新货");
        QVERIFY(w.click("moveComplaint_followed_up"));
        QTRY_COMPARE(list->property("count").toInt(), 0);  // closed: off the open list
        QCOMPARE(session.sync()->pendingCount(), 1);
        std::optional<int> local;
        for (const auto& c : domain::listComplaints(session.replica(), false))
            if (c.description == "送货时包装破损") local = c.satisfactionAfter;
        QCOMPARE(local, std::optional<int>(4));

        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);

        Session manager(path("m.db"), quietEngine());
        manager.sync()->syncNow();
        auto managerSees = [&] {
            for (const auto& c : domain::listComplaints(manager.replica(), false))
                if (c.description == "送货时包装破损" && c.status == "followed_up" && c.satisfactionAfter == 4
                    && c.resolution == "已补发新货")
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(managerSees(), 20000);
    }

    // A customer of lina's that nobody has visited for 100 days (written by
    // a device whose clock says so) is returned to the pool from the
    // manager's Team page (preview: exactly that one; confirm); after the
    // sync, lina's device holds it in the pool, with no owner.
    void returnToPoolFromTheTeamPage()
    {
        {
            const int64_t past = QDateTime::currentMSecsSinceEpoch() - 100LL * 24 * 3600 * 1000;
            replica::Replica::Options options;
            options.time = [past] { return past; };
            auto old = replica::Replica::open(path("old.db").toStdString(), options);
            UncorrectedClockTransport transport;
            client::MemorySecretStore secrets;  // a device of its own, its token kept here
            client::SyncClient client(*old, transport, secrets);
            QVERIFY(client.login(m_url.toStdString(), "lina", kPassword.toStdString(), "old tablet").ok());
            replica::Write w;
            w.set("name", std::string("温州瓯江鞋业")).set("owner", std::string("lina")).set("team", std::string("north"));
            QVERIFY(old->create("customer", w).ok());
            auto synced = client.syncUntilDone();
            QVERIFY2(synced.ok(), synced.ok() ? "" : synced.error().message.c_str());
            QCOMPARE(old->pendingCount(), size_t{0});
        }
        Session rep(path("a.db"), quietEngine());
        Session manager(path("m.db"), quietEngine());
        QVERIFY(rep.signedIn() && manager.signedIn());
        for (Session* s : {&rep, &manager}) {
            QTRY_VERIFY_WITH_TIMEOUT(s->sync()->pokesConnected(), 10000);
            QTRY_VERIFY_WITH_TIMEOUT(s->sync()->state() == "idle", 10000);
        }
        auto ownerOf = [](replica::Replica& r, const std::string& name) -> std::optional<nlohmann::json> {
            for (const auto& row : r.list("customer"))
                if (row.value("name", "") == name) return row.contains("owner") ? row.at("owner") : nlohmann::json();
            return std::nullopt;
        };
        manager.sync()->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(ownerOf(manager.replica(), "温州瓯江鞋业") == nlohmann::json("lina"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(manager.sync()->state() == "idle", 10000);

        AppWindow w(manager);
        w.window()->resize(1280, 800);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        w.showPage("team");
        QTRY_VERIFY(w.visible("poolTab"));
        QVERIFY(w.click("poolTab"));
        QTRY_VERIFY(w.visible("poolDays"));
        QVERIFY(!w.visible("poolReturnButton"));  // no preview yet
        w.type("poolDays", "30");
        QVERIFY(w.click("poolPreviewButton"));
        QTRY_COMPARE(w.text("poolPreviewLabel"), QString("1 customer would return to the pool"));
        QObject* pool = w.object("poolReturnController");
        const QVariantList preview = pool->property("preview").toList();
        QCOMPARE(preview.size(), 1);
        QCOMPARE(preview.at(0).toMap().value("name").toString(), QString("温州瓯江鞋业"));
        QCOMPARE(manager.sync()->pendingCount(), 0);  // a preview writes nothing
        QVERIFY(w.click("poolReturnButton"));
        QObject* confirm = w.object("poolConfirmDialog");
        QTRY_VERIFY(confirm->property("opened").toBool());
        QVERIFY(w.click("confirmPoolButton"));
        QTRY_VERIFY(!confirm->property("visible").toBool());
        QTRY_COMPARE(w.text("poolResult"), QString("1 customer returned to the public pool"));
        QCOMPARE(manager.sync()->pendingCount(), 1);
        QVERIFY(ownerOf(manager.replica(), "温州瓯江鞋业")->is_null());

        w.showPage("settings");
        QTRY_VERIFY(w.item("syncNowButton")->isVisible() && w.item("syncNowButton")->isEnabled());
        QVERIFY(w.click("syncNowButton"));
        QTRY_COMPARE_WITH_TIMEOUT(manager.sync()->pendingCount(), 0, 20000);
        // lina's device: the server's poke, or at the latest her next sync.
        rep.sync()->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(ownerOf(rep.replica(), "温州瓯江鞋业") == nlohmann::json(), 20000);
    }

    // An administrator revokes the device (a lost phone): at its next sync
    // the app stops syncing, closes both connections and wipes the device
    // (replica, WAL, key, token), and shows the sign-in page saying so.
    void aRevokedDeviceIsWipedAndSentToTheSignInPage()
    {
        const QString db = path("revoked.db");
        Session session(db, quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        signInThroughPage(w, session, "lina");
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->lastSync().isValid(), 20000);
        const QString device = QString::fromStdString(session.replica().deviceId().hex());
        client::FileSecretStore keys(secretsFileFor(db, qEnvironmentVariable(kSecretsDirVariable)).toStdString());
        const client::Secrets before = keys.load();
        QVERIFY(before.key && before.token);
        QVERIFY(!session.replica().setting("token"));  // the token is never in the replica
        QVERIFY(addCustomer(session, "Written on the lost phone").ok());
        QVERIFY(runServerCommand({"device", "revoke", device}, {}));

        session.sync()->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(!session.signedIn(), 20000);
        QTRY_VERIFY(w.visible("serverField"));
        // The token is forgotten by the engine first; the wipe follows on the GUI thread.
        QTRY_VERIFY2_WITH_TIMEOUT(w.text("signInError").startsWith("This device was signed out by the server, and its "
                                                                   "data was removed from this device; 1 unsynced change"),
                                  qPrintable(w.text("signInError")), 10000);
        QVERIFY2(!session.sync()->running(), "the engine stopped for good");
        // Wiped: a new, empty replica with a new device id and a new key; no token.
        QCOMPARE(session.replica().list("customer").size(), size_t(0));
        QVERIFY(session.replica().deviceId().hex() != device.toStdString());
        const client::Secrets after = keys.load();
        QVERIFY(!after.token);
        QVERIFY(after.key && *after.key != *before.key);
        QCOMPARE(session.sync()->pendingCount(), 0);

        // Signing in again works and syncs again.
        signInThroughPage(w, session, "lina");
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->state() == "idle" && session.sync()->running(), 20000);
    }

    // Sign-out asks first, pushes what is pending, then wipes the replica
    // and shows the sign-in page.
    void signOutPushesThenWipes()
    {
        Session session(path("c.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        signInThroughPage(w, session, "lina");
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->lastSync().isValid(), 20000);
        const QString signedOutDevice = QString::fromStdString(session.replica().deviceId().hex());
        const auto keyBeforeSignOut =
            client::FileSecretStore(secretsFileFor(path("c.db"), qEnvironmentVariable(kSecretsDirVariable)).toStdString())
                .load()
                .key;
        QVERIFY(keyBeforeSignOut);
        QVERIFY(addCustomer(session, "广州南方物流").ok());
        QCOMPARE(session.sync()->pendingCount(), 1);

        w.showPage("settings");
        QTRY_VERIFY(w.visible("signOutButton"));
        QVERIFY(w.click("signOutButton"));
        QObject* confirm = w.object("confirmSignOutDialog");
        QVERIFY(confirm);
        QTRY_VERIFY(confirm->property("opened").toBool());
        QVERIFY(session.signedIn());  // nothing happens before the confirmation
        QMetaObject::invokeMethod(confirm, "accept");
        QTRY_VERIFY_WITH_TIMEOUT(!session.signedIn(), 30000);
        QTRY_VERIFY(w.visible("serverField"));
        QVERIFY(!w.object("unsyncedDialog")->property("opened").toBool());

        QVERIFY(serverView("lina").contains("广州南方物流"));
        QCOMPARE(session.replica().list("customer").size(), size_t(0));
        QCOMPARE(session.sync()->pendingCount(), 0);
        QVERIFY(!session.replica().setting("token"));
        // The key and token went with the replica: a new key, no token.
        client::FileSecretStore keys(
            secretsFileFor(path("c.db"), qEnvironmentVariable(kSecretsDirVariable)).toStdString());
        QVERIFY(!keys.load().token);
        QVERIFY(keys.load().key && *keys.load().key != *keyBeforeSignOut);
        // The server revoked the signed-out device's token.
        QByteArray devices;
        QVERIFY(runServerCommand({"device", "list", "--json"}, {}, &devices));
        bool revoked = false;
        for (const auto& d : nlohmann::json::parse(devices.toStdString()))
            if (d["device"] == signedOutDevice.toStdString()) revoked = d["revoked"].get<bool>();
        QVERIFY2(revoked, devices.constData());
    }

    // With the server gone, sign-out cannot push: it warns and keeps the
    // data until the user confirms losing it. Last: it stops the server.
    void signOutWithUnsentChangesAsks()
    {
        Session session(path("d.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        signInThroughPage(w, session, "lina");
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->lastSync().isValid(), 20000);

        killServer();
        QVERIFY(addCustomer(session, "深圳前海科技").ok());
        w.showPage("settings");
        QTRY_VERIFY(w.visible("signOutButton"));
        QVERIFY(w.click("signOutButton"));
        QObject* confirm = w.object("confirmSignOutDialog");
        QTRY_VERIFY(confirm->property("opened").toBool());
        QMetaObject::invokeMethod(confirm, "accept");

        QObject* unsynced = w.object("unsyncedDialog");
        QVERIFY(unsynced);
        QTRY_VERIFY_WITH_TIMEOUT(unsynced->property("opened").toBool(), 30000);
        QCOMPARE(unsynced->property("pending").toInt(), 1);
        QVERIFY(session.signedIn());
        QVERIFY(hasCustomerNamed(session.replica(), "深圳前海科技"));
        QCOMPARE(session.sync()->pendingCount(), 1);

        QVERIFY(w.click("discardAndSignOutButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!session.signedIn(), 10000);
        QTRY_VERIFY(w.visible("serverField"));
        QCOMPARE(session.replica().list("customer").size(), size_t(0));
        QCOMPARE(session.sync()->pendingCount(), 0);
    }

    // Issue: a planned visit's page showed only "check in". It shows when,
    // what for and the customer's phone; the rep moves it, then calls it off,
    // and the server takes both from her (it holds the visit unchecked-in).
    void aPlannedVisitShowsItsPlanAndIsMovedThenCalledOff()
    {
        Session session(path("e.db"), quietEngine());
        AppWindow w(session);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        signInThroughPage(w, session, "lina");
        QTRY_VERIFY_WITH_TIMEOUT(session.sync()->lastSync().isValid(), 20000);
        replica::Write w0;
        w0.set("name", std::string("杭州西湖茶业")).set("owner", std::string("lina")).set("phone", std::string("0571-8888 0000"));
        auto customer = session.replica().create("customer", w0);
        QVERIFY(customer.ok());
        const QDateTime planned = QDateTime::currentDateTime().addDays(1);
        auto visitId = domain::planVisit(session.replica(), {*customer, planned.toMSecsSinceEpoch(), "新茶试饮", "visit", ""});
        QVERIFY(visitId.ok());
        session.localWriteDone();

        QMetaObject::invokeMethod(w.window(), "openVisit", Q_ARG(QVariant, QString::fromStdString(*visitId)));
        QTRY_VERIFY(w.object("visitPopup")->property("opened").toBool());
        QTRY_VERIFY(w.visible("planWhenLabel"));
        QCOMPARE(w.text("planWhenLabel"),
                 QString("Planned for %1 · Visit").arg(planned.toString("yyyy-MM-dd HH:mm")));
        QCOMPARE(w.text("planPurposeLabel"), QString("Purpose: 新茶试饮"));
        QVERIFY(w.visible("checkInButton"));

        QVERIFY(w.click("rescheduleButton"));
        QObject* move = w.object("rescheduleDialog");
        QTRY_VERIFY(move->property("opened").toBool());
        QCOMPARE(w.text("rescheduleWhen"), planned.toString("yyyy-MM-dd HH:mm"));
        w.type("rescheduleWhen", "next Friday");
        QVERIFY(w.click("saveRescheduleButton"));
        QTRY_COMPARE(move->property("errorText").toString(), QString("Enter the date and time as 2026-11-23 09:30"));
        const QString later = planned.addDays(2).toString("yyyy-MM-dd") + " 14:30";
        w.type("rescheduleWhen", later);
        QVERIFY(w.click("saveRescheduleButton"));
        QTRY_VERIFY(!move->property("visible").toBool());
        QTRY_COMPARE(w.text("planWhenLabel"), QString("Planned for %1 · Visit").arg(later));

        QVERIFY(w.click("cancelPlanButton"));
        QObject* cancel = w.object("cancelPlanDialog");
        QTRY_VERIFY(cancel->property("opened").toBool());
        w.type("cancelPlanReason", "客户出差");
        QVERIFY(w.click("confirmCancelPlanButton"));
        QTRY_VERIFY(!cancel->property("visible").toBool());
        QTRY_VERIFY(w.visible("planCancelledLabel"));
        QCOMPARE(w.text("planCancelledLabel"), QString("Cancelled: 客户出差"));
        QVERIFY(!w.visible("checkInButton"));
        QVERIFY(!w.visible("rescheduleButton"));

        // The server accepts the rep's move and cancel: nothing refused.
        session.sync()->syncNow();
        QTRY_COMPARE_WITH_TIMEOUT(session.sync()->pendingCount(), 0, 20000);
        QCOMPARE(session.sync()->rejectedCount(), 0);
    }

    // Issue (accessibility): text follows the system's font size. The app
    // keeps the size the system gives (never below 11 pt), and the theme's
    // type sizes follow the application font.
    void textFollowsTheSystemFontSize()
    {
        const QFont before = QGuiApplication::font();
        QFont system = before;
        system.setPointSizeF(16);
        QGuiApplication::setFont(system);
        configureApplication();
        QCOMPARE(QGuiApplication::font().pointSizeF(), 16.0);
        QCOMPARE(QGuiApplication::font().family(), QString("Noto Sans CJK SC"));
        system.setPointSizeF(8);
        QGuiApplication::setFont(system);
        configureApplication();
        QCOMPARE(QGuiApplication::font().pointSizeF(), 11.0);  // never below 11 pt

        // The theme at start-up (a phone applies a new system size by
        // starting the app again): 11 pt, the sizes the pages were drawn at;
        // twice the text, twice the size.
        auto themeSizes = [] {
            QQmlApplicationEngine engine;
            prepareEngine(engine);
            engine.loadData("import QtQuick\nimport FieldSync\nQtObject { property int small: Theme.fontSmall; "
                            "property int title: Theme.fontTitle }");
            if (engine.rootObjects().size() != 1) return std::pair{-1, -1};
            QObject* theme = engine.rootObjects().first();
            return std::pair{theme->property("small").toInt(), theme->property("title").toInt()};
        };
        QCOMPARE(themeSizes(), (std::pair{12, 20}));
        system.setPointSizeF(22);
        QGuiApplication::setFont(system);
        configureApplication();
        QCOMPARE(themeSizes(), (std::pair{24, 40}));
        QGuiApplication::setFont(before);
    }

    // Issue 16: on a phone the status bar shows what waits, what was refused
    // and the last sync, each whole, in both languages (the English "1
    // customer, 1 contact waiting" was cut to "1 custom…" beside "1 rejected").
    void theStatusBarOnThePhoneShowsEachPartWhole()
    {
        const QString db = path("bar.db");
        {
            client::OpenOptions options;
            auto device = client::openReplica(db.toStdString(), *appSecretStore(db), std::move(options));
            apptest::signInOffline(*device, m_url.toStdString(), "lina");
            replica::Write refused;
            refused.set("name", std::string("上海宏达贸易"));
            QVERIFY(device->create("customer", refused).ok());
            apptest::rejectPending(*device, 1);
            replica::Write customer;
            customer.set("name", std::string("北京昭智教育"));
            auto created = device->create("customer", customer);
            QVERIFY(created.ok());
            replica::Write contact;
            contact.set("customer", created.value()).set("name", std::string("周敏"));
            QVERIFY(device->create("contact", contact).ok());
        }
        Session::Options quiet;
        quiet.startSync = false;
        Session session(db, quiet);
        for (const auto& [language, waiting] : {std::pair{"en", "1 customer, 1 contact waiting"},
                                                std::pair{"zh", "1 位客户、1 位联系人待同步"}}) {
            AppWindow w(session, QString::fromLatin1(language));
            w.window()->show();
            QVERIFY(QTest::qWaitForWindowExposed(w.window()));
            QCOMPARE(w.window()->width(), 390);
            QTRY_COMPARE(w.text("pendingLabel"), QString::fromUtf8(waiting));
            QTRY_VERIFY(w.visible("rejectedButton"));
            QTest::qWait(200);
            for (const char* part : {"connectionLabel", "pendingLabel", "lastSyncLabel"})
                QVERIFY2(!w.item(part)->property("truncated").toBool(),
                         qPrintable(QStringLiteral("%1 (%2) is cut off: %3").arg(part, language, w.text(part))));
            auto* rejected = w.item("rejectedButton")->property("contentItem").value<QQuickItem*>();
            QVERIFY(rejected && !rejected->property("truncated").toBool());
        }
    }

    // Issue (accessibility): every status badge's text on its tone, quiet
    // text and links on the page, and the bars' text keep a contrast of at
    // least 4.5:1 (WCAG AA for body text).
    void badgesAndQuietTextKeepAContrastOfAtLeast4_5To1()
    {
        QCOMPARE(qRound(contrastRatio(QColor("#FFFFFF"), QColor("#000000")) * 10), 210);  // the scale's ends
        QCOMPARE(qRound(contrastRatio(QColor("#777777"), QColor("#FFFFFF")) * 100), 448);  // a known grey just under
        QQmlApplicationEngine engine;
        prepareEngine(engine);
        engine.loadData("import QtQuick\nimport FieldSync\nQtObject { property var theme: Theme }");
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* theme = engine.rootObjects().first()->property("theme").value<QObject*>();
        QVERIFY(theme);
        auto colour = [&](const char* name) {
            const QVariant v = theme->property(name);
            if (!v.isValid()) qFatal("Theme has no colour %s", name);
            return v.value<QColor>();
        };
        const QColor page("#FFFFFF");
        QStringList problems;
        auto expect = [&](const char* fg, const QColor& f, const char* bg, const QColor& b) {
            const double ratio = contrastRatio(f, b);
            if (ratio < 4.5) problems << QStringLiteral("%1 on %2: %3:1").arg(fg, bg).arg(ratio, 0, 'f', 2);
        };
        for (const char* tone : {"danger", "warning", "ok", "neutral", "none", "accent"})
            expect("onBadge", colour("onBadge"), tone, colour(tone));
        for (const char* level : {"A", "B", "C", "D", "?"}) {
            QVariant c;
            QMetaObject::invokeMethod(theme, "levelColor", Q_RETURN_ARG(QVariant, c), Q_ARG(QVariant, QString(level)));
            expect("onBadge", colour("onBadge"), qPrintable(QStringLiteral("level %1").arg(level)), c.value<QColor>());
        }
        expect("muted", colour("muted"), "the page", page);
        for (const char* panel : {"warningPanel", "neutralPanel", "okPanel", "dangerPanel"})
            expect("muted", colour("muted"), panel, colour(panel));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
    }

    // Issue (accessibility): on the phone every control a finger taps is at
    // least 48 px (dp) high, on every page a manager sees, and names itself
    // to assistive technology (its text or Accessible.name).
    void touchTargetsOnThePhoneAreAtLeast48PixelsAndNamed()
    {
        Session manager(path("m.db"), quietEngine());
        if (!manager.signedIn()) {  // run alone: the manager's device signs in first
            QSignalSpy signedIn(&manager, &Session::signInFinished);
            manager.signIn(m_url, "wang", kPassword);
            QVERIFY(signedIn.wait(20000));
            QVERIFY(signedIn.first().first().toBool());
        }
        AppWindow w(manager);
        w.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window()));
        QStringList problems;
        std::function<void(QQuickItem*, const QString&)> walk = [&](QQuickItem* i, const QString& page) {
            if (!i->isVisible()) return;
            const bool control = i->inherits("QQuickAbstractButton") || i->inherits("QQuickTextInput") ||
                                 i->inherits("QQuickTextEdit") || i->inherits("QQuickComboBox") ||
                                 i->inherits("QQuickSpinBox") || i->inherits("QQuickSlider");
            if (i->property("tone").isValid()) {  // a Badge: its text on its tone
                const double ratio = contrastRatio(i->property("color").value<QColor>(), i->property("tone").value<QColor>());
                if (ratio < 4.5)
                    problems << QStringLiteral("%1: badge \"%2\" has contrast %3:1").arg(page, i->property("text").toString()).arg(ratio, 0, 'f', 2);
            }
            if (control && i->width() > 0) {
                const QPointF at = i->mapToScene(QPointF(0, 0));
                const bool onScreen = at.y() + i->height() > 0 && at.y() < w.window()->height();
                QAccessibleInterface* a = QAccessible::queryAccessibleInterface(i);
                const QString name = a ? a->text(QAccessible::Name) : i->property("text").toString();
                if (onScreen && i->height() < 48)
                    problems << QStringLiteral("%1: \"%2\" (%3) is %4 px high").arg(page, name, i->objectName()).arg(i->height());
                if (onScreen && name.trimmed().isEmpty())
                    problems << QStringLiteral("%1: a %2 (%3) has no name").arg(page, i->metaObject()->className(), i->objectName());
                // A field is named by what it asks for, not by what is typed in it.
                const bool input = i->inherits("QQuickTextInput") || i->inherits("QQuickTextEdit");
                if (onScreen && input && !name.isEmpty() && name == i->property("text").toString())
                    problems << QStringLiteral("%1: a %2 (%3) is named only by its value \"%4\"")
                                    .arg(page, i->metaObject()->className(), i->objectName(), name);
            }
            // A tab bar that scrolls shows its current tab whole.
            if (i->inherits("QQuickTabBar")) {
                if (auto* current = i->property("currentItem").value<QQuickItem*>()) {
                    const QRectF at = current->mapRectToItem(i, QRectF(0, 0, current->width(), current->height()));
                    if (at.left() < -0.5 || at.right() > i->width() + 0.5)
                        problems << QStringLiteral("%1: the current tab \"%2\" of %3 is cut off (x %4 to %5 of %6)")
                                        .arg(page, current->property("text").toString(), i->objectName())
                                        .arg(at.left()).arg(at.right()).arg(i->width());
                }
            }
            // A combo box's or spin box's inner text is part of the control.
            if (i->inherits("QQuickComboBox") || i->inherits("QQuickSpinBox")) return;
            for (QQuickItem* child : i->childItems()) walk(child, page);
        };
        for (const char* page : {"today", "customers", "complaints", "team", "conflicts", "settings"}) {
            w.showPage(page);
            QTest::qWait(400);
            walk(w.window()->contentItem(), page);
        }
        // Each of the team page's views, the bar scrolled to its tab.
        w.showPage("team");
        QQuickItem* views = w.item("teamViews");
        for (int tab = 1; tab < views->property("count").toInt(); ++tab) {
            views->setProperty("currentIndex", tab);
            QTest::qWait(400);
            walk(w.window()->contentItem(), QStringLiteral("team tab %1").arg(tab));
        }
        views->setProperty("currentIndex", 0);
        // The new-customer form, built on first use.
        w.showPage("customers");
        QVERIFY(w.click("newCustomerButton"));
        QTRY_VERIFY(w.object("newCustomerDialog")->property("opened").toBool());
        walk(w.window()->contentItem(), "new customer");
        QMetaObject::invokeMethod(w.object("newCustomerDialog"), "close");
        QTRY_VERIFY(!w.object("newCustomerDialog")->property("visible").toBool());
        // A customer's page, with its contacts, timeline and forms' buttons.
        if (manager.replica().list("customer").empty()) {  // run alone: one of the manager's own
            replica::Write own;
            own.set("name", std::string("宁波港口物流")).set("owner", std::string("wang")).set("phone", std::string("0574-8888 0000"));
            QVERIFY(manager.replica().create("customer", own).ok());
            manager.localWriteDone();
        }
        const auto customers = manager.replica().list("customer");
        QVERIFY(!customers.empty());
        QMetaObject::invokeMethod(w.window(), "showCustomer",
                                  Q_ARG(QVariant, QString::fromStdString(customers.front().at("id").get<std::string>())));
        QTRY_VERIFY(w.visible("customerName"));
        QTest::qWait(400);
        walk(w.window()->contentItem(), "customer");
        // Popups live on the window's overlay, under its content item: a
        // form, and the visit page.
        QQuickItem* overlay = w.window()->contentItem();
        if (w.visible("editProfileButton")) {
            QVERIFY(w.click("editProfileButton"));
            QTRY_VERIFY(w.object("profileDialog")->property("opened").toBool());
            walk(overlay, "profile form");
            QMetaObject::invokeMethod(w.object("profileDialog"), "close");
            QTRY_VERIFY(!w.object("profileDialog")->property("visible").toBool());
        }
        QMetaObject::invokeMethod(w.window(), "startVisit",
                                  Q_ARG(QVariant, QString::fromStdString(customers.front().at("id").get<std::string>())));
        QTRY_VERIFY(w.object("visitPopup")->property("opened").toBool());
        QTest::qWait(400);
        walk(overlay, "visit");
        QMetaObject::invokeMethod(w.object("visitPopup"), "close");
        QTRY_VERIFY(!w.object("visitPopup")->property("visible").toBool());
        // Every form the customer's page opens.
        for (const char* dialog : {"contactDialog", "planDialog", "complaintDialog", "voidDialog", "archiveDialog",
                                   "archiveContactDialog"}) {
            QObject* d = w.object(dialog);
            QVERIFY2(d, dialog);
            QMetaObject::invokeMethod(d, "open");
            QTRY_VERIFY(d->property("opened").toBool());
            walk(overlay, dialog);
            QMetaObject::invokeMethod(d, "close");
            QTRY_VERIFY(!d->property("visible").toBool());
        }
        // The sign-in page of a device nobody has signed in on.
        {
            Session fresh(path("fresh.db"), quietEngine());
            AppWindow signIn(fresh);
            signIn.window()->show();
            QVERIFY(QTest::qWaitForWindowExposed(signIn.window()));
            QTRY_VERIFY(signIn.visible("signInButton"));
            walk(signIn.window()->contentItem(), "sign in");
        }
        for (const QString& problem : problems) qWarning().noquote() << problem;  // the message below is cut at 1 KB
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
    }
};

int main(int argc, char* argv[])
{
    apptest::prepareTestEnvironment();
    setApplicationIdentity();
    QGuiApplication app(argc, argv);
    configureApplication();
    AppFlowTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "AppFlowTest.moc"
