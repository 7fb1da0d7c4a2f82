// Confinement tried as an attacker holding a valid token would (docs/security.md,
// "Scope"): each test is one attack, named after it, against the API handlers
// over a real hub (SQLite, and again on PostgreSQL). The attacker sends raw
// changes stamped by her own device, bypassing her replica's checks.
#include "ServerTestSupport.h"

#include "replica/Ids.h"
#include "storage/Statement.h"

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

namespace fieldsync::server::test {
namespace {

class ConfinementTest : public SignedInFixture {
protected:
    // A customer of `d`'s user with one child of `entity` (name, notes...), synced.
    struct Owned {
        std::string customer, child;
    };
    Owned customerWith(Device& d, const std::string& entity, const std::string& name)
    {
        Owned o;
        o.customer = create(d, "customer", Write().set("name", name).set("owner", d.user));
        now += 1;
        Write w = Write().set("customer", o.customer);
        if (entity == "contact") w.set("name", "王经理"s).set("phone", "13900000000"s);
        if (entity == "visit") w.set("rep", d.user).set("notes", "secret notes of " + name).set("order_amount", 12500.0);
        if (entity == "task") w.set("title", "call back "s + name);
        if (entity == "complaint") w.set("description", "complaint at "s + name);
        o.child = create(d, entity, w);
        now += 1;
        syncOk(d);
        return o;
    }

    json raw(Device& d, const std::string& entity, const std::string& id, const json& set, std::optional<uint64_t> seen = {})
    {
        return {{"entity", entity},
                {"id", id},
                {"clock", crdt::Clock{std::max(d->clock().last() + 1, crdt::hlcFromMillis(now)), d->deviceId()}.str()},
                {"seen", seen.value_or(d->cursor())},
                {"set", set}};
    }

    // Pushes raw changes as `d` (the device's own acknowledged mark), with a
    // pull; returns the answer.
    HttpResponse pushRaw(Device& d, const json& changes, bool withPull = true)
    {
        json body = {{"schema", schema::kSchemaVersion},
                     {"device", d.hex()},
                     {"push", {{"after", std::to_string(d->acked())}, {"changes", changes}}}};
        if (withPull) body["pull"] = {{"cursor", d->cursor()}};
        now += 1;
        return post("/v1/sync", body, d.token);
    }

};

// The attack of the issue: a rep re-points another rep's visit (or contact,
// task, complaint) at her own customer, to read it and take it from him.
class RepointTest : public ConfinementTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(RepointTest, ARepCannotMoveAnotherRepsRowUnderHerOwnCustomer)
{
    const std::string entity = GetParam();
    Owned hers = customerWith(*lina, "contact", "Lina Co");
    Owned his = customerWith(*wang, entity, "Wang Co");
    const std::string before = hub->dump().dump();

    HttpResponse r = pushRaw(*lina, json::array({raw(*lina, entity, his.child, {{"customer", hers.customer}})}));
    ASSERT_EQ(r.status, 403) << r.body;
    json b = bodyOf(r);
    ASSERT_EQ(b["push"]["rejected"].size(), 1u);
    EXPECT_EQ(b["push"]["rejected"][0]["reason"], "not_in_scope");
    EXPECT_EQ(b["push"]["rejected"][0]["message"], entity + " " + his.child + ": it belongs to a customer that is not yours")
        << "the refusal names nothing of the row she may not see (not even its customer)";
    EXPECT_EQ(b["restore"], json::array()) << "nothing of his row comes back to her";
    EXPECT_EQ(hub->dump().dump(), before) << "the hub is unchanged";
    EXPECT_EQ(hubField(entity, his.child, "customer"), his.customer);

