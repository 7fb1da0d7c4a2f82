// DeviceId, Clock (text form and order) and HlcClock (with a fake time source).
#include "crdt/Clock.h"
#include "crdt/Hlc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

namespace fieldsync::crdt {
namespace {

DeviceId deviceWith(std::initializer_list<std::pair<size_t, uint8_t>> bytes)
{
    DeviceId d;
    for (auto [i, b] : bytes) d.bytes.at(i) = b;
    return d;
}

DeviceId sequentialDevice()
{
    DeviceId d;
    for (size_t i = 0; i < 16; ++i) d.bytes[i] = static_cast<uint8_t>(i * 0x11);  // 00 11 22 .. ff
    return d;
}

// ---------------------------------------------------------------- DeviceId

TEST(DeviceIdTest, HexIsLowercaseAndRoundTrips)
{
    DeviceId d = sequentialDevice();
    EXPECT_EQ(d.hex(), "00112233445566778899aabbccddeeff");
    auto back = DeviceId::fromHex(d.hex());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, d);

    const std::vector<std::string> table = {
        "00000000000000000000000000000000",
        "ffffffffffffffffffffffffffffffff",
        "0123456789abcdef0123456789abcdef",
        "80000000000000000000000000000001",
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    };
    for (const auto& hex : table) {
        SCOPED_TRACE(hex);
        auto id = DeviceId::fromHex(hex);
        ASSERT_TRUE(id.has_value());
        EXPECT_EQ(id->hex(), hex);
    }
}

TEST(DeviceIdTest, FromHexDecodesBytesInOrder)
{
    auto id = DeviceId::fromHex("a0000000000000000000000000000005");
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->bytes[0], 0xa0);
    EXPECT_EQ(id->bytes[15], 0x05);
    for (size_t i = 1; i < 15; ++i) EXPECT_EQ(id->bytes[i], 0) << i;
}

TEST(DeviceIdTest, RejectsBadHexAndLength)
{
    const std::vector<std::string> bad = {
        "",
        "0",
        "0000000000000000000000000000000",    // 31
        "000000000000000000000000000000000",  // 33
        "0000000000000000000000000000000000000000000000000000000000000000",  // 64
        "g0000000000000000000000000000000",
        "0000000000000000000000000000000z",
        "00000000-0000-0000-0000-000000000",
        " 0000000000000000000000000000000",
        "0000000000000000000000000000000 ",
        "0x000000000000000000000000000000",
        "+0000000000000000000000000000000",
        std::string(31, '0') + "\xc3",
    };
    for (const auto& hex : bad) {
        SCOPED_TRACE("\"" + hex + "\"");
        EXPECT_FALSE(DeviceId::fromHex(hex).has_value());
    }
}

TEST(DeviceIdTest, IsNullOnlyForAllZeroBytes)
{
    EXPECT_TRUE(DeviceId{}.isNull());
    for (size_t i = 0; i < 16; ++i) {
        SCOPED_TRACE(i);
        EXPECT_FALSE(deviceWith({{i, 1}}).isNull());
    }
}

TEST(DeviceIdTest, HashAgreesWithEquality)
{
    std::unordered_set<DeviceId> ids;
    for (size_t i = 0; i < 16; ++i) ids.insert(deviceWith({{i, 0x42}}));
    ids.insert(deviceWith({{0, 0x42}}));  // duplicate
    EXPECT_EQ(ids.size(), 16u);
    EXPECT_EQ(std::hash<DeviceId>{}(sequentialDevice()), std::hash<DeviceId>{}(*DeviceId::fromHex(sequentialDevice().hex())));
    EXPECT_TRUE(ids.count(deviceWith({{15, 0x42}})));
    EXPECT_FALSE(ids.count(deviceWith({{15, 0x43}})));
}

// ------------------------------------------------------------------- Clock

TEST(ClockTest, StrFormat)
{
    Clock c{0x0123456789abcdefULL, sequentialDevice()};
    EXPECT_EQ(c.str(), "0123456789abcdef@00112233445566778899aabbccddeeff");
    EXPECT_EQ(Clock{}.str(), "0000000000000000@00000000000000000000000000000000");
    EXPECT_EQ((Clock{1, DeviceId{}}.str()), "0000000000000001@00000000000000000000000000000000");
    EXPECT_EQ((Clock{~Hlc{0}, DeviceId{}}.str().substr(0, 17)), "ffffffffffffffff@");
}

