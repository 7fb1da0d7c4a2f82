// PokeListener: the server's change notifications (docs/api.md, GET /v1/ws).
//
// Keeps one WebSocket open to <server>/v1/ws (ws:// or wss:// after the
// server's scheme), authenticated with the device token. Every text frame
// {"type":"changes", ...} emits poked(); the app then asks the sync engine to
// sync now. Connecting (first time or again) also emits poked(): notifications
// sent while the socket was down were missed. A closed socket is reopened
// after a delay that doubles from 2 s up to 2 minutes, and reset on success.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace fieldsync::app {

class PokeListener : public QObject {
    Q_OBJECT

public:
    explicit PokeListener(QObject* parent = nullptr);
    ~PokeListener() override;

    // Starts (or restarts) listening. `server` is the base URL (http/https).
    void open(const QString& server, const QString& token);
    void close();
    bool connected() const { return m_connected; }
    // The ws:// or wss:// URL for a server base URL.
    static QUrl socketUrl(const QString& server);

signals:
    void poked();
    void connectedChanged(bool connected);

private:
    void connectNow();
    void scheduleRetry();

    QWebSocket* m_socket = nullptr;
    QTimer m_retry;
    QString m_server, m_token;
    int m_delayMs = 2000;
    bool m_wanted = false;
    bool m_connected = false;
};

} // namespace fieldsync::app
