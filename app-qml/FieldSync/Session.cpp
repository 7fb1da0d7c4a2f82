#include "Session.h"

#include "Connectivity.h"
#include "domain/Actor.h"
#include "replica/Replica.h"
#include "replica/SettingKeys.h"
#include "sync/CurlTransport.h"
#include "sync/Secrets.h"
#include "sync/SyncClient.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>
#include <chrono>

namespace fieldsync::app {

namespace {

client::OpenOptions openOptions(bool plaintext)
{
    client::OpenOptions o;
    o.plaintext = plaintext;
    return o;
}

namespace settings = replica::settings;

// The CLI's setting for a private CA (platform/cli, login --ca-file).
constexpr std::string_view kCaFileSetting = "ca_file";
// How long sign-out tries to push before asking the user.
constexpr std::chrono::seconds kSignOutPushTimeout{20};
// How long sign-out waits for the server to revoke the token before wiping anyway.
constexpr std::chrono::seconds kSignOutRevokeTimeout{5};

QString settingOf(replica::Replica& r, std::string_view key)
{
    auto v = r.setting(key);
    return v ? QString::fromStdString(*v) : QString();
}

QString deviceName()
{
    const QString host = QSysInfo::machineHostName();
    return host.isEmpty() ? QStringLiteral("fieldsync app") : host;
}

} // namespace

QString describeError(const Error& error)
{
    const QString detail = QString::fromStdString(error.message);
    switch (error.code) {
    case ErrorCode::Unauthenticated:
        return QCoreApplication::translate("Session", "Wrong user name or password.");
    case ErrorCode::Revoked:
        return QCoreApplication::translate("Session", "This device was signed out by the server (by an administrator, "
                                                      "or a sign-out elsewhere). Sign in again.");
    case ErrorCode::Unavailable:
        return QCoreApplication::translate("Session", "Cannot reach the server (%1). Check the address and the "
                                                      "network.").arg(detail);
    case ErrorCode::InvalidArgument:
        return QCoreApplication::translate("Session", "Invalid input: %1").arg(detail);
    case ErrorCode::ResourceExhausted:
        return QCoreApplication::translate("Session", "Too many attempts; try again later (%1).").arg(detail);
    case ErrorCode::FailedPrecondition:
        return QCoreApplication::translate("Session", "Refused: %1").arg(detail);
    case ErrorCode::PermissionDenied:
        return QCoreApplication::translate("Session", "Not allowed: %1").arg(detail);
    case ErrorCode::NotFound:
    case ErrorCode::Internal:
        break;
    }
    return QCoreApplication::translate("Session", "Error: %1").arg(detail);
}

Session::Session(QString databasePath, QObject* parent) : Session(std::move(databasePath), Options{}, parent) {}

Session::Session(QString databasePath, Options options, QObject* parent)
    : QObject(parent), m_path(std::move(databasePath)), m_options(std::move(options))
{
    m_workers.setMaxThreadCount(1);
    m_secrets = m_options.secrets ? m_options.secrets : appSecretStore(m_path, m_options.secretsDir);
    openReplica();
    m_connectivity = new Connectivity(this);
    m_sync = new SyncMonitor(
        m_path, m_connectivity,
        [this] {
            LocalCounts c;
            c.pending = m_replica->pendingCount();
            c.pendingRows = m_replica->pendingRows();
            c.rejected = m_replica->rejected().size();
            const QString last = settingOf(*m_replica, settings::kLastSync);
            c.lastSync = last.toLongLong();
            return c;
        },
        m_secrets, m_options.sync, this);
    connect(m_sync, &SyncMonitor::syncFinished, this, [this] {
        if (m_sync->revoked()) {
            // The token is gone (SyncClient forgot it): stop for good, wipe
            // the device and send the user to the sign-in page, saying why.
            wipeRevoked();
            return;
        }
        readIdentity();  // the engine may have found the token revoked; re-read
        emit dataChanged();
    });
    readIdentity();
    startSync();
}

Session::~Session()
{
    m_workers.waitForDone();
    m_sync->stop();
}

bool Session::isManager() const
{
    auto role = domain::roleFromString(m_role.toStdString());
    return role && *role != domain::Role::Rep;
}

void Session::openReplica()
{
    m_replica = client::openReplica(m_path.toStdString(), *m_secrets, openOptions(m_options.plaintext));
}

void Session::readIdentity()
{
    const QString user = settingOf(*m_replica, settings::kUser), role = settingOf(*m_replica, settings::kRole),
                  team = settingOf(*m_replica, settings::kTeam), server = settingOf(*m_replica, settings::kServer);
    QString token;
    try {
        token = QString::fromStdString(m_secrets->token().value_or(std::string()));
    } catch (const client::SecretsError& e) {
        setError(describeError(Error{ErrorCode::FailedPrecondition, e.what()}));
    }
    if (user == m_user && role == m_role && team == m_team && server == m_server && token == m_token) return;
    m_user = user;
    m_role = role;
    m_team = team;
    m_server = server;
    m_token = token;
    emit identityChanged();
}

std::shared_ptr<client::Transport> Session::transportFor(replica::Replica& r)
{
    if (m_options.transport) return m_options.transport(r);
    client::CurlTransport::Options o;
    if (auto ca = r.setting(kCaFileSetting)) o.caFile = *ca;
    return std::make_shared<client::CurlTransport>(o);
}

void Session::startSync()
{
    if (!m_options.startSync || !signedIn()) return;
    // The transport is made now, on the GUI thread, from the UI's replica.
    auto transport = transportFor(*m_replica);
    const QString caFile = QString::fromStdString(m_replica->setting(kCaFileSetting).value_or(std::string()));
    m_sync->start(m_server, m_token, caFile, [transport] { return transport; });
}

void Session::setBusy(bool busy)
{
    if (m_busy == busy) return;
    m_busy = busy;
    emit busyChanged();
}

void Session::setError(const QString& text)
{
    if (m_error == text) return;
    m_error = text;
    emit errorTextChanged();
}

void Session::signIn(const QString& server, const QString& user, const QString& password)
{
    if (m_busy) return;
    auto url = client::normalizeServerUrl(server.trimmed().toStdString());
    if (!url) {
        setError(tr("The server address must start with http:// or https://"));
        emit signInFinished(false);
        return;
    }
    if (!client::requireSecureServer(*url)) {
        // Before the password goes anywhere.
        setError(tr("Use the server's https:// address: plain http:// is only for a server on this device."));
        emit signInFinished(false);
        return;
    }
    if (user.trimmed().isEmpty() || password.isEmpty()) {
        setError(tr("Enter your user name and password."));
        emit signInFinished(false);
        return;
    }
    setError({});
    setBusy(true);
    auto transport = transportFor(*m_replica);
    const std::string path = m_path.toStdString(), name = deviceName().toStdString();
    m_workers.start([this, transport, path, name, url = *url, u = user.trimmed().toStdString(),
                     p = password.toStdString(), secrets = m_secrets, plaintext = m_options.plaintext] {
        QString error;
        try {
            auto r = client::openReplica(path, *secrets, openOptions(plaintext));
            client::SyncClient c(*r, *transport, *secrets);
            auto info = c.login(url, u, p, name);
            if (!info) error = describeError(info.error());
        } catch (const std::exception& e) {
            error = describeError(Error{ErrorCode::Internal, e.what()});
        }
        QMetaObject::invokeMethod(this, [this, error] { finishSignIn(error); }, Qt::QueuedConnection);
    });
}

void Session::finishSignIn(const QString& error)
{
    setBusy(false);
    setError(error);
    readIdentity();
    if (error.isEmpty()) {
        startSync();
        emit dataChanged();
    }
    emit signInFinished(error.isEmpty());
}

void Session::signOut()
{
    if (m_busy) return;
    setError({});
    setBusy(true);
    // No other sync may run on the file while this one pushes.
    m_sync->stop();
    auto transport = transportFor(*m_replica);
    const std::string path = m_path.toStdString();
    m_workers.start([this, transport, path, secrets = m_secrets, plaintext = m_options.plaintext] {
        int pending = 0;
        QString error;
        try {
            auto r = client::openReplica(path, *secrets, openOptions(plaintext));
            {
                client::SyncClient c(*r, *transport, *secrets);
                if (c.signedIn()) {
                    auto done = c.syncUntilDone(std::chrono::steady_clock::now() + kSignOutPushTimeout);
                    if (!done) error = describeError(done.error());
                }
            }
            pending = static_cast<int>(r->pendingCount());
            if (pending > 0 && error.isEmpty()) error = tr("The server did not accept every change.");
            if (pending == 0) {
                // Nothing is lost by signing out: the server revokes the token first.
                client::SyncClient::Options o;
                o.requestTimeout = kSignOutRevokeTimeout;
                (void)client::SyncClient(*r, *transport, *secrets, o).logout();
            }
        } catch (const std::exception& e) {
            error = describeError(Error{ErrorCode::Internal, e.what()});
            pending = -1;
        }
        QMetaObject::invokeMethod(this, [this, pending, error] { finishPushBeforeSignOut(pending, error); },
                                  Qt::QueuedConnection);
    });
}

void Session::finishPushBeforeSignOut(int pending, const QString& error)
{
    setBusy(false);
    m_sync->refreshCounts();
    if (pending == 0) {
        wipe();
        return;
    }
    // Unsynced work would be lost: ask first, and keep syncing meanwhile.
    startSync();
    emit signOutNeedsConfirmation(std::max(pending, 0), error);
}

void Session::signOutDiscardingUnsynced()
{
    if (m_busy) return;
    setBusy(true);
    m_sync->stop();
    revokeThenWipe();
}

void Session::revokeThenWipe()
{
    auto transport = transportFor(*m_replica);
    const std::string path = m_path.toStdString();
    m_workers.start([this, transport, path, secrets = m_secrets, plaintext = m_options.plaintext] {
        try {
            auto r = client::openReplica(path, *secrets, openOptions(plaintext));
            client::SyncClient::Options o;
            o.requestTimeout = kSignOutRevokeTimeout;
            (void)client::SyncClient(*r, *transport, *secrets, o).logout();  // unreachable: the wipe goes ahead
        } catch (const std::exception&) {
        }
        QMetaObject::invokeMethod(this, [this] {
            setBusy(false);
            wipe();
        }, Qt::QueuedConnection);
    });
}

void Session::wipe()
{
    // Both connections closed first: the engine's (joined), then the UI's.
    m_sync->stop();
    m_replica.reset();
    QString failed;
    try {
        client::wipeReplica(m_path.toStdString(), *m_secrets);
    } catch (const std::exception& e) {
        failed = QString::fromStdString(e.what());
    }
    // A new, empty replica with a new key for whoever signs in next.
    openReplica();
    setError(failed.isEmpty() ? QString() : tr("Could not remove this device's data: %1").arg(failed));
    readIdentity();
    m_sync->refreshCounts();
    emit dataChanged();
    emit signedOut();
}

void Session::wipeRevoked()
{
    const int lost = static_cast<int>(m_replica->pendingCount());
    wipe();
    if (!m_error.isEmpty()) return;  // the wipe failed: that is what the user must see
    setError(lost > 0 ? tr("This device was signed out by the server, and its data was removed from this device; "
                           "%n unsynced change(s) were lost. Sign in again.", nullptr, lost)
                      : tr("This device was signed out by the server, and its data was removed from this device. "
                           "Sign in again."));
}

void Session::localWriteDone()
{
    m_sync->localWrite();
    emit dataChanged();
}

} // namespace fieldsync::app
