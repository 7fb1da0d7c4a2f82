// PhotoStore: where the server keeps the bytes of photos (docs/photos.md),
// each object addressed by the SHA-256 of its bytes (64 lowercase hex
// digits, the `sha256` of its photo rows). Who may write or read an object is
// decided before the store is called, against the stored photo rows: the
// store knows bytes, not users.
//
// An object is uploaded in order, chunk after chunk, and may be resumed at
// any time from what the store holds (state().offset): after a cut
// connection, a killed device or a killed server. The last chunk completes
// it only if the whole hashes to its address; otherwise the partial object
// is dropped and the upload starts again from 0. A complete object never
// changes, so the same picture attached twice is stored once.
//
// FilePhotoStore, under one directory (the server's data directory's
// `photos`):
//   partial/<sha256>          an upload in progress: the bytes received so
//                             far, in order. Each chunk is written and
//                             fsynced before append() returns, so a chunk
//                             acknowledged is kept. A server killed during a
//                             write may keep part of a chunk: the next
//                             state() reports the file's length and the
//                             device resends from there (every byte written
//                             came from a chunk whose digest was checked; a
//                             torn write the file system filled otherwise is
//                             caught by the hash of the whole).
//   <sha256[0,2)>/<sha256>    a complete object, renamed into place (and the
//                             directory fsynced) once its hash is verified;
//                             read-only after.
//   orphans/<sha256>          garbage collection's mark: the milliseconds
//                             since the Unix epoch (decimal text) at which
//                             the object was first found named by no live row.
// One process owns the directory (the embedded store's server); appends are
// serialised inside it.
#pragma once

#include "base/Result.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::server {

// What the store holds of one object.
struct PhotoUpload {
    uint64_t offset = 0;    // bytes held, in order (the whole size once complete)
    bool complete = false;  // every byte held and the hash verified
};

class PhotoStore {
public:
    virtual ~PhotoStore() = default;

    // How much of `sha256` is held (offset 0, not complete: nothing).
    virtual PhotoUpload state(std::string_view sha256) = 0;

    // Appends `chunk` at `offset` of the object `sha256` of `size` bytes.
    // Errors (nothing is written): FailedPrecondition, reason "upload_offset",
    // when `offset` is not what the store holds (a gap or an overlap);
    // InvalidArgument when the chunk would pass `size` or is empty;
    // InvalidArgument, reason "hash_mismatch", when the last chunk completes
    // bytes that do not hash to `sha256` (the partial object is dropped).
    // An object already complete answers its state at once, whatever
    // `offset` (the bytes are already there).
    virtual Result<PhotoUpload> append(std::string_view sha256, uint64_t size, uint64_t offset,
                                       std::string_view chunk) = 0;

    // Up to `length` bytes of a complete object from `from`; NotFound while
    // it is not complete.
    virtual Result<std::string> read(std::string_view sha256, uint64_t from, uint64_t length) = 0;

    // Forgets the object, complete or partial (garbage collection).
    virtual void remove(std::string_view sha256) = 0;

    // Every object held, complete or partial, with when it was last written.
    struct Entry {
        std::string sha256;
        PhotoUpload held;
        std::chrono::system_clock::time_point touched;
    };
    virtual std::vector<Entry> list() = 0;

    // Garbage collection's marks (Collect.h): since when a complete object
    // has been found named by no live photo row (nullopt: not marked). Kept
    // with the objects, so a restart does not reset the grace period;
    // remove() drops the mark too.
    virtual std::optional<std::chrono::system_clock::time_point> orphanedSince(std::string_view sha256) = 0;
    virtual void markOrphaned(std::string_view sha256, std::chrono::system_clock::time_point since) = 0;
    virtual void unmarkOrphaned(std::string_view sha256) = 0;
};

// The bytes of photos as files under `directory` (created if missing).
std::unique_ptr<PhotoStore> openFilePhotoStore(const std::filesystem::path& directory);

} // namespace fieldsync::server
