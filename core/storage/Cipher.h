// Cipher: how fieldsync keys an SQLite connection (storage-internal; the
// public side is storage/Encryption.h).
//
// Scheme: AEGIS-256, SQLite3 Multiple Ciphers' "aegis" cipher with algorithm
// "aegis-256": an authenticated cipher built on the AES round function. With
// the AES instructions current phone and PC processors have (ARMv8 Crypto
// Extensions, x86 AES-NI) a 4 KiB page costs about 0.6 µs of CPU here, against
// 3.4 µs for ChaCha20-Poly1305 through libsodium, the scheme before it
// (docs/benchmarks.md, "Device data at rest"). Processors without AES
// instructions run the library's portable code: slower, the same files.
//
// Every page of the file, its WAL and its journal (len bytes; the last 64
// reserved, as page 1's header byte 20 says):
//   [0, n)            the page, encrypted (n = len - 64); on page 1 bytes
//                     0..15 hold the file's random salt instead of "SQLite
//                     format 3", and bytes 16..23 (page size, reserved-space
//                     size, ...) stay plain, as SQLite reads them before any key
//   [n, n + 32)       tag: AEGIS-256's 256-bit tag over the encrypted bytes
//   [n + 32, n + 64)  nonce: 32 random bytes, new at every write of the page
// with, for page number p and the 32-byte key K:
//   otk      = AEGIS-256 keystream(K, nonce): 64 bytes, the last 4 replaced
//              by p (big-endian), so a page moved elsewhere does not verify
//   page     = AEGIS-256-encrypt(key = otk[0, 32), nonce = otk[32, 64))
// A page whose tag does not verify is an error (SQLITE_NOTADB on page 1: a
// wrong key; SQLITE_CORRUPT elsewhere), never silently accepted: the room for
// tag and nonce is the cipher's, not taken from the (plain) header. Keys are
// given raw ("raw:" and 64 hex digits): fieldsync never derives one from a
// passphrase, so the cipher's Argon2 key derivation never runs.
//
// Nonces come from SQLite3 Multiple Ciphers' generator (ChaCha20 seeded from
// getrandom): a process that forked after writing must not write the same
// file from both sides (fieldsync's processes never fork without exec).
//
// Legacy: replicas encrypted before AEGIS-256 use ChaCha20-Poly1305 in SQLite3
// Multiple Ciphers' "chacha20" format (sqleet's: a 16-byte nonce and a 16-byte
// Poly1305 tag per page). They are opened that way once and re-encrypted
// (storage::upgradeLegacyEncryption).
#pragma once

#include "storage/Encryption.h"

#include <string>

struct sqlite3;

namespace fieldsync::storage {

enum class CipherScheme {
    Aegis256,        // what every file is written with
    LegacyChaCha20,  // read once, to re-encrypt
};

// Keys the connection's "main" database with `key` under `scheme`. Returns an
// SQLite result code (the first read shows whether the key fits).
int keyConnection(sqlite3* db, const EncryptionKey& key, CipherScheme scheme);

// The same as "file:" URI parameters (after '?'), key included, for VACUUM INTO.
std::string cipherUriParameters(const EncryptionKey& key, CipherScheme scheme);

} // namespace fieldsync::storage
