#include "protocol/EncryptedBundle.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace fieldsync::protocol {

namespace {

constexpr std::array<unsigned char, 8> kMagic = {0x89, 'F', 'S', 'B', '\r', '\n', 0x1a, '\n'};
constexpr uint16_t kVersion = 1;
constexpr uint32_t kMinOps = 1, kMaxOps = 16;
constexpr uint32_t kMinMemKiB = 8, kMaxMemKiB = 1024 * 1024;
constexpr size_t kOffVersion = 8, kOffOps = 10, kOffMem = 14, kOffSalt = 18, kOffCheck = 34, kOffStream = 50;
constexpr size_t kCheckBytes = 16;
constexpr size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "fsbundle";

static_assert(kOffSalt + crypto_pwhash_SALTBYTES == kOffCheck);
static_assert(kOffStream + crypto_secretstream_xchacha20poly1305_HEADERBYTES == kEncryptedBundleHeaderBytes);
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32 && crypto_kdf_KEYBYTES == 32);
static_assert(kMinOps >= crypto_pwhash_OPSLIMIT_MIN && kMinMemKiB * 1024 >= crypto_pwhash_MEMLIMIT_MIN);
static_assert(BundleKdfCost{}.opsLimit == crypto_pwhash_OPSLIMIT_MODERATE
              && BundleKdfCost{}.memLimitKiB * 1024ULL == crypto_pwhash_MEMLIMIT_MODERATE);

