// The adversarial scope property test (docs/security.md): random users —
// reps and managers of two teams, an admin, a revoked device — issue random
// legal and illegal operations against a real hub through the API handlers:
// edits, creates, re-pointed children, owner and team changes, pool claims
// and returns, forged cursors and `seen`, replayed batches, references to
// other customers' rows, pushes full of refused changes. Every user has an
// honest device (a real replica, synced the way the app syncs) and an
// attacker's device that sends raw requests with the same user's token.
//
// An independent model — the scope rules restated here from docs/api.md,
// fed by the hub's log (who wrote what) — checks after every request:
//   * nothing outside a user's scope reached them: every pulled record,
//     every record of a refused push's `restore`, every eviction, every poke;
//   * no write outside the writer's scope was accepted: every new log entry
//     is checked against the model's state before it;
//   * `restore` stays within its bound and names each field of a row once;
//   * a forged `seen` never reaches the log beyond what was served;
//   * the revoked device gets nothing.
// At the end of a scenario every honest device syncs and must hold exactly
// what the model says its user sees, as the hub holds it (nobody lost access
// to their own rows, evictions happened, all devices converged).
//
// 500 scenarios per store in `./dev test` (FIELDSYNC_SCOPE_SCENARIOS to
// change), 10,000 with `--long` (FIELDSYNC_LONG); FIELDSYNC_SEED replays one
// (each failure prints its seed).
#include "ServerTestSupport.h"

#include "replica/Ids.h"
#include "storage/Statement.h"

#include <random>

#include <spdlog/spdlog.h>

namespace fieldsync::server::test {
namespace {

// ---------------------------------------------------------------- the model

struct Person {
    std::string name;
    Role role;
    std::optional<std::string> team;
};

struct RootState {
    std::optional<std::string> owner;
    crdt::Clock ownerClock;
    std::optional<std::string> team;
};

struct RowInfo {
    std::string entity;
    std::string root;  // "" for a row of no customer (team_config)
    bool checkedIn = false;  // a visit the hub holds with a check-in
};

const std::set<std::string> kChildren = {"contact", "visit", "task", "complaint"};

std::optional<std::string> textOrNull(const json& set, const char* key)
{
    if (!set.contains(key) || !set[key].is_string()) return std::nullopt;
    return set[key].get<std::string>();
}

class Model {
public:
    std::map<std::string, Person> people;
    std::map<std::string, RootState> roots;
    std::map<std::string, RowInfo> rows;
    // Row ids in the order the log made them: what the test picks from, so
    // that a seed replays the same scenario though ids are random.
    std::vector<std::string> order;

    bool member(const std::string& user, const std::optional<std::string>& team) const
    {
        auto it = people.find(user);
        return team && it != people.end() && it->second.team == team;
    }

    // May `u` write rows of a root with this owner and team?
    bool owns(const Person& u, const std::optional<std::string>& owner, const std::optional<std::string>& team) const
    {
        switch (u.role) {
        case Role::Admin: return true;
        case Role::Manager: return owner ? (*owner == u.name || member(*owner, u.team)) : (!team || team == u.team);
        case Role::Rep: return owner && *owner == u.name;
        }
        return false;
    }

    bool sees(const Person& u, const std::string& root) const
    {
        if (root.empty() || u.role == Role::Admin) return true;
        auto it = roots.find(root);
        if (it == roots.end()) return false;
        const auto& r = it->second;
        return owns(u, r.owner, r.team) || (!r.owner && (!r.team || r.team == u.team));
    }

    std::string rootOfRow(const std::string& id) const
    {
        auto it = rows.find(id);
        return it == rows.end() ? std::string() : it->second.root;
    }

