// The change log read back for `fieldsync-server audit` (stores/Audit.h):
// who changed a row, when, from which device, with the conflict entries the
// server wrote; every filter and page against the whole log; attribution to
// the device that signed in, whatever a record's clock claims. On SQLite and
// on PostgreSQL, through AuditLog::open as the command opens a store.
#include "ServerTestSupport.h"

#include "stores/Audit.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fieldsync::server::test {
namespace {

// An AuditFilter set field by field (designated initializers that leave
// members out warn under GCC 12's -Wextra).
struct Q {
    AuditFilter f;
    Q& user(std::string v) { f.user = std::move(v); return *this; }
    Q& device(const crdt::DeviceId& v) { f.device = v; return *this; }
    Q& customer(std::string v) { f.customer = std::move(v); return *this; }
    Q& row(std::string v) { f.row = std::move(v); return *this; }
    Q& entity(int v) { f.entity = v; return *this; }
    Q& since(int64_t v) { f.since = v; return *this; }
    Q& until(int64_t v) { f.until = v; return *this; }
    Q& after(uint64_t v) { f.after = v; return *this; }
    Q& before(uint64_t v) { f.before = v; return *this; }
    Q& oldestFirst(bool v) { f.oldestFirst = v; return *this; }
    Q& limit(size_t v) { f.limit = v; return *this; }
    operator const AuditFilter&() const { return f; }
};

class AuditTest : public ServerFixture {
protected:
    // The store the fixture's hub runs on, as --data/--store would name it.
    // (The test PostgreSQL server has no password, so the connection's
    // redacted address is its address.)
    StoreLocation store()
    {
        auto& db = hub->database();
        if (db.dialect() == storage::Dialect::Sqlite)
            return StoreLocation{StoreLocation::Kind::Sqlite, std::filesystem::path(db.path()).parent_path().string(), {}};
        auto s = parseStore(db.path());
        EXPECT_TRUE(s.ok()) << db.path();
        return *s;
    }

    std::unique_ptr<AuditLog> log()
    {
        auto opened = AuditLog::open(store());
        EXPECT_TRUE(opened.ok()) << opened.error().message;
        return opened.ok() ? std::move(*opened) : nullptr;
    }

    std::vector<AuditEntry> audit(const AuditFilter& filter, bool* more = nullptr)
    {
        std::vector<AuditEntry> out;
        bool m = log()->read(filter, [&](const AuditEntry& e) { out.push_back(e); });
        if (more) *more = m;
        return out;
    }
    std::vector<AuditEntry> everything() { return audit(Q().limit(1'000'000)); }

    static std::vector<uint64_t> seqs(const std::vector<AuditEntry>& entries)
    {
        std::vector<uint64_t> out;
        for (const auto& e : entries) out.push_back(e.seq);
        return out;
    }
    // The fields a record writes, by name.
    static std::set<std::string> fieldsOf(const AuditEntry& e)
    {
        std::set<std::string> out;
        const auto& entity = theSchema().entity(e.record.entity);
        for (const auto& w : e.record.writes) out.insert(entity.fields.at(static_cast<size_t>(w.field)).name);
        return out;
    }
    static std::string entityOf(const AuditEntry& e) { return theSchema().entity(e.record.entity).name; }

