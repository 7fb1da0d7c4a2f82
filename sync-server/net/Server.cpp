// The network layer, after Beast's examples (advanced server flex, chat
// multi) written with C++20 coroutines:
//
//   Listener         accept loop (a coroutine on the acceptor's strand)
//   HttpSession      one per connection: optional TLS handshake, then HTTP/1.1
//                    requests in a loop; hands /v1/ws upgrades to
//   WebSocketSession one per WebSocket: a read loop (a coroutine) and a write
//                    queue with one write in flight (callbacks)
//   SessionRegistry  the hub: every live session by weak pointer, WebSockets
//                    by user; fans pokes out and finds everyone to shut down
//
// Every connection lives on its own strand, so a session's members are only
// touched there; other threads (poke, stop) post to it. The whole of Beast and
// Asio is in this one translation unit, which is slow to compile: keep it so.
#include "net/Server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_map>

namespace fieldsync::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

constexpr std::string_view kWebSocketPath = "/v1/ws";
constexpr uint32_t kHeaderLimit = 16 * 1024;          // request line and headers
constexpr size_t kMaxClientMessage = 4 * 1024;        // devices send nothing but pings
constexpr auto kDrainTime = std::chrono::seconds(2);  // see HttpSession::close
constexpr size_t kDrainMax = 64 * 1024 * 1024;
constexpr auto kTlsShutdownTime = std::chrono::milliseconds(250);

// ------------------------------------------------------------------ helpers

auto redirect(beast::error_code& ec)
{
    return net::redirect_error(net::use_awaitable, ec);
}

// Completion handler for co_spawn: a coroutine's escaping exception is logged
// rather than lost (net::detached would drop it).
auto logExceptions(const char* what)
{
    return [what](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            spdlog::warn("{}: {}", what, x.what());
        } catch (...) {
            spdlog::warn("{}: unknown exception", what);
        }
    };
}

std::string jsonEscape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

// The API's error shape (docs/api.md, "Errors").
HttpResponse errorResponse(int status, std::string_view code, std::string_view message, std::string_view retry)
{
    HttpResponse r;
    r.status = status;
    r.body = "{\"error\":\"" + jsonEscape(code) + "\",\"message\":\"" + jsonEscape(message) + "\",\"retry\":\"" +
             jsonEscape(retry) + "\"}";
    return r;
}

// Beast 1.74's string_view is Boost's.
std::string_view sv(beast::string_view s)
{
    return {s.data(), s.size()};
}

std::string_view pathOf(std::string_view target)
{
    return target.substr(0, target.find('?'));
}

// The target as logged: `token` query values hidden (WebSocket clients that
// cannot set headers send their bearer token as ?token=).
std::string redactTarget(std::string_view target)
{
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, q + 1));
    std::string_view query = target.substr(q + 1);
    bool first = true;
    while (true) {
        auto amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        if (!first) out += '&';
        first = false;
        auto eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == "token")
            out.append(part.substr(0, eq + 1)).append("***");
        else
            out.append(part);
        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    return out;
}

std::string lowerCase(std::string_view s)
{
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool hasLineBreak(std::string_view s)
{
    return s.find_first_of("\r\n") != std::string_view::npos;
}

std::string hostPort(const net::ip::address& address, uint16_t port)
{
    std::string host = address.to_string();
    if (address.is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(port);
}

std::string clientAddress(const tcp::endpoint& endpoint)
{
    auto a = endpoint.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6()).to_string();
    return a.to_string();
}

// Errors that are a connection's ordinary end (the peer went away, a timeout,
// our own shutdown) are logged at debug; anything else at warn.
bool isOrdinaryEnd(const beast::error_code& ec)
{
    return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
           ec == websocket::error::closed || ec == net::error::eof || ec == net::error::operation_aborted ||
           ec == net::error::connection_reset || ec == net::error::connection_aborted ||
           ec == net::error::broken_pipe || ec == net::error::not_connected || ec == net::error::bad_descriptor ||
           ec == ssl::error::stream_truncated;
}

void logConnectionEnd(const char* what, const std::string& remote, const beast::error_code& ec)
{
    if (isOrdinaryEnd(ec))
        spdlog::debug("{} {}: {}", what, remote, ec.message());
    else
        spdlog::warn("{} {}: {}", what, remote, ec.message());
}

void logRequest(std::string_view method, std::string_view target, int status, Clock::time_point started,
                const std::string& remote)
{
    if (!spdlog::should_log(spdlog::level::debug)) return;
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    spdlog::debug("{} {} {} {:.1f} ms {}", method, redactTarget(target), status, ms, remote);
}

void requireReadable(const std::string& path, const char* what)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw std::runtime_error(std::string("cannot read the ") + what + " file " + path + ": " + std::strerror(errno));
    std::fclose(f);
}

