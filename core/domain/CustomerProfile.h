// CustomerProfile: creating, editing and archiving a customer's profile
// (客户档案) from a form, and the per-field history a device can honestly show.
//
// Editing (updateProfile): the form sends every field it shows; only the
// fields whose value differs from the stored one are written, in one write
// (one clock). A field the user did not touch therefore keeps its clock and
// never overwrites a concurrent edit made elsewhere (lww per field, DESIGN §3).
// Tags are a set: the edit adds and removes elements (add-wins), it never
// replaces the set. Rules: the name must not be empty; level A–D or none;
// lifecycle and size from the schema's options or none (InvalidArgument);
// the customer must be on this replica (NotFound) and not archived
// (FailedPrecondition); a rep edits only their own customers
// (PermissionDenied: the server's rule, said at once). The owner is not
// edited here: reassigning is Assign.h (managers only). Annual sales must be
// a finite number ≥ 0; the location is a latitude and a longitude together
// (Geo.h checkPosition), written in one write (one clock) so a concurrent
// edit never pairs one device's latitude with another's longitude.
//
// Creating (createCustomer): the app's "new customer" form, with the rules of
// the CLI's `customer add`: a rep's new customer is theirs, a manager's or an
// admin's goes to the public pool (no owner); the team is the signed-in
// user's (written once, it decides whose pool holds the customer). The name
// must not be empty, level and lifecycle from the schema's options
// (InvalidArgument). A first contact, if named, is written as the primary
// contact in the same batch (both or nothing); a contact phone or title
// without a name is refused. Duplicates are not checked here: the caller
// shows findDuplicates (Duplicates.h) before saving, and may save anyway.
//
// Archiving (archiveCustomer): sets the tombstone `archived` (the row stays,
// its visits stay listed, flagged). Who may: the owner, or a manager/admin
// for any customer on the replica — the same rule as editing; a pool
// customer only by a manager (PermissionDenied). NotFound; FailedPrecondition
// when already archived.
//
// History (fieldHistory): the replica keeps, for every field, only the value
// that won and its clock (hybrid logical time + the writing device), and the
// conflict log keeps each value that a concurrent edit overwrote. It does not
// keep the sequence of earlier values, nor the user behind another device
// (the server's change log is the audit trail). So the history shows:
//   - per written field: the current value, when it was written (the clock's
//     physical time), whether this device wrote it (and if that write is not
//     yet acknowledged by the server) or which other device (its id);
//     tags: the latest add among the live elements;
//   - the overwritten values from the conflict log for this row: field, the
//     losing value, when it was written and by which device, when the
//     conflict was detected, whether it was resolved.
#pragma once

#include "base/Result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

struct ProfileEdit {
    // nullopt: not on the form (left alone); "" clears the field (not name).
    std::optional<std::string> name, phone, address, region, industry, level, lifecycle, size, source, notes;
    std::vector<std::string> addTags, removeTags;
    // Outer nullopt: not on the form; inner nullopt: clear it.
    std::optional<std::optional<double>> annualSales;
    std::optional<std::optional<std::pair<double, double>>> location;  // latitude, longitude
};

// Returns how many fields were written (0: nothing differed, nothing written).
Result<int> updateProfile(replica::Replica& replica, const std::string& customerId, const ProfileEdit& edit);

struct NewCustomer {
    std::string name, phone, address, region, level, lifecycle;  // "" = unset
    std::vector<std::string> tags;
    std::string contactName, contactTitle, contactPhone;  // the first contact ("" = none)
};

// Returns the new customer's id.
Result<std::string> createCustomer(replica::Replica& replica, const NewCustomer& customer);

Status archiveCustomer(replica::Replica& replica, const std::string& customerId);

struct FieldVersion {
    std::string field;
    nlohmann::json value;
    int64_t writtenAt = 0;  // ms
    std::string device;     // hex id of the writing device
    bool thisDevice = false;
    bool unsynced = false;  // this device's write, not yet acknowledged
};

struct OverwrittenValue {
    std::string field;
    nlohmann::json value;
    std::optional<int64_t> writtenAt;  // ms of the losing write
    std::string device;                // its device (hex), "" if unknown
    bool thisDevice = false;
    int64_t detectedAt = 0;
    bool resolved = false;
};

struct FieldHistory {
    std::vector<FieldVersion> fields;           // schema order
    std::vector<OverwrittenValue> overwritten;  // latest detected first

    nlohmann::json toJson() const;
};

// NotFound for an unknown entity or row.
Result<FieldHistory> fieldHistory(replica::Replica& replica, const std::string& entity, const std::string& id);

} // namespace fieldsync::domain
