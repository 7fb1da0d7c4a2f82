// POST /v1/login (tokens, rate limiting, device ownership) and the token
// checks of /v1/sync and the WebSocket upgrade.
#include "ServerTestSupport.h"

#include <algorithm>
#include <cctype>

namespace fieldsync::server::test {
namespace {

class LoginTest : public ServerFixture {
protected:
    void expectError(const HttpResponse& r, int status, const std::string& code, const std::string& retry,
                     const std::string& message)
    {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.contentType, "application/json");
        json b = bodyOf(r);
        EXPECT_EQ(b.value("error", ""), code) << r.body;
        EXPECT_EQ(b.value("retry", ""), retry) << r.body;
        EXPECT_THAT(b.value("message", ""), HasSubstr(message)) << r.body;
    }
};

TEST_F(LoginTest, ReturnsATokenForTheDeviceAndWhoTheUserIs)
{
    Device& d = device("lina-phone", "lina");
    HttpResponse r = login(d);
    ASSERT_EQ(r.status, 200) << r.body;
    json b = bodyOf(r);
    EXPECT_EQ(b["token"].get<std::string>().size(), 43u) << "32 random bytes, base64url without padding";
    EXPECT_EQ(b["user"], json({{"name", "lina"}, {"role", "rep"}, {"team", "north"}}));
    EXPECT_EQ(b["server_time"], kBaseMs);
    EXPECT_EQ(b.size(), 3u) << r.body;

    Device& a = device("admin-laptop", "admin");
    r = login(a);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(bodyOf(r)["user"], json({{"name", "admin"}, {"role", "admin"}, {"team", nullptr}}));

    Device& m = device("zhang-phone", "zhang");
    r = login(m);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(bodyOf(r)["user"], json({{"name", "zhang"}, {"role", "manager"}, {"team", "north"}}));

    // The token works, and belongs to this device.
    auto session = accounts->authenticate(d.token);
    ASSERT_TRUE(session.ok()) << session.error().message;
    EXPECT_EQ(session->user.name, "lina");
    EXPECT_EQ(session->device, d.hex());

    // Signing in again replaces the token: the old one stops working.
    const std::string first = d.token;
    ASSERT_EQ(login(d).status, 200);
    EXPECT_NE(d.token, first);
    EXPECT_FALSE(accounts->authenticate(first).ok());
    EXPECT_TRUE(accounts->authenticate(d.token).ok());
}

TEST_F(LoginTest, WrongPasswordAndUnknownUserAreRefusedWithTheSameMessage)
{
    Device& d = device("lina-phone", "lina");
    json wrongPassword = loginBody(d);
    wrongPassword["password"] = "not-linas-password";
    json unknownUser = loginBody(d);
    unknownUser["user"] = "nobody";

    HttpResponse a = post("/v1/login", wrongPassword);
    HttpResponse b = post("/v1/login", unknownUser);
    expectError(a, 401, "unauthenticated", "after_login", "wrong user name or password");
    expectError(b, 401, "unauthenticated", "after_login", "wrong user name or password");
    EXPECT_EQ(a.body, b.body) << "a wrong name must read exactly like a wrong password";
    EXPECT_FALSE(bodyOf(a).contains("token"));
    EXPECT_TRUE(accounts->devices().empty()) << "a failed login registers no device";
}

TEST_F(LoginTest, FiveFailuresLockTheUserOutForTheWindowEvenWithTheRightPassword)
{
    Device& d = device("lina-phone", "lina");
    json wrong = loginBody(d);
    wrong["password"] = "guess-guess";
    for (int i = 0; i < 5; ++i) {
        HttpResponse r = post("/v1/login", wrong);
        expectError(r, 401, "unauthenticated", "after_login", "wrong user name or password");
        now += 100;
    }
    // 500 ms after the first failure: 59.5 s of the 60 s window are left.
    HttpResponse r = login(d);
    expectError(r, 429, "resource_exhausted", "later", "too many failed sign-ins; try again in 60 s");
    EXPECT_EQ(bodyOf(r)["retry_after_s"], 60);
    ASSERT_EQ(r.headers.count("Retry-After"), 1u);
    EXPECT_EQ(r.headers.at("Retry-After"), "60");
    EXPECT_TRUE(d.token.empty());

    // Still locked 1 ms before the first failure leaves the window.
    now = kBaseMs + kMinute - 1;
    r = login(d);
    expectError(r, 429, "resource_exhausted", "later", "try again in 1 s");
    EXPECT_EQ(bodyOf(r)["retry_after_s"], 1);
    EXPECT_EQ(r.headers.at("Retry-After"), "1");

    // The first failure has left the window: four remain, below the limit.
    now = kBaseMs + kMinute;
    r = login(d);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(d.token.empty());

    HttpResponse m = request("GET", "/metrics");
    EXPECT_THAT(m.body, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"401\"} 5\n"));
    EXPECT_THAT(m.body, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"429\"} 2\n"));
    EXPECT_THAT(m.body, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"200\"} 1\n"));
    EXPECT_THAT(m.body, HasSubstr("fieldsync_errors_total{code=\"resource_exhausted\"} 2\n"));
}

