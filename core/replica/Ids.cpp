#include "replica/Ids.h"

#include "replica/RowStore.h"
#include "storage/Statement.h"

#include <sodium.h>

#include <stdexcept>

namespace fieldsync::replica {

namespace {

void ensureSodium()
{
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string uuidText(const uint8_t b[16])
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
        s += hex[b[i] >> 4];
        s += hex[b[i] & 0xf];
    }
    return s;
}

uint64_t fnv1a(std::string_view s, uint64_t h)
{
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

} // namespace

std::string newRowId(int64_t unixMillis)
{
    ensureSodium();
    uint8_t b[16];
    randombytes_buf(b, sizeof b);
    auto ms = static_cast<uint64_t>(unixMillis);
    for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0f));  // version 7
    b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
    return uuidText(b);
}

crdt::DeviceId newDeviceId()
{
    ensureSodium();
    crdt::DeviceId d;
    do {
        randombytes_buf(d.bytes.data(), d.bytes.size());
    } while (d.isNull());
    return d;
}

storage::EncryptionKey newReplicaKey()
{
    ensureSodium();
    std::array<uint8_t, storage::EncryptionKey::kBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    storage::EncryptionKey key{std::span<const uint8_t, storage::EncryptionKey::kBytes>(bytes)};
    sodium_memzero(bytes.data(), bytes.size());
    return key;
}

std::string conflictRowId(std::string_view entity, std::string_view row, std::string_view field,
                          const crdt::Clock& loserClock)
{
    // Not a security boundary, only a stable name: two FNV-1a passes with
    // different offsets give 128 bits, formatted as a UUID (version 8, custom).
    std::string key = std::string(entity) + '\0' + std::string(row) + '\0' + std::string(field) + '\0'
        + loserClock.str();
    uint64_t a = fnv1a(key, 0xcbf29ce484222325ULL);
    uint64_t b = fnv1a(key, 0x84222325cbf29ce4ULL ^ a);
    uint8_t bytes[16];
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<uint8_t>(a >> (56 - 8 * i));
        bytes[8 + i] = static_cast<uint8_t>(b >> (56 - 8 * i));
    }
    bytes[6] = static_cast<uint8_t>(0x80 | (bytes[6] & 0x0f));
    bytes[8] = static_cast<uint8_t>(0x80 | (bytes[8] & 0x3f));
    return uuidText(bytes);
}

crdt::DeviceId ownDeviceId(storage::Connection& db, RowStore& rows)
{
    {
        storage::UsingStatement st(db, "SELECT value FROM meta WHERE key = 'device_id'");
        if (st->step())
            if (auto id = crdt::DeviceId::fromHex(st->getText(0))) return *id;
    }
    crdt::DeviceId id = newDeviceId();
    storage::UsingStatement st(db, "INSERT INTO meta (key, value) VALUES ('device_id', ?)");
    st->bind(1, id.hex());
    st->run();
    rows.peerOf(id);
    return id;
}

} // namespace fieldsync::replica
