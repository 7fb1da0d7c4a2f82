// The schema: every synced entity and field, each field's type and merge rule.
// Declared once (FieldsyncSchema.cpp) and used by the device replica, the hub,
// the wire decoder and the CLI, so a field cannot mean one thing on a phone
// and another on the server.
//
// Field types and how they are stored / sent:
//   Text       TEXT     / JSON string
//   Integer    INTEGER  / JSON integer (optionally bounded: satisfaction 1..5)
//   Real       REAL     / JSON number
//   Bool       INTEGER 0/1 / JSON true/false
//   Time       INTEGER ms since the Unix epoch / JSON integer
//   Ref        TEXT row id of another entity / JSON string
//   Enum       TEXT, one of `options` / JSON string
//   Stage      TEXT stage name + INTEGER "<field>_gen" column / JSON {"stage","gen"}
//   TagSet     TEXT cache of the present elements as a sorted JSON array, with
//              the add/remove state in the replica's set table
// Any field may be null (unset) unless `required`.
//
// Field indices are positions in EntityDef::fields and are persisted (row
// clock masks): fields are only ever appended, never reordered or removed.
// At most 64 fields per entity.
#pragma once

#include "base/Result.h"
#include "crdt/Rules.h"
#include "crdt/Value.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::schema {

// The version of the synced data model; bumped when fields are added. A
// device and a server must agree on it (the server refuses older devices).
//   1  customer, contact, visit, task, complaint, conflict
//   2  team_config (a team's visit cadence and check-in radius)
//   3  customer.team (the team whose public pool holds it when unowned)
constexpr int kSchemaVersion = 3;

enum class FieldType { Text, Integer, Real, Bool, Time, Ref, Enum, Stage, TagSet };

std::string_view typeName(FieldType type);

struct FieldDef {
    std::string name;
    FieldType type;
    crdt::Rule rule;
    bool required = false;           // must be set when the row is created
    std::vector<std::string> options;  // Enum: allowed values; Stage: stages in order
    std::string refEntity;           // Ref: the entity it points to
    std::optional<int64_t> min, max; // Integer bounds
    bool serverOnly = false;         // written by the hub only (conflict log)
    int index = -1;                  // position in the entity, set by the schema

    int stageRank(std::string_view stage) const;  // -1 if not a stage of this field
};

struct EntityDef {
    std::string name;
    std::string table;  // SQLite table holding its rows
    std::vector<FieldDef> fields;
    int code = -1;      // stable small number (position in the schema)

    const FieldDef* field(std::string_view name) const;
};

class Schema {
public:
    explicit Schema(std::vector<EntityDef> entities);

    const EntityDef* entity(std::string_view name) const;
    const EntityDef& entity(int code) const { return m_entities.at(static_cast<size_t>(code)); }
    const std::vector<EntityDef>& entities() const { return m_entities; }

private:
    std::vector<EntityDef> m_entities;
};

// The fieldsync data model (customer, contact, visit, task, complaint,
// conflict, team_config).
const Schema& fieldsyncSchema();

// The row id of a team's team_config row: a UUID (version 8) derived from the
// team name, the same on every device and at the server, so managers who
// write it offline write one row, and the server knows which team a row is.
std::string teamConfigRowId(std::string_view team);

// The hub's conflict log entity and its fields, by name (see FieldsyncSchema.cpp).
inline constexpr std::string_view kConflictEntity = "conflict";

// Checks a value against a field: type, enum options, bounds, required.
// The message names the entity, the field and what was expected.
Status validate(const EntityDef& entity, const FieldDef& field, const crdt::Value& value);

// Parses a value typed on a command line ("level=A", "lat=31.2", "archived=true",
// "planned_at=2026-11-22T09:30" or milliseconds). "null" or "" unsets.
Result<crdt::Value> parseValue(const EntityDef& entity, const FieldDef& field, std::string_view text);

} // namespace fieldsync::schema
