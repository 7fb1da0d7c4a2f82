// Scopes through the API (docs/api.md "Scopes"): who pulls what, who may write
// what, what a refused change looks like on the device afterwards, customers
// moving between reps (backfill on entry, evict on exit, edits made while the
// rep still owned the customer), and who is poked.
#include "ServerTestSupport.h"

#include "api/Scope.h"
#include "replica/Ids.h"

namespace fieldsync::server::test {
namespace {

using Users = std::vector<std::string>;

class ScopeTest : public SignedInFixture {
protected:
    // A customer owned by `owner` (or the pool) and a visit to it, synced.
    struct Owned {
        std::string customer, visit;
    };
    Owned customerWithVisit(Device& d, const std::optional<std::string>& owner, const std::string& name)
    {
        Write w = Write().set("name", name).set("phone", "021-0000"s);
        if (owner) w.set("owner", *owner);
        Owned o;
        o.customer = create(d, "customer", w);
        now += 1;
        o.visit = create(d, "visit", Write().set("customer", o.customer).set("rep", d.user).set("purpose", "intro"s));
        now += 1;
        SyncOutcome s = syncOk(d);
        EXPECT_EQ(s.accepted, 2u);
        return o;
    }

    // A raw change stamped by the device, bypassing its replica's own checks.
    json rawChange(Device& d, const std::string& entity, const std::string& id, const json& set, int64_t atMs)
    {
        json c = {{"entity", entity},
                  {"id", id},
                  {"clock", crdt::Clock{crdt::hlcFromMillis(atMs), d->deviceId()}.str()},
                  {"seen", d->cursor()},
                  {"set", set}};
        return c;
    }

    json rejectedEntry(Device& d, crdt::Hlc hlc, const std::string& entity, const std::string& id,
                       const std::string& reason, const std::string& message)
    {
        return {{"clock", crdt::Clock{hlc, d->deviceId()}.str()},
                {"entity", entity},
                {"id", id},
                {"error", "permission_denied"},
                {"reason", reason},
                {"message", message}};
    }

    static crdt::Hlc lastPendingClock(Device& d) { return d->pending().records.back().clock.hlc; }

    // The fields of a raw photo change of `customer` on `visit`.
    static json rawPhoto(const std::string& customer, const std::string& visit)
    {
        return {{"customer", customer}, {"visit", visit}, {"sha256", std::string(64, 'b')}, {"size", 1000},
                {"media_type", "image/jpeg"}};
    }