std::unique_ptr<ssl::context> makeTlsContext(const ServerOptions& options)
{
    requireReadable(options.tlsCertFile, "TLS certificate");
    requireReadable(options.tlsKeyFile, "TLS private key");
    // TLS 1.2 and 1.3 (context::tlsv12_server would pin exactly 1.2).
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    try {
        ctx->use_certificate_chain_file(options.tlsCertFile);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot load the TLS certificate " + options.tlsCertFile + ": " + e.code().message() +
                                 " (expected a PEM certificate chain)");
    }
    try {
        ctx->use_private_key_file(options.tlsKeyFile, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot load the TLS private key " + options.tlsKeyFile + ": " + e.code().message() +
                                 " (expected the PEM private key of the certificate)");
    }
    return ctx;
}

HttpResponse callHandler(RequestHandler& handler, const HttpRequest& request)
{
    try {
        return handler.handle(request);
    } catch (const std::exception& e) {
        spdlog::warn("handler failed on {} {}: {}", request.method, redactTarget(request.target), e.what());
    } catch (...) {
        spdlog::warn("handler failed on {} {}: unknown exception", request.method, redactTarget(request.target));
    }
    return errorResponse(500, "internal", "The server failed to handle the request; try again later.", "backoff");
}

RequestHandler::Upgrade callAuthorize(RequestHandler& handler, const HttpRequest& request)
{
    try {
        return handler.authorizeWebSocket(request);
    } catch (const std::exception& e) {
        spdlog::warn("WebSocket authorization failed: {}", e.what());
    } catch (...) {
        spdlog::warn("WebSocket authorization failed: unknown exception");
    }
    RequestHandler::Upgrade refused;
    refused.refusal = errorResponse(500, "internal", "The server failed to handle the request; try again later.", "backoff");
    return refused;
}

// ------------------------------------------------------------------ sessions and the registry

// A connection the registry can ask to finish (from any thread).
class Session {
public:
    virtual ~Session() = default;
    virtual void shutdown() = 0;
};

class WebSocketSessionBase : public Session {
public:
    // Queue a text frame (from any thread). Frames are pokes: one still
    // waiting to be written is replaced by a newer one.
    virtual void send(std::shared_ptr<const std::string> text) = 0;
};

