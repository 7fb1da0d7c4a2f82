// The network layer, shaped like Beast's examples (advanced server flex, chat
// multi), with classic completion handlers:
//
//   listener         Server::Impl's accept loop, on the acceptor's strand
//   HttpSession      one per connection: TLS handshake if configured, then
//                    HTTP/1.1 requests in turn (keep-alive); hands accepted
//                    /v1/ws upgrades to
//   WebSocketSession one per WebSocket: a read loop that drops what clients
//                    send, and a write queue with one write in flight
//   SessionRegistry  the hub: every live session by weak pointer, WebSockets
//                    with their user and device; fans pokes out, finds whom
//                    to shut down, closes a device's sockets (revocation, the
//                    per-device cap)
//   ConnectionLimits the counts behind ServerOptions' connection limits and
//                    the reserve of over-limit connections
//
// Each connection lives on its own strand: a session's members are touched
// only there, and other threads (poke, stop) post to it. All of Beast and Asio
// is in this one translation unit, which is slow to compile (~45 s, 1.4 GB):
// keep it so. Completion handlers rather than Asio 1.74 awaitables: the
// coroutine version compiled slower still with GCC 12.
#include "net/Server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/container/static_vector.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fieldsync::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kWebSocketPath = "/v1/ws";
constexpr uint32_t kHeaderLimit = 16 * 1024;          // request line and headers
constexpr size_t kMaxClientMessage = 4 * 1024;        // devices send nothing but pings
constexpr auto kDrainTime = std::chrono::seconds(2);  // see HttpSession::doClose
constexpr size_t kDrainMax = 64 * 1024 * 1024;
constexpr auto kTlsShutdownTime = std::chrono::milliseconds(250);
// How long a WebSocket the server closes may take to answer the close frame
// before its connection is simply dropped (a client that never answers must
// not hold a socket, least of all one the server is closing to enforce a limit).
constexpr auto kCloseWait = std::chrono::seconds(2);
// Over-limit connections (ServerOptions, "Connections"): at most this many at
// once, each answered GET /healthz or refused; a new one evicts the oldest.
constexpr size_t kReserveSlots = 8;
// Descriptors maxConnections leaves to the rest of the process (store files
// and connections, pull readers, logs) when it is fitted to ulimit -n.
constexpr size_t kOtherDescriptors = 32;
constexpr int kRetryAfterSeconds = 5;  // Retry-After of connection-limit refusals
constexpr auto kWarnEvery = std::chrono::seconds(10);  // over-limit warnings, at most

// ------------------------------------------------------------------ helpers

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

// The API's error shape (docs/api.md, "Errors"). `retryAfter` > 0 adds the
// Retry-After header and, for resource_exhausted, "retry_after_s".
HttpResponse errorResponse(int status, std::string_view code, std::string_view message, std::string_view retry,
                           int retryAfter = 0)
{
    HttpResponse r;
    r.status = status;
    r.body = "{\"error\":\"" + jsonEscape(code) + "\",\"message\":\"" + jsonEscape(message) + "\",\"retry\":\"" +
             jsonEscape(retry) + "\"";
    if (retryAfter > 0) {
        r.headers["Retry-After"] = std::to_string(retryAfter);
        if (code == "resource_exhausted") r.body += ",\"retry_after_s\":" + std::to_string(retryAfter);
    }
    r.body += "}";
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

RequestHandler::Admission callAdmit(RequestHandler& handler, const HttpRequest& head)
{
    try {
        return handler.admit(head);
    } catch (const std::exception& e) {
        spdlog::warn("admission failed on {} {}: {}", head.method, redactTarget(head.target), e.what());
    } catch (...) {
        spdlog::warn("admission failed on {} {}: unknown exception", head.method, redactTarget(head.target));
    }
    RequestHandler::Admission refused;
    refused.refusal = errorResponse(500, "internal", "The server failed to handle the request; try again later.", "backoff");
    return refused;
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
    // Close with this code (from any thread): pokes not yet being written are
    // dropped and no new ones are taken.
    virtual void closeWith(uint16_t code, std::string reason) = 0;
};

// The hub: weak pointers to every live session, WebSockets with their user
// and device. Broadcasts copy the weak pointers under the lock and send
// outside it.
class SessionRegistry {
public:
    // False once the server is stopping: the caller then closes at once.
    bool add(const std::shared_ptr<Session>& session)
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return false;
        m_sessions.emplace(session.get(), Entry{session, {}, {}, {}, {}, 0, false, false});
        return true;
    }

    struct WebSocketOwner {
        std::string user, device, remote;
    };

    // Registers a WebSocket; false once stopping. `superseded`: the device's
    // oldest sockets beyond `maxPerDevice` (this one included in the count),
    // already taken out of the pokes' way, for the caller to close.
    bool addWebSocket(const WebSocketOwner& owner, const std::shared_ptr<WebSocketSessionBase>& session,
                      size_t maxPerDevice, std::vector<std::shared_ptr<WebSocketSessionBase>>& superseded)
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return false;
        m_sessions.emplace(static_cast<const Session*>(session.get()),
                           Entry{session, session, owner.user, owner.device, owner.remote, ++m_order, true, false});
        ++m_webSockets;
        std::vector<Entry*> mine;
        for (auto& [key, entry] : m_sessions)
            if (entry.isWebSocket && !entry.closing && entry.device == owner.device) mine.push_back(&entry);
        if (mine.size() <= maxPerDevice) return true;
        std::sort(mine.begin(), mine.end(), [](const Entry* a, const Entry* b) { return a->order < b->order; });
        for (size_t i = 0; i + maxPerDevice < mine.size(); ++i) {
            mine[i]->closing = true;
            if (auto s = mine[i]->webSocket.lock()) superseded.push_back(std::move(s));
        }
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
                if (!entry.isWebSocket || entry.closing) continue;
                if (users.empty() || std::find(users.begin(), users.end(), entry.user) != users.end())
                    targets.push_back(entry.webSocket);
            }
        }
        for (const auto& weak : targets)
            if (auto session = weak.lock()) session->send(text);
    }

    // The WebSockets of these devices, marked closing (no poke reaches them
    // from here on), with their owners.
    std::vector<std::pair<std::shared_ptr<WebSocketSessionBase>, WebSocketOwner>> takeDevices(
        const std::vector<std::string>& devices)
    {
        const std::set<std::string> wanted(devices.begin(), devices.end());
        std::vector<std::pair<std::shared_ptr<WebSocketSessionBase>, WebSocketOwner>> out;
        std::lock_guard lock(m_mutex);
        for (auto& [key, entry] : m_sessions) {
            if (!entry.isWebSocket || entry.closing || !wanted.count(entry.device)) continue;
            auto session = entry.webSocket.lock();
            if (!session) continue;
            entry.closing = true;
            out.emplace_back(std::move(session), WebSocketOwner{entry.user, entry.device, entry.remote});
        }
        return out;
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
        std::string user, device, remote;
        uint64_t order;  // WebSockets: registration order (oldest first)
        bool isWebSocket;
        bool closing;    // being closed by the server: no more pokes
    };

    mutable std::mutex m_mutex;
    std::condition_variable m_emptied;
    std::unordered_map<const Session*, Entry> m_sessions;
    size_t m_webSockets = 0;
    uint64_t m_order = 0;
    bool m_stopping = false;
};

