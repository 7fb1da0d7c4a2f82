#include "domain/LocalTime.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace fieldsync::domain {

struct LocalTime::Zone {
    std::unique_ptr<icu::TimeZone> tz;
};

namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::chrono::year_month_day civil(int64_t dayNumber)
{
    return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{dayNumber}}};
}

int64_t dayNumberOf(std::chrono::year_month_day ymd)
{
    return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

} // namespace

LocalTime::LocalTime(std::shared_ptr<const Zone> zone, std::string id, crdt::TimeSource now)
    : m_zone(std::move(zone)), m_zoneId(std::move(id)), m_now(std::move(now))
{
}

LocalTime LocalTime::system()
{
    return system(crdt::systemTimeSource());
}

LocalTime LocalTime::system(crdt::TimeSource now)
{
    auto zone = std::make_shared<Zone>();
    zone->tz.reset(icu::TimeZone::createDefault());
    icu::UnicodeString id;
    zone->tz->getID(id);
    std::string text;
    id.toUTF8String(text);
    return LocalTime(std::move(zone), std::move(text), std::move(now));
}

Result<LocalTime> LocalTime::inZone(std::string_view name, crdt::TimeSource now)
{
    auto zone = std::make_shared<Zone>();
    zone->tz.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())))));
    icu::UnicodeString id;
    zone->tz->getID(id);
    // ICU answers an unknown id with the "Etc/Unknown" zone (UTC offsets).
    icu::UnicodeString unknown;
    icu::TimeZone::getUnknown().getID(unknown);
    if (name.empty() || id == unknown)
        return invalidArgument("unknown time zone '" + std::string(name) + "'");
    return LocalTime(std::move(zone), std::string(name), std::move(now));
}

int64_t LocalTime::offsetAt(int64_t instant) const
{
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    m_zone->tz->getOffset(static_cast<UDate>(instant), false, raw, dst, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU time zone offset failed");
    return int64_t{raw} + dst;
}

int64_t LocalTime::localToInstant(int64_t localMs) const
{
    // Two passes: the offset at the guess decides; across a DST change the
    // second pass lands on the side the wall time belongs to.
    int64_t guess = localMs - offsetAt(localMs);
    int64_t instant = localMs - offsetAt(guess);
    if (instant + offsetAt(instant) != localMs) {
        // A wall time skipped by a forward jump: the first instant after it.
        instant = std::max(guess, instant);
    }
    return instant;
}

int64_t LocalTime::dayNumber(int64_t instant) const { return floorDiv(instant + offsetAt(instant), kDayMs); }

int64_t LocalTime::startOfDay(int64_t instant) const { return localToInstant(dayNumber(instant) * kDayMs); }

int64_t LocalTime::addDays(int64_t instant, int days) const
{
    return localToInstant((dayNumber(instant) + days) * kDayMs);
}

int64_t LocalTime::startOfWeek(int64_t instant) const
{
    int64_t day = dayNumber(instant);
    // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
    int64_t weekday = ((day + 3) % 7 + 7) % 7;
    return localToInstant((day - weekday) * kDayMs);
}

int64_t LocalTime::startOfMonth(int64_t instant) const
{
    auto ymd = civil(dayNumber(instant));
    return localToInstant(dayNumberOf(ymd.year() / ymd.month() / std::chrono::day{1}) * kDayMs);
}

int64_t LocalTime::startOfNextMonth(int64_t instant) const
{
    auto ymd = civil(dayNumber(instant));
    auto next = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{1};
    return localToInstant(dayNumberOf(next / std::chrono::day{1}) * kDayMs);
}

int LocalTime::daysBetween(int64_t from, int64_t to) const
{
    return static_cast<int>(dayNumber(to) - dayNumber(from));
}

std::string LocalTime::dateText(int64_t instant) const
{
    auto ymd = civil(dayNumber(instant));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string LocalTime::dateTimeText(int64_t instant) const
{
    int64_t local = instant + offsetAt(instant);
    int64_t msOfDay = local - floorDiv(local, kDayMs) * kDayMs;
    char buf[16];
    std::snprintf(buf, sizeof buf, " %02d:%02d", static_cast<int>(msOfDay / 3'600'000),
                  static_cast<int>(msOfDay / 60'000 % 60));
    return dateText(instant) + buf;
}

std::string LocalTime::weekText(int64_t instant) const
{
    // ISO 8601: the week belongs to the year of its Thursday.
    int64_t day = dayNumber(instant);
    int64_t weekday = ((day + 3) % 7 + 7) % 7;
    int64_t thursday = day - weekday + 3;
    auto ymd = civil(thursday);
    int64_t jan1 = dayNumberOf(ymd.year() / std::chrono::January / std::chrono::day{1});
    int64_t week = (thursday - jan1) / 7 + 1;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(ymd.year()), static_cast<int>(week));
    return buf;
}

Result<int64_t> LocalTime::parseDate(std::string_view text) const
{
    auto bad = [&] { return invalidArgument("expected a date YYYY-MM-DD, got '" + std::string(text) + "'"); };
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return bad();
    auto num = [&](size_t at, size_t n) {
        int v = 0;
        for (size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
        return v;
    };
    std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)}, std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                    std::chrono::day{static_cast<unsigned>(num(8, 2))}};
    if (!ymd.ok()) return bad();
    return localToInstant(dayNumberOf(ymd) * kDayMs);
}

} // namespace fieldsync::domain
