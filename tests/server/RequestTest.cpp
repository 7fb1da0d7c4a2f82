// Malformed, unsupported and oversized /v1/sync requests are refused whole,
// with a message naming what is wrong, and the server keeps serving; plus the
// plain endpoints (/healthz, /metrics, unknown paths, wrong methods).
#include "ServerTestSupport.h"

namespace fieldsync::server::test {
namespace {

class BadRequestTest : public ServerFixture {
protected:
    void SetUp() override
    {
        ServerFixture::SetUp();
        lina = &signedIn("lina-phone", "lina");
        other = &signedIn("lina-tablet", "lina");
        customer = create(*lina, "customer", Write().set("name", "Accepted Co"s).set("owner", "lina"s));
        ASSERT_EQ(sync(*lina).status(), 200);
        ASSERT_EQ(hub->head(), 1u);
        // One more change, pending: the good change 0 of every bad batch.
        now += 1000;
        update(*lina, "customer", customer, Write().set("phone", "021-5555"s));
        replica::PendingBatch batch = (*lina)->pending();
        ASSERT_EQ(batch.records.size(), 1u);
        good = protocol::toJson(batch.records[0], theSchema());
        after = std::to_string(batch.after);
        before = hubState();
    }

    // A change that decodes, stamped after the good one by the same device.
    json secondChange() const
    {
        json c = good;
        auto clock = *crdt::Clock::parse(good["clock"].get<std::string>());
        clock.hlc += 1;
        c["clock"] = clock.str();
        c["set"] = {{"address", "1 Bund Road"}};
        return c;
    }

    json body(const json& changes) const
    {
        return {{"schema", schema::kSchemaVersion},
                {"device", lina->hex()},
                {"push", {{"after", after}, {"changes", changes}}},
                {"pull", {{"cursor", 0}, {"limit", 10}}}};
    }

    // The request is refused with this status, code and message; nothing is
    // written; and the server still answers a good request right after.
    void expectRefusedRaw(const std::string& rawBody, int status, const std::string& code, const std::string& message,
                       const std::string& retry = "never")
    {
        SCOPED_TRACE(rawBody.substr(0, 300));
        HttpResponse r = postRaw("/v1/sync", rawBody, lina->token);
        EXPECT_EQ(r.status, status) << r.body;
        json b = bodyOf(r);
        EXPECT_EQ(b.value("error", ""), code) << r.body;
        EXPECT_EQ(b.value("retry", ""), retry) << r.body;
        EXPECT_THAT(b.value("message", ""), HasSubstr(message)) << r.body;
        EXPECT_FALSE(b.contains("push")) << "a refused request reports nothing as pushed";
        EXPECT_FALSE(b.contains("pull")) << "a refused request pulls nothing";
        expectHubUnchanged(before, "a refused request");
        EXPECT_EQ(hub->ackedFor((*lina)->deviceId()), (*lina)->acked()) << "the device's mark moved";

        HttpResponse ok = post("/v1/sync", syncBody(*lina, /*withPush=*/false), lina->token);
        EXPECT_EQ(ok.status, 200) << "the next good request: " << ok.body;
        EXPECT_EQ(bodyOf(ok)["pull"]["cursor"], 1);
    }
    void expectRefused(const json& j, int status, const std::string& code, const std::string& message,
                       const std::string& retry = "never")
    {
        expectRefusedRaw(j.dump(), status, code, message, retry);
    }

    // A batch [good change, bad change] is refused naming change 1.
    void expectBadChange(const json& bad, const std::string& message)
    {
        expectRefused(body(json::array({good, bad})), 400, "invalid_argument", "change 1" + message);
    }

    void TearDown() override
    {
        // After all that, the pending change still goes through.
        if (lina && !HasFailure()) {
            SyncOutcome s = sync(*lina);
            EXPECT_EQ(s.status(), 200) << s.last.dump();
            EXPECT_EQ(s.accepted, 1u);
            EXPECT_EQ(hubField("customer", customer, "phone"), "021-5555");
        }
        ServerFixture::TearDown();
    }

