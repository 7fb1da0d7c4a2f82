// Passphrase-sealed bundles (protocol/EncryptedBundle.h): a replica's export
// sealed and opened again, what the sealed bytes give away, and every way a
// file can be wrong (passphrase, any flipped byte, cut short, reordered,
// hostile header), each refused with its own message.
#include "ReplicaTestSupport.h"

#include "protocol/EncryptedBundle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace fieldsync::replica::test {
namespace {

using protocol::BundleKdfCost;
using protocol::decryptBundle;
using protocol::encryptBundle;
using protocol::kEncryptedBundleChunkBytes;
using protocol::kEncryptedBundleHeaderBytes;
using ::testing::HasSubstr;

// Argon2id at its minimum: these tests run it thousands of times. The
// default cost is checked once, in DefaultCostIsStoredInTheHeader.
constexpr BundleKdfCost kCheap{1, 8};
constexpr size_t kAbytes = 17;  // secretstream's tag + MAC per chunk
const std::string kPass = "correct horse battery staple";

const std::string kName = "上海锦华贸易有限公司";
const std::string kPhone = "021-5555-0101";
const std::string kNote = "仓库主管反映上次送货延迟了两天";
const std::string kAsciiNote = "wants two sample units by Wednesday";

class EncryptedBundle : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        a = openReplica("a.db", tA);
        customer = a->create("customer", Write()
                                             .set("name", kName)
                                             .set("phone", kPhone)
                                             .set("address", "浦东新区张江路 88 号"s)
                                             .set("notes", kAsciiNote)
                                             .set("level", "A"s))
                       .value();
        tA += 10;
        ASSERT_TRUE(a->create("visit", Write().set("customer", customer).set("notes", kNote)).ok());
        plaintext = protocol::toJson(a->exportBundle(), theSchema()).dump(2) + "\n";
    }
    void TearDown() override
    {
        a.reset();
        c.reset();
        ReplicaFixture::TearDown();
    }

    std::unique_ptr<Replica> a, c;
    std::string customer, plaintext;
};

std::string sealedChunk(const std::string& sealed, size_t i)
{
    const size_t full = kEncryptedBundleChunkBytes + kAbytes;
    return sealed.substr(kEncryptedBundleHeaderBytes + i * full, full);
}

TEST_F(EncryptedBundle, RoundTripImportsEveryRow)
{
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    ASSERT_TRUE(protocol::isEncryptedBundle(sealed));
    EXPECT_FALSE(protocol::isEncryptedBundle(plaintext)) << "a plain bundle is never taken for an encrypted one";
    EXPECT_EQ(sealed.size(), kEncryptedBundleHeaderBytes + plaintext.size() + kAbytes);

    auto opened = decryptBundle(sealed, kPass);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, plaintext);

    auto bundle = protocol::bundleFromJson(json::parse(*opened), theSchema());
    ASSERT_TRUE(bundle.ok()) << bundle.error().message;
    c = openReplica("c.db", tC);
    (void)c->importBundle(*bundle);
    EXPECT_EQ(c->dump().dump(), a->dump().dump());
}

TEST_F(EncryptedBundle, EveryChunkLayoutRoundTrips)
{
    // Empty, one byte, a chunk less one, exactly one and two chunks (the last
    // chunk is then empty), and several chunks with a remainder.
    for (size_t size : {size_t{0}, size_t{1}, kEncryptedBundleChunkBytes - 1, kEncryptedBundleChunkBytes,
                        2 * kEncryptedBundleChunkBytes, 3 * kEncryptedBundleChunkBytes + 1234}) {
        std::string text(size, '\0');
        for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
        const std::string sealed = encryptBundle(text, kPass, kCheap);
        EXPECT_EQ(sealed.size(), kEncryptedBundleHeaderBytes + size + (size / kEncryptedBundleChunkBytes + 1) * kAbytes);
        auto opened = decryptBundle(sealed, kPass);
        ASSERT_TRUE(opened.ok()) << size << " bytes: " << opened.error().message;
        EXPECT_EQ(*opened, text) << size << " bytes";
    }
}

