#include "api/Metrics.h"

#include <sstream>

namespace fieldsync::server {

void Metrics::request(const std::string& path, int status)
{
    std::lock_guard lock(m_mutex);
    ++m_requests[{path, status}];
}

void Metrics::error(const std::string& code)
{
    std::lock_guard lock(m_mutex);
    ++m_errors[code];
}

void Metrics::merged(uint64_t fieldChanges)
{
    std::lock_guard lock(m_mutex);
    m_merged += fieldChanges;
}

void Metrics::syncSeconds(double seconds)
{
    std::lock_guard lock(m_mutex);
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++m_bucketCounts[i];
    ++m_syncCount;
    m_syncSum += seconds;
}

std::string Metrics::render()
{
    std::ostringstream o;
    size_t connected = m_connected ? m_connected() : 0;
    std::lock_guard lock(m_mutex);
    o << "# HELP fieldsync_requests_total HTTP requests by path and status.\n"
      << "# TYPE fieldsync_requests_total counter\n";
    for (const auto& [key, n] : m_requests)
        o << "fieldsync_requests_total{path=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
    o << "# HELP fieldsync_errors_total Error responses by error code.\n"
      << "# TYPE fieldsync_errors_total counter\n";
    for (const auto& [code, n] : m_errors) o << "fieldsync_errors_total{code=\"" << code << "\"} " << n << "\n";
    o << "# HELP fieldsync_changes_merged_total Field changes merged into the server state.\n"
      << "# TYPE fieldsync_changes_merged_total counter\n"
      << "fieldsync_changes_merged_total " << m_merged << "\n";
    o << "# HELP fieldsync_sync_seconds Time to serve POST /v1/sync.\n"
      << "# TYPE fieldsync_sync_seconds histogram\n";
    for (size_t i = 0; i < kBuckets.size(); ++i)
        o << "fieldsync_sync_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << m_bucketCounts[i] << "\n";
    o << "fieldsync_sync_seconds_bucket{le=\"+Inf\"} " << m_syncCount << "\n"
      << "fieldsync_sync_seconds_sum " << m_syncSum << "\n"
      << "fieldsync_sync_seconds_count " << m_syncCount << "\n";
    o << "# HELP fieldsync_connected_devices Devices connected by WebSocket.\n"
      << "# TYPE fieldsync_connected_devices gauge\n"
      << "fieldsync_connected_devices " << connected << "\n";
    return o.str();
}

} // namespace fieldsync::server
