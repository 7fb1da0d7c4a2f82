// Session: who is signed in on this device, and the replica the UI reads.
//
// One Session per app window. It owns
//  - the UI's Replica on the database file (GUI thread only; the sync
//    engine opens its own connection to the same file on its worker),
//  - the SyncMonitor (engine + status) and the Connectivity adapter.
//
// The replica is encrypted with its own key; the key and the device token
// live in a SecretStore (SecretStores.h: the platform keystore, or by opt-in
// a key file), never in the replica. Signed in = the store holds a token:
// the app then opens straight to the main page and works offline; the first
// sign-in needs the server. Sign-in and the push before sign-out run on a worker
// thread of this object (never on the GUI thread) and report back with
// queued calls; the destructor waits for them.
//
// Sign-out wipes the local replica (the file and its -wal/-shm) with its key
// and token (client::wipeReplica), so the next user of the device starts
// clean with a new key. Before that it pushes the pending changes;
// if some cannot be pushed (offline, refused), it stops and emits
// signOutNeedsConfirmation; signOutDiscardingUnsynced() then wipes anyway.
// Before wiping it asks the server to revoke the token (POST /v1/logout, at
// most kSignOutRevokeTimeout); if the server cannot be told, the wipe goes
// ahead (the token goes with the file).
//
// If the server revokes this device's sign-in (401 `revoked`: signed out by
// an administrator, a lost phone), the engine stops, the device is wiped
// like a sign-out (both connections closed first: the engine's, then the
// UI's), and the app shows the sign-in page with errorText saying that the
// device was signed out and its data removed, with the unsynced changes lost.
#pragma once

#include "SecretStores.h"
#include "SyncMonitor.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtQml/qqmlregistration.h>
#include <memory>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::app {

class Connectivity;

} // namespace fieldsync::app
Q_MOC_INCLUDE("Connectivity.h")
namespace fieldsync::app {

class Session : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("created by the application")
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY identityChanged)
    Q_PROPERTY(QString user READ user NOTIFY identityChanged)
    Q_PROPERTY(QString role READ role NOTIFY identityChanged)
    Q_PROPERTY(QString team READ team NOTIFY identityChanged)
    Q_PROPERTY(QString server READ server NOTIFY identityChanged)
    Q_PROPERTY(bool isManager READ isManager NOTIFY identityChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(fieldsync::app::SyncMonitor* sync READ sync CONSTANT)
    Q_PROPERTY(fieldsync::app::Connectivity* connectivity READ connectivity CONSTANT)
    Q_PROPERTY(QString databasePath READ databasePath CONSTANT)

public:
    struct Options {
        SyncMonitor::Options sync;
        // Default: CurlTransport (with the replica's "ca_file" setting).
        std::function<std::shared_ptr<client::Transport>(replica::Replica&)> transport;
        bool startSync = true;  // false: the engine never starts (screenshots)
        // Where the key and token live; default: appSecretStore(path, secretsDir).
        std::shared_ptr<client::SecretStore> secrets;
        QString secretsDir;  // the opt-in key file folder (--secrets-dir)
        // A plain replica, never encrypted (client::OpenOptions::plaintext):
        // only for measuring what the encryption costs (tests/app/AppBench);
        // the app itself never sets it.
        bool plaintext = false;
    };

    Session(QString databasePath, Options options, QObject* parent = nullptr);
    explicit Session(QString databasePath, QObject* parent = nullptr);
    ~Session() override;

    bool signedIn() const { return !m_token.isEmpty(); }
    QString user() const { return m_user; }
    QString role() const { return m_role; }
    QString team() const { return m_team; }
    QString server() const { return m_server; }
    bool isManager() const;
    bool busy() const { return m_busy; }
    QString errorText() const { return m_error; }
    SyncMonitor* sync() const { return m_sync; }
    Connectivity* connectivity() const { return m_connectivity; }
    QString databasePath() const { return m_path; }

    // The UI's replica (GUI thread only). Replaced by a sign-out: do not keep
    // the reference across event-loop turns.
    replica::Replica& replica() { return *m_replica; }

    Q_INVOKABLE void signIn(const QString& server, const QString& user, const QString& password);
    Q_INVOKABLE void signOut();
    Q_INVOKABLE void signOutDiscardingUnsynced();
    // Models call this after every local write they make.
    void localWriteDone();

signals:
    void identityChanged();
    void busyChanged();
    void errorTextChanged();
    void signInFinished(bool ok);
    // Sign-out stopped: `pending` changes could not be pushed (why: `reason`).
    void signOutNeedsConfirmation(int pending, const QString& reason);
    void signedOut();
    // The replica's rows may have changed (a sync ended, a local write, a
    // wipe): models reload.
    void dataChanged();

private:
    void openReplica();
    void readIdentity();
    void startSync();
    void setBusy(bool busy);
    void setError(const QString& text);
    void finishSignIn(const QString& error);
    void finishPushBeforeSignOut(int pending, const QString& error);
    void revokeThenWipe();
    void wipe();
    void wipeRevoked();
    std::shared_ptr<client::Transport> transportFor(replica::Replica& r);

    const QString m_path;
    Options m_options;
    std::shared_ptr<client::SecretStore> m_secrets;
    std::unique_ptr<replica::Replica> m_replica;
    Connectivity* m_connectivity = nullptr;
    SyncMonitor* m_sync = nullptr;
    QThreadPool m_workers;
    QString m_user, m_role, m_team, m_server, m_token;
    bool m_busy = false;
    QString m_error;
};

// A message for the user about a failed sign-in or sync (translated).
QString describeError(const Error& error);

} // namespace fieldsync::app