    // She pulls, and gets nothing of his; he still owns, sees and edits it.
    SyncOutcome l = syncOk(*lina);
    EXPECT_FALSE(has(*lina, entity, his.child));
    EXPECT_EQ(ids(*lina, "customer"), std::set<std::string>{hers.customer});
    const std::map<std::string, std::string> editable = {
        {"contact", "title"}, {"visit", "outcome"}, {"task", "notes"}, {"complaint", "resolution"}};
    update(*wang, entity, his.child, Write().set(editable.at(entity), "still his"s));
    SyncOutcome w = syncOk(*wang);
    EXPECT_EQ(w.accepted, 1u);
    EXPECT_TRUE(has(*wang, entity, his.child));
}

INSTANTIATE_TEST_SUITE_P(Children, RepointTest, ::testing::Values("contact", "visit", "task", "complaint"),
                         [](const auto& param) { return std::string(param.param); });

TEST_F(ConfinementTest, AManagerCannotMoveAnotherTeamsVisitUnderHisTeam)
{
    Owned north = customerWith(*zhang, "contact", "North Co");
    Owned south = customerWith(*zhou, "visit", "South Co");
    HttpResponse r = pushRaw(*zhang, json::array({raw(*zhang, "visit", south.child, {{"customer", north.customer}})}));
    ASSERT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(bodyOf(r)["push"]["rejected"][0]["reason"], "not_in_scope");
    EXPECT_EQ(bodyOf(r)["restore"], json::array());
    EXPECT_EQ(hubField("visit", south.child, "customer"), south.customer);
}

// Write-once, whoever writes: even on her own rows, and even an admin.
TEST_F(ConfinementTest, NobodyMovesAChildToAnotherCustomerNotEvenItsOwnerOrAnAdmin)
{
    Owned first = customerWith(*lina, "visit", "First Co");
    Owned second = customerWith(*lina, "contact", "Second Co");
    HttpResponse r = pushRaw(*lina, json::array({raw(*lina, "visit", first.child, {{"customer", second.customer}})}));
    ASSERT_EQ(r.status, 403) << r.body;
    json b = bodyOf(r);
    EXPECT_EQ(b["push"]["rejected"][0]["reason"], "reparent");
    EXPECT_THAT(b["push"]["rejected"][0]["message"].get<std::string>(),
                HasSubstr("its customer is set when it is created and never changes"));
    // Hers to see: the restore gives her device the stored customer back.
    ASSERT_EQ(b["restore"].size(), 1u);
    EXPECT_EQ(b["restore"][0]["set"], json({{"customer", first.customer}}))
        << "only the refused field comes back, not the whole row";

    syncOk(*admin);
    HttpResponse a = pushRaw(*admin, json::array({raw(*admin, "visit", first.child, {{"customer", second.customer}})}));
    ASSERT_EQ(a.status, 403) << a.body;
    EXPECT_EQ(bodyOf(a)["push"]["rejected"][0]["reason"], "reparent");
    EXPECT_EQ(hubField("visit", first.child, "customer"), first.customer);

    // Writing the same customer again changes nothing and is not refused.
    HttpResponse same = pushRaw(*lina, json::array({raw(*lina, "visit", first.child, {{"customer", first.customer}})}));
    EXPECT_EQ(same.status, 200) << same.body;
}

// Found by the scope property test: a manager's push whose first change is
// refused while he still sees the customer (restored) and whose second gives
// the customer away (a customer of another team owned by one of his reps,
// returned to that team's pool). The answer is sent in the scope the push
// ends with: nothing of the customer comes back, and his next pull evicts it.
TEST_F(ConfinementTest, ARefusalRestoredBeforeTheSamePushGaveTheRowAwayIsNotSent)
{
    const std::string x = create(*admin, "customer", Write().set("name", "South Co"s).set("team", "south"s)
                                                         .set("owner", "wang"s).set("notes", "south's notes"s));
    now += 1;
    syncOk(*admin);
    syncOk(*zhang);
    ASSERT_TRUE(has(*zhang, "customer", x)) << "wang is on his team: the customer is his to see";

    json first = raw(*zhang, "customer", x, {{"team", "north"}, {"notes", "moved"}});
    now += 1;
    json second = raw(*zhang, "customer", x, {{"owner", nullptr}});
    HttpResponse r = pushRaw(*zhang, json::array({first, second}));
    ASSERT_EQ(r.status, 403) << r.body;
    json b = bodyOf(r);
    ASSERT_EQ(b["push"]["rejected"].size(), 1u);
    EXPECT_EQ(b["push"]["rejected"][0]["reason"], "team_fixed");
    EXPECT_EQ(b["push"]["accepted"], 1);
    EXPECT_EQ(hubField("customer", x, "owner"), nullptr) << "returned to the south pool";
    EXPECT_EQ(b["restore"], json::array()) << "the restore of a customer he no longer sees";
    syncOk(*zhang);
    EXPECT_FALSE(has(*zhang, "customer", x)) << "his next pull evicts it";

    // The same refusal alone, while he sees it, is restored.
    const std::string y = create(*admin, "customer", Write().set("name", "South Two"s).set("team", "south"s)
                                                         .set("owner", "wang"s).set("notes", "kept"s));
    now += 1;
    syncOk(*admin);
    syncOk(*zhang);
    HttpResponse alone = pushRaw(*zhang, json::array({raw(*zhang, "customer", y, {{"notes", "moved"}, {"team", "north"}})}));
    ASSERT_EQ(alone.status, 403) << alone.body;
    ASSERT_EQ(bodyOf(alone)["restore"].size(), 1u) << alone.body;
    EXPECT_EQ(bodyOf(alone)["restore"][0]["set"]["notes"], "kept");
}

// 330 KB of refused changes used to get a 201 MB answer: each refusal
// repeated the whole row. Now a refusal restores only the fields it wrote,
// each once, and the answer stays within the request's size.
TEST_F(ConfinementTest, ARefusalFloodGetsARestoreNoLargerThanItsRequest)
{
    // A second API on the same store that takes pushes as large as the
    // server's default (5,000 changes).
    ApiOptions options = apiOptions();
    options.maxChangesPerPush = 5000;
    SyncApi big(*hub, *accounts, metrics, options);
    Via via(big);

    // A pool customer of lina's team (she sees it) with long notes, and
    // another rep's customer (she does not).
    const std::string pool = create(*zhang, "customer", Write().set("name", "Pool Co"s).set("notes", std::string(20000, 'n')));
    Owned his = customerWith(*wang, "visit", "Wang Co");
    syncOk(*zhang);
    syncOk(*lina);

    json changes = json::array();
    for (int i = 0; i < 2000; ++i) {
        json c = i % 2 ? raw(*lina, "visit", his.child, {{"notes", "mine " + std::to_string(i)}, {"customer", pool}})
                       : raw(*lina, "customer", pool, {{"notes", "claimed without claiming " + std::to_string(i)},
                                                        {"phone", "1390000" + std::to_string(i)}});
        changes.push_back(std::move(c));
        now += 1;
    }
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", lina->hex()},
                 {"push", {{"after", std::to_string((*lina)->acked())}, {"changes", changes}}}};
    const std::string request = body.dump();
    HttpResponse r = postRaw("/v1/sync", request, lina->token);
    ASSERT_EQ(r.status, 403) << r.body.substr(0, 500);
    json b = bodyOf(r);
    const size_t restoreBytes = b["restore"].dump().size();
    std::cout << "refusal flood: request " << request.size() << " bytes, answer " << r.body.size()
              << " bytes, of which restore " << restoreBytes << " bytes ("
              << static_cast<double>(restoreBytes) / static_cast<double>(request.size()) << " of the request)\n";
    RecordProperty("request_bytes", std::to_string(request.size()));
    RecordProperty("restore_bytes", std::to_string(restoreBytes));
    EXPECT_LE(restoreBytes, std::max<size_t>(request.size(), kMinRestoreBudget) + 64 * 1024);
    EXPECT_LT(r.body.size(), 2 * request.size()) << "the whole answer: the rejected list and the restore";
    // The pool customer's notes come back once (its phone was never set:
    // nothing to restore, her device forgets the refused one); nothing of
    // his visit.
    std::set<std::string> fields;
    for (const auto& c : b["restore"]) {
        EXPECT_EQ(c["id"], pool);
        for (auto it = c["set"].begin(); it != c["set"].end(); ++it) EXPECT_TRUE(fields.insert(it.key()).second) << it.key();
    }
    EXPECT_EQ(fields, (std::set<std::string>{"notes"}));
    EXPECT_EQ(b["push"]["rejected"].size(), 2000u);
    EXPECT_EQ(hubField("customer", pool, "phone"), nullptr);
}

// With rows whose restore is large, the push stops where the restore would
// outgrow the request; the device pushes the rest next time, and nothing is
// lost or left stuck.
TEST_F(ConfinementTest, ARestoreThatWouldOutgrowTheRequestStopsThePushUntilTheNextRound)
{
    std::vector<std::string> pools;
    for (int i = 0; i < 12; ++i) {
        pools.push_back(create(*zhang, "customer", Write().set("name", "Pool " + std::to_string(i))
                                                       .set("notes", std::string(schema::kMaxTextBytes - 100, 'n'))));
        now += 1;
    }
    syncOk(*zhang);
    syncOk(*lina);
    // Offline, lina writes the notes of every pool customer without claiming
    // them, then logs a visit of her own: 13 changes in her outbox.
    for (const auto& p : pools) {
        update(*lina, "customer", p, Write().set("notes", "hers"s));
        now += 1;
    }
    const std::string own = create(*lina, "customer", Write().set("name", "Lina Co"s).set("owner", "lina"s));
    SyncOutcome out = sync(*lina);
    EXPECT_EQ(out.rejected.size(), 12u);
    EXPECT_GT(std::count(out.statuses.begin(), out.statuses.end(), 403), 1)
        << "the refusals came back over several rounds, each answer bounded";
    EXPECT_EQ((*lina)->pendingCount(), 0u) << "nothing is stuck";
    EXPECT_EQ(hubField("customer", own, "name"), "Lina Co") << "her good change behind the refusals landed";
    for (const auto& p : pools) EXPECT_EQ(field(*lina, "customer", p, "notes"), std::string(schema::kMaxTextBytes - 100, 'n'));
}

// Rows of 64 KiB notes would make a 5,000-record page a 300 MB answer: a
// page ends once its records reach the byte bound, and the next ones follow.
TEST_F(ConfinementTest, APullAnswerStaysNearItsByteBoundWhateverTheRowsHold)
{
    ApiOptions options = apiOptions();
    options.maxPullBytes = 100 * 1024;
    SyncApi bounded(*hub, *accounts, metrics, options);
    Via via(bounded);
    const std::string c = create(*lina, "customer", Write().set("name", "Lina Co"s).set("owner", "lina"s));
    for (int i = 0; i < 12; ++i) {
        now += 1;
        create(*lina, "visit", Write().set("customer", c).set("notes", std::string(30000, 'a' + i)));
    }
    syncOk(*lina);
    size_t pages = 0, records = 0, largest = 0;
    uint64_t cursor = 0;
    for (bool more = true; more && pages < 20; ++pages) {
        HttpResponse r = post("/v1/sync", json{{"schema", schema::kSchemaVersion}, {"device", zhang->hex()},
                                               {"pull", {{"cursor", cursor}, {"limit", 5000}}}}, zhang->token);
        ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
        json b = bodyOf(r);
        largest = std::max(largest, r.body.size());
        records += b["pull"]["changes"].size();
        cursor = b["pull"]["cursor"].get<uint64_t>();
        more = b["pull"]["more"].get<bool>();
    }
    EXPECT_EQ(records, 13u) << "every record arrives, over several pages";
    EXPECT_GE(pages, 3u) << "360 KB of notes in pages of about 100 KB";
    EXPECT_LE(largest, options.maxPullBytes + 32 * 1024) << "a page ends at the first record past the bound";
}

TEST_F(ConfinementTest, AReferenceToAVisitSheMayNotSeeIsRefused)
{
    Owned hers = customerWith(*lina, "visit", "Lina Co");
    Owned other = customerWith(*lina, "visit", "Lina Two");
    Owned his = customerWith(*wang, "visit", "Wang Co");
    const std::string task = replica::newRowId(now), fine = replica::newRowId(now + 1);
    HttpResponse r = pushRaw(*lina, json::array({raw(*lina, "task", task, {{"customer", hers.customer}, {"title", "x"}, {"origin_visit", his.child}})}));
    ASSERT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(bodyOf(r)["push"]["rejected"][0]["reason"], "reference");
    EXPECT_THAT(bodyOf(r)["push"]["rejected"][0]["message"].get<std::string>(), HasSubstr("origin_visit names a visit you cannot see"));
    EXPECT_FALSE(hubIds("task").count(task));

    // Her own visit of another of her customers is fine.
    HttpResponse ok = pushRaw(*lina, json::array({raw(*lina, "task", fine, {{"customer", hers.customer}, {"title", "y"}, {"origin_visit", other.child}})}));
    EXPECT_EQ(ok.status, 200) << ok.body;

    // Not an id at all: refused before anything is read.
    HttpResponse path = pushRaw(*lina, json::array({raw(*lina, "task", replica::newRowId(now + 2),
                                                        {{"customer", hers.customer}, {"title", "z"}, {"origin_visit", "../../etc/passwd"}})}));
    EXPECT_EQ(path.status, 400) << path.body;
    EXPECT_THAT(bodyOf(path)["message"].get<std::string>(), HasSubstr("task.origin_visit expects a row id"));
}

TEST_F(ConfinementTest, ARepsNewCustomerIsOfHerOwnTeam)
{
    const std::string south = replica::newRowId(now), unset = replica::newRowId(now + 1);
    HttpResponse r = pushRaw(*lina, json::array({raw(*lina, "customer", south, {{"name", "Forged"}, {"team", "south"}})}));
    ASSERT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(bodyOf(r)["push"]["rejected"][0]["reason"], "own_team");
    HttpResponse none = pushRaw(*lina, json::array({raw(*lina, "customer", unset, {{"name", "Made before sign-in"}})}));
    ASSERT_EQ(none.status, 200) << none.body;
    EXPECT_EQ(hubField("customer", unset, "team"), "north") << "the server gives it her team";
    syncOk(*lina);
    EXPECT_EQ(field(*lina, "customer", unset, "team"), "north") << "and her device learns it";
    syncOk(*zhou);
    EXPECT_FALSE(has(*zhou, "customer", unset)) << "so it is in north's pool, not everybody's";
}

// A device names in `seen` the position it had pulled to; a forged one could
// hide that it overwrote a value it never received.
TEST_F(ConfinementTest, AForgedSeenCannotKeepAConflictOutOfTheLog)
{
    Owned c = customerWith(*lina, "contact", "Lina Co");
    syncOk(*zhang);  // the manager has the customer, pulled to the head
    now += 10;
    update(*lina, "customer", c.customer, Write().set("phone", "lina's"s));
    syncOk(*lina);  // arrives after what the manager pulled
    // The manager overwrites it without having pulled it, and claims to have
    // seen everything the hub will ever hold.
    now += 10;
    HttpResponse r = pushRaw(*zhang, json::array({raw(*zhang, "customer", c.customer, {{"phone", "zhang's"}}, 1'000'000)}), false);
    ASSERT_EQ(r.status, 200) << r.body;
    const json dump = hub->dump();
    size_t conflicts = 0;
    for (auto it = dump["conflict"].begin(); it != dump["conflict"].end(); ++it)
        if (it.value()["row"]["value"] == c.customer && it.value()["field"]["value"] == "phone") ++conflicts;
    EXPECT_EQ(conflicts, 1u) << "lina's overwritten phone is in the conflict log";
    storage::UsingStatement st(hub->database(), "SELECT record FROM hub_log ORDER BY seq DESC LIMIT 2");
    bool found = false;
    while (st->step())
        if (json j = json::parse(st->getText(0)); j["entity"] == "customer") {
            found = true;
            EXPECT_LT(j["seen"].get<uint64_t>(), 1'000'000u) << "the log keeps what the device was served, not its claim";
        }
    EXPECT_TRUE(found);
}

TEST_F(ConfinementTest, EveryRefusalIsLoggedAtInfoWithUserDeviceRowAndReason)
{
    auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(16);
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", ring));
    spdlog::set_level(spdlog::level::info);
    Owned his = customerWith(*wang, "visit", "Wang Co");
    HttpResponse r = pushRaw(*lina, json::array({raw(*lina, "visit", his.child, {{"notes", "x"}})}));
    spdlog::set_default_logger(previous);
    ASSERT_EQ(r.status, 403);
    std::string lines;
    for (const auto& l : ring->last_formatted()) lines += l;
    EXPECT_THAT(lines, HasSubstr("[info]"));
    EXPECT_THAT(lines, HasSubstr("refused visit " + his.child + " from lina (device " + lina->hex() + ")"));
    EXPECT_THAT(lines, HasSubstr("[not_in_scope]"));
}

} // namespace
} // namespace fieldsync::server::test