    // A photo row of `customer` on `visit`, its hash 64 times `digit`.
    static Write photoOf(const std::string& customer, const std::string& visit, char digit)
    {
        return Write()
            .set("customer", customer)
            .set("visit", visit)
            .set("sha256", std::string(64, digit))
            .set("size", int64_t{120'000})
            .set("media_type", "image/jpeg"s)
            .set("width", int64_t{2048})
            .set("height", int64_t{1536})
            .set("thumbnail", "/9j/4AAQSkZJRg=="s);
    }

    // Pushes one raw change; returns the response body (a refusal: 403).
    json pushRaw(Device& d, const json& change)
    {
        json body = {{"schema", schema::kSchemaVersion},
                     {"device", d.hex()},
                     {"push", {{"after", std::to_string(d->acked())}, {"changes", json::array({change})}}}};
        HttpResponse r = post("/v1/sync", body, d.token);
        EXPECT_EQ(r.status, 403) << r.body;
        return bodyOf(r);
    }

};

TEST_F(ScopeTest, RepsSeeTheirOwnManagersTheirTeamAdminsEverything)
{
    Owned l = customerWithVisit(*lina, "lina"s, "Lina Co");
    Owned z = customerWithVisit(*zhou, "zhou"s, "Zhou Co");
    ASSERT_EQ(hub->head(), 4u);

    SyncOutcome w = syncOk(*wang);
    EXPECT_EQ(w.pulled, 0u) << "wang (same team) sees nothing of lina's";
    EXPECT_TRUE(ids(*wang, "customer").empty());
    EXPECT_TRUE(ids(*wang, "visit").empty());
    EXPECT_EQ((*wang)->cursor(), 4u) << "the cursor passes what wang may not see";

    SyncOutcome m = syncOk(*zhang);
    EXPECT_EQ(m.pulled, 2u);
    EXPECT_EQ(ids(*zhang, "customer"), std::set<std::string>{l.customer});
    EXPECT_EQ(ids(*zhang, "visit"), std::set<std::string>{l.visit});
    EXPECT_EQ(field(*zhang, "customer", l.customer, "name"), "Lina Co");
    EXPECT_EQ(field(*zhang, "customer", l.customer, "owner"), "lina");
    EXPECT_EQ(field(*zhang, "visit", l.visit, "customer"), l.customer);

    SyncOutcome s = syncOk(*zhou);
    EXPECT_EQ(ids(*zhou, "customer"), std::set<std::string>{z.customer}) << "zhou (south) sees only his own";
    EXPECT_EQ(ids(*zhou, "visit"), std::set<std::string>{z.visit});

    SyncOutcome a = syncOk(*admin);
    EXPECT_EQ(a.pulled, 4u);
    EXPECT_EQ(ids(*admin, "customer"), (std::set<std::string>{l.customer, z.customer}));
    EXPECT_EQ(ids(*admin, "visit"), (std::set<std::string>{l.visit, z.visit}));

    syncOk(*lina);
    EXPECT_EQ(ids(*lina, "customer"), std::set<std::string>{l.customer});
    EXPECT_EQ(ids(*lina, "visit"), std::set<std::string>{l.visit});
}

TEST_F(ScopeTest, ScopedPullsPageThroughWhatTheUserMaySee)
{
    customerWithVisit(*lina, "lina"s, "L1");
    customerWithVisit(*lina, "lina"s, "L2");
    customerWithVisit(*lina, "lina"s, "L3");
    customerWithVisit(*zhou, "zhou"s, "Z1");
    ASSERT_EQ(hub->head(), 8u);

    SyncOutcome m = sync(*zhang, 2);
    EXPECT_EQ(m.statuses, (std::vector<int>{200, 200, 200, 200})) << "pages (0,2] (2,4] (4,6] and (6,8]";
    EXPECT_EQ(m.pulled, 6u);
    EXPECT_EQ((*zhang)->cursor(), 8u);
    EXPECT_EQ(ids(*zhang, "customer").size(), 3u);

    SyncOutcome w = sync(*wang, 2);
    EXPECT_EQ(w.statuses, std::vector<int>{200}) << "one page scans past everything wang may not see";
    EXPECT_EQ(w.pulled, 0u);
    EXPECT_EQ((*wang)->cursor(), 8u);
}

TEST_F(ScopeTest, PoolCustomersAreSeenByRepsAndTheFirstClaimWins)
{
    const std::string pool = create(*zhang, "customer", Write().set("name", "Pool Co"s));
    syncOk(*zhang);
    ASSERT_EQ(pokes.calls.size(), 1u);
    EXPECT_EQ(pokes.calls.back().users, (Users{"admin", "lina", "wang", "zhang"}))
        << "a customer the manager made without a team is in the pool of his team (north): news for north and the "
           "admin, not for zhou of south";
    EXPECT_EQ(hubField("customer", pool, "team"), "north") << "the server gave it its creator's team";
    syncOk(*lina);
    syncOk(*wang);
    ASSERT_TRUE(has(*lina, "customer", pool));
    ASSERT_TRUE(has(*wang, "customer", pool));
    EXPECT_EQ(field(*wang, "customer", pool, "owner"), nullptr);

    // Both claim it offline; lina first, and she reaches the server first.
    now += 10;
    update(*lina, "customer", pool, Write().set("owner", "lina"s));
    now += 10;
    update(*wang, "customer", pool, Write().set("owner", "wang"s));
    now += 1;
    update(*wang, "customer", pool, Write().set("phone", "wang's number"s));
    now += 1;
    const std::string own = create(*wang, "customer", Write().set("name", "Wang Co"s).set("owner", "wang"s));
    const auto wangPending = (*wang)->pending().records;
    ASSERT_EQ(wangPending.size(), 3u);

    SyncOutcome l = syncOk(*lina);
    EXPECT_EQ(l.accepted, 1u);
    EXPECT_EQ(hubField("customer", pool, "owner"), "lina");

    // Wang's batch: both writes to the customer lina now owns are refused,
    // his own new customer is accepted.
    SyncOutcome w;
    HttpResponse r = exchange(*wang, w);
    ASSERT_EQ(r.status, 403) << r.body;
    json b = bodyOf(r);
    EXPECT_EQ(b["error"], "permission_denied");
    EXPECT_EQ(b["retry"], "never");
    EXPECT_EQ(b["message"], "refused: customer " + pool + ": claim lost: it is already owned by lina (and 1 more)");
    EXPECT_EQ(b["push"]["accepted"], 1);
    EXPECT_EQ(b["push"]["duplicates"], 0);
    EXPECT_EQ(b["push"]["acked"], std::to_string(wangPending[2].clock.hlc)) << "the refused ones are held too";
    EXPECT_EQ(b["push"]["rejected"],
              json::array({rejectedEntry(*wang, wangPending[0].clock.hlc, "customer", pool, "claim_lost",
                                         "customer " + pool + ": claim lost: it is already owned by lina"),
                           rejectedEntry(*wang, wangPending[1].clock.hlc, "customer", pool, "not_in_scope",
                                         "customer " + pool + ": the customer is owned by someone else")}));
    ASSERT_TRUE(b.contains("restore"));
    EXPECT_EQ(b["restore"], json::array()) << "wang may no longer see lina's customer: nothing of it is sent";
    EXPECT_FALSE(b.contains("pull"));

    EXPECT_EQ(hubField("customer", pool, "owner"), "lina");
    EXPECT_EQ(hubField("customer", pool, "phone"), nullptr);
    EXPECT_EQ(hubField("customer", own, "name"), "Wang Co") << "the good change of the batch landed";
    EXPECT_EQ(hubField("customer", own, "owner"), "wang");

    // On wang's device: the outbox is empty, the refused changes are listed,
    // and his claim is gone from the customer.
    EXPECT_EQ((*wang)->pendingCount(), 0u);
    auto rejected = (*wang)->rejected();
    ASSERT_EQ(rejected.size(), 2u);
    EXPECT_EQ(rejected[0].id, pool);
    EXPECT_EQ(rejected[0].code, "permission_denied");
    EXPECT_EQ(rejected[0].message, "customer " + pool + ": claim lost: it is already owned by lina");
    EXPECT_EQ(rejected[0].reason, "claim_lost") << "kept on the device, for the app to say in the user's language";
    EXPECT_EQ(rejected[0].record["set"], json({{"owner", "wang"}}));
    EXPECT_EQ(rejected[1].record["set"], json({{"phone", "wang's number"}}));
    EXPECT_NE(field(*wang, "customer", pool, "owner"), "wang");
    EXPECT_NE(field(*wang, "customer", pool, "phone"), "wang's number");

    // The next pull takes the customer off wang's device: it left his scope.
    SyncOutcome next = syncOk(*wang);
    EXPECT_EQ(next.evicted, std::vector<std::string>{pool});
    EXPECT_FALSE(has(*wang, "customer", pool));
    EXPECT_TRUE(has(*wang, "customer", own));
    EXPECT_EQ((*wang)->pendingCount(), 0u);
    EXPECT_EQ((*wang)->rejected().size(), 2u);

    syncOk(*lina);
    EXPECT_EQ(field(*lina, "customer", pool, "owner"), "lina");
    EXPECT_EQ(field(*lina, "customer", pool, "phone"), nullptr);
    EXPECT_FALSE(has(*lina, "customer", own));
}

TEST_F(ScopeTest, AnEarlierClaimThatReachesTheServerSecondIsLostNotSilentlyOutranked)
{
    const std::string pool = create(*zhang, "customer", Write().set("name", "Pool Co"s));
    syncOk(*zhang);
    syncOk(*lina);
    syncOk(*wang);

    // Wang claims first, offline; lina claims later but syncs first. Her
    // later clock would win the owner field anyway: accepting wang's claim
    // would lose it without a word.
    now += 10;
    update(*wang, "customer", pool, Write().set("owner", "wang"s));
    now += 10;
    update(*lina, "customer", pool, Write().set("owner", "lina"s));
    syncOk(*lina);
    const HubState before = hubState();

    SyncOutcome w = sync(*wang);
    ASSERT_EQ(w.rejected.size(), 1u);
    EXPECT_EQ(w.rejected[0]["error"], "permission_denied");
    EXPECT_EQ(w.rejected[0]["message"], "customer " + pool + ": claim lost: it is already owned by lina");
    EXPECT_EQ(hub->head(), before.head) << "nothing of the lost claim was logged";
    EXPECT_EQ(hubField("customer", pool, "owner"), "lina");
    auto rejected = (*wang)->rejected();
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_EQ(rejected[0].record["set"], json({{"owner", "wang"}}));
    EXPECT_FALSE(has(*wang, "customer", pool)) << "evicted: it left wang's scope";

    // A claim of a customer still in the pool goes through.
    const std::string second = create(*zhang, "customer", Write().set("name", "Second Co"s));
    syncOk(*zhang);
    syncOk(*wang);
    update(*wang, "customer", second, Write().set("owner", "wang"s));
    SyncOutcome ok = syncOk(*wang);
    EXPECT_EQ(ok.accepted, 1u);
    EXPECT_EQ(hubField("customer", second, "owner"), "wang");
}

TEST_F(ScopeTest, ARefusedWriteIsReplacedByTheServersValue)
{
    const std::string pool = create(*zhang, "customer", Write().set("name", "Pool Co"s).set("phone", "111"s));
    syncOk(*zhang);
    syncOk(*wang);
    now += 10;
    update(*wang, "customer", pool, Write().set("phone", "999"s));  // without claiming it first
    now += 1;
    const std::string own = create(*wang, "customer", Write().set("name", "Wang Co"s).set("owner", "wang"s));
    const HubState before = hubState();

    SyncOutcome w = sync(*wang);
    EXPECT_EQ(w.statuses, (std::vector<int>{403, 200}));
    ASSERT_EQ(w.rejected.size(), 1u);
    EXPECT_EQ(w.rejected[0]["message"], "customer " + pool + ": the customer is in the public pool: claim it first");
    ASSERT_FALSE(w.restore.empty()) << "wang may see the pool customer: its state comes back";
    bool restoresPhone = false;
    for (const auto& rec : w.restore)
        restoresPhone = restoresPhone || (rec["id"] == pool && rec.contains("set") && rec["set"].value("phone", "") == "111");
    EXPECT_TRUE(restoresPhone) << json(w.restore).dump();

    EXPECT_EQ(field(*wang, "customer", pool, "phone"), "111") << "the device shows what everybody else sees";
    EXPECT_EQ(field(*wang, "customer", pool, "name"), "Pool Co");
    EXPECT_EQ((*wang)->pendingCount(), 0u);
    ASSERT_EQ((*wang)->rejected().size(), 1u);
    EXPECT_EQ((*wang)->rejected()[0].record["set"]["phone"], "999");
    EXPECT_EQ(hubField("customer", pool, "phone"), "111");
    EXPECT_EQ(hub->head(), before.head + 1) << "only wang's own customer was added";
    EXPECT_EQ(hubField("customer", own, "owner"), "wang");
    EXPECT_EQ(w.accepted, 1u);
}

TEST_F(ScopeTest, RolesDecideWhoMayCreateAndReassign)
{
    // A rep creates customers for themselves or the pool, not for another rep.
    const std::string forWang = create(*lina, "customer", Write().set("name", "For Wang"s).set("owner", "wang"s));
    now += 1;
    const std::string forPool = create(*lina, "customer", Write().set("name", "For Pool"s));
    SyncOutcome l = sync(*lina);
    EXPECT_EQ(l.statuses, (std::vector<int>{403, 200}));
    ASSERT_EQ(l.rejected.size(), 1u);
    EXPECT_EQ(l.rejected[0]["message"],
              "customer " + forWang + ": a rep creates customers for themselves or the public pool");
    EXPECT_EQ(l.restore, std::vector<json>{}) << "the server holds nothing of a refused new row";
    EXPECT_NE(field(*lina, "customer", forWang, "owner"), "wang");
    EXPECT_TRUE(has(*lina, "customer", forPool));
    EXPECT_EQ(hubIds("customer"), std::set<std::string>{forPool});

    // A manager creates customers for their team, not for another team.
    now += 1;
    const std::string forZhou = create(*zhang, "customer", Write().set("name", "For Zhou"s).set("owner", "zhou"s));
    SyncOutcome m = sync(*zhang);
    EXPECT_EQ(m.statuses, (std::vector<int>{403, 200}));
    ASSERT_EQ(m.rejected.size(), 1u);
    EXPECT_EQ(m.rejected[0]["message"], "customer " + forZhou + ": a new customer's owner must be in your team");

    // ... and moves them within the team, not out of it.
    Owned mine = customerWithVisit(*lina, "lina"s, "Lina Co");
    syncOk(*zhang);
    now += 1;
    update(*zhang, "customer", mine.customer, Write().set("owner", "zhou"s));
    m = sync(*zhang);
    EXPECT_EQ(m.statuses, (std::vector<int>{403, 200}));
    ASSERT_EQ(m.rejected.size(), 1u);
    EXPECT_EQ(m.rejected[0]["message"],
              "customer " + mine.customer + ": customers can only go to members of your team");
    EXPECT_EQ(field(*zhang, "customer", mine.customer, "owner"), "lina") << "restored";
    EXPECT_EQ(hubField("customer", mine.customer, "owner"), "lina");

    // A manager cannot touch another team's customer.
    Owned south = customerWithVisit(*zhou, "zhou"s, "Zhou Co");
    now += 1;
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", zhang->hex()},
                 {"push",
                  {{"after", std::to_string((*zhang)->acked())},
                   {"changes", json::array({rawChange(*zhang, "customer", south.customer, {{"phone", "x"}}, now)})}}}};
    HttpResponse r = post("/v1/sync", body, zhang->token);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(bodyOf(r)["message"], "refused: customer " + south.customer + ": the customer is owned by someone else");
    EXPECT_EQ(bodyOf(r)["restore"], json::array()) << "nothing of another team's customer leaks";
    EXPECT_EQ(hubField("customer", south.customer, "phone"), "021-0000");
}

// A new row the server refused to create: after reject() (the server has no
// state of it to restore) the device must not keep it.
TEST_F(ScopeTest, ARefusedNewRowIsRemovedFromTheDevice)
{
    const std::string forWang = create(*lina, "customer", Write().set("name", "For Wang"s).set("owner", "wang"s));
    SyncOutcome l = sync(*lina);
    EXPECT_EQ(l.statuses, (std::vector<int>{403, 200}));
    ASSERT_EQ(l.rejected.size(), 1u);
    EXPECT_TRUE(l.restore.empty());
    EXPECT_EQ((*lina)->pendingCount(), 0u);
    ASSERT_EQ((*lina)->rejected().size(), 1u);
    EXPECT_EQ((*lina)->rejected()[0].record["set"], json({{"name", "For Wang"}, {"owner", "wang"}}));
    EXPECT_TRUE(hubIds("customer").empty());

    auto row = (*lina)->get("customer", forWang);
    EXPECT_FALSE(row.ok()) << "the refused customer stays on the device as an empty row: "
                           << (row.ok() ? row->dump() : std::string());
    EXPECT_EQ((*lina)->list("customer").size(), 0u);
}

TEST_F(ScopeTest, ARepCannotWriteForAnotherTeamsCustomer)
{
    Owned south = customerWithVisit(*zhou, "zhou"s, "Zhou Co");
    syncOk(*lina);
    ASSERT_FALSE(has(*lina, "customer", south.customer));

    // Her own replica will not even write it: it does not know the customer.
    auto local = (*lina)->create("visit", Write().set("customer", south.customer));
    ASSERT_FALSE(local.ok());
    EXPECT_EQ(local.error().code, ErrorCode::NotFound);

    // A client that sends it anyway is refused, naming the row.
    const std::string visit = replica::newRowId(now);
    const std::string ghostVisit = replica::newRowId(now + 1);
    const std::string unknownCustomer = replica::newRowId(now + 2);
    const HubState before = hubState();
    const size_t pokesBefore = pokes.calls.size();
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", lina->hex()},
                 {"push",
                  {{"after", std::to_string((*lina)->acked())},
                   {"changes",
                    json::array({rawChange(*lina, "visit", visit, {{"customer", south.customer}, {"rep", "lina"}}, now),
                                 rawChange(*lina, "visit", ghostVisit, {{"customer", unknownCustomer}}, now + 1)})}}}};
    HttpResponse r = post("/v1/sync", body, lina->token);
    ASSERT_EQ(r.status, 403) << r.body;
    json b = bodyOf(r);
    EXPECT_EQ(b["message"], "refused: visit " + visit + ": its customer " + south.customer + " is not yours (and 1 more)");
    ASSERT_EQ(b["push"]["rejected"].size(), 2u);
    EXPECT_EQ(b["push"]["rejected"][0]["id"], visit);
    EXPECT_EQ(b["push"]["rejected"][0]["entity"], "visit");
    EXPECT_EQ(b["push"]["rejected"][1]["message"],
              "visit " + ghostVisit + ": its customer " + unknownCustomer + " is unknown to the server");
    EXPECT_EQ(b["push"]["accepted"], 0);
    EXPECT_EQ(b["restore"], json::array());
    expectHubUnchanged(before, "visits for another team's customer");
    EXPECT_EQ(pokes.calls.size(), pokesBefore) << "nothing accepted: nobody poked";
    syncOk(*zhou);
    EXPECT_EQ(ids(*zhou, "visit"), std::set<std::string>{south.visit});
}

// A completed visit is never deleted: a rep's device refuses to void one
// (domain::voidVisit); a client that pushes the void anyway is refused by the
// server, while the rep's other edits of the visit land. Her manager voids it
// with a reason, and the row stays.
TEST_F(ScopeTest, OnlyManagersVoidVisits)
{
    Owned l = customerWithVisit(*lina, "lina"s, "Lina Co");
    now += 10;
    update(*lina, "visit", l.visit, Write().set("checkin_at", now).set("status", "checked_in"s));
    syncOk(*lina);
    syncOk(*zhang);
    now += 10;
    update(*lina, "visit", l.visit, Write().set("voided", true).set("void_reason", "录错了"s));
    SyncOutcome refused = sync(*lina);
    EXPECT_EQ(refused.statuses.front(), 403);
    ASSERT_EQ(refused.rejected.size(), 1u);
    EXPECT_EQ(refused.rejected[0]["message"], "visit " + l.visit + ": only a manager can void a visit");
    EXPECT_EQ(hubField("visit", l.visit, "voided"), nullptr);
    EXPECT_EQ(field(*lina, "visit", l.visit, "voided"), nullptr) << "the device shows the server's state again";

    now += 10;
    update(*lina, "visit", l.visit, Write().set("outcome", "signed"s));
    SyncOutcome edit = syncOk(*lina);
    EXPECT_EQ(edit.accepted, 1u);

    now += 10;
    syncOk(*zhang);
    update(*zhang, "visit", l.visit, Write().set("voided", true).set("void_reason", "重复录入"s));
    SyncOutcome voided = syncOk(*zhang);
    EXPECT_EQ(voided.accepted, 1u);
    EXPECT_EQ(hubField("visit", l.visit, "voided"), true);
    EXPECT_EQ(hubField("visit", l.visit, "void_reason"), "重复录入");
    EXPECT_EQ(hubField("visit", l.visit, "outcome"), "signed");
    syncOk(*lina);
    EXPECT_EQ(field(*lina, "visit", l.visit, "voided"), true);
}

// A plan is not yet evidence of anything: its rep calls it off
// (domain::cancelPlannedVisit writes voided). The server judges that on the
// visit it holds: once checked in there — here by her manager's device,
// which her phone has not heard of — the same write is refused.
TEST_F(ScopeTest, ARepCancelsAPlannedVisitButNotOneTheServerHoldsCheckedIn)
{
    Owned plan = customerWithVisit(*lina, "lina"s, "Lina Co");
    now += 10;
    update(*lina, "visit", plan.visit, Write().set("voided", true));
    SyncOutcome cancelled = syncOk(*lina);
    EXPECT_EQ(cancelled.accepted, 1u);
    EXPECT_EQ(hubField("visit", plan.visit, "voided"), true);

    now += 10;
    const std::string visit = create(*lina, "visit", Write().set("customer", plan.customer).set("rep", "lina"s));
    syncOk(*lina);
    syncOk(*zhang);
    now += 10;
    update(*zhang, "visit", visit, Write().set("checkin_at", now).set("status", "checked_in"s));
    syncOk(*zhang);
    ASSERT_NE(hubField("visit", visit, "checkin_at"), nullptr);

    now += 10;
    update(*lina, "visit", visit, Write().set("voided", true).set("void_reason", "客户改期"s));  // she still sees a plan
    SyncOutcome refused = sync(*lina);
    EXPECT_EQ(refused.statuses.front(), 403);
    ASSERT_EQ(refused.rejected.size(), 1u);
    EXPECT_EQ(refused.rejected[0]["reason"], "role");
    EXPECT_EQ(hubField("visit", visit, "voided"), nullptr);
    EXPECT_EQ(field(*lina, "visit", visit, "voided"), nullptr) << "her phone shows the server's visit again";
    EXPECT_NE(field(*lina, "visit", visit, "checkin_at"), nullptr);
}

// A rep's device cannot create a visit already voided (nothing is stored
// to judge a plan on), nor void another rep's plan.
TEST_F(ScopeTest, ARepCannotCreateAVoidedVisitOrCancelAnotherRepsPlan)
{
    Owned mine = customerWithVisit(*lina, "lina"s, "Lina Co");
    now += 10;
    create(*lina, "visit", Write().set("customer", mine.customer).set("rep", "lina"s).set("voided", true));
    SyncOutcome created = sync(*lina);
    EXPECT_EQ(created.statuses.front(), 403);
    ASSERT_EQ(created.rejected.size(), 1u);
    EXPECT_EQ(created.rejected[0]["reason"], "role");

    Owned theirs = customerWithVisit(*wang, "wang"s, "Wang Co");
    now += 10;
    const auto before = hubState();
    json b = pushRaw(*lina, rawChange(*lina, "visit", theirs.visit, {{"voided", true}}, now));
    EXPECT_EQ(b["push"]["rejected"][0]["reason"], "not_in_scope");
    expectHubUnchanged(before, "a void of another rep's plan");
}

// A photo row (schema 5, docs/photos.md) follows its customer: the rep's
// manager and admins receive it, another rep does not.
TEST_F(ScopeTest, APhotoRowIsSeenByWhoeverSeesItsCustomer)
{
    Owned mine = customerWithVisit(*lina, "lina"s, "Lina Co");
    now += 10;
    const std::string photo = create(*lina, "photo", photoOf(mine.customer, mine.visit, 'a'));
    EXPECT_EQ(syncOk(*lina).accepted, 1u);
    EXPECT_EQ(hubField("photo", photo, "sha256"), std::string(64, 'a'));

    syncOk(*zhang);
    EXPECT_EQ(ids(*zhang, "photo"), std::set<std::string>{photo});
    EXPECT_EQ(field(*zhang, "photo", photo, "visit"), mine.visit);
    syncOk(*admin);
    EXPECT_EQ(ids(*admin, "photo"), std::set<std::string>{photo});
    syncOk(*wang);
    EXPECT_TRUE(ids(*wang, "photo").empty()) << "another rep of the team";
    syncOk(*zhou);
    EXPECT_TRUE(ids(*zhou, "photo").empty()) << "a rep of another team";

    // Who may send or fetch the bytes: whoever sees a photo row naming the hash.
    const auto& e = *schema::fieldsyncSchema().entity("photo");
    const int sha = e.field("sha256")->index;
    auto naming = [&](const std::string& user, const std::string& hash) {
        const Scope scope = Scope::of(*accounts->user(user), *accounts);  // the viewer refers to it
        const replica::Viewer viewer = scope.viewer();
        return hub->rowsNaming(e.code, sha, hash, &viewer);
    };
    const std::vector<std::string> just{photo};
    for (const char* user : {"lina", "zhang", "admin"}) EXPECT_EQ(naming(user, std::string(64, 'a')), just) << user;
    for (const char* user : {"wang", "zhou"}) EXPECT_TRUE(naming(user, std::string(64, 'a')).empty()) << user;
    EXPECT_TRUE(naming("lina", std::string(64, 'b')).empty()) << "a hash no row names";
    EXPECT_EQ(hub->rowsNaming(e.code, sha, std::string(64, 'a')), just) << "no viewer: every row";
    // The same picture on a second customer of another rep: each sees their own row.
    Owned other = customerWithVisit(*wang, "wang"s, "Wang Co");
    now += 10;
    const std::string second = create(*wang, "photo", photoOf(other.customer, other.visit, 'a'));
    syncOk(*wang);
    EXPECT_EQ(naming("wang", std::string(64, 'a')), std::vector<std::string>{second});
    EXPECT_EQ(naming("lina", std::string(64, 'a')), just);
    EXPECT_EQ(naming("zhang", std::string(64, 'a')).size(), 2u);
    EXPECT_THROW(hub->rowsNaming(e.code, e.field("size")->index, "1"), std::logic_error) << "not a text field";
}

// Attack: a rep hangs a photo on another rep's customer or visit — through
// a customer of their own naming the other's visit, or directly — or a
// manager hangs one of a customer on a visit of another customer. Nothing is
// stored.
TEST_F(ScopeTest, APhotoCannotBeHungOnAVisitOfAnotherCustomer)
{
    Owned theirs = customerWithVisit(*wang, "wang"s, "Wang Co");
    Owned mine = customerWithVisit(*lina, "lina"s, "Lina Co");
    now += 10;
    auto before = hubState();
    json asMine = pushRaw(*lina, rawChange(*lina, "photo", replica::newRowId(now), rawPhoto(mine.customer, theirs.visit), now));
    EXPECT_EQ(asMine["push"]["rejected"][0]["reason"], "reference");
    expectHubUnchanged(before, "a photo of her customer on another rep's visit");

    now += 10;
    json onTheirs =
        pushRaw(*lina, rawChange(*lina, "photo", replica::newRowId(now), rawPhoto(theirs.customer, theirs.visit), now));
    EXPECT_EQ(onTheirs["push"]["rejected"][0]["reason"], "not_in_scope");
    expectHubUnchanged(before, "a photo on another rep's customer");

    // Whoever writes: the manager sees both customers, and still cannot mix them.
    syncOk(*zhang);
    now += 10;
    create(*zhang, "photo", photoOf(mine.customer, theirs.visit, 'd'));
    SyncOutcome mixed = sync(*zhang);
    EXPECT_EQ(mixed.statuses.front(), 403);
    ASSERT_EQ(mixed.rejected.size(), 1u);
    EXPECT_EQ(mixed.rejected[0]["reason"], "reference");
    EXPECT_THAT(mixed.rejected[0]["message"].get<std::string>(),
                HasSubstr("visit names a visit of another customer; a photo stays with its own customer"));
    expectHubUnchanged(before, "a manager's photo of one customer on another's visit");
    EXPECT_TRUE(ids(*zhang, "photo").empty()) << "the refused new row leaves the manager's device";
}

// A team's configuration (team_config, schema 2): its managers write it, its
// reps receive it and cannot change it, another team's manager cannot write
// it, an admin can.
TEST_F(ScopeTest, OnlyTheTeamsManagersWriteItsConfigurationAndItsRepsReceiveIt)
{
    const std::string north = schema::teamConfigRowId("north"), south = schema::teamConfigRowId("south");
    now += 10;
    ASSERT_TRUE((*zhang)->put("team_config", north, Write().set("team", "north"s).set("cadence_a", int64_t{10})).ok());
    EXPECT_EQ(syncOk(*zhang).accepted, 1u);
    EXPECT_EQ(hubField("team_config", north, "cadence_a"), 10);

    syncOk(*lina);
    EXPECT_EQ(field(*lina, "team_config", north, "cadence_a"), 10) << "a rep of the team receives it";

    // A rep's write (the domain refuses it first; here it is forced) is
    // refused, and the device shows the team's value again.
    now += 10;
    ASSERT_TRUE((*lina)->put("team_config", north, Write().set("cadence_a", int64_t{3})).ok());
    SyncOutcome refused = sync(*lina);
    EXPECT_EQ(refused.statuses.front(), 403);
    ASSERT_EQ(refused.rejected.size(), 1u);
    EXPECT_EQ(refused.rejected[0]["message"],
              "team_config " + north + ": only a manager of the team changes its configuration");
    EXPECT_EQ(hubField("team_config", north, "cadence_a"), 10);
    EXPECT_EQ(field(*lina, "team_config", north, "cadence_a"), 10) << "restored from the server";

    // North's manager cannot write south's row, nor north's row for south.
    now += 10;
    ASSERT_TRUE((*zhang)->put("team_config", south, Write().set("team", "south"s).set("cadence_b", int64_t{5})).ok());
    SyncOutcome other = sync(*zhang);
    ASSERT_EQ(other.rejected.size(), 1u);
    EXPECT_EQ(other.rejected[0]["message"], "team_config " + south + ": the configuration of another team");
    EXPECT_EQ(hubField("team_config", south, "cadence_b"), nullptr);
    EXPECT_TRUE(ids(*zhang, "team_config").count(south) == 0) << "the refused new row is removed";

    // An admin writes any team's; a rep of that team receives it.
    now += 10;
    ASSERT_TRUE((*admin)->put("team_config", south, Write().set("team", "south"s).set("cadence_b", int64_t{5})).ok());
    EXPECT_EQ(syncOk(*admin).accepted, 1u);
    syncOk(*zhou);
    EXPECT_EQ(field(*zhou, "team_config", south, "cadence_b"), 5);
}

// Lina's customer goes to wang: lina cannot do that herself; zhang can. Wang
// then receives it whole, lina's visit logged offline before the move still
// arrives, and lina's device lets go of the customer.
TEST_F(ScopeTest, ReassignmentMovesTheCustomerWholeAndKeepsEditsMadeBefore)
{
    Owned c = customerWithVisit(*lina, "lina"s, "Lina Co");
    syncOk(*wang);
    syncOk(*zhang);
    ASSERT_FALSE(has(*wang, "customer", c.customer));

    // A rep does not reassign.
    now += 100;
    update(*lina, "customer", c.customer, Write().set("owner", "wang"s));
    const crdt::Hlc attempt = lastPendingClock(*lina);
    const HubState before = hubState();
    SyncOutcome l = sync(*lina);
    EXPECT_EQ(l.statuses, (std::vector<int>{403, 200}));
    ASSERT_EQ(l.rejected.size(), 1u);
    EXPECT_EQ(l.rejected[0], rejectedEntry(*lina, attempt, "customer", c.customer, "role",
                                           "customer " + c.customer + ": only a manager can reassign a customer"));
    ASSERT_FALSE(l.restore.empty());
    expectHubUnchanged(before, "a rep's reassignment");
    EXPECT_EQ(field(*lina, "customer", c.customer, "owner"), "lina") << "restored to the server's owner";
    EXPECT_EQ((*lina)->rejected().size(), 1u);
    EXPECT_EQ((*lina)->pendingCount(), 0u);

    // Lina logs a visit offline; a second later zhang gives the customer to wang.
    now += 1000;
    const std::string offline =
        create(*lina, "visit", Write().set("customer", c.customer).set("rep", "lina"s).set("purpose", "offline"s));
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "wang"s));
    SyncOutcome z = syncOk(*zhang);
    EXPECT_EQ(z.accepted, 1u);
    EXPECT_EQ(hubField("customer", c.customer, "owner"), "wang");

