// PageCipher: the replica's page encryption, computed by libsodium.
//
// The on-disk format is SQLite3 Multiple Ciphers' "chacha20" scheme
// (non-legacy sqleet), byte for byte, so a file written by either opens with
// the other (tests/storage/PageCipherTest.cpp proves it both ways). Only the
// code differs: SQLite3 Multiple Ciphers computes ChaCha20 and Poly1305 in
// portable C, about 11 µs of CPU per 4 KiB page here, libsodium with the
// vector instructions the processor has, about 3 µs (docs/benchmarks.md).
//
// Every page of the file and its WAL (len bytes, the last 32 reserved):
//   [0, n)            the page, encrypted (n = len - 32); on page 1 bytes
//                     0..15 hold the file's salt instead of "SQLite format 3"
//                     and bytes 16..23 (page size, reserved-space size, ...)
//                     stay plain, as SQLite reads them before any key
//   [n, n + 16)       nonce: 16 random bytes, new at every write of the page
//   [n + 16, n + 32)  tag: Poly1305 over [0, n + 16) (ciphertext and nonce)
// with, for page number p and the 32-byte key K:
//   counter  = little-endian uint32 of nonce[12..16) XOR p
//   otk      = ChaCha20-IETF(K, nonce[0..12), block counter) : 64 bytes
//   page     = plaintext XOR ChaCha20-IETF(otk[32..64), nonce[0..12),
//              blocks from counter + 1, wrapping at 2^32)
//   tag      = Poly1305(otk[0..32), [0, n + 16))
// A page whose tag does not verify is an error (SQLITE_NOTADB on page 1: a
// wrong key; SQLITE_CORRUPT elsewhere), never silently accepted. Keys are
// given raw ("raw:" and 64 hex digits, storage/Encryption.h); fieldsync never
// derives one from a passphrase, and this cipher refuses any other form.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fieldsync::storage {

// The cipher's name for sqlite3mc_config / URI parameters. Registered with
// SQLite3 Multiple Ciphers on first use (thread-safe); throws StorageError if
// that fails.
const char* pageCipherName();

// For tests: one page through the codec, with the nonce given (null: random).
// Returns an SQLite result code.
int encryptPageForTest(const uint8_t key[32], const uint8_t salt[16], int page, unsigned char* data, int len,
                       const uint8_t* nonce);
int decryptPageForTest(const uint8_t key[32], int page, unsigned char* data, int len);

} // namespace fieldsync::storage