    // A customer of lina's with two visits, written from her phone at kBaseMs.
    struct Visits {
        std::string customer, visit, other;
    };
    Visits linasVisits(Device& phone)
    {
        Visits v;
        v.customer = create(phone, "customer", Write().set("name", "审计客户 Audit Co"s).set("owner", "lina"s));
        v.visit = create(phone, "visit", Write().set("customer", v.customer).set("rep", "lina"s).set("purpose", "intro"s));
        v.other = create(phone, "visit", Write().set("customer", v.customer).set("rep", "lina"s).set("purpose", "demo"s));
        syncOk(phone);
        return v;
    }
};

// "Who changed this visit, when, from which phone": every change to the row,
// newest first, with the user and device that pushed it and the time the
// server received it; changes to other rows of the same customer are not
// listed.
TEST_F(AuditTest, WhoChangedThisVisitListsEachChangeWithUserDeviceAndTime)
{
    Device& phone = signedIn("lina-phone", "lina");
    const Visits v = linasVisits(phone);

    now += kMinute;
    Device& tablet = signedIn("lina-tablet", "lina");
    syncOk(tablet);
    update(tablet, "visit", v.visit, Write().set("outcome", "ordered samples"s));
    syncOk(tablet);

    now += kMinute;
    Device& pad = signedIn("zhang-pad", "zhang");
    syncOk(pad);
    update(pad, "visit", v.visit, Write().set("notes", "call back in May, 带样品"s));
    syncOk(pad);

    now += kMinute;
    syncOk(phone);
    update(phone, "visit", v.other, Write().set("outcome", "no interest"s));
    syncOk(phone);

    bool more = true;
    const auto entries = audit(Q().row(v.visit), &more);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_FALSE(more);

    EXPECT_EQ(entries[0].user, "zhang");
    EXPECT_EQ(entries[0].device, pad->deviceId());
    EXPECT_EQ(entries[0].receivedAt, kBaseMs + 2 * kMinute);
    EXPECT_EQ(fieldsOf(entries[0]), std::set<std::string>{"notes"});
    EXPECT_EQ(entries[1].user, "lina");
    EXPECT_EQ(entries[1].device, tablet->deviceId());
    EXPECT_EQ(entries[1].receivedAt, kBaseMs + kMinute);
    EXPECT_EQ(fieldsOf(entries[1]), std::set<std::string>{"outcome"});
    EXPECT_EQ(entries[2].user, "lina");
    EXPECT_EQ(entries[2].device, phone->deviceId());
    EXPECT_EQ(entries[2].receivedAt, kBaseMs);
    EXPECT_EQ(fieldsOf(entries[2]), (std::set<std::string>{"customer", "rep", "purpose"}));
    for (const auto& e : entries) {
        EXPECT_EQ(entityOf(e), "visit");
        EXPECT_EQ(e.record.id, v.visit);
        EXPECT_EQ(e.record.seq, e.seq);
        EXPECT_EQ(e.customer, v.customer);
        EXPECT_EQ(e.customerName, "审计客户 Audit Co");
        EXPECT_FALSE(e.byServer);
    }
    EXPECT_GT(entries[0].seq, entries[1].seq);
    EXPECT_GT(entries[1].seq, entries[2].seq);

    auto oldest = audit(Q().row(v.visit).oldestFirst(true));
    std::reverse(oldest.begin(), oldest.end());
    EXPECT_EQ(seqs(oldest), seqs(entries));

    auto log = this->log();
    auto row = log->findRow(v.visit);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(theSchema().entity(row->entity).name, "visit");
    EXPECT_EQ(row->customer, v.customer);
    EXPECT_FALSE(log->findRow("0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70").has_value());
    EXPECT_TRUE(audit(Q().row("0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70")).empty());
    EXPECT_EQ(log->customersNamed("审计客户 Audit Co"), std::vector<std::string>{v.customer});
    EXPECT_TRUE(log->customersNamed("审计客户").empty()) << "names match exactly";
}

// Conflict entries are written by the server itself: under its own device id
// (and the user whose push caused them), listed with the row they are about,
// as is a device's later mark that it resolved one.
TEST_F(AuditTest, ConflictEntriesAreMarkedAsTheServersAndListedWithTheirRow)
{
    Device& phone = signedIn("lina-phone", "lina");
    const Visits v = linasVisits(phone);
    Device& pad = signedIn("zhang-pad", "zhang");
    syncOk(pad);

    now += 10;
    update(phone, "visit", v.visit, Write().set("notes", "lina's note"s));
    now += 10;
    update(pad, "visit", v.visit, Write().set("notes", "zhang's note"s));
    syncOk(phone);
    syncOk(pad);  // had not seen lina's note: a conflict, which zhang's note wins

    auto entries = audit(Q().row(v.visit));
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entityOf(entries[0]), "conflict");
    EXPECT_TRUE(entries[0].byServer);
    EXPECT_EQ(entries[0].device, hub->deviceId());
    EXPECT_EQ(log()->serverDevice(), hub->deviceId());
    EXPECT_EQ(entries[0].user, "zhang") << "the push that caused it";
    EXPECT_EQ(entries[0].customer, v.customer);
    EXPECT_EQ(entries[1].device, pad->deviceId());
    EXPECT_FALSE(entries[1].byServer);
    EXPECT_EQ(entries[2].device, phone->deviceId());
    EXPECT_EQ(fieldsOf(entries[3]), (std::set<std::string>{"customer", "rep", "purpose"}));
    const std::string conflictId = entries[0].record.id;

