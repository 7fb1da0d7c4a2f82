// The file layout and its crash guarantees are in PhotoStore.h.
#include "photos/PhotoStore.h"

#include "schema/Schema.h"

#include <sodium.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <fcntl.h>
#include <mutex>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fieldsync::server {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void ioFailure(const std::string& what, const fs::path& path)
{
    throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// A file descriptor closed on scope exit.
class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

void syncDirectory(const fs::path& dir)
{
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) ioFailure("cannot sync the directory", dir);
}

std::string hexOf(const unsigned char* bytes, size_t n)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

// The SHA-256 of a whole file, read in 1 MiB blocks.
std::string sha256OfFile(const fs::path& path)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) ioFailure("cannot open", path);
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::string block(1 << 20, '\0');
    for (;;) {
        const ssize_t n = ::read(fd.get(), block.data(), block.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            ioFailure("cannot read", path);
        }
        if (n == 0) break;
        crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(block.data()),
                                  static_cast<unsigned long long>(n));
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state, digest.data());
    return hexOf(digest.data(), digest.size());
}

void writeAll(int fd, std::string_view bytes, off_t at, const fs::path& path)
{
    while (!bytes.empty()) {
        const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), at);
        if (n < 0) {
            if (errno == EINTR) continue;
            ioFailure("cannot write", path);
        }
        bytes.remove_prefix(static_cast<size_t>(n));
        at += n;
    }
}

// A shard directory of complete objects: two lowercase hex digits.
bool isShard(std::string_view name)
{
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    return name.size() == 2 && hex(name[0]) && hex(name[1]);
}

class FilePhotoStore final : public PhotoStore {
public:
    explicit FilePhotoStore(fs::path directory) : m_dir(std::move(directory))
    {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
        fs::create_directories(m_dir / "partial");
        fs::create_directories(m_dir / "orphans");
    }

    PhotoUpload state(std::string_view sha256) override
    {
        if (!schema::isSha256Hex(sha256)) return {};
        std::lock_guard lock(m_mutex);
        return stateLocked(sha256);
    }

    Result<PhotoUpload> append(std::string_view sha256, uint64_t size, uint64_t offset, std::string_view chunk) override
    {
        if (!schema::isSha256Hex(sha256)) return invalidArgument("a photo is named by its SHA-256 (64 lowercase hex digits)");
        std::lock_guard lock(m_mutex);
        const PhotoUpload held = stateLocked(sha256);
        if (held.complete) return held;  // stored already: the same bytes
        if (offset != held.offset) {
            Error e = failedPrecondition("the upload continues at byte " + std::to_string(held.offset) + ", not "
                                         + std::to_string(offset));
            e.reason = "upload_offset";
            return e;
        }
        if (chunk.empty()) return invalidArgument("an empty chunk");
        if (offset + chunk.size() > size)
            return invalidArgument("the chunk ends at byte " + std::to_string(offset + chunk.size())
                                   + ", past the photo's size of " + std::to_string(size) + " bytes");
        const fs::path part = partialPath(sha256);
        {
            Fd fd(::open(part.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
            if (fd.get() < 0) ioFailure("cannot open", part);
            // A longer file (a torn write of an earlier server) was already
            // reported by state() as this offset's length: cut to it.
            if (::ftruncate(fd.get(), static_cast<off_t>(offset)) != 0) ioFailure("cannot truncate", part);
            writeAll(fd.get(), chunk, static_cast<off_t>(offset), part);
            if (::fsync(fd.get()) != 0) ioFailure("cannot sync", part);
        }
        if (offset == 0) syncDirectory(part.parent_path());
        const uint64_t now = offset + chunk.size();
        if (now < size) return PhotoUpload{now, false};

        if (sha256OfFile(part) != sha256) {
            fs::remove(part);
            Error e = invalidArgument("the photo's bytes do not hash to its SHA-256; send it again from the start");
            e.reason = "hash_mismatch";
            return e;
        }
        const fs::path final = completePath(sha256);
        fs::create_directories(final.parent_path());
        fs::rename(part, final);
        syncDirectory(final.parent_path());
        syncDirectory(part.parent_path());
        return PhotoUpload{size, true};
    }

    Result<std::string> read(std::string_view sha256, uint64_t from, uint64_t length) override
    {
        if (!schema::isSha256Hex(sha256)) return invalidArgument("a photo is named by its SHA-256 (64 lowercase hex digits)");
        const fs::path path = completePath(sha256);
        Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd.get() < 0) {
            if (errno == ENOENT) return notFound("the photo's bytes have not been uploaded yet");
            ioFailure("cannot open", path);
        }
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0) ioFailure("cannot stat", path);
        const auto total = static_cast<uint64_t>(st.st_size);
        if (from >= total) return std::string();
        std::string out(static_cast<size_t>(std::min(length, total - from)), '\0');
        size_t got = 0;
        while (got < out.size()) {
            const ssize_t n = ::pread(fd.get(), out.data() + got, out.size() - got, static_cast<off_t>(from + got));
            if (n < 0) {
                if (errno == EINTR) continue;
                ioFailure("cannot read", path);
            }
            if (n == 0) break;
            got += static_cast<size_t>(n);
        }
        out.resize(got);
        return out;
    }