// The hub: weak pointers to every live session, WebSockets with their user.
// Broadcasts copy the weak pointers under the lock and send outside it.
class SessionRegistry {
public:
    // False once the server is stopping: the caller then closes at once.
    bool add(const std::shared_ptr<Session>& session)
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return false;
        m_sessions.emplace(session.get(), Entry{session, {}, {}, false});
        return true;
    }

    bool addWebSocket(const std::string& user, const std::shared_ptr<WebSocketSessionBase>& session)
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return false;
        m_sessions.emplace(static_cast<const Session*>(session.get()), Entry{session, session, user, true});
        ++m_webSockets;
        return true;
    }

    void remove(const Session* session)
    {
        std::lock_guard lock(m_mutex);
        auto it = m_sessions.find(session);
        if (it == m_sessions.end()) return;
        if (it->second.isWebSocket) --m_webSockets;
        m_sessions.erase(it);
        if (m_sessions.empty()) m_emptied.notify_all();
    }

    void poke(const std::vector<std::string>& users, uint64_t head)
    {
        auto text = std::make_shared<const std::string>("{\"type\":\"changes\",\"head\":" + std::to_string(head) + "}");
        std::vector<std::weak_ptr<WebSocketSessionBase>> targets;
        {
            std::lock_guard lock(m_mutex);
            for (const auto& [key, entry] : m_sessions) {
                if (!entry.isWebSocket) continue;
                if (users.empty() || std::find(users.begin(), users.end(), entry.user) != users.end())
                    targets.push_back(entry.webSocket);
            }
        }
        for (const auto& weak : targets)
            if (auto session = weak.lock()) session->send(text);
    }

    // Refuses new sessions from now on and returns the live ones.
    std::vector<std::shared_ptr<Session>> beginShutdown()
    {
        std::vector<std::weak_ptr<Session>> weak;
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
            for (const auto& [key, entry] : m_sessions) weak.push_back(entry.session);
        }
        std::vector<std::shared_ptr<Session>> live;
        for (const auto& w : weak)
            if (auto s = w.lock()) live.push_back(std::move(s));
        return live;
    }

    bool waitUntilEmpty(Clock::time_point deadline)
    {
        std::unique_lock lock(m_mutex);
        return m_emptied.wait_until(lock, deadline, [this] { return m_sessions.empty(); });
    }

    size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_sessions.size();
    }

    size_t webSockets() const
    {
        std::lock_guard lock(m_mutex);
        return m_webSockets;
    }

private:
    struct Entry {
        std::weak_ptr<Session> session;
        std::weak_ptr<WebSocketSessionBase> webSocket;  // set for WebSockets only
        std::string user;
        bool isWebSocket;
    };

    mutable std::mutex m_mutex;
    std::condition_variable m_emptied;
    std::unordered_map<const Session*, Entry> m_sessions;
    size_t m_webSockets = 0;
    bool m_stopping = false;
};

// What every session needs of the server.
struct ServerCore {
    ServerCore(ServerOptions o, RequestHandler& h) : options(std::move(o)), handler(h) {}
    const ServerOptions options;
    RequestHandler& handler;
    SessionRegistry registry;
    std::atomic<bool> stopping{false};
};

// ------------------------------------------------------------------ WebSocketSession

template <class Stream>
class WebSocketSession : public WebSocketSessionBase, public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
    WebSocketSession(ServerCore& core, Stream&& stream, std::string user, std::string remote)
        : m_core(core), m_executor(stream.get_executor()), m_ws(std::move(stream)), m_user(std::move(user)),
          m_remote(std::move(remote))
    {
    }

    ~WebSocketSession() override { m_core.registry.remove(this); }

    // On the connection's strand (called by its HttpSession).
    void start(http::request<http::string_body> upgrade)
    {
        auto self = this->shared_from_this();
        if (!m_core.registry.addWebSocket(m_user, self)) m_closeRequested = true;
        net::co_spawn(m_executor, run(self, std::move(upgrade)), logExceptions("websocket session"));
    }

    void send(std::shared_ptr<const std::string> text) override
    {
        net::post(m_executor, [self = this->shared_from_this(), text = std::move(text)]() mutable {
            self->enqueue(std::move(text));
        });
    }

    void shutdown() override
    {
        net::post(m_executor, [self = this->shared_from_this()] {
            self->m_closeRequested = true;
            self->writeNext();
        });
    }

