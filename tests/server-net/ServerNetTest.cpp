// fs_server_net against a fake RequestHandler, with small Beast clients
// (NetTestSupport.h): HTTP, WebSockets, stop, options, TLS, and the device's
// PokeListener against the real network layer.
#include "NetTestSupport.h"
#include "sync/PokeListener.h"

namespace fieldsync::server::test {
namespace {

// ------------------------------------------------------------------ HTTP

TEST_F(ServerNetTest, PostRoundTripPassesRequestAndResponseThrough)
{
    Server& server = start();
    ASSERT_NE(server.port(), 0);
    EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));

    http::request<http::string_body> request{http::verb::post, "/v1/echo?x=1", 11};
    request.set("X-Device-Name", "Lina's Phone");
    request.insert("X-Twice", "a");
    request.insert("X-Twice", "b");
    request.set(http::field::content_type, "application/json");
    request.body() = R"({"hello":"world"})";
    beast::error_code ec;
    auto response = client.exchange(request, ec);
    ASSERT_FALSE(ec) << ec.message();

    EXPECT_EQ(response.result_int(), 202);
    EXPECT_EQ(response.body(), R"(echo:{"hello":"world"})");
    EXPECT_EQ(str(response[http::field::content_type]), "text/plain; charset=utf-8");
    EXPECT_EQ(str(response["X-Extra"]), "yes");
    EXPECT_EQ(str(response[http::field::retry_after]), "3");
    EXPECT_EQ(str(response[http::field::server]), "fieldsync");
    EXPECT_TRUE(response.keep_alive());

    auto requests = handler.requests();
    ASSERT_EQ(requests.size(), 1u);
    const HttpRequest& seen = requests[0];
    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.target, "/v1/echo?x=1");
    EXPECT_EQ(seen.body, R"({"hello":"world"})");
    EXPECT_EQ(seen.remoteAddress, "127.0.0.1");
    EXPECT_EQ(seen.header("x-device-name"), "Lina's Phone");
    EXPECT_EQ(seen.header("content-type"), "application/json");
    EXPECT_EQ(seen.header("host"), "localhost");
    EXPECT_EQ(seen.header("x-twice"), "a, b");
    for (const auto& [name, value] : seen.headers)
        for (char c : name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << name;
}

TEST_F(ServerNetTest, KeepAliveServesTwoRequestsOnOneConnection)
{
    Server& server = start();
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    beast::error_code ec;
    auto first = client.post("/v1/one", "1", ec);
    ASSERT_FALSE(ec) << ec.message();
    auto second = client.post("/v1/two", "2", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(first.body(), "echo:1");
    EXPECT_EQ(second.body(), "echo:2");
    auto requests = handler.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1].target, "/v1/two");
}

