// CurlTransport: Transport over libcurl.
//
//  * One easy handle per instance, reused for every request, so the
//    connection (and TLS session) to the server stays open between rounds.
//    One request at a time per instance (calls are serialized).
//  * HTTPS peer and host verification are on. `caFile` adds a CA bundle (a
//    private CA); `insecureSkipVerify` turns verification off and exists for
//    tests against self-signed certificates only.
//  * Proxies come from the environment (https_proxy, no_proxy, ...), libcurl's
//    default. Responses may be gzip/deflate/br compressed (Accept-Encoding is
//    whatever this libcurl decodes). Redirects are not followed; only http and
//    https are spoken, and http only to this machine (requireSecureServer in
//    SyncClient.h): any other http:// URL fails before a connection is made.
//  * Timeouts: connecting at most `connectTimeout` (and never longer than the
//    request's own timeout); the whole exchange at most the request's timeout.
//  * A response body above `maxResponseBytes` is abandoned with an error.
#pragma once

#include "sync/Transport.h"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace fieldsync::client {

class CurlTransport final : public Transport {
public:
    struct Options {
        std::string caFile;                              // extra CA bundle (PEM); empty: the system's
        bool insecureSkipVerify = false;                 // tests only
        std::chrono::milliseconds connectTimeout{10'000};
        size_t maxResponseBytes = size_t{256} << 20;     // 256 MiB
        std::string userAgent = "fieldsync/0.1";
    };

    CurlTransport();
    explicit CurlTransport(Options options);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    TransportResponse send(const TransportRequest& request) override;

private:
    Options m_options;
    void* m_handle = nullptr;  // CURL*
    std::mutex m_mutex;
};

} // namespace fieldsync::client