private:
    net::awaitable<void> run(std::shared_ptr<WebSocketSession> self, http::request<http::string_body> upgrade)
    {
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeouts.idle_timeout = m_core.options.idleTimeout;  // pinged at half of it, closed if silent for all of it
        m_ws.set_option(timeouts);
        m_ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "fieldsync"); }));
        m_ws.read_message_max(kMaxClientMessage);

        beast::error_code ec;
        co_await m_ws.async_accept(upgrade, redirect(ec));
        if (ec) {
            logConnectionEnd("WebSocket handshake with", m_remote, ec);
            finish();
            co_return;
        }
        m_open = true;
        spdlog::debug("WebSocket open: {} from {}", m_user, m_remote);
        writeNext();  // pokes queued during the handshake, or the close if we are stopping

        beast::flat_buffer buffer;
        while (true) {
            co_await m_ws.async_read(buffer, redirect(ec));
            if (ec) break;
            buffer.clear();  // clients have nothing to say; pings are answered by Beast
        }
        if (ec == websocket::error::closed)
            spdlog::debug("WebSocket closed: {} from {}", m_user, m_remote);
        else
            logConnectionEnd("WebSocket of", m_user + " from " + m_remote, ec);
        finish();
        (void)self;
    }

    void finish()
    {
        m_open = false;
        m_finished = true;
        m_queue.clear();
        m_core.registry.remove(this);
    }

    void enqueue(std::shared_ptr<const std::string> text)
    {
        if (m_finished || m_closeStarted) return;
        // A poke supersedes one not yet being written: at most one waits.
        size_t inFlight = m_writing ? 1 : 0;
        if (m_queue.size() > inFlight)
            m_queue.back() = std::move(text);
        else
            m_queue.push_back(std::move(text));
        writeNext();
    }

    void writeNext()
    {
        if (!m_open || m_writing || m_closeStarted) return;
        if (!m_queue.empty()) {
            m_writing = true;
            m_ws.text(true);
            m_ws.async_write(net::buffer(*m_queue.front()),
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
        } else if (m_closeRequested) {
            m_closeStarted = true;
            m_ws.async_close(websocket::close_reason(websocket::close_code::going_away, "server shutting down"),
                             [self = this->shared_from_this()](beast::error_code ec) {
                                 if (ec) logConnectionEnd("WebSocket close to", self->m_remote, ec);
                             });
        }
    }

    void onWrite(beast::error_code ec)
    {
        m_writing = false;
        if (ec) {
            logConnectionEnd("WebSocket write to", m_remote, ec);
            m_queue.clear();
            return;  // the read loop ends too and cleans up
        }
        if (!m_queue.empty()) m_queue.pop_front();
        writeNext();
    }

    ServerCore& m_core;
    net::any_io_executor m_executor;  // the connection's strand
    websocket::stream<Stream> m_ws;
    std::string m_user;
    std::string m_remote;
    std::deque<std::shared_ptr<const std::string>> m_queue;  // front() is being written when m_writing
    bool m_open = false;
    bool m_writing = false;
    bool m_closeRequested = false;
    bool m_closeStarted = false;
    bool m_finished = false;
};

// ------------------------------------------------------------------ HttpSession

template <class Stream>
class HttpSession : public Session, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    template <class... Args>
    HttpSession(ServerCore& core, std::string remote, tcp::socket&& socket, Args&... args)
        : m_core(core), m_remote(std::move(remote)), m_executor(socket.get_executor()),
          m_stream(std::move(socket), args...)
    {
    }

    ~HttpSession() override { m_core.registry.remove(this); }

    void start() { net::co_spawn(m_executor, run(this->shared_from_this()), logExceptions("http session")); }

    void shutdown() override
    {
        net::post(m_executor, [self = this->shared_from_this()] {
            self->m_closing = true;
            // Waiting for a request (or closing): stop waiting. A request being
            // handled is answered first; the loop then sees m_closing.
            if (self->m_phase == Phase::Reading || self->m_phase == Phase::Closing)
                beast::get_lowest_layer(self->m_stream).cancel();
        });
    }

