// `fieldsync-server audit`: the change log queried by user, device, customer,
// row, entity and time, for an admin answering "who changed this visit, when,
// from which phone" (docs/operations.md has the flags and examples).
//
// Output, one line per accepted change, newest first (--oldest-first turns it):
//   table (default)  SEQ RECEIVED USER DEVICE ENTITY ROW CUSTOMER CHANGES,
//                    aligned for East Asian wide characters; control and
//                    bidirectional-formatting characters in names and values
//                    become spaces, so a device name cannot rewrite the
//                    admin's terminal; long cells end in "…".
//   --json           one JSON array, one entry per line:
//                      { "seq", "received_at" (ISO 8601, local zone),
//                        "received_at_ms", "user",
//                        "device": { "id" (32 hex), "name" (null if unknown) },
//                        "by_server" (a conflict entry the server wrote),
//                        "entity", "row", "customer": { "id", "name" } or null,
//                        "clock", "changes" (the compact text),
//                        "set"/"add"/"remove" as in the record (ChangeRecord.h) }
//   --csv            RFC 4180 with a header, UTF-8 with a byte-order mark and
//                    CRLF line ends like the device's exports (domain/Export.h),
//                    typed text guarded against spreadsheet formulas:
//                    seq,received_at,user,device,device_name,by_server,entity,
//                    row,customer,customer_name,changes,clock
// At most --limit changes (default 100); when more match, stderr says so and
// names the flag that shows the next page (--before SEQ / --after SEQ).
//
// Exit status: 0 (also when nothing matches), 2 bad flags or values, 3 an
// unknown row, customer or device, 1 any other failure.
#pragma once

#include "store/Accounts.h"
#include "stores/Stores.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::server {

// `args`: the words after "audit". Returns the exit status.
int auditCommand(const std::optional<StoreLocation>& store, const std::vector<std::string>& args,
                 const Accounts::Options& accountOptions, std::ostream& out, std::ostream& err);

} // namespace fieldsync::server