TEST_F(ServerNetTest, BodyOverTheLimitGets413AndTheHandlerIsNotCalled)
{
    Server& server = start();  // maxBodyBytes = 1024
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    beast::error_code ec;
    auto response = client.post("/v1/sync", std::string(4096, 'x'), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(str(response[http::field::content_type]), "application/json");
    EXPECT_NE(response.body().find(R"("error":"payload_too_large")"), std::string::npos) << response.body();
    EXPECT_NE(response.body().find(R"("retry":"never")"), std::string::npos) << response.body();
    EXPECT_NE(response.body().find(R"("message":")"), std::string::npos) << response.body();
    EXPECT_FALSE(response.keep_alive());
    EXPECT_EQ(handler.calls, 0);
    EXPECT_EQ(client.readUntilClosed(), net::error::eof);

    // A body exactly at the limit is fine.
    HttpClient<PlainStream> again(io);
    ASSERT_FALSE(again.connect(server.port()));
    response = again.post("/v1/sync", std::string(1024, 'y'), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(response.result_int(), 202);
    EXPECT_EQ(handler.calls, 1);
}

TEST_F(ServerNetTest, ExpectContinueGetsA100ThenTheAnswer)
{
    Server& server = start();
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    ASSERT_FALSE(client.writeRaw("POST /v1/up HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                                 "Expect: 100-continue\r\n\r\n"));
    http::response<http::string_body> interim;
    ASSERT_FALSE(client.readResponse(interim));
    EXPECT_EQ(interim.result_int(), 100);
    EXPECT_EQ(handler.calls, 0);
    ASSERT_FALSE(client.writeRaw("hello"));
    http::response<http::string_body> final;
    ASSERT_FALSE(client.readResponse(final));
    EXPECT_EQ(final.result_int(), 202);
    EXPECT_EQ(final.body(), "echo:hello");
}

TEST_F(ServerNetTest, MalformedRequestGets400)
{
    Server& server = start();
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    ASSERT_FALSE(client.writeRaw("this is not http\r\n\r\n"));
    http::response<http::string_body> response;
    ASSERT_FALSE(client.readResponse(response));
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find(R"("error":"invalid_argument")"), std::string::npos) << response.body();
    EXPECT_EQ(handler.calls, 0);
    EXPECT_EQ(client.readUntilClosed(), net::error::eof);
}

TEST_F(ServerNetTest, IdleConnectionIsClosedAfterTheIdleTimeout)
{
    ServerOptions o = options();
    o.idleTimeout = 1s;
    Server& server = start(o);
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    beast::error_code ec;
    client.post("/v1/x", "", ec);
    ASSERT_FALSE(ec) << ec.message();
    auto idleSince = Clock::now();
    auto end = client.readUntilClosed();  // bounded by kTimeout
    auto waited = Clock::now() - idleSince;
    EXPECT_TRUE(end == net::error::eof || end == net::error::connection_reset) << end.message();
    EXPECT_GE(waited, 900ms);
    EXPECT_LT(waited, 4s);
}

// ------------------------------------------------------------------ WebSockets

TEST_F(ServerNetTest, PokeReachesOnlyTheNamedUsersSockets)
{
    Server& server = start();
    WsClient<PlainStream> lina(io), bob(io);
    ASSERT_FALSE(lina.open(server.port(), "/v1/ws", "t-lina"));      // Authorization: Bearer
    ASSERT_FALSE(bob.open(server.port(), "/v1/ws?token=t-bob", ""));  // ?token=
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2; }));
    EXPECT_EQ(handler.calls, 0);  // upgrades go to authorizeWebSocket, not handle
    EXPECT_EQ(handler.authorizations, 2);

    server.poke({"lina"}, 7);
    EXPECT_EQ(lina.read(), R"({"type":"changes","head":7})");
    // Bob's first frame is the next poke's: he never got head 7.
    server.poke({"bob"}, 8);
    EXPECT_EQ(bob.read(), R"({"type":"changes","head":8})");
}

TEST_F(ServerNetTest, PokeWithNoUsersReachesEveryone)
{
    Server& server = start();
    WsClient<PlainStream> lina(io), linaTablet(io), bob(io);
    ASSERT_FALSE(lina.open(server.port(), "/v1/ws", "t-lina"));
    ASSERT_FALSE(linaTablet.open(server.port(), "/v1/ws", "t-lina2"));
    ASSERT_FALSE(bob.open(server.port(), "/v1/ws", "t-bob"));
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 3; }));
    server.poke({}, 42);
    const std::string expected = R"({"type":"changes","head":42})";
    EXPECT_EQ(lina.read(), expected);
    EXPECT_EQ(linaTablet.read(), expected);
    EXPECT_EQ(bob.read(), expected);
    server.poke({"lina", "nobody"}, 43);  // both of Lina's devices
    EXPECT_EQ(lina.read(), R"({"type":"changes","head":43})");
    EXPECT_EQ(linaTablet.read(), R"({"type":"changes","head":43})");
}

TEST_F(ServerNetTest, RefusedUpgradeGetsTheHandlersRefusal)
{
    Server& server = start();
    WsClient<PlainStream> client(io);
    websocket::response_type response;
    auto ec = client.open(server.port(), "/v1/ws", "wrong", &response);
    EXPECT_EQ(ec, websocket::error::upgrade_declined) << ec.message();
    EXPECT_EQ(response.result_int(), 401);
    EXPECT_NE(response.body().find("unauthenticated"), std::string::npos) << response.body();
    EXPECT_EQ(server.connectedWebSockets(), 0u);
}

