#include "photos/Collect.h"

namespace fieldsync::server {

CollectReport collectPhotos(PhotoStore& store, const std::function<bool(const std::string& sha256)>& named,
                            std::chrono::system_clock::time_point now, std::chrono::seconds grace)
{
    CollectReport report;
    for (const auto& entry : store.list()) {
        if (!entry.held.complete) {
            if (now - entry.touched >= grace) {
                store.remove(entry.sha256);
                ++report.partialsRemoved;
                report.bytesFreed += entry.held.offset;
            }
            continue;
        }
        const auto since = store.orphanedSince(entry.sha256);
        if (named(entry.sha256)) {
            if (since) {
                store.unmarkOrphaned(entry.sha256);
                ++report.unmarked;
            }
            continue;
        }
        if (!since) {
            store.markOrphaned(entry.sha256, now);
            ++report.marked;
        } else if (now - *since >= grace) {
            store.remove(entry.sha256);
            ++report.removed;
            report.bytesFreed += entry.held.offset;
        }
    }
    return report;
}

} // namespace fieldsync::server
