// The network layer's bounds, each tried the way an attacker would, against
// the real Server on 127.0.0.1 (docs/security.md, "Network layer"):
//
//   BodyLimitTest, BodyBudgetTest  bodies judged by their headers, before they
//                                  are read (fake handler)
//   ConnectionLimitTest            per address, in total, at the descriptor
//                                  limit (fake handler)
//   WebSocketLimitTest             sockets per device, closing a device's
//                                  sockets (fake handler)
//   SlowClientTest                 slowloris, idle connections, trickled bodies
//   RequestFloodNetTest            8 MiB `[[[[…` and deep or oversized bodies
//                                  at the real handlers: /healthz latency and
//                                  RSS growth measured (SQLite and PostgreSQL)
//   RevocationNetTest              `device revoke` from another Accounts
//                                  object closes the device's WebSocket: time
//                                  measured (SQLite and PostgreSQL)
//
// Figures go to the test's XML properties (RecordProperty) and to stdout.
#include "NetTestSupport.h"
#include "ServerTestSupport.h"

#include "net/RevocationWatcher.h"
#include "protocol/JsonDepth.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fieldsync::server::test {
namespace {

// ------------------------------------------------------------------ helpers

// A blocking POSIX socket for byte-level control (trickling, watching for
// the server's close) without an event loop.
class RawSocket {
public:
    explicit RawSocket(uint16_t port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ADD_FAILURE() << "connect: " << std::strerror(errno);
            close();
        }
        int one = 1;
        if (m_fd >= 0) ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~RawSocket() { close(); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    bool send(std::string_view bytes)
    {
        while (!bytes.empty()) {
            ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }

    // Waits up to `limit` for the server to close; true if it did (EOF or reset).
    bool closedWithin(std::chrono::milliseconds limit)
    {
        pollfd p{m_fd, POLLIN | POLLRDHUP, 0};
        if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return false;
        char buf[4096];
        while (true) {
            ssize_t n = ::recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0) return true;
            if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
            m_received.append(buf, static_cast<size_t>(n));
        }
    }

    // Reads until the server's answer is complete (Content-Length) or it
    // closes, up to `limit`.
    std::string response(std::chrono::milliseconds limit = 5000ms)
    {
        auto deadline = Clock::now() + limit;
        while (!complete()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) break;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
            char buf[4096];
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            m_received.append(buf, static_cast<size_t>(n));
        }
        return m_received;
    }

    void close()
    {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }

private:
    bool complete() const
    {
        auto end = m_received.find("\r\n\r\n");
        if (end == std::string::npos) return false;
        auto cl = m_received.find("Content-Length: ");
        if (cl == std::string::npos || cl > end) return true;
        return m_received.size() >= end + 4 + std::stoul(m_received.substr(cl + 16));
    }

    int m_fd = -1;
    std::string m_received;
};

int statusOf(const std::string& response)
{
    if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
    return std::stoi(response.substr(9, 3));
}

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// The process's resident memory (VmRSS), bytes.
size_t residentBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
    return 0;
}

void record(const char* name, double value, const char* unit)
{
    ::testing::Test::RecordProperty(name, std::to_string(value));
    std::printf("[ figure   ] %s = %.1f %s\n", name, value, unit);
}

// A login-shaped object nesting `depth` levels: {"user":[[…]]}.
std::string nested(size_t depth)
{
    return "{\"user\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

// Lowers this process's soft descriptor limit for one test.
class DescriptorLimit {
public:
    explicit DescriptorLimit(rlim_t soft)
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        rlimit lowered = m_saved;
        lowered.rlim_cur = soft;
        EXPECT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0) << std::strerror(errno);
    }
    ~DescriptorLimit() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }

private:
    rlimit m_saved{};
};

