// POST /v1/login (tokens, rate limiting, device ownership) and the token
// checks of /v1/sync and the WebSocket upgrade.
#include "ServerTestSupport.h"

#include "storage/Database.h"
#include "storage/Statement.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <thread>

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

TEST_F(LoginTest, AfterFiveFailuresEachAttemptWaitsADoublingDelayEvenWithTheRightPassword)
{
    Device& d = device("lina-phone", "lina");
    json wrong = loginBody(d);
    wrong["password"] = "guess-guess";
    for (int i = 0; i < 5; ++i) {
        HttpResponse r = post("/v1/login", wrong);
        expectError(r, 401, "unauthenticated", "after_login", "wrong user name or password");
        now += 100;
    }
    // Five failures are free; the sixth attempt waits 1 s after the fifth,
    // and the right password is refused while it runs.
    now -= 100;
    HttpResponse r = login(d);
    expectError(r, 429, "resource_exhausted", "later", "too many failed sign-ins; try again in 1 s");
    EXPECT_EQ(bodyOf(r)["retry_after_s"], 1);
    ASSERT_EQ(r.headers.count("Retry-After"), 1u);
    EXPECT_EQ(r.headers.at("Retry-After"), "1");
    EXPECT_TRUE(d.token.empty());

    // Then each failure doubles the wait: 1, 2, 4, 8, 16 s ...
    int64_t expected = 1;
    for (int i = 0; i < 5; ++i) {
        now += expected * 1000;
        expectError(post("/v1/login", wrong), 401, "unauthenticated", "after_login", "wrong user name or password");
        expected *= 2;
        HttpResponse w = login(d);
        EXPECT_EQ(w.status, 429) << w.body;
        EXPECT_EQ(bodyOf(w)["retry_after_s"], expected) << "after " << (6 + i) << " failures";
    }
    // The right password, once the wait has run: signed in, and the count
    // starts again (five free failures).
    now += expected * 1000;
    r = login(d);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(d.token.empty());
    for (int i = 0; i < 5; ++i) EXPECT_EQ(post("/v1/login", wrong).status, 401) << i;

    HttpResponse m = request("GET", "/metrics");
    EXPECT_THAT(m.body, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"401\"} 15\n"));
    EXPECT_THAT(m.body, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"429\"} 6\n"));
    EXPECT_THAT(m.body, HasSubstr("fieldsync_requests_total{path=\"/v1/login\",status=\"200\"} 1\n"));
    EXPECT_THAT(m.body, HasSubstr("fieldsync_errors_total{code=\"resource_exhausted\"} 6\n"));
}

TEST_F(LoginTest, FailuresAreForgottenADayAfterTheLast)
{
    Device& d = device("lina-phone", "lina");
    json wrong = loginBody(d);
    wrong["password"] = "guess-guess";
    for (int i = 0; i < 5; ++i) EXPECT_EQ(post("/v1/login", wrong).status, 401);
    now += 1000;
    EXPECT_EQ(post("/v1/login", wrong).status, 401);  // the sixth: the next waits 2 s
    now += 24 * 3600 * 1000 - 1;
    // A day without a failure, less 1 ms: still counted (the 2 s have passed).
    EXPECT_EQ(post("/v1/login", wrong).status, 401);
    EXPECT_EQ(login(d).status, 429) << "seven failures: a wait of 4 s";
    now += 24 * 3600 * 1000;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(post("/v1/login", wrong).status, 401) << "forgotten: five free again, " << i;
}