private:
    enum class Phase { Starting, Reading, Handling, Closing, HandedOff };
    enum class Next { KeepAlive, Close, CloseAfterDrain, Drop, HandedOff };

    net::awaitable<void> run(std::shared_ptr<HttpSession> self)
    {
        auto& tcpLayer = beast::get_lowest_layer(m_stream);
        beast::error_code ec;
        if constexpr (kIsTls<Stream>) {
            if (m_closing) co_return;
            m_phase = Phase::Reading;
            tcpLayer.expires_after(m_core.options.idleTimeout);
            co_await m_stream.async_handshake(ssl::stream_base::server, redirect(ec));
            if (ec) {
                logConnectionEnd("TLS handshake with", m_remote, ec);
                co_return;
            }
        }
        Next next = Next::Close;
        while (!m_closing) {
            next = co_await serveOne();
            if (next != Next::KeepAlive) break;
        }
        if (next == Next::HandedOff) co_return;
        if (next == Next::Drop) {
            tcpLayer.close();
            co_return;
        }
        co_await close(next == Next::CloseAfterDrain);
        (void)self;
    }

    // Reads one request and answers it.
    net::awaitable<Next> serveOne()
    {
        auto& tcpLayer = beast::get_lowest_layer(m_stream);
        beast::error_code ec;
        http::request_parser<http::string_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(m_core.options.maxBodyBytes);

        m_phase = Phase::Reading;
        tcpLayer.expires_after(m_core.options.idleTimeout);
        co_await http::async_read_header(m_stream, m_buffer, parser, redirect(ec));
        auto started = Clock::now();
        m_phase = Phase::Handling;  // from here on a stop lets the request finish
        if (!ec && !parser.is_done()) {
            if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
                http::response<http::empty_body> goOn{http::status::continue_, parser.get().version()};
                tcpLayer.expires_after(m_core.options.idleTimeout);
                co_await http::async_write(m_stream, goOn, redirect(ec));
            }
            if (!ec) {
                tcpLayer.expires_after(m_core.options.idleTimeout);
                co_await http::async_read(m_stream, m_buffer, parser, redirect(ec));
            }
        }
        if (ec) co_return co_await onReadError(ec, parser.get(), started);

        auto& message = parser.get();
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message) {
            auto [it, added] = request.headers.emplace(lowerCase(sv(field.name_string())), std::string(field.value()));
            if (!added) it->second.append(", ").append(sv(field.value()));
        }
        request.remoteAddress = m_remote;
        const unsigned version = message.version();

        if (websocket::is_upgrade(message) && pathOf(request.target) == kWebSocketPath)
            co_return co_await upgrade(request, parser.release(), started);

        const bool keepAliveWanted = message.keep_alive();
        request.body = std::move(message.body());
        HttpResponse response = callHandler(m_core.handler, request);
        const bool keepAlive = keepAliveWanted && !m_closing && !m_core.stopping;
        ec = co_await write(response, version, keepAlive);
        logRequest(request.method, request.target, response.status, started, m_remote);
        if (ec) {
            logConnectionEnd("write to", m_remote, ec);
            co_return Next::Drop;
        }
        co_return keepAlive ? Next::KeepAlive : Next::Close;
    }

    net::awaitable<Next> onReadError(beast::error_code ec, const http::request<http::string_body>& partial,
                                     Clock::time_point started)
    {
        HttpResponse response;
        if (ec == http::error::body_limit) {
            response = errorResponse(413, "payload_too_large",
                                     "The request body is larger than the server's limit of " +
                                         std::to_string(m_core.options.maxBodyBytes) + " bytes.",
                                     "never");
        } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                   ec != http::error::end_of_stream && ec != http::error::partial_message) {
            std::string why = ec == http::error::header_limit ? "request headers too large" : ec.message();
            response = errorResponse(400, "invalid_argument", "Malformed HTTP request: " + why + ".", "never");
        } else {
            if (ec != http::error::end_of_stream) logConnectionEnd("read from", m_remote, ec);
            co_return ec == http::error::end_of_stream ? Next::Close : Next::Drop;
        }
        // The rest of the request is unread: answer and close.
        auto writeError = co_await write(response, 11, false);
        logRequest(sv(partial.method_string()), sv(partial.target()), response.status, started, m_remote);
        if (writeError) {
            logConnectionEnd("write to", m_remote, writeError);
            co_return Next::Drop;
        }
        co_return Next::CloseAfterDrain;
    }

    net::awaitable<Next> upgrade(const HttpRequest& request, http::request<http::string_body> message,
                                 Clock::time_point started)
    {
        RequestHandler::Upgrade decision = callAuthorize(m_core.handler, request);
        if (decision.accepted && (m_closing || m_core.stopping)) {
            decision.accepted = false;
            decision.refusal = errorResponse(503, "unavailable", "The server is shutting down; reconnect later.", "backoff");
        }
        if (!decision.accepted) {
            auto ec = co_await write(decision.refusal, message.version(), false);
            logRequest(request.method, request.target, decision.refusal.status, started, m_remote);
            co_return ec ? Next::Drop : Next::Close;
        }
        logRequest(request.method, request.target, 101, started, m_remote);
        beast::get_lowest_layer(m_stream).expires_never();  // the WebSocket has its own timeouts
        m_phase = Phase::HandedOff;
        auto session = std::make_shared<WebSocketSession<Stream>>(m_core, std::move(m_stream), std::move(decision.user),
                                                                  m_remote);
        session->start(std::move(message));
        co_return Next::HandedOff;
    }

    net::awaitable<beast::error_code> write(const HttpResponse& response, unsigned version, bool keepAlive)
    {
        int status = response.status;
        if (status < 100 || status > 599) {
            spdlog::warn("handler returned HTTP status {}; sending 500", status);
            status = 500;
        }
        http::response<http::string_body> res;
        res.version(version);
        res.result(static_cast<unsigned>(status));
        res.set(http::field::server, "fieldsync");
        if (!response.contentType.empty()) res.set(http::field::content_type, response.contentType);
        for (const auto& [name, value] : response.headers) {
            if (name.empty() || hasLineBreak(name) || hasLineBreak(value)) {
                spdlog::warn("handler returned an invalid header '{}'; dropped", jsonEscape(name));
                continue;
            }
            res.set(name, value);
        }
        res.body() = response.body;
        res.keep_alive(keepAlive);
        res.prepare_payload();

        beast::error_code ec;
        beast::get_lowest_layer(m_stream).expires_after(m_core.options.idleTimeout);
        co_await http::async_write(m_stream, res, redirect(ec));
        co_return ec;
    }

    net::awaitable<void> close(bool drain)
    {
        m_phase = Phase::Closing;
        auto& tcpLayer = beast::get_lowest_layer(m_stream);
        beast::error_code ec;
        if (drain) {
            // We answered before reading the whole request. Closing with its
            // rest unread would make the kernel reset the connection, and the
            // client could lose the answer; so end our side and read (and drop)
            // what the client still sends, for a short while.
            tcpLayer.socket().shutdown(tcp::socket::shutdown_send, ec);
            tcpLayer.expires_after(kDrainTime);
            std::vector<char> scratch(16 * 1024);
            size_t drained = 0;
            while (drained < kDrainMax) {
                size_t n = co_await tcpLayer.async_read_some(net::buffer(scratch), redirect(ec));
                if (ec) break;
                drained += n;
            }
        } else {
            if constexpr (kIsTls<Stream>) {
                // Sends close_notify; waits only briefly for the client's.
                tcpLayer.expires_after(kTlsShutdownTime);
                co_await m_stream.async_shutdown(redirect(ec));
            }
            tcpLayer.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
        tcpLayer.close();
    }

    ServerCore& m_core;
    std::string m_remote;
    net::any_io_executor m_executor;  // the connection's strand (m_stream may be moved to a WebSocket)
    Stream m_stream;
    beast::flat_buffer m_buffer;
    Phase m_phase = Phase::Starting;
    bool m_closing = false;
};

} // namespace