// Which limit a new connection is over (ServerOptions, "Connections").
enum class OverLimit { None, Total, Address };

// The counts behind the connection limits. A connection within them holds a
// ConnectionTicket (its HTTP session, then its WebSocket) that gives its
// place back when the connection ends. One over a limit goes to the reserve
// instead: at most kReserveSlots at once, the oldest evicted for a new one,
// so a flood of over-limit connections cannot keep a health probe out.
class ConnectionLimits {
public:
    void setLimits(size_t total, size_t perAddress)
    {
        std::lock_guard lock(m_mutex);
        m_total = total;
        m_perAddress = perAddress;
    }

    size_t total() const
    {
        std::lock_guard lock(m_mutex);
        return m_total;
    }

    size_t perAddress() const
    {
        std::lock_guard lock(m_mutex);
        return m_perAddress;
    }

    // A new connection from `address`: counted and None if within the limits.
    OverLimit take(const std::string& address)
    {
        std::lock_guard lock(m_mutex);
        if (m_open >= m_total) return OverLimit::Total;
        size_t& mine = m_byAddress[address];
        if (m_perAddress != 0 && mine >= m_perAddress) return OverLimit::Address;
        ++mine;
        ++m_open;
        return OverLimit::None;
    }

    void give(const std::string& address)
    {
        std::lock_guard lock(m_mutex);
        --m_open;
        auto it = m_byAddress.find(address);
        if (it != m_byAddress.end() && --it->second == 0) m_byAddress.erase(it);
    }

    // Puts an over-limit session in the reserve; returns the one it evicts.
    std::shared_ptr<Session> enterReserve(const std::shared_ptr<Session>& session)
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_reserve, [](const std::weak_ptr<Session>& w) { return w.expired(); });
        m_reserve.push_back(session);
        std::shared_ptr<Session> evicted;
        while (m_reserve.size() > kReserveSlots && !evicted) {
            evicted = m_reserve.front().lock();
            m_reserve.pop_front();
        }
        return evicted;
    }

    size_t open() const
    {
        std::lock_guard lock(m_mutex);
        size_t reserve = 0;
        for (const auto& w : m_reserve) reserve += w.expired() ? 0 : 1;
        return m_open + reserve;
    }

    // True at most once per kWarnEvery: over-limit warnings must not become
    // a flood of their own. `suppressed`: how many were not logged since.
    bool shouldWarn(size_t& suppressed)
    {
        std::lock_guard lock(m_mutex);
        auto now = Clock::now();
        if (m_lastWarning != Clock::time_point{} && now - m_lastWarning < kWarnEvery) {
            ++m_suppressed;
            return false;
        }
        m_lastWarning = now;
        suppressed = std::exchange(m_suppressed, 0);
        return true;
    }

private:
    mutable std::mutex m_mutex;
    size_t m_total = std::numeric_limits<size_t>::max();
    size_t m_perAddress = 0;
    size_t m_open = 0;
    std::unordered_map<std::string, size_t> m_byAddress;
    std::deque<std::weak_ptr<Session>> m_reserve;  // oldest first
    Clock::time_point m_lastWarning{};
    size_t m_suppressed = 0;
};

class ConnectionTicket {
public:
    ConnectionTicket(ConnectionLimits& limits, std::string address) : m_limits(limits), m_address(std::move(address)) {}
    ~ConnectionTicket() { m_limits.give(m_address); }
    ConnectionTicket(const ConnectionTicket&) = delete;
    ConnectionTicket& operator=(const ConnectionTicket&) = delete;

private:
    ConnectionLimits& m_limits;
    std::string m_address;
};

// What every session needs of the server.
struct ServerCore {
    ServerCore(ServerOptions o, RequestHandler& h) : options(std::move(o)), handler(h) {}
    const ServerOptions options;
    RequestHandler& handler;
    SessionRegistry registry;
    ConnectionLimits limits;
    std::atomic<size_t> bodyBytesInFlight{0};  // announced lengths of the bodies being received
    std::atomic<bool> stopping{false};
};

// How many descriptors the process has open (Linux; 0 if unknown).
size_t openDescriptors()
{
    std::error_code ec;
    size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
    return ec ? 0 : n;
}

// ------------------------------------------------------------------ AnyStream