    // Wang's next pull brings the customer whole, with the visit he never pulled.
    SyncOutcome w = syncOk(*wang);
    EXPECT_TRUE(w.evicted.empty());
    EXPECT_EQ(ids(*wang, "customer"), std::set<std::string>{c.customer});
    EXPECT_EQ(field(*wang, "customer", c.customer, "name"), "Lina Co");
    EXPECT_EQ(field(*wang, "customer", c.customer, "phone"), "021-0000");
    EXPECT_EQ(field(*wang, "customer", c.customer, "owner"), "wang");
    EXPECT_EQ(ids(*wang, "visit"), std::set<std::string>{c.visit});
    EXPECT_EQ(field(*wang, "visit", c.visit, "purpose"), "intro");

    // Lina syncs: her offline visit goes first and is accepted (she owned the
    // customer when she wrote it), then the customer leaves her device.
    SyncOutcome l2 = syncOk(*lina);
    EXPECT_EQ(l2.accepted, 1u);
    EXPECT_EQ(l2.evicted, std::vector<std::string>{c.customer});
    EXPECT_EQ(hubField("visit", offline, "purpose"), "offline");
    EXPECT_EQ(hubField("visit", offline, "customer"), c.customer);
    EXPECT_FALSE(has(*lina, "customer", c.customer));
    EXPECT_TRUE(ids(*lina, "visit").empty()) << "neither visit stays on lina's device";
    EXPECT_TRUE((*lina)->pendingEvictions().empty());
    EXPECT_EQ((*lina)->pendingCount(), 0u);