TEST_F(LoginTest, PasswordSprayingFromOneAddressIsThrottledAfterAHundredFailures)
{
    json ghost = {{"password", "Summer2026!"}, {"device", std::string(32, 'a')}};
    int evaluated = 0;
    for (int i = 0; i < 150; ++i) {
        ghost["user"] = "ghost" + std::to_string(i);  // one guess per name: no user's limit is reached
        HttpResponse r = post("/v1/login", ghost, {}, "192.0.2.7");
        if (r.status == 401) ++evaluated;
        else EXPECT_EQ(r.status, 429) << r.body;
    }
    RecordProperty("spray_guesses_evaluated_at_one_instant", evaluated);
    std::printf("[ figure ] password spraying from one address: %d of 150 guesses evaluated at one instant\n", evaluated);
    EXPECT_EQ(evaluated, 100);
    Device& d = device("lina-phone", "lina");
    HttpResponse r = login(d, "192.0.2.7");
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(bodyOf(r)["retry_after_s"], 1);
    r = login(d, "192.0.2.8");
    EXPECT_EQ(r.status, 200) << "another address is not limited: " << r.body;
    // An IPv6 client counts per /64: hopping within it does not help.
    for (int i = 0; i < 100; ++i) {
        ghost["user"] = "v6ghost" + std::to_string(i);
        EXPECT_EQ(post("/v1/login", ghost, {}, "2001:db8:1:2::" + std::to_string(i + 1)).status, 401) << i;
    }
    ghost["user"] = "v6ghost-last";
    EXPECT_EQ(post("/v1/login", ghost, {}, "2001:db8:1:2:ffff:ffff:ffff:ffff").status, 429);
    EXPECT_EQ(post("/v1/login", ghost, {}, "2001:db8:1:3::1").status, 401) << "another /64";
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
    // Bounded before anything is counted, hashed or stored.
    json longName = loginBody(d);
    longName["user"] = std::string(65, 'l');
    json controlName = loginBody(d);
    controlName["user"] = "lina\nsign-in failed: user admin";
    json longPassword = loginBody(d);
    longPassword["password"] = std::string(1025, 'p');
    json longDeviceName = loginBody(d);
    longDeviceName["device_name"] = std::string(129, 'n');
    json badKey = loginBody(d);
    badKey["device_key"] = "short";
    json numericKey = loginBody(d);
    numericKey["device_key"] = 42;
    const std::vector<Case> cases = {
        {"{\"user\": \"lina\"", "the body must be a JSON object"},
        {"[\"lina\", \"pw\"]", "the body must be a JSON object"},
        {"", "the body must be a JSON object"},
        {noPassword.dump(), "\"password\" (a string) is required"},
        {numericUser.dump(), "\"user\" (a string) is required"},
        {noDevice.dump(), "\"device\" (a string) is required"},
        {longName.dump(), "\"user\" must be 1 to 64 printable characters"},
        {controlName.dump(), "\"user\" must be 1 to 64 printable characters"},
        {longPassword.dump(), "\"password\" must be 1 to 1024 bytes"},
        {longDeviceName.dump(), "\"device_name\" must be at most 128 bytes"},
        {badKey.dump(), "\"device_key\" must be 43 base64url characters"},
        {numericKey.dump(), "\"device_key\" must be a string"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body.substr(0, 200));
        expectError(postRaw("/v1/login", c.body), 400, "invalid_argument", "never", c.message);
    }
    // Twelve refused bodies for lina, none of them a failed password: not limited.
    EXPECT_EQ(login(d).status, 200);
    // A device name may hold anything short (readers escape what they show).
    json escapes = loginBody(d);
    escapes["device_name"] = "phone\x1b[2J\nfake row";
    EXPECT_EQ(post("/v1/login", escapes).status, 200);
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

// ------------------------------------------------------------------ attacks on sign-in

// The attacks of docs/security.md ("Sign-in"), each with its figure.
class SignInAttackTest : public LoginTest {
protected:
    // An API over accounts that hash at a real (if modest) Argon2id cost, so
    // that hashing takes long enough for concurrency and timing to show.
    struct SlowServer {
        std::unique_ptr<Accounts> accounts;
        Metrics metrics;
        std::unique_ptr<SyncApi> api;
    };
    std::unique_ptr<SlowServer> slowServer(unsigned long long memLimit = 16u << 20)
    {
        auto s = std::make_unique<SlowServer>();
        s->accounts = openAccounts(cheapHashing(2, memLimit));
        s->api = std::make_unique<SyncApi>(*hub, *s->accounts, s->metrics, apiOptions());
        return s;
    }
    static HttpResponse loginVia(SyncApi& api, const json& body, const std::string& remote)
    {
        HttpRequest r;
        r.method = "POST";
        r.target = "/v1/login";
        r.headers["content-type"] = "application/json";
        r.body = body.dump();
        r.remoteAddress = remote;
        return api.handle(r);
    }
    static std::string key(char c) { return std::string(43, c); }
};

TEST_F(SignInAttackTest, ConcurrentGuessesAreReservedBeforeHashing)
{
    auto slow = slowServer();
    ASSERT_TRUE(slow->accounts->addUser("victim", Role::Rep, "north"s, "victim-secret-pw").ok());
    constexpr int kGuesses = 40;
    const int limit = Accounts::Options{}.perUser.freeFailures;
    std::atomic<int> ready{0};
    std::vector<int> statuses(kGuesses);
    std::vector<std::thread> threads;
    for (int i = 0; i < kGuesses; ++i)
        threads.emplace_back([&, i] {
            json body = {{"user", "victim"}, {"password", "guess-" + std::to_string(i)},
                         {"device", std::string(31, 'a') + "0123456789abcdef"[i % 16]}};
            ++ready;
            while (ready < kGuesses) std::this_thread::yield();
            // Each from its own address: only the user's limit applies.
            statuses[i] = loginVia(*slow->api, body, "198.51.100." + std::to_string(i + 1)).status;
        });
    for (auto& t : threads) t.join();
    const int evaluated = static_cast<int>(std::count(statuses.begin(), statuses.end(), 401));
    const int refused = static_cast<int>(std::count(statuses.begin(), statuses.end(), 429));
    RecordProperty("guesses_evaluated", evaluated);
    RecordProperty("limit", limit);
    std::printf("[ figure ] %d concurrent wrong-password sign-ins for one user, limit %d: %d evaluated (hashed), %d refused "
                "with 429\n", kGuesses, limit, evaluated, refused);
    EXPECT_LE(evaluated, limit);
    EXPECT_GE(evaluated, 1);
    EXPECT_EQ(evaluated + refused, kGuesses);
}

TEST_F(SignInAttackTest, AnUnknownUserCostsAsMuchAsAKnownOne)
{
    // 64 MiB: libsodium's interactive memory cost, the server's default.
    auto slow = slowServer(64u << 20);
    ASSERT_TRUE(slow->accounts->addUser("known", Role::Rep, "north"s, "known-secret-pw").ok());
    auto timed = [&](const json& body) {
        const auto t0 = std::chrono::steady_clock::now();
        HttpResponse r = loginVia(*slow->api, body, "192.0.2.50");
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_THAT(r.body, HasSubstr("wrong user name or password"));
        return ms;
    };
    std::vector<double> known, unknown;
    for (int i = 0; i < 7; ++i) {
        // Alternated, and a day apart on the fake clock, so no limit is reached.
        unknown.push_back(timed({{"user", "nobody" + std::to_string(i)}, {"password", "guess"}, {"device", std::string(32, 'b')}}));
        known.push_back(timed({{"user", "known"}, {"password", "guess"}, {"device", std::string(32, 'b')}}));
        now += 25 * 3600 * 1000;
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const double k = median(known), u = median(unknown);
    RecordProperty("known_user_ms", std::to_string(k));
    RecordProperty("unknown_user_ms", std::to_string(u));
    std::printf("[ figure ] sign-in refused, median of 7: known user %.1f ms, unknown user %.1f ms (ratio %.2f)\n", k, u, u / k);
    EXPECT_GT(k, 5.0) << "the known user's password was not hashed at the configured cost";
    EXPECT_GE(u / k, 0.5);
    EXPECT_LE(u / k, 2.0);
}

TEST_F(SignInAttackTest, AnAttackerCannotKeepTheUserOutLongerThanTheMaximumDelay)
{
    const int64_t maxDelayS = Accounts::Options{}.perUser.maxDelay.count() / 1000;
    // Lina's phone signed in before, with its sign-in key: a trusted device.
    Device& phone = device("lina-phone", "lina");
    json phoneLogin = loginBody(phone);
    phoneLogin["device_key"] = key('p');
    ASSERT_EQ(post("/v1/login", phoneLogin, {}, "10.1.1.1").status, 200);

    // An attacker guesses lina's password from elsewhere for a day and a
    // half, as fast as the limits let it.
    json guess = {{"user", "lina"}, {"password", "guess"}, {"device", std::string(32, 'e')}};
    int guesses = 0;
    int64_t longestWaitS = 0;
    // One guess, made as soon as it is allowed.
    auto guessOnce = [&] {
        for (;;) {
            HttpResponse r = post("/v1/login", guess, {}, "203.0.113." + std::to_string(1 + guesses % 200));
            if (r.status == 401) {
                ++guesses;
                return;
            }
            ASSERT_EQ(r.status, 429) << r.body;
            const int64_t wait = bodyOf(r)["retry_after_s"].get<int64_t>();
            longestWaitS = std::max(longestWaitS, wait);
            now += wait * 1000;
        }
    };
    const int64_t start = now;
    while (now < start + 36 * 3600 * 1000LL) guessOnce();
    RecordProperty("attacker_guesses_in_36h", guesses);
    RecordProperty("longest_wait_s", longestWaitS);
    std::printf("[ figure ] an attacker guessing one user's password for 36 h: %d guesses evaluated, longest wait %lld s "
                "(maximum %lld s)\n", guesses, static_cast<long long>(longestWaitS), static_cast<long long>(maxDelayS));
    EXPECT_LE(longestWaitS, maxDelayS);
    EXPECT_LE(guesses, 5 + 10 + (36 * 3600) / static_cast<int>(maxDelayS) + 1);

    // Right after the attacker's last guess: lina's trusted phone signs in at
    // once, from anywhere ...
    ASSERT_EQ(post("/v1/login", phoneLogin, {}, "10.1.1.2").status, 200);
    // ... a new device waits, with the right password, at most the maximum delay.
    Device& tablet = device("lina-tablet", "lina");
    HttpResponse r = login(tablet, "10.1.1.2");
    ASSERT_EQ(r.status, 429) << r.body;
    const int64_t wait = bodyOf(r)["retry_after_s"].get<int64_t>();
    RecordProperty("new_device_wait_s", wait);
    EXPECT_LE(wait, maxDelayS);
    now += wait * 1000;
    EXPECT_EQ(login(tablet, "10.1.1.2").status, 200);
    // A wrong key is no key: it earns no trust.
    json forged = loginBody(phone);
    forged["device_key"] = key('x');
    forged["password"] = "guess";
    EXPECT_EQ(post("/v1/login", forged, {}, "203.0.113.9").status, 401);
    EXPECT_EQ(post("/v1/login", phoneLogin, {}, "10.1.1.2").status, 200) << "the forged key cost the phone nothing";
}

TEST_F(SignInAttackTest, AnOfficeBehindOneAddressSignsInWhileOneMachineThereGuesses)
{
    const std::string office = "198.51.100.1";
    constexpr int kColleagues = 20;
    for (int i = 0; i < kColleagues; ++i) addUser("office" + std::to_string(i), Role::Rep, "north"s);
    // One machine in the office guesses wang's password all morning (4 h).
    json guess = {{"user", "wang"}, {"password", "guess"}, {"device", std::string(32, 'e')}};
    const int64_t start = now;
    int guesses = 0;
    while (now < start + 4 * 3600 * 1000LL) {
        HttpResponse r = post("/v1/login", guess, {}, office);
        if (r.status == 401) {
            ++guesses;
            continue;
        }
        now += bodyOf(r)["retry_after_s"].get<int64_t>() * 1000;
    }
    // Meanwhile (the guesser is still at it) each colleague signs in on a
    // new device, from the same address, and one of them mistypes first.
    int signedInAtOnce = 0;
    for (int i = 0; i < kColleagues; ++i) {
        Device& d = device("office-device-" + std::to_string(i), "office" + std::to_string(i));
        if (i == 3) {
            json typo = loginBody(d);
            typo["password"] = "typo";
            EXPECT_EQ(post("/v1/login", typo, {}, office).status, 401);
        }
        HttpResponse r = login(d, office);
        if (r.status == 200) ++signedInAtOnce;
        else ADD_FAILURE() << "office" << i << ": " << r.body;
    }
    RecordProperty("office_guesses", guesses);
    RecordProperty("colleagues_signed_in_at_once", signedInAtOnce);
    std::printf("[ figure ] one office address: a machine made %d guesses in 4 h; %d of %d colleagues signed in at once\n",
                guesses, signedInAtOnce, kColleagues);
    EXPECT_EQ(signedInAtOnce, kColleagues);
}

// ------------------------------------------------------------------ the test-only fast hash

// What a build without the switch (-DFIELDSYNC_FAST_HASH_SWITCH=OFF, every
// Release build) makes of FIELDSYNC_FAST_PASSWORD_HASH=1: nothing. The CMake
// side (Release turns the switch off) is fast_hash_switch_test.sh.
TEST(FastPasswordHashTest, TheVariableHasNoEffectInABuildWithoutTheSwitch)
{
    ASSERT_EQ(setenv("FIELDSYNC_FAST_PASSWORD_HASH", "1", 1), 0);
    std::string note;
    Accounts::Options release = Accounts::fromEnvironment(false, &note);
    EXPECT_EQ(release.opsLimit, 0u) << "0: libsodium's interactive cost";
    EXPECT_EQ(release.memLimit, 0u);
    EXPECT_THAT(note, HasSubstr("FIELDSYNC_FAST_PASSWORD_HASH is ignored"));
    note.clear();
    Accounts::Options test = Accounts::fromEnvironment(true, &note);
    EXPECT_EQ(test.opsLimit, 1u);
    EXPECT_EQ(test.memLimit, 8192u);
    EXPECT_THAT(note, HasSubstr("minimum cost"));

    // What a server built without the switch stores: a full-cost hash.
    std::string dir = "/tmp/fieldsync-fasthash-XXXXXX";
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    {
        Accounts accounts(dir + "/accounts.db", release);
        ASSERT_TRUE(accounts.addTeam("north").ok());
        ASSERT_TRUE(accounts.addUser("lina", Role::Rep, "north"s, "lina-secret-pw").ok());
    }
    storage::Database db(dir + "/accounts.db");
    storage::Statement st(db, "SELECT password FROM user WHERE name = 'lina'");
    ASSERT_TRUE(st.step());
    EXPECT_THAT(st.getText(0), HasSubstr("$m=65536,t=2,")) << "libsodium's interactive Argon2id cost";
    std::filesystem::remove_all(dir);

    ASSERT_EQ(unsetenv("FIELDSYNC_FAST_PASSWORD_HASH"), 0);
    note.clear();
    Accounts::Options unset = Accounts::fromEnvironment(true, &note);
    EXPECT_EQ(unset.opsLimit, 0u);
    EXPECT_TRUE(note.empty());
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
    expectError(syncWith({}, body), 401, "unauthenticated", "after_login",
                "missing token: send it as \"Authorization: Bearer <token>\"");
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

TEST_F(AuthTest, RevokedDeviceGetsRevokedUntilItSignsInAgain)
{
    ASSERT_TRUE(accounts->revokeDevice(phone->hex()).ok());
    HttpResponse r = post("/v1/sync", syncBody(*phone), phone->token);
    expectError(r, 401, "revoked", "never", "this device was signed out by an administrator");
    expectHubUnchanged(before, "a request with a revoked token");
    EXPECT_EQ((*phone)->pendingCount(), 1u);
    // Revoking again is not an error.
    EXPECT_TRUE(accounts->revokeDevice(phone->hex()).ok());

    // The other device of the same user is not affected.
    SyncOutcome t = sync(*tablet);
    EXPECT_EQ(t.status(), 200) << t.last.dump();

    // Signing in again issues a new token; the revoked one stays dead.
    const std::string revoked = phone->token;
    ASSERT_EQ(login(*phone).status, 200);
    EXPECT_EQ(post("/v1/sync", syncBody(*phone), revoked).status, 401);
    expectGoodSyncAfterwards();

    HttpResponse m = request("GET", "/metrics");
    EXPECT_THAT(m.body, HasSubstr("fieldsync_errors_total{code=\"revoked\"} 1\n"));
}

TEST_F(AuthTest, LogoutRevokesTheTokenOnTheServer)
{
    HttpResponse r = post("/v1/logout", json::object(), phone->token, "10.0.0.9");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(bodyOf(r), json({{"revoked", true}, {"device", phone->hex()}}));

    // The old token now gets `revoked`, on every path, and changes nothing.
    expectError(post("/v1/sync", syncBody(*phone), phone->token), 401, "revoked", "never",
                "this device signed out and its token was revoked");
    expectError(post("/v1/logout", json::object(), phone->token), 401, "revoked", "never", "signed out");
    HttpRequest ws;
    ws.method = "GET";
    ws.target = "/v1/ws";
    ws.headers["authorization"] = "Bearer " + phone->token;
    auto up = api->authorizeWebSocket(ws);
    EXPECT_FALSE(up.accepted);
    EXPECT_EQ(bodyOf(up.refusal)["error"], "revoked");
    expectHubUnchanged(before, "requests with a signed-out token");
    bool listed = false;
    for (const auto& d : accounts->devices())
        if (d.device == phone->hex()) listed = d.revokedAt.has_value();
    EXPECT_TRUE(listed) << "device list shows the phone revoked";

    // Only that device: the tablet keeps syncing; the phone signs in again.
    EXPECT_EQ(sync(*tablet).status(), 200);
    ASSERT_EQ(login(*phone).status, 200);
    expectGoodSyncAfterwards();

    // Without a token there is nothing to sign out.
    expectError(post("/v1/logout", json::object()), 401, "unauthenticated", "after_login", "missing token");
    HttpResponse get = request("GET", "/v1/logout");
    EXPECT_EQ(get.status, 405);
    EXPECT_EQ(get.headers.at("Allow"), "POST");
}

TEST_F(AuthTest, TokenInTheUrlIsIgnoredExceptOnTheWebSocket)
{
    // Tokens in URLs end up in access logs: /v1/sync and /v1/logout only read the header.
    HttpResponse r = request("POST", "/v1/sync?token=" + phone->token, syncBody(*phone).dump(),
                             {{"content-type", "application/json"}});
    expectError(r, 401, "unauthenticated", "after_login", "Authorization: Bearer");
    r = request("POST", "/v1/sync?x=1&token=" + phone->token, syncBody(*phone).dump(), {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 401) << r.body;
    r = request("POST", "/v1/logout?token=" + phone->token, "{}", {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 401) << r.body;
    expectHubUnchanged(before, "requests with the token in the URL");
    EXPECT_TRUE(accounts->authenticate(phone->token).ok()) << "the phone was signed out by a URL token";

    // The WebSocket, whose browser clients cannot set headers, still takes it.
    HttpRequest ws;
    ws.method = "GET";
    ws.target = "/v1/ws?token=" + phone->token;
    EXPECT_TRUE(api->authorizeWebSocket(ws).accepted);
    ws.target = "/v1/ws?v=1&token=" + phone->token;
    EXPECT_TRUE(api->authorizeWebSocket(ws).accepted);
    ws.target = "/v1/ws?xtoken=" + phone->token;
    EXPECT_FALSE(api->authorizeWebSocket(ws).accepted);
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
    EXPECT_EQ(bodyOf(up.refusal)["error"], "revoked");
    EXPECT_THAT(bodyOf(up.refusal)["message"].get<std::string>(), HasSubstr("signed out by an administrator"));
}

} // namespace
} // namespace fieldsync::server::test
