#include "storage/Encryption.h"
#include "storage/Cipher.h"

#include "storage/Connection.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
#include <unistd.h>

namespace fieldsync::storage {

EncryptionKey::EncryptionKey(std::span<const uint8_t, kBytes> bytes)
{
    std::copy(bytes.begin(), bytes.end(), m_bytes.begin());
}

EncryptionKey::~EncryptionKey()
{
    explicit_bzero(m_bytes.data(), m_bytes.size());
}

std::optional<EncryptionKey> EncryptionKey::fromHex(std::string_view hex)
{
    if (hex.size() != 2 * kBytes) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::array<uint8_t, kBytes> bytes{};
    for (size_t i = 0; i < kBytes; ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    EncryptionKey key{std::span<const uint8_t, kBytes>(bytes)};
    explicit_bzero(bytes.data(), bytes.size());
    return key;
}

std::string EncryptionKey::hex() const
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * kBytes);
    for (uint8_t b : m_bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

FileKind fileKind(const std::string& path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return errno == ENOENT ? FileKind::Missing : FileKind::Other;
    if (st.st_size == 0) return FileKind::Plain;  // an empty file becomes a plain database when opened
    // The header is read through SQLite's own unix VFS, never fopen/fclose:
    // closing any descriptor of a file drops every POSIX lock this process
    // holds on it, including another connection's (the app's UI while its
    // sync engine opens the file); the VFS defers such a close.
    sqlite3_vfs* vfs = sqlite3_vfs_find("unix");
    if (!vfs) throw StorageError(SQLITE_ERROR, "SQLite has no unix VFS");
    sqlite3_filename name = sqlite3_create_filename(path.c_str(), "", "", 0, nullptr);
    auto* file = static_cast<sqlite3_file*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(vfs->szOsFile)));
    if (!name || !file) {
        sqlite3_free_filename(name);
        sqlite3_free(file);
        throw StorageError(SQLITE_NOMEM, "out of memory reading the header of " + path);
    }
    std::memset(file, 0, static_cast<size_t>(vfs->szOsFile));
    int outFlags = 0;
    int rc = vfs->xOpen(vfs, name, file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &outFlags);
    char header[16] = {};
    if (rc == SQLITE_OK) {
        rc = file->pMethods->xRead(file, header, sizeof header, 0);
        file->pMethods->xClose(file);
    } else if (file->pMethods) {
        file->pMethods->xClose(file);
    }
    sqlite3_free(file);
    sqlite3_free_filename(name);
    if (rc != SQLITE_OK) return FileKind::Other;  // unreadable, or shorter than a header
    return std::memcmp(header, "SQLite format 3", 16) == 0 ? FileKind::Plain : FileKind::Other;
}

namespace {

// A connection of its own (not a Database: no WAL switch, no cache), closed
// whatever happens.
struct Handle {
    sqlite3* db = nullptr;
    ~Handle() { sqlite3_close_v2(db); }

    [[noreturn]] void fail(const std::string& what) const
    {
        throw StorageError(db ? sqlite3_extended_errcode(db) : SQLITE_ERROR,
                           what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    }
    void exec(const std::string& sql, const std::string& what) const
    {
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(what);
    }
    // Opens and reads the schema; the SQLite result code of that first read
    // (where a wrong key, or no key for an encrypted file, shows).
    int tryOpen(const std::string& path, int flags, const std::optional<EncryptionKey>& key, CipherScheme scheme,
                int busyTimeoutMs)
    {
        if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_URI, nullptr) != SQLITE_OK)
            return db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
        sqlite3_busy_timeout(db, busyTimeoutMs);
        if (key && keyConnection(db, *key, scheme) != SQLITE_OK) return sqlite3_extended_errcode(db);
        return sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
    }
    void open(const std::string& path, int flags, const std::optional<EncryptionKey>& key, const std::string& what,
              int busyTimeoutMs = 5000, CipherScheme scheme = CipherScheme::Aegis256)
    {
        if (tryOpen(path, flags, key, scheme, busyTimeoutMs) != SQLITE_OK) fail(what);
    }
    void close()
    {
        sqlite3_close_v2(db);
        db = nullptr;
    }
    std::string text(const std::string& sql) const
    {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) fail(sql);
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    }
};

