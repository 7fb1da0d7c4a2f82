// The one translation unit of core/sync that includes Beast (build time).
#include "sync/PokeListener.h"

#include "sync/SyncClient.h"

// Boost 1.74's Asio uses std::exchange without including <utility> (GCC 12, C++20).
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

namespace fieldsync::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

struct Endpoint {
    bool tls = false;
    std::string host, port, target;
};

std::optional<Endpoint> parse(const std::string& server)
{
    Endpoint e;
    std::string rest;
    if (server.rfind("https://", 0) == 0) {
        e.tls = true;
        rest = server.substr(8);
    } else if (server.rfind("http://", 0) == 0) {
        rest = server.substr(7);
    } else {
        return std::nullopt;
    }
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    std::string base = slash == std::string::npos ? "" : rest.substr(slash);
    while (!base.empty() && base.back() == '/') base.pop_back();
    e.target = base + "/v1/ws";
    if (!authority.empty() && authority.front() == '[') {  // [::1]:8470
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        e.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') e.port = authority.substr(close + 2);
    } else {
        const auto colon = authority.rfind(':');
        e.host = authority.substr(0, colon);
        if (colon != std::string::npos) e.port = authority.substr(colon + 1);
    }
    if (e.host.empty()) return std::nullopt;
    if (e.port.empty()) e.port = e.tls ? "443" : "80";
    return e;
}

std::string hostHeader(const Endpoint& e)
{
    const bool v6 = e.host.find(':') != std::string::npos;
    return (v6 ? "[" + e.host + "]" : e.host) + ":" + e.port;
}

} // namespace

struct PokeListener::Impl {
    std::string server, token;
    PokeCallback onPoke;
    StateCallback onState;
    Options options;

    std::unique_ptr<asio::io_context> ioc;  // one per start(): stop() destroys it with its sockets
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::mt19937_64 random{std::random_device{}()};

    void state(bool connected, const std::string& reason)
    {
        if (onState && !stopping) onState(connected, reason);
    }

    std::chrono::milliseconds backoff(size_t failures)
    {
        // Half fixed, half random: a server that restarts is not hit by every
        // device at the same instant, and never sooner than half the step.
        const double exponent = static_cast<double>(std::min<size_t>(failures > 0 ? failures - 1 : 0, 30));
        const double step = std::min(static_cast<double>(options.backoffCap.count()),
                                     static_cast<double>(options.backoffBase.count()) * std::exp2(exponent));
        const double r = std::uniform_real_distribution<double>(0.0, 1.0)(random);
        return std::chrono::milliseconds(static_cast<int64_t>(step / 2 + r * step / 2));
    }

    // One connection, until it fails. Returns after a poke was read at least
    // once or the handshake succeeded, so the caller can reset its backoff.
    template <class Ws>
    awaitable<void> listen(Ws& ws, const Endpoint& e, bool& connected)
    {
        websocket::stream_base::timeout timeouts;
        timeouts.handshake_timeout = std::chrono::seconds(30);
        timeouts.idle_timeout = options.idleTimeout;
        timeouts.keep_alive_pings = true;
        ws.set_option(timeouts);
        const std::string bearer = "Bearer " + token;
        ws.set_option(websocket::stream_base::decorator([bearer](websocket::request_type& req) {
            req.set(beast::http::field::authorization, bearer);
            req.set(beast::http::field::user_agent, "fieldsync-device");
        }));
        // A poke is a few dozen bytes: a server sending more is not heard.
        ws.read_message_max(4096);
        co_await ws.async_handshake(hostHeader(e), e.target, use_awaitable);
        connected = true;
        state(true, {});
        // Changes may have arrived while the socket was down.
        if (onPoke && !stopping) onPoke(0);
        beast::flat_buffer buffer;
        for (;;) {
            co_await ws.async_read(buffer, use_awaitable);
            auto message = nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
            buffer.consume(buffer.size());
            if (!message.is_object() || message.value("type", "") != "changes") continue;  // ignore what we do not know
            uint64_t head = message.contains("head") && message["head"].is_number_unsigned()
                ? message["head"].get<uint64_t>()
                : 0;
            if (onPoke && !stopping) onPoke(head);
        }
    }

