// SyncMonitor: the sync status the app shows at all times, and the sync
// engine (client::SyncEngine) behind it.
//
// Threading: the engine syncs on its own worker thread and reports through
// callbacks on that thread. Each callback only copies the status and posts
// it to this object's (GUI) thread as a queued call; nothing here ever waits
// for the worker except stop(), which joins it (at most about a second,
// CurlTransport abandons a running request). If this object is gone when a
// queued call arrives, Qt drops the call.
//
// Counts come from the UI's own replica (LocalCounts, read on the GUI
// thread) rather than from the engine's report, so a local write shows up in
// the pending count at once, not after the next sync.
//
// What wakes the engine: localWrite() (requestSync: debounced), syncNow() and
// the server's WebSocket poke (poke: at once, ending any backoff), the
// network coming back (reconnect).
//
// Pokes come from the core's client::PokeListener (the same one as
// `fieldsync sync --watch`: Beast, ws/wss with the stored CA file, reconnect
// with backoff, one poke after each reconnect). Its callbacks run on its own
// thread: a poke goes straight to SyncEngine::poke() (thread-safe), a state
// change is posted here as a queued call like the engine's reports.
#pragma once

#include "sync/PokeListener.h"
#include "sync/SyncEngine.h"
#include "sync/Transport.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <map>
#include <memory>

namespace fieldsync::app {

class Connectivity;

struct LocalCounts {
    size_t pending = 0;
    std::map<std::string, size_t> pendingRows;  // Replica::pendingRows
    size_t rejected = 0;
    int64_t lastSync = 0;  // ms; 0 = never
};

class SyncMonitor : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by the Session")
    Q_PROPERTY(bool running READ running NOTIFY statusChanged)
    Q_PROPERTY(bool online READ online NOTIFY statusChanged)
    Q_PROPERTY(bool syncing READ syncing NOTIFY statusChanged)
    Q_PROPERTY(QString state READ state NOTIFY statusChanged)  // stopped|idle|syncing|offline|error|revoked
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY statusChanged)
    // What waits, as the user did it: "1 visit, 1 follow-up waiting";
    // "Nothing waiting".
    Q_PROPERTY(QString pendingSummary READ pendingSummary NOTIFY statusChanged)
    Q_PROPERTY(int rejectedCount READ rejectedCount NOTIFY statusChanged)
    Q_PROPERTY(QDateTime lastSync READ lastSync NOTIFY statusChanged)  // invalid: never
    Q_PROPERTY(QString errorText READ errorText NOTIFY statusChanged)
    Q_PROPERTY(bool pokesConnected READ pokesConnected NOTIFY statusChanged)

public:
    using TransportFactory = std::function<std::shared_ptr<client::Transport>()>;
    struct Options {
        client::SyncEngine::Options engine;
        bool listenForPokes = true;
    };

    SyncMonitor(QString databasePath, Connectivity* connectivity, std::function<LocalCounts()> counts,
                std::shared_ptr<client::SecretStore> secrets, Options options, QObject* parent = nullptr);
    ~SyncMonitor() override;

    // Starts the engine against `server` with `token` (the replica's own
    // settings; the engine reads them itself on every sync). `caFile`: the
    // extra CA bundle for wss:// pokes (the replica's "ca_file"; may be empty).
    void start(const QString& server, const QString& token, const QString& caFile, TransportFactory transport);
    // Joins the engine's worker; no sync runs on the file after it returns.
    void stop();

    bool running() const { return m_engine != nullptr; }
    bool online() const;
    bool syncing() const { return m_state == client::SyncState::Syncing && running(); }
    // The server revoked this device's sign-in: the engine has stopped for good.
    bool revoked() const { return m_state == client::SyncState::Revoked && running(); }
    QString state() const;
    int pendingCount() const { return static_cast<int>(m_counts.pending); }
    QString pendingSummary() const;
    int rejectedCount() const { return static_cast<int>(m_counts.rejected); }
    QDateTime lastSync() const;
    QString errorText() const { return m_error; }
    bool pokesConnected() const { return m_pokesConnected; }

    // Sync now: ends a backoff, skips the debounce.
    Q_INVOKABLE void syncNow();
    // A local write was saved: recount and schedule a (debounced) sync.
    void localWrite();
    // Re-reads the counts from the UI replica.
    void refreshCounts();

signals:
    void statusChanged();
    // A sync ended (successfully or not): rows may have changed.
    void syncFinished();

private:
    void apply(const client::SyncStatus& status);

    const std::string m_path;
    Connectivity* m_connectivity;
    std::function<LocalCounts()> m_countsFn;
    std::shared_ptr<client::SecretStore> m_secrets;
    Options m_options;
    std::unique_ptr<client::SyncEngine> m_engine;
    std::unique_ptr<client::PokeListener> m_pokes;
    bool m_pokesConnected = false;
    client::SyncState m_state = client::SyncState::Idle;
    LocalCounts m_counts;
    int64_t m_engineLastSync = 0;
    QString m_error;
};

} // namespace fieldsync::app