// Plain TCP or TLS over TCP behind one type, so Beast's HTTP and WebSocket
// code is compiled once, for this stream, rather than once per stream type
// (which doubled this file's compile time). Operations forward to the real
// stream with the handler type-erased but still bound to its executor.
using IoHandler = net::executor_binder<std::function<void(beast::error_code, std::size_t)>, net::any_io_executor>;
using DoneHandler = net::executor_binder<std::function<void(beast::error_code)>, net::any_io_executor>;
using MutableBuffers = boost::container::static_vector<net::mutable_buffer, 8>;
using ConstBuffers = boost::container::static_vector<net::const_buffer, 8>;

// The first (up to 8) non-empty buffers of a sequence: a read_some or
// write_some may transfer less than asked.
template <class List, class Sequence>
List firstBuffers(const Sequence& sequence)
{
    List list;
    for (auto it = net::buffer_sequence_begin(sequence); it != net::buffer_sequence_end(sequence); ++it) {
        typename List::value_type buffer(*it);
        if (buffer.size() == 0) continue;
        list.push_back(buffer);
        if (list.size() == list.capacity()) break;
    }
    return list;
}

template <class Signature, class Handler>
net::executor_binder<std::function<Signature>, net::any_io_executor> erase(Handler handler,
                                                                          const net::any_io_executor& fallback)
{
    net::any_io_executor executor = net::get_associated_executor(handler, fallback);
    // std::function wants a copyable target; Asio handlers are move-only.
    auto shared = std::make_shared<Handler>(std::move(handler));
    return net::bind_executor(executor, std::function<Signature>([shared](auto... args) { std::move(*shared)(args...); }));
}

class AnyStream {
public:
    using executor_type = net::any_io_executor;

    class Impl {
    public:
        virtual ~Impl() = default;
        virtual beast::tcp_stream& tcpStream() = 0;
        virtual void readSome(const MutableBuffers& buffers, IoHandler handler) = 0;
        virtual void writeSome(const ConstBuffers& buffers, IoHandler handler) = 0;
        virtual void handshake(DoneHandler handler) = 0;  // TLS only
        virtual void shutdown(DoneHandler handler) = 0;   // TLS only: close_notify
        virtual void teardown(beast::role_type role, DoneHandler handler) = 0;  // the WebSocket's end
    };

    AnyStream(tcp::socket&& socket, ssl::context* tls);

    executor_type get_executor() noexcept { return m_impl->tcpStream().get_executor(); }
    bool isTls() const { return m_tls; }
    beast::tcp_stream& tcpStream() { return m_impl->tcpStream(); }

    template <class Buffers, class Handler>
    BOOST_ASIO_INITFN_RESULT_TYPE(Handler, void(beast::error_code, std::size_t))
    async_read_some(const Buffers& buffers, Handler&& handler)
    {
        return net::async_initiate<Handler, void(beast::error_code, std::size_t)>(
            [this](auto h, const Buffers& b) {
                m_impl->readSome(firstBuffers<MutableBuffers>(b),
                                 erase<void(beast::error_code, std::size_t)>(std::move(h), get_executor()));
            },
            handler, buffers);
    }

    template <class Buffers, class Handler>
    BOOST_ASIO_INITFN_RESULT_TYPE(Handler, void(beast::error_code, std::size_t))
    async_write_some(const Buffers& buffers, Handler&& handler)
    {
        return net::async_initiate<Handler, void(beast::error_code, std::size_t)>(
            [this](auto h, const Buffers& b) {
                m_impl->writeSome(firstBuffers<ConstBuffers>(b),
                                  erase<void(beast::error_code, std::size_t)>(std::move(h), get_executor()));
            },
            handler, buffers);
    }

    template <class Handler>
    void async_handshake(Handler&& handler)
    {
        m_impl->handshake(erase<void(beast::error_code)>(std::forward<Handler>(handler), get_executor()));
    }

    template <class Handler>
    void async_shutdown(Handler&& handler)
    {
        m_impl->shutdown(erase<void(beast::error_code)>(std::forward<Handler>(handler), get_executor()));
    }

    // Beast's customization points for websocket::stream<AnyStream>.
    template <class Handler>
    friend void async_teardown(beast::role_type role, AnyStream& stream, Handler&& handler)
    {
        stream.m_impl->teardown(role, erase<void(beast::error_code)>(std::forward<Handler>(handler), stream.get_executor()));
    }

    friend void beast_close_socket(AnyStream& stream)
    {
        beast::error_code ignored;
        stream.tcpStream().socket().close(ignored);
    }

private:
    std::unique_ptr<Impl> m_impl;
    bool m_tls;
};

class PlainImpl final : public AnyStream::Impl {
public:
    explicit PlainImpl(tcp::socket&& socket) : m_stream(std::move(socket)) {}
    beast::tcp_stream& tcpStream() override { return m_stream; }
    void readSome(const MutableBuffers& b, IoHandler h) override { m_stream.async_read_some(b, std::move(h)); }
    void writeSome(const ConstBuffers& b, IoHandler h) override { m_stream.async_write_some(b, std::move(h)); }
    // Nothing to do without TLS.
    void handshake(DoneHandler h) override { succeed(std::move(h)); }
    void shutdown(DoneHandler h) override { succeed(std::move(h)); }
    void teardown(beast::role_type role, DoneHandler h) override { async_teardown(role, m_stream, std::move(h)); }

private:
    void succeed(DoneHandler h)
    {
        net::post(m_stream.get_executor(), [h = std::move(h)]() mutable { h(beast::error_code{}); });
    }

    beast::tcp_stream m_stream;
};

class TlsImpl final : public AnyStream::Impl {
public:
    TlsImpl(tcp::socket&& socket, ssl::context& context) : m_stream(std::move(socket), context) {}
    beast::tcp_stream& tcpStream() override { return beast::get_lowest_layer(m_stream); }
    void readSome(const MutableBuffers& b, IoHandler h) override { m_stream.async_read_some(b, std::move(h)); }
    void writeSome(const ConstBuffers& b, IoHandler h) override { m_stream.async_write_some(b, std::move(h)); }
    void handshake(DoneHandler h) override { m_stream.async_handshake(ssl::stream_base::server, std::move(h)); }
    void shutdown(DoneHandler h) override { m_stream.async_shutdown(std::move(h)); }
    void teardown(beast::role_type role, DoneHandler h) override { async_teardown(role, m_stream, std::move(h)); }

private:
    beast::ssl_stream<beast::tcp_stream> m_stream;
};