TEST_F(LoginTest, FailuresFromOneAddressLimitThatAddressForEveryUser)
{
    json ghost = {{"password", "whatever-pw"}, {"device", std::string(32, 'a')}};
    for (int i = 0; i < 5; ++i) {
        ghost["user"] = "ghost" + std::to_string(i);
        EXPECT_EQ(post("/v1/login", ghost, {}, "192.0.2.7").status, 401);
    }
    Device& d = device("lina-phone", "lina");
    HttpResponse r = login(d, "192.0.2.7");
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(bodyOf(r)["retry_after_s"], 60);
    r = login(d, "192.0.2.8");
    EXPECT_EQ(r.status, 200) << "another address is not limited: " << r.body;
}

TEST_F(LoginTest, MalformedBodiesAreRefusedAndDoNotCountAsFailures)
{
    Device& d = device("lina-phone", "lina");
    struct Case {
        std::string body, message;
    };
    json noPassword = loginBody(d);
    noPassword.erase("password");
    json numericUser = loginBody(d);
    numericUser["user"] = 42;
    json noDevice = loginBody(d);
    noDevice.erase("device");
    const std::vector<Case> cases = {
        {"{\"user\": \"lina\"", "the body must be a JSON object"},
        {"[\"lina\", \"pw\"]", "the body must be a JSON object"},
        {"", "the body must be a JSON object"},
        {noPassword.dump(), "\"password\" (a string) is required"},
        {numericUser.dump(), "\"user\" (a string) is required"},
        {noDevice.dump(), "\"device\" (a string) is required"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body);
        expectError(postRaw("/v1/login", c.body), 400, "invalid_argument", "never", c.message);
    }
    // Six refused bodies for lina, none of them a failed password: not limited.
    EXPECT_EQ(login(d).status, 200);
}

TEST_F(LoginTest, BadDeviceIdsAreRefused)
{
    Device& d = device("lina-phone", "lina");
    for (const std::string& bad : {std::string("phone-1"), d.hex().substr(1), d.hex() + "0",
                                   std::string(31, '0') + "g", std::string()}) {
        SCOPED_TRACE(bad);
        json body = loginBody(d);
        body["device"] = bad;
        expectError(post("/v1/login", body), 400, "invalid_argument", "never", "\"device\" must be 32 hex digits");
    }
    EXPECT_TRUE(accounts->devices().empty());
}

TEST_F(LoginTest, ADeviceRegisteredToOneUserCannotSignInAsAnother)
{
    Device& lina = signedIn("shared-phone", "lina");
    const std::string linaToken = lina.token;
    json asWang = loginBody(lina);
    asWang["user"] = "wang";
    asWang["password"] = passwordOf("wang");
    HttpResponse r = post("/v1/login", asWang);
    expectError(r, 403, "permission_denied", "never", "this device is registered to another user");
    EXPECT_FALSE(bodyOf(r).contains("token"));

    // Lina's token still works and the device is still hers.
    auto session = accounts->authenticate(linaToken);
    ASSERT_TRUE(session.ok()) << session.error().message;
    EXPECT_EQ(session->user.name, "lina");
    ASSERT_EQ(accounts->devices().size(), 1u);
    EXPECT_EQ(accounts->devices()[0].user, "lina");
    SyncOutcome s = sync(lina);
    EXPECT_EQ(s.status(), 200) << s.last.dump();
}