std::vector<Clock> clockTable()
{
    DeviceId a = deviceWith({{15, 1}});
    DeviceId b = deviceWith({{15, 2}});
    DeviceId hiFirst = deviceWith({{0, 1}});       // 0100..00 beats 00..ff
    DeviceId loFirst = deviceWith({{15, 0xff}});
    DeviceId big = deviceWith({{0, 0xf0}, {7, 0x0f}});
    return {
        Clock{},
        Clock{0, a},
        Clock{1, DeviceId{}},
        Clock{1, a},
        Clock{1, b},
        Clock{0xf, a},
        Clock{0x10, a},  // str differs from 0xf in the second-to-last digit
        Clock{0xffff, hiFirst},
        Clock{hlcFromMillis(1), loFirst},
        Clock{hlcFromMillis(1), hiFirst},
        Clock{hlcFromMillis(1), big},
        Clock{hlcFromMillis(1795305600000) + 3, a},
        Clock{hlcFromMillis(1795305600000) + 3, b},
        Clock{hlcFromMillis(1795305600000) + 0x100, a},
        Clock{0x7fffffffffffffffULL, big},
        Clock{0x8000000000000000ULL, a},
        Clock{~Hlc{0}, DeviceId{}},
        Clock{~Hlc{0}, big},
    };
}

TEST(ClockTest, ParseRoundTrip)
{
    for (const auto& c : clockTable()) {
        SCOPED_TRACE(c.str());
        EXPECT_EQ(c.str().size(), 49u);
        auto back = Clock::parse(c.str());
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(*back, c);
        EXPECT_EQ(back->str(), c.str());
    }
}

TEST(ClockTest, ParseRejectsMalformed)
{
    const std::string dev = "00112233445566778899aabbccddeeff";
    const std::vector<std::string> bad = {
        "",
        "@",
        "0000000000000001" + dev,                // no '@'
        "0000000000000001#" + dev,               // wrong separator
        "000000000000001@" + dev,                // 15 hlc digits
        "00000000000000001@" + dev,              // 17 hlc digits
        "0000000000000001@" + dev.substr(1),     // 31 device digits
        "0000000000000001@" + dev + "0",         // 33 device digits
        "000000000000000g@" + dev,               // bad hlc digit
        "-000000000000001@" + dev,
        "0000000000000001@" + dev.substr(0, 31) + "x",
        "0000000000000001@" + dev + "\n",
        " 000000000000001@" + dev,
    };
    for (const auto& text : bad) {
        SCOPED_TRACE("\"" + text + "\"");
        EXPECT_FALSE(Clock::parse(text).has_value());
    }
}

TEST(ClockTest, TextFormSortsLikeTheClock)
{
    auto table = clockTable();
    // Pairwise: a < b exactly when a.str() < b.str().
    for (const auto& a : table)
        for (const auto& b : table) {
            SCOPED_TRACE(a.str() + " vs " + b.str());
            EXPECT_EQ(a < b, a.str() < b.str());
            EXPECT_EQ(a == b, a.str() == b.str());
        }
    // Whole table: sorting by value and sorting by text give the same sequence.
    auto byValue = table;
    std::reverse(byValue.begin(), byValue.end());
    std::sort(byValue.begin(), byValue.end());
    auto byText = table;
    std::sort(byText.begin(), byText.end(), [](const Clock& x, const Clock& y) { return x.str() < y.str(); });
    EXPECT_EQ(byValue, byText);
    // The table was written in ascending order.
    EXPECT_EQ(byValue, table);
}

