// Encrypted database files (docs/security.md, "Device data at rest").
//
// fieldsync's SQLite is SQLite3 Multiple Ciphers (third_party/sqlite3mc): a
// database opened with a key has every page of its file, WAL and journal
// encrypted and authenticated with AEGIS-256 (storage/Cipher.h gives the
// page format). Why AEGIS-256 rather than ChaCha20-Poly1305 (the scheme
// before it) or SQLCipher 4's AES-256-CBC + HMAC-SHA512: one authenticated
// construction with a 256-bit key and 256-bit random nonces, constant-time
// with the AES instructions every current phone and PC has, and about six
// times cheaper a page than ChaCha20-Poly1305 there, which is what brings an
// encrypted replica within 15% of a plain one (docs/benchmarks.md); AEGIS is
// specified by the IRTF (CFRG) and analysed since the CAESAR competition,
// whose final portfolio it is in. There is no SQLCipher tool chain to stay
// compatible with.
//
// The key is 32 random bytes (replica/Ids.h makes them), handed to the cipher
// as they are ("raw:" key, no key derivation): it is not a password, so
// stretching it would only slow every open down. It lives in the platform's
// keystore, never beside the data (platform/, app-qml/).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fieldsync::storage {

class EncryptionKey {
public:
    static constexpr size_t kBytes = 32;
    explicit EncryptionKey(std::span<const uint8_t, kBytes> bytes);
    EncryptionKey(const EncryptionKey&) = default;
    EncryptionKey& operator=(const EncryptionKey&) = default;
    ~EncryptionKey();  // the bytes are zeroed

    // 64 hex digits (either case); nullopt for anything else.
    static std::optional<EncryptionKey> fromHex(std::string_view hex);
    std::string hex() const;
    const std::array<uint8_t, kBytes>& bytes() const { return m_bytes; }
    bool operator==(const EncryptionKey&) const = default;

private:
    std::array<uint8_t, kBytes> m_bytes;
};

// What is at `path`: nothing, a plain SQLite database (its first 16 bytes are
// SQLite's header), or something else — an encrypted database, or a file
// that is no database at all; only a key tells those two apart.
enum class FileKind { Missing, Plain, Other };
FileKind fileKind(const std::string& path);

// Encrypts the plain database at `path` in place, as a crash may stop it at
// any point: the encrypted copy is written beside it (VACUUM INTO), checked,
// synced, then renamed over the file, after the plain file's WAL was
// checkpointed into it and removed. The file is either the plain database or
// the encrypted one, whole, at every moment. Nothing else may have the file
// open. Throws StorageError (the plain file untouched) on any failure.
void encryptFile(const std::string& path, const EncryptionKey& key);

// Re-encrypts the database at `path` from key `from` to key `to`, the same
// way. A wrong `from` throws StorageError and changes nothing.
void rekeyFile(const std::string& path, const EncryptionKey& from, const EncryptionKey& to);

// Re-encrypts, in place and as encryptFile does, a database that `key`
// opens only under the cipher fieldsync wrote before AEGIS-256 (ChaCha20-
// Poly1305, storage/Cipher.h). Returns false, changing nothing, for any other
// file (already AEGIS-256, plain, missing, another key, damaged).
bool upgradeLegacyEncryption(const std::string& path, const EncryptionKey& key);

// Deletes the database file and what SQLite keeps beside it (-wal, -shm,
// -journal, and a copy an interrupted encryptFile/rekeyFile left). Missing
// files are fine; any other failure throws StorageError.
void removeDatabaseFiles(const std::string& path);

} // namespace fieldsync::storage