    awaitable<void> run()
    {
        auto executor = co_await asio::this_coro::executor;
        auto endpoint = parse(server);
        if (!endpoint) {
            state(false, "not an http:// or https:// server URL: " + server);
            co_return;
        }
        // The token goes in the upgrade request: never unencrypted beyond this machine.
        if (auto secure = requireSecureServer(server); !secure) {
            state(false, secure.error().message);
            co_return;
        }
        size_t failures = 0;
        tcp::resolver resolver(executor);
        asio::steady_timer wait(executor);
        while (!stopping) {
            bool connected = false;
            std::string reason;
            try {
                auto addresses = co_await resolver.async_resolve(endpoint->host, endpoint->port, use_awaitable);
                if (endpoint->tls) {
                    asio::ssl::context tls(asio::ssl::context::tls_client);
                    tls.set_default_verify_paths();
                    if (!options.caFile.empty()) tls.load_verify_file(options.caFile);
                    tls.set_verify_mode(asio::ssl::verify_peer);
                    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(executor, tls);
                    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(30));
                    co_await beast::get_lowest_layer(ws).async_connect(addresses, use_awaitable);
                    if (!SSL_set_tlsext_host_name(ws.next_layer().native_handle(), endpoint->host.c_str()))
                        throw std::runtime_error("cannot set the TLS server name");
                    ws.next_layer().set_verify_callback(asio::ssl::host_name_verification(endpoint->host));
                    co_await ws.next_layer().async_handshake(asio::ssl::stream_base::client, use_awaitable);
                    beast::get_lowest_layer(ws).expires_never();  // the websocket's own timeouts from here
                    co_await listen(ws, *endpoint, connected);
                } else {
                    websocket::stream<beast::tcp_stream> ws(executor);
                    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(30));
                    co_await beast::get_lowest_layer(ws).async_connect(addresses, use_awaitable);
                    beast::get_lowest_layer(ws).expires_never();
                    co_await listen(ws, *endpoint, connected);
                }
            } catch (const boost::system::system_error& e) {
                if (e.code() == websocket::error::upgrade_declined)
                    reason = "the server refused the WebSocket (signed out or token revoked?)";
                else if (e.code() == websocket::error::closed)
                    reason = "the server closed the connection";
                else
                    reason = e.code().message();
            } catch (const std::exception& e) {
                reason = e.what();
            }
            if (stopping) break;
            failures = connected ? 1 : failures + 1;
            state(false, reason);
            wait.expires_after(backoff(failures));
            boost::system::error_code ignored;
            co_await wait.async_wait(asio::redirect_error(use_awaitable, ignored));
        }
    }
};

PokeListener::PokeListener(std::string server, std::string token, PokeCallback onPoke, StateCallback onState)
    : PokeListener(std::move(server), std::move(token), std::move(onPoke), std::move(onState), Options{})
{
}

PokeListener::PokeListener(std::string server, std::string token, PokeCallback onPoke, StateCallback onState,
                           Options options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->server = std::move(server);
    m_impl->token = std::move(token);
    m_impl->onPoke = std::move(onPoke);
    m_impl->onState = std::move(onState);
    m_impl->options = std::move(options);
}

PokeListener::~PokeListener()
{
    stop();
}

void PokeListener::start()
{
    if (m_impl->thread.joinable()) return;
    m_impl->stopping = false;
    m_impl->ioc = std::make_unique<asio::io_context>(1);
    asio::co_spawn(*m_impl->ioc, m_impl->run(), asio::detached);
    m_impl->thread = std::thread([ioc = m_impl->ioc.get()] { ioc->run(); });
}

void PokeListener::stop()
{
    if (!m_impl->thread.joinable()) return;
    m_impl->stopping = true;
    m_impl->ioc->stop();
    m_impl->thread.join();
    // Abandoned mid-read or mid-wait: destroying the io_context destroys the
    // coroutine's frame, which closes the socket.
    m_impl->ioc.reset();
}

std::string PokeListener::webSocketUrl(const std::string& server)
{
    auto e = parse(server);
    if (!e) return {};
    return std::string(e->tls ? "wss://" : "ws://") + hostHeader(*e) + e->target;
}

} // namespace fieldsync::client
