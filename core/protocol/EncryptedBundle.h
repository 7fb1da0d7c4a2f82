// EncryptedBundle: a bundle file sealed with a passphrase two people share,
// for handing customer data over offline (`fieldsync changes export --encrypt`,
// `changes import` recognises one by its magic). The plaintext is the bundle's
// JSON text exactly as an unencrypted export writes it (ChangeRecord.h).
//
// Crypto is libsodium's, composed, never hand-made:
//   key  = Argon2id(passphrase, salt, opslimit, memlimit)         crypto_pwhash, 32 bytes
//   check_key  = crypto_kdf_derive_from_key(id 1, context "fsbundle", key)
//   stream_key = crypto_kdf_derive_from_key(id 2, context "fsbundle", key)
//   check = BLAKE2b-128 keyed with check_key over header bytes 0..33
//   body  = crypto_secretstream_xchacha20poly1305 under stream_key
// The check tells a wrong passphrase from a damaged body (it offers a guesser
// nothing the first chunk's tag does not). Every chunk carries the 74 header
// bytes as additional data, so no header byte can change unnoticed.
//
// File format, version 1 (integers little-endian):
//   offset  size  field
//    0       8    magic 89 46 53 42 0D 0A 1A 0A ("\x89FSB\r\n\x1a\n": not text,
//                 and a line-ending or 7-bit conversion breaks it visibly)
//    8       2    format version, 1
//   10       4    Argon2id opslimit (passes), 1..16
//   14       4    Argon2id memlimit in KiB, 8..1048576 (1 GiB)
//   18      16    salt, random per file (crypto_pwhash_SALTBYTES)
//   34      16    check, as above
//   50      24    secretstream header (its random nonce)
//   74     ...    chunks: the plaintext cut into 65,536-byte pieces, each
//                 sealed as one secretstream message (piece + 17 bytes); every
//                 chunk but the last holds a full piece and has tag MESSAGE; the
//                 last holds the remaining 0..65,535 bytes and has tag FINAL.
//                 Nothing may follow it.
// So a cut-off file (no FINAL), a reordered or dropped chunk, appended bytes
// and any flipped bit are all refused; the cost bounds keep a hostile file
// from asking for unbounded memory or time before anything is checked.
#pragma once

#include "base/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace fieldsync::protocol {

// Argon2id cost of a new file. The default is libsodium's MODERATE (3 passes,
// 256 MiB, about a second on a laptop): a bundle travels on USB sticks and in
// mail, so a thief can guess at leisure, and it is made and opened rarely.
struct BundleKdfCost {
    uint32_t opsLimit = 3;
    uint32_t memLimitKiB = 256 * 1024;
};

inline constexpr size_t kEncryptedBundleHeaderBytes = 74;
inline constexpr size_t kEncryptedBundleChunkBytes = 65536;

// The header's readable fields.
struct EncryptedBundleHeader {
    uint16_t version = 0;
    BundleKdfCost cost;
};

// True when `bytes` starts with the magic (then it is an encrypted bundle, or
// a damaged one: never JSON, whose first byte is never 0x89).
bool isEncryptedBundle(std::string_view bytes);

// Reads and checks the header (magic, version, cost bounds); no key needed.
Result<EncryptedBundleHeader> readEncryptedBundleHeader(std::string_view bytes);

// Seals `plaintext` under `passphrase` (not empty) with a fresh salt and
// nonce. Throws std::invalid_argument for an empty passphrase or a cost out of
// the bounds above, std::runtime_error if libsodium fails (out of memory).
std::string encryptBundle(std::string_view plaintext, std::string_view passphrase, BundleKdfCost cost = {});

// Opens a file made by encryptBundle. Errors (nothing is returned then):
//   Unauthenticated  the passphrase is wrong (or the header's check is damaged)
//   InvalidArgument  not an encrypted bundle, an unknown version, costs out of
//                    bounds, a cut-off file, a chunk failing authentication
//                    with the right passphrase, bytes after the last chunk
// Messages are for people and name the place of the damage.
Result<std::string> decryptBundle(std::string_view sealed, std::string_view passphrase);

} // namespace fieldsync::protocol
