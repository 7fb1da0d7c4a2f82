// Shared helpers of the replica suite: a fresh temp dir per test, fake clocks
// (every Replica and Hub gets a time source reading a variable the test
// controls), push / pull / sync between a Replica and a Hub, and small readers
// for what the tests compare.
#pragma once

#include "crdt/Clock.h"
#include "protocol/ChangeRecord.h"
#include "replica/Hub.h"
#include "replica/Replica.h"
#include "schema/Schema.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

namespace fieldsync::replica::test {

using namespace std::string_literals;
using nlohmann::json;

// 2023-11-14T22:13:20Z: fake clocks start here.
inline constexpr int64_t kBaseMs = 1'700'000'000'000;

#define FS_ASSERT_OK(expr)                                                        \
    do {                                                                          \
        const auto& fs_status_ = (expr);                                          \
        ASSERT_TRUE(fs_status_.ok()) << #expr << ": " << fs_status_.error().message; \
    } while (0)

#define FS_EXPECT_OK(expr)                                                        \
    do {                                                                          \
        const auto& fs_status_ = (expr);                                          \
        EXPECT_TRUE(fs_status_.ok()) << #expr << ": " << fs_status_.error().message; \
    } while (0)

inline const schema::Schema& theSchema() { return schema::fieldsyncSchema(); }

inline int fieldIndex(std::string_view entity, std::string_view field)
{
    const auto* e = theSchema().entity(entity);
    if (!e || !e->field(field)) throw std::logic_error("test names an unknown field");
    return e->field(field)->index;
}

inline int entityCode(std::string_view entity) { return theSchema().entity(entity)->code; }

// ------------------------------------------------------------------ sync

struct PushTotals {
    size_t batches = 0, accepted = 0, duplicates = 0, conflicts = 0;
};

struct SyncTotals {
    PushTotals pushed;
    ApplyStats pulled;
};

// Pushes everything pending, batch by batch, acknowledging what the hub holds
// (with the hub's head, so provisional flags the hub did not confirm settle).
inline PushTotals push(Replica& r, Hub& hub, size_t limit = 500)
{
    PushTotals t;
    for (int guard = 0; guard < 10000 && r.pendingCount() > 0; ++guard) {
        PendingBatch batch = r.pending(limit);
        auto res = hub.push(r.deviceId(), batch.after, batch.records);
        if (!res.ok()) {
            ADD_FAILURE() << "push refused: " << res.error().message;
            return t;
        }
        r.acknowledge(res->acked, res->head);
        ++t.batches;
        t.accepted += res->accepted;
        t.duplicates += res->duplicates;
        t.conflicts += res->conflicts;
    }
    EXPECT_EQ(r.pendingCount(), 0u) << "push left records in the outbox";
    return t;
}

// Pulls page by page until the hub has nothing more, applying each page with
// its cursor.
inline ApplyStats pull(Replica& r, Hub& hub, size_t limit = 500)
{
    ApplyStats total;
    for (int guard = 0; guard < 100000; ++guard) {
        PullResult page = hub.pull(r.cursor(), limit);
        ApplyStats s = r.applyRemote(page.records, page.cursor);
        total.records += s.records;
        total.rowsChanged += s.rowsChanged;
        total.provisionalConflicts += s.provisionalConflicts;
        if (!page.more) break;
    }
    EXPECT_EQ(r.cursor(), hub.head()) << "pull stopped before the hub's head";
    return total;
}

inline SyncTotals sync(Replica& r, Hub& hub)
{
    SyncTotals t;
    t.pushed = push(r, hub);
    t.pulled = pull(r, hub);
    return t;
}

// ------------------------------------------------------------------ readers

// The pending records as their wire JSON (protocol/ChangeRecord.h).
inline json pendingJson(Replica& r)
{
    json out = json::array();
    for (const auto& rec : r.pending().records) out.push_back(protocol::toJson(rec, theSchema()));
    return out;
}

// The clock text of one field as the replica's dump shows it ("" if unwritten).
inline std::string clockOf(const json& dump, std::string_view entity, const std::string& id, std::string_view field)
{
    const auto& rows = dump.at(std::string(entity));
    if (!rows.contains(id) || !rows.at(id).contains(std::string(field))) return {};
    return rows.at(id).at(std::string(field)).at("clock").get<std::string>();
}

template <typename Store>
std::string clockOf(Store& store, std::string_view entity, const std::string& id, std::string_view field)
{
    return clockOf(store.dump(), entity, id, field);
}

inline crdt::Clock parseClock(const std::string& text)
{
    auto c = crdt::Clock::parse(text);
    if (!c) throw std::logic_error("not a clock: " + text);
    return *c;
}

inline json valueOf(Replica& r, std::string_view entity, const std::string& id, const std::string& field)
{
    return r.get(entity, id).value().at(field);
}

inline std::vector<ConflictEntry> provisionalFlags(Replica& r)
{
    std::vector<ConflictEntry> out;
    for (auto& c : r.conflicts(true))
        if (c.provisional) out.push_back(c);
    return out;
}

inline std::vector<ConflictEntry> hubEntries(Replica& r, bool includeResolved = false)
{
    std::vector<ConflictEntry> out;
    for (auto& c : r.conflicts(includeResolved))
        if (!c.provisional) out.push_back(c);
    return out;
}

} // namespace fieldsync::replica::test