// A device id is 128 bits; its hex text may come in either case
// (DeviceId::fromHex accepts both). The same device must not become a second
// user's device by changing the letter case of its id.
TEST_F(LoginTest, TheSameDeviceIdInUpperCaseIsStillTheSameDevice)
{
    auto upperOf = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        return s;
    };
    // A random id with no hex letter has no upper-case spelling (p = (10/16)^32):
    // then take another device.
    Device* first = &signedIn("lina-phone", "lina");
    for (int k = 1; upperOf(first->hex()) == first->hex(); ++k) first = &signedIn("lina-phone-" + std::to_string(k), "lina");
    Device& lina = *first;
    const std::string upper = upperOf(lina.hex());
    ASSERT_NE(upper, lina.hex());

    json asWang = {{"user", "wang"}, {"password", passwordOf("wang")}, {"device", upper}, {"device_name", "x"}};
    HttpResponse r = post("/v1/login", asWang);
    EXPECT_EQ(r.status, 403) << "wang signed in on lina's device id (upper-cased): " << r.body;
    if (r.status != 200) return;

    // What that allows: wang pushes under lina's device id, stamped a minute
    // ahead, and the hub moves lina's acknowledged mark past her own unsynced
    // change, which her next push then reports as a duplicate: it is lost.
    const std::string wangToken = bodyOf(r)["token"].get<std::string>();
    protocol::ChangeRecord fake;
    fake.entity = theSchema().entity("customer")->code;
    fake.id = replica::newRowId(now);
    fake.clock = {crdt::hlcFromMillis(now + kMinute), lina->deviceId()};
    fake.writes.push_back({theSchema().entity("customer")->field("name")->index, "Wang Co"s, 0});
    fake.writes.push_back({theSchema().entity("customer")->field("owner")->index, "wang"s, 0});
    json body = {{"schema", schema::kSchemaVersion},
                 {"device", upper},
                 {"push", {{"after", "0"}, {"changes", json::array({protocol::toJson(fake, theSchema())})}}}};
    HttpResponse w = post("/v1/sync", body, wangToken);
    EXPECT_EQ(w.status, 200) << w.body;

    const std::string linas = create(lina, "customer", Write().set("name", "Lina Co"s).set("owner", "lina"s));
    SyncOutcome s = sync(lina);
    EXPECT_EQ(s.status(), 200) << s.last.dump();
    EXPECT_EQ(s.accepted, 1u) << "lina's change was counted as a duplicate";
    EXPECT_EQ(hubIds("customer").count(linas), 1u) << "lina's customer never reached the server";
}

// ------------------------------------------------------------------ tokens on /v1/sync

class AuthTest : public LoginTest {
protected:
    void SetUp() override
    {
        LoginTest::SetUp();
        phone = &signedIn("lina-phone", "lina");
        tablet = &signedIn("lina-tablet", "lina");
        // Something already accepted, and something pending that must not be.
        create(*phone, "customer", Write().set("name", "Accepted Co"s).set("owner", "lina"s));
        ASSERT_EQ(sync(*phone).status(), 200);
        create(*phone, "customer", Write().set("name", "Pending Co"s).set("owner", "lina"s));
        before = hubState();
        ASSERT_EQ(before.head, 1u);
    }

    HttpResponse syncWith(const std::map<std::string, std::string>& headers, const json& body)
    {
        return request("POST", "/v1/sync", body.dump(), headers);
    }

    // The server keeps serving: the pending change goes through afterwards.
    void expectGoodSyncAfterwards()
    {
        SyncOutcome s = sync(*phone);
        EXPECT_EQ(s.status(), 200) << s.last.dump();
        EXPECT_EQ(s.accepted, 1u);
        EXPECT_EQ(hub->head(), 2u);
    }

    Device* phone = nullptr;
    Device* tablet = nullptr;
    HubState before;
};

