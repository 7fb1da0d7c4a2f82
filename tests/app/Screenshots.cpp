// fieldsync_screenshots OUTDIR: renders every main page of the app that
// exists, in Chinese and English, at phone (390x844) and desktop (1280x800)
// sizes, to OUTDIR/<page>-<size>-<lang>.png (./dev screenshots writes
// docs/screenshots/).
//
// Rendering is offscreen (QQuickWindow::grabWindow, software scene graph):
// compare screenshots only with others made the same way (an Xvfb/OpenGL
// rendering differs pixel by pixel).
//
// Data: a fixture replica built through Replica, the domain API and an
// in-process Hub (AppFixtures): seven customers (two in the public pool),
// contacts, a visit timeline with its flags (far, no location), a visit
// planned for today, follow-up tasks (one overdue), complaints, two
// conflicts on one customer, one refused change, one change waiting to be
// sent; signed in as rep lina (and, for the Team page, the same data as
// manager zhao) on a server that is not running, with the engine stopped,
// so the status bar shows the offline app.
#include "AppFixtures.h"
#include "AppSetup.h"
#include "Session.h"
#include "Translator.h"
#include "domain/Complaints.h"
#include "domain/Tasks.h"
#include "domain/Visits.h"
#include "replica/Replica.h"
#include "replica/SettingKeys.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <iostream>

Q_IMPORT_QML_PLUGIN(FieldSyncPlugin)

using namespace fieldsync;
using namespace fieldsync::app;

namespace {

void settle(int ms = 400)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QQuickItem* findItem(QQuickItem* from, const QString& name)
{
    if (!from) return nullptr;
    if (from->objectName() == name) return from;
    for (auto* child : from->childItems())
        if (auto* hit = findItem(child, name)) return hit;
    return nullptr;
}

struct Size {
    const char* name;
    int width, height;
};

class Shooter {
public:
    Shooter(QString out) : m_out(std::move(out)) {}

    // Renders `pages` (key -> action run before grabbing) of one session.
    bool shoot(Session& session, const QString& lang, const Size& size,
               const std::vector<std::pair<QString, std::function<void(QQuickWindow*)>>>& pages)
    {
        QQmlApplicationEngine engine;
        prepareEngine(engine);
        Translator translator(&engine);
        translator.overrideLanguage(lang);
        engine.setInitialProperties({{QStringLiteral("session"), QVariant::fromValue(&session)},
                                     {QStringLiteral("translator"), QVariant::fromValue(&translator)}});
        engine.load(QUrl(QString::fromLatin1(kMainQml)));
        if (engine.rootObjects().isEmpty()) return false;
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        window->resize(size.width, size.height);
        window->show();
        settle();
        for (const auto& [key, prepare] : pages) {
            prepare(window);
            settle();
            const QString file = QDir(m_out).filePath(QStringLiteral("%1-%2-%3.png").arg(key, size.name, lang));
            if (!window->grabWindow().save(file)) {
                std::cerr << "cannot write " << file.toStdString() << "\n";
                return false;
            }
            std::cout << file.toStdString() << "\n";
        }
        window->close();
        return true;
    }

private:
    QString m_out;
};

void showPage(QQuickWindow* w, const char* key)
{
    QMetaObject::invokeMethod(w, "showPage", Q_ARG(QVariant, QString::fromLatin1(key)));
}

void call(QQuickWindow* w, const char* method, const std::string& arg)
{
    QMetaObject::invokeMethod(w, method, Q_ARG(QVariant, QString::fromStdString(arg)));
}

// Clicks the first conflict of the list (the detail opens).
void selectFirstConflict(QQuickWindow* w)
{
    showPage(w, "conflicts");
    settle(200);
    auto* list = findItem(w->contentItem(), QStringLiteral("conflictList"));
    QQuickItem* first = nullptr;
    if (list) QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, first), Q_ARG(int, 0));
    if (first) QMetaObject::invokeMethod(first, "clicked");
}

// The Team page with one of its tabs shown (feed, churn, ABC, reassign, export).
void showTeamTab(QQuickWindow* w, int tab)
{
    showPage(w, "team");
    settle(200);
    if (auto* tabs = findItem(w->contentItem(), QStringLiteral("teamViews"))) tabs->setProperty("currentIndex", tab);
}

