// LocalTime: "now", "today", "this week", "this month" as a rep means them —
// in the device's local time zone — with both the clock and the zone
// injectable, so tests run at a fixed instant in a fixed zone (UTC+8).
//
// Every stored time is milliseconds since the Unix epoch (schema `Time`); this
// class only turns instants into local calendar boundaries and back:
//   day    [local 00:00, next local 00:00)
//   week   ISO weeks: Monday 00:00 to the next Monday 00:00, labelled
//          "2026-W48" (the ISO week-numbering year)
//   month  the 1st 00:00 to the next 1st 00:00
// Zones come from ICU, so daylight-saving zones get 23- and 25-hour days
// right; a local midnight that does not exist (a DST jump at 00:00) is the
// first instant after it.
#pragma once

#include "base/Result.h"
#include "crdt/Hlc.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fieldsync::domain {

class LocalTime {
public:
    // The device's zone (ICU's default: TZ, then the system's) and clock.
    static LocalTime system();
    // The device's zone with another time source (tests, a fixed instant).
    static LocalTime system(crdt::TimeSource now);
    // A named zone ("Asia/Shanghai", "UTC", "GMT+08:00") and a time source;
    // InvalidArgument for a zone ICU does not know.
    static Result<LocalTime> inZone(std::string_view zone, crdt::TimeSource now);

    int64_t now() const { return m_now(); }
    const std::string& zone() const { return m_zoneId; }
    // Offset of local time from UTC at this instant, in milliseconds.
    int64_t offsetAt(int64_t instant) const;

    int64_t startOfDay(int64_t instant) const;
    // The start of the local day `days` days after the day holding `instant`.
    int64_t addDays(int64_t instant, int days) const;
    int64_t startOfWeek(int64_t instant) const;   // Monday 00:00
    int64_t startOfMonth(int64_t instant) const;
    int64_t startOfNextMonth(int64_t instant) const;
    // Whole local calendar days from the day of `from` to the day of `to`
    // (negative if `to` is earlier).
    int daysBetween(int64_t from, int64_t to) const;

    std::string dateText(int64_t instant) const;      // "2026-11-22"
    std::string dateTimeText(int64_t instant) const;  // "2026-11-22 09:30"
    std::string weekText(int64_t instant) const;      // "2026-W47"
    // "2026-11-22" -> local midnight of that day; InvalidArgument otherwise.
    Result<int64_t> parseDate(std::string_view text) const;

private:
    struct Zone;
    LocalTime(std::shared_ptr<const Zone> zone, std::string id, crdt::TimeSource now);
    int64_t localToInstant(int64_t localMs) const;
    int64_t dayNumber(int64_t instant) const;  // local days since 1970-01-01

    std::shared_ptr<const Zone> m_zone;
    std::string m_zoneId;
    crdt::TimeSource m_now;
};

} // namespace fieldsync::domain