    // lina resolves it on her phone: a device's change to the conflict entry.
    syncOk(phone);
    now += 10;
    ASSERT_TRUE(phone->resolveConflict(conflictId, std::nullopt).ok());
    syncOk(phone);
    entries = audit(Q().row(v.visit));
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[0].record.id, conflictId);
    EXPECT_EQ(fieldsOf(entries[0]), std::set<std::string>{"resolved"});
    EXPECT_FALSE(entries[0].byServer) << "written by lina's phone";
    EXPECT_EQ(entries[0].device, phone->deviceId());

    const auto conflicts = audit(Q().entity(theSchema().entity("conflict")->code));
    ASSERT_EQ(conflicts.size(), 2u);
    EXPECT_EQ(conflicts[0].record.id, conflictId);
    EXPECT_EQ(conflicts[1].record.id, conflictId);
    EXPECT_EQ(audit(Q().row(conflictId)).size(), 2u) << "a conflict entry's own row";
    EXPECT_TRUE(audit(Q().row(v.other)).size() == 1u) << "the other visit has its creation only";
}

// Every filter, alone and combined, returns exactly the entries of the
// whole log that match it, in order; pages of --before / --after cover the
// log once, and `more` is false only on the last.
TEST_F(AuditTest, FiltersAndPagesAgreeWithTheWholeLog)
{
    Device& phone = signedIn("lina-phone", "lina");
    Device& tablet = signedIn("lina-tablet", "lina");
    Device& wang = signedIn("wang-phone", "wang");
    Device& zhang = signedIn("zhang-pad", "zhang");
    const Visits v = linasVisits(phone);
    for (int round = 0; round < 4; ++round) {
        now += kMinute;
        syncOk(tablet);
        update(tablet, "visit", v.other, Write().set("outcome", "round " + std::to_string(round)));
        syncOk(tablet);
        const std::string w = create(wang, "customer", Write().set("name", "Wang " + std::to_string(round)).set("owner", "wang"s));
        create(wang, "visit", Write().set("customer", w).set("rep", "wang"s));
        syncOk(wang);
        ASSERT_TRUE(zhang->put("team_config", schema::teamConfigRowId("north"),
                               Write().set("team", "north"s).set("cadence_a", int64_t{7 + round}))
                        .ok());
        syncOk(zhang);
    }
    const auto all = everything();
    ASSERT_EQ(all.size(), 3u + 4 * 4);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.seq > b.seq; }));
    for (const auto& e : all) EXPECT_EQ(e.record.clock.device, e.device) << "pushed by the device that stamped it";

    auto expect = [&](const char* what, const AuditFilter& f, const std::function<bool(const AuditEntry&)>& keep) {
        SCOPED_TRACE(what);
        std::vector<uint64_t> want;
        for (const auto& e : all)
            if (keep(e)) want.push_back(e.seq);
        ASSERT_FALSE(want.empty()) << "a filter that matches nothing proves little";
        ASSERT_LT(want.size(), all.size()) << "a filter that keeps everything proves little";
        EXPECT_EQ(seqs(audit(f)), want);
    };
    const int visit = theSchema().entity("visit")->code;
    const int64_t since = kBaseMs + 2 * kMinute, until = kBaseMs + 4 * kMinute;
    expect("user", Q().user("wang"s), [](const auto& e) { return e.user == "wang"; });
    expect("device", Q().device(tablet->deviceId()), [&](const auto& e) { return e.device == tablet->deviceId(); });
    expect("customer", Q().customer(v.customer), [&](const auto& e) { return e.customer == v.customer; });
    expect("entity", Q().entity(visit), [&](const auto& e) { return e.record.entity == visit; });
    expect("since and until", Q().since(since).until(until),
           [&](const auto& e) { return e.receivedAt >= since && e.receivedAt < until; });
    expect("user, entity and since", Q().user("wang"s).entity(visit).since(since),
           [&](const auto& e) { return e.user == "wang" && e.record.entity == visit && e.receivedAt >= since; });
    expect("a row of no customer", Q().row(schema::teamConfigRowId("north")),
           [](const auto& e) { return e.record.id == schema::teamConfigRowId("north"); });
    EXPECT_TRUE(audit(Q().user("lina"s).customer(v.customer).entity(theSchema().entity("task")->code)).empty());
    EXPECT_TRUE(audit(Q().customer(v.customer).row(schema::teamConfigRowId("north"))).empty())
        << "a row outside the customer";

    // Pages of 5, both ways.
    for (bool oldestFirst : {false, true}) {
        SCOPED_TRACE(oldestFirst ? "oldest first" : "newest first");
        std::vector<uint64_t> paged;
        AuditFilter page = Q().oldestFirst(oldestFirst).limit(5);
        for (int guard = 0; guard < 10; ++guard) {
            bool more = false;
            auto got = audit(page, &more);
            ASSERT_FALSE(got.empty());
            EXPECT_LE(got.size(), 5u);
            for (const auto& e : got) paged.push_back(e.seq);
            if (!more) break;
            EXPECT_EQ(got.size(), 5u) << "a page short of the limit is the last";
            (oldestFirst ? page.after : page.before) = got.back().seq;
        }
        auto want = seqs(all);
        if (oldestFirst) std::reverse(want.begin(), want.end());
        EXPECT_EQ(paged, want);
    }
    // Both bounds at once: the positions strictly between.
    const auto between = audit(Q().after(all[10].seq).before(all[3].seq));
    const auto allSeqs = seqs(all);
    EXPECT_EQ(seqs(between), std::vector<uint64_t>(allSeqs.begin() + 4, allSeqs.begin() + 10));
}

