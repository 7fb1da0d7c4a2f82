#include "sync/CurlTransport.h"

#include "sync/SyncClient.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <strings.h>

namespace fieldsync::client {

namespace {

std::once_flag g_curlInit;

// curl_global_init is not thread-safe and must run before any other call:
// once per process, from whichever thread gets here first.
void initCurl()
{
    std::call_once(g_curlInit, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("libcurl could not be initialized");
    });
}

struct Receiver {
    std::string* body;
    size_t limit;
    bool tooLarge = false;
};

size_t onData(char* data, size_t size, size_t count, void* user)
{
    auto* r = static_cast<Receiver*>(user);
    size_t n = size * count;
    if (r->body->size() + n > r->limit) {
        r->tooLarge = true;
        return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
    }
    r->body->append(data, n);
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto* cancel = static_cast<const std::atomic<bool>*>(user);
    return cancel && cancel->load() ? 1 : 0;  // non-zero aborts (CURLE_ABORTED_BY_CALLBACK)
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

} // namespace

CurlTransport::CurlTransport() : CurlTransport(Options{}) {}

CurlTransport::CurlTransport(Options options) : m_options(std::move(options))
{
    initCurl();
    m_handle = curl_easy_init();
    if (!m_handle) throw std::runtime_error("libcurl could not create a handle");
}

CurlTransport::~CurlTransport()
{
    curl_easy_cleanup(static_cast<CURL*>(m_handle));
}

TransportResponse CurlTransport::send(const TransportRequest& request)
{
    // The last line of defence (SyncClient checks first): nothing goes over
    // plain HTTP beyond this machine.
    if (auto secure = requireSecureServer(request.url); !secure) return {0, {}, secure.error().message};
    std::lock_guard lock(m_mutex);
    CURL* h = static_cast<CURL*>(m_handle);
    // Reset options from the previous request; the connection cache, DNS
    // cache and TLS sessions survive a reset (keep-alive).
    curl_easy_reset(h);

    TransportResponse response;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    Receiver receiver{&response.body, m_options.maxResponseBytes};

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto addHeader = [&](const std::string& line) {
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        if (!next) throw std::bad_alloc();
        (void)headers.release();
        headers.reset(next);
    };
    bool hasContentType = false;
    for (const auto& [name, value] : request.headers) {
        addHeader(name + ": " + value);
        hasContentType = hasContentType || strcasecmp(name.c_str(), "content-type") == 0;
    }
    if (!hasContentType && !request.body.empty()) addHeader("Content-Type: application/json");
    addHeader("Accept: application/json");
    addHeader("Expect:");  // no 100-continue round trip before large bodies

    const long timeoutMs = std::max<long>(1, static_cast<long>(request.timeout.count()));
    const long connectMs = std::max<long>(1, std::min<long>(timeoutMs, static_cast<long>(m_options.connectTimeout.count())));

    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeoutMs);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connectMs);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, m_options.userAgent.c_str());
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, m_options.insecureSkipVerify ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, m_options.insecureSkipVerify ? 0L : 2L);
    if (!m_options.caFile.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, m_options.caFile.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &receiver);
    if (request.cancel) {
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(request.cancel));
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    }
    if (request.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }

    CURLcode rc = curl_easy_perform(h);
    // The handle outlives these locals: leave it no pointers to them.
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, nullptr);
    if (rc != CURLE_OK) {
        response.body.clear();
        if (receiver.tooLarge)
            response.error = "the response is larger than " + std::to_string(m_options.maxResponseBytes) + " bytes";
        else if (rc == CURLE_ABORTED_BY_CALLBACK)
            response.error = "cancelled";
        else if (errorBuffer[0])
            response.error = errorBuffer;  // the detailed form of curl_easy_strerror(rc)
        else
            response.error = curl_easy_strerror(rc);
        while (!response.error.empty() && (response.error.back() == '\n' || response.error.back() == ' '))
            response.error.pop_back();
        return response;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    if (response.status == 0) response.error = "no HTTP response";
    return response;
}

} // namespace fieldsync::client
