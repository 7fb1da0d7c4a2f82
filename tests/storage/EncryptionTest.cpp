// Encrypted database files (storage/Encryption.h): what a lost phone's file
// gives away without its key, wrong keys, and encrypting a plain file in
// place so that a crash at any moment leaves one whole database.
#include "TempDir.h"

#include "storage/Database.h"
#include "storage/Encryption.h"
#include "storage/Statement.h"
#include "storage/Transaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fieldsync::storage {
namespace {

using test::TempDir;
using ::testing::HasSubstr;

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

const std::string kSecret = "北京昭智教育 13912345678 order 12500";

void fill(Database& db, int rows)
{
    db.exec("CREATE TABLE IF NOT EXISTS customer (id INTEGER PRIMARY KEY, name TEXT, notes TEXT)");
    Transaction tx(db);
    Statement ins(db, "INSERT INTO customer (name, notes) VALUES (?, ?)");
    for (int i = 0; i < rows; ++i) {
        ins.bind(1, kSecret + " #" + std::to_string(i)).bind(2, std::string(200, 'n'));
        ins.run();
        ins.reset();
    }
    tx.commit();
}

int64_t count(Database& db)
{
    Statement st(db, "SELECT count(*) FROM customer");
    st.step();
    return st.getInt(0);
}

TEST(EncryptionTest, KeysRoundTripThroughHexAndRefuseAnythingElse)
{
    const EncryptionKey k = key(1);
    EXPECT_EQ(EncryptionKey::fromHex(k.hex()), k);
    std::string upper = k.hex();
    for (auto& c : upper) c = static_cast<char>(std::toupper(c));
    EXPECT_EQ(EncryptionKey::fromHex(upper), k);
    EXPECT_FALSE(EncryptionKey::fromHex(k.hex().substr(2)));
    EXPECT_FALSE(EncryptionKey::fromHex(std::string(64, 'g')));
    EXPECT_FALSE(EncryptionKey::fromHex(""));
}

// What a thief with the phone's storage reads: nothing of the data, in the
// file or in its WAL, while the app has it open and after it closed it.
TEST(EncryptionTest, NoCustomerNamePhoneOrAmountInTheFileOrItsWal)
{
    TempDir dir;
    const std::string path = dir.file("replica.db");
    {
        Database db(path, Database::Mode::ReadWriteCreate, 5000, key(1));
        fill(db, 300);
        ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
        EXPECT_GT(std::filesystem::file_size(path + "-wal"), 0u) << "the rows are still in the WAL";
        for (const auto& file : {path, path + "-wal"}) {
            const std::string bytes = contents(file);
            EXPECT_EQ(bytes.find("北京昭智教育"), std::string::npos) << file;
            EXPECT_EQ(bytes.find("13912345678"), std::string::npos) << file;
            EXPECT_EQ(bytes.find("SQLite format 3"), std::string::npos) << file << ": not even the header";
        }
    }
    EXPECT_EQ(contents(path).find("13912345678"), std::string::npos);
    EXPECT_EQ(fileKind(path), FileKind::Other);
    Database again(path, Database::Mode::ReadWrite, 5000, key(1));
    EXPECT_EQ(count(again), 300);
}

TEST(EncryptionTest, AnEncryptedFileDoesNotOpenWithoutItsKeyOrWithAnotherAndIsLeftUnchanged)
{
    TempDir dir;
    const std::string path = dir.file("replica.db");
    {
        Database db(path, Database::Mode::ReadWriteCreate, 5000, key(1));
        fill(db, 10);
    }
    const std::string before = contents(path);
    try {
        Database db(path, Database::Mode::ReadWrite);
        FAIL() << "opened without its key";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.code() & 0xff, SQLITE_NOTADB);
        EXPECT_THAT(e.what(), HasSubstr("it is encrypted, or not a database: open it with its key"));
    }
    try {
        Database db(path, Database::Mode::ReadWrite, 5000, key(2));
        FAIL() << "opened with another key";
    } catch (const StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("this key does not open it"));
        EXPECT_THAT(e.what(), HasSubstr("nothing was changed"));
    }
    EXPECT_EQ(contents(path), before) << "a failed open writes nothing";
    EXPECT_FALSE(std::filesystem::exists(path + "-wal") && std::filesystem::file_size(path + "-wal") > 0);
}

