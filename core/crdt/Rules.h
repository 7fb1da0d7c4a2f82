// The merge rules, as pure functions over values. Declared once per field in
// the schema (schema/Schema.h); the device replica and the hub both merge
// through these functions and nothing else, so they cannot disagree.
//
// Registers (every rule but `set`) hold one value and the clock of the write
// that produced it. `join` picks the register both sides keep:
//
//   lww, text   the higher clock wins.
//   once        the lower clock wins: the first value written stays. Locally a
//               second write is refused; two devices writing concurrently are
//               settled by the clock, the same way everywhere.
//   stage       the higher (generation, rank) wins: a status only moves forward
//               through its stages, and reopening starts a new generation,
//               which outranks every stage of the old one. Equal (generation,
//               rank): the higher clock, so the stored clock converges too.
//
// join is the maximum under a total order (clock order is total: device id
// breaks hlc ties), hence for all registers a, b, c of one field:
//   commutative  join(a, b) == join(b, a)
//   associative  join(join(a, b), c) == join(a, join(b, c))
//   idempotent   join(a, a) == a
// so replicas that have seen the same writes hold the same value, whatever
// order the writes arrived in and however often. tests/crdt/RulesTest.cpp
// checks the three laws table-driven for every rule.
//
// `set` fields are add-wins observed-remove sets (OrSet.h).
//
// Conflicts. Who wins is decided above by clocks alone. Whether the loser was
// *concurrently* overwritten — its writer and the winner's writer had not seen
// each other's value — is decided once, at the hub, which sees every change
// exactly once in arrival order (decideAtHub). Devices flag provisionally
// what they see locally (decideOnDevice).
#pragma once

#include "crdt/Clock.h"
#include "crdt/Value.h"

#include <cstdint>
#include <string_view>

namespace fieldsync::crdt {

enum class Rule { Lww, Text, Set, Stage, Once };

std::string_view ruleName(Rule rule);

struct Register {
    Value value;
    Clock clock;
    int64_t generation = 0;  // stage only
    int rank = 0;            // stage only: index of `value` in the field's stage list

    bool operator==(const Register&) const = default;
};

// True if `incoming` replaces `current` (strictly wins). join() follows from it.
bool incomingWins(Rule rule, const Register& current, const Register& incoming);
const Register& join(Rule rule, const Register& a, const Register& b);

// Whether a rule's losers can be "overwritten values" worth logging. Stage
// moves are a lattice (both moves are kept in the join) and set operations
// never overwrite one another, so only lww, text and once log conflicts.
bool logsConflicts(Rule rule);

// What the hub knows about a field's current value besides the register:
// the global position at which it arrived.
struct HubField {
    Register reg;
    uint64_t arrival = 0;
};

struct HubDecision {
    bool takeIncoming = false;
    // A concurrent overwrite: the loser goes into the conflict log.
    bool conflict = false;
};

// `current` is null when the field was never written. `writerSeen` is the
// global position the writing device had pulled to when it wrote. The writes
// were concurrent if the current value came from another device and reached
// the hub after the writer's last pull; equal values are not a conflict
// (nothing was lost).
HubDecision decideAtHub(Rule rule, const HubField* current, const Register& incoming,
                        uint64_t writerSeen);

struct DeviceDecision {
    bool takeIncoming = false;
    // The incoming change overwrote, or lost to, one of this device's own
    // unsynced edits: flag it now, provisionally, until the hub's entry arrives.
    bool provisionalConflict = false;
};

// `currentIsUnsyncedLocalEdit`: the current value is this device's own edit
// that the hub has not yet acknowledged.
DeviceDecision decideOnDevice(Rule rule, const Register* current, const Register& incoming,
                              bool currentIsUnsyncedLocalEdit);

} // namespace fieldsync::crdt