AnyStream::AnyStream(tcp::socket&& socket, ssl::context* tls)
    : m_impl(tls ? std::unique_ptr<Impl>(std::make_unique<TlsImpl>(std::move(socket), *tls))
                 : std::unique_ptr<Impl>(std::make_unique<PlainImpl>(std::move(socket)))),
      m_tls(tls != nullptr)
{
}

// ------------------------------------------------------------------ WebSocketSession

class WebSocketSession : public WebSocketSessionBase, public std::enable_shared_from_this<WebSocketSession> {
public:
    WebSocketSession(ServerCore& core, AnyStream&& stream, SessionRegistry::WebSocketOwner owner,
                     std::shared_ptr<ConnectionTicket> ticket)
        : m_core(core), m_executor(stream.get_executor()), m_ws(std::move(stream)), m_owner(std::move(owner)),
          m_ticket(std::move(ticket)), m_closeTimer(m_executor)
    {
    }

    ~WebSocketSession() override { m_core.registry.remove(this); }

    // On the connection's strand (called by its HttpSession).
    void start(http::request<http::string_body> upgrade)
    {
        auto self = this->shared_from_this();
        std::vector<std::shared_ptr<WebSocketSessionBase>> superseded;
        if (!m_core.registry.addWebSocket(m_owner, self, m_core.options.maxWebSocketsPerDevice, superseded))
            m_closeRequested = true;
        for (const auto& old : superseded) {
            spdlog::debug("closing an older WebSocket of device {} (user {}): more than {} open", m_owner.device,
                          m_owner.user, m_core.options.maxWebSocketsPerDevice);
            old->closeWith(kCloseSuperseded, "replaced by a newer connection of this device");
        }
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeouts.idle_timeout = m_core.options.idleTimeout;  // pinged at half of it, closed if silent for all of it
        m_ws.set_option(timeouts);
        m_ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "fieldsync"); }));
        m_ws.read_message_max(kMaxClientMessage);
        m_upgrade = std::move(upgrade);
        m_ws.async_accept(m_upgrade, beast::bind_front_handler(&WebSocketSession::onAccept, self));
    }

    void send(std::shared_ptr<const std::string> text) override
    {
        net::post(m_executor, [self = this->shared_from_this(), text = std::move(text)]() mutable {
            self->enqueue(std::move(text));
        });
    }

    // The server is stopping: pokes already queued still go out first.
    void shutdown() override
    {
        net::post(m_executor, [self = this->shared_from_this()] {
            self->m_closeRequested = true;
            self->writeNext();
        });
    }

    void closeWith(uint16_t code, std::string reason) override
    {
        net::post(m_executor, [self = this->shared_from_this(), code, reason = std::move(reason)]() mutable {
            if (self->m_closeStarted) return;
            self->m_closeCode = code;
            self->m_closeReason = std::move(reason);
            self->m_closeRequested = true;
            self->m_refusePokes = true;
            // Only a frame already being written finishes; the rest is dropped.
            self->m_queue.resize(self->m_writing ? std::min<size_t>(1, self->m_queue.size()) : 0);
            self->writeNext();
        });
    }

private:
    void onAccept(beast::error_code ec)
    {
        m_upgrade = {};
        if (ec) {
            logConnectionEnd("WebSocket handshake with", m_owner.remote, ec);
            finish();
            return;
        }
        m_open = true;
        spdlog::debug("WebSocket open: {} (device {}) from {}", m_owner.user, m_owner.device, m_owner.remote);
        writeNext();  // pokes queued during the handshake, or the close if we are stopping
        doRead();
    }

    void doRead()
    {
        m_ws.async_read(m_buffer, beast::bind_front_handler(&WebSocketSession::onRead, this->shared_from_this()));
    }

    void onRead(beast::error_code ec, std::size_t)
    {
        if (!ec) {
            m_buffer.clear();  // clients have nothing to say; Beast answers their pings
            doRead();
            return;
        }
        if (ec == websocket::error::closed)
            spdlog::debug("WebSocket closed: {} from {}", m_owner.user, m_owner.remote);
        else
            logConnectionEnd("WebSocket of", m_owner.user + " from " + m_owner.remote, ec);
        finish();
    }

    void finish()
    {
        m_open = false;
        m_finished = true;
        m_queue.clear();
        m_closeTimer.cancel();
        m_core.registry.remove(this);
    }

    void enqueue(std::shared_ptr<const std::string> text)
    {
        if (m_finished || m_closeStarted || m_refusePokes) return;
        // A poke supersedes one not yet being written: at most one waits.
        size_t inFlight = m_writing ? 1 : 0;
        if (m_queue.size() > inFlight)
            m_queue.back() = std::move(text);
        else
            m_queue.push_back(std::move(text));
        writeNext();
    }

    // Starts the next write unless one is in flight; the close goes last.
    void writeNext()
    {
        if (!m_open || m_writing || m_closeStarted) return;
        if (!m_queue.empty()) {
            m_writing = true;
            m_ws.text(true);
            m_ws.async_write(net::buffer(*m_queue.front()),
                             beast::bind_front_handler(&WebSocketSession::onWrite, this->shared_from_this()));
        } else if (m_closeRequested) {
            m_closeStarted = true;
            m_ws.async_close(websocket::close_reason(static_cast<websocket::close_code>(m_closeCode), m_closeReason),
                             beast::bind_front_handler(&WebSocketSession::onClose, this->shared_from_this()));
            m_closeTimer.expires_after(kCloseWait);
            m_closeTimer.async_wait([self = this->shared_from_this()](beast::error_code ec) {
                if (ec || self->m_finished) return;
                spdlog::debug("WebSocket of {} from {}: no answer to the close frame; dropped", self->m_owner.user,
                              self->m_owner.remote);
                self->m_ws.next_layer().tcpStream().close();  // the pending read fails and finishes the session
            });
        }
    }

    void onWrite(beast::error_code ec, std::size_t)
    {
        m_writing = false;
        if (ec) {
            logConnectionEnd("WebSocket write to", m_owner.remote, ec);
            m_queue.clear();
            return;  // the read fails too and finishes the session
        }
        if (!m_queue.empty()) m_queue.pop_front();
        writeNext();
    }

    void onClose(beast::error_code ec)
    {
        if (ec) logConnectionEnd("WebSocket close to", m_owner.remote, ec);
    }

    ServerCore& m_core;
    net::any_io_executor m_executor;  // the connection's strand
    websocket::stream<AnyStream> m_ws;
    SessionRegistry::WebSocketOwner m_owner;
    std::shared_ptr<ConnectionTicket> m_ticket;  // its place among the connections (null: none taken)
    net::steady_timer m_closeTimer;  // kCloseWait once the close frame is on its way
    http::request<http::string_body> m_upgrade;
    beast::flat_buffer m_buffer;
    std::deque<std::shared_ptr<const std::string>> m_queue;  // front() is being written when m_writing
    uint16_t m_closeCode = kCloseGoingAway;
    std::string m_closeReason = "server shutting down";
    bool m_open = false;
    bool m_writing = false;
    bool m_closeRequested = false;
    bool m_closeStarted = false;
    bool m_refusePokes = false;
    bool m_finished = false;
};

