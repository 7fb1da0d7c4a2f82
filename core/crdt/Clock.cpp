#include "crdt/Clock.h"

#include <cstring>

namespace fieldsync::crdt {
namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr char kHex[] = "0123456789abcdef";

} // namespace

std::optional<DeviceId> DeviceId::fromHex(std::string_view hex)
{
    if (hex.size() != 32) return std::nullopt;
    DeviceId id;
    for (size_t i = 0; i < 16; ++i) {
        int hi = hexDigit(hex[2 * i]);
        int lo = hexDigit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        id.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return id;
}

std::string DeviceId::hex() const
{
    std::string out(32, '0');
    for (size_t i = 0; i < 16; ++i) {
        out[2 * i] = kHex[bytes[i] >> 4];
        out[2 * i + 1] = kHex[bytes[i] & 0xf];
    }
    return out;
}

bool DeviceId::isNull() const
{
    for (auto b : bytes)
        if (b) return false;
    return true;
}

std::optional<Clock> Clock::parse(std::string_view text)
{
    if (text.size() != 16 + 1 + 32 || text[16] != '@') return std::nullopt;
    Hlc h = 0;
    for (size_t i = 0; i < 16; ++i) {
        int d = hexDigit(text[i]);
        if (d < 0) return std::nullopt;
        h = h << 4 | static_cast<Hlc>(d);
    }
    auto dev = DeviceId::fromHex(text.substr(17));
    if (!dev) return std::nullopt;
    return Clock{h, *dev};
}

std::string Clock::str() const
{
    std::string out(16, '0');
    Hlc h = hlc;
    for (int i = 15; i >= 0; --i) {
        out[static_cast<size_t>(i)] = kHex[h & 0xf];
        h >>= 4;
    }
    out += '@';
    out += device.hex();
    return out;
}

} // namespace fieldsync::crdt

size_t std::hash<fieldsync::crdt::DeviceId>::operator()(const fieldsync::crdt::DeviceId& d) const noexcept
{
    uint64_t a, b;
    std::memcpy(&a, d.bytes.data(), 8);
    std::memcpy(&b, d.bytes.data() + 8, 8);
    return static_cast<size_t>(a ^ (b * 0x9e3779b97f4a7c15ULL));
}
