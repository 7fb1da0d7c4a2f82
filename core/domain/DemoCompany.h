// DemoCompany: a realistic synthetic sales company, generated from a seed —
// the data of `fieldsync-server seed-demo`, of `./dev run`, and of the
// benchmarks that need many customers. docs/demo.md describes it for users.
//
// What it makes (all sizes from DemoOptions):
//   teams      one per city (北京, 上海, 广州, ... then "beijing-2", ...), at most
//              kRepsPerTeam reps each; team name = the city in pinyin
//   users      "admin"; per team a manager and its reps. Login names are the
//              pinyin of the Chinese name ("lina" for 李娜; a digit is added
//              on a clash). Demo passwords are "demo-<login>": printed by
//              seed-demo, obviously not secret, never for a real company.
//   records    protocol::ChangeRecords, one per row (every field of a row in
//              one write), in this order, so every reference points backwards:
//     customer   name (城市 + 2-character brand + industry + suffix, unique),
//                phone, address and lat/lng in a district of the team's city,
//                region ("北京市海淀区"), industry, size, level, lifecycle,
//                source, annual_sales, owner, tags (0-3), notes, archived.
//                About 14 % are in the public pool (no owner: 35 % of the
//                leads and churned customers, 7 % of the others); the others
//                belong to a rep of the team of the customer's city.
//                Sales are heavy-tailed (Pareto) so an ABC split by
//                cumulative sales is meaningful; `level` follows that split
//                with some disagreement (a rep's judgement): A/B/C, and D for
//                leads and churned customers. Leads have no sales.
//     contact    1-3 per customer, exactly one is_primary; mobile numbers
//                1[3-9]xxxxxxxxx, some with email and birthday.
//     visit      `visits` in all, by the owner of an owned customer, more for
//                A than for D. 95 % are completed in the 120 days before
//                `today`, on working hours in Beijing time: check-in near
//                the customer (≤ 300 m), some far from it (2-15 km), some
//                without location; most with a check-out, distance_m,
//                outcome, satisfaction, follow-up date, order amount when an
//                order was taken; 1 % voided. 5 % are planned for today and
//                the next 6 days (status planned, no check-in).
//     task       customers / 2 follow-ups for owners, due from 14 days
//                before to 21 days after today, done or open, many with the
//                visit they came from.
//     complaint  customers / 15, in every stage (received … followed_up),
//                handled by the owner or the team's manager.
//   Clocks: every record is stamped by device() (derived from the seed),
//   hlc = today 00:00 Beijing time + the record's position, so the records
//   sort as generated, stay behind any device's clock, and lose to any edit a
//   device makes later.
//
// Deterministic: the same options give the same users and the same records,
// byte for byte, on every run (own PRNG, no std distributions, no system
// time). Each kind of row has its own random stream, so e.g. changing
// `visits` does not change the customers.
#pragma once

#include "base/Result.h"
#include "crdt/Clock.h"
#include "domain/Actor.h"
#include "protocol/ChangeRecord.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace fieldsync::domain {

struct DemoOptions {
    int reps = 8;
    int customers = 200;
    int visits = 1000;
    uint64_t seed = 1;
    // The company's "today": ms since the Unix epoch of a day's 00:00 in
    // Beijing time (beijingMidnight). Past visits lie before it, planned
    // visits and due dates around it.
    int64_t today = 0;

    static constexpr int kMaxReps = 2000;
    static constexpr int kMaxCustomers = 1'000'000;
    static constexpr int kMaxVisits = 10'000'000;
};

inline constexpr int kRepsPerTeam = 4;

struct DemoTeam {
    std::string name;     // "beijing"
    std::string city;     // "北京"
    std::string manager;  // login name of its manager
};

struct DemoUser {
    std::string name;         // login name ("lina")
    std::string displayName;  // 李娜
    Role role = Role::Rep;
    std::string team;         // empty for the admin
    std::string password;     // demo-only
};

struct DemoCounts {
    size_t customers = 0, pool = 0, contacts = 0, visits = 0, tasks = 0, complaints = 0;
    size_t records() const { return customers + contacts + visits + tasks + complaints; }
};

class DemoCompany {
public:
    // InvalidArgument (naming the option and its range) for sizes out of range.
    static Result<DemoCompany> make(const DemoOptions& options);

    const DemoOptions& options() const { return m_options; }
    const std::vector<DemoTeam>& teams() const { return m_teams; }
    // The admin first, then per team its manager and its reps.
    const std::vector<DemoUser>& users() const { return m_users; }
    // The device every record is stamped by.
    const crdt::DeviceId& device() const { return m_device; }

    // Generates every record, in order, handing them to `sink` in batches of
    // at most `batchSize` (memory stays bounded for big companies). Each call
    // generates the same records again.
    using Sink = std::function<void(std::span<const protocol::ChangeRecord>)>;
    DemoCounts generate(size_t batchSize, const Sink& sink) const;
    // All records at once (small companies, tests).
    std::vector<protocol::ChangeRecord> records() const;

private:
    DemoCompany() = default;

    DemoOptions m_options;
    std::vector<DemoTeam> m_teams;
    std::vector<DemoUser> m_users;
    crdt::DeviceId m_device;
};

// 00:00 Beijing time (UTC+8, no daylight saving) of the day holding `unixMillis`.
int64_t beijingMidnight(int64_t unixMillis);

} // namespace fieldsync::domain