namespace fieldsync::protocol {
// Readable records in failure output.
inline void PrintTo(const ChangeRecord& r, std::ostream* os) { *os << toJson(r, schema::fieldsyncSchema()).dump(); }
} // namespace fieldsync::protocol

namespace fieldsync::replica {
// Readable conflict entries in failure output.
inline void PrintTo(const ConflictEntry& e, std::ostream* os) { *os << e.toJson().dump(); }
} // namespace fieldsync::replica

namespace fieldsync::replica::test {

// ------------------------------------------------------------------ fixture

// A fresh directory under /tmp per test, removed in TearDown; fake clocks for
// up to three devices and a hub.
class ReplicaFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string pattern = "/tmp/fieldsync-replica-XXXXXX";
        ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp failed";
        m_dir = pattern;
    }

    void TearDown() override
    {
        std::error_code ignored;
        if (!m_dir.empty()) std::filesystem::remove_all(m_dir, ignored);
    }

    std::string file(const std::string& name) const { return (m_dir / name).string(); }

    std::unique_ptr<Replica> openReplica(const std::string& name, int64_t& ms)
    {
        return Replica::open(file(name), Replica::Options{.time = [&ms] { return ms; }});
    }

    std::unique_ptr<Hub> openHub(const std::string& name, int64_t& ms)
    {
        return Hub::open(file(name), Hub::Options{.time = [&ms] { return ms; }});
    }

    int64_t tA = kBaseMs;
    int64_t tB = kBaseMs;
    int64_t tC = kBaseMs;
    int64_t tHub = kBaseMs;

private:
    std::filesystem::path m_dir;
};

// Two devices and one hub, all open.
class TwoDevicesFixture : public ReplicaFixture {
protected:
    void SetUp() override
    {
        ReplicaFixture::SetUp();
        hub = openHub("hub.db", tHub);
        a = openReplica("a.db", tA);
        b = openReplica("b.db", tB);
    }

    void TearDown() override
    {
        a.reset();
        b.reset();
        hub.reset();
        ReplicaFixture::TearDown();
    }

    // A row created on A and synced to the hub and to B.
    std::string shared(std::string_view entity, const Write& w)
    {
        std::string id = a->create(entity, w).value();
        sync(*a, *hub);
        sync(*b, *hub);
        return id;
    }

    // Everyone pushes and pulls until nobody has anything pending.
    void settle()
    {
        sync(*a, *hub);
        sync(*b, *hub);
        sync(*a, *hub);
    }

    void expectConverged()
    {
        const std::string da = a->dump().dump(), db = b->dump().dump(), dh = hub->dump().dump();
        EXPECT_EQ(da, db) << "devices A and B hold different state";
        EXPECT_EQ(da, dh) << "device A and the hub hold different state";
    }

    std::unique_ptr<Hub> hub;
    std::unique_ptr<Replica> a, b;
};

} // namespace fieldsync::replica::test