// The log is read in chunks of 500 rows: a limit above a chunk returns
// exactly that many, in order; a row whose customer has many other rows is
// found across chunks of them.
TEST_F(AuditTest, ReadsAcrossChunksReturnExactlyTheLimit)
{
    Device& phone = signedIn("lina-phone", "lina");
    Device& wang = signedIn("wang-phone", "wang");
    const Visits v = linasVisits(phone);
    const std::string wangs = create(wang, "customer", Write().set("name", "Wang Co"s).set("owner", "wang"s));
    for (int i = 0; i < 620; ++i) {
        create(phone, "visit", Write().set("customer", v.customer).set("rep", "lina"s).set("purpose", "visit " + std::to_string(i)));
        create(wang, "visit", Write().set("customer", wangs).set("rep", "wang"s));
    }
    now += kMinute;
    update(phone, "visit", v.visit, Write().set("outcome", "last word"s));
    // Alternate the two devices' pushes so their entries interleave.
    for (int guard = 0; guard < 100 && (phone->pendingCount() || wang->pendingCount()); ++guard) {
        SyncOutcome out;
        if (phone->pendingCount()) exchange(phone, out);
        if (wang->pendingCount()) exchange(wang, out);
    }
    ASSERT_EQ(phone->pendingCount() + wang->pendingCount(), 0u);

    bool more = false;
    const auto lina = audit(Q().user("lina"s).limit(600), &more);
    ASSERT_EQ(lina.size(), 600u);
    EXPECT_TRUE(more) << "624 of lina's changes match";
    EXPECT_TRUE(std::all_of(lina.begin(), lina.end(), [](const auto& e) { return e.user == "lina"; }));
    EXPECT_TRUE(std::is_sorted(lina.begin(), lina.end(), [](const auto& a, const auto& b) { return a.seq > b.seq; }));
    const auto rest = audit(Q().user("lina"s).before(lina.back().seq).limit(600), &more);
    EXPECT_EQ(rest.size(), 24u);
    EXPECT_FALSE(more);

    const auto row = audit(Q().row(v.visit));
    ASSERT_EQ(row.size(), 2u) << "its creation and its update, 620 other visits of the customer apart";
    EXPECT_EQ(fieldsOf(row[0]), std::set<std::string>{"outcome"});
    EXPECT_EQ(fieldsOf(row[1]), (std::set<std::string>{"customer", "rep", "purpose"}));
}

