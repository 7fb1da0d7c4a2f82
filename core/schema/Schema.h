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
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::schema {

// The version of the synced data model; bumped when fields are added. A
// device and a server must agree on it (the server refuses older devices).
//   1  customer, contact, visit, task, complaint, conflict
//   2  team_config (a team's visit cadence and check-in radius)
//   3  customer.team (the team whose public pool holds it when unowned)
//   4  check-in evidence: visit.checkin_device_at, checkin_mock,
//      checkin_offline, the server's verdict, verdict_reasons and
//      checkin_received_at; team_config's verification thresholds
//   5  photo (a visit's or a complaint's photos: the row carries the hash,
//      size, dimensions and a thumbnail; the bytes travel apart, docs/photos.md)
constexpr int kSchemaVersion = 5;

enum class FieldType { Text, Integer, Real, Bool, Time, Ref, Enum, Stage, TagSet };

// What a Text field must look like beyond being text:
//   Sha256Hex   64 lowercase hexadecimal digits (a photo's content address)
//   JpegBase64  standard base64 (RFC 4648 §4, padded) of bytes that begin as a
//               JPEG does (FF D8 FF, "/9j/" in base64): a photo's thumbnail
enum class TextFormat { Any, Sha256Hex, JpegBase64 };

std::string_view typeName(FieldType type);

struct FieldDef {
    std::string name;
    FieldType type;
    crdt::Rule rule;
    bool required = false;           // must be set when the row is created
    std::vector<std::string> options;  // Enum: allowed values; Stage: stages in order
    std::string refEntity;           // Ref: the entity it points to
    std::optional<int64_t> min, max; // Integer bounds
    bool serverOnly = false;         // written by the hub only (conflict log, visit verdict)
    // Time fields only: read from the device clock at the write (a check-in),
    // so it carries that clock's error and moves with the write when the
    // clock is corrected (Replica::correctClock).
    bool captured = false;
    TextFormat format = TextFormat::Any;  // Text fields only
    // Ref fields only: the row it names must hang off the same scope root as
    // the row that names it (a photo's visit is a visit of the photo's
    // customer). The hub refuses a change naming a held row of another root.
    bool sameRoot = false;
    int index = -1;                  // position in the entity, set by the schema

    int stageRank(std::string_view stage) const;  // -1 if not a stage of this field
};

// Confinement (docs/security.md): who may see and write a row is decided by
// one row, its scope root, and is declared here once per entity. The hub
// (pull, push, backfill, eviction), the device replica (eviction, local
// checks) and the server's policy read this declaration; none of them names
// an entity.
//   Root     a scope root (customer): the text fields `owner` (a user name;
//            null = unowned, in a pool) and `team` (whose pool holds it while
//            unowned; write-once) decide who sees it and everything below it.
//   Child    hangs off a root through the Ref field `parent` (contact.customer):
//            required, set when the row is created and never changed, so a
//            row cannot be moved under another root. It is seen and written
//            by whoever may see and write its stored root.
//   Subject  describes another row (a conflict entry): the text fields
//            `subjectEntity` and `subjectRow` name it; server-written; it
//            follows the scope of the row it describes.
//   Shared   belongs to no root (team_config): every user reads it; who
//            writes it is a role policy of the server (sync-server/api/Scope).
enum class ScopeKind { Shared, Root, Child, Subject };

struct ScopeDef {
    ScopeKind kind = ScopeKind::Shared;
    int owner = -1, team = -1;                   // Root: field indices
    int parent = -1;                             // Child: the Ref field naming the root
    int subjectEntity = -1, subjectRow = -1;     // Subject: field indices
};

// How an entity's rows are confined, by field names (resolved into EntityDef::scope).
struct ScopeNames {
    ScopeKind kind = ScopeKind::Shared;
    std::string a, b;  // Root: owner, team; Child: parent; Subject: entity, row
};

struct EntityDef {
    EntityDef(std::string entityName, std::string tableName, std::vector<FieldDef> entityFields, ScopeNames confinement = {})
        : name(std::move(entityName)), table(std::move(tableName)), fields(std::move(entityFields)),
          scopeNames(std::move(confinement))
    {
    }

    std::string name;
    std::string table;  // SQLite table holding its rows
    std::vector<FieldDef> fields;
    ScopeNames scopeNames;
    int code = -1;      // stable small number (position in the schema)
    ScopeDef scope;     // set by the schema from scopeNames

    const FieldDef* field(std::string_view name) const;
};

class Schema {
public:
    explicit Schema(std::vector<EntityDef> entities);

    const EntityDef* entity(std::string_view name) const;
    const EntityDef& entity(int code) const { return m_entities.at(static_cast<size_t>(code)); }
    const std::vector<EntityDef>& entities() const { return m_entities; }

    // The scope root entity (at most one; the fieldsync schema has one), and
    // the entities whose rows hang off it (ScopeKind::Child), in schema order.
    const EntityDef& root() const
    {
        if (m_root < 0) throw std::logic_error("this schema declares no scope root");
        return m_entities[static_cast<size_t>(m_root)];
    }
    const std::vector<const EntityDef*>& children() const { return m_children; }
    // The entity of kind Subject (the conflict log), if the schema has one.
    const EntityDef* subject() const { return m_subject < 0 ? nullptr : &m_entities[static_cast<size_t>(m_subject)]; }

private:
    std::vector<EntityDef> m_entities;
    int m_root = -1, m_subject = -1;
    std::vector<const EntityDef*> m_children;
};

// The fieldsync data model (customer, contact, visit, task, complaint,
// conflict, team_config, photo).
const Schema& fieldsyncSchema();

// The row id of a team's team_config row: a UUID (version 8) derived from the
// team name, the same on every device and at the server, so managers who
// write it offline write one row, and the server knows which team a row is.
std::string teamConfigRowId(std::string_view team);

// The hub's conflict log entity and its fields, by name (see FieldsyncSchema.cpp).
inline constexpr std::string_view kConflictEntity = "conflict";

// Bounds on what one value may hold, so that one row, and so one answer made
// of rows, has a size known in advance (docs/security.md).
inline constexpr size_t kMaxTextBytes = 64 * 1024;  // a text value (notes, descriptions), UTF-8 bytes
inline constexpr size_t kMaxTagBytes = 256;         // one element of a tag set
inline constexpr int64_t kMaxPhotoBytes = 20 * 1024 * 1024;  // one photo's original (photo.size)

// A row id: a lower-case UUID, 36 characters (replica/Ids.h makes UUIDv7).
bool isRowId(std::string_view id);
// The text formats of TextFormat.
bool isSha256Hex(std::string_view text);
bool isJpegBase64(std::string_view text);

// Checks a value against a field: type, enum options, bounds, required.
// The message names the entity, the field and what was expected.
Status validate(const EntityDef& entity, const FieldDef& field, const crdt::Value& value);

// Parses a value typed on a command line ("level=A", "lat=31.2", "archived=true",
// "planned_at=2026-11-22T09:30" or milliseconds). "null" or "" unsets. A
// reference is taken as typed: the write that uses it finds no such row.
Result<crdt::Value> parseValue(const EntityDef& entity, const FieldDef& field, std::string_view text);

} // namespace fieldsync::schema