    Device* lina = nullptr;
    Device* other = nullptr;
    std::string customer, after;
    json good;
    HubState before;
};

TEST_F(BadRequestTest, BodyThatIsNotAJsonObject)
{
    expectRefusedRaw("{\"schema\": 1,", 400, "invalid_argument", "the body is not valid JSON");
    expectRefusedRaw("", 400, "invalid_argument", "the body is not valid JSON");
    expectRefusedRaw("[1, 2, 3]", 400, "invalid_argument", "the body must be a JSON object");
    expectRefusedRaw("\"sync please\"", 400, "invalid_argument", "the body must be a JSON object");
    expectRefusedRaw("42", 400, "invalid_argument", "the body must be a JSON object");
}

TEST_F(BadRequestTest, UnknownTopLevelKey)
{
    json b = body(json::array({good}));
    b["options"] = {{"fast", true}};
    expectRefused(b, 400, "invalid_argument", "unknown key \"options\"");
}

TEST_F(BadRequestTest, MissingOrMistypedSchema)
{
    json b = body(json::array({good}));
    b.erase("schema");
    expectRefused(b, 400, "invalid_argument", "\"schema\" (the device's schema version) is required");
    b["schema"] = "1";
    expectRefused(b, 400, "invalid_argument", "\"schema\" (the device's schema version) is required");
    b["schema"] = 1.5;
    expectRefused(b, 400, "invalid_argument", "\"schema\"");
}

TEST_F(BadRequestTest, OlderAndNewerSchemasAreRefusedWithWhatToUpgrade)
{
    json b = body(json::array({good}));
    b["schema"] = 0;
    HttpResponse r = post("/v1/sync", b, lina->token);
    EXPECT_EQ(bodyOf(r)["server_schema"], schema::kSchemaVersion) << r.body;
    expectRefused(b, 426, "schema_mismatch",
                  "this device runs an older fieldsync (schema 0); update the fieldsync app to a version with schema "
                      + std::to_string(schema::kSchemaVersion));

    b["schema"] = 99;
    r = post("/v1/sync", b, lina->token);
    EXPECT_EQ(bodyOf(r)["server_schema"], schema::kSchemaVersion) << r.body;
    expectRefused(b, 426, "schema_mismatch",
                  "this device runs a newer fieldsync (schema 99) than the server (schema "
                      + std::to_string(schema::kSchemaVersion) + "); upgrade the server");
}

TEST_F(BadRequestTest, PushMustBeAnObjectWithAChangesArray)
{
    const std::string message = "\"push\" must be {\"after\": ..., \"changes\": [...]}";
    json b = body(json::array({good}));
    b["push"] = json::array({good});
    expectRefused(b, 400, "invalid_argument", message);
    b["push"] = "everything";
    expectRefused(b, 400, "invalid_argument", message);
    b["push"] = {{"after", after}, {"changes", good}};
    expectRefused(b, 400, "invalid_argument", message);
    b["push"] = {{"after", after}};
    expectRefused(b, 400, "invalid_argument", message);
}

TEST_F(BadRequestTest, PushAfterMustBeANonNegativeInteger)
{
    for (const json& bad : {json(-1), json("-1"), json("abc"), json("12abc"), json(""), json(1.5), json(true),
                            json("18446744073709551616"), json(nullptr)}) {
        json b = body(json::array({good}));
        b["push"]["after"] = bad;
        expectRefused(b, 400, "invalid_argument", "\"push.after\" must be a non-negative integer");
    }
}

TEST_F(BadRequestTest, PushAfterAboveTheServersMarkWouldLeaveAGap)
{
    json b = body(json::array({good}));
    b["push"]["after"] = std::to_string((*lina)->acked() + 1);
    expectRefused(b, 409, "failed_precondition", "changes in between are missing", "after_fix");
}

TEST_F(BadRequestTest, ChangesThatDoNotDecodeNameTheChangeAndTheField)
{
    json c = secondChange();
    c["entity"] = "widget";
    expectBadChange(c, ": unknown entity \"widget\"");

    c = secondChange();
    c["set"] = {{"colour", "red"}};
    expectBadChange(c, ": unknown field customer.colour");

    c = secondChange();
    c["set"] = {{"lat", "north"}};
    expectBadChange(c, ": customer.lat expects a number, got \"north\"");

    c = secondChange();
    c["set"] = {{"archived", "yes"}};
    expectBadChange(c, ": customer.archived expects true or false, got \"yes\"");

    c = secondChange();
    c["set"] = {{"size", "huge"}};
    expectBadChange(c, ": customer.size must be one of: micro, small, medium, large, enterprise; got \"huge\"");

    c = secondChange();
    c["set"] = {{"name", nullptr}};
    expectBadChange(c, ": customer.name is required and cannot be empty");

    c = secondChange();
    c["set"] = {{"tags", "vip"}};
    expectBadChange(c, ": customer.tags is a set field; use \"add\"/\"remove\"");

    c = secondChange();
    c["id"] = "not-a-row-id";
    expectBadChange(c, ": a change needs \"id\"");

    c = secondChange();
    c["id"] = "0193B0A0-5C3E-7D2A-9F10-2B3C4D5E6F70";
    expectBadChange(c, ": a change needs \"id\"");

    c = secondChange();
    c["clock"] = "yesterday";
    expectBadChange(c, ": a change needs \"clock\" of the form <16 hex digits>@<32 hex digits>");

    c = secondChange();
    c["clock"] = "0000000000000000@" + lina->hex();
    expectBadChange(c, ": a change needs \"clock\"");

    c = secondChange();
    c["seen"] = -3;
    expectBadChange(c, ": \"seen\" must be a non-negative integer");

    c = secondChange();
    c["colour"] = "red";
    expectBadChange(c, ": unknown key \"colour\" in a change");

    c = secondChange();
    c.erase("set");
    expectBadChange(c, ": a change must write at least one field");

    expectBadChange(json(7), ": a change must be a JSON object");

    c = secondChange();
    c["entity"] = "visit";
    c["set"] = {{"customer", customer}, {"satisfaction", 9}};
    expectBadChange(c, ": visit.satisfaction must be between 1 and 5, got 9");

    c = secondChange();
    c["entity"] = "visit";
    c["set"] = {{"customer", customer}, {"status", "done"}};
    expectBadChange(c, ": visit.status expects {\"stage\": name, \"gen\": n}");
}

TEST_F(BadRequestTest, ChangesTheHubRefusesNameTheChange)
{
    const std::string id = good["id"].get<std::string>();
    json c = secondChange();
    c["clock"] = crdt::Clock{crdt::Clock::parse(c["clock"].get<std::string>())->hlc, (*other)->deviceId()}.str();
    expectBadChange(c, " (customer " + id + ") is stamped by another device");

    c = secondChange();
    auto clock = *crdt::Clock::parse(good["clock"].get<std::string>());
    clock.hlc -= 1;
    c["clock"] = clock.str();
    expectBadChange(c, " (customer " + id + ") is out of order: clocks must increase");

    // Devices never make conflict entries, nor write their server-only fields.
    const std::string conflictId = replica::newRowId(now);
    c = secondChange();
    c["entity"] = "conflict";
    c["id"] = conflictId;
    c["set"] = {{"resolved", true}};
    expectRefused(body(json::array({good, c})), 400, "invalid_argument",
                  "change to conflict " + conflictId + ": conflict entries are created by the server, not by devices");

    c["set"] = {{"loser_value", "\"mine\""}};
    expectBadChange(c, " (conflict " + conflictId + "): conflict.loser_value is written by the server only");
}

TEST_F(BadRequestTest, MoreThanMaxChangesPerPushIsTooLarge)
{
    json changes = json::array();
    for (size_t i = 0; i <= kMaxChangesPerPush; ++i) changes.push_back(good);
    expectRefused(body(changes), 413, "payload_too_large",
                  "too many changes in one push: 51 > 50; send smaller batches");
}

TEST_F(BadRequestTest, PullMustBeAnObjectWithAPositiveLimit)
{
    json b = body(json::array({good}));
    b["pull"] = "everything";
    expectRefused(b, 400, "invalid_argument", "\"pull\" must be {\"cursor\": n, \"limit\": n}");
    for (const json& bad : {json(0), json(-5), json("10"), json(2.5), json(nullptr)}) {
        b["pull"] = {{"cursor", 0}, {"limit", bad}};
        expectRefused(b, 400, "invalid_argument", "\"pull.limit\" must be a positive integer");
    }
    for (const json& bad : {json(-1), json("x"), json(1.5)}) {
        b["pull"] = {{"cursor", bad}, {"limit", 10}};
        expectRefused(b, 400, "invalid_argument", "\"pull.cursor\" must be a non-negative integer");
    }
}

// ------------------------------------------------------------------ batch size

class BatchSizeTest : public ServerFixture {};

TEST_F(BatchSizeTest, ExactlyMaxChangesPerPushIsAccepted)
{
    Device& lina = signedIn("lina-phone", "lina");
    for (size_t i = 0; i <= kMaxChangesPerPush; ++i) {
        now += 1;
        create(lina, "customer", Write().set("name", "Customer " + std::to_string(i)).set("owner", "lina"s));
    }
    replica::PendingBatch all = lina->pending(kMaxChangesPerPush + 1);
    ASSERT_EQ(all.records.size(), kMaxChangesPerPush + 1);
    json changes = json::array();
    for (const auto& r : all.records) changes.push_back(protocol::toJson(r, theSchema()));
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", lina.hex()},
                 {"push", {{"after", "0"}, {"changes", changes}}}};
    HttpResponse r = post("/v1/sync", body, lina.token);
    EXPECT_EQ(r.status, 413) << r.body;
    EXPECT_EQ(hub->head(), 0u);