// ------------------------------------------------------------------ HttpSession

class HttpSession : public Session, public std::enable_shared_from_this<HttpSession> {
public:
    // `ticket`: the connection's place within the limits; null for one over a
    // limit (`over`), which answers GET /healthz and refuses anything else.
    HttpSession(ServerCore& core, std::string remote, tcp::socket&& socket, ssl::context* tls,
                std::shared_ptr<ConnectionTicket> ticket, OverLimit over)
        : m_core(core), m_remote(std::move(remote)), m_executor(socket.get_executor()),
          m_stream(std::move(socket), tls), m_ticket(std::move(ticket)), m_over(over)
    {
    }

    ~HttpSession() override
    {
        releaseBody();
        m_core.registry.remove(this);
    }

    void start()
    {
        net::dispatch(m_executor, [self = this->shared_from_this()] {
            if (self->m_closing) return;
            // One deadline for the TLS handshake and the first request's
            // headers: a client that connects and then says nothing (or
            // trickles) is cut after headerTimeout.
            self->m_phase = Phase::Reading;
            self->tcpLayer().expires_after(self->m_core.options.headerTimeout);
            if (self->m_stream.isTls())
                self->m_stream.async_handshake(
                    beast::bind_front_handler(&HttpSession::onHandshake, self->shared_from_this()));
            else
                self->readHeader();
        });
    }

    void shutdown() override
    {
        net::post(m_executor, [self = this->shared_from_this()] {
            self->m_closing = true;
            // Waiting for a request (or closing): stop waiting. A request being
            // handled is answered first; then the session sees m_closing.
            if (self->m_phase == Phase::Reading || self->m_phase == Phase::Closing)
                self->m_stream.tcpStream().cancel();
        });
    }

private:
    enum class Phase { Starting, Reading, Handling, Closing, HandedOff };
    enum class After { KeepAlive, Close, CloseAfterDrain };  // what follows a response

    beast::tcp_stream& tcpLayer() { return m_stream.tcpStream(); }

    void onHandshake(beast::error_code ec)
    {
        if (ec) {
            logConnectionEnd("TLS handshake with", m_remote, ec);
            return;
        }
        readHeader();
    }

    // The next request on a kept-alive connection: it may take idleTimeout to
    // start, then headerTimeout for its line and headers.
    void doRead()
    {
        if (m_closing) {
            doClose(false);
            return;
        }
        m_phase = Phase::Reading;
        if (m_buffer.size() > 0) {  // pipelined: it has started
            tcpLayer().expires_after(m_core.options.headerTimeout);
            return readHeader();
        }
        tcpLayer().expires_after(m_core.options.idleTimeout);
        m_stream.async_read_some(m_buffer.prepare(4096),
                                 beast::bind_front_handler(&HttpSession::onFirstBytes, this->shared_from_this()));
    }

    void onFirstBytes(beast::error_code ec, std::size_t n)
    {
        m_buffer.commit(n);
        if (ec == net::error::eof || ec == ssl::error::stream_truncated) return doClose(false);  // the client is done
        if (ec) return drop("read from", ec);
        tcpLayer().expires_after(m_core.options.headerTimeout);
        readHeader();
    }

