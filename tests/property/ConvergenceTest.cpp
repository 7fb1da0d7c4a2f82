// Convergence property test (DESIGN §8, issue "Core").
//
// 3–8 in-process replicas and one in-process hub run a random script: field
// edits (concurrent ones arise naturally: replicas are stale), set add/remove,
// stage moves and reopen, write-once check-ins, archive against concurrent
// visits, conflict resolution, one replica with a skewed clock, and random
// partial syncs whose batches are duplicated, delivered late, cut short, and
// whose acknowledgements and pull pages are lost or applied twice. A second
// mode also exchanges bundles directly between replicas.
//
// After a full sync the test checks, against an oracle that does not use the
// code under test for its judgement:
//   * every replica's dump() is byte-identical to the hub's;
//   * every outbox is empty and no provisional flag is left;
//   * the value of every edited field is the one the oracle's own merge picks
//     when it replays the hub's arrival order with the writes' clocks;
//   * the conflict log holds exactly (hub mode) / at least (bundle mode) the
//     values overwritten by a writer who had not seen them, each once. What a
//     writer had seen is tracked by the harness from the deliveries it makes;
//   * no write is lost: each one reached the hub, unless the same replica
//     wrote that field again before it was pushed, having received no other
//     device's write to the field in between;
//   * every visit ever created exists, whatever happened to its customer.
//
// Seeded and replayable: a failure prints FIELDSYNC_SEED=... FIELDSYNC_MODE=...
// which rerun exactly that scenario. FIELDSYNC_LONG=1 runs 10,000 per mode.
#include "replica/Hub.h"
#include "replica/Replica.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>

namespace fieldsync {
namespace {

using nlohmann::json;
using protocol::ChangeRecord;
using replica::Hub;
using replica::Replica;
using replica::Write;

enum class Mode { Hub, Bundles };

const char* modeName(Mode m) { return m == Mode::Hub ? "hub" : "bundles"; }

// Fields whose every write carries a unique value, so the oracle can name
// each write from its value alone. Edits after creation only touch these,
// stage/set fields (which never conflict) and archived=true (equal values
// never conflict).
const std::map<std::string, std::vector<std::string>> kTracked = {
    {"customer", {"name", "phone", "address", "owner", "notes"}},
    {"visit", {"notes", "outcome", "checkin_at", "checkin_lat", "checkin_lng"}},
};

bool isTracked(const std::string& entity, const std::string& field)
{
    auto it = kTracked.find(entity);
    return it != kTracked.end() && std::find(it->second.begin(), it->second.end(), field) != it->second.end();
}

struct OracleWrite {
    int device;
    std::string entity, row, field;
    json value;
    std::set<int> knownAtWrite;  // oracle write ids the writer had seen
    bool dropAllowed = false;
};

struct Device {
    std::unique_ptr<Replica> replica;
    int64_t skewMs = 0;
    std::set<int> known;
    std::vector<replica::PendingBatch> sent;  // for late / duplicate delivery
    // Per (entity/row/field): the latest local write (oracle id + 1; 0 for
    // none), and whether another device's write to that field was received since.
    std::map<std::string, std::pair<int, bool>> open;
};

// What a run exercised, so the generator cannot quietly stop producing the
// cases the properties are about.
struct Coverage {
    size_t conflicts = 0;       // entries in the final conflict log
    size_t coalesced = 0;       // writes that never reached the hub (legitimately)
    size_t provisional = 0;     // provisional flags raised on devices
    size_t archivedVisits = 0;  // visits whose customer ended archived
};

class Scenario {
public:
    Scenario(uint64_t seed, Mode mode) : m_rng(seed), m_mode(mode), m_seed(seed) {}

    Coverage coverage;