    changes.erase(changes.end() - 1);
    body["push"]["changes"] = changes;
    r = post("/v1/sync", body, lina.token);
    ASSERT_EQ(r.status, 200) << r.body;
    json b = bodyOf(r);
    EXPECT_EQ(b["push"]["accepted"], kMaxChangesPerPush);
    EXPECT_EQ(b["push"]["acked"], std::to_string(all.records[kMaxChangesPerPush - 1].clock.hlc));
    EXPECT_FALSE(b.contains("pull")) << "no pull was asked for";
    EXPECT_EQ(hub->head(), kMaxChangesPerPush);
}

// ------------------------------------------------------------------ plain endpoints

class EndpointTest : public ServerFixture {};

TEST_F(EndpointTest, HealthzReportsTheHead)
{
    HttpResponse r = request("GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.contentType, "application/json");
    EXPECT_EQ(bodyOf(r), json({{"status", "ok"}, {"head", 0}}));

    Device& lina = signedIn("lina-phone", "lina");
    create(lina, "customer", Write().set("name", "One"s).set("owner", "lina"s));
    now += 1;
    create(lina, "customer", Write().set("name", "Two"s).set("owner", "lina"s));
    ASSERT_EQ(syncOk(lina).accepted, 2u);
    EXPECT_EQ(bodyOf(request("GET", "/healthz")), json({{"status", "ok"}, {"head", 2}}));
}

TEST_F(EndpointTest, UnknownPathIsNotFoundAndWrongMethodIsNotAllowed)
{
    HttpResponse r = request("GET", "/v2/sync");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.contentType, "application/json");
    EXPECT_EQ(bodyOf(r), json({{"error", "not_found"},
                               {"message", "no such path: /v2/sync (see docs/api.md)"},
                               {"retry", "never"}}));
    r = request("POST", "/v1/nothing?x=1", "{}");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(bodyOf(r)["message"], "no such path: /v1/nothing (see docs/api.md)");

    r = request("GET", "/v1/sync");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(bodyOf(r), json({{"error", "invalid_argument"},
                               {"message", "GET is not allowed on /v1/sync; use POST"},
                               {"retry", "never"}}));
    r = request("PUT", "/v1/login", "{}");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(bodyOf(r)["message"], "PUT is not allowed on /v1/login; use POST");
}

// RFC 9110 §15.5.6: a 405 response MUST carry an Allow header listing the
// methods the resource supports.
TEST_F(EndpointTest, MethodNotAllowedCarriesAnAllowHeader)
{
    HttpResponse r = request("GET", "/v1/sync");
    ASSERT_EQ(r.status, 405);
    ASSERT_EQ(r.headers.count("Allow"), 1u) << "405 without an Allow header";
    EXPECT_EQ(r.headers.at("Allow"), "POST");
}

TEST_F(EndpointTest, MetricsCountRequestsErrorsAndMergedChanges)
{
    Device& lina = signedIn("lina-phone", "lina");                                       // login 200
    create(lina, "customer", Write().set("name", "Lina Co"s).set("owner", "lina"s));     // 2 fields
    now += 1;
    std::string id = create(lina, "customer", Write().set("name", "Two"s).add("tags", "vip"));  // 1 field + 1 tag
    ASSERT_EQ(syncOk(lina).statuses.size(), 1u);                                          // sync 200
    EXPECT_EQ(post("/v1/sync", syncBody(lina), "bad-token").status, 401);                // sync 401
    EXPECT_EQ(request("GET", "/nope").status, 404);                                       // other 404
    EXPECT_EQ(request("GET", "/v1/sync").status, 405);                                    // sync 405
    EXPECT_EQ(request("GET", "/healthz").status, 200);                                    // healthz 200

    HttpResponse r = request("GET", "/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.contentType, "text/plain; version=0.0.4");
    const std::string& m = r.body;
    EXPECT_THAT(m, HasSubstr("# TYPE fieldsync_requests_total counter\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"200\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_requests_total{path=\"/v1/sync\",status=\"200\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_requests_total{path=\"/v1/sync\",status=\"401\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_requests_total{path=\"/v1/sync\",status=\"405\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_requests_total{path=\"other\",status=\"404\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_requests_total{path=\"/healthz\",status=\"200\"} 1\n"));
    EXPECT_THAT(m, ::testing::Not(HasSubstr("/nope"))) << "unknown paths are not labels";
    EXPECT_THAT(m, HasSubstr("fieldsync_errors_total{code=\"unauthenticated\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_errors_total{code=\"not_found\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_errors_total{code=\"invalid_argument\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_changes_merged_total 4\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_sync_seconds_count 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_sync_seconds_bucket{le=\"+Inf\"} 1\n"));
    EXPECT_THAT(m, HasSubstr("fieldsync_connected_devices 0\n"));

    // The scrape itself is counted on the next one.
    EXPECT_THAT(request("GET", "/metrics").body,
                HasSubstr("fieldsync_requests_total{path=\"/metrics\",status=\"200\"} 1\n"));
    (void)id;
}

} // namespace
} // namespace fieldsync::server::test
