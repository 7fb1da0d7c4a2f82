#include "crdt/Hlc.h"

#include <algorithm>
#include <chrono>

namespace fieldsync::crdt {

TimeSource systemTimeSource()
{
    return [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    };
}

HlcClock::HlcClock(TimeSource source, Hlc last) : m_source(std::move(source)), m_last(last) {}

int64_t HlcClock::physicalMillis() const
{
    return m_source() + m_offsetMs;
}

Hlc HlcClock::now()
{
    int64_t ms = std::max<int64_t>(physicalMillis(), 0);
    m_last = std::max(hlcFromMillis(ms), m_last + 1);
    return m_last;
}

void HlcClock::observe(Hlc remote)
{
    m_last = std::max(m_last, remote);
}

} // namespace fieldsync::crdt
