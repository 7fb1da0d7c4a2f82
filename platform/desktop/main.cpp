// fieldsync-app: the desktop entry point (docs/app.md). Parses the command
// line (AppOptions), opens the session on the replica, optionally signs in
// with a password read from standard input, and shows Main.qml.
#include "AppOptions.h"
#include "AppSetup.h"
#include "DataDirectory.h"
#include "Session.h"
#include "Translator.h"

#include <QGuiApplication>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <cstdio>
#include <iostream>
#include <string>

Q_IMPORT_QML_PLUGIN(FieldSyncPlugin)

using namespace fieldsync::app;

int main(int argc, char* argv[])
{
    setApplicationIdentity();
    QGuiApplication app(argc, argv);
    auto options = AppOptions::parse(QCoreApplication::arguments());
    if (!options) {
        std::cerr << "fieldsync-app: " << options.error().message << "\n";
        return 2;
    }
    if (options->help) {
        std::cout << options->helpText.toStdString();
        return 0;
    }
    std::string password;
    if (options->passwordStdin && !std::getline(std::cin, password)) {
        std::cerr << "fieldsync-app: no password on standard input\n";
        return 2;
    }

    configureApplication();
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/fieldsync.svg")));

    QString db = options->dbPath;
    try {
        if (db.isEmpty()) db = DataDirectory::defaultDatabase();
    } catch (const std::exception& e) {
        std::cerr << "fieldsync-app: " << e.what() << "\n";
        return 1;
    }

    QQmlApplicationEngine engine;
    prepareEngine(engine);
    Translator translator(&engine);
    if (!options->lang.isEmpty()) translator.overrideLanguage(options->lang);

    std::unique_ptr<Session> session;
    try {
        Session::Options sessionOptions;
        sessionOptions.secretsDir = options->secretsDir;
        session = std::make_unique<Session>(db, sessionOptions);
    } catch (const std::exception& e) {
        std::cerr << "fieldsync-app: cannot open " << db.toStdString() << ": " << e.what() << "\n";
        return 1;
    }
    if (options->signInRequested()) {
        // Already signed in there as that user: no need (and maybe no network).
        const bool same = session->signedIn() && session->user() == options->user
            && session->server() == options->server.chopped(options->server.endsWith(u'/') ? 1 : 0);
        if (!same) {
            QObject::connect(session.get(), &Session::signInFinished, [&](bool ok) {
                if (!ok) std::cerr << "fieldsync-app: sign-in failed: " << session->errorText().toStdString() << "\n";
            });
            session->signIn(options->server, options->user, QString::fromStdString(password));
        }
        password.assign(password.size(), '\0');
    }

    engine.setInitialProperties({{QStringLiteral("session"), QVariant::fromValue(session.get())},
                                 {QStringLiteral("translator"), QVariant::fromValue(&translator)}});
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    engine.load(QUrl(QString::fromLatin1(kMainQml)));
    if (engine.rootObjects().isEmpty()) return 1;
    const int code = QGuiApplication::exec();
    // The window goes first: QML must not outlive the session it shows.
    engine.deleteLater();
    return code;
}
