#include "SyncMonitor.h"

#include "Connectivity.h"

namespace fieldsync::app {

SyncMonitor::SyncMonitor(QString databasePath, Connectivity* connectivity, std::function<LocalCounts()> counts,
                         std::shared_ptr<client::SecretStore> secrets, Options options, QObject* parent)
    : QObject(parent),
      m_path(databasePath.toStdString()),
      m_connectivity(connectivity),
      m_countsFn(std::move(counts)),
      m_secrets(std::move(secrets)),
      m_options(std::move(options))
{
    m_counts = m_countsFn();
    connect(m_connectivity, &Connectivity::reachableChanged, this, &SyncMonitor::statusChanged);
    connect(m_connectivity, &Connectivity::reconnected, this, [this] {
        if (m_engine) m_engine->reconnect();
    });
}

SyncMonitor::~SyncMonitor()
{
    stop();
}

void SyncMonitor::start(const QString& server, const QString& token, const QString& caFile,
                        TransportFactory transport)
{
    stop();
    m_engine = std::make_unique<client::SyncEngine>(m_path, transport(), m_secrets, m_options.engine);
    // Worker thread: copy and hand over to the GUI thread, nothing else.
    m_engine->onStatus([this](const client::SyncStatus& status) {
        QMetaObject::invokeMethod(this, [this, status] { apply(status); }, Qt::QueuedConnection);
    });
    m_state = client::SyncState::Idle;
    m_error.clear();
    m_engine->start();
    if (m_options.listenForPokes) {
        client::PokeListener::Options o;
        o.caFile = caFile.toStdString();
        // Listener thread. The engine outlives the listener (stop() stops the
        // listener first), so poking it directly is safe.
        client::SyncEngine* engine = m_engine.get();
        m_pokes = std::make_unique<client::PokeListener>(
            server.toStdString(), token.toStdString(), [engine](uint64_t) { engine->poke(); },
            [this](bool connected, const std::string&) {
                QMetaObject::invokeMethod(
                    this,
                    [this, connected] {
                        if (!m_pokes || m_pokesConnected == connected) return;
                        m_pokesConnected = connected;
                        emit statusChanged();
                    },
                    Qt::QueuedConnection);
            },
            o);
        m_pokes->start();
    }
    emit statusChanged();
}

void SyncMonitor::stop()
{
    // Listener first: no callback runs after its stop(), so none reaches a
    // stopped engine.
    if (m_pokes) {
        m_pokes->stop();
        m_pokes.reset();
    }
    m_pokesConnected = false;
    if (!m_engine) return;
    m_engine->stop();
    m_engine.reset();
    m_state = client::SyncState::Idle;
    m_error.clear();
    emit statusChanged();
}

bool SyncMonitor::online() const
{
    return m_connectivity->reachable() && running() && m_state != client::SyncState::Offline;
}

QString SyncMonitor::state() const
{
    if (!running()) return QStringLiteral("stopped");
    return QString::fromUtf8(client::syncStateName(m_state).data());
}

QDateTime SyncMonitor::lastSync() const
{
    const int64_t ms = std::max(m_counts.lastSync, m_engineLastSync);
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms) : QDateTime();
}

void SyncMonitor::syncNow()
{
    if (m_engine) m_engine->poke();
}

void SyncMonitor::localWrite()
{
    refreshCounts();
    if (m_engine) m_engine->requestSync();
}

void SyncMonitor::refreshCounts()
{
    m_counts = m_countsFn();
    emit statusChanged();
}

void SyncMonitor::apply(const client::SyncStatus& status)
{
    if (!m_engine) return;  // a report from before stop()
    const bool ended = m_state == client::SyncState::Syncing && status.state != client::SyncState::Syncing;
    m_state = status.state;
    m_engineLastSync = status.lastSync;
    m_error = QString::fromStdString(status.lastError);
    if (ended) {
        m_counts = m_countsFn();
        emit statusChanged();
        emit syncFinished();
        return;
    }
    emit statusChanged();
}

QString SyncMonitor::pendingSummary() const
{
    if (m_counts.pending == 0) return tr("Nothing waiting");
    // In the order a rep thinks of them; by rows, not writes.
    auto rows = [&](const char* entity) {
        auto it = m_counts.pendingRows.find(entity);
        return it == m_counts.pendingRows.end() ? 0 : static_cast<int>(it->second);
    };
    QStringList parts;
    if (int n = rows("visit")) parts << tr("%n visit(s)", "", n);
    if (int n = rows("task")) parts << tr("%n follow-up(s)", "", n);
    if (int n = rows("customer")) parts << tr("%n customer(s)", "", n);
    if (int n = rows("contact")) parts << tr("%n contact(s)", "", n);
    if (int n = rows("complaint")) parts << tr("%n complaint(s)", "", n);
    if (int n = rows("photo")) parts << tr("%n photo(s)", "", n);
    if (int n = rows("conflict")) parts << tr("%n conflict(s) resolved", "", n);
    if (rows("team_config")) parts << tr("team settings");
    if (parts.isEmpty()) return tr("%n change(s) waiting", "", static_cast<int>(m_counts.pending));
    //: "1 visit, 1 follow-up waiting"
    return tr("%1 waiting").arg(parts.join(tr(", ")));
}

} // namespace fieldsync::app