    // Why `u` may not make this change, as the rules of docs/api.md say; "" if allowed.
    std::string refusal(const Person& u, const json& change) const
    {
        const std::string entity = change["entity"], id = change["id"];
        const json set = change.value("set", json::object());
        const bool admin = u.role == Role::Admin, rep = u.role == Role::Rep;
        if (entity == "team_config") {
            if (admin) return "";
            if (rep || !u.team || id != schema::teamConfigRowId(*u.team)) return "team config of another team";
            return "";
        }
        if (entity == "customer") {
            auto it = roots.find(id);
            if (it == roots.end()) {
                if (!admin && set.contains("team") && textOrNull(set, "team") != u.team) return "another team";
                if (auto owner = textOrNull(set, "owner")) {
                    if (rep && *owner != u.name) return "a rep creates for themselves";
                    if (u.role == Role::Manager && !owns(u, owner, u.team)) return "owner outside the team";
                }
                return "";
            }
            const RootState& r = it->second;
            if (set.contains("team")) return "team written on an existing customer";
            if (set.contains("owner")) {
                if (admin) return "";
                auto newOwner = textOrNull(set, "owner");
                if (rep) {
                    // A claim from the team's pool, or "mine" again on one already hers.
                    const bool claimable = r.owner ? *r.owner == u.name : (!r.team || r.team == u.team);
                    return claimable && newOwner == u.name ? "" : "not a claim";
                }
                if (!owns(u, r.owner, r.team)) return "reassigning another team's customer";
                if (newOwner && !member(*newOwner, u.team)) return "reassigning outside the team";
                return "";
            }
            return owns(u, r.owner, r.team) ? "" : "editing a customer outside the scope";
        }
        std::string root;
        if (kChildren.count(entity)) {
            auto it = rows.find(id);
            if (it == rows.end()) {
                auto parent = textOrNull(set, "customer");
                if (!parent || !roots.count(*parent)) return "child of an unknown customer";
                root = *parent;
            } else {
                root = it->second.root;
                if (set.contains("customer") && textOrNull(set, "customer") != root) return "re-pointed child";
            }
        } else if (entity == "conflict") {
            auto it = rows.find(id);
            if (it == rows.end()) return "a device made a conflict entry";
            root = it->second.root;
            if (root.empty()) return "a conflict entry of no customer";
        } else {
            return "unknown entity " + entity;
        }
        const RootState& r = roots.at(root);
        if (!owns(u, r.owner, r.team)) return "writing a row outside the scope";
        // A rep calls off a plan the hub holds; a check-in makes it evidence.
        if (rep && entity == "visit" && (set.contains("voided") || set.contains("void_reason"))) {
            auto it = rows.find(id);
            if (it == rows.end()) return "a rep creating a voided visit";
            if (it->second.checkedIn) return "a rep voiding a checked-in visit";
        }
        if (entity == "task")
            if (auto visit = textOrNull(set, "origin_visit"); visit && rows.count(*visit)) {
                const std::string other = rows.at(*visit).root;
                if (other != root && !sees(u, other)) return "a reference to an invisible visit";
            }
        return "";
    }

    void apply(const json& change)
    {
        const std::string entity = change["entity"], id = change["id"];
        const json set = change.value("set", json::object());
        const auto clock = crdt::Clock::parse(change["clock"].get<std::string>()).value();
        if (entity == "customer") {
            auto [it, fresh] = roots.try_emplace(id);
            if (fresh) {
                it->second.team = textOrNull(set, "team");
                rows[id] = {entity, id};
                order.push_back(id);
            }
            if (set.contains("owner") && (fresh || clock > it->second.ownerClock)) {
                it->second.owner = textOrNull(set, "owner");
                it->second.ownerClock = clock;
            }
        } else if (kChildren.count(entity)) {
            if (rows.try_emplace(id, RowInfo{entity, textOrNull(set, "customer").value_or("")}).second)
                order.push_back(id);
            if (entity == "visit" && set.contains("checkin_at") && !set["checkin_at"].is_null())
                rows[id].checkedIn = true;
        } else if (entity == "conflict") {
            if (!rows.count(id)) {
                rows[id] = {entity, rootOfRow(textOrNull(set, "row").value_or(""))};
                order.push_back(id);
            }
        } else {
            if (rows.try_emplace(id, RowInfo{entity, ""}).second) order.push_back(id);
        }
    }
};

// ---------------------------------------------------------------- the attacker's device

struct RawDevice {
    crdt::DeviceId id;
    std::string token;
    crdt::Hlc last = 0, acked = 0;
    uint64_t cursor = 0, served = 0;
    json lastChanges = json::array();
    crdt::Hlc lastAfter = 0;
};

struct Actor {
    Person person;
    Device* honest = nullptr;
    RawDevice raw;
};

const std::map<std::string, std::vector<std::string>> kEditable = {
    {"customer", {"name", "phone", "notes", "region"}},
    {"contact", {"name", "phone", "title"}},
    {"visit", {"purpose", "notes", "outcome"}},
    {"task", {"title", "notes"}},
    {"complaint", {"description", "handler"}},
};

class ScopePropertyTest : public ServerFixture {
protected:
    void startWorld(uint64_t seed)
    {
        // Every refusal is logged at info: thousands here, none worth reading.
        spdlog::set_level(spdlog::level::warn);
        m_rng.seed(seed);
        addUser("li", Role::Manager, "south"s);
        model = Model{};
        actors.clear();
        const std::vector<Person> people = {{"lina", Role::Rep, "north"s},    {"wang", Role::Rep, "north"s},
                                            {"zhou", Role::Rep, "south"s},    {"zhang", Role::Manager, "north"s},
                                            {"li", Role::Manager, "south"s},  {"admin", Role::Admin, std::nullopt}};
        for (const auto& p : people) {
            model.people[p.name] = p;
            Actor a;
            a.person = p;
            a.honest = &signedIn(p.name + "-phone", p.name);
            a.raw = rawDevice(p.name);
            actors.push_back(std::move(a));
        }
        // A lost phone of lina's, revoked by the admin.
        revoked = rawDevice("lina");
        ASSERT_TRUE(accounts->revokeDevice(revoked.id.hex()).ok());
        logSeen = 0;
        pokesSeen = pokes.calls.size();
    }