    syncOk(*zhang);
    EXPECT_EQ(ids(*zhang, "visit"), (std::set<std::string>{c.visit, offline}));
    syncOk(*wang);
    EXPECT_EQ(ids(*wang, "visit"), (std::set<std::string>{c.visit, offline}));
    EXPECT_EQ(field(*wang, "visit", offline, "rep"), "lina");

    // A later pull does not bring it back to lina.
    syncOk(*lina);
    EXPECT_FALSE(has(*lina, "customer", c.customer));
}

TEST_F(ScopeTest, AnEvictionWaitsUntilTheUnsyncedEditsArePushed)
{
    Owned c = customerWithVisit(*lina, "lina"s, "Lina Co");
    syncOk(*zhang);
    now += 1000;
    const std::string offline = create(*lina, "visit", Write().set("customer", c.customer).set("rep", "lina"s));
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "wang"s));
    syncOk(*zhang);

    // A pull without the push: the evict arrives while the visit is unsynced.
    SyncOutcome p;
    ASSERT_EQ(exchange(*lina, p, /*withPush=*/false).status, 200);
    EXPECT_EQ(p.evicted, std::vector<std::string>{c.customer});
    EXPECT_TRUE(has(*lina, "customer", c.customer)) << "kept until the visit is pushed";
    EXPECT_TRUE(has(*lina, "visit", offline));
    EXPECT_EQ((*lina)->pendingEvictions(), std::vector<std::string>{c.customer});

    SyncOutcome s = syncOk(*lina);
    EXPECT_EQ(s.accepted, 1u);
    EXPECT_FALSE(has(*lina, "customer", c.customer));
    EXPECT_TRUE(ids(*lina, "visit").empty());
    EXPECT_TRUE((*lina)->pendingEvictions().empty());
    EXPECT_EQ(hubField("visit", offline, "customer"), c.customer);
}

