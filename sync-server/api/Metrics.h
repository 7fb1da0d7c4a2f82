// Counters and one histogram, rendered in the Prometheus text format for
// GET /metrics. Thread-safe; cheap enough to touch on every request.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace fieldsync::server {

class Metrics {
public:
    void request(const std::string& path, int status);
    void error(const std::string& code);
    void merged(uint64_t fieldChanges);
    void syncSeconds(double seconds);
    void setGauge(std::function<size_t()> connectedDevices) { m_connected = std::move(connectedDevices); }
    std::string render();

private:
    static constexpr std::array<double, 10> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    std::mutex m_mutex;
    std::map<std::pair<std::string, int>, uint64_t> m_requests;
    std::map<std::string, uint64_t> m_errors;
    uint64_t m_merged = 0;
    std::array<uint64_t, kBuckets.size()> m_bucketCounts{};
    uint64_t m_syncCount = 0;
    double m_syncSum = 0;
    std::function<size_t()> m_connected;
};

} // namespace fieldsync::server