    RawDevice rawDevice(const std::string& user)
    {
        RawDevice d;
        d.id = replica::newDeviceId();
        HttpResponse r = post("/v1/login", json{{"user", user}, {"password", passwordOf(user)}, {"device", d.id.hex()}});
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status == 200) d.token = bodyOf(r)["token"].get<std::string>();
        return d;
    }

    size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(m_rng); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_rng) < p; }
    template <typename C>
    auto anyOf(const C& c) { return *std::next(c.begin(), static_cast<long>(pick(c.size()))); }
    std::string text() { return "t" + std::to_string(pick(1000000)); }

    std::vector<std::string> rowIds(const std::string& entity) const
    {
        std::vector<std::string> out;
        for (const auto& id : model.order)
            if (model.rows.at(id).entity == entity) out.push_back(id);
        return out;
    }
    // Customers `u` may write, by the model.
    std::vector<std::string> writable(const Person& u) const
    {
        std::vector<std::string> out;
        for (const auto& id : rowIds("customer"))
            if (const auto& r = model.roots.at(id); model.owns(u, r.owner, r.team)) out.push_back(id);
        return out;
    }

    // ------------------------------------------------------------ the checks

    std::string describe(const std::string& root) const
    {
        auto it = model.roots.find(root);
        if (it == model.roots.end()) return root + " (none)";
        return root + " owner " + it->second.owner.value_or("-") + " team " + it->second.team.value_or("-")
               + " owner clock " + it->second.ownerClock.str();
    }

    void expectVisible(const Person& u, const json& change, const std::string& what)
    {
        const std::string id = change["id"];
        const std::string root = change["entity"] == "customer" ? id : model.rootOfRow(id);
        EXPECT_TRUE(model.rows.count(id)) << what << " for " << u.name << ": a row the hub never logged: " << change;
        EXPECT_TRUE(model.sees(u, root)) << what << " for " << u.name << ": a row outside the scope: " << change;
    }

    // Checks one /v1/sync answer to `u` (after absorbing the log).
    void checkAnswer(const Person& u, const HttpResponse& r, size_t requestBytes, const std::string& context)
    {
        json b = bodyOf(r);
        if (b.contains("pull")) {
            for (const auto& c : b["pull"]["changes"]) expectVisible(u, c, context + ": pulled");
            // An eviction is of a customer that left the scope within the
            // page; once the page reaches the head, it is out of it now.
            if (!b["pull"]["more"].get<bool>()) {
                for (const auto& c : b["pull"]["evict"])
                    EXPECT_FALSE(model.sees(u, c.get<std::string>()))
                        << context << ": " << u.name << " was told to evict a customer still in the scope";
            }
        }
        if (r.status == 403 && b.contains("restore")) {
            std::set<std::tuple<std::string, std::string>> fields;
            for (const auto& c : b["restore"]) {
                expectVisible(u, c, context + ": restored");
                const json set = c.value("set", json::object());
                for (auto it = set.begin(); it != set.end(); ++it)
                    EXPECT_TRUE(fields.emplace(c["id"], it.key()).second)
                        << context << ": restore repeats " << c["id"] << "." << it.key();
            }
            // Its bound (docs/api.md): the request's size or 64 KiB, plus one row.
            EXPECT_LE(b["restore"].dump().size(), std::max<size_t>(requestBytes, 64 * 1024) + 64 * 1024)
                << context << ": restore outgrew its bound";
        }
    }

    // Who may hear of a request's changes: whoever saw a touched customer at
    // any moment of it (before or after any of its changes); everybody if a
    // touched row is everybody's (no owner and no team, or of no customer).
    struct Audience {
        std::set<std::string> users;
        bool everyone = false;
        std::string roots;  // for messages
    };

    void hear(Audience& a, const std::string& root) const
    {
        if (root.empty()) a.everyone = true;
        if (auto it = model.roots.find(root); it != model.roots.end() && !it->second.owner && !it->second.team)
            a.everyone = true;
        for (const auto& [name, p] : model.people)
            if (model.sees(p, root)) a.users.insert(name);
        a.roots += " " + describe(root);
    }

    // Reads the log's new entries and checks each against the model as it
    // stood before it; then applies it.
    Audience absorbLog(const std::string& context)
    {
        Audience audience;
        storage::UsingStatement st(hub->database(),
                                   "SELECT seq, \"user\", device, record FROM hub_log WHERE seq > ? ORDER BY seq");
        st->bind(1, static_cast<int64_t>(logSeen));
        std::vector<std::tuple<uint64_t, std::string, bool, json>> entries;
        while (st->step()) {
            const auto blob = st->getBlobView(2);
            crdt::DeviceId device;
            std::copy(blob.begin(), blob.end(), reinterpret_cast<char*>(device.bytes.data()));
            entries.emplace_back(static_cast<uint64_t>(st->getInt(0)), st->getText(1), device == hub->deviceId(),
                                 json::parse(st->getText(3)));
        }
        for (const auto& [seq, user, byHub, change] : entries) {
            logSeen = seq;
            const std::string id = change["id"];
            if (!byHub) {
                const std::string why = model.refusal(model.people.at(user), change);
                EXPECT_EQ(why, "") << context << ": the hub accepted from " << user << " a change the scope rules "
                                   << "refuse (" << why << "): " << change.dump() << "; its customer in the model: "
                                   << describe(change["entity"] == "customer" ? id : model.rootOfRow(id));
                if (change.contains("seen")) {
                    const auto writer = crdt::Clock::parse(change["clock"].get<std::string>())->device;
                    for (const auto& a : actors) {
                        if (a.raw.id != writer) continue;
                        EXPECT_LE(change["seen"].get<uint64_t>(), a.raw.served)
                            << context << ": a seen beyond what the device was served reached the log";
                    }
                }
            }
            hear(audience, change["entity"] == "customer" ? id : model.rootOfRow(id));
            model.apply(change);
            hear(audience, change["entity"] == "customer" ? id : model.rootOfRow(id));
        }
        return audience;
    }

    // Pokes since the last look go to the request's audience only.
    void checkPokes(const Audience& audience, const std::string& context)
    {
        for (; pokesSeen < pokes.calls.size(); ++pokesSeen) {
            const auto& call = pokes.calls[pokesSeen];
            if (call.users.empty()) {
                EXPECT_TRUE(audience.everyone)
                    << context << ": everybody was poked for customers that are not everybody's:" << audience.roots;
            }
            for (const auto& user : call.users)
                EXPECT_TRUE(audience.users.count(user))
                    << context << ": " << user << " was poked for customers outside the scope:" << audience.roots;
        }
    }

    // ------------------------------------------------------------ requests

    HttpResponse sendSync(const Person& u, const std::string& token, const json& body, const std::string& context)
    {
        const std::string text = body.dump();
        HttpResponse r = postRaw("/v1/sync", text, token);
        EXPECT_TRUE(r.status == 200 || r.status == 403 || r.status == 400 || r.status == 409)
            << context << ": status " << r.status << ": " << r.body;
        const Audience audience = absorbLog(context);
        checkAnswer(u, r, text.size(), context);
        checkPokes(audience, context);
        return r;
    }

    // The honest device syncs the way the app does, every answer checked.
    void honestSync(Actor& a, const std::string& context)
    {
        SyncOutcome out;
        for (int guard = 0; guard < 50; ++guard) {
            const bool pushing = a.honest->replica->pendingCount() > 0;
            HttpResponse r = sendSync(a.person, a.honest->token, syncBody(*a.honest, pushing), context + " (honest sync)");
            apply(*a.honest, r, out);
            if (r.status == 403 && out.last.contains("push")) continue;
            ASSERT_EQ(r.status, 200) << context << ": " << r.body;
            if (a.honest->replica->pendingCount() == 0 && !out.last["pull"]["more"].get<bool>()) return;
        }
        FAIL() << context << ": the honest sync of " << a.person.name << " did not settle";
    }

    json rawChange(RawDevice& d, const std::string& entity, const std::string& id, json set, uint64_t seen)
    {
        d.last = std::max(d.last + 1, crdt::hlcFromMillis(now));
        return {{"entity", entity}, {"id", id}, {"clock", crdt::Clock{d.last, d.id}.str()}, {"seen", seen},
                {"set", std::move(set)}};
    }

    HttpResponse rawPush(Actor& a, json changes, bool withPull, const std::string& context)
    {
        RawDevice& d = a.raw;
        json body = {{"schema", schema::kSchemaVersion}, {"device", d.id.hex()},
                     {"push", {{"after", std::to_string(d.acked)}, {"changes", changes}}}};
        if (withPull) body["pull"] = {{"cursor", d.cursor}, {"limit", 50}};
        d.lastChanges = changes;
        d.lastAfter = d.acked;
        HttpResponse r = sendSync(a.person, d.token, body, context);
        json b = bodyOf(r);
        if (b.contains("push")) d.acked = std::max<crdt::Hlc>(d.acked, std::stoull(b["push"]["acked"].get<std::string>()));
        if (r.status == 200 && b.contains("pull")) {
            d.cursor = b["pull"]["cursor"].get<uint64_t>();
            d.served = std::max(d.served, d.cursor);
        }
        return r;
    }

    // ------------------------------------------------------------ operations

    void honestOp(Actor& a, const std::string& context)
    {
        honestSync(a, context);
        Device& d = *a.honest;
        const Person& u = a.person;
        auto mine = writable(u);
        // Rows this device holds, of customers it may write.
        auto held = [&](const std::string& entity) {
            std::vector<std::string> out;
            for (const auto& id : rowIds(entity))
                if (has(d, entity, id) && model.owns(u, model.roots.at(model.rootOfRow(id)).owner,
                                                     model.roots.at(model.rootOfRow(id)).team))
                    out.push_back(id);
            return out;
        };
        switch (pick(7)) {
        case 0: {  // a new customer, the way the app makes one
            Write w = Write().set("name", text());
            if (u.team) w.set("team", *u.team);
            if (u.role == Role::Rep && chance(0.7)) w.set("owner", u.name);
            if (u.role == Role::Manager && chance(0.5)) {
                std::vector<std::string> team;
                for (const auto& [name, p] : model.people)
                    if (p.team == u.team) team.push_back(name);
                w.set("owner", anyOf(team));
            }
            if (u.role == Role::Admin && chance(0.5)) w.set("owner", anyOf(std::vector<std::string>{"lina", "zhou", "wang"}));
            (void)d->create("customer", w);
            break;
        }
        case 1:
        case 2: {  // a child of one of its customers
            std::vector<std::string> roots;
            for (const auto& c : mine)
                if (has(d, "customer", c)) roots.push_back(c);
            if (roots.empty()) break;
            const std::string c = anyOf(roots);
            const std::string entity = anyOf(kChildren);
            Write w = Write().set("customer", c);
            if (entity == "contact") w.set("name", text());
            if (entity == "visit") w.set("purpose", text()).set("rep", u.name);
            if (entity == "task") {
                w.set("title", text());
                auto visits = held("visit");
                if (!visits.empty() && chance(0.5)) w.set("origin_visit", anyOf(visits));
            }
            if (entity == "complaint") w.set("description", text());
            (void)d->create(entity, w);
            break;
        }
        case 3: {  // an edit of a row it may write
            const std::string entity = anyOf(kEditable).first;
            auto rows = entity == "customer" ? std::vector<std::string>() : held(entity);
            if (entity == "customer")
                for (const auto& c : mine)
                    if (has(d, "customer", c)) rows.push_back(c);
            if (rows.empty()) break;
            // Now and then a check-in, which turns a plan into evidence its
            // rep may no longer call off.
            if (entity == "visit" && chance(0.3)) {
                (void)d->update(entity, anyOf(rows), Write().set("checkin_at", int64_t{1'800'000'000'000}));
                break;
            }
            (void)d->update(entity, anyOf(rows), Write().set(anyOf(kEditable.at(entity)), text()));
            break;
        }
        case 4: {  // a rep claims from the pool; a manager returns to it or reassigns
            if (u.role == Role::Rep) {
                std::vector<std::string> pool;
                for (const auto& id : rowIds("customer"))
                    if (const auto& r = model.roots.at(id); !r.owner && (!r.team || r.team == u.team) && has(d, "customer", id))
                        pool.push_back(id);
                if (!pool.empty()) (void)d->update("customer", anyOf(pool), Write().set("owner", u.name));
            } else {
                std::vector<std::string> roots;
                for (const auto& c : mine)
                    if (has(d, "customer", c)) roots.push_back(c);
                if (roots.empty()) break;
                std::vector<std::string> to = {u.name};
                for (const auto& [name, p] : model.people)
                    if (u.role == Role::Admin || (p.team == u.team && p.role == Role::Rep)) to.push_back(name);
                Write w;
                if (chance(0.3)) w.set("owner", crdt::Value{});
                else w.set("owner", anyOf(to));
                (void)d->update("customer", anyOf(roots), w);
            }
            break;
        }
        case 5: {  // a manager's team configuration
            if (u.role == Role::Rep || !u.team) break;
            (void)d->put("team_config", schema::teamConfigRowId(*u.team),
                         Write().set("team", *u.team).set("cadence_a", static_cast<int64_t>(1 + pick(30))));
            break;
        }
        case 6: {  // resolve a conflict entry it holds
            for (const auto& c : d->conflicts())
                if (!c.id.empty() && !c.resolved && model.rows.count(c.id)) {
                    const auto& root = model.rows.at(c.id).root;
                    if (!root.empty() && model.owns(u, model.roots.at(root).owner, model.roots.at(root).team)) {
                        (void)d->resolveConflict(c.id, std::nullopt);
                        break;
                    }
                }
            break;
        }
        }
        honestSync(a, context);
    }

    json attackChange(Actor& a)
    {
        RawDevice& d = a.raw;
        const Person& u = a.person;
        auto all = [&](const std::string& entity) { return rowIds(entity); };
        auto someRoot = [&]() -> std::string {
            auto r = all("customer");
            return r.empty() ? replica::newRowId(now) : anyOf(r);
        };
        const uint64_t seen = d.served;
        switch (pick(9)) {
        case 0: {  // edit any row, in scope or not
            const std::string entity = anyOf(kEditable).first;
            auto rows = all(entity);
            if (rows.empty()) break;
            return rawChange(d, entity, anyOf(rows), {{anyOf(kEditable.at(entity)), text()}}, seen);
        }
        case 1: {  // move any child under any customer
            std::vector<std::string> children;
            for (const auto& e : kChildren)
                for (const auto& id : all(e)) children.push_back(id);
            if (children.empty()) break;
            const std::string id = anyOf(children);
            return rawChange(d, model.rows.at(id).entity, id, {{"customer", someRoot()}, {"notes", text()}}, seen);
        }
        case 2: {  // a new child under any customer
            const std::string entity = anyOf(kChildren);
            json set = {{"customer", someRoot()}};
            set[entity == "visit" ? "purpose" : entity == "task" ? "title" : entity == "complaint" ? "description" : "name"] = text();
            return rawChange(d, entity, replica::newRowId(now), set, seen);
        }
        case 3: {  // set the owner of any customer: to itself, someone else, the pool
            json owner = chance(0.3) ? json(nullptr) : json(anyOf(std::vector<std::string>{u.name, "lina", "wang", "zhou", "zhang", "li"}));
            return rawChange(d, "customer", someRoot(), {{"owner", owner}}, seen);
        }
        case 4:  // move any customer to a team
            return rawChange(d, "customer", someRoot(), {{"team", anyOf(std::vector<std::string>{"north", "south"})}}, seen);
        case 5: {  // a new customer of any team and owner
            json set = {{"name", text()}};
            if (chance(0.7)) set["team"] = anyOf(std::vector<std::string>{"north", "south"});
            if (chance(0.6)) set["owner"] = anyOf(std::vector<std::string>{u.name, "lina", "zhou", "zhang"});
            return rawChange(d, "customer", replica::newRowId(now), set, seen);
        }
        case 6: {  // a task of its own pointing at any visit
            auto mine = writable(u);
            auto visits = all("visit");
            if (mine.empty() || visits.empty()) break;
            return rawChange(d, "task", replica::newRowId(now),
                             {{"customer", anyOf(mine)}, {"title", text()}, {"origin_visit", anyOf(visits)}}, seen);
        }
        case 7: {  // another team's configuration, or void a visit
            if (chance(0.5))
                return rawChange(d, "team_config", schema::teamConfigRowId(anyOf(std::vector<std::string>{"north", "south"})),
                                 {{"team", anyOf(std::vector<std::string>{"north", "south"})}, {"cadence_b", 3}}, seen);
            auto visits = all("visit");
            if (visits.empty()) break;
            return rawChange(d, "visit", anyOf(visits), {{"voided", true}, {"void_reason", text()}}, seen);
        }
        case 8: {  // an edit of its own row claiming to have seen everything
            auto mine = writable(u);
            if (mine.empty()) break;
            return rawChange(d, "customer", anyOf(mine), {{"notes", text()}}, hub->head() + 1000);
        }
        }
        return rawChange(d, "customer", someRoot(), {{"phone", text()}}, seen);
    }

    void attackerOp(Actor& a, const std::string& context)
    {
        RawDevice& d = a.raw;
        switch (pick(5)) {
        case 0:
        case 1: {  // one to a few forged changes, with or without a pull
            json changes = json::array();
            const size_t n = 1 + pick(4);
            for (size_t i = 0; i < n; ++i) changes.push_back(attackChange(a));
            rawPush(a, changes, chance(0.5), context + " (attack)");
            break;
        }
        case 2: {  // a forged cursor
            const uint64_t cursor = chance(0.5) ? 0 : pick(static_cast<size_t>(hub->head()) + 5);
            json body = {{"schema", schema::kSchemaVersion}, {"device", d.id.hex()},
                         {"pull", {{"cursor", cursor}, {"limit", 1 + pick(40)}}}};
            HttpResponse r = sendSync(a.person, d.token, body, context + " (forged cursor)");
            EXPECT_EQ(r.status, 200) << r.body;
            json b = bodyOf(r);
            if (b.contains("pull")) d.served = std::max(d.served, b["pull"]["cursor"].get<uint64_t>());
            break;
        }
        case 3: {  // the last batch again
            if (d.lastChanges.empty()) break;
            const uint64_t headBefore = hub->head();
            json body = {{"schema", schema::kSchemaVersion}, {"device", d.id.hex()},
                         {"push", {{"after", std::to_string(d.lastAfter)}, {"changes", d.lastChanges}}}};
            HttpResponse r = sendSync(a.person, d.token, body, context + " (replay)");
            json b = bodyOf(r);
            if (r.status == 200 || r.status == 403) {
                EXPECT_EQ(b["push"]["accepted"], 0) << context << ": a replayed batch was accepted again: " << r.body;
                EXPECT_EQ(hub->head(), headBefore) << context << ": a replay moved the log";
            }
            break;
        }
        case 4: {  // a push full of refused changes
            json changes = json::array();
            auto roots = rowIds("customer");
            const size_t n = 10 + pick(kMaxChangesPerPush - 10);
            for (size_t i = 0; i < n && !roots.empty(); ++i)
                changes.push_back(rawChange(d, "customer", anyOf(roots), {{"notes", std::string(200, 'x')}}, d.served));
            if (!changes.empty()) rawPush(a, changes, false, context + " (refusal flood)");
            break;
        }
        }
    }

    void revokedOp(const std::string& context)
    {
        json body = {{"schema", schema::kSchemaVersion}, {"device", revoked.id.hex()}, {"pull", {{"cursor", 0}}}};
        if (chance(0.5))
            body["push"] = {{"after", "0"}, {"changes", json::array({rawChange(revoked, "customer", replica::newRowId(now),
                                                                                {{"name", text()}}, 0)})}};
        const uint64_t headBefore = hub->head();
        HttpResponse r = postRaw("/v1/sync", body.dump(), revoked.token);
        EXPECT_EQ(r.status, 401) << context << ": a revoked device was answered: " << r.body;
        EXPECT_FALSE(bodyOf(r).contains("pull")) << context;
        EXPECT_EQ(hub->head(), headBefore) << context << ": a revoked device wrote";
    }

    // Every honest device, synced, holds what its user sees, as the hub holds it.
    void expectConverged(const std::string& context)
    {
        for (int round = 0; round < 2; ++round)
            for (auto& a : actors) honestSync(a, context);
        const json all = hub->dump();
        for (auto it = all.begin(); it != all.end(); ++it)
            for (auto row = it.value().begin(); row != it.value().end(); ++row)
                EXPECT_TRUE(model.rows.count(row.key())) << context << ": the hub holds a row it never logged";
        for (auto& a : actors) {
            json expected = json::object();
            for (auto it = all.begin(); it != all.end(); ++it) {
                json rows = json::object();
                for (auto row = it.value().begin(); row != it.value().end(); ++row)
                    if (model.sees(a.person, it.key() == "customer" ? row.key() : model.rootOfRow(row.key())))
                        rows[row.key()] = row.value();
                expected[it.key()] = std::move(rows);
            }
            json held = a.honest->replica->dump();
            for (auto it = held.begin(); it != held.end(); ++it)
                if (!expected.contains(it.key())) expected[it.key()] = json::object();
            EXPECT_EQ(held, expected) << context << ": " << a.person.name << "'s device does not hold its scope";
        }
    }

    void runScenario(uint64_t seed, size_t steps)
    {
        startWorld(seed);
        for (size_t step = 0; step < steps && !HasFailure(); ++step) {
            now += 2 + static_cast<int64_t>(pick(1000));
            Actor& a = actors[pick(actors.size())];
            const std::string context = "seed " + std::to_string(seed) + " step " + std::to_string(step) + " ("
                                        + a.person.name + ")";
            const size_t op = pick(10);
            if (op < 5) honestOp(a, context);
            else if (op < 9) attackerOp(a, context);
            else revokedOp(context);
        }
        if (!HasFailure()) expectConverged("seed " + std::to_string(seed) + " at the end");
    }

    Model model;
    std::vector<Actor> actors;
    RawDevice revoked;
    uint64_t logSeen = 0;
    size_t pokesSeen = 0;

private:
    std::mt19937_64 m_rng;
};

size_t scenarioCount()
{
    if (const char* n = std::getenv("FIELDSYNC_SCOPE_SCENARIOS")) return std::stoul(n);
    return std::getenv("FIELDSYNC_LONG") ? 10000 : 500;
}

TEST_F(ScopePropertyTest, NoUserReachesOrWritesOutsideTheirScopeAndEveryDeviceConverges)
{
    const char* fixed = std::getenv("FIELDSYNC_SEED");
    const uint64_t first = fixed ? std::stoull(fixed) : std::random_device{}();
    const size_t count = fixed ? 1 : scenarioCount();
    std::cout << "scope property: " << count << " scenarios from seed " << first
              << " (FIELDSYNC_SEED=<seed> replays one)\n";
    for (size_t i = 0; i < count && !HasFailure(); ++i) {
        if (i > 0) {
            TearDown();
            SetUp();
        }
        runScenario(first + i, 30);
        if (HasFailure()) std::cout << "failing scenario: FIELDSYNC_SEED=" << first + i << "\n";
    }
}

} // namespace
} // namespace fieldsync::server::test