    void readHeader()
    {
        m_parser.emplace();
        m_parser->header_limit(kHeaderLimit);
        // The body's limit is decided once the headers say who is asking.
        m_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
        m_phase = Phase::Reading;
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                beast::bind_front_handler(&HttpSession::onHeader, this->shared_from_this()));
    }

    void onHeader(beast::error_code ec, std::size_t)
    {
        m_started = Clock::now();
        m_phase = Phase::Handling;  // from here on a stop lets the request finish
        if (ec) return onReadError(ec);
        auto& message = m_parser->get();
        m_request = HttpRequest{};
        m_request.method = std::string(sv(message.method_string()));
        m_request.target = std::string(sv(message.target()));
        for (const auto& field : message) {
            auto [it, added] = m_request.headers.emplace(lowerCase(sv(field.name_string())), std::string(sv(field.value())));
            if (!added) it->second.append(", ").append(sv(field.value()));
        }
        m_request.remoteAddress = m_remote;
        m_method = m_request.method;
        m_target = m_request.target;
        const unsigned version = message.version();
        const bool bodyPending = !m_parser->is_done();

        if (m_over != OverLimit::None) return answerOverLimit(version, bodyPending);

        RequestHandler::Admission admission = callAdmit(m_core.handler, m_request);
        if (admission.refusal) return write(*admission.refusal, version, bodyPending ? After::CloseAfterDrain : After::Close);
        m_request.admitted = std::move(admission.context);
        if (!bodyPending) return onRequest();

        m_bodyLimit = admission.authenticated
            ? m_core.options.maxBodyBytes
            : std::min(m_core.options.maxAnonymousBodyBytes, m_core.options.maxBodyBytes);
        const auto length = m_parser->content_length();  // none: chunked
        if (length && *length > m_bodyLimit) return tooLarge();
        const uint64_t claim = length ? *length : m_bodyLimit;
        if (!reserveBody(claim))
            return write(errorResponse(503, "unavailable",
                                       "The server is receiving too many large requests at once; retry shortly.",
                                       "backoff", 1),
                         version, After::CloseAfterDrain);
        m_parser->body_limit(m_bodyLimit);  // what a chunked body may add up to
        // The body's deadline grows with its length: a slow link may send a
        // large batch, but no client holds a connection by trickling.
        tcpLayer().expires_after(m_core.options.bodyTimeout +
                                 std::chrono::seconds(claim / std::max<size_t>(1, m_core.options.minBodyRate)));
        if (beast::iequals(message[http::field::expect], "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            net::async_write(m_stream, net::buffer(kContinue.data(), kContinue.size()),
                             beast::bind_front_handler(&HttpSession::onContinue, this->shared_from_this()));
            return;
        }
        readBody();
    }

    // A connection over a limit: GET /healthz is answered (monitoring keeps
    // working while the server is full); anything else gets the limit's
    // error. Either way the connection then closes.
    void answerOverLimit(unsigned version, bool bodyPending)
    {
        const auto& message = m_parser->get();
        if (message.method() == http::verb::get && pathOf(m_request.target) == "/healthz" && !bodyPending &&
            !websocket::is_upgrade(message))
            return write(callHandler(m_core.handler, m_request), version, After::Close);
        HttpResponse refusal =
            m_over == OverLimit::Address
                ? errorResponse(429, "resource_exhausted",
                                "Too many connections from your address (the limit is " +
                                    std::to_string(m_core.limits.perAddress()) + "); close some or retry later.",
                                "later", kRetryAfterSeconds)
                : errorResponse(503, "unavailable",
                                "The server is at its connection limit (" + std::to_string(m_core.limits.total()) +
                                    "); retry shortly.",
                                "backoff", kRetryAfterSeconds);
        write(refusal, version, bodyPending ? After::CloseAfterDrain : After::Close);
    }

    void onContinue(beast::error_code ec, std::size_t)
    {
        if (ec) return drop("write to", ec);
        readBody();
    }

    void readBody()
    {
        m_phase = Phase::Handling;
        http::async_read(m_stream, m_buffer, *m_parser,
                         beast::bind_front_handler(&HttpSession::onBody, this->shared_from_this()));
    }

    void onBody(beast::error_code ec, std::size_t)
    {
        if (ec) return onReadError(ec);
        onRequest();
    }

    void tooLarge()
    {
        releaseBody();
        const bool anonymous = m_bodyLimit < m_core.options.maxBodyBytes;
        write(errorResponse(413, "payload_too_large",
                            "The request body is larger than the server's limit of " + std::to_string(m_bodyLimit) +
                                " bytes" + (anonymous ? " for a request without a valid token." : "."),
                            "never"),
              11, After::CloseAfterDrain);
    }

    void onReadError(beast::error_code ec)
    {
        releaseBody();
        const auto& partial = m_parser->get();
        m_method = std::string(sv(partial.method_string()));
        m_target = std::string(sv(partial.target()));
        if (ec == http::error::body_limit) {
            tooLarge();
        } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                   ec != http::error::end_of_stream && ec != http::error::partial_message) {
            std::string why = ec == http::error::header_limit ? "request headers too large" : ec.message();
            write(errorResponse(400, "invalid_argument", "Malformed HTTP request: " + why + ".", "never"), 11,
                  After::CloseAfterDrain);
        } else if (ec == http::error::end_of_stream) {
            doClose(false);  // the client is done
        } else {
            drop("read from", ec);  // including the header and body deadlines
        }
    }

    void onRequest()
    {
        auto& message = m_parser->get();
        if (websocket::is_upgrade(message) && pathOf(m_request.target) == kWebSocketPath) {
            releaseBody();
            return upgrade();
        }
        const bool keepAlive = message.keep_alive() && !m_closing && !m_core.stopping;
        const unsigned version = message.version();
        m_request.body = std::move(message.body());
        // May block (SQLite): only this connection's strand waits.
        HttpResponse response = callHandler(m_core.handler, m_request);
        std::string().swap(m_request.body);
        releaseBody();
        write(response, version, keepAlive && !m_core.stopping ? After::KeepAlive : After::Close);
    }

    void upgrade()
    {
        RequestHandler::Upgrade decision = callAuthorize(m_core.handler, m_request);
        if (decision.accepted && (m_closing || m_core.stopping)) {
            decision.accepted = false;
            decision.refusal = errorResponse(503, "unavailable", "The server is shutting down; reconnect later.", "backoff");
        }
        if (!decision.accepted) return write(decision.refusal, m_parser->get().version(), After::Close);
        logRequest(m_method, m_target, 101, m_started, m_remote);
        tcpLayer().expires_never();  // the WebSocket has its own timeouts
        m_phase = Phase::HandedOff;
        auto session = std::make_shared<WebSocketSession>(
            m_core, std::move(m_stream),
            SessionRegistry::WebSocketOwner{std::move(decision.user), std::move(decision.device), m_remote},
            std::move(m_ticket));
        session->start(m_parser->release());
    }

    // Takes `n` bytes of the bodies-in-flight budget; false if it would overflow.
    bool reserveBody(uint64_t n)
    {
        const size_t budget = m_core.options.maxBodyBytesInFlight;
        size_t current = m_core.bodyBytesInFlight.load();
        do {
            if (n > budget || current > budget - n) return false;
        } while (!m_core.bodyBytesInFlight.compare_exchange_weak(current, current + n));
        m_reserved = n;
        return true;
    }

    void releaseBody()
    {
        if (m_reserved == 0) return;
        m_core.bodyBytesInFlight -= m_reserved;
        m_reserved = 0;
    }

    void write(const HttpResponse& response, unsigned version, After after)
    {
        int status = response.status;
        if (status < 100 || status > 599) {
            spdlog::warn("handler returned HTTP status {}; sending 500", status);
            status = 500;
        }
        m_response.emplace();
        auto& res = *m_response;
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
        res.keep_alive(after == After::KeepAlive);
        res.prepare_payload();
        m_after = after;
        tcpLayer().expires_after(m_core.options.idleTimeout);
        http::async_write(m_stream, res, beast::bind_front_handler(&HttpSession::onWrite, this->shared_from_this()));
    }
    void onWrite(beast::error_code ec, std::size_t)
    {
        logRequest(m_method, m_target, m_response->result_int(), m_started, m_remote);
        m_response.reset();
        if (ec) return drop("write to", ec);
        switch (m_after) {
        case After::KeepAlive: return doRead();
        case After::Close: return doClose(false);
        case After::CloseAfterDrain: return doClose(true);
        }
    }

    void doClose(bool drain)
    {
        m_phase = Phase::Closing;
        beast::error_code ec;
        if (drain) {
            // We answered before reading the whole request. Closing with its
            // rest unread would make the kernel reset the connection, and the
            // client could lose the answer; so end our side and read (and drop)
            // what the client still sends, for a short while.
            tcpLayer().socket().shutdown(tcp::socket::shutdown_send, ec);
            tcpLayer().expires_after(kDrainTime);
            m_scratch.resize(16 * 1024);
            m_drained = 0;
            doDrain();
            return;
        }
        if (m_stream.isTls()) {
            // Sends close_notify; waits only briefly for the client's.
            tcpLayer().expires_after(kTlsShutdownTime);
            m_stream.async_shutdown(beast::bind_front_handler(&HttpSession::onTlsShutdown, this->shared_from_this()));
        } else {
            tcpLayer().socket().shutdown(tcp::socket::shutdown_send, ec);
            tcpLayer().close();
        }
    }

    void onTlsShutdown(beast::error_code)
    {
        beast::error_code ignored;
        tcpLayer().socket().shutdown(tcp::socket::shutdown_send, ignored);
        tcpLayer().close();
    }

    void doDrain()
    {
        tcpLayer().async_read_some(net::buffer(m_scratch),
                                   beast::bind_front_handler(&HttpSession::onDrain, this->shared_from_this()));
    }

    void onDrain(beast::error_code ec, std::size_t n)
    {
        m_drained += n;
        if (!ec && m_drained < kDrainMax) return doDrain();
        tcpLayer().close();
    }

    // The connection broke (or timed out): close without ceremony.
    void drop(const char* what, beast::error_code ec)
    {
        logConnectionEnd(what, m_remote, ec);
        m_phase = Phase::Closing;
        tcpLayer().close();
    }

    ServerCore& m_core;
    std::string m_remote;
    net::any_io_executor m_executor;  // the connection's strand (m_stream may move to a WebSocket)
    AnyStream m_stream;
    std::shared_ptr<ConnectionTicket> m_ticket;  // handed to the WebSocket on an upgrade
    const OverLimit m_over;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::optional<http::response<http::string_body>> m_response;
    HttpRequest m_request;           // the current request (its body only while the handler runs)
    size_t m_bodyLimit = 0;          // of the current request, once admitted
    size_t m_reserved = 0;           // its share of ServerCore::bodyBytesInFlight
    std::string m_method, m_target;  // of the current request, for the log
    Clock::time_point m_started;
    After m_after = After::Close;
    Phase m_phase = Phase::Starting;
    bool m_closing = false;
    std::vector<char> m_scratch;  // for draining
    size_t m_drained = 0;
};

} // namespace