TEST_F(ServerNetTest, ConnectedWebSocketsCountsAndDropsAfterClose)
{
    Server& server = start();
    EXPECT_EQ(server.connectedWebSockets(), 0u);
    {
        WsClient<PlainStream> lina(io), bob(io);
        ASSERT_FALSE(lina.open(server.port(), "/v1/ws", "t-lina"));
        ASSERT_FALSE(bob.open(server.port(), "/v1/ws", "t-bob"));
        ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2; }));
        EXPECT_FALSE(lina.close());
        ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 1; }));
        server.poke({}, 5);  // still reaches Bob
        EXPECT_EQ(bob.read(), R"({"type":"changes","head":5})");
    }  // Bob's socket dropped without a close frame
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 0; }));
    server.poke({}, 6);  // nobody left: harmless
}

// ------------------------------------------------------------------ stop

TEST_F(ServerNetTest, StopLetsAnInFlightRequestFinishAndRefusesNewConnections)
{
    Server& server = start();
    const uint16_t port = server.port();

    // An idle keep-alive connection, closed by stop() without waiting for it.
    HttpClient<PlainStream> idle(io);
    ASSERT_FALSE(idle.connect(port));
    beast::error_code ec;
    idle.post("/v1/x", "", ec);
    ASSERT_FALSE(ec);

    // A slow request in flight on another thread.
    http::response<http::string_body> slowResponse;
    beast::error_code slowError;
    std::thread slowClient([&] {
        Io clientIo;
        HttpClient<PlainStream> client(clientIo);
        slowError = client.connect(port);
        if (!slowError) slowResponse = client.post("/slow", "", slowError);
    });
    auto entered = handler.slowEntered.get_future();
    ASSERT_EQ(entered.wait_for(kTimeout), std::future_status::ready);

    auto stopStarted = Clock::now();
    auto stopped = std::async(std::launch::async, [&] { server.stop(); });
    // New connections are refused as soon as the listener is closed...
    EXPECT_TRUE(eventually([&] { return tryConnect(port) == net::error::connection_refused; }));
    // ...while the request being handled still gets its answer.
    EXPECT_EQ(stopped.wait_for(50ms), std::future_status::timeout);
    handler.releaseSlow();
    slowClient.join();
    ASSERT_FALSE(slowError) << slowError.message();
    EXPECT_EQ(slowResponse.result_int(), 200);
    EXPECT_EQ(slowResponse.body(), R"({"slow":"done"})");
    EXPECT_FALSE(slowResponse.keep_alive());  // Connection: close

    ASSERT_EQ(stopped.wait_for(kTimeout), std::future_status::ready);
    EXPECT_LT(Clock::now() - stopStarted, 4s);  // drained, not timed out (stopTimeout is 5 s)
    EXPECT_EQ(idle.readUntilClosed(), net::error::eof);
    EXPECT_EQ(tryConnect(port), net::error::connection_refused);
    server.stop();  // idempotent
    server.poke({}, 1);  // harmless after stop
}

TEST_F(ServerNetTest, StopClosesWebSocketsWithACloseFrame)
{
    Server& server = start();
    WsClient<PlainStream> lina(io);
    ASSERT_FALSE(lina.open(server.port(), "/v1/ws", "t-lina"));
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 1; }));
    auto stopStarted = Clock::now();
    auto stopped = std::async(std::launch::async, [&] { server.stop(); });
    beast::error_code ec;
    lina.read(ec);  // Beast answers the close frame while reading
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
    EXPECT_EQ(lina.reason().code, websocket::close_code::going_away);
    ASSERT_EQ(stopped.wait_for(kTimeout), std::future_status::ready);
    EXPECT_LT(Clock::now() - stopStarted, 4s);
    EXPECT_EQ(server.connectedWebSockets(), 0u);
}

TEST_F(ServerNetTest, StopBeforeStartAndDestructionAreSafe)
{
    {
        Server unstarted(options(), handler);
        unstarted.stop();
        unstarted.stop();
        EXPECT_THROW(unstarted.start(), std::runtime_error);  // stopped servers stay stopped
    }
    {
        Server running(options(), handler);
        running.start();
        EXPECT_THROW(running.start(), std::runtime_error);
        WsClient<PlainStream> lina(io);
        ASSERT_FALSE(lina.open(running.port(), "/v1/ws", "t-lina"));
    }  // the destructor stops it
}