// ------------------------------------------------------------------ Server::Impl (the listener)

class Server::Impl {
public:
    Impl(ServerOptions options, RequestHandler& handler)
        : m_core(std::move(options), handler), m_ioc(std::max(1, m_core.options.threads)),
          m_acceptor(net::make_strand(m_ioc))
    {
        const ServerOptions& o = m_core.options;
        std::string host = o.address == "localhost" ? "127.0.0.1" : o.address;
        beast::error_code ec;
        m_address = net::ip::make_address(host, ec);
        if (ec)
            throw std::runtime_error("invalid listen address '" + o.address +
                                     "': expected an IP address such as 127.0.0.1, 0.0.0.0 or ::");
        if (o.tlsCertFile.empty() != o.tlsKeyFile.empty())
            throw std::runtime_error(std::string("TLS needs both a certificate and a private key file; only the ") +
                                     (o.tlsCertFile.empty() ? "key" : "certificate") + " is set");
        if (o.tlsCertFile.empty() && !m_address.is_loopback() && !o.insecure)
            throw std::runtime_error("refusing to serve plain HTTP on " + o.address +
                                     ", which is not a loopback address: set a TLS certificate and key, or pass "
                                     "--insecure to allow unencrypted traffic (tokens would cross the network in "
                                     "clear text)");
        if (o.threads < 1) throw std::runtime_error("the server needs at least 1 io thread (got " + std::to_string(o.threads) + ")");
        if (o.maxBodyBytes == 0) throw std::runtime_error("the maximum request body size must be above 0");
        if (o.idleTimeout.count() <= 0) throw std::runtime_error("the idle timeout must be at least 1 second");
        if (o.stopTimeout.count() < 0) throw std::runtime_error("the stop timeout must not be negative");
        if (!o.tlsCertFile.empty()) m_tls = makeTlsContext(o);
        m_port = o.port;
    }