TEST(EncryptionTest, AFileOpenElsewhereIsNotEncryptedUnderItsFeet)
{
    TempDir dir;
    const std::string path = dir.file("replica.db");
    Database plain(path);
    fill(plain, 500);
    EXPECT_EQ(fileKind(path), FileKind::Plain);
    try {
        encryptFile(path, key(1));
        FAIL() << "encrypted while another connection had it open";
    } catch (const StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("is open elsewhere"));
    }
    fill(plain, 1);
    EXPECT_EQ(count(plain), 501) << "the other connection goes on, on the same file";
    EXPECT_EQ(fileKind(path), FileKind::Plain);
}

TEST(EncryptionTest, EncryptingAClosedPlainFileInPlace)
{
    TempDir dir;
    const std::string path = dir.file("replica.db");
    {
        Database plain(path);
        fill(plain, 500);
        plain.setUserVersion(7);
    }
    ASSERT_NE(contents(path).find("13912345678"), std::string::npos) << "plain before";
    encryptFile(path, key(1));
    EXPECT_EQ(fileKind(path), FileKind::Other);
    EXPECT_EQ(contents(path).find("13912345678"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path + "-encrypting")) << "no copy left beside it";
    Database db(path, Database::Mode::ReadWrite, 5000, key(1));
    EXPECT_EQ(count(db), 500);
    EXPECT_EQ(db.userVersion(), 7);
    EXPECT_THROW(encryptFile(path, key(2)), StorageError) << "an encrypted file is not encrypted again";
}

TEST(EncryptionTest, RekeyingMovesTheFileToTheNewKeyAndAWrongOldKeyChangesNothing)
{
    TempDir dir;
    const std::string path = dir.file("replica.db");
    {
        Database db(path, Database::Mode::ReadWriteCreate, 5000, key(1));
        fill(db, 50);
    }
    const std::string before = contents(path);
    EXPECT_THROW(rekeyFile(path, key(3), key(2)), StorageError);
    EXPECT_EQ(contents(path), before);
    rekeyFile(path, key(1), key(2));
    EXPECT_THROW(Database(path, Database::Mode::ReadWrite, 5000, key(1)), StorageError);
    Database db(path, Database::Mode::ReadWrite, 5000, key(2));
    EXPECT_EQ(count(db), 50);
}

TEST(EncryptionTest, RemovingADatabaseRemovesItsWalSharedMemoryAndLeftovers)
{
    TempDir dir;
    const std::string path = dir.file("replica.db");
    {
        Database db(path, Database::Mode::ReadWriteCreate, 5000, key(1));
        fill(db, 5);
        std::ofstream(path + "-encrypting") << "left by a crash";
        ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
        ASSERT_TRUE(std::filesystem::exists(path + "-shm"));
    }
    std::ofstream(path + "-wal") << "x";
    removeDatabaseFiles(path);
    for (const char* suffix : {"", "-wal", "-shm", "-journal", "-encrypting"})
        EXPECT_FALSE(std::filesystem::exists(path + suffix)) << suffix;
    EXPECT_NO_THROW(removeDatabaseFiles(path)) << "nothing to remove is fine";
}

