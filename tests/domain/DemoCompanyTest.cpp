#include "domain/DemoCompany.h"

#include "replica/Hub.h"
#include "schema/Schema.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace fieldsync::domain {
namespace {

using protocol::ChangeRecord;

// 2026-11-22 00:00 Beijing time.
constexpr int64_t kToday = 1795276800000;

DemoOptions small(uint64_t seed = 7)
{
    DemoOptions o;
    o.reps = 6;
    o.customers = 300;
    o.visits = 1200;
    o.seed = seed;
    o.today = kToday;
    return o;
}

DemoCompany company(const DemoOptions& o)
{
    auto c = DemoCompany::make(o);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return std::move(c.value());
}

// One generated row, its fields by name (registers and tags).
struct Row {
    std::string entity, id;
    std::map<std::string, crdt::Value> fields;
    std::vector<std::string> tags;

    const crdt::Value& operator[](const std::string& f) const
    {
        static const crdt::Value none;
        auto it = fields.find(f);
        return it == fields.end() ? none : it->second;
    }
    std::string text(const std::string& f) const
    {
        const auto* s = std::get_if<std::string>(&(*this)[f]);
        return s ? *s : "";
    }
    double real(const std::string& f) const
    {
        const auto* d = std::get_if<double>(&(*this)[f]);
        return d ? *d : 0;
    }
    bool has(const std::string& f) const { return fields.count(f) > 0; }
};

std::map<std::string, std::vector<Row>> rowsOf(const std::vector<ChangeRecord>& records)
{
    const auto& schema = schema::fieldsyncSchema();
    std::map<std::string, std::vector<Row>> rows;
    for (const auto& r : records) {
        const auto& e = schema.entity(r.entity);
        Row row{e.name, r.id, {}, {}};
        for (const auto& w : r.writes) row.fields[e.fields.at(static_cast<size_t>(w.field)).name] = w.value;
        for (const auto& op : r.setOps) row.tags.push_back(op.element);
        rows[e.name].push_back(std::move(row));
    }
    return rows;
}

TEST(DemoCompany, SameSeedSameRecordsAndSameHubDump)
{
    auto a = company(small()).records();
    auto b = company(small()).records();
    ASSERT_EQ(a, b);

    // Through the real merge path: two hubs fed the same seed end byte-identical.
    std::string dumps[2];
    for (auto& dump : dumps) {
        auto hub = replica::Hub::open(":memory:");
        auto c = company(small());
        crdt::Hlc after = 0;
        c.generate(500, [&](std::span<const ChangeRecord> batch) {
            replica::PushContext context;
            context.user = "seed-demo";
            auto pushed = hub->push(c.device(), after, batch, context);
            ASSERT_TRUE(pushed.ok()) << pushed.error().message;
            EXPECT_EQ(pushed->accepted, batch.size());
            EXPECT_EQ(pushed->conflicts, 0u);
            after = pushed->acked;
        });
        EXPECT_EQ(hub->head(), a.size());
        dump = hub->dump().dump();
    }
    EXPECT_EQ(dumps[0], dumps[1]);
}

TEST(DemoCompany, DifferentSeedsDiffer)
{
    auto a = company(small(1));
    auto b = company(small(2));
    EXPECT_NE(a.device(), b.device());
    auto ra = rowsOf(a.records()), rb = rowsOf(b.records());
    std::set<std::string> namesA, namesB;
    for (const auto& c : ra["customer"]) namesA.insert(c.text("name"));
    for (const auto& c : rb["customer"]) namesB.insert(c.text("name"));
    EXPECT_NE(namesA, namesB);
    EXPECT_NE(ra["customer"][0].id, rb["customer"][0].id);
}

TEST(DemoCompany, VisitCountLeavesCustomersAsTheyWere)
{
    auto o = small();
    auto a = rowsOf(company(o).records());
    o.visits = 10;
    auto b = rowsOf(company(o).records());
    ASSERT_EQ(a["customer"].size(), b["customer"].size());
    for (size_t i = 0; i < a["customer"].size(); ++i) {
        EXPECT_EQ(a["customer"][i].id, b["customer"][i].id);
        EXPECT_EQ(a["customer"][i].fields, b["customer"][i].fields);
    }
    EXPECT_EQ(b["visit"].size(), 10u);
}

TEST(DemoCompany, SizesAreHonoured)
{
    auto c = company(small());
    DemoCounts counts;
    size_t seen = 0, biggest = 0;
    counts = c.generate(7, [&](std::span<const ChangeRecord> batch) {
        seen += batch.size();
        biggest = std::max(biggest, batch.size());
    });
    EXPECT_EQ(biggest, 7u);
    EXPECT_EQ(seen, counts.records());
    EXPECT_EQ(counts.customers, 300u);
    EXPECT_EQ(counts.visits, 1200u);
    EXPECT_EQ(counts.tasks, 150u);
    EXPECT_EQ(counts.complaints, 20u);
    EXPECT_GE(counts.contacts, 300u);
    EXPECT_LE(counts.contacts, 900u);

    auto rows = rowsOf(c.records());
    EXPECT_EQ(rows["customer"].size(), 300u);
    EXPECT_EQ(rows["visit"].size(), 1200u);
    EXPECT_EQ(rows["contact"].size(), counts.contacts);
    size_t pool = 0;
    for (const auto& r : rows["customer"]) pool += r.has("owner") ? 0 : 1;
    EXPECT_EQ(pool, counts.pool);
    EXPECT_GT(pool, 300u * 5 / 100);
    EXPECT_LT(pool, 300u * 30 / 100);

    // 6 reps: two teams of 3, each with a manager, and the admin.
    ASSERT_EQ(c.teams().size(), 2u);
    EXPECT_EQ(c.teams()[0].name, "beijing");
    EXPECT_EQ(c.teams()[1].name, "shanghai");
    ASSERT_EQ(c.users().size(), 1u + 2u + 6u);
    EXPECT_EQ(c.users()[0].name, "admin");
    EXPECT_EQ(c.users()[0].role, Role::Admin);
    std::map<std::string, int> reps, managers;
    std::set<std::string> logins;
    for (const auto& u : c.users()) {
        EXPECT_TRUE(logins.insert(u.name).second) << "duplicate login " << u.name;
        EXPECT_EQ(u.password, "demo-" + u.name);
        EXPECT_GE(u.password.size(), 8u);
        EXPECT_TRUE(std::regex_match(u.name, std::regex("[a-z]+[0-9]*"))) << u.name;
        if (u.role == Role::Rep) ++reps[u.team];
        if (u.role == Role::Manager) ++managers[u.team];
    }
    EXPECT_EQ(reps, (std::map<std::string, int>{{"beijing", 3}, {"shanghai", 3}}));
    EXPECT_EQ(managers, (std::map<std::string, int>{{"beijing", 1}, {"shanghai", 1}}));

    DemoOptions nine = small();
    nine.reps = 9;  // 3 teams of 3
    auto c9 = company(nine);
    ASSERT_EQ(c9.teams().size(), 3u);
    EXPECT_EQ(c9.teams()[2].name, "guangzhou");
}

TEST(DemoCompany, EveryRecordIsValidAgainstTheSchema)
{
    const auto& schema = schema::fieldsyncSchema();
    auto c = company(small());
    auto records = c.records();
    crdt::Hlc previous = 0;
    for (const auto& r : records) {
        const auto& e = schema.entity(r.entity);
        // The decoder validates entity, fields, types, options and bounds.
        auto decoded = protocol::recordFromJson(protocol::toJson(r, schema), schema);
        ASSERT_TRUE(decoded.ok()) << e.name << " " << r.id << ": " << decoded.error().message;
        EXPECT_EQ(protocol::toJson(*decoded, schema), protocol::toJson(r, schema));
        EXPECT_EQ(decoded->writes.size(), r.writes.size());
        for (const auto& w : r.writes) {
            const auto& f = e.fields.at(static_cast<size_t>(w.field));
            EXPECT_FALSE(f.serverOnly) << f.name;
            EXPECT_FALSE(crdt::isNull(w.value)) << e.name << "." << f.name << " written as null";
            auto st = schema::validate(e, f, w.value);
            EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
        }
        for (const auto& f : e.fields) {
            if (!f.required) continue;
            bool written = std::any_of(r.writes.begin(), r.writes.end(), [&](const auto& w) { return w.field == f.index; });
            EXPECT_TRUE(written) << e.name << " " << r.id << " lacks required " << f.name;
        }
        EXPECT_TRUE(protocol::isValidRowId(r.id)) << r.id;
        // Stamped by the company's device, in order, at "today" (behind any device's clock).
        EXPECT_EQ(r.clock.device, c.device());
        EXPECT_GT(r.clock.hlc, previous);
        EXPECT_GE(crdt::hlcMillis(r.clock.hlc), kToday);
        EXPECT_LT(crdt::hlcMillis(r.clock.hlc), kToday + 1000);
        EXPECT_EQ(r.seen, 0u);
        previous = r.clock.hlc;
    }
    std::set<std::string> ids;
    for (const auto& r : records) EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
}

TEST(DemoCompany, PlacesAreInChinaAndCheckInsNearTheCustomerMostly)
{
    auto rows = rowsOf(company(small()).records());
    auto inChina = [](double lat, double lng) { return lat > 18 && lat < 54 && lng > 73 && lng < 135; };
    std::map<std::string, const Row*> customers;
    for (const auto& c : rows["customer"]) {
        EXPECT_TRUE(inChina(c.real("lat"), c.real("lng"))) << c.text("name");
        customers[c.id] = &c;
    }
    size_t checkedIn = 0, near = 0, far = 0, noPlace = 0, planned = 0;
    for (const auto& v : rows["visit"]) {
        if (v.text("status") == "planned") {
            ++planned;
            EXPECT_FALSE(v.has("checkin_at"));
            EXPECT_GE(std::get<int64_t>(v["planned_at"]), kToday);
            continue;
        }
        EXPECT_EQ(v.text("status"), "completed");
        ++checkedIn;
        EXPECT_LT(std::get<int64_t>(v["checkin_at"]), kToday);
        EXPECT_GT(std::get<int64_t>(v["checkin_at"]), kToday - 121LL * 24 * 3600 * 1000);
        if (!v.has("checkin_lat")) {
            ++noPlace;
            EXPECT_FALSE(v.has("distance_m"));
            continue;
        }
        EXPECT_TRUE(inChina(v.real("checkin_lat"), v.real("checkin_lng")));
        double d = v.real("distance_m");
        if (d <= 300) ++near;
        else if (d >= 1900 && d <= 15100) ++far;
        else ADD_FAILURE() << "check-in " << d << " m from the customer";
        if (v.has("checkout_lat")) {
            EXPECT_TRUE(inChina(v.real("checkout_lat"), v.real("checkout_lng")));
        }
    }
    EXPECT_EQ(planned, 1200u / 20);
    EXPECT_EQ(near + far + noPlace, checkedIn);
    EXPECT_GT(near, checkedIn * 3 / 4);
    EXPECT_GT(far, 0u);
    EXPECT_GT(noPlace, 0u);
}

TEST(DemoCompany, SalesGiveAMeaningfulAbcSplit)
{
    auto o = small();
    o.customers = 2000;
    o.visits = 0;
    auto rows = rowsOf(company(o).records());
    std::vector<double> sales;
    double total = 0, levelA = 0;
    std::map<std::string, int> levels;
    for (const auto& c : rows["customer"]) {
        ++levels[c.text("level")];
        if (c.text("lifecycle") == "lead") {
            EXPECT_FALSE(c.has("annual_sales"));
        }
        if (!c.has("annual_sales")) continue;
        sales.push_back(c.real("annual_sales"));
        total += sales.back();
        if (c.text("level") == "A") levelA += sales.back();
    }
    std::sort(sales.rbegin(), sales.rend());
    // How many of the biggest customers make 75 % of the sales: a minority.
    double running = 0;
    size_t a = 0;
    while (running < 0.75 * total) running += sales[a++];
    EXPECT_GT(a, sales.size() * 5 / 100);
    EXPECT_LT(a, sales.size() * 40 / 100);
    // The reps' A level follows it: A customers hold most of the sales.
    EXPECT_GT(levelA / total, 0.6);
    for (const char* l : {"A", "B", "C", "D"}) EXPECT_GT(levels[l], 100) << "level " << l;
    EXPECT_LT(levels["A"], levels["C"]);
}

TEST(DemoCompany, EveryReferencePointsAtAnExistingRowAndOwnersAreTeamReps)
{
    auto c = company(small());
    auto rows = rowsOf(c.records());
    std::map<std::string, const DemoUser*> users;
    for (const auto& u : c.users()) users[u.name] = &u;
    std::map<std::string, std::string> teamCity;
    for (const auto& t : c.teams()) teamCity[t.name] = t.city;

    std::map<std::string, const Row*> customers;
    std::set<std::string> names;
    for (const auto& r : rows["customer"]) {
        customers[r.id] = &r;
        EXPECT_TRUE(names.insert(r.text("name")).second) << "duplicate name " << r.text("name");
        EXPECT_TRUE(std::regex_search(r.text("name"), std::regex("公司$"))) << r.text("name");
        if (!r.has("owner")) continue;
        const auto* owner = users.count(r.text("owner")) ? users[r.text("owner")] : nullptr;
        ASSERT_NE(owner, nullptr) << r.text("owner");
        EXPECT_EQ(owner->role, Role::Rep);
        // The owner's team works the customer's city.
        EXPECT_EQ(r.text("region").rfind(teamCity[owner->team], 0), 0u) << r.text("region") << " " << owner->team;
        EXPECT_EQ(r.text("name").rfind(teamCity[owner->team], 0), 0u) << r.text("name");
    }
    std::map<std::string, int> primaries;
    std::regex mobile("1[3-9][0-9]{9}");
    for (const auto& r : rows["contact"]) {
        ASSERT_TRUE(customers.count(r.text("customer"))) << "contact of unknown customer";
        EXPECT_TRUE(std::regex_match(r.text("phone"), mobile)) << r.text("phone");
        if (std::get<bool>(r["is_primary"])) ++primaries[r.text("customer")];
    }
    for (const auto& [id, _] : customers) EXPECT_EQ(primaries[id], 1) << "customer " << id;
    std::set<std::string> visits;
    for (const auto& r : rows["visit"]) {
        ASSERT_TRUE(customers.count(r.text("customer"))) << "visit of unknown customer";
        EXPECT_EQ(r.text("rep"), customers[r.text("customer")]->text("owner")) << "a visit by someone else than the owner";
        visits.insert(r.id);
    }
    size_t withOrigin = 0;
    for (const auto& r : rows["task"]) {
        ASSERT_TRUE(customers.count(r.text("customer")));
        EXPECT_EQ(r.text("assignee"), customers[r.text("customer")]->text("owner"));
        if (r.has("origin_visit")) {
            ++withOrigin;
            EXPECT_TRUE(visits.count(r.text("origin_visit"))) << "task from an unknown visit";
        }
    }
    EXPECT_GT(withOrigin, 0u);
    std::set<std::string> stages;
    for (const auto& r : rows["complaint"]) {
        ASSERT_TRUE(customers.count(r.text("customer")));
        const auto* handler = users[r.text("handler")];
        ASSERT_NE(handler, nullptr);
        EXPECT_NE(handler->role, Role::Admin);
        stages.insert(r.text("status"));
    }
    EXPECT_EQ(stages, (std::set<std::string>{"received", "investigating", "answered", "followed_up"}));
}

TEST(DemoCompany, BadOptionsAreRefusedWithTheirRange)
{
    auto refused = [](DemoOptions o) {
        auto c = DemoCompany::make(o);
        return c.ok() ? std::string() : c.error().message;
    };
    DemoOptions o = small();
    o.reps = 0;
    EXPECT_EQ(refused(o), "reps must be from 1 to 2000");
    o = small();
    o.customers = -1;
    EXPECT_EQ(refused(o), "customers must be from 0 to 1000000");
    o = small();
    o.visits = -5;
    EXPECT_EQ(refused(o), "visits must be from 0 to 10000000");
    o = small();
    o.customers = 0;
    EXPECT_EQ(refused(o), "visits need at least one customer");
    o.visits = 0;
    EXPECT_EQ(refused(o), "");
    EXPECT_EQ(company(o).records().size(), 0u);
    o = small();
    o.today = 0;
    EXPECT_EQ(refused(o), "today must be a day after 1970-01-01");
}

TEST(DemoCompany, TodayIsBeijingMidnight)
{
    EXPECT_EQ(beijingMidnight(kToday), kToday);
    EXPECT_EQ(beijingMidnight(kToday + 23 * 3600 * 1000), kToday);
    EXPECT_EQ(beijingMidnight(kToday - 1), kToday - 24 * 3600 * 1000);
    DemoOptions o = small();
    o.today = kToday + 5 * 3600 * 1000;  // any moment of the day names that day
    EXPECT_EQ(company(o).options().today, kToday);
    EXPECT_EQ(company(o).records(), company(small()).records());
}

} // namespace
} // namespace fieldsync::domain