// Attack: a rep's device stamps its change with another device's id (the
// manager's) in the record's clock, to have the audit blame that device. The
// hub refuses a change not stamped by the device that pushed it, so every
// entry's device is both the signed-in device and its record's clock; the
// manager's device has no entry.
TEST_F(AuditTest, AChangeStampedAsAnotherDeviceIsNeverAttributedToIt)
{
    Device& phone = signedIn("lina-phone", "lina");
    Device& pad = signedIn("zhang-pad", "zhang");
    create(phone, "customer", Write().set("name", "Honest Co"s).set("owner", "lina"s));
    syncOk(phone);
    const std::string id = "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70";
    char hlc[17];
    std::snprintf(hlc, sizeof hlc, "%016llx", static_cast<unsigned long long>(crdt::hlcFromMillis(now + 1)));
    const json forged = {{"entity", "customer"},
                         {"id", id},
                         {"clock", std::string(hlc) + "@" + pad.hex()},
                         {"seen", 0},
                         {"set", {{"name", "Blame Zhang Co"}, {"owner", "lina"}}}};
    const json body = {{"schema", schema::kSchemaVersion},
                       {"device", phone.hex()},
                       {"push", {{"after", std::to_string(hub->ackedFor(phone->deviceId()))}, {"changes", json::array({forged})}}}};
    const HttpResponse r = post("/v1/sync", body, phone.token);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_THAT(bodyOf(r).value("message", ""), HasSubstr("is stamped by another device"));

    EXPECT_TRUE(audit(Q().device(pad->deviceId())).empty()) << "nothing is attributed to the manager's device";
    EXPECT_FALSE(log()->findRow(id).has_value());
    const auto all = everything();
    ASSERT_EQ(all.size(), 1u);
    for (const auto& e : all) {
        EXPECT_EQ(e.device, phone->deviceId());
        EXPECT_EQ(e.record.clock.device, e.device);
    }
}

// The audit opens what exists and nothing else: no hub file, no hub.
TEST_F(AuditTest, OpeningAStoreWithoutAHubCreatesNothing)
{
    if (onPostgres()) {
        // An empty database of the test server: no hub_log table.
        const std::string url = fieldsync::test::PgCluster::shared().createDatabase();
        auto opened = AuditLog::open(*parseStore(url));
        ASSERT_FALSE(opened.ok());
        EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
        EXPECT_THAT(opened.error().message, HasSubstr("holds no fieldsync hub"));
        storage::pg::PgConnection check(url);
        EXPECT_FALSE(check.hasTable("hub_log")) << "nothing was created";
        storage::pg::PgConnection admin(fieldsync::test::PgCluster::shared().url("postgres"));
        admin.exec("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) + " WITH (FORCE)");
        return;
    }
    const std::string dir = file("no-such-directory");
    auto opened = AuditLog::open(StoreLocation{StoreLocation::Kind::Sqlite, dir, {}});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
    EXPECT_THAT(opened.error().message, HasSubstr("no hub.db in " + dir));
    EXPECT_FALSE(std::filesystem::exists(dir));
}

} // namespace
} // namespace fieldsync::server::test
