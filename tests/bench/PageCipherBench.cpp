// Diagnostics for the encrypted replica's cost (docs/benchmarks.md, "Device
// data at rest"): what one page costs the cipher, and what ChaCha20-Poly1305
// (the cipher before AEGIS-256) costs at its fastest, from libsodium.
//
//   BM_PageCipherDiag      reads every page of a ~16 MB table (4,000 pages of
//                          4 KiB) on a fresh connection, so every page comes
//                          from the OS cache and, in the encrypted file,
//                          through the replica's cipher (AEGIS-256,
//                          storage/Cipher.h); plaintext and encrypted
//                          interleaved. Counters: plain_page_us, enc_page_us
//                          (per page read), and codec_page_us = their
//                          difference: the cipher's cost per 4 KiB page.
//   BM_LibsodiumPageDiag   libsodium's ChaCha20 (IETF) and Poly1305 over
//                          4,096 bytes (one keystream, one MAC): what the
//                          previous page cipher, built on them, paid a page.
//                          Counter: page_us.
#include "BenchCommon.h"

#include "storage/Encryption.h"
#include "storage/Transaction.h"

#include <sodium.h>

namespace fieldsync::bench {
namespace {

constexpr int kPages = 4000;

void fill(storage::Database& db)
{
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)");
    storage::Transaction tx(db);
    // One row a page: 3,900 bytes of varied content.
    std::string blob(3900, '\0');
    for (int i = 0; i < kPages; ++i) {
        for (size_t k = 0; k < blob.size(); ++k) blob[k] = static_cast<char>((k * 131 + static_cast<size_t>(i)) % 251);
        storage::UsingStatement st(db.cached("INSERT INTO t (id, b) VALUES (?, ?)"));
        st->bind(1, int64_t{i}).bind(2, blob);
        st->run();
    }
    tx.commit();
}

double readAll(const std::string& path, const std::optional<storage::EncryptionKey>& key, Meter& m)
{
    storage::Database db(path, storage::Database::Mode::ReadOnly, 5000, key);
    return m.time([&] {
        storage::Statement st(db, "SELECT sum(length(CAST(b AS BLOB))) FROM t");
        if (!st.step() || st.getInt(0) != int64_t{kPages} * 3900) throw std::runtime_error("short read");
    });
}

void BM_PageCipherDiag(benchmark::State& state)
{
    TempDir dir;
    const auto key = replica::newReplicaKey();
    {
        storage::Database plain(dir.file("plain.db"));
        fill(plain);
        plain.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        storage::Database enc(dir.file("enc.db"), storage::Database::Mode::ReadWriteCreate, 5000, key);
        fill(enc);
        enc.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    Meter plainM, encM;
    size_t i = 0;
    for (auto _ : state) {
        double encNs = 0;
        if (i++ % 2 == 0) {
            readAll(dir.file("plain.db"), std::nullopt, plainM);
            encNs = readAll(dir.file("enc.db"), key, encM);
        } else {
            encNs = readAll(dir.file("enc.db"), key, encM);
            readAll(dir.file("plain.db"), std::nullopt, plainM);
        }
        state.SetIterationTime(encNs / 1e9);
    }
    const double pages = static_cast<double>(state.iterations()) * kPages;
    state.counters["plain_page_us"] = plainM.wallNs / 1e3 / pages;
    state.counters["enc_page_us"] = encM.wallNs / 1e3 / pages;
    state.counters["codec_page_us"] = (encM.wallNs - plainM.wallNs) / 1e3 / pages;
    state.counters["codec_cpu_page_us"] = (encM.cpuNs - plainM.cpuNs) / 1e3 / pages;
}
BENCHMARK(BM_PageCipherDiag)->Iterations(20)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_LibsodiumPageDiag(benchmark::State& state)
{
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::vector<unsigned char> page(4096);
    randombytes_buf(page.data(), page.size());
    unsigned char key[32], nonce[12], otk[64] = {}, mac[16];
    randombytes_buf(key, sizeof key);
    randombytes_buf(nonce, sizeof nonce);
    Meter m;
    for (auto _ : state) {
        m.time([&] {
            // One-time key, page keystream, MAC: a sqleet-style page's work.
            crypto_stream_chacha20_ietf_xor_ic(otk, otk, sizeof otk, nonce, 0, key);
            crypto_stream_chacha20_ietf_xor_ic(page.data(), page.data(), page.size(), nonce, 1, otk + 32);
            crypto_onetimeauth_poly1305(mac, page.data(), page.size(), otk);
        });
        benchmark::DoNotOptimize(mac);
    }
    state.counters["page_us"] = m.wallNs / 1e3 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LibsodiumPageDiag)->Iterations(20000)->Unit(benchmark::kMicrosecond);

} // namespace
} // namespace fieldsync::bench