// Wang pulls a move to him and a move away from him in one page: nothing of
// the customer stays on his device.
TEST_F(ScopeTest, ACustomerThatCameAndWentInOnePageIsNotKept)
{
    Owned c = customerWithVisit(*lina, "lina"s, "Lina Co");
    syncOk(*wang);
    syncOk(*zhang);
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "wang"s));
    syncOk(*zhang);
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "lina"s));
    syncOk(*zhang);

    syncOk(*wang);
    EXPECT_FALSE(has(*wang, "customer", c.customer));
    EXPECT_TRUE(ids(*wang, "visit").empty());
}

// Lina's customer goes to wang and comes back to her before her next sync:
// she owns it at the end, so her device must hold it at the end.
TEST_F(ScopeTest, ACustomerThatWentAndCameBackInOnePageIsKept)
{
    Owned c = customerWithVisit(*lina, "lina"s, "Lina Co");
    syncOk(*zhang);
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "wang"s));
    syncOk(*zhang);
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "lina"s));
    syncOk(*zhang);
    ASSERT_EQ(hubField("customer", c.customer, "owner"), "lina");

    SyncOutcome l = syncOk(*lina);
    EXPECT_TRUE(has(*lina, "customer", c.customer))
        << "lina owns the customer but her device dropped it (evict " << json(l.evicted).dump() << ")";
    EXPECT_EQ(field(*lina, "customer", c.customer, "owner"), "lina");
    EXPECT_TRUE(has(*lina, "visit", c.visit));

    // Nothing later brings it back: her cursor is past both moves.
    syncOk(*lina);
    EXPECT_TRUE(has(*lina, "customer", c.customer));
}