// ------------------------------------------------------------------ options

TEST_F(ServerNetTest, PlainHttpOnANonLoopbackAddressNeedsInsecure)
{
    ServerOptions o = options();
    o.address = "0.0.0.0";
    try {
        Server server(o, handler);
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("--insecure"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("0.0.0.0"), std::string::npos) << e.what();
    }
    o.insecure = true;
    Server server(o, handler);
    server.start();
    EXPECT_NE(server.port(), 0);
    HttpClient<PlainStream> client(io);  // 0.0.0.0 includes loopback
    ASSERT_FALSE(client.connect(server.port()));
}

TEST_F(ServerNetTest, BadOptionsThrowClearMessages)
{
    auto message = [&](ServerOptions o) -> std::string {
        try {
            Server server(std::move(o), handler);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "(no exception)";
    };
    ServerOptions o = options();
    o.address = "not-an-ip";
    EXPECT_NE(message(o).find("not-an-ip"), std::string::npos) << message(o);
    o = options();
    o.threads = 0;
    EXPECT_NE(message(o).find("thread"), std::string::npos) << message(o);
    o = options();
    o.tlsCertFile = "/nonexistent/c.pem";
    EXPECT_NE(message(o).find("key"), std::string::npos) << message(o);  // both or neither
    o.tlsKeyFile = "/nonexistent/k.pem";
    EXPECT_NE(message(o).find("/nonexistent/c.pem"), std::string::npos) << message(o);
    o = options();
    o.address = "localhost";
    EXPECT_EQ(message(o), "(no exception)");
}

TEST_F(ServerNetTest, PortInUseThrowsNamingAddressAndPort)
{
    Server& first = start();
    ServerOptions o = options();
    o.port = first.port();
    Server second(o, handler);
    try {
        second.start();
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())), std::string::npos) << e.what();
    }
}

// ------------------------------------------------------------------ TLS

class ServerTlsTest : public ServerNetTest {
protected:
    static void SetUpTestSuite()
    {
        const char* base = std::getenv("FIELDSYNC_TEST_TMP");
        std::string pattern =
            ((base && *base) ? std::filesystem::path(base) : std::filesystem::temp_directory_path()) / "server-net-XXXXXX";
        ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
        s_dir = pattern;
        std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -keyout '" + key() + "' -out '" + cert() +
                              "' -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << "needs the openssl command: " << command;
    }

    static void TearDownTestSuite()
    {
        std::error_code ignored;
        if (!s_dir.empty()) std::filesystem::remove_all(s_dir, ignored);
    }

    static std::string cert() { return (s_dir / "c.pem").string(); }
    static std::string key() { return (s_dir / "k.pem").string(); }

    ServerOptions tlsOptions()
    {
        ServerOptions o = options();
        o.tlsCertFile = cert();
        o.tlsKeyFile = key();
        return o;
    }

    static inline std::filesystem::path s_dir;
};

TEST_F(ServerTlsTest, ServesHttpsAndPokesOverWss)
{
    Server& server = start(tlsOptions());
    EXPECT_EQ(server.url(), "https://127.0.0.1:" + std::to_string(server.port()));
    auto tls = clientTls(cert());  // verifies the server against the self-signed certificate

    HttpClient<TlsStream> client(io, tls.get());
    ASSERT_FALSE(client.connect(server.port()));
    beast::error_code ec;
    auto first = client.post("/v1/echo", "over tls", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(first.result_int(), 202);
    EXPECT_EQ(first.body(), "echo:over tls");
    auto second = client.post("/v1/echo", "again", ec);  // keep-alive over TLS
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(second.body(), "echo:again");
    auto tooBig = client.post("/v1/echo", std::string(2000, 'z'), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(tooBig.result_int(), 413);

    WsClient<TlsStream> lina(io, tls.get()), bob(io, tls.get());
    ASSERT_FALSE(lina.open(server.port(), "/v1/ws", "t-lina"));
    ASSERT_FALSE(bob.open(server.port(), "/v1/ws?token=t-bob", ""));
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2; }));
    server.poke({"lina"}, 7);
    EXPECT_EQ(lina.read(), R"({"type":"changes","head":7})");
    server.poke({}, 8);
    EXPECT_EQ(bob.read(), R"({"type":"changes","head":8})");
    EXPECT_EQ(lina.read(), R"({"type":"changes","head":8})");

    auto stopStarted = Clock::now();
    auto stopped = std::async(std::launch::async, [&] { server.stop(); });
    lina.read(ec);  // answers the close frame
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
    bob.read(ec);
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
    EXPECT_EQ(bob.reason().code, websocket::close_code::going_away);
    ASSERT_EQ(stopped.wait_for(kTimeout), std::future_status::ready);
    EXPECT_LT(Clock::now() - stopStarted, 4s);
}