// A process killed at any moment of encryptFile leaves the plain database
// (it opens without a key) or the encrypted one (with it), every row in it.
TEST(EncryptionTest, AKillAtAnyMomentOfEncryptingLeavesOneWholeDatabase)
{
    TempDir dir;
    std::mt19937 rng(20261207);
    int plainAfter = 0, encryptedAfter = 0;
    // How long one run takes here, so the kills spread over all of it.
    std::chrono::microseconds whole{0};
    {
        const std::string path = dir.file("timing.db");
        {
            Database plain(path);
            fill(plain, 3000);
        }
        const auto t0 = std::chrono::steady_clock::now();
        encryptFile(path, key(1));
        whole = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    }
    for (int round = 0; round < 30; ++round) {
        const std::string path = dir.file("replica-" + std::to_string(round) + ".db");
        {
            Database plain(path);
            fill(plain, 3000);
        }
        const pid_t child = fork();
        if (child == 0) {
            try {
                encryptFile(path, key(1));
            } catch (...) {
                _exit(2);
            }
            _exit(0);
        }
        // Anywhere from the start to past the end (a forked child needs a
        // moment to begin): early, mid-copy,
        // around the rename, after.
        const auto span = static_cast<int>(whole.count() * 2) + 1;
        std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, span)(rng)));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        const FileKind kind = fileKind(path);
        ASSERT_NE(kind, FileKind::Missing) << "round " << round;
        if (kind == FileKind::Plain) {
            ++plainAfter;
            Database db(path, Database::Mode::ReadWrite);
            EXPECT_EQ(count(db), 3000) << "round " << round;
        } else {
            ++encryptedAfter;
            Database db(path, Database::Mode::ReadWrite, 5000, key(1));
            EXPECT_EQ(count(db), 3000) << "round " << round;
        }
        // An interrupted run is simply run again.
        if (kind == FileKind::Plain) {
            encryptFile(path, key(1));
            Database db(path, Database::Mode::ReadWrite, 5000, key(1));
            EXPECT_EQ(count(db), 3000);
        }
        EXPECT_FALSE(std::filesystem::exists(path + "-encrypting")) << "round " << round;
    }
    std::cout << "killed while encrypting (one run: " << whole.count() << " us): " << plainAfter << " left plain, "
              << encryptedAfter << " encrypted\n";
    EXPECT_GT(plainAfter, 0) << "some kills came before the rename";
    EXPECT_GT(encryptedAfter, 0) << "some came after";
}

// Whether another process sees a lock on `path` (F_GETLK ignores this
// process's own locks, so a child asks).
bool lockedForOthers(const std::string& path)
{
    const pid_t child = fork();
    if (child == 0) {
        const int fd = ::open(path.c_str(), O_RDWR);
        struct flock probe{};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        probe.l_start = 0;
        probe.l_len = 0;  // the whole file, SQLite's lock bytes included
        const int rc = fd >= 0 ? ::fcntl(fd, F_GETLK, &probe) : -1;
        _exit(rc != 0 ? 2 : probe.l_type == F_UNLCK ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 2);
    return WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

// fileKind runs while other connections of the same process have the file
// open (the app's UI while its sync engine opens it): closing a descriptor
// of the file would drop every POSIX lock the process holds on it, theirs
// included, and the next write fails with a disk I/O error or worse.
TEST(EncryptionTest, FileKindKeepsTheLocksOfOtherConnectionsInTheProcess)
{
    TempDir dir;
    for (bool encrypted : {false, true}) {
        const std::string path = dir.file(encrypted ? "encrypted.db" : "plain.db");
        std::optional<EncryptionKey> k;
        if (encrypted) k = key(3);
        Database db(path, Database::Mode::ReadWriteCreate, 5000, k);
        fill(db, 10);
        db.exec("BEGIN");
        Statement st(db, "SELECT count(*) FROM customer");
        st.step();  // a read transaction: a lock on the file
        ASSERT_TRUE(lockedForOthers(path)) << path;
        EXPECT_EQ(fileKind(path), encrypted ? FileKind::Other : FileKind::Plain);
        EXPECT_TRUE(lockedForOthers(path)) << path << ": fileKind dropped the connection's lock";
        st.reset();
        db.exec("COMMIT");
    }
}

} // namespace
} // namespace fieldsync::storage
