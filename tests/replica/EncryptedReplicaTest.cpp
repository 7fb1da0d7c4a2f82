// A replica with a key (Replica::Options::key, storage/Encryption.h): what a
// lost phone's storage shows without it, a plain replica encrypted on its
// first open with a key, and a wrong key.
#include "ReplicaTestSupport.h"

#include "replica/Ids.h"
#include "storage/Cipher.h"
#include "storage/Encryption.h"

#include <gmock/gmock.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fieldsync::replica::test {
namespace {

using ::testing::HasSubstr;

std::string bytesOf(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class EncryptedReplicaTest : public ReplicaFixture {
protected:
    std::unique_ptr<Replica> open(const std::string& name, std::optional<storage::EncryptionKey> key)
    {
        return Replica::open(file(name), Replica::Options{.time = [this] { return ms; }, .key = std::move(key)});
    }
    // A customer, a contact and a visit with what must not leak.
    void write(Replica& r)
    {
        auto c = r.create("customer", Write().set("name", "北京昭智教育"s).set("phone", "13912345678"s));
        ASSERT_TRUE(c.ok());
        ASSERT_TRUE(r.create("contact", Write().set("customer", *c).set("name", "王经理"s).set("email", "wang@zhaozhi.cn"s)).ok());
        ASSERT_TRUE(r.create("visit", Write().set("customer", *c).set("notes", "客户要求年底前报价"s).set("order_amount", 12500.0)).ok());
        r.setSetting("server", "https://sync.example.com");
    }
    int64_t ms = kBaseMs;
};

const char* const kSecrets[] = {"北京昭智教育", "13912345678", "王经理", "wang@zhaozhi.cn", "客户要求年底前报价", "sync.example.com"};

TEST_F(EncryptedReplicaTest, NoNamePhoneNoteOrServerInTheFileOrItsWal)
{
    auto r = open("phone.db", newReplicaKey());
    write(*r);
    // While the app has it open (the WAL holds the writes) and after.
    for (const auto& path : {file("phone.db"), file("phone.db-wal")})
        for (const char* secret : kSecrets) EXPECT_EQ(bytesOf(path).find(secret), std::string::npos) << path << ": " << secret;
    r.reset();
    for (const char* secret : kSecrets) EXPECT_EQ(bytesOf(file("phone.db")).find(secret), std::string::npos) << secret;
}

TEST_F(EncryptedReplicaTest, APlainReplicaIsEncryptedOnItsFirstOpenWithAKeyAndKeepsEveryRow)
{
    json before;
    crdt::DeviceId device;
    {
        auto r = open("phone.db", std::nullopt);
        write(*r);
        before = r->dump();
        device = r->deviceId();
        ASSERT_EQ(r->pendingCount(), 3u);
    }
    ASSERT_NE(bytesOf(file("phone.db")).find("13912345678"), std::string::npos) << "plain before";
    const auto key = newReplicaKey();
    auto r = open("phone.db", key);
    EXPECT_EQ(r->dump(), before) << "every row, as it was";
    EXPECT_EQ(r->deviceId(), device) << "the same device";
    EXPECT_EQ(r->pendingCount(), 3u) << "its unsynced changes still wait";
    r.reset();
    for (const char* secret : kSecrets) EXPECT_EQ(bytesOf(file("phone.db")).find(secret), std::string::npos) << secret;
    EXPECT_EQ(storage::fileKind(file("phone.db")), storage::FileKind::Other);
    EXPECT_EQ(open("phone.db", key)->dump(), before);
}

// Re-encrypts the closed replica at `path` with the cipher before AEGIS-256
// (ChaCha20-Poly1305), as a device that last ran an older fieldsync has it.
void toLegacyCipher(const std::string& path, const storage::EncryptionKey& key)
{
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, nullptr), SQLITE_OK);
    ASSERT_EQ(storage::keyConnection(db, key, storage::CipherScheme::Aegis256), SQLITE_OK);
    const std::string into = "VACUUM INTO 'file:" + path + ".old?"
        + storage::cipherUriParameters(key, storage::CipherScheme::LegacyChaCha20) + "'";
    EXPECT_EQ(sqlite3_exec(db, into.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
    std::filesystem::rename(path + ".old", path);
}

TEST_F(EncryptedReplicaTest, AReplicaUnderTheOldCipherMovesToAegis256OnOpenWithEveryRowAndWhatWaits)
{
    const auto key = newReplicaKey();
    json before;
    {
        auto r = open("phone.db", key);
        write(*r);
        before = r->dump();
    }
    toLegacyCipher(file("phone.db"), key);
    const std::string legacyBytes = bytesOf(file("phone.db"));
    {
        auto r = open("phone.db", key);
        EXPECT_EQ(r->dump(), before) << "every row, as it was";
        EXPECT_EQ(r->pendingCount(), 3u) << "its unsynced changes still wait";
    }
    EXPECT_NE(bytesOf(file("phone.db")), legacyBytes) << "re-encrypted";
    EXPECT_FALSE(storage::upgradeLegacyEncryption(file("phone.db"), key)) << "AEGIS-256 now: nothing left to move";
    for (const char* secret : kSecrets) EXPECT_EQ(bytesOf(file("phone.db")).find(secret), std::string::npos) << secret;
}

TEST_F(EncryptedReplicaTest, AWrongKeyOrNoKeyIsAClearErrorAndTheReplicaIsUnchanged)
{
    const auto key = newReplicaKey();
    {
        auto r = open("phone.db", key);
        write(*r);
    }
    const std::string before = bytesOf(file("phone.db"));
    try {
        open("phone.db", newReplicaKey());
        FAIL() << "opened with another key";
    } catch (const storage::StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("this key does not open it"));
    }
    try {
        open("phone.db", std::nullopt);
        FAIL() << "opened without a key";
    } catch (const storage::StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("open it with its key"));
    }
    EXPECT_EQ(bytesOf(file("phone.db")), before);
    EXPECT_EQ(open("phone.db", key)->pendingCount(), 3u);
}

} // namespace
} // namespace fieldsync::replica::test
