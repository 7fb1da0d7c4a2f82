// Clocks: who wrote a value and when, in one total order every replica agrees on.
//
// DeviceId   128 random bits naming one installation (one replica). Written as
//            32 lowercase hex digits.
// Hlc        a hybrid logical timestamp packed in 64 bits:
//              bits 63..16  physical milliseconds since the Unix epoch
//              bits 15..0   logical counter (events within one millisecond, or
//                           after observing a timestamp ahead of our clock)
//            so that comparing two Hlc values as integers compares them in time.
// Clock      (hlc, device): the stamp of one write. Ordered by hlc, then by
//            device id bytes, so two different writes are never equal and every
//            replica picks the same winner without talking to anyone.
//            Text form (wire, bundles, dumps): "<16 hex hlc>@<32 hex device>",
//            which sorts in the same order as the clock itself.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync::crdt {

struct DeviceId {
    std::array<uint8_t, 16> bytes{};

    static std::optional<DeviceId> fromHex(std::string_view hex);
    std::string hex() const;
    bool isNull() const;

    auto operator<=>(const DeviceId&) const = default;
    bool operator==(const DeviceId&) const = default;
};

using Hlc = uint64_t;

constexpr int kHlcCounterBits = 16;
constexpr Hlc hlcFromMillis(int64_t ms) { return static_cast<Hlc>(ms) << kHlcCounterBits; }
constexpr int64_t hlcMillis(Hlc h) { return static_cast<int64_t>(h >> kHlcCounterBits); }

struct Clock {
    Hlc hlc = 0;
    DeviceId device;

    static std::optional<Clock> parse(std::string_view text);
    std::string str() const;
    bool isNull() const { return hlc == 0 && device.isNull(); }

    auto operator<=>(const Clock&) const = default;
    bool operator==(const Clock&) const = default;
};

} // namespace fieldsync::crdt

template <>
struct std::hash<fieldsync::crdt::DeviceId> {
    size_t operator()(const fieldsync::crdt::DeviceId& d) const noexcept;
};
