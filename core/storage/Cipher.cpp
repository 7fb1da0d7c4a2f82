#include "storage/Cipher.h"

#include "storage/Database.h"

#include <sqlite3.h>

namespace fieldsync::storage {

namespace {

const char* cipherName(CipherScheme scheme)
{
    return scheme == CipherScheme::Aegis256 ? "aegis" : "chacha20";
}

// The key itself, no derivation (Cipher.h).
std::string rawKey(const EncryptionKey& key)
{
    return "raw:" + key.hex();
}

} // namespace

int keyConnection(sqlite3* db, const EncryptionKey& key, CipherScheme scheme)
{
    const char* name = cipherName(scheme);
    const int index = sqlite3mc_cipher_index(name);
    if (index < 0 || sqlite3mc_config(db, "cipher", index) != index) return SQLITE_ERROR;
    // Every parameter the format depends on, set rather than left to the
    // library's defaults (which a new version could change).
    if (scheme == CipherScheme::Aegis256) {
        if (sqlite3mc_config_cipher(db, name, "algorithm", 4) != 4) return SQLITE_ERROR;  // AEGIS_ALGORITHM_256
    } else {
        if (sqlite3mc_config_cipher(db, name, "legacy", 0) != 0) return SQLITE_ERROR;
    }
    if (sqlite3mc_config_cipher(db, name, "plaintext_header_size", 0) != 0) return SQLITE_ERROR;
    const std::string raw = rawKey(key);
    return sqlite3_key_v2(db, "main", raw.data(), static_cast<int>(raw.size()));
}

std::string cipherUriParameters(const EncryptionKey& key, CipherScheme scheme)
{
    std::string out = std::string("cipher=") + cipherName(scheme);
    out += scheme == CipherScheme::Aegis256 ? "&algorithm=aegis-256" : "&legacy=0";
    return out + "&plaintext_header_size=0&key=" + rawKey(key);
}

} // namespace fieldsync::storage