// Clicks a button of the visible page (a form opens over it).
void clickButton(QQuickWindow* w, const char* name)
{
    if (auto* button = findItem(w->contentItem(), QString::fromLatin1(name))) QMetaObject::invokeMethod(button, "clicked");
}

// Types into a field of the visible page or of an open form.
void typeInto(QQuickWindow* w, const char* name, const QString& text)
{
    if (auto* field = findItem(w->contentItem(), QString::fromLatin1(name))) field->setProperty("text", text);
}

// The new-customer form after "Save" found a likely duplicate (nothing saved).
void newCustomerWithDuplicate(QQuickWindow* w)
{
    showPage(w, "customers");
    settle(200);
    clickButton(w, "newCustomerButton");
    settle(200);
    typeInto(w, "newCustomerName", QStringLiteral("西湖茶业"));
    typeInto(w, "newCustomerPhone", QStringLiteral("0571-8888 2323"));
    typeInto(w, "newContactName", QStringLiteral("陈明"));
    clickButton(w, "saveNewCustomerButton");
}

// The Team page's "return to pool" tab after a preview for 90 days.
void poolPreview(QQuickWindow* w)
{
    showTeamTab(w, 5);
    settle(200);
    typeInto(w, "poolDays", QStringLiteral("90"));
    clickButton(w, "poolPreviewButton");
}

} // namespace

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::cerr << "usage: fieldsync_screenshots OUTDIR\n";
        return 2;
    }
    apptest::prepareTestEnvironment();
    setApplicationIdentity();
    QGuiApplication app(argc, argv);
    configureApplication();
    const QString out = QString::fromLocal8Bit(argv[1]);
    if (!QDir().mkpath(out)) {
        std::cerr << "cannot create " << argv[1] << "\n";
        return 1;
    }

    QTemporaryDir dir;
    const QString db = dir.filePath("lina.db");
    std::string hangzhouId, visitId, plannedId;
    {
        // A customer of lina's nobody has visited for 120 days (written by a
        // clock that says so): the Team page's "return to pool" preview.
        replica::Replica::Options past;
        const int64_t longAgo = QDateTime::currentMSecsSinceEpoch() - 120 * 24 * 3600 * 1000LL;
        past.time = [longAgo] { return longAgo; };
        auto r = replica::Replica::open(db.toStdString(), past);
        replica::Write w;
        w.set("name", std::string("温州瓯江鞋业")).set("level", std::string("C")).set("owner", std::string("lina"));
        w.set("region", std::string("温州"));
        if (!r->create("customer", w)) return 1;
    }
    {
        auto r = replica::Replica::open(db.toStdString());
        auto fixture = apptest::makeConflicts(dir.path().toStdString(), *r, "https://sync.example.com");
        // A customer list: levels, one visited recently, two in the pool.
        struct C {
            const char* name;
            const char* level;
            const char* owner;
            const char* region;
            const char* phone;
        };
        const C list[] = {
            {"上海宏达贸易有限公司", "B", "lina", "上海", "021-5555 0101"},
            {"杭州西湖茶业", "A", "lina", "杭州", "0571-8888 2323"},
            {"南京金陵医药", "C", "lina", "南京", "025-6666 7878"},
            {"苏州工业园区精密制造", "A", "lina", "苏州", "0512-6262 1001"},
            {"武汉长江物流", "D", nullptr, "武汉", "027-8585 3030"},
            {"西安古城文化传媒", "B", nullptr, "西安", "029-8787 4545"},
        };
        std::string visited, shanghai, suzhou;
        for (const auto& c : list) {
            replica::Write w;
            w.set("name", std::string(c.name)).set("level", std::string(c.level));
            w.set("region", std::string(c.region)).set("phone", std::string(c.phone));
            if (c.owner) w.set("owner", std::string(c.owner));
            auto id = r->create("customer", w);
            if (!id) return 1;
            if (std::string(c.name) == "杭州西湖茶业") visited = *id;
            if (std::string(c.name) == "上海宏达贸易有限公司") shanghai = *id;
            if (std::string(c.name) == "苏州工业园区精密制造") suzhou = *id;
        }
        // Annual sales for the ABC classification (苏州 is level A by hand, C by sales).
        for (const auto& [id, sales] : {std::pair{&visited, 1'200'000.0}, std::pair{&shanghai, 300'000.0},
                                        std::pair{&suzhou, 60'000.0}})
            if (!r->update("customer", *id, replica::Write().set("annual_sales", sales))) return 1;
        // The detail page's customer: profile, location, contacts.
        {
            replica::Write w;
            w.set("address", std::string("杭州市西湖区龙井路 18 号")).set("industry", std::string("茶叶"));
            w.set("lifecycle", std::string("repeat")).set("lat", 30.2346).set("lng", 120.1269);
            w.add("tags", "老客户").add("tags", "春茶");
            if (!r->update("customer", visited, w)) return 1;
            replica::Write shLoc;
            shLoc.set("lat", 31.2304).set("lng", 121.4737);
            if (!r->update("customer", shanghai, shLoc)) return 1;
            const struct {
                const char *name, *title, *phone, *email;
                bool primary;
            } contacts[] = {{"陈明", "总经理", "139 5710 2323", "chenming@xihutea.example.com", true},
                            {"周婷", "采购主管", "138 5710 8899", nullptr, false}};
            for (const auto& c : contacts) {
                replica::Write cw;
                cw.set("customer", visited).set("name", std::string(c.name)).set("title", std::string(c.title));
                cw.set("phone", std::string(c.phone));
                if (c.email) cw.set("email", std::string(c.email));
                if (c.primary) cw.set("is_primary", true);
                if (!r->create("contact", cw)) return 1;
            }
        }
        const int64_t now = QDateTime::currentMSecsSinceEpoch(), day = 24 * 3600 * 1000LL;
        // Earlier visits at 杭州西湖茶业: one completed 2 km away (far), the
        // recent one below without a location.
        {
            auto v = domain::planVisit(*r, {visited, now - 12 * day, "春茶订货", "visit", "lina"});
            if (!v || !domain::checkIn(*r, *v, {now - 12 * day, 30.2526, 120.1269, 15.0})) return 1;
            domain::CheckOut done;
            done.at = now - 12 * day + 3600'000;
            done.outcome = "签订春茶订单";
            done.notes = "客户希望四月初到货";
            done.satisfaction = 5;
            done.orderAmount = 36800.0;
            done.nextFollowUp = now - day;  // overdue by a day
            if (!domain::checkOut(*r, *v, done)) return 1;
        }
        // Today: a planned visit, and one in progress at 上海 for the Visit page.
        {
            auto planned = domain::planVisit(*r, {suzhou, now + 3600'000, "设备维护回访", "visit", "lina"});
            if (!planned) return 1;
            plannedId = *planned;
        }
        std::string inProgress;
        {
            auto v = domain::planVisit(*r, {shanghai, now - 1800'000, "年度合同续签", "visit", "lina"});
            if (!v || !domain::checkIn(*r, *v, {now - 600'000, 31.2390, 121.4990, 12.0})) return 1;
            inProgress = *v;
        }
        if (!domain::addTask(*r, {shanghai, "寄送续签合同", now + 2 * day, "lina", ""})) return 1;
        if (!domain::addComplaint(*r, {visited, now - 3 * day, "phone", "high", "上批次茶叶包装破损", "lina"}))
            return 1;
        if (!domain::addComplaint(*r, {shanghai, now - day, "wechat", "low", "发票抬头需要更正", "lina"})) return 1;
        hangzhouId = visited;
        visitId = inProgress;
        replica::Write visit;
        visit.set("customer", visited).set("rep", std::string("lina")).set("kind", std::string("visit"));
        visit.set("checkin_at", QDateTime::currentMSecsSinceEpoch() - 2 * 24 * 3600 * 1000LL);
        visit.set("status", std::string("checked_in"));
        if (!r->create("visit", visit)) return 1;
        apptest::syncThroughHub(*r, *fixture.hub);
        // A change the server refused (a customer that is not lina's) ...
        replica::Write refused;
        refused.set("name", std::string("天津港务集团")).set("level", std::string("A")).set("owner", std::string("zhang"));
        if (!r->create("customer", refused)) return 1;
        apptest::rejectPending(*r, 1);
        // ... and one waiting to be sent.
        replica::Write waiting;
        waiting.set("name", std::string("成都天府餐饮")).set("owner", std::string("lina")).set("level", std::string("B"));
        if (!r->create("customer", waiting)) return 1;
        const auto lastSync = QDateTime(QDate(2026, 11, 20), QTime(9, 30)).toMSecsSinceEpoch();
        r->setSetting(replica::settings::kLastSync, std::to_string(lastSync));
    }
    // The same data on a manager's device, for the Team page.
    const QString managerDb = dir.filePath("zhao.db");
    if (!QFile::copy(db, managerDb)) return 1;
    {
        auto r = replica::Replica::open(managerDb.toStdString());
        r->setSetting(replica::settings::kUser, "zhao");
        r->setSetting(replica::settings::kRole, "manager");
    }
    const QString emptyDb = dir.filePath("new-device.db");

    Session::Options still;
    still.startSync = false;  // no server: the pictures show the offline app
    Session signedIn(db, still), fresh(emptyDb, still), manager(managerDb, still);

    Shooter shooter(out);
    const Size sizes[] = {{"phone", 390, 844}, {"desktop", 1280, 800}};
    for (const char* code : {"zh", "en"}) {
        const QString lang = QString::fromLatin1(code);
        for (const auto& size : sizes) {
            bool ok = shooter.shoot(fresh, lang, size, {{QStringLiteral("signin"), [](QQuickWindow*) {}}});
            ok = ok && shooter.shoot(signedIn, lang, size,
                                     {{QStringLiteral("today"), [](QQuickWindow* w) { showPage(w, "today"); }},
                                      {QStringLiteral("customers"), [](QQuickWindow* w) { showPage(w, "customers"); }},
                                      {QStringLiteral("customer"),
                                       [&](QQuickWindow* w) { call(w, "showCustomer", hangzhouId); }},

                                      {QStringLiteral("complaints"), [](QQuickWindow* w) { showPage(w, "complaints"); }},
                                      {QStringLiteral("conflicts"), [](QQuickWindow* w) { showPage(w, "conflicts"); }},
                                      {QStringLiteral("conflict-detail"), selectFirstConflict},
                                      {QStringLiteral("settings"), [](QQuickWindow* w) { showPage(w, "settings"); }},
                                      {QStringLiteral("rejected"), [](QQuickWindow* w) {
                                           showPage(w, "conflicts");
                                           QMetaObject::invokeMethod(w, "showRejected");
                                       }}});
            ok = ok && shooter.shoot(manager, lang, size,
                                     {{QStringLiteral("team"), [](QQuickWindow* w) { showTeamTab(w, 0); }},
                                      {QStringLiteral("team-abc"), [](QQuickWindow* w) { showTeamTab(w, 2); }},
                                      {QStringLiteral("team-reassign"), [](QQuickWindow* w) { showTeamTab(w, 3); }},
                                      {QStringLiteral("team-export"), [](QQuickWindow* w) { showTeamTab(w, 4); }},
                                      {QStringLiteral("team-pool"), poolPreview}});
            // Forms over the customer page, each in its own window (a modal
            // form stays open over whatever is shown next).
            for (const auto& [key, button] : {std::pair{"customer-edit", "editProfileButton"},
                                              std::pair{"complaint-new", "newComplaintButton"}})
                ok = ok && shooter.shoot(signedIn, lang, size,
                                         {{QString::fromLatin1(key), [&, button = button](QQuickWindow* w) {
                                               call(w, "showCustomer", hangzhouId);
                                               settle(200);
                                               clickButton(w, button);
                                           }}});
            ok = ok && shooter.shoot(signedIn, lang, size, {{QStringLiteral("customer-new"), newCustomerWithDuplicate}});
            // Its own window: the Visit page is a popup over the others.
            ok = ok && shooter.shoot(signedIn, lang, size,
                                     {{QStringLiteral("visit"), [&](QQuickWindow* w) { call(w, "openVisit", visitId); }}});
            ok = ok && shooter.shoot(signedIn, lang, size,
                                     {{QStringLiteral("visit-planned"), [&](QQuickWindow* w) { call(w, "openVisit", plannedId); }}});
            if (!ok) return 1;
        }
    }
    return 0;
}
