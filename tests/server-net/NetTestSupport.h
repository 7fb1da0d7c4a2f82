// Shared by the server-net tests: a fake RequestHandler, small Beast clients
// (HTTP and WebSocket, plain or TLS) and the ServerNetTest fixture. Every
// client operation is bounded (kTimeout); waits poll with short sleeps up to
// a deadline instead of sleeping a fixed time.
#pragma once

#include "net/Server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

namespace fieldsync::server::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
// Bare Asio streams: lighter to compile than Beast's tcp_stream, and Io
// bounds every operation anyway.
using PlainStream = tcp::socket;
using TlsStream = ssl::stream<tcp::socket>;
using namespace std::chrono_literals;

constexpr auto kTimeout = 5s;

inline std::string str(beast::string_view s)
{
    return std::string(s.data(), s.size());
}

// Polls `done` every few milliseconds, up to `limit`.
inline bool eventually(const std::function<bool()>& done, Clock::duration limit = kTimeout)
{
    auto deadline = Clock::now() + limit;
    while (!done()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

// ------------------------------------------------------------------ the fake handler

// Tokens: t-lina (device d-lina-phone) and t-lina2 (d-lina-tablet) are
// lina's, t-bob (d-bob) is bob's. A request carrying one of them as
// `Authorization: Bearer` is admitted as authenticated (the large body
// limit); everything else is anonymous. A request to /v1/refuse is refused
// at admission with 401.
class FakeHandler : public RequestHandler {
public:
    static std::optional<std::pair<std::string, std::string>> ownerOf(const std::string& token)
    {
        if (token == "t-lina") return std::pair<std::string, std::string>{"lina", "d-lina-phone"};
        if (token == "t-lina2") return std::pair<std::string, std::string>{"lina", "d-lina-tablet"};
        if (token == "t-bob") return std::pair<std::string, std::string>{"bob", "d-bob"};
        return std::nullopt;
    }

    Admission admit(const HttpRequest& head) override
    {
        ++admissions;
        EXPECT_TRUE(head.body.empty()) << "admit() sees the headers only";
        Admission a;
        if (head.target == "/v1/refuse") {
            a.refusal = HttpResponse{401, "application/json",
                                     R"({"error":"unauthenticated","message":"refused at admission","retry":"after_login"})",
                                     {}};
            return a;
        }
        std::string auth = head.header("authorization");
        a.authenticated = auth.rfind("Bearer ", 0) == 0 && ownerOf(auth.substr(7)).has_value();
        return a;
    }

    HttpResponse handle(const HttpRequest& request) override
    {
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(request);
        }
        ++calls;
        if (request.target == "/slow") {
            slowEntered.set_value();
            if (m_release.wait_for(10s) != std::future_status::ready) ADD_FAILURE() << "/slow was never released";
            HttpResponse r;
            r.body = R"({"slow":"done"})";
            return r;
        }
        HttpResponse r;
        r.status = 202;
        r.contentType = "text/plain; charset=utf-8";
        r.body = "echo:" + request.body;
        r.headers = {{"X-Extra", "yes"}, {"Retry-After", "3"}};
        return r;
    }

    Upgrade authorizeWebSocket(const HttpRequest& request) override
    {
        ++authorizations;
        std::string token;
        std::string auth = request.header("authorization");
        if (auth.rfind("Bearer ", 0) == 0) token = auth.substr(7);
        auto q = request.target.find("?token=");
        if (q != std::string::npos) token = request.target.substr(q + 7);
        Upgrade u;
        if (auto owner = ownerOf(token)) {
            u.accepted = true;
            std::tie(u.user, u.device) = *owner;
        } else {
            u.refusal.status = 401;
            u.refusal.body = R"({"error":"unauthenticated","message":"bad token","retry":"after_login"})";
        }
        return u;
    }

    std::vector<HttpRequest> requests()
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

    void releaseSlow() { m_releasePromise.set_value(); }

    std::atomic<int> calls{0};
    std::atomic<int> admissions{0};
    std::atomic<int> authorizations{0};
    std::promise<void> slowEntered;

private:
    std::mutex m_mutex;
    std::vector<HttpRequest> m_requests;
    std::promise<void> m_releasePromise;
    std::shared_future<void> m_release = m_releasePromise.get_future().share();
};

// ------------------------------------------------------------------ bounded Beast clients

// The completion handler of every client operation: one type, so each Beast
// operation is compiled once per stream type rather than once per call site.
struct Done {
    bool* done;
    beast::error_code* result;
    void operator()(beast::error_code ec, std::size_t = 0) const
    {
        *result = ec;
        *done = true;
    }
};

// An io_context for one test thread's clients. await() starts an operation
// and runs until it completes; past kTimeout `abort` closes the socket, which
// completes it with an error (and the test fails).
class Io {
public:
    template <class Start>
    beast::error_code await(Start&& start, const std::function<void()>& abort)
    {
        bool done = false;
        beast::error_code result;
        start(Done{&done, &result});
        if (!runUntil(done, kTimeout)) {
            ADD_FAILURE() << "a client operation took longer than " << kTimeout.count() << " s";
            abort();
            if (!runUntil(done, kTimeout)) std::abort();  // would leave a handler pointing at this frame
            if (!result) result = net::error::timed_out;
        }
        return result;
    }

    net::io_context ioc;

private:
    bool runUntil(const bool& done, Clock::duration limit)
    {
        ioc.restart();
        auto deadline = Clock::now() + limit;
        while (!done && Clock::now() < deadline)
            if (ioc.run_one_until(deadline) == 0 && ioc.stopped()) break;
        return done;
    }
};

inline std::unique_ptr<ssl::context> clientTls(const std::string& caFile)
{
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    ctx->load_verify_file(caFile);
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
}

template <class Stream>
constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

// An HTTP client connection (plain or TLS).
template <class Stream>
class HttpClient {
public:
    explicit HttpClient(Io& io, ssl::context* tls = nullptr) : m_io(io)
    {
        if constexpr (kTls<Stream>)
            m_stream.emplace(io.ioc, *tls);
        else
            m_stream.emplace(io.ioc);
    }

    // `from`: a local address to connect from (e.g. 127.0.0.2, another
    // client address on the loopback interface).
    beast::error_code connect(uint16_t port, const std::string& from = {})
    {
        if (!from.empty()) {
            beast::error_code ec;
            tcpLayer().open(tcp::v4(), ec);
            if (!ec) tcpLayer().bind(tcp::endpoint(net::ip::make_address(from), 0), ec);
            if (ec) return ec;
        }
        auto ec = op([&](Done h) { tcpLayer().async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port), h); });
        if constexpr (kTls<Stream>) {
            if (ec) return ec;
            SSL_set_tlsext_host_name(m_stream->native_handle(), "localhost");
            m_stream->set_verify_callback(ssl::host_name_verification("localhost"));
            ec = op([&](Done h) { m_stream->async_handshake(ssl::stream_base::client, h); });
        }
        return ec;
    }

    http::response<http::string_body> exchange(http::request<http::string_body> request, beast::error_code& ec)
    {
        request.set(http::field::host, "localhost");
        request.prepare_payload();
        http::response<http::string_body> response;
        ec = op([&](Done h) { http::async_write(*m_stream, request, h); });
        if (!ec) ec = readResponse(response);
        return response;
    }

    http::response<http::string_body> post(const std::string& target, const std::string& body, beast::error_code& ec,
                                           const std::string& bearer = {})
    {
        http::request<http::string_body> request{http::verb::post, target, 11};
        if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
        request.body() = body;
        return exchange(std::move(request), ec);
    }

    http::response<http::string_body> get(const std::string& target, beast::error_code& ec)
    {
        return exchange(http::request<http::string_body>{http::verb::get, target, 11}, ec);
    }

    beast::error_code readResponse(http::response<http::string_body>& response)
    {
        return op([&](Done h) { http::async_read(*m_stream, m_buffer, response, h); });
    }

    beast::error_code writeRaw(const std::string& bytes)
    {
        return op([&](Done h) { net::async_write(*m_stream, net::buffer(bytes), h); });
    }

    // Reads until the server closes the connection; returns how it ended.
    beast::error_code readUntilClosed()
    {
        std::array<char, 4096> scratch;
        while (true) {
            auto ec = op([&](Done h) { m_stream->async_read_some(net::buffer(scratch), h); });
            if (ec) return ec;
        }
    }

    template <class Start>
    beast::error_code op(Start&& start)
    {
        return m_io.await(std::forward<Start>(start), [this] {
            beast::error_code ignored;
            tcpLayer().close(ignored);
        });
    }

    tcp::socket& tcpLayer() { return beast::get_lowest_layer(*m_stream); }

