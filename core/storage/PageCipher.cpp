#include "storage/PageCipher.h"

#include "storage/Database.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace fieldsync::storage {

namespace {

constexpr int kKeyBytes = 32;
constexpr int kSaltBytes = 16;
constexpr int kNonceBytes = 16;
constexpr int kTagBytes = 16;
constexpr int kReserved = kNonceBytes + kTagBytes;
constexpr int kPage1Plain = 24;  // SQLite3 Multiple Ciphers' CIPHER_PAGE1_OFFSET
constexpr char kName[] = "fieldsync_chacha20";

struct Cipher {
    uint8_t key[kKeyBytes];
    uint8_t salt[kSaltBytes];
    bool keyed;  // false: the key was not given raw; every page is refused
};

uint32_t load32le(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16
        | static_cast<uint32_t>(p[3]) << 24;
}

// XORs the ChaCha20-IETF keystream from block `ic` into p[0, len), the block
// counter wrapping at 2^32 as SQLite3 Multiple Ciphers' does (libsodium
// refuses to run past it, so the stream is split there).
void xorStream(unsigned char* p, size_t len, const uint8_t nonce[12], uint32_t ic, const uint8_t key[kKeyBytes])
{
    while (len > 0) {
        const uint64_t untilWrap = ((uint64_t{1} << 32) - ic) * 64;
        const size_t take = len <= untilWrap ? len : static_cast<size_t>(untilWrap);
        crypto_stream_chacha20_ietf_xor_ic(p, p, take, nonce, ic, key);
        p += take;
        len -= take;
        ic = 0;
    }
}

// The one-time keys of a page: otk[0, 32) keys Poly1305, otk[32, 64) the page's stream.
void oneTimeKeys(const Cipher& c, int page, const uint8_t* nonce, uint8_t otk[64], uint32_t& counter)
{
    counter = load32le(nonce + 12) ^ static_cast<uint32_t>(page);
    std::memset(otk, 0, 64);
    crypto_stream_chacha20_ietf_xor_ic(otk, otk, 64, nonce, counter, c.key);
}

int encryptPage(const Cipher& c, int page, unsigned char* data, int len, int reserved, const uint8_t* givenNonce)
{
    // Pages without room for a nonce and a tag would go unauthenticated:
    // this cipher writes none (SQLite3 Multiple Ciphers reserves the room
    // whenever it encrypts a file).
    if (!c.keyed || reserved < kReserved || len <= kReserved + kPage1Plain) return SQLITE_CORRUPT;
    const int n = len - reserved;
    const int offset = page == 1 ? kPage1Plain : 0;
    uint8_t* nonce = data + n;
    if (givenNonce) std::memcpy(nonce, givenNonce, kNonceBytes);
    else randombytes_buf(nonce, kNonceBytes);
    uint8_t otk[64];
    uint32_t counter = 0;
    oneTimeKeys(c, page, nonce, otk, counter);
    xorStream(data + offset, static_cast<size_t>(n - offset), nonce, counter + 1, otk + 32);
    if (page == 1) std::memcpy(data, c.salt, kSaltBytes);
    crypto_onetimeauth_poly1305(nonce + kNonceBytes, data, static_cast<unsigned long long>(n) + kNonceBytes, otk);
    sodium_memzero(otk, sizeof otk);
    return SQLITE_OK;
}

int decryptPage(const Cipher& c, int page, unsigned char* data, int len, int reserved, bool check)
{
    if (!c.keyed || reserved < kReserved || len <= kReserved + kPage1Plain)
        return page == 1 ? SQLITE_NOTADB : SQLITE_CORRUPT;
    const int n = len - reserved;
    const int offset = page == 1 ? kPage1Plain : 0;
    const uint8_t* nonce = data + n;
    uint8_t otk[64];
    uint32_t counter = 0;
    oneTimeKeys(c, page, nonce, otk, counter);
    int rc = SQLITE_OK;
    if (check) {
        uint8_t tag[kTagBytes];
        crypto_onetimeauth_poly1305(tag, data, static_cast<unsigned long long>(n) + kNonceBytes, otk);
        if (crypto_verify_16(tag, nonce + kNonceBytes) != 0) rc = page == 1 ? SQLITE_NOTADB : SQLITE_CORRUPT;
    }
    if (rc == SQLITE_OK) {
        xorStream(data + offset, static_cast<size_t>(n - offset), nonce, counter + 1, otk + 32);
        if (page == 1) std::memcpy(data, "SQLite format 3", kSaltBytes);  // with its terminating zero
    }
    sodium_memzero(otk, sizeof otk);
    return rc;
}

// --- SQLite3 Multiple Ciphers' cipher interface (sqlite3.h, CipherDescriptor)

void* allocateCipher(sqlite3*)
{
    auto* c = static_cast<Cipher*>(sqlite3_malloc(sizeof(Cipher)));
    if (c) std::memset(c, 0, sizeof(Cipher));
    return c;
}

void freeCipher(void* cipher)
{
    sodium_memzero(cipher, sizeof(Cipher));
    sqlite3_free(cipher);
}

void cloneCipher(void* to, void* from) { std::memcpy(to, from, sizeof(Cipher)); }
int getLegacy(void*) { return 0; }
int getPageSize(void*) { return 0; }
int getReserved(void*) { return kReserved; }
unsigned char* getSalt(void* cipher) { return static_cast<Cipher*>(cipher)->salt; }

void generateKey(void* cipher, char* password, int length, int rekey, unsigned char* cipherSalt)
{
    auto* c = static_cast<Cipher*>(cipher);
    // As SQLite3 Multiple Ciphers' own: rekey == 2 is a WAL database, whose
    // salt stays; a new database or a rekey gets a new random salt.
    if (rekey == 2) rekey = cipherSalt ? 0 : 1;
    if (rekey || !cipherSalt) randombytes_buf(c->salt, kSaltBytes);
    else std::memcpy(c->salt, cipherSalt, kSaltBytes);
    size_t bin = 0;
    c->keyed = length == 4 + 2 * kKeyBytes && std::memcmp(password, "raw:", 4) == 0
        && sodium_hex2bin(c->key, kKeyBytes, password + 4, 2 * kKeyBytes, nullptr, &bin, nullptr) == 0
        && bin == kKeyBytes;
    if (!c->keyed) sodium_memzero(c->key, kKeyBytes);
}

int encryptCallback(void* cipher, int page, unsigned char* data, int len, int reserved)
{
    return encryptPage(*static_cast<Cipher*>(cipher), page, data, len, reserved, nullptr);
}

int decryptCallback(void* cipher, int page, unsigned char* data, int len, int reserved, int hmacCheck)
{
    return decryptPage(*static_cast<Cipher*>(cipher), page, data, len, reserved, hmacCheck != 0);
}

const CipherDescriptor kDescriptor = {kName,       allocateCipher, freeCipher, cloneCipher,    getLegacy,      getPageSize,
                                      getReserved, getSalt,        generateKey, encryptCallback, decryptCallback};
// No parameters: the sentinel alone.
CipherParams kParams[] = {{"", 0, 0, 0, 0}};

} // namespace

const char* pageCipherName()
{
    static std::once_flag once;
    static int rc = SQLITE_OK;
    std::call_once(once, [] {
        if (sodium_init() < 0) rc = SQLITE_ERROR;
        else rc = sqlite3mc_register_cipher(&kDescriptor, kParams, 0);
    });
    if (rc != SQLITE_OK) throw StorageError(rc, "cannot register the page cipher with SQLite3 Multiple Ciphers");
    return kName;
}

int encryptPageForTest(const uint8_t key[32], const uint8_t salt[16], int page, unsigned char* data, int len,
                       const uint8_t* nonce)
{
    (void)pageCipherName();
    Cipher c{};
    std::memcpy(c.key, key, kKeyBytes);
    std::memcpy(c.salt, salt, kSaltBytes);
    c.keyed = true;
    return encryptPage(c, page, data, len, kReserved, nonce);
}

int decryptPageForTest(const uint8_t key[32], int page, unsigned char* data, int len)
{
    (void)pageCipherName();
    Cipher c{};
    std::memcpy(c.key, key, kKeyBytes);
    c.keyed = true;
    return decryptPage(c, page, data, len, kReserved, true);
}

} // namespace fieldsync::storage
