// The replica's page cipher (storage/PageCipher.h): the same file format as
// SQLite3 Multiple Ciphers' own "chacha20" scheme, computed by libsodium.
// Files — main file and WAL — written by either open with the other, every
// tampered page is refused, and the block counter wraps as the format says.
#include "TempDir.h"

#include "storage/Database.h"
#include "storage/Encryption.h"
#include "storage/PageCipher.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include <array>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fieldsync::storage {
namespace {

using test::TempDir;

EncryptionKey key(uint8_t seed)
{
    std::array<uint8_t, EncryptionKey::kBytes> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
    return EncryptionKey(std::span<const uint8_t, EncryptionKey::kBytes>(bytes));
}

// A connection keyed with one of SQLite3 Multiple Ciphers' ciphers by name,
// WAL mode, left open (so its WAL stays) until destroyed.
struct Raw {
    sqlite3* db = nullptr;
    Raw(const std::string& path, const char* cipher, const EncryptionKey& k)
    {
        EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        sqlite3mc_config(db, "cipher", sqlite3mc_cipher_index(cipher));
        const std::string raw = "raw:" + k.hex();
        EXPECT_EQ(sqlite3_key_v2(db, "main", raw.data(), static_cast<int>(raw.size())), SQLITE_OK);
        exec("PRAGMA journal_mode=WAL");
    }
    ~Raw() { sqlite3_close(db); }
    int exec(const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); }
    std::vector<std::string> names()
    {
        std::vector<std::string> out;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT name FROM t ORDER BY id", -1, &st, nullptr) != SQLITE_OK) return out;
        while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        return out;
    }
};

void write(Raw& w, int from, int to)
{
    w.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT)");
    w.exec("BEGIN");
    for (int i = from; i < to; ++i)
        w.exec("INSERT INTO t (id, name) VALUES (" + std::to_string(i) + ", '客户 " + std::to_string(i) + " "
               + std::string(300, 'x') + "')");
    w.exec("COMMIT");
}

TEST(PageCipher, FilesAndWalsWrittenByTheBuiltInChaCha20OpenWithThisCipherAndBack)
{
    TempDir dir;
    const auto k = key(1);
    const std::string a = dir.file("builtin.db"), b = dir.file("sodium.db");
    {
        Raw w(a, "chacha20", k);
        write(w, 0, 500);
        ASSERT_EQ(w.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);  // these in the file...
        write(w, 500, 600);  // ...these in the WAL, while `w` stays open
        Raw reader(a, pageCipherName(), k);
        auto names = reader.names();
        ASSERT_EQ(names.size(), 600u) << "the built-in cipher's file and WAL, read by this one";
        EXPECT_EQ(names[599].substr(0, 10), "客户 599");
    }
    {
        Raw w(b, pageCipherName(), k);
        write(w, 0, 500);
        ASSERT_EQ(w.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
        write(w, 500, 600);
        Raw reader(b, "chacha20", k);
        auto names = reader.names();
        ASSERT_EQ(names.size(), 600u) << "this cipher's file and WAL, read by the built-in one";
        EXPECT_EQ(names[599].substr(0, 10), "客户 599");
    }
    // And the Database class (which uses this cipher) opens the built-in's file.
    Database db(a, Database::Mode::ReadWrite, 1000, k);
    Statement st(db, "SELECT count(*) FROM t");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.getInt(0), 600);
}

TEST(PageCipher, AWrongKeyIsNotADatabaseAndAFlippedByteIsCorrupt)
{
    TempDir dir;
    const std::string path = dir.file("x.db");
    {
        Raw w(path, pageCipherName(), key(1));
        write(w, 0, 200);
    }
    {
        Raw wrong(path, pageCipherName(), key(2));
        EXPECT_EQ(wrong.exec("SELECT count(*) FROM t") & 0xff, SQLITE_NOTADB);
    }
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    ASSERT_GT(bytes.size(), 3 * 4096u);
    bytes[2 * 4096 + 100] ^= 0x01;  // page 3
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    Raw r(path, pageCipherName(), key(1));
    EXPECT_EQ(r.exec("SELECT sum(length(name)) FROM t") & 0xff, SQLITE_CORRUPT);
}

TEST(PageCipher, TheBlockCounterWrapsAt2To32AsTheFormatSays)
{
    const auto k = key(3);
    const uint8_t salt[16] = {1, 2, 3};
    std::vector<unsigned char> plain(4096);
    for (size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<unsigned char>(i * 13);
    for (uint32_t start : {0xFFFFFFFFu, 0xFFFFFFF0u, 0xFFFFFFC2u, 0u}) {
        const int page = 7;
        uint8_t nonce[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};
        const uint32_t counter = start ^ static_cast<uint32_t>(page);  // stored so that counter ^ page == start
        for (int i = 0; i < 4; ++i) nonce[12 + i] = static_cast<uint8_t>(counter >> (8 * i));
        auto page1 = plain;
        ASSERT_EQ(encryptPageForTest(k.bytes().data(), salt, page, page1.data(), 4096, nonce), SQLITE_OK) << start;

        // The expected stream, block by block, each at its own counter.
        uint8_t otk[64] = {};
        crypto_stream_chacha20_ietf_xor_ic(otk, otk, 64, nonce, start, k.bytes().data());
        std::vector<unsigned char> expected(plain.begin(), plain.begin() + 4096 - 32);
        for (size_t b = 0; b * 64 < expected.size(); ++b) {
            const uint32_t blockCounter = start + 1 + static_cast<uint32_t>(b);  // wraps
            const size_t len = std::min<size_t>(64, expected.size() - b * 64);
            crypto_stream_chacha20_ietf_xor_ic(expected.data() + b * 64, expected.data() + b * 64, len, nonce,
                                               blockCounter, otk + 32);
        }
        EXPECT_TRUE(std::equal(expected.begin(), expected.end(), page1.begin())) << "counter start " << start;
        ASSERT_EQ(decryptPageForTest(k.bytes().data(), page, page1.data(), 4096), SQLITE_OK) << start;
        EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 4096 - 32, page1.begin())) << start;
    }
}

} // namespace
} // namespace fieldsync::storage