    ~Impl() { stop(); }

    void start()
    {
        std::lock_guard lock(m_lifecycle);
        if (m_started) throw std::runtime_error("the server is already started");
        if (m_stopped) throw std::runtime_error("the server was stopped; create a new one to listen again");
        tcp::endpoint endpoint(m_address, m_core.options.port);
        try {
            m_acceptor.open(endpoint.protocol());
            m_acceptor.set_option(net::socket_base::reuse_address(true));
            m_acceptor.bind(endpoint);
            m_acceptor.listen(net::socket_base::max_listen_connections);
        } catch (const boost::system::system_error& e) {
            beast::error_code ignored;
            m_acceptor.close(ignored);
            throw std::runtime_error("cannot listen on " + hostPort(m_address, m_core.options.port) + ": " +
                                     e.code().message());
        }
        m_port = m_acceptor.local_endpoint().port();
        net::co_spawn(m_acceptor.get_executor(), acceptLoop(), logExceptions("listener"));
        m_work.emplace(m_ioc.get_executor());
        m_started = true;
        try {
            for (int i = 0; i < m_core.options.threads; ++i) m_threads.emplace_back([this] { runIo(); });
        } catch (...) {
            m_work.reset();
            m_ioc.stop();
            for (auto& t : m_threads) t.join();
            m_threads.clear();
            m_stopped = true;
            throw;
        }
        if (!m_tls && !m_address.is_loopback())
            spdlog::warn("serving plain HTTP on a non-loopback address ({}): traffic is not encrypted", m_core.options.address);
        spdlog::info("fieldsync server listening on {} ({} io thread{})", url(), m_core.options.threads,
                     m_core.options.threads == 1 ? "" : "s");
    }

    uint16_t port() const { return m_port; }

    std::string url() const { return std::string(m_tls ? "https://" : "http://") + hostPort(m_address, m_port); }