TEST_F(EncryptedBundle, SealedBytesHoldNoCustomerData)
{
    ASSERT_THAT(plaintext, HasSubstr(kName));
    ASSERT_THAT(plaintext, HasSubstr(kNote));
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    for (const std::string& secret :
         {kName, kPhone, kNote, kAsciiNote, "浦东新区"s, customer, "fieldsync-bundle"s, "records"s, kPass})
        EXPECT_EQ(sealed.find(secret), std::string::npos) << "found \"" << secret << "\" in the sealed bundle";
}

TEST_F(EncryptedBundle, EachFileHasItsOwnSaltAndNonce)
{
    const std::string one = encryptBundle(plaintext, kPass, kCheap);
    const std::string two = encryptBundle(plaintext, kPass, kCheap);
    EXPECT_NE(one.substr(18, 16), two.substr(18, 16)) << "salt";
    EXPECT_NE(one.substr(50, 24), two.substr(50, 24)) << "stream header";
    EXPECT_NE(one.substr(kEncryptedBundleHeaderBytes), two.substr(kEncryptedBundleHeaderBytes));
}

TEST_F(EncryptedBundle, DefaultCostIsStoredInTheHeader)
{
    const std::string sealed = encryptBundle("{}", kPass);
    auto header = protocol::readEncryptedBundleHeader(sealed);
    ASSERT_TRUE(header.ok()) << header.error().message;
    EXPECT_EQ(header->version, 1);
    EXPECT_EQ(header->cost.opsLimit, 3u);
    EXPECT_EQ(header->cost.memLimitKiB, 256u * 1024);
    auto opened = decryptBundle(sealed, kPass);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, "{}");
}

TEST_F(EncryptedBundle, WrongPassphraseIsRefused)
{
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    for (const std::string& wrong : {"correct horse battery stapl"s, "Correct horse battery staple"s, ""s}) {
        auto r = decryptBundle(sealed, wrong);
        ASSERT_FALSE(r.ok()) << "\"" << wrong << "\" opened it";
        EXPECT_EQ(r.error().code, ErrorCode::Unauthenticated);
        EXPECT_THAT(r.error().message, HasSubstr("wrong passphrase"));
    }
}

// Every byte, two different bit flips each: refused, and the message says
// which part broke.
TEST_F(EncryptedBundle, AFlippedByteAnywhereIsRefused)
{
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    std::set<std::string> messages;
    for (size_t i = 0; i < sealed.size(); ++i) {
        for (unsigned char bit : {0x01, 0x80}) {
            std::string bad = sealed;
            bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ bit);
            auto r = decryptBundle(bad, kPass);
            ASSERT_FALSE(r.ok()) << "byte " << i << " flipped (" << int(bit) << ") still opened";
            const std::string& m = r.error().message;
            messages.insert(m);
            if (i < 8)
                EXPECT_THAT(m, HasSubstr("not an encrypted bundle")) << i;
            else if (i < 10)
                EXPECT_THAT(m, HasSubstr("format version")) << i;
            else if (i < 18)  // the cost: out of bounds, or another key
                EXPECT_TRUE(m.find("key-derivation cost") != std::string::npos
                            || m.find("wrong passphrase") != std::string::npos)
                    << i << ": " << m;
            else if (i < 50)  // salt and check
                EXPECT_THAT(m, HasSubstr("wrong passphrase")) << i;
            else
                EXPECT_THAT(m, HasSubstr("the passphrase is right, but chunk 1 of 1")) << i;
        }
    }
    EXPECT_GE(messages.size(), 4u);
}

TEST_F(EncryptedBundle, ACutShortFileIsRefusedAtEveryLength)
{
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    for (size_t len = 0; len < sealed.size(); ++len) {
        auto r = decryptBundle(std::string_view(sealed).substr(0, len), kPass);
        ASSERT_FALSE(r.ok()) << "cut to " << len << " bytes, still opened";
        EXPECT_FALSE(r.error().message.empty());
    }
    auto headerOnly = decryptBundle(std::string_view(sealed).substr(0, kEncryptedBundleHeaderBytes), kPass);
    EXPECT_THAT(headerOnly.error().message, HasSubstr("cut short"));
}

