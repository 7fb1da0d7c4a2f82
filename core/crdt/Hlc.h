// HlcClock issues the hybrid logical timestamps of one replica.
//
// now():      max(physical time, last issued + 1)   -- strictly increasing
// observe(t): remembers a timestamp seen in a remote change, so that every
//             later local write sorts after everything this replica has seen.
//             That is what makes "the writer had seen the old value" imply
//             "the new value wins" under last-writer-wins.
// The physical source is injected (a fake in tests, the system clock in
// production) and corrected by an offset: a device told by the server that its
// clock runs ahead shifts its physical time back, and stays monotonic.
//
// A timestamp observed far in the future would drag this replica's clock along
// forever; the server refuses such stamps (bounded drift) before they spread.
#pragma once

#include "crdt/Clock.h"

#include <functional>

namespace fieldsync::crdt {

// Milliseconds since the Unix epoch.
using TimeSource = std::function<int64_t()>;

TimeSource systemTimeSource();

class HlcClock {
public:
    explicit HlcClock(TimeSource source, Hlc last = 0);

    Hlc now();
    void observe(Hlc remote);
    Hlc last() const { return m_last; }

    // Physical milliseconds as this replica believes them (source + offset).
    int64_t physicalMillis() const;
    void setOffset(int64_t offsetMs) { m_offsetMs = offsetMs; }
    int64_t offset() const { return m_offsetMs; }
    // Forgets everything issued or observed after `hlc` (used when stamps were
    // refused as too far ahead and are about to be re-issued).
    void rewindTo(Hlc hlc) { m_last = hlc; }

private:
    TimeSource m_source;
    Hlc m_last;
    int64_t m_offsetMs = 0;
};

} // namespace fieldsync::crdt