private:
    Io& m_io;
    std::optional<Stream> m_stream;
    beast::flat_buffer m_buffer;
};

// A WebSocket client (ws:// or wss://).
template <class Stream>
class WsClient {
public:
    explicit WsClient(Io& io, ssl::context* tls = nullptr) : m_io(io)
    {
        if constexpr (kTls<Stream>)
            m_ws.emplace(io.ioc, *tls);
        else
            m_ws.emplace(io.ioc);
    }

    // Connects and upgrades; a refusal ends in websocket::error::upgrade_declined
    // with the server's answer in `response`.
    beast::error_code open(uint16_t port, const std::string& target, const std::string& bearer,
                           websocket::response_type* response = nullptr)
    {
        auto ec = op([&](Done h) {
            beast::get_lowest_layer(*m_ws).async_connect(tcp::endpoint(net::ip::address_v4::loopback(), port), h);
        });
        if (ec) return ec;
        if constexpr (kTls<Stream>) {
            SSL_set_tlsext_host_name(m_ws->next_layer().native_handle(), "localhost");
            m_ws->next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
            ec = op([&](Done h) { m_ws->next_layer().async_handshake(ssl::stream_base::client, h); });
            if (ec) return ec;
        }
        m_ws->set_option(websocket::stream_base::decorator([bearer](websocket::request_type& request) {
            if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
        }));
        websocket::response_type answer;
        ec = op([&](Done h) { m_ws->async_handshake(answer, "localhost", target, h); });
        if (response) *response = answer;
        return ec;
    }