// ------------------------------------------------------------------ pokes

TEST_F(ScopeTest, PokesGoToTheOwnerTheirManagersAndAdmins)
{
    const std::string id = create(*lina, "customer", Write().set("name", "Lina Co"s).set("owner", "lina"s));
    syncOk(*lina);
    ASSERT_EQ(pokes.calls.size(), 1u);
    EXPECT_EQ(pokes.calls[0].users, (Users{"admin", "lina", "zhang"}));
    EXPECT_EQ(pokes.calls[0].head, 1u);

    now += 1;
    update(*lina, "customer", id, Write().set("phone", "021-1234"s));
    syncOk(*lina);
    ASSERT_EQ(pokes.calls.size(), 2u);
    EXPECT_EQ(pokes.calls[1].users, (Users{"admin", "lina", "zhang"})) << "not zhou, not wang";
    EXPECT_EQ(pokes.calls[1].head, 2u);

    syncOk(*lina);  // nothing to push: nobody poked
    syncOk(*zhang);
    EXPECT_EQ(pokes.calls.size(), 2u);

    create(*zhou, "customer", Write().set("name", "Zhou Co"s).set("owner", "zhou"s));
    syncOk(*zhou);
    ASSERT_EQ(pokes.calls.size(), 3u);
    EXPECT_EQ(pokes.calls[2].users, (Users{"admin", "zhou"})) << "south has no manager";
    EXPECT_EQ(pokes.calls[2].head, 3u);

    // One batch touching two owners' customers: one poke for both.
    now += 1;
    const std::string other = create(*zhang, "customer", Write().set("name", "Wang Co"s).set("owner", "wang"s));
    update(*zhang, "customer", id, Write().set("level", "A"s));
    syncOk(*zhang);
    ASSERT_EQ(pokes.calls.size(), 4u);
    EXPECT_EQ(pokes.calls[3].users, (Users{"admin", "lina", "wang", "zhang"}));
    EXPECT_EQ(pokes.calls[3].head, 5u);
    (void)other;
}

