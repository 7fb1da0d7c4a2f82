// Garbage collection of photo bytes (docs/photos.md): mark, then sweep, so
// that the grace period counts from when an object lost its last live photo
// row, not from when it was uploaded.
//
// One pass, over every object the store holds:
//   complete, named         its mark, if any, is dropped (named again)
//   complete, not named     marked with `now` if unmarked; removed once
//                           marked at least `grace` ago
//   partial                 removed once untouched for `grace` (an upload
//                           abandoned); a partial upload is never marked
// `named(sha256)`: whether a photo row that is not archived names the hash
// (the server asks its hub).
#pragma once

#include "photos/PhotoStore.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace fieldsync::server {

struct CollectReport {
    size_t marked = 0;           // found unnamed for the first time
    size_t unmarked = 0;         // named again
    size_t removed = 0;          // complete objects removed
    size_t partialsRemoved = 0;  // abandoned uploads removed
    uint64_t bytesFreed = 0;
};

CollectReport collectPhotos(PhotoStore& store, const std::function<bool(const std::string& sha256)>& named,
                            std::chrono::system_clock::time_point now, std::chrono::seconds grace);

} // namespace fieldsync::server
