// Where a replica's key and token live (sync/Secrets.h): the 0600 key file,
// encrypted replicas opened with their key, the migration of an old plain
// replica with its token inside, rekeying (also killed half-way), and the
// remote wipe after a revocation.
#include "SyncTestSupport.h"

#include "storage/Encryption.h"
#include "sync/Secrets.h"

#include <gmock/gmock.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fieldsync::client::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using replica::Write;

std::string contents(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool exists(const std::string& path)
{
    return std::filesystem::exists(path);
}

mode_t modeOf(const std::string& path)
{
    struct stat st{};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
}

const std::string kName = "北京昭智教育";
const std::string kPhone = "13912345678";
const std::string kNote = "wants the 12500 order before Friday";

class SecretsTest : public SyncFixture {
protected:
    void SetUp() override
    {
        SyncFixture::SetUp();
        m_hub = openHub("hub.db", tHub);
        m_server = std::make_shared<HubServer>(*m_hub, tHub);
        m_server->addUser("lina", "pw", "rep");
    }

    void TearDown() override
    {
        m_server.reset();
        m_hub.reset();
        SyncFixture::TearDown();
    }

    std::shared_ptr<HubServer> server() { return m_server; }
    std::string db() { return file("phone.db"); }
    std::string keys() { return FileSecretStore::pathFor(db()); }

    OpenOptions options()
    {
        OpenOptions o;
        o.replica.time = [this] { return tA; };
        return o;
    }

    std::unique_ptr<replica::Hub> m_hub;
    std::shared_ptr<HubServer> m_server;

    void addCustomers(replica::Replica& r, int n)
    {
        for (int i = 0; i < n; ++i)
            r.create("customer", Write()
                                     .set("name", kName + " #" + std::to_string(i))
                                     .set("phone", kPhone)
                                     .set("notes", kNote))
                .value();
    }
};

TEST_F(SecretsTest, TheKeyFileIsMode0600AndRoundTrips)
{
    ::umask(022);
    FileSecretStore store(keys());
    EXPECT_TRUE(store.load().empty()) << "no file yet: nothing stored";
    Secrets s;
    s.key = replica::newReplicaKey();
    s.token = "t-123";
    store.store(s);
    EXPECT_EQ(modeOf(keys()), 0600u) << "whatever the umask";
    Secrets back = store.load();
    EXPECT_EQ(back.key, s.key);
    EXPECT_FALSE(back.nextKey);
    EXPECT_EQ(back.token, "t-123");
    store.setToken(std::nullopt);
    EXPECT_FALSE(store.load().token);
    EXPECT_EQ(store.load().key, s.key);
    store.erase();
    EXPECT_FALSE(exists(keys()));
    EXPECT_TRUE(store.load().empty());
}

TEST_F(SecretsTest, AKeyFileReadableByOthersIsRefused)
{
    FileSecretStore store(keys());
    store.store(Secrets{.key = replica::newReplicaKey(), .nextKey = {}, .token = "t"});
    for (mode_t mode : {0644u, 0640u, 0604u, 0660u}) {
        ASSERT_EQ(::chmod(keys().c_str(), mode), 0);
        try {
            store.load();
            FAIL() << "mode " << std::oct << mode << " was accepted";
        } catch (const SecretsError& e) {
            EXPECT_THAT(e.what(), HasSubstr(keys()));
            EXPECT_THAT(e.what(), HasSubstr("chmod 600 " + keys()));
        }
    }
    ASSERT_EQ(::chmod(keys().c_str(), 0600), 0);
    EXPECT_EQ(store.load().token, "t");
}

TEST_F(SecretsTest, ADamagedKeyFileIsAClearErrorNotAnEmptyStore)
{
    FileSecretStore store(keys());
    for (std::string text : {std::string("{\"format\":\"fieldsync-secrets\",\"version\":1,\"key\":\"abc\"}"),
                             std::string("not json"), std::string("{\"format\":\"other\",\"version\":1}")}) {
        {
            std::ofstream out(keys(), std::ios::trunc);
            out << text;
        }
        ::chmod(keys().c_str(), 0600);
        EXPECT_THROW(store.load(), SecretsError) << text;
    }
}

TEST_F(SecretsTest, ANewReplicaIsEncryptedWithANewKeyStoredFirstAndDoesNotOpenWithoutIt)
{
    FileSecretStore store(keys());
    {
        auto r = client::openReplica(db(), store, options());
        addCustomers(*r, 20);
    }
    const Secrets s = store.load();
    ASSERT_TRUE(s.key);
    EXPECT_EQ(storage::fileKind(db()), storage::FileKind::Other);
    const std::string before = contents(db());
    EXPECT_THROW(replica::Replica::open(db()), storage::StorageError) << "no key";
    EXPECT_THROW(replica::Replica::open(db(), {.time = crdt::systemTimeSource(), .key = replica::newReplicaKey()}),
                 storage::StorageError)
        << "another key";
    EXPECT_EQ(contents(db()), before) << "neither changed anything";

    // Two replicas never share a key.
    FileSecretStore other(file("tablet.db.keys"));
    client::openReplica(file("tablet.db"), other, options()).reset();
    EXPECT_NE(other.load().key, s.key);
}

TEST_F(SecretsTest, AnEncryptedReplicaWhoseKeyIsMissingIsRefusedAndUnchanged)
{
    FileSecretStore store(keys());
    {
        auto r = client::openReplica(db(), store, options());
        addCustomers(*r, 5);
    }
    const std::string before = contents(db());
    std::filesystem::rename(keys(), file("elsewhere.keys"));
    try {
        client::openReplica(db(), store, options());
        FAIL() << "opened without its key";
    } catch (const SecretsError& e) {
        EXPECT_THAT(e.what(), HasSubstr(db()));
        EXPECT_THAT(e.what(), HasSubstr("the key file " + keys()));
        EXPECT_THAT(e.what(), HasSubstr("nothing was changed"));
    }
    EXPECT_FALSE(exists(keys())) << "no new key was made for an encrypted file";
    EXPECT_EQ(contents(db()), before);
    std::filesystem::rename(file("elsewhere.keys"), keys());
    EXPECT_EQ(client::openReplica(db(), store, options())->list("customer").size(), 5u);
}

TEST_F(SecretsTest, AWrongKeyIsAClearErrorAndTheFileIsUnchanged)
{
    FileSecretStore store(keys());
    {
        auto r = client::openReplica(db(), store, options());
        addCustomers(*r, 5);
    }
    const std::string before = contents(db());
    Secrets s = store.load();
    s.key = replica::newReplicaKey();
    store.store(s);
    try {
        client::openReplica(db(), store, options());
        FAIL() << "opened with a wrong key";
    } catch (const storage::StorageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("this key does not open it"));
    }
    EXPECT_EQ(contents(db()), before);
}