size_t openDescriptorCount()
{
    size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

// ------------------------------------------------------------------ the nesting scan

TEST(JsonDepthTest, CountsArraysAndObjectsOutsideStrings)
{
    using protocol::jsonNestingDepth;
    EXPECT_EQ(jsonNestingDepth(""), 0u);
    EXPECT_EQ(jsonNestingDepth("12"), 0u);
    EXPECT_EQ(jsonNestingDepth("[]"), 1u);
    EXPECT_EQ(jsonNestingDepth(R"({"a":[1,{}],"b":{}})"), 3u);
    EXPECT_EQ(jsonNestingDepth(R"(["[[[[{{{"])"), 1u) << "brackets in a string";
    EXPECT_EQ(jsonNestingDepth(R"(["\"[[[["])"), 1u) << "an escaped quote does not end the string";
    EXPECT_EQ(jsonNestingDepth(R"(["\\",[[]]])"), 3u) << "an escaped backslash does";
    EXPECT_EQ(jsonNestingDepth("]]]]["), 1u) << "stray closers do not go below zero";
}

TEST(JsonDepthTest, HostileBodyIsRefusedAfterTheFirstLevelsBeyondTheLimit)
{
    const std::string brackets(8 * 1024 * 1024, '[');
    EXPECT_EQ(protocol::jsonNestingDepth(brackets, protocol::kMaxJsonDepth), protocol::kMaxJsonDepth + 1);
    EXPECT_TRUE(protocol::checkJsonDepth(nested(protocol::kMaxJsonDepth)).ok());
    auto refused = protocol::checkJsonDepth(nested(protocol::kMaxJsonDepth + 1));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(refused.error().message, HasSubstr("deeper than 32 levels"));
}

// ------------------------------------------------------------------ bodies (fake handler)

class BodyLimitTest : public ServerNetTest {};

TEST_F(BodyLimitTest, AnonymousBodyOverItsLimitGets413BeforeItIsSent)
{
    ServerOptions o = options();  // maxBodyBytes 1024
    o.maxAnonymousBodyBytes = 100;
    Server& server = start(o);

    // Only the headers go out: the answer must come without the body.
    RawSocket anonymous(server.port());
    ASSERT_TRUE(anonymous.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n"));
    std::string answer = anonymous.response();
    EXPECT_EQ(statusOf(answer), 413) << answer;
    EXPECT_NE(answer.find(R"("error":"payload_too_large")"), std::string::npos) << answer;
    EXPECT_NE(answer.find("limit of 100 bytes for a request without a valid token"), std::string::npos) << answer;
    EXPECT_NE(answer.find(R"("retry":"never")"), std::string::npos) << answer;

    // A chunked anonymous body is cut where it passes the limit.
    RawSocket chunked(server.port());
    ASSERT_TRUE(chunked.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "50\r\n" + std::string(80, 'a') + "\r\n50\r\n" + std::string(80, 'b') + "\r\n"));
    EXPECT_EQ(statusOf(chunked.response()), 413);
    EXPECT_EQ(handler.calls, 0);

    // The same body from a client the handler vouches for is fine.
    HttpClient<PlainStream> signedIn(io);
    ASSERT_FALSE(signedIn.connect(server.port()));
    beast::error_code ec;
    auto response = signedIn.post("/v1/sync", std::string(500, 'x'), ec, "t-lina");
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(response.result_int(), 202);
    EXPECT_EQ(handler.calls, 1);
}

TEST_F(BodyLimitTest, RefusedAtAdmissionIsAnsweredWithoutReadingTheBody)
{
    Server& server = start();
    RawSocket client(server.port());
    // 8 MiB announced (more than maxBodyBytes too), none sent.
    ASSERT_TRUE(client.send("POST /v1/refuse HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                            "Content-Length: 8388608\r\n\r\n"));
    std::string answer = client.response();
    EXPECT_EQ(statusOf(answer), 401) << answer;  // no "100 Continue" first
    EXPECT_NE(answer.find("refused at admission"), std::string::npos) << answer;
    EXPECT_EQ(handler.calls, 0);
    EXPECT_TRUE(client.closedWithin(3000ms)) << "the connection ends after the refusal";
}

class BodyBudgetTest : public ServerNetTest {};

TEST_F(BodyBudgetTest, BodiesBeyondTheInFlightBudgetGet503WhileOthersComplete)
{
    ServerOptions o = options();  // maxBodyBytes 1024
    o.maxBodyBytesInFlight = 2048;
    Server& server = start(o);
    const std::string head = "POST /v1/up HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t-lina\r\nContent-Length: 1024\r\n\r\n";

    // Two announced bodies take the whole budget while they arrive...
    RawSocket first(server.port()), second(server.port());
    ASSERT_TRUE(first.send(head));
    ASSERT_TRUE(second.send(head));
    ASSERT_TRUE(eventually([&] { return handler.admissions == 2; }));
    // ...so a third is refused at once, body unsent.
    RawSocket third(server.port());
    ASSERT_TRUE(third.send(head));
    std::string answer = third.response();
    EXPECT_EQ(statusOf(answer), 503) << answer;
    EXPECT_NE(answer.find(R"("error":"unavailable")"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;

    // The first completes; its share is given back and a new body fits.
    ASSERT_TRUE(first.send(std::string(1024, 'a')));
    EXPECT_EQ(statusOf(first.response()), 202);
    RawSocket fourth(server.port());
    ASSERT_TRUE(fourth.send(head + std::string(1024, 'b')));
    EXPECT_EQ(statusOf(fourth.response()), 202);
    ASSERT_TRUE(second.send(std::string(1024, 'c')));
    EXPECT_EQ(statusOf(second.response()), 202);
    EXPECT_EQ(handler.calls, 3);
}

// ------------------------------------------------------------------ connections (fake handler)

class ConnectionLimitTest : public ServerNetTest {};

TEST_F(ConnectionLimitTest, OneAddressOverItsLimitGets429AndAnotherAddressIsServed)
{
    ServerOptions o = options();
    o.maxConnectionsPerAddress = 3;
    Server& server = start(o);
    beast::error_code ec;

    std::vector<std::unique_ptr<HttpClient<PlainStream>>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<HttpClient<PlainStream>>(io));
        ASSERT_FALSE(held.back()->connect(server.port()));
        held.back()->post("/v1/x", "", ec);  // kept alive: the connection stays open
        ASSERT_FALSE(ec) << ec.message();
    }
    ASSERT_TRUE(eventually([&] { return server.openConnections() == 3; }));

    HttpClient<PlainStream> greedy(io);
    ASSERT_FALSE(greedy.connect(server.port()));
    auto refused = greedy.post("/v1/x", "", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(refused.result_int(), 429);
    EXPECT_EQ(str(refused[http::field::retry_after]), "5");
    EXPECT_NE(refused.body().find(R"("error":"resource_exhausted")"), std::string::npos) << refused.body();
    EXPECT_NE(refused.body().find(R"("retry":"later")"), std::string::npos) << refused.body();
    EXPECT_NE(refused.body().find(R"("retry_after_s":5)"), std::string::npos) << refused.body();
    EXPECT_NE(refused.body().find("the limit is 3"), std::string::npos) << refused.body();
    EXPECT_FALSE(refused.keep_alive());
    EXPECT_EQ(handler.calls, 3);

    // Another client address is served as usual.
    HttpClient<PlainStream> neighbour(io);
    ASSERT_FALSE(neighbour.connect(server.port(), "127.0.0.2"));
    auto served = neighbour.post("/v1/x", "hi", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(served.result_int(), 202);
    EXPECT_EQ(handler.requests().back().remoteAddress, "127.0.0.2");

    // A place freed is a place to take.
    held.pop_back();
    ASSERT_TRUE(eventually([&] {
        HttpClient<PlainStream> again(io);
        beast::error_code e;
        return !again.connect(server.port()) && again.post("/v1/x", "", e).result_int() == 202 && !e;
    }));
}

TEST_F(ConnectionLimitTest, OverTheTotalLimitOnlyHealthzIsAnsweredAndOthersGet503)
{
    ServerOptions o = options();
    o.maxConnections = 4;
    Server& server = start(o);
    EXPECT_EQ(server.connectionLimit(), 4u);
    beast::error_code ec;

    std::vector<std::unique_ptr<HttpClient<PlainStream>>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<HttpClient<PlainStream>>(io));
        ASSERT_FALSE(held.back()->connect(server.port(), i % 2 ? "127.0.0.2" : ""));
        held.back()->post("/v1/x", "", ec);
        ASSERT_FALSE(ec) << ec.message();
    }
    const int served = handler.calls;

    HttpClient<PlainStream> late(io);
    ASSERT_FALSE(late.connect(server.port(), "127.0.0.3"));
    auto refused = late.post("/v1/x", "", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_EQ(str(refused[http::field::retry_after]), "5");
    EXPECT_NE(refused.body().find(R"("error":"unavailable")"), std::string::npos) << refused.body();
    EXPECT_NE(refused.body().find(R"("retry":"backoff")"), std::string::npos) << refused.body();
    EXPECT_NE(refused.body().find("connection limit (4)"), std::string::npos) << refused.body();
    EXPECT_EQ(handler.calls, served);

    WsClient<PlainStream> socket(io);
    websocket::response_type upgrade;
    EXPECT_EQ(socket.open(server.port(), "/v1/ws", "t-lina", &upgrade), websocket::error::upgrade_declined);
    EXPECT_EQ(upgrade.result_int(), 503);

    HttpClient<PlainStream> monitor(io);
    ASSERT_FALSE(monitor.connect(server.port()));
    auto health = monitor.get("/healthz", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(health.result_int(), 202);  // the fake handler's answer: it was asked
    EXPECT_EQ(handler.requests().back().target, "/healthz");
    EXPECT_FALSE(health.keep_alive());
}

TEST_F(ConnectionLimitTest, AFloodOfOverLimitConnectionsCannotKeepHealthzOut)
{
    ServerOptions o = options();
    o.maxConnections = 2;
    o.headerTimeout = 30s;  // the flood is not cut by time: the reserve's eviction is what lets the probe in
    Server& server = start(o);
    std::vector<std::unique_ptr<RawSocket>> flood;
    for (int i = 0; i < 2 + 20; ++i) flood.push_back(std::make_unique<RawSocket>(server.port()));  // say nothing
    ASSERT_TRUE(eventually([&] { return server.openConnections() <= 2 + 8 && handler.calls == 0; }));

    const auto asked = Clock::now();
    RawSocket monitor(server.port());
    ASSERT_TRUE(monitor.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(statusOf(monitor.response()), 202);
    EXPECT_LT(msSince(asked), 1000.0);
    // The oldest over-limit connections were closed to make room; the two
    // within the limit wait for their headers.
    EXPECT_TRUE(flood[2]->closedWithin(1000ms));
    EXPECT_FALSE(flood[0]->closedWithin(10ms));
}

// The issue's finding: 300 idle connections against a 256-descriptor limit
// made /healthz time out until they closed. The flood comes from a child
// process, so its sockets do not take this process's (the server's)
// descriptors.
TEST_F(ConnectionLimitTest, IdleConnectionFloodUnderA256DescriptorLimitLeavesHealthzAnswering)
{
    constexpr int kFlood = 300;
    int toChild[2], fromChild[2];
    ASSERT_EQ(::pipe(toChild), 0);
    ASSERT_EQ(::pipe(fromChild), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0) << std::strerror(errno);
    if (child == 0) {
        // Only system calls from here: the parent may have threads.
        ::close(toChild[1]);
        ::close(fromChild[0]);
        uint16_t port = 0;
        if (::read(toChild[0], &port, sizeof port) != sizeof port) ::_exit(1);
        int opened = 0;
        for (int i = 0; i < kFlood; ++i) {
            int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(port);
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) ++opened;
        }
        if (::write(fromChild[1], &opened, sizeof opened) != sizeof opened) ::_exit(1);
        char end;
        while (::read(toChild[0], &end, 1) > 0) {
        }
        ::_exit(0);  // closes the flood
    }
    ::close(toChild[0]);
    ::close(fromChild[1]);

    std::optional<DescriptorLimit> limit(std::in_place, static_cast<rlim_t>(openDescriptorCount() + 256));
    ServerOptions o = options();
    o.headerTimeout = 30s;  // the idle connections are not cut by time during the test
    Server& server = start(o);
    const size_t connections = server.connectionLimit();
    EXPECT_LT(connections, 256u);
    EXPECT_GT(connections, 150u);

    const uint16_t port = server.port();
    ASSERT_EQ(::write(toChild[1], &port, sizeof port), static_cast<ssize_t>(sizeof port));
    int opened = 0;
    pollfd p{fromChild[0], POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10000), 1) << "the child did not report";
    ASSERT_EQ(::read(fromChild[0], &opened, sizeof opened), static_cast<ssize_t>(sizeof opened));
    EXPECT_EQ(opened, kFlood) << "the kernel's backlog takes them all";
    ASSERT_TRUE(eventually([&] { return server.openConnections() >= connections; }, 10s))
        << server.openConnections() << " of " << connections;

    double worst = 0;
    for (int i = 0; i < 20; ++i) {
        const auto asked = Clock::now();
        RawSocket monitor(port);
        ASSERT_TRUE(monitor.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        EXPECT_EQ(statusOf(monitor.response()), 202);
        worst = std::max(worst, msSince(asked));
    }
    record("healthz_worst_ms_at_descriptor_limit", worst, "ms");
    EXPECT_LT(worst, 1000.0);

    RawSocket other(port);
    ASSERT_TRUE(other.send("POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    std::string answer = other.response();
    EXPECT_EQ(statusOf(answer), 503) << answer;
    EXPECT_NE(answer.find(R"("error":"unavailable")"), std::string::npos) << answer;

    // The flood ends: everyone is served again.
    ::close(toChild[1]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ::close(fromChild[0]);
    EXPECT_TRUE(eventually([&] {
        RawSocket again(port);
        return again.send("POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") &&
               statusOf(again.response()) == 202;
    }, 10s));
}

// ------------------------------------------------------------------ WebSockets (fake handler)

class WebSocketLimitTest : public ServerNetTest {};

TEST_F(WebSocketLimitTest, OneTokenOpeningManySocketsKeepsOnlyTheNewestTwo)
{
    ServerOptions o = options();
    o.maxWebSocketsPerDevice = 2;
    Server& server = start(o);
    WsClient<PlainStream> bob(io), tablet(io);
    ASSERT_FALSE(bob.open(server.port(), "/v1/ws", "t-bob"));
    ASSERT_FALSE(tablet.open(server.port(), "/v1/ws", "t-lina2"));  // lina's other device

    constexpr int kOpened = 20;
    std::vector<std::unique_ptr<WsClient<PlainStream>>> phone;
    for (int i = 0; i < kOpened; ++i) {
        phone.push_back(std::make_unique<WsClient<PlainStream>>(io));
        ASSERT_FALSE(phone.back()->open(server.port(), "/v1/ws", "t-lina"));
    }
    for (int i = 0; i + 2 < kOpened; ++i) {
        beast::error_code ec;
        phone[i]->read(ec);
        EXPECT_EQ(ec, websocket::error::closed) << i << ": " << ec.message();
        EXPECT_EQ(static_cast<uint16_t>(phone[i]->reason().code), kCloseSuperseded) << i;
    }
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2 + 2; })) << server.connectedWebSockets();
    server.poke({"lina"}, 7);
    EXPECT_EQ(phone[kOpened - 2]->read(), R"({"type":"changes","head":7})");
    EXPECT_EQ(phone[kOpened - 1]->read(), R"({"type":"changes","head":7})");
    EXPECT_EQ(tablet.read(), R"({"type":"changes","head":7})");
    server.poke({"bob"}, 8);
    EXPECT_EQ(bob.read(), R"({"type":"changes","head":8})");
}

TEST_F(WebSocketLimitTest, ClientIgnoringTheCloseFrameIsDroppedAnyway)
{
    ServerOptions o = options();
    o.maxWebSocketsPerDevice = 1;
    Server& server = start(o);
    WsClient<PlainStream> first(io), second(io);
    ASSERT_FALSE(first.open(server.port(), "/v1/ws", "t-lina"));
    ASSERT_FALSE(second.open(server.port(), "/v1/ws", "t-lina"));
    // `first` never reads, so never answers the close: the server does not
    // wait for it beyond a moment.
    const auto started = Clock::now();
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 1; }, 10s));
    record("ignored_close_dropped_after_ms", msSince(started), "ms");
    EXPECT_LT(msSince(started), 5000.0);
    beast::error_code ec;
    first.read(ec);
    EXPECT_TRUE(ec);
}

TEST_F(WebSocketLimitTest, DisconnectDevicesClosesThatDevicesSocketsWith4001AndNoPokeFollows)
{
    Server& server = start();
    WsClient<PlainStream> phone(io), phone2(io), tablet(io), bob(io);
    ASSERT_FALSE(phone.open(server.port(), "/v1/ws", "t-lina"));
    ASSERT_FALSE(phone2.open(server.port(), "/v1/ws?token=t-lina", ""));
    ASSERT_FALSE(tablet.open(server.port(), "/v1/ws", "t-lina2"));
    ASSERT_FALSE(bob.open(server.port(), "/v1/ws", "t-bob"));
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 4; }));

    EXPECT_EQ(server.disconnectDevices({"d-lina-phone", "d-unknown"}), 2u);
    server.poke({"lina"}, 9);  // after disconnectDevices returned: not for the phone
    for (auto* revoked : {&phone, &phone2}) {
        beast::error_code ec;
        std::string frame = revoked->read(ec);
        EXPECT_EQ(ec, websocket::error::closed) << "got " << frame;
        EXPECT_EQ(static_cast<uint16_t>(revoked->reason().code), kCloseDeviceRevoked);
    }
    EXPECT_EQ(tablet.read(), R"({"type":"changes","head":9})");
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2; }));
    server.poke({}, 10);
    EXPECT_EQ(bob.read(), R"({"type":"changes","head":10})");
    EXPECT_EQ(server.disconnectDevices({"d-lina-phone"}), 0u);
}

// ------------------------------------------------------------------ slow clients (fake handler)

class SlowClientTest : public ServerNetTest {};

TEST_F(SlowClientTest, SlowlorisTricklingHeadersIsCutAfterTheHeaderTimeout)
{
    ServerOptions o = options();
    o.headerTimeout = 1s;
    o.idleTimeout = 30s;
    Server& server = start(o);
    RawSocket slow(server.port());
    const auto started = Clock::now();
    ASSERT_TRUE(slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: "));
    bool cut = false;
    for (int i = 0; i < 50 && !cut; ++i) {  // a byte every 100 ms, up to 5 s
        slow.send("a");
        cut = slow.closedWithin(100ms);
        if (i == 3) {  // meanwhile another client is served
            HttpClient<PlainStream> other(io);
            ASSERT_FALSE(other.connect(server.port()));
            beast::error_code ec;
            EXPECT_EQ(other.post("/v1/x", "", ec).result_int(), 202);
        }
    }
    const double after = msSince(started);
    ASSERT_TRUE(cut) << "still open after " << after << " ms";
    record("slowloris_cut_after_ms", after, "ms");
    EXPECT_GE(after, 900.0);
    EXPECT_LT(after, 3000.0);
    EXPECT_EQ(handler.calls, 1);  // only the other client's request
}

TEST_F(SlowClientTest, ConnectionThatSaysNothingIsCutAfterTheHeaderTimeoutNotTheIdleTimeout)
{
    ServerOptions o = options();
    o.headerTimeout = 1s;
    o.idleTimeout = 30s;
    Server& server = start(o);
    const auto started = Clock::now();
    RawSocket silent(server.port());
    ASSERT_TRUE(silent.closedWithin(5000ms));
    EXPECT_GE(msSince(started), 900.0);
    EXPECT_LT(msSince(started), 3000.0);
}

TEST_F(SlowClientTest, KeptAliveConnectionMayWaitLongerThanTheHeaderTimeout)
{
    ServerOptions o = options();
    o.headerTimeout = 1s;
    o.idleTimeout = 5s;
    Server& server = start(o);
    HttpClient<PlainStream> client(io);
    ASSERT_FALSE(client.connect(server.port()));
    beast::error_code ec;
    EXPECT_EQ(client.post("/v1/one", "", ec).result_int(), 202);
    std::this_thread::sleep_for(1500ms);  // idle between requests: idleTimeout, not headerTimeout
    EXPECT_EQ(client.post("/v1/two", "", ec).result_int(), 202);
    EXPECT_FALSE(ec) << ec.message();
}

TEST_F(SlowClientTest, TricklingBodyIsCutAfterTheBodyDeadline)
{
    ServerOptions o = options();
    o.bodyTimeout = 1s;
    o.minBodyRate = 1024 * 1024;  // 1000 bytes add nothing to the deadline
    o.idleTimeout = 30s;
    Server& server = start(o);
    RawSocket slow(server.port());
    const auto started = Clock::now();
    ASSERT_TRUE(slow.send("POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"));
    bool cut = false;
    for (int i = 0; i < 50 && !cut; ++i) {
        slow.send("a");
        cut = slow.closedWithin(100ms);
    }
    const double after = msSince(started);
    ASSERT_TRUE(cut) << "still open after " << after << " ms";
    record("trickled_body_cut_after_ms", after, "ms");
    EXPECT_GE(after, 900.0);
    EXPECT_LT(after, 3000.0);
    EXPECT_EQ(handler.calls, 0);
}

// ------------------------------------------------------------------ the real handlers

ServerOptions realOptions()
{
    ServerOptions o;  // the defaults `serve` uses: 8 MiB, 16 KiB anonymous
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    return o;
}

constexpr const char* kPhone = "0123456789abcdef0123456789abcdef";
constexpr const char* kTablet = "fedcba9876543210fedcba9876543210";

class RequestFloodNetTest : public ServerFixture {
protected:
    std::string signIn(const std::string& user, const char* device)
    {
        auto login = accounts->login(user, passwordOf(user), device, "phone", "127.0.0.1");
        EXPECT_TRUE(login.ok()) << login.error().message;
        return login.ok() ? login->token : std::string();
    }
};

// One request: headers, then (if any) the body straight from `body`,
// without copying it; returns the answer.
http::response<http::string_body> send(uint16_t port, const std::string& head, const std::string* body)
{
    Io io;
    HttpClient<PlainStream> client(io);
    http::response<http::string_body> response;
    if (client.connect(port)) return response;
    if (client.writeRaw(head)) return response;
    if (body && client.writeRaw(*body)) return response;
    client.readResponse(response);
    return response;
}

std::string postHead(const std::string& target, size_t length, const std::string& token = {})
{
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
           (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
           "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

TEST_F(RequestFloodNetTest, BadTokenSyncGets401BeforeItsBodyIsSent)
{
    Server server(realOptions(), *api);
    server.start();
    for (const std::string& token : {std::string(), std::string("not-a-token")}) {
        RawSocket client(server.port());
        ASSERT_TRUE(client.send(postHead("/v1/sync", 8 * 1024 * 1024, token)));  // the body never follows
        std::string answer = client.response();
        EXPECT_EQ(statusOf(answer), 401) << answer;
        EXPECT_NE(answer.find(R"("error":"unauthenticated")"), std::string::npos) << answer;
    }
    RawSocket ws(server.port());
    ASSERT_TRUE(ws.send("GET /v1/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Authorization: Bearer stolen\r\nContent-Length: 8388608\r\n\r\n"));
    EXPECT_EQ(statusOf(ws.response()), 401);
    // Counted in the metrics like any answer.
    EXPECT_NE(metrics.render().find("fieldsync_requests_total{path=\"/v1/sync\",status=\"401\"} 2"), std::string::npos)
        << metrics.render();
}

TEST_F(RequestFloodNetTest, DeeplyNestedBodyGets400NamingTheLimitBeforeParsing)
{
    Server server(realOptions(), *api);
    server.start();
    const std::string token = signIn("lina", kPhone);
    const std::string tooDeep = nested(protocol::kMaxJsonDepth + 1);
    for (const auto& [target, bearer] : {std::pair{"/v1/login", std::string()}, std::pair{"/v1/sync", token}}) {
        auto response = send(server.port(), postHead(target, tooDeep.size(), bearer), &tooDeep);
        EXPECT_EQ(response.result_int(), 400) << target;
        auto body = bodyOf({static_cast<int>(response.result_int()), "", response.body(), {}});
        EXPECT_EQ(body["error"], "invalid_argument");
        EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("deeper than 32 levels"));
        EXPECT_EQ(body["retry"], "never");
    }
    // At the limit the request is decoded (and refused for what it says).
    const std::string atLimit = nested(protocol::kMaxJsonDepth);
    auto response = send(server.port(), postHead("/v1/login", atLimit.size()), &atLimit);
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_THAT(response.body(), ::testing::Not(HasSubstr("deeper"))) << response.body();
}

TEST_F(RequestFloodNetTest, HealthzKeepsAnsweringAndMemoryStaysBoundedWhileDeepAndHugeBodiesArrive)
{
    Server server(realOptions(), *api);
    server.start();
    const uint16_t port = server.port();
    const std::string token = signIn("lina", kPhone);
    const std::string brackets(8 * 1024 * 1024, '[');              // the issue's body: 8 MiB of [[[[…
    const std::string oversized(8 * 1024 * 1024 + 1, '[');          // one byte over the limit
    const std::string deep = nested(1000);

    struct Attack {
        std::string name, head;
        const std::string* body;
        int expected;
    };
    const std::vector<Attack> attacks = {
        {"8 MiB [[[ to /v1/login", postHead("/v1/login", brackets.size()), &brackets, 413},
        {"8 MiB [[[ to /v1/sync, no token", postHead("/v1/sync", brackets.size()), &brackets, 401},
        {"8 MiB [[[ to /v1/sync, signed in", postHead("/v1/sync", brackets.size(), token), &brackets, 400},
        {"8 MiB + 1 to /v1/sync, signed in", postHead("/v1/sync", oversized.size(), token), &oversized, 413},
        {"1000 deep to /v1/login", postHead("/v1/login", deep.size()), &deep, 400},
        {"1000 deep to /v1/sync, signed in", postHead("/v1/sync", deep.size(), token), &deep, 400},
    };
    // Once each before measuring: the allocator's and the store's first use
    // are not the flood's cost.
    for (const auto& a : attacks) ASSERT_EQ(static_cast<int>(send(port, a.head, a.body).result_int()), a.expected) << a.name;
    const size_t baseline = residentBytes();

    std::atomic<bool> flooding{true};
    std::atomic<size_t> peak{baseline}, sent{0};
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (size_t i = t; flooding; i += 4) {
                const Attack& a = attacks[i % attacks.size()];
                if (static_cast<int>(send(port, a.head, a.body).result_int()) != a.expected) ++wrong;
                ++sent;
            }
        });
    threads.emplace_back([&] {
        while (flooding) {
            size_t resident = residentBytes();
            size_t seen = peak;
            while (resident > seen && !peak.compare_exchange_weak(seen, resident)) {
            }
            std::this_thread::sleep_for(5ms);
        }
    });

    double worst = 0;
    int probes = 0;
    const auto until = Clock::now() + 4s;
    while (Clock::now() < until) {
        const auto asked = Clock::now();
        Io probeIo;
        HttpClient<PlainStream> monitor(probeIo);
        beast::error_code ec;
        ASSERT_FALSE(monitor.connect(port));
        auto health = monitor.get("/healthz", ec);
        EXPECT_FALSE(ec) << ec.message();
        EXPECT_EQ(health.result_int(), 200);
        worst = std::max(worst, msSince(asked));
        ++probes;
        std::this_thread::sleep_for(20ms);
    }
    flooding = false;
    for (auto& t : threads) t.join();

    const double growth = static_cast<double>(peak - baseline) / (1024.0 * 1024.0);
    record("flood_requests", static_cast<double>(sent), "requests");
    record("healthz_probes", probes, "probes");
    record("healthz_worst_ms_during_flood", worst, "ms");
    record("rss_growth_mib_during_flood", growth, "MiB");
    EXPECT_EQ(wrong, 0) << "an attack got another answer than expected";
    EXPECT_GE(sent, attacks.size());
    EXPECT_LT(worst, 1000.0);
    EXPECT_LT(growth, 64.0);
}

// ------------------------------------------------------------------ revocation (real handlers and store)

class RevocationNetTest : public RequestFloodNetTest {};

TEST_F(RevocationNetTest, DeviceRevokedFromAnotherProcessLosesItsWebSocketWithinASecond)
{
    Server server(realOptions(), *api);
    api->setPokeSink(&server);
    server.start();
    RevocationWatcher::Options watch;
    watch.now = [this] { return now; };  // the fixture's store clock
    RevocationWatcher watcher(
        server,
        [this](int64_t since) {
            std::vector<std::string> devices;
            for (auto& d : accounts->revokedDevicesSince(since)) devices.push_back(d.device);
            return devices;
        },
        watch);
    watcher.start();

    const std::string phoneToken = signIn("lina", kPhone), tabletToken = signIn("lina", kTablet);
    Io io;
    WsClient<PlainStream> phone(io), tablet(io);
    ASSERT_FALSE(phone.open(server.port(), "/v1/ws", phoneToken));
    ASSERT_FALSE(tablet.open(server.port(), "/v1/ws", tabletToken));
    ASSERT_TRUE(eventually([&] { return server.connectedWebSockets() == 2; }));

    // Pokes keep coming while the device is revoked.
    std::atomic<bool> poking{true};
    std::atomic<uint64_t> head{0};
    std::thread poker([&] {
        while (poking) {
            server.poke({"lina"}, ++head);
            std::this_thread::sleep_for(5ms);
        }
    });

    // `fieldsync-server device revoke`, as another process: its own connection to the store.
    auto admin = openAccounts();
    const auto revoked = Clock::now();
    ASSERT_TRUE(admin->revokeDevice(kPhone).ok());
    beast::error_code ec;
    size_t pokesBefore = 0;
    while (Clock::now() - revoked < 10s) {
        phone.read(ec);
        if (ec) break;
        ++pokesBefore;
    }
    const double closedAfter = msSince(revoked);
    poking = false;
    poker.join();

    ASSERT_EQ(ec, websocket::error::closed) << ec.message();
    EXPECT_EQ(static_cast<uint16_t>(phone.reason().code), kCloseDeviceRevoked);
    record("revoke_to_websocket_close_ms", closedAfter, "ms");
    // Within a second on an idle machine (the watcher looks every 250 ms;
    // the recorded time is the measure). The bound only says the close came
    // from the watcher's first looks, not from a much later one: a full
    // test run on two busy cores once took over 2 s.
    EXPECT_LT(closedAfter, 5000.0);
    EXPECT_GT(pokesBefore, 0u) << "pokes were flowing until the close";
    EXPECT_EQ(watcher.socketsClosed(), 1u);
    EXPECT_TRUE(eventually([&] { return server.connectedWebSockets() == 1; }));

    // Lina's other device keeps hearing; the revoked one cannot come back.
    server.poke({"lina"}, 1'000'000);
    std::string last;
    ec = {};
    while (last != R"({"type":"changes","head":1000000})" && !ec) last = tablet.read(ec);
    EXPECT_FALSE(ec) << ec.message();
    WsClient<PlainStream> again(io);
    websocket::response_type refusal;
    EXPECT_EQ(again.open(server.port(), "/v1/ws", phoneToken, &refusal), websocket::error::upgrade_declined);
    EXPECT_EQ(refusal.result_int(), 401);
    watcher.stop();
}

} // namespace
} // namespace fieldsync::server::test
