// The replica's page cipher (storage/Cipher.h): files are written with
// AEGIS-256 exactly as SQLite3 Multiple Ciphers' "aegis" cipher defines it,
// every tampered page is refused, and a replica encrypted under the cipher
// before it (ChaCha20-Poly1305) is moved to AEGIS-256 once, keeping every
// row, while a wrong key changes nothing.
#include "TempDir.h"

#include "storage/Cipher.h"
#include "storage/Database.h"
#include "storage/Encryption.h"
#include "storage/Statement.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
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

std::string contents(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A connection keyed through SQLite3 Multiple Ciphers' own configuration, by
// cipher name and parameters, not through storage::keyConnection: what the
// format claims is checked against the library's definition. WAL mode, left
// open (so its WAL stays) until destroyed.
struct Raw {
    sqlite3* db = nullptr;
    Raw(const std::string& path, const char* cipher, const EncryptionKey& k)
    {
        EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        EXPECT_GE(sqlite3mc_config(db, "cipher", sqlite3mc_cipher_index(cipher)), 1);
        if (std::string(cipher) == "aegis") {
            EXPECT_EQ(sqlite3mc_config_cipher(db, "aegis", "algorithm", 4), 4);
        }
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

int64_t rows(Database& db)
{
    Statement st(db, "SELECT count(*) FROM t");
    st.step();
    return st.getInt(0);
}

// A legacy replica: ChaCha20-Poly1305 pages, 500 rows in the file and 100
// more left in its WAL (the writer killed before any checkpoint would leave
// exactly that; here the WAL is copied aside while the writer is open).
void writeLegacy(const std::string& path, const EncryptionKey& k)
{
    Raw w(path, "chacha20", k);
    write(w, 0, 500);
    ASSERT_EQ(w.exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    write(w, 500, 600);
    std::filesystem::copy_file(path + "-wal", path + "-wal.kept");
    std::filesystem::copy_file(path, path + ".kept");
    sqlite3_close(w.db);
    w.db = nullptr;
    std::filesystem::rename(path + ".kept", path);
    std::filesystem::remove(path + "-shm");
    std::filesystem::rename(path + "-wal.kept", path + "-wal");
}

TEST(Cipher, NewFilesAreAegis256AsTheLibraryDefinesItAndNotTheOldCipher)
{
    TempDir dir;
    const std::string path = dir.file("new.db");
    const auto k = key(1);
    {
        Database db(path, Database::Mode::ReadWriteCreate, 1000, k);
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        db.exec("INSERT INTO t (id, name) VALUES (1, '客户 1')");
    }
    {
        Raw aegis(path, "aegis", k);
        ASSERT_EQ(aegis.names(), std::vector<std::string>{"客户 1"}) << "the library's AEGIS-256 reads the file";
    }
    Raw chacha(path, "chacha20", k);
    EXPECT_EQ(chacha.exec("SELECT count(*) FROM t") & 0xff, SQLITE_NOTADB) << "not the old cipher";
    // Reserved bytes per page (header byte 20): a 32-byte tag and a 32-byte nonce.
    EXPECT_EQ(static_cast<unsigned char>(contents(path).at(20)), 64);
}

TEST(Cipher, AWrongKeyIsNotADatabaseAndAFlippedByteIsCorrupt)
{
    TempDir dir;
    const std::string path = dir.file("x.db");
    {
        Raw w(path, "aegis", key(1));
        write(w, 0, 200);
    }
    {
        Raw wrong(path, "aegis", key(2));
        EXPECT_EQ(wrong.exec("SELECT count(*) FROM t") & 0xff, SQLITE_NOTADB);
    }
    std::string bytes = contents(path);
    ASSERT_GT(bytes.size(), 3 * 4096u);
    bytes[2 * 4096 + 100] ^= 0x01;  // page 3
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    Database db(path, Database::Mode::ReadWrite, 1000, key(1));
    EXPECT_THROW(db.exec("SELECT sum(length(name)) FROM t"), StorageError) << "a tampered page is refused";
}

TEST(Cipher, ALegacyChaCha20FileIsReencryptedOnceKeepingEveryRowOfTheFileAndItsWal)
{
    TempDir dir;
    const std::string path = dir.file("legacy.db");
    const auto k = key(3);
    writeLegacy(path, k);
    EXPECT_THROW(Database(path, Database::Mode::ReadWrite, 1000, k), StorageError) << "not AEGIS-256 yet";

    ASSERT_TRUE(upgradeLegacyEncryption(path, k));
    {
        Database db(path, Database::Mode::ReadWrite, 1000, k);
        EXPECT_EQ(rows(db), 600) << "the rows of the file and of its WAL";
        Statement last(db, "SELECT name FROM t WHERE id = 599");
        ASSERT_TRUE(last.step());
        EXPECT_EQ(last.getText(0).substr(0, 10), "客户 599");
    }
    Raw chacha(path, "chacha20", k);
    EXPECT_EQ(chacha.exec("SELECT count(*) FROM t") & 0xff, SQLITE_NOTADB) << "no page left in the old cipher";
    EXPECT_FALSE(upgradeLegacyEncryption(path, k)) << "once only";
    EXPECT_FALSE(std::filesystem::exists(path + "-encrypting")) << "no copy left behind";
}

TEST(Cipher, ALegacyFileWithTheWrongKeyIsNotUpgradedAndNotTouched)
{
    TempDir dir;
    const std::string path = dir.file("legacy.db");
    writeLegacy(path, key(4));
    const std::string before = contents(path), walBefore = contents(path + "-wal");
    EXPECT_FALSE(upgradeLegacyEncryption(path, key(5)));
    EXPECT_EQ(contents(path), before);
    EXPECT_EQ(contents(path + "-wal"), walBefore);
    EXPECT_TRUE(upgradeLegacyEncryption(path, key(4))) << "its own key still opens it";
}

TEST(Cipher, PlainAndMissingFilesAreNotLegacy)
{
    TempDir dir;
    const std::string plain = dir.file("plain.db");
    {
        Database db(plain);
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    }
    const std::string before = contents(plain);
    EXPECT_FALSE(upgradeLegacyEncryption(plain, key(1)));
    EXPECT_EQ(contents(plain), before);
    EXPECT_FALSE(upgradeLegacyEncryption(dir.file("missing.db"), key(1)));
    EXPECT_FALSE(std::filesystem::exists(dir.file("missing.db")));
}

TEST(Cipher, RekeyingALegacyFileMovesItToTheNewKeyAndToAegis256)
{
    TempDir dir;
    const std::string path = dir.file("legacy.db");
    writeLegacy(path, key(6));
    rekeyFile(path, key(6), key(7));
    Database db(path, Database::Mode::ReadWrite, 1000, key(7));
    EXPECT_EQ(rows(db), 600);
    EXPECT_THROW(Database(path, Database::Mode::ReadWrite, 1000, key(6)), StorageError);
}

} // namespace
} // namespace fieldsync::storage