    // Returns an empty string on success, else what went wrong.
    std::string run()
    {
        Hub::Options ho;
        ho.time = [this] { return m_now; };
        m_hub = Hub::open(":memory:", ho);
        int n = 3 + static_cast<int>(m_rng() % 6);
        for (int i = 0; i < n; ++i) {
            m_devices.push_back(std::make_unique<Device>());
            auto& d = *m_devices.back();
            // One replica runs with a skewed clock, ahead or behind by minutes.
            if (i == 0) d.skewMs = (static_cast<int64_t>(m_rng() % 2 ? 1 : -1)) * static_cast<int64_t>(m_rng() % 600'000);
            Replica::Options ro;
            Device* dp = &d;
            ro.time = [this, dp] { return m_now + dp->skewMs; };
            d.replica = Replica::open(":memory:", ro);
        }
        int ops = 20 + static_cast<int>(m_rng() % 60);
        for (int i = 0; i < ops && m_error.empty(); ++i) step();
        if (m_error.empty()) fullSync();
        if (m_error.empty()) check();
        return m_error;
    }

private:
    std::mt19937_64 m_rng;
    Mode m_mode;
    uint64_t m_seed;
    int64_t m_now = 1'790'000'000'000;
    int m_unique = 0;
    std::unique_ptr<Hub> m_hub;
    std::vector<std::unique_ptr<Device>> m_devices;
    std::vector<OracleWrite> m_writes;
    std::map<std::string, int> m_byValue;  // "entity.field=value" -> oracle write
    std::set<std::string> m_visitsCreated;
    std::string m_error;

    size_t pick(size_t n) { return static_cast<size_t>(m_rng() % n); }
    bool chance(int percent) { return static_cast<int>(m_rng() % 100) < percent; }

    void fail(const std::string& what)
    {
        if (m_error.empty()) m_error = what;
    }

    static std::string key(const std::string& entity, const std::string& field, const json& value)
    {
        return entity + "." + field + "=" + value.dump();
    }
    static std::string slot(const std::string& entity, const std::string& row, const std::string& field)
    {
        return entity + "/" + row + "/" + field;
    }

    // ------------------------------------------------------------ writes

    // Records the oracle's view of a local write made by device `d`.
    void noteWrite(int d, const std::string& entity, const std::string& row, const std::string& field,
                   const json& value)
    {
        auto& dev = *m_devices[static_cast<size_t>(d)];
        int id = static_cast<int>(m_writes.size());
        m_writes.push_back({d, entity, row, field, value, dev.known, false});
        m_byValue[key(entity, field, value)] = id;
        // The previous local write to this field may be coalesced away, unless
        // another device's write to the field arrived in between.
        auto& [previous, contested] = dev.open[slot(entity, row, field)];
        if (previous > 0 && !contested) m_writes[static_cast<size_t>(previous - 1)].dropAllowed = true;
        previous = id + 1;
        contested = false;
        dev.known.insert(id);
    }

    // The oracle learns what a delivered record carries.
    void learn(int d, const ChangeRecord& r)
    {
        const auto& schema = schema::fieldsyncSchema();
        const auto& e = schema.entity(r.entity);
        for (const auto& w : r.writes) {
            const auto& f = e.fields[static_cast<size_t>(w.field)];
            if (!isTracked(e.name, f.name)) continue;
            auto it = m_byValue.find(key(e.name, f.name, crdt::toJson(w.value)));
            if (it == m_byValue.end()) {
                fail("a delivered record carries a value nobody wrote: " + key(e.name, f.name, crdt::toJson(w.value)));
                return;
            }
            learnWrite(d, it->second);
        }
    }

    // `delivered`: the device received this write's value (a pull or a
    // bundle record), not only knowledge of it through another device's
    // state. Only a delivered foreign value contests a pending local edit.
    void learnWrite(int d, int id, bool delivered = true)
    {
        auto& dev = *m_devices[static_cast<size_t>(d)];
        if (!dev.known.insert(id).second) return;
        const auto& w = m_writes[static_cast<size_t>(id)];
        if (w.device == d || !delivered) return;
        auto it = dev.open.find(slot(w.entity, w.row, w.field));
        if (it != dev.open.end()) it->second.second = true;
    }

    std::vector<json> rows(Replica& r, const char* entity) { return r.list(entity); }

    std::string uniqueText(const char* prefix)
    {
        return std::string(prefix) + std::to_string(++m_unique);
    }

    void expectOk(const Status& st, const char* what)
    {
        if (!st) fail(std::string(what) + " failed: " + st.error().message);
    }

    void step()
    {
        m_now += chance(20) ? 0 : static_cast<int64_t>(pick(400));
        int d = static_cast<int>(pick(m_devices.size()));
        auto& r = *m_devices[static_cast<size_t>(d)]->replica;
        auto customers = rows(r, "customer");
        auto visits = rows(r, "visit");
        int op = static_cast<int>(pick(100));
        if (customers.empty() || op < 7) return createCustomer(d);
        // Half the edits go to the two oldest customers: hot rows make truly
        // concurrent edits of one field common.
        const auto& c = customers[chance(50) ? pick(std::min<size_t>(2, customers.size())) : pick(customers.size())];
        std::string cid = c["id"];
        if (op < 27) {  // edit a customer's tracked field(s), in one write
            Write w;
            std::vector<std::pair<std::string, json>> fields;
            const auto& names = kTracked.at("customer");
            fields.emplace_back(names[pick(2)], uniqueText("v"));  // mostly name or phone
            for (const auto& f : names)
                if (chance(20) && f != fields.front().first) fields.emplace_back(f, uniqueText(f == "notes" ? "笔记" : "v"));
            for (const auto& [f, v] : fields) w.set(f, v.get<std::string>());
            auto st = r.update("customer", cid, w);
            expectOk(st, "customer edit");
            for (const auto& [f, v] : fields) noteWrite(d, "customer", cid, f, v);
        } else if (op < 33) {  // tags
            static const char* tags[] = {"vip", "重点", "new", "老客户"};
            Write w;
            if (chance(55)) w.add("tags", tags[pick(4)]);
            else if (!c["tags"].empty()) w.remove("tags", c["tags"][pick(c["tags"].size())].get<std::string>());
            else w.add("tags", tags[pick(4)]);
            expectOk(r.update("customer", cid, w), "tag edit");
        } else if (op < 36) {
            expectOk(r.archive("customer", cid), "archive");
        } else if (op < 43) {  // a visit, also on archived customers
            Write w;
            w.set("customer", cid).set("rep", "rep" + std::to_string(d)).set("kind", "visit").set("status", "planned");
            json notes = uniqueText("拜访");
            bool withNotes = chance(50);
            if (withNotes) w.set("notes", notes.get<std::string>());
            auto id = r.create("visit", w);
            if (!id) return fail("visit create failed: " + id.error().message);
            m_visitsCreated.insert(*id);
            if (withNotes) noteWrite(d, "visit", *id, "notes", notes);
        } else if (op < 60 && !visits.empty()) {
            const auto& v = visits[pick(visits.size())];
            std::string vid = v["id"];
            int kind = static_cast<int>(pick(4));
            if (kind == 0 && v["checkin_at"].is_null()) {  // write-once check-in, one write
                int u = ++m_unique;
                json at = m_now + u, lat = u + 0.5, lng = u + 0.25;
                Write w;
                w.set("checkin_at", at.get<int64_t>()).set("checkin_lat", lat.get<double>()).set("checkin_lng", lng.get<double>());
                expectOk(r.update("visit", vid, w), "check-in");
                noteWrite(d, "visit", vid, "checkin_at", at);
                noteWrite(d, "visit", vid, "checkin_lat", lat);
                noteWrite(d, "visit", vid, "checkin_lng", lng);
            } else if (kind == 1) {
                std::string stage = v["status"].is_string() ? v["status"].get<std::string>() : "planned";
                if (stage == "completed" || chance(15)) {
                    expectOk(r.update("visit", vid, Write().reopen("status")), "reopen");
                } else {
                    expectOk(r.update("visit", vid, Write().set("status", stage == "planned" ? "checked_in" : "completed")),
                             "stage move");
                }
            } else {
                const char* f = kind == 2 ? "notes" : "outcome";
                json val = uniqueText(kind == 2 ? "备注" : "o");
                expectOk(r.update("visit", vid, Write().set(f, val.get<std::string>())), "visit edit");
                noteWrite(d, "visit", vid, f, val);
            }
        } else if (op < 64) {
            resolveSomething(d);
        } else if (m_mode == Mode::Bundles && op < 70) {
            exchangeBundle(d, static_cast<int>(pick(m_devices.size())));
        } else if (op < 85) {
            push(d, false);
        } else {
            pull(d, false);
        }
    }

    void createCustomer(int d)
    {
        auto& r = *m_devices[static_cast<size_t>(d)]->replica;
        json name = uniqueText("北京昭智教育"), phone = uniqueText("139");
        static const char* levels[] = {"A", "B", "C", "D"};
        auto id = r.create("customer", Write().set("name", name.get<std::string>()).set("phone", phone.get<std::string>())
                                           .set("level", levels[pick(4)]));
        if (!id) return fail("customer create failed: " + id.error().message);
        noteWrite(d, "customer", *id, "name", name);
        noteWrite(d, "customer", *id, "phone", phone);
    }

    void resolveSomething(int d)
    {
        auto& r = *m_devices[static_cast<size_t>(d)]->replica;
        for (const auto& c : r.conflicts(false)) {
            if (c.provisional || c.rule == "once" || !isTracked(c.entity, c.field)) continue;
            json val = uniqueText("resolved");
            expectOk(r.resolveConflict(c.id, crdt::Value(val.get<std::string>())), "resolve");
            noteWrite(d, c.entity, c.row, c.field, val);
            return;
        }
    }

    void exchangeBundle(int from, int to)
    {
        if (from == to) return;
        auto& a = *m_devices[static_cast<size_t>(from)];
        auto& b = *m_devices[static_cast<size_t>(to)];
        // Through the JSON form, as a file would carry it.
        auto text = protocol::toJson(a.replica->exportBundle(), schema::fieldsyncSchema()).dump();
        auto bundle = protocol::bundleFromJson(json::parse(text), schema::fieldsyncSchema());
        if (!bundle) return fail("bundle does not decode: " + bundle.error().message);
        size_t before = b.replica->pendingCount();
        coverage.provisional += b.replica->importBundle(*bundle).provisionalConflicts;
        if (b.replica->pendingCount() != before) return fail("importing a bundle added to the outbox");
        for (const auto& r : bundle->records) learn(to, r);       // the values it carries
        for (int id : a.known) learnWrite(to, id, false);         // and what A had seen before them
    }

    // ------------------------------------------------------------ sync

    void push(int d, bool complete)
    {
        auto& dev = *m_devices[static_cast<size_t>(d)];
        auto batch = dev.replica->pending(complete ? 100000 : 1 + pick(20));
        if (batch.records.empty()) return;
        if (!complete && chance(25) && batch.records.size() > 1)
            batch.records.resize(1 + pick(batch.records.size() - 1));  // delivered in part
        dev.sent.push_back(batch);
        auto res = m_hub->push(dev.replica->deviceId(), batch.after, batch.records);
        if (!res) return fail("push refused: " + res.error().message);
        if (!complete && chance(20)) {  // a duplicate or a late stale batch
            const auto& old = dev.sent[pick(dev.sent.size())];
            auto again = m_hub->push(dev.replica->deviceId(), old.after, old.records);
            if (!again) return fail("replayed push refused: " + again.error().message);
        }
        if (complete || chance(80)) {  // else the acknowledgement is lost
            auto acked = m_hub->ackedFor(dev.replica->deviceId());
            dev.replica->acknowledge(acked, m_hub->head());
        }
    }

    void pull(int d, bool complete)
    {
        auto& dev = *m_devices[static_cast<size_t>(d)];
        for (;;) {
            auto page = m_hub->pull(dev.replica->cursor(), complete ? 1000 : 1 + pick(30));
            size_t before = dev.replica->pendingCount();
            if (!complete && chance(10)) dev.replica->applyRemote(page.records, std::nullopt);  // lost cursor
            coverage.provisional += dev.replica->applyRemote(page.records, page.cursor).provisionalConflicts;
            if (!complete && chance(10)) dev.replica->applyRemote(page.records, page.cursor);  // applied twice
            if (dev.replica->pendingCount() != before) return fail("applying pulled changes added to the outbox");
            for (const auto& r : page.records) learn(d, r);
            if (!page.more || (!complete && chance(30))) return;
        }
    }

    void fullSync()
    {
        for (int round = 0; round < 4; ++round) {
            for (size_t d = 0; d < m_devices.size(); ++d) {
                push(static_cast<int>(d), true);
                pull(static_cast<int>(d), true);
            }
        }
        for (size_t d = 0; d < m_devices.size(); ++d) pull(static_cast<int>(d), true);
    }

    // ------------------------------------------------------------ oracle

    void check()
    {
        const auto& schema = schema::fieldsyncSchema();
        std::string hubDump = m_hub->dump().dump(1);
        for (size_t d = 0; d < m_devices.size(); ++d) {
            auto& r = *m_devices[d]->replica;
            if (r.pendingCount()) return fail("replica " + std::to_string(d) + " still has unsynced changes");
            if (r.dump().dump(1) != hubDump) return fail("replica " + std::to_string(d) + " differs from the hub");
            for (const auto& c : r.conflicts(true))
                if (c.provisional)
                    return fail("replica " + std::to_string(d) + " kept a provisional flag on " + c.entity + "." + c.field);
        }

        // The hub's arrival order, replayed with the oracle's own merge.
        struct Current {
            int write;
            crdt::Clock clock;
        };
        std::map<std::string, Current> current;
        std::set<std::string> expected;  // "entity/row/field" + loser value
        std::set<int> arrived;
        for (uint64_t cursor = 0;;) {
            auto page = m_hub->pull(cursor, 1000);
            for (const auto& r : page.records) {
                const auto& e = schema.entity(r.entity);
                if (r.clock.device == m_hub->deviceId()) continue;  // the hub's own conflict entries
                for (const auto& w : r.writes) {
                    const auto& f = e.fields[static_cast<size_t>(w.field)];
                    if (!isTracked(e.name, f.name)) continue;
                    int id = m_byValue.at(key(e.name, f.name, crdt::toJson(w.value)));
                    arrived.insert(id);
                    const auto& ow = m_writes[static_cast<size_t>(id)];
                    std::string s = slot(e.name, r.id, f.name);
                    auto it = current.find(s);
                    if (it == current.end()) {
                        current[s] = {id, r.clock};
                        continue;
                    }
                    const auto& cw = m_writes[static_cast<size_t>(it->second.write)];
                    bool once = f.rule == crdt::Rule::Once;
                    bool incomingWins = once ? r.clock < it->second.clock : r.clock > it->second.clock;
                    bool concurrent = cw.device != ow.device && !ow.knownAtWrite.count(it->second.write);
                    if (concurrent) expected.insert(s + "=" + (incomingWins ? cw.value : ow.value).dump());
                    if (incomingWins) it->second = {id, r.clock};
                }
            }
            cursor = page.cursor;
            if (!page.more) break;
        }

        // Nothing lost.
        for (size_t id = 0; id < m_writes.size(); ++id) {
            const auto& w = m_writes[id];
            coverage.coalesced += arrived.count(static_cast<int>(id)) ? 0 : 1;
            if (!arrived.count(static_cast<int>(id)) && !w.dropAllowed)
                return fail("write lost: " + w.entity + "." + w.field + "=" + w.value.dump() + " on " + w.row);
        }
        // The merged values are the oracle's winners.
        json state = m_hub->dump();
        for (const auto& [s, cur] : current) {
            const auto& w = m_writes[static_cast<size_t>(cur.write)];
            const auto& v = state[w.entity][w.row][w.field];
            if (v["value"] != w.value || v["clock"] != cur.clock.str())
                return fail("merged value of " + s + " is " + v.dump() + ", the oracle expects " + w.value.dump());
        }
        // The conflict log.
        std::map<std::string, int> actual;
        for (const auto& [id, c] : state["conflict"].items()) {
            std::string s = slot(c["entity"]["value"], c["row"]["value"], c["field"]["value"]);
            ++actual[s + "=" + json::parse(c["loser_value"]["value"].get<std::string>()).dump()];
        }
        for (const auto& [k, count] : actual)
            if (count != 1) return fail("conflict logged " + std::to_string(count) + " times: " + k);
        for (const auto& k : expected)
            if (!actual.count(k)) return fail("concurrently overwritten value missing from the conflict log: " + k);
        if (m_mode == Mode::Hub)
            for (const auto& [k, count] : actual)
                if (!expected.count(k)) return fail("conflict logged for a value its overwriter had seen: " + k);
        // Visits are never lost, whatever happened to their customer.
        for (const auto& v : m_visitsCreated) {
            if (!state["visit"].contains(v)) return fail("visit " + v + " is gone");
            const auto& c = state["customer"][state["visit"][v]["customer"]["value"].get<std::string>()];
            if (c.contains("archived") && c["archived"]["value"] == true) ++coverage.archivedVisits;
        }
        coverage.conflicts = actual.size();
    }
};

int scenarioCount()
{
    const char* longRun = std::getenv("FIELDSYNC_LONG");
    return longRun && std::string(longRun) == "1" ? 10000 : 500;
}

constexpr int kShards = 4;
constexpr uint64_t kBaseSeed = 0x5eed'2026'1122ULL;

struct Param {
    Mode mode;
    int shard;
};

class Convergence : public ::testing::TestWithParam<Param> {};

TEST_P(Convergence, RandomScriptsConvergeAndLoseNothing)
{
    const auto [mode, shard] = GetParam();
    const char* only = std::getenv("FIELDSYNC_SEED");
    const char* onlyMode = std::getenv("FIELDSYNC_MODE");
    if (only) {
        if (shard != 0 || (onlyMode && std::string(onlyMode) != modeName(mode))) return;
        uint64_t seed = std::strtoull(only, nullptr, 0);
        auto err = Scenario(seed, mode).run();
        EXPECT_EQ(err, "") << "FIELDSYNC_SEED=" << seed << " FIELDSYNC_MODE=" << modeName(mode);
        return;
    }
    int total = scenarioCount();
    int ran = 0;
    Coverage sum;
    for (int i = shard; i < total; i += kShards) {
        uint64_t seed = kBaseSeed + static_cast<uint64_t>(i) * 7919 + (mode == Mode::Bundles ? 1'000'003 : 0);
        Scenario scenario(seed, mode);
        auto err = scenario.run();
        ASSERT_EQ(err, "") << "replay: FIELDSYNC_SEED=" << seed << " FIELDSYNC_MODE=" << modeName(mode)
                           << " ./build/tests/property/property_test";
        sum.conflicts += scenario.coverage.conflicts;
        sum.coalesced += scenario.coverage.coalesced;
        sum.provisional += scenario.coverage.provisional;
        sum.archivedVisits += scenario.coverage.archivedVisits;
        ++ran;
    }
    EXPECT_EQ(ran, (total - shard + kShards - 1) / kShards);
    // The scripts must keep producing what the properties are about.
    EXPECT_GT(sum.conflicts, static_cast<size_t>(ran));
    EXPECT_GT(sum.coalesced, static_cast<size_t>(ran / 10));
    EXPECT_GT(sum.provisional, static_cast<size_t>(ran / 10));
    EXPECT_GT(sum.archivedVisits, static_cast<size_t>(ran / 10));
    RecordProperty("conflicts", static_cast<int>(sum.conflicts));
    RecordProperty("coalesced", static_cast<int>(sum.coalesced));
    RecordProperty("provisional", static_cast<int>(sum.provisional));
    RecordProperty("archived_visits", static_cast<int>(sum.archivedVisits));
}

INSTANTIATE_TEST_SUITE_P(Hub, Convergence,
                         ::testing::Values(Param{Mode::Hub, 0}, Param{Mode::Hub, 1}, Param{Mode::Hub, 2},
                                           Param{Mode::Hub, 3}),
                         [](const ::testing::TestParamInfo<Param>& p) { return "shard" + std::to_string(p.param.shard); });
INSTANTIATE_TEST_SUITE_P(Bundles, Convergence,
                         ::testing::Values(Param{Mode::Bundles, 0}, Param{Mode::Bundles, 1}, Param{Mode::Bundles, 2},
                                           Param{Mode::Bundles, 3}),
                         [](const ::testing::TestParamInfo<Param>& p) { return "shard" + std::to_string(p.param.shard); });

} // namespace
} // namespace fieldsync