TEST(ClockTest, OrderedByHlcThenDevice)
{
    DeviceId low = DeviceId{};
    DeviceId high = deviceWith({{0, 0xff}});
    // The hlc dominates whatever the devices.
    EXPECT_LT((Clock{1, high}), (Clock{2, low}));
    EXPECT_GT((Clock{hlcFromMillis(5), low}), (Clock{hlcFromMillis(4) + 0xffff, high}));
    // Equal hlc: the device bytes break the tie, first byte most significant.
    EXPECT_LT((Clock{7, deviceWith({{15, 0xff}})}), (Clock{7, deviceWith({{0, 0x01}})}));
    EXPECT_LT((Clock{7, deviceWith({{3, 0x01}})}), (Clock{7, deviceWith({{2, 0x01}})}));
    EXPECT_LT((Clock{7, deviceWith({{15, 0x01}})}), (Clock{7, deviceWith({{15, 0x02}})}));
    // Different devices are never equal.
    EXPECT_NE((Clock{7, deviceWith({{15, 0x01}})}), (Clock{7, deviceWith({{15, 0x02}})}));
    EXPECT_EQ((Clock{7, high}), (Clock{7, high}));
    EXPECT_TRUE(Clock{}.isNull());
    EXPECT_FALSE((Clock{1, DeviceId{}}).isNull());
    EXPECT_FALSE((Clock{0, high}).isNull());
}

// ---------------------------------------------------------------- HlcClock

struct FakeTime {
    int64_t ms = 0;
    TimeSource source()
    {
        return [this] { return ms; };
    }
};

TEST(HlcMathTest, MillisAndCounter)
{
    EXPECT_EQ(hlcFromMillis(0), 0u);
    EXPECT_EQ(hlcFromMillis(1), 0x10000u);
    EXPECT_EQ(hlcMillis(0x10000), 1);
    EXPECT_EQ(hlcMillis(0xffff), 0);
    const int64_t t = 1795305600000;  // 2026-11-22T00:00:00Z
    EXPECT_EQ(hlcMillis(hlcFromMillis(t)), t);
    EXPECT_EQ(hlcMillis(hlcFromMillis(t) + 0xffff), t);
    EXPECT_EQ(hlcMillis(hlcFromMillis(t) + 0x10000), t + 1);
    EXPECT_EQ(hlcFromMillis(t) & 0xffff, 0u);
    // Millisecond order is integer order, and the counter orders within one ms.
    EXPECT_LT(hlcFromMillis(t) + 0xffff, hlcFromMillis(t + 1));
    // 48 bits of milliseconds survive.
    const int64_t maxMs = (int64_t{1} << 48) - 1;
    EXPECT_EQ(hlcMillis(hlcFromMillis(maxMs)), maxMs);
}

TEST(HlcClockTest, StartsAtPhysicalTime)
{
    FakeTime time{1000};
    HlcClock clock(time.source());
    EXPECT_EQ(clock.physicalMillis(), 1000);
    Hlc first = clock.now();
    EXPECT_EQ(first, hlcFromMillis(1000));
    EXPECT_EQ(clock.last(), first);
}

TEST(HlcClockTest, StrictlyIncreasingUnderFrozenClock)
{
    FakeTime time{1000};
    HlcClock clock(time.source());
    Hlc prev = clock.now();
    for (int i = 1; i <= 1000; ++i) {
        Hlc h = clock.now();
        ASSERT_GT(h, prev) << i;
        EXPECT_EQ(h, prev + 1);
        EXPECT_EQ(hlcMillis(h), 1000);
        EXPECT_EQ(h & 0xffff, static_cast<Hlc>(i));
        prev = h;
    }
}

TEST(HlcClockTest, StrictlyIncreasingWhenTimeGoesBackwards)
{
    FakeTime time{5000};
    HlcClock clock(time.source());
    Hlc a = clock.now();
    time.ms = 4000;
    Hlc b = clock.now();
    EXPECT_GT(b, a);
    EXPECT_EQ(hlcMillis(b), 5000);
    time.ms = 0;
    Hlc c = clock.now();
    EXPECT_GT(c, b);
    time.ms = -1000;  // before the epoch: clamped, still monotonic
    Hlc d = clock.now();
    EXPECT_GT(d, c);
    // Time coming back but still behind the last stamp: counter keeps going.
    time.ms = 4999;
    Hlc e = clock.now();
    EXPECT_EQ(e, d + 1);
}

TEST(HlcClockTest, NegativePhysicalTimeOnFreshClock)
{
    FakeTime time{-50};
    HlcClock clock(time.source());
    EXPECT_EQ(clock.now(), 1u);
    EXPECT_EQ(clock.now(), 2u);
}

