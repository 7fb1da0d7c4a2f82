// RowState: one row's merged state in memory, and the on-disk encoding of its
// clocks.
//
// Every entity table has one column per field (schema/Schema.h) plus
//   <stage field>_gen  INTEGER  generation of each stage field
//   _clocks            BLOB     the clock of every register field, compressed:
//
// _clocks is a sequence of groups, one per distinct (clock, arrival), each
//   varint hlc | varint peer | varint arrival | varint field mask
// `peer` is this database's small number for a device id (table `peer`), so a
// 16-byte device id is stored once per database, not once per field.
// `arrival` is the hub's global position at which the value arrived (0 on
// devices). `mask` bit i = field index i. A row written in one go — the common
// case — costs one group, about 12 bytes, whatever its number of fields.
// Fields with no bit set were never written (null, no clock). Set fields keep
// their state in table `set_dot` and never appear here.
#pragma once

#include "crdt/Rules.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::replica {

struct FieldState {
    bool written = false;   // false: never written (no clock)
    crdt::Register reg;     // value, clock, generation (stage)
    uint32_t peer = 0;      // peer number of reg.clock.device in this database
    uint64_t arrival = 0;   // hub only
};

struct RowState {
    bool exists = false;                // a row with this id is stored
    uint64_t dirty = 0;                 // fields changed since load (bit = field index)
    std::vector<FieldState> fields;     // by field index
    std::vector<std::string> setCache;  // TagSet fields: JSON array text, by field index
};

struct ClockGroup {
    uint64_t hlc = 0;
    uint32_t peer = 0;
    uint64_t arrival = 0;
    uint64_t mask = 0;
};

std::string encodeClockGroups(const std::vector<ClockGroup>& groups);
// Throws std::runtime_error on a truncated or malformed blob.
std::vector<ClockGroup> decodeClockGroups(std::string_view blob);

} // namespace fieldsync::replica
