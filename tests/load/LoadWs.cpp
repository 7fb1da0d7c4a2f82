#include "LoadWs.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <memory>

namespace fieldsync::load {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

struct Shared {
    net::io_context io;
    uint16_t port = 0;
    const std::vector<std::string>* tokens = nullptr;
    size_t next = 0;      // next token to connect
    size_t pending = 0;   // attempts not ended
    WsClientReport report;
    bool connectPhase = true;
    std::vector<std::shared_ptr<struct Client>> clients;
};

struct Client : std::enable_shared_from_this<Client> {
    Client(Shared& s, std::string t) : shared(s), ws(s.io), token(std::move(t)) {}

    void start()
    {
        auto self = shared_from_this();
        beast::get_lowest_layer(ws).async_connect(tcp::endpoint(net::ip::address_v4::loopback(), shared.port),
                                                  [self](beast::error_code ec) { self->onConnect(ec); });
    }
    void onConnect(beast::error_code ec)
    {
        if (ec) return ended(false);
        std::string bearer = "Bearer " + token;
        ws.set_option(websocket::stream_base::decorator(
            [bearer](websocket::request_type& request) { request.set(beast::http::field::authorization, bearer); }));
        auto self = shared_from_this();
        ws.async_handshake("127.0.0.1", "/v1/ws", [self](beast::error_code e) { self->onHandshake(e); });
    }
    void onHandshake(beast::error_code ec)
    {
        if (ec) return ended(false);
        ended(true);
        read();
    }
    void read()
    {
        auto self = shared_from_this();
        ws.async_read(buffer, [self](beast::error_code ec, size_t) {
            if (ec) return;
            if (!self->delivered) {
                self->delivered = true;
                ++self->shared.report.delivered;
                self->shared.report.lastDeliveryNs =
                    std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count();
                if (!self->shared.connectPhase && self->shared.report.delivered >= self->shared.report.connected)
                    self->shared.io.stop();
            }
            self->buffer.consume(self->buffer.size());
            self->read();
        });
    }
    void ended(bool ok)
    {
        ++(ok ? shared.report.connected : shared.report.failed);
        --shared.pending;
    }

    Shared& shared;
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::string token;
    bool delivered = false;
};

void launch(Shared& s, size_t inFlight)
{
    while (s.pending < inFlight && s.next < s.tokens->size()) {
        auto c = std::make_shared<Client>(s, (*s.tokens)[s.next++]);
        s.clients.push_back(c);
        ++s.pending;
        c->start();
    }
}

} // namespace

WsClientReport runIdleWebSockets(uint16_t port, const std::vector<std::string>& tokens, size_t inFlight,
                                 double deliveryTimeoutS, void (*onConnected)(const WsClientReport&, void*),
                                 void* context)
{
    Shared s;
    s.port = port;
    s.tokens = &tokens;
    s.clients.reserve(tokens.size());
    auto t0 = std::chrono::steady_clock::now();
    launch(s, inFlight);
    // Drive the connect phase: run handlers one at a time, topping up the
    // in-flight window after each.
    while (s.pending > 0 || s.next < tokens.size()) {
        if (s.io.run_one() == 0) break;
        launch(s, inFlight);
    }
    s.report.connectSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s.connectPhase = false;
    onConnected(s.report, context);
    if (s.report.delivered < s.report.connected) {
        s.io.restart();
        net::steady_timer deadline(s.io, std::chrono::milliseconds(static_cast<int64_t>(deliveryTimeoutS * 1000)));
        deadline.async_wait([&s](beast::error_code ec) {
            if (!ec) s.io.stop();
        });
        s.io.run();
    }
    return s.report;
}

} // namespace fieldsync::load