    void remove(std::string_view sha256) override
    {
        if (!schema::isSha256Hex(sha256)) return;
        std::lock_guard lock(m_mutex);
        fs::remove(completePath(sha256));
        fs::remove(partialPath(sha256));
        fs::remove(orphanPath(sha256));
    }

    std::optional<std::chrono::system_clock::time_point> orphanedSince(std::string_view sha256) override
    {
        if (!schema::isSha256Hex(sha256)) return std::nullopt;
        std::lock_guard lock(m_mutex);
        std::ifstream in(orphanPath(sha256));
        long long ms = 0;
        if (!(in >> ms)) return std::nullopt;
        return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
    }

    void markOrphaned(std::string_view sha256, std::chrono::system_clock::time_point since) override
    {
        if (!schema::isSha256Hex(sha256)) return;
        std::lock_guard lock(m_mutex);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since.time_since_epoch()).count();
        std::ofstream out(orphanPath(sha256), std::ios::trunc);
        out << ms << "\n";
        if (!out.flush()) ioFailure("cannot write", orphanPath(sha256));
    }

    void unmarkOrphaned(std::string_view sha256) override
    {
        if (!schema::isSha256Hex(sha256)) return;
        std::lock_guard lock(m_mutex);
        fs::remove(orphanPath(sha256));
    }

    std::vector<Entry> list() override
    {
        std::lock_guard lock(m_mutex);
        std::vector<Entry> out;
        auto add = [&](const fs::directory_entry& file, bool complete) {
            const std::string name = file.path().filename().string();
            if (!file.is_regular_file() || !schema::isSha256Hex(name)) return;
            const auto touched = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
                std::chrono::file_clock::to_sys(file.last_write_time()));
            out.push_back({name, {static_cast<uint64_t>(file.file_size()), complete}, touched});
        };
        for (const auto& shard : fs::directory_iterator(m_dir)) {
            const std::string name = shard.path().filename().string();
            const bool partial = name == "partial";
            // Objects live in "partial" and in the two-hex-digit shards; "orphans" holds marks.
            if (!shard.is_directory() || (!partial && !isShard(name))) continue;
            for (const auto& file : fs::directory_iterator(shard.path())) add(file, !partial);
        }
        return out;
    }

private:
    PhotoUpload stateLocked(std::string_view sha256) const
    {
        std::error_code ec;
        const auto whole = fs::file_size(completePath(sha256), ec);
        if (!ec) return {whole, true};
        const auto part = fs::file_size(partialPath(sha256), ec);
        return ec ? PhotoUpload{} : PhotoUpload{part, false};
    }

    fs::path partialPath(std::string_view sha256) const { return m_dir / "partial" / std::string(sha256); }
    fs::path orphanPath(std::string_view sha256) const { return m_dir / "orphans" / std::string(sha256); }
    fs::path completePath(std::string_view sha256) const
    {
        return m_dir / std::string(sha256.substr(0, 2)) / std::string(sha256);
    }

    fs::path m_dir;
    std::mutex m_mutex;
};

} // namespace

std::unique_ptr<PhotoStore> openFilePhotoStore(const std::filesystem::path& directory)
{
    return std::make_unique<FilePhotoStore>(directory);
}

} // namespace fieldsync::server
