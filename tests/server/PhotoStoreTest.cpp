// The server's store of photo bytes (sync-server/photos/PhotoStore.h):
// chunked, resumable across a restart, verified against the address,
// deduplicated, and never a path outside its directory.
#include "photos/Collect.h"
#include "photos/PhotoStore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <unistd.h>
#include <random>
#include <set>

namespace fieldsync::server {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string sha256Of(std::string_view bytes)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

std::string randomBytes(size_t n, unsigned seed)
{
    std::mt19937 gen(seed);
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(gen() & 0xff);
    return out;
}

class PhotoStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_GE(sodium_init(), 0);
        const char* tmp = std::getenv("FIELDSYNC_TEST_TMP");
        m_dir = (tmp ? fs::path(tmp) : fs::temp_directory_path()) / ("fieldsync-photos-" + std::to_string(::getpid()) + "-"
                                             + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        store = openFilePhotoStore(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // Uploads `bytes` in chunks of `chunk` from `from`; the last state.
    PhotoUpload upload(PhotoStore& s, const std::string& bytes, size_t chunk, uint64_t from = 0)
    {
        const std::string sha = sha256Of(bytes);
        PhotoUpload last = s.state(sha);
        for (uint64_t at = from; at < bytes.size(); at += chunk) {
            auto r = s.append(sha, bytes.size(), at, std::string_view(bytes).substr(at, chunk));
            EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
            if (!r.ok()) break;
            last = r.value();
        }
        return last;
    }

    size_t filesUnder() const
    {
        size_t n = 0;
        for (const auto& f : fs::recursive_directory_iterator(m_dir)) n += f.is_regular_file();
        return n;
    }

    fs::path m_dir;
    std::unique_ptr<PhotoStore> store;
};

TEST_F(PhotoStoreTest, AnUploadInChunksCompletesWhenTheWholeHashesToItsAddress)
{
    const std::string photo = randomBytes(3 * 1024 * 1024 + 17, 1);
    const std::string sha = sha256Of(photo);
    EXPECT_EQ(store->state(sha).offset, 0u);
    EXPECT_FALSE(store->state(sha).complete);

    auto first = store->append(sha, photo.size(), 0, std::string_view(photo).substr(0, 1 << 20));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first.value().offset, 1u << 20);
    EXPECT_FALSE(first.value().complete);
    EXPECT_EQ(store->read(sha, 0, 10).error().code, ErrorCode::NotFound) << "not readable before it is whole";

    const PhotoUpload done = upload(*store, photo, 1 << 20, 1 << 20);
    EXPECT_TRUE(done.complete);
    EXPECT_EQ(done.offset, photo.size());
    EXPECT_EQ(store->state(sha).offset, photo.size());
    auto all = store->read(sha, 0, photo.size());
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(sha256Of(all.value()), sha);
    EXPECT_EQ(filesUnder(), 1u) << "the partial file became the object";
}

// A server restarted mid-upload (a new store on the same directory) holds
// every acknowledged chunk, and the device continues from there.
TEST_F(PhotoStoreTest, AnUploadResumesFromWhatTheStoreHoldsAfterARestart)
{
    const std::string photo = randomBytes(2'500'000, 2);
    const std::string sha = sha256Of(photo);
    ASSERT_TRUE(store->append(sha, photo.size(), 0, std::string_view(photo).substr(0, 1'000'000)).ok());
    store.reset();
    store = openFilePhotoStore(m_dir);
    const PhotoUpload held = store->state(sha);
    EXPECT_EQ(held.offset, 1'000'000u);
    EXPECT_FALSE(held.complete);
    EXPECT_TRUE(upload(*store, photo, 700'000, held.offset).complete);
    EXPECT_EQ(store->read(sha, 0, photo.size()).value(), photo);
}

// Attack and flaky network alike: a chunk that skips ahead, one that
// repeats bytes already held, an empty one, one past the size. Refused, with
// the offset to continue from; nothing written.
TEST_F(PhotoStoreTest, AChunkOutOfOrderOrOverlappingIsRefusedAndNothingWritten)
{
    const std::string photo = randomBytes(300'000, 3);
    const std::string sha = sha256Of(photo);
    ASSERT_TRUE(store->append(sha, photo.size(), 0, std::string_view(photo).substr(0, 100'000)).ok());

    for (uint64_t at : {uint64_t{0}, uint64_t{50'000}, uint64_t{100'001}, uint64_t{200'000}}) {
        auto r = store->append(sha, photo.size(), at, std::string_view(photo).substr(at, 50'000));
        ASSERT_FALSE(r.ok()) << at;
        EXPECT_EQ(r.error().code, ErrorCode::FailedPrecondition);
        EXPECT_EQ(r.error().reason, "upload_offset");
        EXPECT_THAT(r.error().message, HasSubstr("continues at byte 100000"));
    }
    EXPECT_EQ(store->append(sha, photo.size(), 100'000, "").error().code, ErrorCode::InvalidArgument);
    auto past = store->append(sha, photo.size(), 100'000, std::string(200'001, 'x'));
    ASSERT_FALSE(past.ok());
    EXPECT_THAT(past.error().message, HasSubstr("past the photo's size of 300000 bytes"));
    EXPECT_EQ(store->state(sha).offset, 100'000u);
    EXPECT_TRUE(upload(*store, photo, 64 * 1024, 100'000).complete);
    EXPECT_EQ(store->read(sha, 0, photo.size()).value(), photo);
}

// Bytes that do not hash to the address they were sent to are dropped whole
// (not kept under a name they do not have); a new upload starts from 0.
TEST_F(PhotoStoreTest, BytesThatDoNotHashToTheirAddressAreDroppedWhole)
{
    const std::string photo = randomBytes(200'000, 4);
    const std::string sha = sha256Of(photo);
    std::string forged = photo;
    forged[150'000] ^= 1;
    ASSERT_TRUE(store->append(sha, forged.size(), 0, std::string_view(forged).substr(0, 100'000)).ok());
    auto last = store->append(sha, forged.size(), 100'000, std::string_view(forged).substr(100'000));
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(last.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(last.error().reason, "hash_mismatch");
    EXPECT_EQ(store->state(sha).offset, 0u);
    EXPECT_FALSE(store->state(sha).complete);
    EXPECT_EQ(filesUnder(), 0u);
    EXPECT_TRUE(upload(*store, photo, 100'000).complete);
}

// A server killed in the middle of writing a chunk may leave more bytes
// than it acknowledged, and bytes it never received (zeros). The device
// resumes from the file's length; the hash of the whole catches the damage,
// and the upload starts over.
TEST_F(PhotoStoreTest, ATornWriteIsCaughtByTheHashOfTheWhole)
{
    const std::string photo = randomBytes(150'000, 5);
    const std::string sha = sha256Of(photo);
    ASSERT_TRUE(store->append(sha, photo.size(), 0, std::string_view(photo).substr(0, 50'000)).ok());
    {
        std::ofstream torn(m_dir / "partial" / sha, std::ios::binary | std::ios::app);
        torn << std::string(20'000, '\0');  // the file system's zeros, not the chunk's bytes
    }
    store = openFilePhotoStore(m_dir);
    EXPECT_EQ(store->state(sha).offset, 70'000u);
    auto r = store->append(sha, photo.size(), 70'000, std::string_view(photo).substr(70'000));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().reason, "hash_mismatch");
    EXPECT_TRUE(upload(*store, photo, 150'000).complete);
    EXPECT_EQ(store->read(sha, 0, photo.size()).value(), photo);
}

TEST_F(PhotoStoreTest, TheSamePhotoTwiceIsStoredOnce)
{
    const std::string photo = randomBytes(80'000, 6);
    const std::string sha = sha256Of(photo);
    ASSERT_TRUE(upload(*store, photo, 80'000).complete);
    // A second device sending the same picture from the start: answered at once.
    auto again = store->append(sha, photo.size(), 0, std::string_view(photo).substr(0, 10));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.value().complete);
    EXPECT_EQ(again.value().offset, photo.size());
    EXPECT_EQ(filesUnder(), 1u);
    EXPECT_EQ(store->read(sha, 0, photo.size()).value(), photo);
}

TEST_F(PhotoStoreTest, ReadsAreRangesOfACompleteObject)
{
    const std::string photo = randomBytes(10'000, 7);
    const std::string sha = sha256Of(photo);
    ASSERT_TRUE(upload(*store, photo, 4096).complete);
    EXPECT_EQ(store->read(sha, 100, 50).value(), photo.substr(100, 50));
    EXPECT_EQ(store->read(sha, 9'990, 50).value(), photo.substr(9'990)) << "a range past the end is cut";
    EXPECT_EQ(store->read(sha, 10'000, 50).value(), "");
    EXPECT_EQ(store->read(sha256Of("other"), 0, 10).error().code, ErrorCode::NotFound);
}

// Attack: an address that is not a hash (a path, upper case, short) never
// reaches the file system: nothing is read, written or removed.
TEST_F(PhotoStoreTest, AnAddressThatIsNotAHashNeverBecomesAPath)
{
    const std::string photo = randomBytes(1000, 8);
    ASSERT_TRUE(upload(*store, photo, 1000).complete);
    const std::string sha = sha256Of(photo);
    for (const std::string& bad : {std::string("../../etc/passwd"), std::string("partial/") + sha.substr(8),
                                   std::string("/tmp/x"), sha.substr(0, 63), std::string(64, 'A'), std::string()}) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(store->append(bad, 10, 0, "0123456789").error().code, ErrorCode::InvalidArgument);
        EXPECT_EQ(store->read(bad, 0, 10).error().code, ErrorCode::InvalidArgument);
        EXPECT_EQ(store->state(bad).offset, 0u);
        store->remove(bad);
    }
    EXPECT_EQ(filesUnder(), 1u);
    EXPECT_EQ(store->read(sha, 0, 1000).value(), photo);
}

TEST_F(PhotoStoreTest, ListAndRemoveSeeCompleteAndPartialObjects)
{
    const std::string whole = randomBytes(5000, 9), half = randomBytes(5000, 10);
    ASSERT_TRUE(upload(*store, whole, 5000).complete);
    ASSERT_TRUE(store->append(sha256Of(half), half.size(), 0, std::string_view(half).substr(0, 2000)).ok());
    auto entries = store->list();
    ASSERT_EQ(entries.size(), 2u);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.held.complete > b.held.complete; });
    EXPECT_EQ(entries[0].sha256, sha256Of(whole));
    EXPECT_TRUE(entries[0].held.complete);
    EXPECT_EQ(entries[0].held.offset, 5000u);
    EXPECT_EQ(entries[1].sha256, sha256Of(half));
    EXPECT_FALSE(entries[1].held.complete);
    EXPECT_EQ(entries[1].held.offset, 2000u);
    EXPECT_LE(std::chrono::system_clock::now() - entries[1].touched, std::chrono::minutes(5));

    store->remove(sha256Of(whole));
    store->remove(sha256Of(half));
    EXPECT_TRUE(store->list().empty());
    EXPECT_EQ(filesUnder(), 0u);
}

// Collection counts its grace from when an object lost its last row: an
// object uploaded long ago and unnamed today is only marked; removed after
// the grace period unless a row names it again meanwhile. A restart (a new
// store on the same directory) keeps the marks.
TEST_F(PhotoStoreTest, CollectionRemovesBytesOnlyAGracePeriodAfterTheirLastRowWent)
{
    using namespace std::chrono;
    const std::string kept = randomBytes(3000, 11), dropped = randomBytes(4000, 12), back = randomBytes(5000, 13);
    for (const auto* bytes : {&kept, &dropped, &back}) ASSERT_TRUE(upload(*store, *bytes, 5000).complete);
    std::set<std::string> named{sha256Of(kept)};
    auto isNamed = [&](const std::string& sha) { return named.count(sha) > 0; };
    const auto t0 = system_clock::now() + hours(24 * 365);  // a year after the upload
    const seconds grace = hours(24 * 7);

    CollectReport first = collectPhotos(*store, isNamed, t0, grace);
    EXPECT_EQ(first.marked, 2u);
    EXPECT_EQ(first.removed, 0u) << "a year old, but unnamed only since now";
    EXPECT_EQ(store->orphanedSince(sha256Of(dropped)), t0 - (t0.time_since_epoch() % milliseconds(1)));
    EXPECT_FALSE(store->orphanedSince(sha256Of(kept)));

    store = openFilePhotoStore(m_dir);  // a restart keeps the marks
    named.insert(sha256Of(back));       // a row names it again
    CollectReport early = collectPhotos(*store, isNamed, t0 + grace - seconds(1), grace);
    EXPECT_EQ(early.removed, 0u);
    EXPECT_EQ(early.unmarked, 1u);
    EXPECT_FALSE(store->orphanedSince(sha256Of(back)));

    CollectReport due = collectPhotos(*store, isNamed, t0 + grace, grace);
    EXPECT_EQ(due.removed, 1u);
    EXPECT_EQ(due.bytesFreed, dropped.size());
    EXPECT_EQ(store->state(sha256Of(dropped)).offset, 0u);
    EXPECT_FALSE(store->orphanedSince(sha256Of(dropped))) << "its mark went with it";
    EXPECT_TRUE(store->state(sha256Of(kept)).complete);
    EXPECT_TRUE(store->state(sha256Of(back)).complete);
    EXPECT_EQ(store->list().size(), 2u) << "marks are not objects";
}

// An upload abandoned (a phone that never came back) is removed once
// untouched for the grace period; one still moving is left alone.
TEST_F(PhotoStoreTest, CollectionRemovesAbandonedUploads)
{
    using namespace std::chrono;
    const std::string stale = randomBytes(6000, 14), moving = randomBytes(6000, 15);
    ASSERT_TRUE(store->append(sha256Of(stale), stale.size(), 0, std::string_view(stale).substr(0, 1000)).ok());
    ASSERT_TRUE(store->append(sha256Of(moving), moving.size(), 0, std::string_view(moving).substr(0, 1000)).ok());
    fs::last_write_time(m_dir / "partial" / sha256Of(stale), fs::file_time_type::clock::now() - hours(24 * 8));
    CollectReport r = collectPhotos(*store, [](const std::string&) { return true; }, system_clock::now(), hours(24 * 7));
    EXPECT_EQ(r.partialsRemoved, 1u);
    EXPECT_EQ(r.bytesFreed, 1000u);
    EXPECT_EQ(store->state(sha256Of(stale)).offset, 0u);
    EXPECT_EQ(store->state(sha256Of(moving)).offset, 1000u);
}

} // namespace
} // namespace fieldsync::server