    void stop()
    {
        std::lock_guard lock(m_lifecycle);
        if (m_stopped) return;
        m_stopped = true;
        if (!m_started) return;
        const auto deadline = Clock::now() + m_core.options.stopTimeout;
        m_core.stopping = true;

        // Stop accepting: from here connecting is refused.
        auto closed = std::make_shared<std::promise<void>>();
        auto acceptorClosed = closed->get_future();
        net::post(m_acceptor.get_executor(), [this, closed] {
            beast::error_code ignored;
            m_acceptor.close(ignored);
            closed->set_value();
        });
        acceptorClosed.wait_until(deadline);

        // Let requests being handled finish; close idle connections and WebSockets.
        for (const auto& session : m_core.registry.beginShutdown()) session->shutdown();
        if (!m_core.registry.waitUntilEmpty(deadline))
            spdlog::warn("stopping with {} connection(s) still open after {} s", m_core.registry.size(),
                         m_core.options.stopTimeout.count());

        m_work.reset();
        m_ioc.stop();
        for (auto& t : m_threads) t.join();  // waits for handlers still running
        m_threads.clear();
        beast::error_code ignored;
        m_acceptor.close(ignored);
        spdlog::info("fieldsync server on {} stopped", url());
    }

    void poke(const std::vector<std::string>& users, uint64_t head) { m_core.registry.poke(users, head); }

    size_t connectedWebSockets() const { return m_core.registry.webSockets(); }

private:
    void runIo()
    {
        while (true) {
            try {
                m_ioc.run();
                return;
            } catch (const std::exception& e) {
                spdlog::warn("io thread: {}", e.what());
            }
        }
    }

    net::awaitable<void> acceptLoop()
    {
        net::steady_timer pause(m_acceptor.get_executor());
        while (true) {
            tcp::socket socket(net::make_strand(m_ioc));
            beast::error_code ec;
            co_await m_acceptor.async_accept(socket, redirect(ec));
            if (!m_acceptor.is_open() || ec == net::error::operation_aborted) co_return;
            if (ec) {
                // E.g. out of file descriptors: back off instead of spinning.
                spdlog::warn("accept failed: {}", ec.message());
                pause.expires_after(std::chrono::milliseconds(100));
                co_await pause.async_wait(redirect(ec));
                continue;
            }
            startSession(std::move(socket));
        }
    }

    void startSession(tcp::socket socket)
    {
        beast::error_code ec;
        auto endpoint = socket.remote_endpoint(ec);
        if (ec) return;  // gone already
        socket.set_option(tcp::no_delay(true), ec);
        if (m_tls)
            spawn<TlsStream>(std::move(socket), clientAddress(endpoint), *m_tls);
        else
            spawn<PlainStream>(std::move(socket), clientAddress(endpoint));
    }

    template <class Stream, class... Args>
    void spawn(tcp::socket socket, std::string remote, Args&... args)
    {
        auto session = std::make_shared<HttpSession<Stream>>(m_core, std::move(remote), std::move(socket), args...);
        if (!m_core.registry.add(session)) return;  // stopping: dropping it closes the socket
        session->start();
    }

    // Sessions refer to m_core and m_tls: both are declared before (so they
    // are destroyed after) the io_context that owns the sessions' handlers.
    ServerCore m_core;
    std::unique_ptr<ssl::context> m_tls;
    net::ip::address m_address;
    net::io_context m_ioc;
    tcp::acceptor m_acceptor;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> m_work;
    std::vector<std::thread> m_threads;
    std::atomic<uint16_t> m_port{0};
    std::mutex m_lifecycle;
    bool m_started = false;
    bool m_stopped = false;
};

// ------------------------------------------------------------------ Server

Server::Server(ServerOptions options, RequestHandler& handler)
    : m_impl(std::make_unique<Impl>(std::move(options), handler))
{
}

Server::~Server() = default;

void Server::start()
{
    m_impl->start();
}

uint16_t Server::port() const
{
    return m_impl->port();
}

std::string Server::url() const
{
    return m_impl->url();
}

void Server::stop()
{
    m_impl->stop();
}

void Server::poke(const std::vector<std::string>& users, uint64_t head)
{
    m_impl->poke(users, head);
}

size_t Server::connectedWebSockets() const
{
    return m_impl->connectedWebSockets();
}

} // namespace fieldsync::server