// A file name as the path of a "file:" URI: what URIs give a meaning to is
// percent-encoded.
std::string uriPath(const std::string& path)
{
    std::string out;
    for (unsigned char c : std::filesystem::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c == 0x7f) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string quoted(const std::string& text)
{
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

void syncPath(const std::string& path, bool directory)
{
    const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0) throw StorageError(SQLITE_IOERR, "cannot open " + path + " to sync it: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw StorageError(SQLITE_IOERR, "cannot sync " + path + ": " + std::strerror(errno));
}

void removeIfThere(const std::string& path)
{
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) throw StorageError(SQLITE_IOERR, "cannot remove " + path + ": " + ec.message());
}

std::string copyPath(const std::string& path)
{
    return path + "-encrypting";
}

// The copy-check-sync-rename both encryptFile and rekeyFile are.
void replaceWithEncryptedCopy(const std::string& path, const std::optional<EncryptionKey>& from,
                              CipherScheme fromScheme, const EncryptionKey& to)
{
    const std::string copy = copyPath(path);
    removeDatabaseFiles(copy);  // what an interrupted earlier attempt left
    std::string userVersion;
    {
        Handle source;
        source.open(path, SQLITE_OPEN_READWRITE, from,
                    from ? "cannot open " + path + " with its key (wrong key, or a damaged file; nothing was changed)"
                         : "cannot open " + path,
                    1000, fromScheme);
        // Alone with the file until it is replaced: another connection would
        // go on writing to the file being left behind.
        source.exec("PRAGMA locking_mode=EXCLUSIVE", "cannot lock " + path);
        source.exec("BEGIN EXCLUSIVE; COMMIT", path + " is open elsewhere (close the app or command using it); "
                                                     "nothing was changed");
        // Everything into the main file, so the copy has it all and the WAL
        // left behind holds nothing.
        source.exec("PRAGMA wal_checkpoint(TRUNCATE)", "cannot checkpoint " + path);
        userVersion = source.text("PRAGMA user_version");
        source.exec("VACUUM INTO " + quoted("file:" + uriPath(copy) + "?" + cipherUriParameters(to, CipherScheme::Aegis256)),
                    "cannot write the encrypted copy of " + path);
    }  // closed: the last connection removes the WAL and shared memory
    {
        Handle check;
        check.open(copy, SQLITE_OPEN_READWRITE, to, "the encrypted copy of " + path + " does not open");
        if (check.text("PRAGMA quick_check") != "ok" || check.text("PRAGMA user_version") != userVersion)
            throw StorageError(SQLITE_CORRUPT, "the encrypted copy of " + path + " does not check out; " + path
                                                   + " is unchanged");
        check.exec("PRAGMA journal_mode=WAL", "cannot set the journal mode of the encrypted copy");
    }
    syncPath(copy, false);
    // The plain file's WAL and shared memory must not meet the new file.
    removeIfThere(path + "-wal");
    removeIfThere(path + "-shm");
    if (std::rename(copy.c_str(), path.c_str()) != 0)
        throw StorageError(SQLITE_IOERR, "cannot rename " + copy + " to " + path + ": " + std::strerror(errno));
    syncPath(std::filesystem::absolute(path).parent_path().string(), true);
}

} // namespace

void encryptFile(const std::string& path, const EncryptionKey& key)
{
    if (fileKind(path) != FileKind::Plain)
        throw StorageError(SQLITE_NOTADB, path + " is not a plain database: nothing to encrypt");
    replaceWithEncryptedCopy(path, std::nullopt, CipherScheme::Aegis256, key);
}

namespace {

// Whether `key` opens the file under `scheme` (it only reads).
bool opensWith(const std::string& path, const EncryptionKey& key, CipherScheme scheme)
{
    Handle probe;
    return probe.tryOpen(path, SQLITE_OPEN_READWRITE, key, scheme, 1000) == SQLITE_OK;
}

} // namespace

void rekeyFile(const std::string& path, const EncryptionKey& from, const EncryptionKey& to)
{
    const bool legacy = !opensWith(path, from, CipherScheme::Aegis256) && opensWith(path, from, CipherScheme::LegacyChaCha20);
    replaceWithEncryptedCopy(path, from, legacy ? CipherScheme::LegacyChaCha20 : CipherScheme::Aegis256, to);
}

bool upgradeLegacyEncryption(const std::string& path, const EncryptionKey& key)
{
    if (fileKind(path) != FileKind::Other || !opensWith(path, key, CipherScheme::LegacyChaCha20)) return false;
    replaceWithEncryptedCopy(path, key, CipherScheme::LegacyChaCha20, key);
    return true;
}

void removeDatabaseFiles(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) removeIfThere(path + suffix);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) removeIfThere(copyPath(path) + suffix);
}

} // namespace fieldsync::storage
