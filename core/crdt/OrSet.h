// Add-wins observed-remove set (OR-set), as a value.
//
// Every add of an element is tagged with a unique dot (the clock of the write
// that added it). A remove names the dots of that element its writer had seen,
// and tombstones exactly those. An element is present while it has at least
// one dot that is not tombstoned — so an add concurrent with a remove survives
// it (add wins), and a remove never reaches adds it did not see.
//
// State: element -> (dot -> tombstoned). merge() is the union of dots with
// tombstoned = a OR b: commutative, associative and idempotent. A tombstone
// for a dot not yet seen is kept, so a remove that arrives before its add
// still removes it. The replica stores the same state as rows (element, dot,
// tombstoned) and applies the same rule in SQL; this class is its reference.
#pragma once

#include "crdt/Clock.h"

#include <map>
#include <string>
#include <vector>

namespace fieldsync::crdt {

class OrSet {
public:
    void add(const std::string& element, const Clock& dot);
    void remove(const std::string& element, const std::vector<Clock>& observedDots);
    void merge(const OrSet& other);

    bool contains(const std::string& element) const;
    std::vector<std::string> elements() const;                   // sorted
    std::vector<Clock> liveDots(const std::string& element) const;  // what a local remove names

    bool operator==(const OrSet&) const = default;

private:
    std::map<std::string, std::map<Clock, bool>> m_dots;
};

} // namespace fieldsync::crdt
