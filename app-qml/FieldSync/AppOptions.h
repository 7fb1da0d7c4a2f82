// AppOptions: the command line of fieldsync-app.
//
//   fieldsync-app [--db PATH] [--server URL --user NAME --password-stdin] [--lang zh|en]
//                 [--secrets-dir DIR]
//
//   --db              the replica file; default: fieldsync.db in the data
//                     directory (DataDirectory)
//   --server/--user   sign in without the sign-in page; the password is read
//   --password-stdin  as one line from standard input (never from argv, where
//                     other users could read it). Skipped when the replica is
//                     already signed in as that user on that server.
//   --lang            overrides the language for this run (not saved)
//   --secrets-dir     keep the replica's key and token in a 0600 key file in
//                     DIR instead of the platform keystore: only for machines
//                     without one (also FIELDSYNC_SECRETS_DIR; SecretStores.h)
//
// Parsing is separate from the shell so tests check it without a window.
#pragma once

#include "base/Result.h"

#include <QString>
#include <QStringList>

namespace fieldsync::app {

struct AppOptions {
    QString dbPath;        // empty: the default in the data directory
    QString server, user;  // both set, or both empty
    bool passwordStdin = false;
    QString lang;          // "", "zh" or "en"
    QString secretsDir;    // "": the platform keystore
    bool help = false;
    QString helpText;

    bool signInRequested() const { return !server.isEmpty(); }

    // argv as QCoreApplication::arguments() gives it (program name first).
    static Result<AppOptions> parse(const QStringList& arguments);
};

} // namespace fieldsync::app