TEST_F(ServerTlsTest, PlainClientsGetNoAnswerFromATlsServer)
{
    Server& server = start(tlsOptions());
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    beast::error_code ec;
    client.post("/v1/echo", "x", ec);
    EXPECT_TRUE(ec);  // the TLS handshake fails and the server hangs up
    EXPECT_EQ(handler.calls, 0);
}

TEST_F(ServerTlsTest, TlsAllowsNonLoopbackAddresses)
{
    ServerOptions o = tlsOptions();
    o.address = "0.0.0.0";
    Server& server = start(o);
    EXPECT_NE(server.port(), 0);
}

TEST_F(ServerTlsTest, UnusableCertificateOrKeyThrows)
{
    ServerOptions o = tlsOptions();
    o.tlsCertFile = (s_dir / "missing.pem").string();
    try {
        Server server(o, handler);
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.pem"), std::string::npos) << e.what();
    }
    o = tlsOptions();
    o.tlsKeyFile = cert();  // a certificate is not a key
    try {
        Server server(o, handler);
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("private key"), std::string::npos) << e.what();
    }
}

// ------------------------------------------------------------------ the device's listener

// client::PokeListener (core/sync) against the real network layer: what a
// device's `sync --watch` and the app listen with.
class PokeRecorder {
public:
    client::PokeListener::PokeCallback pokes()
    {
        return [this](uint64_t head) {
            std::lock_guard lock(m_mutex);
            m_heads.push_back(head);
        };
    }
    client::PokeListener::StateCallback states()
    {
        return [this](bool connected, const std::string& reason) {
            std::lock_guard lock(m_mutex);
            m_states.emplace_back(connected, reason);
        };
    }
    std::vector<uint64_t> heads()
    {
        std::lock_guard lock(m_mutex);
        return m_heads;
    }
    std::vector<std::pair<bool, std::string>> states_()
    {
        std::lock_guard lock(m_mutex);
        return m_states;
    }
    size_t count(uint64_t head)
    {
        auto all = heads();
        return static_cast<size_t>(std::count(all.begin(), all.end(), head));
    }
    bool connected()
    {
        auto s = states_();
        return !s.empty() && s.back().first;
    }

private:
    std::mutex m_mutex;
    std::vector<uint64_t> m_heads;
    std::vector<std::pair<bool, std::string>> m_states;
};

client::PokeListener::Options fastRetry()
{
    client::PokeListener::Options o;
    o.backoffBase = 20ms;
    o.backoffCap = 200ms;
    return o;
}

TEST(PokeListenerUrl, MapsTheServerUrlToItsWebSocket)
{
    using client::PokeListener;
    EXPECT_EQ(PokeListener::webSocketUrl("http://127.0.0.1:8470"), "ws://127.0.0.1:8470/v1/ws");
    EXPECT_EQ(PokeListener::webSocketUrl("https://sync.example.com/"), "wss://sync.example.com:443/v1/ws");
    EXPECT_EQ(PokeListener::webSocketUrl("https://example.com/fieldsync"), "wss://example.com:443/fieldsync/v1/ws");
    EXPECT_EQ(PokeListener::webSocketUrl("http://[::1]:9000"), "ws://[::1]:9000/v1/ws");
    EXPECT_EQ(PokeListener::webSocketUrl("ftp://example.com"), "");
    EXPECT_EQ(PokeListener::webSocketUrl("http://"), "");
}