TEST_F(EncryptedBundle, ACutAtAChunkBoundaryIsRefused)
{
    std::string text(2 * kEncryptedBundleChunkBytes + 100, 'x');
    const std::string sealed = encryptBundle(text, kPass, kCheap);
    const size_t full = kEncryptedBundleChunkBytes + kAbytes;
    for (size_t chunks : {1, 2}) {
        auto r = decryptBundle(std::string_view(sealed).substr(0, kEncryptedBundleHeaderBytes + chunks * full), kPass);
        ASSERT_FALSE(r.ok()) << chunks << " whole chunks of 3 opened as a complete file";
        EXPECT_THAT(r.error().message, HasSubstr("cut short"));
    }
}

TEST_F(EncryptedBundle, AppendedBytesAreRefused)
{
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    for (const std::string& tail : {"\n"s, std::string(100, 'x'), sealed.substr(kEncryptedBundleHeaderBytes)}) {
        auto r = decryptBundle(sealed + tail, kPass);
        EXPECT_FALSE(r.ok()) << tail.size() << " bytes appended";
    }
}

TEST_F(EncryptedBundle, ReorderedOrRepeatedChunksAreRefused)
{
    std::string text(3 * kEncryptedBundleChunkBytes + 10, '\0');
    for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 31 % 251);
    const std::string sealed = encryptBundle(text, kPass, kCheap);
    const std::string header = sealed.substr(0, kEncryptedBundleHeaderBytes);
    const std::string last = sealed.substr(kEncryptedBundleHeaderBytes + 3 * (kEncryptedBundleChunkBytes + kAbytes));
    const std::string c0 = sealedChunk(sealed, 0), c1 = sealedChunk(sealed, 1), c2 = sealedChunk(sealed, 2);
    ASSERT_TRUE(decryptBundle(header + c0 + c1 + c2 + last, kPass).ok());
    for (const std::string& bad : {header + c1 + c0 + c2 + last, header + c0 + c0 + c2 + last,
                                   header + c0 + c2 + last, header + c0 + c1 + c2 + c2 + last}) {
        auto r = decryptBundle(bad, kPass);
        ASSERT_FALSE(r.ok());
        EXPECT_THAT(r.error().message, HasSubstr("the passphrase is right"));
    }
    // A stream sealed under another file's header (same passphrase): refused.
    const std::string other = encryptBundle(text, kPass, kCheap);
    EXPECT_FALSE(decryptBundle(header + other.substr(kEncryptedBundleHeaderBytes), kPass).ok());
}

TEST_F(EncryptedBundle, AHostileHeaderIsRefusedBeforeAnyKeyIsDerived)
{
    const std::string sealed = encryptBundle(plaintext, kPass, kCheap);
    auto withU32 = [&](size_t at, uint32_t v) {
        std::string s = sealed;
        for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
        return s;
    };
    // 4 TiB of memory or 2^32 passes would stall or kill the importer.
    for (const std::string& bad : {withU32(14, 0xFFFFFFFFu), withU32(14, 1024 * 1024 + 1), withU32(10, 17),
                                   withU32(10, 0), withU32(14, 7)}) {
        auto r = decryptBundle(bad, kPass);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_THAT(r.error().message, HasSubstr("key-derivation cost"));
    }
    std::string v2 = sealed;
    v2[8] = 2;
    auto r = decryptBundle(v2, kPass);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("format version 2; this fieldsync reads version 1"));
}

TEST_F(EncryptedBundle, SealingRefusesAnEmptyPassphraseOrACostOutOfBounds)
{
    EXPECT_THROW((void)encryptBundle(plaintext, "", kCheap), std::invalid_argument);
    EXPECT_THROW((void)encryptBundle(plaintext, kPass, BundleKdfCost{0, 8}), std::invalid_argument);
    EXPECT_THROW((void)encryptBundle(plaintext, kPass, BundleKdfCost{1, 2 * 1024 * 1024}), std::invalid_argument);
}

} // namespace
} // namespace fieldsync::replica::test