TEST(HlcClockTest, JumpsToPhysicalTimeWhenItMovesAhead)
{
    FakeTime time{1000};
    HlcClock clock(time.source());
    for (int i = 0; i < 5; ++i) (void)clock.now();
    EXPECT_EQ(clock.last(), hlcFromMillis(1000) + 4);
    time.ms = 2000;
    EXPECT_EQ(clock.now(), hlcFromMillis(2000));  // counter reset
    EXPECT_EQ(clock.now(), hlcFromMillis(2000) + 1);
    time.ms = 2001;
    EXPECT_EQ(clock.now(), hlcFromMillis(2001));
}

TEST(HlcClockTest, ObserveRemoteAheadPullsNextStampPastIt)
{
    FakeTime time{1000};
    HlcClock clock(time.source());
    (void)clock.now();
    Hlc remote = hlcFromMillis(9000) + 7;
    clock.observe(remote);
    EXPECT_EQ(clock.last(), remote);
    Hlc next = clock.now();
    EXPECT_GT(next, remote);
    EXPECT_EQ(next, remote + 1);
    // Once physical time passes the remote stamp, it takes over again.
    time.ms = 9001;
    EXPECT_EQ(clock.now(), hlcFromMillis(9001));
}

TEST(HlcClockTest, ObserveRemoteBehindChangesNothing)
{
    FakeTime time{5000};
    HlcClock clock(time.source());
    Hlc a = clock.now();
    clock.observe(hlcFromMillis(100));
    EXPECT_EQ(clock.last(), a);
    EXPECT_EQ(clock.now(), a + 1);
}

TEST(HlcClockTest, ObserveRemoteAtCounterEdge)
{
    FakeTime time{1000};
    HlcClock clock(time.source());
    Hlc remote = hlcFromMillis(3000) + 0xffff;
    clock.observe(remote);
    Hlc next = clock.now();
    EXPECT_GT(next, remote);
    EXPECT_EQ(hlcMillis(next), 3001);
}

TEST(HlcClockTest, SetOffsetShiftsPhysicalTime)
{
    FakeTime time{10000};
    HlcClock clock(time.source());
    EXPECT_EQ(clock.offset(), 0);
    clock.setOffset(-3000);
    EXPECT_EQ(clock.offset(), -3000);
    EXPECT_EQ(clock.physicalMillis(), 7000);
    EXPECT_EQ(clock.now(), hlcFromMillis(7000));
    clock.setOffset(2500);
    EXPECT_EQ(clock.physicalMillis(), 12500);
    EXPECT_EQ(clock.now(), hlcFromMillis(12500));
    time.ms = 10001;
    EXPECT_EQ(clock.physicalMillis(), 12501);
}

TEST(HlcClockTest, NegativeOffsetStaysMonotonic)
{
    FakeTime time{10000};
    HlcClock clock(time.source());
    Hlc a = clock.now();
    clock.setOffset(-3000);
    Hlc b = clock.now();
    EXPECT_GT(b, a);
    EXPECT_EQ(hlcMillis(b), 10000);
    time.ms = 13001;  // physical 10001 after the offset
    EXPECT_EQ(clock.now(), hlcFromMillis(10001));
}

TEST(HlcClockTest, ResumesAfterPersistedLastAndRewinds)
{
    FakeTime time{1000};
    Hlc persisted = hlcFromMillis(5000) + 3;
    HlcClock clock(time.source(), persisted);
    EXPECT_EQ(clock.last(), persisted);
    EXPECT_EQ(clock.now(), persisted + 1);
    clock.rewindTo(hlcFromMillis(500));
    EXPECT_EQ(clock.last(), hlcFromMillis(500));
    EXPECT_EQ(clock.now(), hlcFromMillis(1000));
}

TEST(HlcClockTest, SystemTimeSourceIsRecentAndMonotonicEnough)
{
    auto src = systemTimeSource();
    int64_t a = src();
    EXPECT_GT(a, 1700000000000);  // after 2023-11
    EXPECT_LT(a, int64_t{1} << 47);
    int64_t b = src();
    EXPECT_GE(b + 1000, a);
}

} // namespace
} // namespace fieldsync::crdt
