// CurlTransport against a minimal HTTP/1.1 server on the loopback interface:
// what it sends, what it reads back (also compressed), connection reuse,
// and how network failures, timeouts, cancellation and oversized answers end.
#include "sync/CurlTransport.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fieldsync::client::test {
namespace {

using namespace std::chrono_literals;

struct SeenRequest {
    std::string method, path, body;
    std::map<std::string, std::string> headers;  // names lower-cased
};

struct Answer {
    int status = 200;
    std::string body;
    std::vector<std::string> headers;
    std::chrono::milliseconds delay{0};
};

// One connection at a time, keep-alive, Content-Length bodies only.
class LoopbackServer {
public:
    explicit LoopbackServer(std::function<Answer(const SeenRequest&)> handler) : m_handler(std::move(handler))
    {
        // CurlTransport honours proxy variables: never send loopback traffic to one.
        ::setenv("no_proxy", "127.0.0.1,localhost", 1);
        ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 8) != 0)
            throw std::runtime_error("cannot listen on the loopback interface");
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }

    ~LoopbackServer()
    {
        m_stopping = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        {
            std::lock_guard lock(m_mutex);
            if (m_client >= 0) ::shutdown(m_client, SHUT_RDWR);
        }
        m_thread.join();
    }

    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }
    int connections() const { return m_connections; }
    std::vector<SeenRequest> requests()
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void serve()
    {
        while (!m_stopping) {
            int c = ::accept(m_listen, nullptr, nullptr);
            if (c < 0) return;
            ++m_connections;
            {
                std::lock_guard lock(m_mutex);
                m_client = c;
            }
            handleConnection(c);
            {
                std::lock_guard lock(m_mutex);
                m_client = -1;
            }
            ::close(c);
        }
    }

    void handleConnection(int c)
    {
        std::string buffer;
        char chunk[4096];
        for (;;) {
            size_t end;
            while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
                ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
                if (n <= 0) return;
                buffer.append(chunk, static_cast<size_t>(n));
            }
            SeenRequest req;
            std::string head = buffer.substr(0, end);
            buffer.erase(0, end + 4);
            size_t lineEnd = head.find("\r\n");
            std::string first = head.substr(0, lineEnd);
            req.method = first.substr(0, first.find(' '));
            req.path = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
            size_t pos = lineEnd == std::string::npos ? head.size() : lineEnd + 2;
            while (pos < head.size()) {
                size_t next = head.find("\r\n", pos);
                if (next == std::string::npos) next = head.size();
                std::string line = head.substr(pos, next - pos);
                if (auto colon = line.find(':'); colon != std::string::npos) {
                    std::string name = line.substr(0, colon);
                    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    size_t v = line.find_first_not_of(' ', colon + 1);
                    req.headers[name] = v == std::string::npos ? "" : line.substr(v);
                }
                pos = next + 2;
            }
            size_t length = req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
            while (buffer.size() < length) {
                ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
                if (n <= 0) return;
                buffer.append(chunk, static_cast<size_t>(n));
            }
            req.body = buffer.substr(0, length);
            buffer.erase(0, length);
            {
                std::lock_guard lock(m_mutex);
                m_requests.push_back(req);
            }
            Answer a = m_handler(req);
            if (a.delay.count() > 0) {
                auto until = std::chrono::steady_clock::now() + a.delay;
                while (!m_stopping && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
            }
            std::string out = "HTTP/1.1 " + std::to_string(a.status) + " X\r\nContent-Length: "
                + std::to_string(a.body.size()) + "\r\nContent-Type: application/json\r\n";
            for (const auto& h : a.headers) out += h + "\r\n";
            out += "\r\n" + a.body;
            if (::send(c, out.data(), out.size(), MSG_NOSIGNAL) < 0) return;
        }
    }

    std::function<Answer(const SeenRequest&)> m_handler;
    int m_listen = -1;
    int m_client = -1;
    int m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_connections{0};
    std::mutex m_mutex;
    std::vector<SeenRequest> m_requests;
    std::thread m_thread;
};

// A port nothing listens on (bound, then released).
int closedPort()
{
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(s);
    return ntohs(addr.sin_port);
}

TransportRequest post(const std::string& url, std::string body)
{
    TransportRequest r;
    r.url = url;
    r.body = std::move(body);
    r.headers["Authorization"] = "Bearer abc";
    r.timeout = 5000ms;
    return r;
}

TEST(CurlTransportTest, SendsTheRequestAndReadsTheAnswer)
{
    LoopbackServer server([](const SeenRequest&) { return Answer{200, R"({"ok":true})", {}, 0ms}; });
    CurlTransport t;
    auto r = t.send(post(server.url("/v1/sync"), R"({"schema":1})"));
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"ok":true})");
    auto seen = server.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].path, "/v1/sync");
    EXPECT_EQ(seen[0].body, R"({"schema":1})");
    EXPECT_EQ(seen[0].headers["authorization"], "Bearer abc");
    EXPECT_EQ(seen[0].headers["content-type"], "application/json");
    EXPECT_NE(seen[0].headers["accept-encoding"].find("gzip"), std::string::npos) << "compressed answers welcome";
    EXPECT_EQ(seen[0].headers.count("expect"), 0u);
}

