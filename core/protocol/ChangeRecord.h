// ChangeRecord: one write to one row, as pushed, pulled, logged by the hub and
// carried in bundles. The unit of sync.
//
// A record holds every field one write changed; all of them share the write's
// clock. JSON form (keys in this order in the codec; unknown keys refused):
//
//   {
//     "entity": "visit",                  entity name (schema)
//     "id":     "0193...-...",            row id, client-generated (UUIDv7 text)
//     "clock":  "<16 hex hlc>@<device>",  the write's clock (crdt/Clock.h)
//     "seen":   42,                       global position the writer had pulled
//                                         to when it wrote (conflict detection)
//     "seq":    1234,                     global position assigned by the hub;
//                                         absent on a push
//     "set":    { "notes": "...",         register fields: field -> value
//                 "status": {"stage": "completed", "gen": 0} },
//     "add":    [ {"field": "tags", "value": "vip"} ],        set adds; the dot is "clock"
//     "remove": [ {"field": "tags", "value": "vip",           set removes, naming the
//                  "dots": ["<clock>", ...]} ]                add dots they had seen
//   }
//
// Values are typed as in schema/Schema.h; the decoder checks entity, field,
// type, enum options and bounds, so nothing malformed reaches a merge.
#pragma once

#include "base/Result.h"
#include "crdt/Clock.h"
#include "crdt/Value.h"
#include "schema/Schema.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fieldsync::protocol {

struct FieldWrite {
    int field = -1;           // index in the entity's fields
    crdt::Value value;
    int64_t generation = 0;   // stage fields only

    bool operator==(const FieldWrite&) const = default;
};

struct SetOp {
    int field = -1;
    std::string element;
    bool remove = false;
    std::vector<crdt::Clock> dots;  // remove only: the add dots it removes

    bool operator==(const SetOp&) const = default;
};

struct ChangeRecord {
    int entity = -1;          // schema entity code
    std::string id;
    crdt::Clock clock;
    uint64_t seen = 0;
    uint64_t seq = 0;         // 0 until the hub accepts it
    std::vector<FieldWrite> writes;
    std::vector<SetOp> setOps;

    bool operator==(const ChangeRecord&) const = default;
};

nlohmann::json toJson(const ChangeRecord& record, const schema::Schema& schema);
Result<ChangeRecord> recordFromJson(const nlohmann::json& j, const schema::Schema& schema);

// Row ids: UUID text form, 36 characters, lowercase hex with dashes.
bool isValidRowId(std::string_view id);

// A bundle: every change one replica knows, for offline hand-over
// (`fieldsync changes export/import`).
//   { "format": "fieldsync-bundle", "version": 1, "schema": <kSchemaVersion>,
//     "from": "<device id>", "records": [ ChangeRecord, ... ] }
struct Bundle {
    crdt::DeviceId from;
    std::vector<ChangeRecord> records;
};

nlohmann::json toJson(const Bundle& bundle, const schema::Schema& schema);
Result<Bundle> bundleFromJson(const nlohmann::json& j, const schema::Schema& schema);

} // namespace fieldsync::protocol