TEST_F(SecretsTest, AnOldPlaintextReplicaWithATokenIsEncryptedAndTheTokenMovedWithItsDumpUnchanged)
{
    const std::string oldToken = "old-bearer-token-3f9a1c77d2";
    nlohmann::json dumpBefore;
    {
        auto r = replica::Replica::open(db(), {.time = [this] { return tA; }, .key = std::nullopt});
        addCustomers(*r, 50);
        r->setSetting(settings::kServer, kServer);
        r->setSetting(settings::kToken, oldToken);  // where older versions kept it
        r->setSetting(settings::kUser, "lina");
        dumpBefore = r->dump();
    }
    ASSERT_EQ(storage::fileKind(db()), storage::FileKind::Plain);
    ASSERT_NE(contents(db()).find(oldToken), std::string::npos) << "the old file does hold it";

    FileSecretStore store(keys());
    {
        auto r = client::openReplica(db(), store, options());
        EXPECT_FALSE(r->setting(settings::kToken)) << "deleted from the file";
        EXPECT_EQ(r->dump(), dumpBefore) << "every row kept";
        EXPECT_EQ(r->setting(settings::kUser), "lina");
        SyncClient c(*r, *m_server, store);
        EXPECT_TRUE(c.signedIn()) << "still signed in, with the moved token";
    }
    EXPECT_EQ(store.load().token, oldToken);
    EXPECT_EQ(storage::fileKind(db()), storage::FileKind::Other);
    for (const std::string& f : {db(), db() + "-wal"}) {
        const std::string bytes = contents(f);
        EXPECT_EQ(bytes.find(oldToken), std::string::npos) << f;
        EXPECT_EQ(bytes.find(kPhone), std::string::npos) << f;
    }
    auto again = client::openReplica(db(), store, options());
    EXPECT_EQ(again->dump(), dumpBefore);
}

TEST_F(SecretsTest, NoTokenCustomerPhoneOrNoteInTheReplicaOrItsWalAfterSignInAndSync)
{
    FileSecretStore store(keys());
    auto r = client::openReplica(db(), store, options());
    FS_ASSERT_OK(SyncClient(*r, *m_server, store).login(kServer, "lina", "pw", "phone"));
    addCustomers(*r, 30);
    FS_ASSERT_OK(SyncClient(*r, *m_server, store).syncUntilDone());
    const auto token = store.load().token;
    ASSERT_TRUE(token);
    ASSERT_TRUE(exists(db() + "-wal")) << "the replica is still open: its WAL holds the latest pages";
    for (const std::string& f : {db(), db() + "-wal"}) {
        const std::string bytes = contents(f);
        ASSERT_FALSE(bytes.empty()) << f;
        for (const std::string& secret : {*token, kName, kPhone, kNote})
            EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in " << f;
    }
    EXPECT_FALSE(r->setting(settings::kToken));
}

