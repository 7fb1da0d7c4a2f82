// Export: visits and customers to CSV for Excel.
//
// File format:
//   - UTF-8 with a byte-order mark (EF BB BF), so Excel opens Chinese text
//     as UTF-8 rather than the system code page;
//   - RFC 4180: CRLF line ends, one header row, a field is quoted ("...")
//     when it holds a comma, a quote, CR or LF, and quotes inside are doubled;
//   - times as local "YYYY-MM-DD HH:MM" (LocalTime), numbers as plain
//     decimals, booleans as "yes"/"" ;
//   - a text cell starting with = + - @ gets a leading apostrophe so Excel
//     shows it instead of evaluating it as a formula (CSV injection).
// Visits: non-voided visits checked in within [from, to), by check-in time.
// Customers: non-archived customers (with --from/--to: only those with a
// non-voided check-in in the range), with their last visit and the visits in
// the range, by name.
//
// Writing: into a temporary file beside the target, flushed and synced, then
// moved into place — the target is never half-written. An existing target is
// refused (FailedPrecondition) unless `overwrite`.
#pragma once

#include "base/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

class LocalTime;

struct ExportRange {
    std::optional<int64_t> from, to;  // [from, to)
};

// One CSV field, quoted if needed (RFC 4180).
std::string csvField(const std::string& value);
// The same for text someone typed: a leading = + - @ gets an apostrophe
// first, so a spreadsheet shows it instead of evaluating it (CSV injection).
std::string csvTextField(const std::string& value);
// The CSV text (BOM included) without touching the disk.
std::string visitsCsv(replica::Replica& replica, const LocalTime& time, const ExportRange& range);
std::string customersCsv(replica::Replica& replica, const LocalTime& time, const ExportRange& range);

// Writes `content` to `path` as described above. Returns the bytes written.
Result<size_t> writeFileAtomically(const std::string& path, const std::string& content, bool overwrite);

struct ExportResult {
    size_t rows = 0;
    size_t bytes = 0;
};
Result<ExportResult> exportVisits(replica::Replica& replica, const LocalTime& time, const ExportRange& range,
                                  const std::string& path, bool overwrite);
Result<ExportResult> exportCustomers(replica::Replica& replica, const LocalTime& time, const ExportRange& range,
                                     const std::string& path, bool overwrite);

} // namespace fieldsync::domain