TEST(CurlTransportTest, DecodesACompressedAnswer)
{
    static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xab, 0x56, 0xca,
                                       0xcf, 0x56, 0xb2, 0x2a, 0x29, 0x2a, 0x4d, 0xd5, 0x51, 0x4a, 0xce, 0xcf, 0x2d,
                                       0x28, 0x4a, 0x2d, 0x2e, 0x4e, 0x4d, 0x51, 0xb2, 0x52, 0xaa, 0x4c, 0x2d, 0x56,
                                       0xaa, 0x05, 0x00, 0x9e, 0xbd, 0x91, 0xa8, 0x1e, 0x00, 0x00, 0x00};
    LoopbackServer server([](const SeenRequest&) {
        return Answer{200, std::string(reinterpret_cast<const char*>(gz), sizeof gz), {"Content-Encoding: gzip"}, 0ms};
    });
    CurlTransport t;
    auto r = t.send(post(server.url("/v1/sync"), "{}"));
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.body, R"({"ok":true,"compressed":"yes"})");
}

TEST(CurlTransportTest, KeepsTheConnectionOpenBetweenRequests)
{
    LoopbackServer server([](const SeenRequest&) { return Answer{200, "{}", {}, 0ms}; });
    CurlTransport t;
    for (int i = 0; i < 3; ++i) {
        auto r = t.send(post(server.url("/v1/sync"), "{}"));
        ASSERT_EQ(r.status, 200) << r.error;
    }
    EXPECT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.connections(), 1);
}

TEST(CurlTransportTest, ErrorStatusesAreAnswersNotNetworkErrors)
{
    LoopbackServer server([](const SeenRequest&) { return Answer{503, R"({"error":"unavailable"})", {}, 0ms}; });
    CurlTransport t;
    auto r = t.send(post(server.url("/v1/sync"), "{}"));
    EXPECT_TRUE(r.error.empty());
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, R"({"error":"unavailable"})");
}

TEST(CurlTransportTest, ARefusedConnectionIsANetworkError)
{
    CurlTransport t;
    auto r = t.send(post("http://127.0.0.1:" + std::to_string(closedPort()) + "/v1/sync", "{}"));
    EXPECT_EQ(r.status, 0);
    EXPECT_FALSE(r.error.empty());
    EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos) << r.error;
}

TEST(CurlTransportTest, OnlyHttpAndHttpsAreSpoken)
{
    CurlTransport t;
    auto r = t.send(post("file:///etc/passwd", "{}"));
    EXPECT_EQ(r.status, 0);
    EXPECT_FALSE(r.error.empty());
    EXPECT_TRUE(r.body.empty());
}

TEST(CurlTransportTest, PlainHttpGoesNowhereButThisMachine)
{
    // 192.0.2.1 (TEST-NET-1) would hang until the connect timeout: refused at once instead.
    CurlTransport t;
    const auto started = std::chrono::steady_clock::now();
    auto r = t.send(post("http://192.0.2.1:8470/v1/sync", "{}"));
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.error.find("https://"), std::string::npos) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << "no connection was tried";
}

TEST(CurlTransportTest, TheRequestTimeoutEndsASlowAnswer)
{
    LoopbackServer server([](const SeenRequest&) { return Answer{200, "{}", {}, 3000ms}; });
    CurlTransport t;
    auto req = post(server.url("/v1/sync"), "{}");
    req.timeout = 100ms;
    auto before = std::chrono::steady_clock::now();
    auto r = t.send(req);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2000ms);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.error.find("imed out"), std::string::npos) << r.error;
}

TEST(CurlTransportTest, CancellingAbandonsTheExchange)
{
    LoopbackServer server([](const SeenRequest&) { return Answer{200, "{}", {}, 5000ms}; });
    CurlTransport t;
    std::atomic<bool> cancel{false};
    auto req = post(server.url("/v1/sync"), "{}");
    req.cancel = &cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(30ms);
        cancel = true;
    });
    auto before = std::chrono::steady_clock::now();
    auto r = t.send(req);
    canceller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1500ms);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.error, "cancelled");
}

TEST(CurlTransportTest, AnOversizedAnswerIsAnError)
{
    LoopbackServer server([](const SeenRequest&) { return Answer{200, std::string(4096, 'x'), {}, 0ms}; });
    CurlTransport::Options options;
    options.maxResponseBytes = 1000;
    CurlTransport t(options);
    auto r = t.send(post(server.url("/v1/sync"), "{}"));
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.body.empty());
    EXPECT_NE(r.error.find("larger than 1000 bytes"), std::string::npos) << r.error;
}

} // namespace
} // namespace fieldsync::client::test