TEST(PokeListenerUrl, APlainWebSocketToAnotherMachineIsNeverOpened)
{
    // The token goes in the upgrade request: ws:// only to this machine.
    PokeRecorder rec;
    client::PokeListener listener("http://192.0.2.1:8470", "t-lina", rec.pokes(), rec.states(), fastRetry());
    const auto started = std::chrono::steady_clock::now();
    listener.start();
    ASSERT_TRUE(eventually([&] { return !rec.states_().empty(); }));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "no connection was tried (TEST-NET-1 would time out)";
    std::this_thread::sleep_for(100ms);
    auto states = rec.states_();
    ASSERT_EQ(states.size(), 1u) << "it does not retry";
    EXPECT_FALSE(states[0].first);
    EXPECT_NE(states[0].second.find("https://"), std::string::npos) << states[0].second;
    listener.stop();
}

TEST_F(ServerNetTest, ListenerGetsItsUsersPokesAndReconnectsAfterARestart)
{
    Server& first = start();
    const uint16_t port = first.port();
    PokeRecorder rec;
    client::PokeListener listener(first.url(), "t-lina", rec.pokes(), rec.states(), fastRetry());
    listener.start();
    ASSERT_TRUE(eventually([&] { return rec.connected() && first.connectedWebSockets() == 1; }));
    ASSERT_TRUE(eventually([&] { return rec.count(0) == 1; })) << "a (re)connect reports a poke: changes may be waiting";

    first.poke({"bob"}, 6);
    first.poke({"lina"}, 7);
    ASSERT_TRUE(eventually([&] { return rec.count(7) == 1; }));
    EXPECT_EQ(rec.count(6), 0u) << "another user's poke";

    // The server goes away: the listener says so, and comes back with it.
    first.stop();
    ASSERT_TRUE(eventually([&] { return !rec.connected(); }));
    EXPECT_FALSE(rec.states_().back().second.empty()) << "a reason is given";
    ServerOptions again = options();
    again.port = port;
    Server& second = start(again);
    ASSERT_TRUE(eventually([&] { return rec.connected() && second.connectedWebSockets() == 1; }, 10s));
    ASSERT_TRUE(eventually([&] { return rec.count(0) == 2; }));
    second.poke({}, 9);
    ASSERT_TRUE(eventually([&] { return rec.count(9) == 1; }));

    listener.stop();
    ASSERT_TRUE(eventually([&] { return second.connectedWebSockets() == 0; })) << "stop() closes the socket";
    const auto before = rec.heads().size();
    second.poke({}, 10);
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(rec.heads().size(), before) << "no callback after stop()";
}

TEST_F(ServerNetTest, ListenerWithARefusedTokenSaysWhyAndKeepsTrying)
{
    Server& server = start();
    PokeRecorder rec;
    client::PokeListener listener(server.url(), "t-revoked", rec.pokes(), rec.states(), fastRetry());
    listener.start();
    ASSERT_TRUE(eventually([&] { return rec.states_().size() >= 2; }));
    for (const auto& [connected, reason] : rec.states_()) {
        EXPECT_FALSE(connected);
        EXPECT_NE(reason.find("refused"), std::string::npos) << reason;
    }
    EXPECT_GE(handler.authorizations.load(), 2) << "it retried";
    EXPECT_TRUE(rec.heads().empty());
}

TEST_F(ServerTlsTest, ListenerVerifiesTheServerAndGetsPokesOverWss)
{
    Server& server = start(tlsOptions());
    const std::string url = "https://localhost:" + std::to_string(server.port());
    {
        // Without the private CA the certificate is not trusted: no connection.
        PokeRecorder rec;
        client::PokeListener untrusting(url, "t-lina", rec.pokes(), rec.states(), fastRetry());
        untrusting.start();
        ASSERT_TRUE(eventually([&] { return !rec.states_().empty(); }));
        EXPECT_FALSE(rec.states_().front().first);
        EXPECT_EQ(server.connectedWebSockets(), 0u);
    }
    PokeRecorder rec;
    auto o = fastRetry();
    o.caFile = cert();
    client::PokeListener listener(url, "t-lina", rec.pokes(), rec.states(), o);
    listener.start();
    ASSERT_TRUE(eventually([&] { return rec.connected() && server.connectedWebSockets() == 1; }));
    server.poke({"lina"}, 42);
    ASSERT_TRUE(eventually([&] { return rec.count(42) == 1; }));
}

} // namespace
} // namespace fieldsync::server::test