void initSodium()
{
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

const unsigned char* bytesOf(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

void putU16(unsigned char* p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }
void putU32(unsigned char* p, uint32_t v)
{
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
uint16_t getU16(const unsigned char* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t getU32(const unsigned char* p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
    return v;
}

bool costInBounds(const BundleKdfCost& c)
{
    return c.opsLimit >= kMinOps && c.opsLimit <= kMaxOps && c.memLimitKiB >= kMinMemKiB
        && c.memLimitKiB <= kMaxMemKiB;
}

// The two subkeys, wiped when they go out of scope.
struct Keys {
    unsigned char check[32];
    unsigned char stream[32];
    ~Keys() { sodium_memzero(this, sizeof *this); }
};

// False only when Argon2id cannot get its memory.
bool deriveKeys(std::string_view passphrase, const unsigned char* salt, const BundleKdfCost& cost, Keys& keys)
{
    unsigned char master[32];
    if (crypto_pwhash(master, sizeof master, passphrase.data(), passphrase.size(), salt, cost.opsLimit,
                      static_cast<size_t>(cost.memLimitKiB) * 1024, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return false;
    crypto_kdf_derive_from_key(keys.check, sizeof keys.check, 1, kKdfContext, master);
    crypto_kdf_derive_from_key(keys.stream, sizeof keys.stream, 2, kKdfContext, master);
    sodium_memzero(master, sizeof master);
    return true;
}

void computeCheck(const unsigned char* header, const Keys& keys, unsigned char* out)
{
    crypto_generichash(out, kCheckBytes, header, kOffCheck, keys.check, sizeof keys.check);
}

std::string costText(const BundleKdfCost& c)
{
    return std::to_string(c.opsLimit) + " passes, " + std::to_string(c.memLimitKiB) + " KiB";
}

} // namespace

bool isEncryptedBundle(std::string_view bytes)
{
    return bytes.size() >= kMagic.size() && std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) == 0;
}

Result<EncryptedBundleHeader> readEncryptedBundleHeader(std::string_view bytes)
{
    if (!isEncryptedBundle(bytes)) return invalidArgument("not an encrypted bundle (its first bytes are not the magic)");
    const auto* p = bytesOf(bytes);
    if (bytes.size() >= kOffOps) {
        // The version first: a newer file may have a longer header.
        const uint16_t version = getU16(p + kOffVersion);
        if (version != kVersion)
            return invalidArgument("an encrypted bundle of format version " + std::to_string(version)
                                   + "; this fieldsync reads version " + std::to_string(kVersion)
                                   + " (upgrade fieldsync if the file is newer)");
    }
    if (bytes.size() < kEncryptedBundleHeaderBytes + kAbytes)
        return invalidArgument("the encrypted bundle is cut short (" + std::to_string(bytes.size())
                               + " bytes, less than its header and one chunk)");
    EncryptedBundleHeader h;
    h.version = kVersion;
    h.cost.opsLimit = getU32(p + kOffOps);
    h.cost.memLimitKiB = getU32(p + kOffMem);
    if (!costInBounds(h.cost))
        return invalidArgument("the encrypted bundle's header is damaged: its key-derivation cost (" + costText(h.cost)
                               + ") is outside " + std::to_string(kMinOps) + ".." + std::to_string(kMaxOps)
                               + " passes and " + std::to_string(kMinMemKiB) + ".." + std::to_string(kMaxMemKiB)
                               + " KiB");
    return h;
}

std::string encryptBundle(std::string_view plaintext, std::string_view passphrase, BundleKdfCost cost)
{
    initSodium();
    if (passphrase.empty()) throw std::invalid_argument("encryptBundle: empty passphrase");
    if (!costInBounds(cost)) throw std::invalid_argument("encryptBundle: cost out of bounds (" + costText(cost) + ")");

    const size_t chunks = plaintext.size() / kEncryptedBundleChunkBytes + 1;
    std::string out(kEncryptedBundleHeaderBytes + plaintext.size() + chunks * kAbytes, '\0');
    auto* h = reinterpret_cast<unsigned char*>(out.data());
    std::memcpy(h, kMagic.data(), kMagic.size());
    putU16(h + kOffVersion, kVersion);
    putU32(h + kOffOps, cost.opsLimit);
    putU32(h + kOffMem, cost.memLimitKiB);
    randombytes_buf(h + kOffSalt, crypto_pwhash_SALTBYTES);

    Keys keys;
    if (!deriveKeys(passphrase, h + kOffSalt, cost, keys))
        throw std::runtime_error("encrypting the bundle: Argon2id could not get " + costText(cost) + " of memory");
    computeCheck(h, keys, h + kOffCheck);

    crypto_secretstream_xchacha20poly1305_state st;
    crypto_secretstream_xchacha20poly1305_init_push(&st, h + kOffStream, keys.stream);
    unsigned char* c = h + kEncryptedBundleHeaderBytes;
    for (size_t i = 0; i < chunks; ++i) {
        const size_t from = i * kEncryptedBundleChunkBytes;
        const bool last = i + 1 == chunks;
        const size_t len = last ? plaintext.size() - from : kEncryptedBundleChunkBytes;
        unsigned long long written = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &st, c, &written, bytesOf(plaintext) + from, len, h, kEncryptedBundleHeaderBytes,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        c += written;
    }
    sodium_memzero(&st, sizeof st);
    return out;
}

Result<std::string> decryptBundle(std::string_view sealed, std::string_view passphrase)
{
    initSodium();
    auto header = readEncryptedBundleHeader(sealed);
    if (!header) return header.error();
    const auto* h = bytesOf(sealed);

    Keys keys;
    if (!deriveKeys(passphrase, h + kOffSalt, header->cost, keys))
        return Error{ErrorCode::ResourceExhausted,
                     "cannot open the encrypted bundle: Argon2id could not get " + costText(header->cost) + " of memory"};
    unsigned char check[kCheckBytes];
    computeCheck(h, keys, check);
    if (sodium_memcmp(check, h + kOffCheck, kCheckBytes) != 0)
        return Error{ErrorCode::Unauthenticated, "wrong passphrase (or the file's header is damaged)"};

    crypto_secretstream_xchacha20poly1305_state st;
    if (crypto_secretstream_xchacha20poly1305_init_pull(&st, h + kOffStream, keys.stream) != 0)
        return invalidArgument("the encrypted bundle's header is damaged");
    constexpr size_t kFull = kEncryptedBundleChunkBytes + kAbytes;
    const size_t body = sealed.size() - kEncryptedBundleHeaderBytes;
    // Full chunks, then one shorter final chunk (see the header's format).
    const size_t chunks = body / kFull + 1;
    std::string out(body, '\0');  // more than enough: each chunk's plaintext is 17 bytes shorter
    const unsigned char* c = h + kEncryptedBundleHeaderBytes;
    size_t produced = 0, left = body;
    for (size_t i = 0; i < chunks; ++i) {
        const size_t len = left >= kFull ? kFull : left;
        const bool last = i + 1 == chunks;
        if (len < kAbytes)
            return invalidArgument("the encrypted bundle is cut short or damaged: chunk " + std::to_string(i + 1)
                                   + " is incomplete");
        unsigned long long got = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, reinterpret_cast<unsigned char*>(out.data()) + produced,
                                                       &got, &tag, c, len, h, kEncryptedBundleHeaderBytes)
            != 0) {
            sodium_memzero(out.data(), out.size());
            return invalidArgument("the encrypted bundle is damaged or cut short: the passphrase is right, but chunk "
                                   + std::to_string(i + 1) + " of " + std::to_string(chunks)
                                   + " (from byte " + std::to_string(c - h) + ") fails its authentication");
        }
        const bool final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (final != last) {
            sodium_memzero(out.data(), out.size());
            return invalidArgument(final ? "the encrypted bundle is damaged: bytes follow its last chunk"
                                         : "the encrypted bundle is cut short: its last chunk is missing");
        }
        produced += got;
        c += len;
        left -= len;
    }
    out.resize(produced);
    return out;
}

} // namespace fieldsync::protocol
