#include "replica/RowState.h"

#include <stdexcept>

namespace fieldsync::replica {
namespace {

void putVarint(std::string& out, uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

uint64_t getVarint(std::string_view s, size_t& pos)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= s.size()) throw std::runtime_error("corrupt row clocks: truncated varint");
        auto b = static_cast<uint8_t>(s[pos++]);
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    throw std::runtime_error("corrupt row clocks: varint too long");
}

} // namespace

std::string encodeClockGroups(const std::vector<ClockGroup>& groups)
{
    std::string out;
    out.reserve(groups.size() * 14);
    for (const auto& g : groups) {
        putVarint(out, g.hlc);
        putVarint(out, g.peer);
        putVarint(out, g.arrival);
        putVarint(out, g.mask);
    }
    return out;
}

std::vector<ClockGroup> decodeClockGroups(std::string_view blob)
{
    std::vector<ClockGroup> groups;
    size_t pos = 0;
    while (pos < blob.size()) {
        ClockGroup g;
        g.hlc = getVarint(blob, pos);
        g.peer = static_cast<uint32_t>(getVarint(blob, pos));
        g.arrival = getVarint(blob, pos);
        g.mask = getVarint(blob, pos);
        groups.push_back(g);
    }
    return groups;
}

} // namespace fieldsync::replica