TEST_F(SecretsTest, RekeyKeepsEveryRowAndTheOldKeyNoLongerOpensIt)
{
    FileSecretStore store(keys());
    nlohmann::json dumpBefore;
    {
        auto r = client::openReplica(db(), store, options());
        addCustomers(*r, 40);
        dumpBefore = r->dump();
    }
    const auto oldKey = *store.load().key;
    rekeyReplica(db(), store);
    const Secrets s = store.load();
    ASSERT_TRUE(s.key);
    EXPECT_NE(*s.key, oldKey);
    EXPECT_FALSE(s.nextKey) << "the rekey is finished";
    EXPECT_THROW(replica::Replica::open(db(), {.time = crdt::systemTimeSource(), .key = oldKey}), storage::StorageError);
    EXPECT_EQ(client::openReplica(db(), store, options())->dump(), dumpBefore);
}

// A rekey killed at any moment: the next open finds the key the file has
// (the current one or the pending one) and finishes the rekey.
TEST_F(SecretsTest, AKillAtAnyPointOfARekeyLeavesAReplicaThatOpensWithEveryRow)
{
    std::mt19937 rng(1313);
    nlohmann::json dumpBefore;
    std::chrono::microseconds whole{0};
    {
        FileSecretStore store(keys());
        {
            auto r = client::openReplica(db(), store, options());
            addCustomers(*r, 400);
            dumpBefore = r->dump();
        }
        const auto t0 = std::chrono::steady_clock::now();
        rekeyReplica(db(), store);
        whole = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    }
    int oldKeyAfter = 0, newKeyAfter = 0;
    for (int round = 0; round < 20; ++round) {
        FileSecretStore store(keys());
        const auto keyBefore = *store.load().key;
        const pid_t child = fork();
        if (child == 0) {
            try {
                FileSecretStore own(keys());
                rekeyReplica(db(), own);
            } catch (...) {
                _exit(2);
            }
            _exit(0);
        }
        const auto span = static_cast<int>(whole.count() * 2) + 1;
        std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, span)(rng)));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        auto r = client::openReplica(db(), store, options());
        EXPECT_EQ(r->dump(), dumpBefore) << "round " << round;
        r.reset();
        const Secrets s = store.load();
        EXPECT_FALSE(s.nextKey) << "round " << round << ": the open settled the rekey";
        (s.key == keyBefore ? oldKeyAfter : newKeyAfter)++;
    }
    std::cout << "killed while rekeying (one run: " << whole.count() << " us): " << oldKeyAfter << " kept the old key, "
              << newKeyAfter << " had the new one\n";
    EXPECT_GT(oldKeyAfter + newKeyAfter, 0);
}

// Remote wipe: the server revokes the device; the sync that hears it stops
// (Revoked), and the device deletes the replica, its WAL, its key and token.
TEST_F(SecretsTest, ARevokedDeviceIsWipedAfterTheNextSync)
{
    auto store = std::make_shared<FileSecretStore>(keys());
    std::string deviceHex;
    {
        auto r = client::openReplica(db(), *store, options());
        deviceHex = r->deviceId().hex();
        FS_ASSERT_OK(SyncClient(*r, *m_server, *store).login(kServer, "lina", "pw", "phone"));
        addCustomers(*r, 3);
        FS_ASSERT_OK(SyncClient(*r, *m_server, *store).syncUntilDone());
        addCustomers(*r, 2);  // written after the last sync: lost by the wipe
    }
    m_server->revoke(deviceHex);

    SyncEngine::Options o;
    o.open.replica.time = [this] { return tA; };
    o.period = 0ms;
    std::atomic<bool> revoked{false};
    {
        SyncEngine engine(db(), m_server, store, o);
        engine.onStatus([&](const SyncStatus& s) {
            if (s.state == SyncState::Revoked) revoked = true;
        });
        engine.start();
        ASSERT_TRUE(eventually([&] { return revoked.load(); }));
        engine.stop();
    }
    ASSERT_TRUE(exists(db()));
    EXPECT_FALSE(store->load().token) << "the revoked token is forgotten at once";
    wipeReplica(db(), *store);
    for (const std::string& f : {db(), db() + "-wal", db() + "-shm", keys()}) EXPECT_FALSE(exists(f)) << f;
    // What is left opens as a new, empty replica with a new key.
    auto fresh = client::openReplica(db(), *store, options());
    EXPECT_TRUE(fresh->list("customer").empty());
    EXPECT_NE(fresh->deviceId().hex(), deviceHex);
}

} // namespace
} // namespace fieldsync::client::test
