#include "PokeListener.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QWebSocket>

namespace fieldsync::app {

namespace {
constexpr int kFirstDelayMs = 2000;
constexpr int kMaxDelayMs = 120000;
} // namespace

PokeListener::PokeListener(QObject* parent) : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &PokeListener::connectNow);
}

PokeListener::~PokeListener()
{
    close();
}

QUrl PokeListener::socketUrl(const QString& server)
{
    QUrl url(server);
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(url.path() + QStringLiteral("/v1/ws"));
    return url;
}

void PokeListener::open(const QString& server, const QString& token)
{
    close();
    m_server = server;
    m_token = token;
    m_wanted = true;
    m_delayMs = kFirstDelayMs;
    connectNow();
}

void PokeListener::close()
{
    m_wanted = false;
    m_retry.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_connected) {
        m_connected = false;
        emit connectedChanged(false);
    }
}

void PokeListener::connectNow()
{
    if (!m_wanted) return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_delayMs = kFirstDelayMs;
        m_connected = true;
        emit connectedChanged(true);
        emit poked();
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_connected) {
            m_connected = false;
            emit connectedChanged(false);
        }
        scheduleRetry();
    });
    // A refused connection may report only an error, not a disconnect.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (!m_connected) scheduleRetry();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        const QJsonObject msg = QJsonDocument::fromJson(text.toUtf8()).object();
        if (msg.value(QLatin1String("type")).toString() == QLatin1String("changes")) emit poked();
    });
    QNetworkRequest request(socketUrl(m_server));
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_socket->open(request);
}

void PokeListener::scheduleRetry()
{
    if (!m_wanted || m_retry.isActive()) return;
    m_retry.start(m_delayMs);
    m_delayMs = std::min(m_delayMs * 2, kMaxDelayMs);
}

} // namespace fieldsync::app