    std::string read(beast::error_code& ec)
    {
        beast::flat_buffer buffer;
        ec = op([&](Done h) { m_ws->async_read(buffer, h); });
        return beast::buffers_to_string(buffer.data());
    }

    std::string read()
    {
        beast::error_code ec;
        std::string text = read(ec);
        EXPECT_FALSE(ec) << ec.message();
        return text;
    }

    beast::error_code close()
    {
        return op([&](Done h) { m_ws->async_close(websocket::close_code::normal, h); });
    }

    websocket::close_reason reason() const { return m_ws->reason(); }

private:
    template <class Start>
    beast::error_code op(Start&& start)
    {
        return m_io.await(std::forward<Start>(start), [this] {
            beast::error_code ignored;
            beast::get_lowest_layer(*m_ws).close(ignored);
        });
    }

    Io& m_io;
    std::optional<websocket::stream<Stream>> m_ws;
};

inline beast::error_code tryConnect(uint16_t port)
{
    Io io;
    HttpClient<PlainStream> client(io);
    return client.connect(port);
}

// ------------------------------------------------------------------ fixtures

class ServerNetTest : public ::testing::Test {
protected:
    ServerOptions options()
    {
        ServerOptions o;
        o.address = "127.0.0.1";
        o.port = 0;
        o.threads = 2;
        o.maxBodyBytes = 1024;
        return o;
    }

    Server& start(ServerOptions o)
    {
        m_server = std::make_unique<Server>(std::move(o), handler);
        m_server->start();
        return *m_server;
    }

    Server& start() { return start(options()); }

    FakeHandler handler;
    Io io;

private:
    std::unique_ptr<Server> m_server;
};

} // namespace fieldsync::server::test