TEST_F(AuthTest, MissingTokenIsUnauthenticated)
{
    const json body = syncBody(*phone);
    expectError(syncWith({}, body), 401, "unauthenticated", "after_login", "missing token: sign in first");
    expectError(syncWith({{"authorization", "Basic bGluYTpwdw=="}}, body), 401, "unauthenticated", "after_login",
                "missing token");
    expectError(syncWith({{"authorization", "Bearer "}}, body), 401, "unauthenticated", "after_login",
                "missing token");
    expectHubUnchanged(before, "a request without a token");
    expectGoodSyncAfterwards();
}

TEST_F(AuthTest, InvalidTokenIsUnauthenticated)
{
    const json body = syncBody(*phone);
    expectError(syncWith({{"authorization", "Bearer not-a-token"}}, body), 401, "unauthenticated", "after_login",
                "invalid token: sign in again");
    // A token with one character changed.
    std::string altered = phone->token;
    altered[0] = altered[0] == 'A' ? 'B' : 'A';
    expectError(syncWith({{"authorization", "Bearer " + altered}}, body), 401, "unauthenticated", "after_login",
                "invalid token");
    expectHubUnchanged(before, "a request with an invalid token");
    expectGoodSyncAfterwards();
}

TEST_F(AuthTest, RevokedDeviceIsUnauthenticatedUntilItSignsInAgain)
{
    ASSERT_TRUE(accounts->revokeDevice(phone->hex()).ok());
    HttpResponse r = post("/v1/sync", syncBody(*phone), phone->token);
    expectError(r, 401, "unauthenticated", "after_login", "this device was signed out by an administrator");
    expectHubUnchanged(before, "a request with a revoked token");
    EXPECT_EQ((*phone)->pendingCount(), 1u);

    // The other device of the same user is not affected.
    SyncOutcome t = sync(*tablet);
    EXPECT_EQ(t.status(), 200) << t.last.dump();

    // Signing in again issues a new token; the revoked one stays dead.
    const std::string revoked = phone->token;
    ASSERT_EQ(login(*phone).status, 200);
    EXPECT_EQ(post("/v1/sync", syncBody(*phone), revoked).status, 401);
    expectGoodSyncAfterwards();
}

TEST_F(AuthTest, TokenOfOneDeviceCannotSyncAsAnother)
{
    json body = syncBody(*tablet);  // the tablet's device id ...
    HttpResponse r = post("/v1/sync", body, phone->token);  // ... with the phone's token
    expectError(r, 403, "permission_denied", "never", "\"device\" must be the device this token was issued to");

    // The phone's own pending change, claimed to come from the tablet.
    body = syncBody(*phone);
    body["device"] = tablet->hex();
    r = post("/v1/sync", body, phone->token);
    EXPECT_EQ(r.status, 403) << r.body;
    body.erase("device");
    r = post("/v1/sync", body, phone->token);
    expectError(r, 403, "permission_denied", "never", "\"device\"");
    expectHubUnchanged(before, "a request naming another device");
    expectGoodSyncAfterwards();
}

TEST_F(AuthTest, WebSocketUpgradeNeedsAValidToken)
{
    HttpRequest ws;
    ws.method = "GET";
    ws.target = "/v1/ws";
    ws.headers["authorization"] = "Bearer " + phone->token;
    auto up = api->authorizeWebSocket(ws);
    EXPECT_TRUE(up.accepted);
    EXPECT_EQ(up.user, "lina");

    HttpRequest query;
    query.method = "GET";
    query.target = "/v1/ws?token=" + tablet->token;
    up = api->authorizeWebSocket(query);
    EXPECT_TRUE(up.accepted);
    EXPECT_EQ(up.user, "lina");

    query.target = "/v1/ws?token=nope";
    up = api->authorizeWebSocket(query);
    EXPECT_FALSE(up.accepted);
    EXPECT_EQ(up.refusal.status, 401);
    EXPECT_EQ(bodyOf(up.refusal)["error"], "unauthenticated");

    ASSERT_TRUE(accounts->revokeDevice(phone->hex()).ok());
    up = api->authorizeWebSocket(ws);
    EXPECT_FALSE(up.accepted);
    EXPECT_EQ(up.refusal.status, 401);
    EXPECT_THAT(bodyOf(up.refusal)["message"].get<std::string>(), HasSubstr("signed out by an administrator"));
}

} // namespace
} // namespace fieldsync::server::test