// ------------------------------------------------------------------ Server::Impl (the listener)

class Server::Impl {
public:
    Impl(ServerOptions options, RequestHandler& handler)
        : m_core(std::move(options), handler), m_ioc(std::max(1, m_core.options.threads)),
          m_acceptor(net::make_strand(m_ioc)), m_acceptPause(m_acceptor.get_executor())
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
        if (o.threads < 1)
            throw std::runtime_error("the server needs at least 1 io thread (got " + std::to_string(o.threads) + ")");
        if (o.maxBodyBytes == 0) throw std::runtime_error("the maximum request body size must be above 0");
        if (o.maxAnonymousBodyBytes == 0)
            throw std::runtime_error("the maximum anonymous request body size must be above 0");
        if (o.maxBodyBytesInFlight < o.maxBodyBytes)
            throw std::runtime_error("the request bodies in flight must be allowed at least the maximum request body "
                                     "size (" + std::to_string(o.maxBodyBytes) + " bytes)");
        if (o.maxConnections == 0) throw std::runtime_error("the connection limit must be above 0");
        if (o.maxWebSocketsPerDevice == 0) throw std::runtime_error("the WebSockets per device must be at least 1");
        if (o.idleTimeout.count() <= 0) throw std::runtime_error("the idle timeout must be at least 1 second");
        if (o.headerTimeout.count() <= 0) throw std::runtime_error("the header timeout must be at least 1 second");
        if (o.bodyTimeout.count() <= 0) throw std::runtime_error("the body timeout must be at least 1 second");
        if (o.minBodyRate == 0) throw std::runtime_error("the minimum body rate must be above 0 bytes per second");
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
        fitLimitsToDescriptors();
        net::post(m_acceptor.get_executor(), [this] { doAccept(); });
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
        spdlog::info("fieldsync server listening on {} ({} io thread{}, up to {} connections, {} per address)", url(),
                     m_core.options.threads, m_core.options.threads == 1 ? "" : "s", m_core.limits.total(),
                     m_core.options.maxConnectionsPerAddress == 0
                         ? std::string("no limit")
                         : std::to_string(m_core.options.maxConnectionsPerAddress));
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
        if (m_spare >= 0) ::close(m_spare);
        m_spare = -1;
        spdlog::info("fieldsync server on {} stopped", url());
    }

    void poke(const std::vector<std::string>& users, uint64_t head) { m_core.registry.poke(users, head); }

    size_t connectedWebSockets() const { return m_core.registry.webSockets(); }

    size_t disconnectDevices(const std::vector<std::string>& devices)
    {
        auto sockets = m_core.registry.takeDevices(devices);
        for (auto& [session, owner] : sockets) {
            spdlog::info("closing the WebSocket of device {} (user {}) from {}: the device was signed out", owner.device,
                         owner.user, owner.remote);
            session->closeWith(kCloseDeviceRevoked, "this device was signed out");
        }
        return sockets.size();
    }

    size_t openConnections() const { return m_core.limits.open(); }

    size_t connectionLimit() const { return m_core.limits.total(); }

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

    void doAccept()
    {
        m_acceptor.async_accept(net::make_strand(m_ioc), beast::bind_front_handler(&Impl::onAccept, this));
    }

    // maxConnections, lowered to what the descriptor limit leaves once the
    // descriptors open now, kOtherDescriptors, the reserve and the spare are
    // set aside: the limits then refuse connections cleanly before accept()
    // runs out of descriptors.
    void fitLimitsToDescriptors()
    {
        const ServerOptions& o = m_core.options;
        size_t limit = o.maxConnections;
        rlimit rl{};
        if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
            const size_t soft = static_cast<size_t>(rl.rlim_cur);
            const size_t needed = openDescriptors() + kOtherDescriptors + kReserveSlots + 1;
            const size_t room = soft > needed ? soft - needed : 0;
            if (room < limit) {
                limit = std::max<size_t>(1, room);
                spdlog::warn("the descriptor limit (ulimit -n = {}) leaves room for {} connections, fewer than the {} "
                             "asked for: raise it to serve more",
                             soft, limit, o.maxConnections);
            }
        }
        m_core.limits.setLimits(limit, o.maxConnectionsPerAddress);
        m_spare = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }

    void onAccept(beast::error_code ec, tcp::socket socket)
    {
        if (!m_acceptor.is_open() || ec == net::error::operation_aborted) return;
        if (!ec) {
            startSession(std::move(socket));
            return doAccept();
        }
        if ((ec == net::error::no_descriptors || ec.value() == ENFILE) && shedWithSpare()) return doAccept();
        // Back off instead of spinning.
        spdlog::warn("accept failed: {}", ec.message());
        m_acceptPause.expires_after(std::chrono::milliseconds(100));
        m_acceptPause.async_wait([this](beast::error_code) {
            if (m_acceptor.is_open()) doAccept();
        });
    }

    // Out of descriptors after all (something else in the process took
    // them): the spare descriptor makes room to accept the waiting
    // connections and close them at once, so their clients learn now rather
    // than after a connect timeout. True if any was closed this way.
    bool shedWithSpare()
    {
        if (m_spare >= 0) ::close(m_spare);
        size_t shed = 0;
        for (; shed < 64; ++shed) {
            int fd = ::accept4(m_acceptor.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) break;
            ::close(fd);
        }
        m_spare = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        size_t suppressed = 0;
        if (shed > 0 && m_core.limits.shouldWarn(suppressed))
            spdlog::warn("out of file descriptors: closed {} new connection(s) at accept ({} similar warnings "
                         "suppressed); raise ulimit -n or lower --max-connections",
                         shed, suppressed);
        return shed > 0;
    }

    void startSession(tcp::socket socket)
    {
        beast::error_code ec;
        auto endpoint = socket.remote_endpoint(ec);
        if (ec) return;  // gone already
        socket.set_option(tcp::no_delay(true), ec);
        std::string address = clientAddress(endpoint);
        const OverLimit over = m_core.limits.take(address);
        std::shared_ptr<ConnectionTicket> ticket;
        if (over == OverLimit::None) ticket = std::make_shared<ConnectionTicket>(m_core.limits, address);
        auto session = std::make_shared<HttpSession>(m_core, address, std::move(socket), m_tls.get(), std::move(ticket),
                                                     over);
        if (!m_core.registry.add(session)) return;  // stopping: dropping it closes the socket
        if (over != OverLimit::None) {
            if (auto evicted = m_core.limits.enterReserve(session)) evicted->shutdown();
            size_t suppressed = 0;
            if (m_core.limits.shouldWarn(suppressed))
                spdlog::warn("{} over the {} limit ({}): only /healthz is answered ({} similar warnings suppressed)",
                             address, over == OverLimit::Total ? "connection" : "per-address connection",
                             over == OverLimit::Total ? m_core.limits.total() : m_core.limits.perAddress(), suppressed);
        }
        session->start();
    }

    // Sessions refer to m_core and m_tls: both are declared before (so they
    // are destroyed after) the io_context that owns the sessions' handlers.
    ServerCore m_core;
    std::unique_ptr<ssl::context> m_tls;
    net::ip::address m_address;
    net::io_context m_ioc;
    tcp::acceptor m_acceptor;
    net::steady_timer m_acceptPause;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> m_work;
    std::vector<std::thread> m_threads;
    std::atomic<uint16_t> m_port{0};
    int m_spare = -1;  // a descriptor kept open to be given up when accept() runs out (shedWithSpare)
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

size_t Server::disconnectDevices(const std::vector<std::string>& devices)
{
    return m_impl->disconnectDevices(devices);
}

size_t Server::openConnections() const
{
    return m_impl->openConnections();
}

size_t Server::connectionLimit() const
{
    return m_impl->connectionLimit();
}

} // namespace fieldsync::server