// When zhang gives lina's customer to wang, lina's device must drop it
// (her next pull lists it in evict), so she has news too.
TEST_F(ScopeTest, AReassignmentAlsoPokesThePreviousOwner)
{
    Owned c = customerWithVisit(*lina, "lina"s, "Lina Co");
    syncOk(*zhang);
    now += 1000;
    update(*zhang, "customer", c.customer, Write().set("owner", "wang"s));
    syncOk(*zhang);
    ASSERT_FALSE(pokes.calls.empty());
    EXPECT_EQ(pokes.calls.back().users, (Users{"admin", "lina", "wang", "zhang"}));

    SyncOutcome l = syncOk(*lina);
    EXPECT_EQ(l.evicted, std::vector<std::string>{c.customer}) << "lina did have news";
}

// The public pool is per team (schema 3): an unowned customer is in the pool
// of its team only; one of no team is in every team's pool.
TEST_F(ScopeTest, ThePublicPoolIsTheTeamsAndATeamlessCustomerIsEveryones)
{
    const std::string north = create(*zhang, "customer", Write().set("name", "North Pool Co"s).set("team", "north"s));
    const std::string anyTeam = create(*admin, "customer", Write().set("name", "Company Pool Co"s));
    syncOk(*zhang);
    syncOk(*admin);

    syncOk(*lina);
    syncOk(*zhou);
    EXPECT_EQ(ids(*lina, "customer"), (std::set<std::string>{north, anyTeam})) << "lina (north) sees her team's pool";
    EXPECT_EQ(ids(*zhou, "customer"), (std::set<std::string>{anyTeam})) << "zhou (south) does not see north's pool";
    EXPECT_EQ(hub->dump(Scope::of(*accounts->user("zhou"), *accounts).viewer())["customer"].size(), 1u);

    // A south rep cannot put a customer into north's pool, nor claim from it.
    const std::string forged = create(*zhou, "customer", Write().set("name", "Forged Co"s).set("team", "north"s));
    SyncOutcome z = sync(*zhou);
    ASSERT_EQ(z.rejected.size(), 1u);
    EXPECT_EQ(z.rejected[0]["message"], "customer " + forged + ": a customer is created for your own team (south), not north");
    EXPECT_FALSE(hubIds("customer").count(forged));

    const int64_t claimAt = now + 5;
    json claim = pushRaw(*zhou, rawChange(*zhou, "customer", north, {{"owner", "zhou"}}, claimAt));
    EXPECT_EQ(claim["message"], "refused: customer " + north + ": the customer is in the pool of team north, not yours");
    EXPECT_EQ(field(*lina, "customer", north, "owner"), nullptr);

    // Lina's claim goes through; when the manager returns it to the pool, it
    // comes back to north's devices only.
    now += 10;
    update(*lina, "customer", north, Write().set("owner", "lina"s));
    EXPECT_EQ(sync(*lina).rejected.size(), 0u);
    syncOk(*zhang);
    now += 10;
    update(*zhang, "customer", north, Write().set("owner", crdt::Value{}));
    EXPECT_EQ(sync(*zhang).rejected.size(), 0u);
    syncOk(*wang);
    syncOk(*zhou);
    EXPECT_TRUE(has(*wang, "customer", north)) << "back in north's pool";
    EXPECT_FALSE(has(*zhou, "customer", north)) << "never in south's";
}

TEST_F(ScopeTest, NobodyMovesAnExistingCustomerToAnotherTeamsPool)
{
    const std::string c = create(*zhang, "customer", Write().set("name", "Stays North"s).set("team", "north"s));
    syncOk(*zhang);
    syncOk(*admin);
    for (Device* d : {zhang, admin}) {
        now += 10;
        json out = pushRaw(*d, rawChange(*d, "customer", c, {{"team", "south"}}, now));
        EXPECT_EQ(out["message"], "refused: customer " + c + ": a customer's team is set when it is created; "
                                                        "to move it to another team, reassign it to an owner in that team")
            << d->user;
    }
    EXPECT_EQ(hub->dump()["customer"][c]["team"]["value"], "north");
}

} // namespace
} // namespace fieldsync::server::test
