#include "AppOptions.h"

#include <QCommandLineParser>

namespace fieldsync::app {

Result<AppOptions> AppOptions::parse(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("fieldsync: offline-first CRM for field sales"));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("Replica file (default: in the data directory)."),
                                QStringLiteral("PATH"));
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Sign in to this server."),
                                    QStringLiteral("URL"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("Sign in as this user."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption passwordStdin(QStringLiteral("password-stdin"),
                                           QStringLiteral("Read the password from standard input (one line)."));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("Language for this run: zh or en."),
                                  QStringLiteral("zh|en"));
    const QCommandLineOption secretsDir(
        QStringLiteral("secrets-dir"),
        QStringLiteral("Keep the replica's key and token in a key file in DIR, not the platform keystore (only for "
                       "machines without one; also FIELDSYNC_SECRETS_DIR)."),
        QStringLiteral("DIR"));
    parser.addOptions({help, db, server, user, passwordStdin, lang, secretsDir});

    if (!parser.parse(arguments)) return invalidArgument(parser.errorText().toStdString());
    if (!parser.positionalArguments().isEmpty())
        return invalidArgument("unexpected argument: " + parser.positionalArguments().first().toStdString());

    AppOptions o;
    o.help = parser.isSet(help);
    o.helpText = parser.helpText();
    o.dbPath = parser.value(db);
    o.server = parser.value(server);
    o.user = parser.value(user);
    o.passwordStdin = parser.isSet(passwordStdin);
    o.lang = parser.value(lang);
    o.secretsDir = parser.value(secretsDir);
    if (parser.isSet(secretsDir) && o.secretsDir.isEmpty()) return invalidArgument("--secrets-dir needs a folder");
    if (parser.isSet(db) && o.dbPath.isEmpty()) return invalidArgument("--db needs a file path");
    if (!o.lang.isEmpty() && o.lang != QLatin1String("zh") && o.lang != QLatin1String("en"))
        return invalidArgument("--lang must be zh or en, not " + o.lang.toStdString());
    if (o.server.isEmpty() != o.user.isEmpty()) return invalidArgument("--server and --user go together");
    if (o.signInRequested() && !o.passwordStdin)
        return invalidArgument("--server and --user need --password-stdin (the password is never an argument)");
    if (o.passwordStdin && !o.signInRequested()) return invalidArgument("--password-stdin needs --server and --user");
    return o;
}

} // namespace fieldsync::app
