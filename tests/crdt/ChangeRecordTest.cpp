// The change record / bundle JSON codec (protocol/ChangeRecord.h).
#include "protocol/ChangeRecord.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

namespace fieldsync::protocol {

// Readable failure output: the JSON form plus the write order it does not show.
void PrintTo(const ChangeRecord& r, std::ostream* os)
{
    const auto& schema = schema::fieldsyncSchema();
    *os << "writes in order [";
    for (const auto& w : r.writes) *os << " " << schema.entity(r.entity).fields.at(static_cast<size_t>(w.field)).name;
    *os << " ] " << toJson(r, schema).dump();
}

namespace {

using crdt::Clock;
using crdt::DeviceId;
using crdt::Value;
using nlohmann::json;
using ::testing::HasSubstr;

const schema::Schema& S = schema::fieldsyncSchema();

const char* const kId = "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70";
const char* const kId2 = "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f71";
constexpr int64_t kNov22 = 1795305600000;  // 2026-11-22T00:00:00Z

DeviceId dev(uint8_t last)
{
    DeviceId d;
    d.bytes[0] = 0x5a;
    d.bytes[15] = last;
    return d;
}

Clock clk(uint64_t counter, uint8_t device = 1)
{
    return Clock{crdt::hlcFromMillis(kNov22) + counter, dev(device)};
}

int code(std::string_view entity) { return S.entity(entity)->code; }

int idx(std::string_view entity, std::string_view field) { return S.entity(entity)->field(field)->index; }

// Writes in field-index order (as the replica produces them), adds before removes.
ChangeRecord normalized(ChangeRecord r)
{
    std::sort(r.writes.begin(), r.writes.end(), [](const auto& a, const auto& b) { return a.field < b.field; });
    std::stable_sort(r.setOps.begin(), r.setOps.end(), [](const auto& a, const auto& b) { return !a.remove && b.remove; });
    return r;
}

// Decodes without letting an exception escape: a decoder must refuse bad input
// with a Result, never throw.
Result<ChangeRecord> decode(const json& j)
{
    try {
        return recordFromJson(j, S);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "recordFromJson threw " << typeid(e).name() << ": " << e.what() << "\n  input: " << j.dump();
        return Error{ErrorCode::Internal, "threw"};
    }
}

Result<Bundle> decodeBundle(const json& j)
{
    try {
        return bundleFromJson(j, S);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "bundleFromJson threw " << typeid(e).name() << ": " << e.what() << "\n  input: " << j.dump();
        return Error{ErrorCode::Internal, "threw"};
    }
}

// A visit write touching most field types, including a stage and Chinese text.
ChangeRecord visitRecord()
{
    ChangeRecord r;
    r.entity = code("visit");
    r.id = kId;
    r.clock = clk(1);
    r.seen = 42;
    r.writes = {
        {idx("visit", "customer"), std::string(kId2), 0},
        {idx("visit", "planned_at"), int64_t{kNov22 + 9 * 3'600'000}, 0},
        {idx("visit", "checkin_lat"), 31.2304, 0},
        {idx("visit", "checkin_lng"), 121.4737, 0},
        {idx("visit", "notes"), std::string("客户对新产品很感兴趣，下周再联系。\n\"quoted\" \\ tab\t"), 0},
        {idx("visit", "satisfaction"), int64_t{4}, 0},
        {idx("visit", "status"), std::string("completed"), 2},
        {idx("visit", "voided"), false, 0},
        {idx("visit", "void_reason"), Value{}, 0},
    };
    return r;
}

ChangeRecord customerSetRecord()
{
    ChangeRecord r;
    r.entity = code("customer");
    r.id = kId2;
    r.clock = clk(7, 2);
    r.seen = 10;
    r.seq = 1234;
    r.writes = {{idx("customer", "name"), std::string("上海某某贸易有限公司"), 0}};
    r.setOps = {
        {idx("customer", "tags"), "vip", false, {}},
        {idx("customer", "tags"), "重点客户", false, {}},
        {idx("customer", "tags"), "old", true, {clk(1, 3), clk(2, 1)}},
    };
    return r;
}

std::vector<ChangeRecord> roundTripTable()
{
    std::vector<ChangeRecord> t;
    t.push_back(visitRecord());
    t.push_back(customerSetRecord());
    {
        ChangeRecord r;  // a lone remove, no seq, seen 0
        r.entity = code("customer");
        r.id = kId;
        r.clock = clk(9, 4);
        r.setOps = {{idx("customer", "tags"), "vip", true, {clk(7, 2)}}};
        t.push_back(r);
    }
    {
        ChangeRecord r;  // stage generation 0, positions beyond int64
        r.entity = code("task");
        r.id = kId;
        r.clock = Clock{~uint64_t{0}, dev(0xff)};
        r.seen = (uint64_t{1} << 63) + 5;
        r.seq = ~uint64_t{0};
        r.writes = {{idx("task", "status"), std::string("open"), 0}};
        t.push_back(r);
    }
    {
        ChangeRecord r;  // a conflict log entry as the hub writes it
        r.entity = code("conflict");
        r.id = kId2;
        r.clock = clk(100, 9);
        r.seq = 77;
        r.writes = {
            {idx("conflict", "entity"), std::string("visit"), 0},
            {idx("conflict", "loser_value"), std::string("\"旧\""), 0},
            {idx("conflict", "loser_clock"), clk(1).str(), 0},
            {idx("conflict", "detected_at"), int64_t{kNov22}, 0},
            {idx("conflict", "resolved"), false, 0},
        };
        t.push_back(r);
    }
    {
        ChangeRecord r;  // a real holding an integral value, and a negative real
        r.entity = code("customer");
        r.id = kId;
        r.clock = clk(3);
        r.writes = {{idx("customer", "lat"), 31.0, 0}, {idx("customer", "lng"), -0.5, 0}};
        t.push_back(r);
    }
    return t;
}

// ------------------------------------------------------------- round trips

TEST(ChangeRecordTest, RoundTripThroughJson)
{
    for (const auto& original : roundTripTable()) {
        json j = toJson(original, S);
        SCOPED_TRACE(j.dump());
        auto back = decode(j);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(normalized(*back), normalized(original));
    }
}

TEST(ChangeRecordTest, RoundTripThroughText)
{
    for (const auto& original : roundTripTable()) {
        std::string text = toJson(original, S).dump();
        SCOPED_TRACE(text);
        auto back = decode(json::parse(text));
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(normalized(*back), normalized(original));
        // Encoding again gives the same text.
        EXPECT_EQ(toJson(*back, S).dump(), text);
    }
}

// The replica emits writes in field-index order; what comes back from the
// codec (hub log, pull, bundles) should be the very same record.
TEST(ChangeRecordTest, RoundTripKeepsWriteOrder)
{
    ChangeRecord r;
    r.entity = code("visit");
    r.id = kId;
    r.clock = clk(1);
    r.writes = {
        {idx("visit", "rep"), std::string("wang"), 0},                // index 1
        {idx("visit", "kind"), std::string("follow_up"), 0},          // index 2
    };
    ASSERT_LT(r.writes[0].field, r.writes[1].field);
    auto back = decode(toJson(r, S));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, r);
}

TEST(ChangeRecordTest, JsonShape)
{
    json v = toJson(visitRecord(), S);
    EXPECT_EQ(v["entity"], "visit");
    EXPECT_EQ(v["id"], kId);
    EXPECT_EQ(v["clock"], clk(1).str());
    EXPECT_EQ(v["seen"], 42);
    EXPECT_FALSE(v.contains("seq"));  // not yet accepted by the hub
    EXPECT_EQ(v["set"]["status"], (json{{"stage", "completed"}, {"gen", 2}}));
    EXPECT_EQ(v["set"]["satisfaction"], 4);
    EXPECT_TRUE(v["set"]["checkin_lat"].is_number_float());
    EXPECT_TRUE(v["set"]["void_reason"].is_null());
    EXPECT_EQ(v["set"]["voided"], false);
    EXPECT_FALSE(v.contains("add"));
    EXPECT_FALSE(v.contains("remove"));

    json c = toJson(customerSetRecord(), S);
    EXPECT_EQ(c["seq"], 1234);
    EXPECT_EQ(c["add"], (json::array({{{"field", "tags"}, {"value", "vip"}}, {{"field", "tags"}, {"value", "重点客户"}}})));
    ASSERT_EQ(c["remove"].size(), 1u);
    EXPECT_EQ(c["remove"][0]["value"], "old");
    EXPECT_EQ(c["remove"][0]["dots"], (json::array({clk(1, 3).str(), clk(2, 1).str()})));

    // Only set operations: no "set" key.
    json lone = toJson(roundTripTable()[2], S);
    EXPECT_FALSE(lone.contains("set"));
    EXPECT_FALSE(lone.contains("add"));
    EXPECT_EQ(lone["seen"], 0);
}

TEST(ChangeRecordTest, DecodesHandWrittenRecord)
{
    json j = json::parse(R"({
        "entity": "visit", "id": "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70",
        "clock": "0000000000000005@0123456789abcdef0123456789abcdef",
        "seen": 3, "seq": 9,
        "set": {"status": {"stage": "checked_in", "gen": 1}, "checkin_lat": 31, "notes": "备注"}
    })");
    auto r = decode(j);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->entity, code("visit"));
    EXPECT_EQ(r->clock.hlc, 5u);
    EXPECT_EQ(r->clock.device.hex(), "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(r->seen, 3u);
    EXPECT_EQ(r->seq, 9u);
    ASSERT_EQ(r->writes.size(), 3u);
    auto find = [&](std::string_view f) -> const FieldWrite& {
        for (const auto& w : r->writes)
            if (w.field == idx("visit", f)) return w;
        throw std::logic_error("no write for " + std::string(f));
    };
    EXPECT_EQ(find("status").value, Value{std::string("checked_in")});
    EXPECT_EQ(find("status").generation, 1);
    // A real field given an integer is accepted, as a double.
    ASSERT_TRUE(std::holds_alternative<double>(find("checkin_lat").value));
    EXPECT_EQ(std::get<double>(find("checkin_lat").value), 31.0);
    EXPECT_EQ(find("notes").value, Value{std::string("备注")});
    EXPECT_TRUE(r->setOps.empty());
}

TEST(ChangeRecordTest, NoSeenAndNoSeqDefaultToZero)
{
    json j = {{"entity", "customer"}, {"id", kId}, {"clock", clk(1).str()}, {"set", {{"phone", "123"}}}};
    auto r = decode(j);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->seen, 0u);
    EXPECT_EQ(r->seq, 0u);
}

TEST(ChangeRecordTest, DecodesAddAndRemove)
{
    json j = {{"entity", "customer"},
              {"id", kId},
              {"clock", clk(1).str()},
              {"add", json::array({{{"field", "tags"}, {"value", "vip"}}})},
              {"remove", json::array({{{"field", "tags"}, {"value", "old"}, {"dots", json::array({clk(0, 3).str()})}}})}};
    auto r = decode(j);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->setOps.size(), 2u);
    EXPECT_EQ(r->setOps[0], (SetOp{idx("customer", "tags"), "vip", false, {}}));
    EXPECT_EQ(r->setOps[1], (SetOp{idx("customer", "tags"), "old", true, {clk(0, 3)}}));
}

// ------------------------------------------------------------- bad records

json validVisit()
{
    return {{"entity", "visit"}, {"id", kId}, {"clock", clk(1).str()}, {"seen", 5}, {"set", {{"notes", "x"}}}};
}

json validCustomer()
{
    return {{"entity", "customer"}, {"id", kId}, {"clock", clk(1).str()}};
}

json with(json base, const std::string& key, json value)
{
    base[key] = std::move(value);
    return base;
}

json without(json base, const std::string& key)
{
    base.erase(key);
    return base;
}

json addOp(json field, json value) { return json::array({{{"field", std::move(field)}, {"value", std::move(value)}}}); }

json removeOp(json dots)
{
    return json::array({{{"field", "tags"}, {"value", "vip"}, {"dots", std::move(dots)}}});
}

struct BadRecordRow {
    const char* what;
    json input;
    std::vector<std::string> messageHas;
};

TEST(ChangeRecordTest, RefusesBadInput)
{
    const std::string dev32 = "0123456789abcdef0123456789abcdef";
    const std::vector<BadRecordRow> rows = {
        // shape
        {"array", json::array({validVisit()}), {"JSON object"}},
        {"string", "visit", {"JSON object"}},
        {"number", 5, {"JSON object"}},
        {"null", nullptr, {"JSON object"}},
        {"unknown key", with(validVisit(), "extra", 1), {"unknown key \"extra\""}},
        {"misspelt key", with(without(validVisit(), "set"), "sets", {{"notes", "x"}}), {"unknown key \"sets\""}},
        // entity
        {"missing entity", without(validVisit(), "entity"), {"\"entity\""}},
        {"entity not a string", with(validVisit(), "entity", 2), {"\"entity\""}},
        {"unknown entity", with(validVisit(), "entity", "planet"), {"unknown entity \"planet\""}},
        {"entity wrong case", with(validVisit(), "entity", "Visit"), {"unknown entity \"Visit\""}},
        // row id
        {"missing id", without(validVisit(), "id"), {"\"id\"", "row id"}},
        {"id not a string", with(validVisit(), "id", 12), {"row id"}},
        {"id too short", with(validVisit(), "id", "0193b0a0"), {"row id"}},
        {"id upper case", with(validVisit(), "id", "0193B0A0-5C3E-7D2A-9F10-2B3C4D5E6F70"), {"row id"}},
        {"id without dashes", with(validVisit(), "id", "0193b0a05c3e7d2a9f102b3c4d5e6f70abcd"), {"row id"}},
        // clock
        {"missing clock", without(validVisit(), "clock"), {"\"clock\""}},
        {"clock not a string", with(validVisit(), "clock", 5), {"\"clock\""}},
        {"clock garbage", with(validVisit(), "clock", "yesterday"), {"\"clock\"", "16 hex digits"}},
        {"clock without device", with(validVisit(), "clock", "0000000000000005"), {"\"clock\""}},
        {"clock with zero hlc", with(validVisit(), "clock", "0000000000000000@" + dev32), {"\"clock\""}},
        {"clock bad device", with(validVisit(), "clock", "0000000000000005@" + dev32.substr(2)), {"\"clock\""}},
        // positions
        {"negative seen", with(validVisit(), "seen", -1), {"\"seen\" must be a non-negative integer"}},
        {"fractional seen", with(validVisit(), "seen", 1.5), {"\"seen\" must be a non-negative integer"}},
        {"seen as text", with(validVisit(), "seen", "5"), {"\"seen\" must be a non-negative integer"}},
        {"negative seq", with(validVisit(), "seq", -7), {"\"seq\" must be a non-negative integer"}},
        {"seq null", with(validVisit(), "seq", nullptr), {"\"seq\" must be a non-negative integer"}},
        // set
        {"set not an object", with(validVisit(), "set", json::array({"notes", "x"})), {"\"set\" must be an object"}},
        {"set of an unknown field", with(validVisit(), "set", {{"planet", "x"}}), {"unknown field visit.planet"}},
        {"set of a tag field", with(validCustomer(), "set", {{"tags", "vip"}}),
         {"customer.tags", "set field", "\"add\""}},
        {"text field given a number", with(validVisit(), "set", {{"notes", 5}}), {"visit.notes", "text"}},
        {"integer field given text", with(validVisit(), "set", {{"satisfaction", "five"}}),
         {"visit.satisfaction", "integer"}},
        {"integer field given a real", with(validVisit(), "set", {{"satisfaction", 3.5}}),
         {"visit.satisfaction", "integer"}},
        {"integer out of bounds", with(validVisit(), "set", {{"satisfaction", 6}}),
         {"visit.satisfaction", "between 1 and 5"}},
        {"integer beyond int64", with(validVisit(), "set", {{"satisfaction", ~uint64_t{0}}}),
         {"visit.satisfaction", "out of range"}},
        {"time given text", with(validVisit(), "set", {{"planned_at", "2026-11-22"}}), {"visit.planned_at", "time"}},
        {"bool given an integer", with(validVisit(), "set", {{"voided", 1}}), {"visit.voided", "true or false"}},
        {"real given text", with(validCustomer(), "set", {{"lat", "31.2"}}), {"customer.lat", "number"}},
        {"real given a bool", with(validCustomer(), "set", {{"lat", true}}), {"customer.lat", "number"}},
        {"enum not in options", with(validCustomer(), "set", {{"level", "Z"}}), {"customer.level", "A, B, C, D"}},
        {"value is an array", with(validVisit(), "set", {{"notes", json::array({1, 2})}}),
         {"visit.notes", "plain value"}},
        {"value is an object", with(validVisit(), "set", {{"notes", {{"a", 1}}}}), {"visit.notes", "plain value"}},
        {"required field cleared", with(validVisit(), "set", {{"customer", nullptr}}),
         {"visit.customer", "required"}},
        {"required field emptied", with(validCustomer(), "set", {{"name", ""}}), {"customer.name", "required"}},
        // stage
        {"stage as a bare string", with(validVisit(), "set", {{"status", "completed"}}),
         {"visit.status", "\"gen\""}},
        {"stage without gen", with(validVisit(), "set", {{"status", {{"stage", "completed"}}}}),
         {"visit.status", "\"gen\""}},
        {"stage without stage", with(validVisit(), "set", {{"status", {{"gen", 1}}}}), {"visit.status", "\"stage\""}},
        {"stage with negative gen", with(validVisit(), "set", {{"status", {{"stage", "completed"}, {"gen", -1}}}}),
         {"visit.status", "\"gen\""}},
        {"stage with fractional gen",
         with(validVisit(), "set", {{"status", {{"stage", "completed"}, {"gen", 0.5}}}}), {"visit.status", "\"gen\""}},
        {"stage with text gen", with(validVisit(), "set", {{"status", {{"stage", "completed"}, {"gen", "0"}}}}),
         {"visit.status", "\"gen\""}},
        {"stage null", with(validVisit(), "set", {{"status", {{"stage", nullptr}, {"gen", 0}}}}),
         {"visit.status", "null"}},
        {"stage unknown", with(validVisit(), "set", {{"status", {{"stage", "done"}, {"gen", 0}}}}),
         {"visit.status", "planned, checked_in, completed"}},
        // add
        {"add not an array", with(validCustomer(), "add", {{"field", "tags"}, {"value", "vip"}}),
         {"\"add\" must be an array"}},
        {"add entry without value", with(validCustomer(), "add", json::array({{{"field", "tags"}}})),
         {"\"add\"", "\"field\" and \"value\""}},
        {"add entry with numeric field", with(validCustomer(), "add", addOp(3, "vip")),
         {"\"field\" and \"value\""}},
        {"add entry not an object", with(validCustomer(), "add", json::array({"tags"})),
         {"\"field\" and \"value\""}},
        {"add on an unknown field", with(validCustomer(), "add", addOp("labels", "vip")),
         {"unknown field customer.labels"}},
        {"add on a non-set field", with(validCustomer(), "add", addOp("name", "vip")),
         {"customer.name", "not a set field"}},
        {"add of a number", with(validCustomer(), "add", addOp("tags", 5)), {"customer.tags", "tag"}},
        {"add of an empty tag", with(validCustomer(), "add", addOp("tags", "")), {"customer.tags", "non-empty tag"}},
        {"add of an array", with(validCustomer(), "add", addOp("tags", json::array({"a"}))),
         {"customer.tags", "plain value"}},
        // remove
        {"remove without dots", with(validCustomer(), "remove", addOp("tags", "vip")), {"\"dots\""}},
        {"remove with dots not an array", with(validCustomer(), "remove", removeOp(clk(1).str())), {"\"dots\""}},
        {"remove with a malformed dot", with(validCustomer(), "remove", removeOp(json::array({"nope"}))),
         {"malformed dot", "customer.tags"}},
        {"remove with a numeric dot", with(validCustomer(), "remove", removeOp(json::array({clk(1).str(), 5}))),
         {"malformed dot", "customer.tags"}},
        {"remove on a non-set field",
         with(validCustomer(), "remove",
              json::array({{{"field", "phone"}, {"value", "x"}, {"dots", json::array({clk(1).str()})}}})),
         {"customer.phone", "not a set field"}},
        // empty
        {"no change at all", without(validVisit(), "set"), {"at least one field"}},
        {"empty set", with(validVisit(), "set", json::object()), {"at least one field"}},
        {"empty add and remove",
         with(with(validCustomer(), "add", json::array()), "remove", json::array()), {"at least one field"}},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.what) + ": " + row.input.dump());
        auto r = decode(row.input);
        ASSERT_FALSE(r.ok()) << "accepted";
        if (r.error().code == ErrorCode::Internal) continue;  // threw; already reported
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        for (const auto& part : row.messageHas) EXPECT_THAT(r.error().message, HasSubstr(part));
    }
}

// A tag is text: a null element must be refused like any other wrong type,
// not reach std::get<std::string> (validate() lets null through for a
// non-required field).
TEST(ChangeRecordTest, RefusesNullSetElement)
{
    const std::vector<BadRecordRow> rows = {
        {"add of null", with(validCustomer(), "add", addOp("tags", nullptr)), {"customer.tags"}},
        {"remove of null",
         with(validCustomer(), "remove", json::array({{{"field", "tags"}, {"value", nullptr}, {"dots", json::array({clk(0).str()})}}})),
         {"customer.tags"}},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.what) + ": " + row.input.dump());
        auto r = decode(row.input);
        ASSERT_FALSE(r.ok()) << "accepted";
        if (r.error().code == ErrorCode::Internal) continue;  // threw; already reported
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        for (const auto& part : row.messageHas) EXPECT_THAT(r.error().message, HasSubstr(part));
    }
}

TEST(ChangeRecordTest, IsValidRowId)
{
    for (const char* good : {kId, kId2, "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                             "01234567-89ab-cdef-0123-456789abcdef"}) {
        SCOPED_TRACE(good);
        EXPECT_TRUE(isValidRowId(good));
    }
    for (const char* bad : {"", "0193b0a0", "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f7",  // 35
                            "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f700",                // 37
                            "0193B0A0-5c3e-7d2a-9f10-2b3c4d5e6f70",                 // upper case
                            "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f7g",                 // not hex
                            "0193b0a0_5c3e-7d2a-9f10-2b3c4d5e6f70",                 // wrong separator
                            "0193b0a05-c3e-7d2a-9f10-2b3c4d5e6f70",                 // dash moved
                            "0193b0a0-5c3e-7d2a-9f102-b3c4d5e6f70",
                            "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f-0",                 // extra dash
                            "{193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f7}",
                            "0193b0a0 5c3e 7d2a 9f10 2b3c4d5e6f70",
                            "0193b0a05c3e7d2a9f102b3c4d5e6f70abcd"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(isValidRowId(bad));
    }
}

// ------------------------------------------------------------------ bundles

Bundle sampleBundle()
{
    Bundle b;
    b.from = dev(0x42);
    b.records = roundTripTable();
    return b;
}

TEST(ChangeRecordTest, BundleRoundTrip)
{
    Bundle original = sampleBundle();
    json j = toJson(original, S);
    EXPECT_EQ(j["format"], "fieldsync-bundle");
    EXPECT_EQ(j["version"], 1);
    EXPECT_EQ(j["schema"], schema::kSchemaVersion);
    EXPECT_EQ(j["from"], dev(0x42).hex());
    ASSERT_EQ(j["records"].size(), original.records.size());

    auto back = decodeBundle(json::parse(j.dump()));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->from, original.from);
    ASSERT_EQ(back->records.size(), original.records.size());
    for (size_t i = 0; i < original.records.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(normalized(back->records[i]), normalized(original.records[i]));
    }

    Bundle empty;
    empty.from = dev(1);
    auto none = decodeBundle(toJson(empty, S));
    ASSERT_TRUE(none.ok()) << none.error().message;
    EXPECT_TRUE(none->records.empty());
    EXPECT_EQ(none->from, dev(1));
}

struct BadBundleRow {
    const char* what;
    json input;
    std::vector<std::string> messageHas;
};

TEST(ChangeRecordTest, BundleRefusesBadInput)
{
    const json good = toJson(sampleBundle(), S);
    json badRecord = good;
    badRecord["records"][2] = with(validVisit(), "entity", "planet");
    json badLast = good;
    badLast["records"].push_back(without(validVisit(), "set"));
    const std::string lastIndex = std::to_string(good["records"].size());
    const std::vector<BadBundleRow> rows = {
        {"not an object", json::array({good}), {"not a fieldsync bundle"}},
        {"missing format", without(good, "format"), {"not a fieldsync bundle", "\"format\""}},
        {"other format", with(good, "format", "other-bundle"), {"not a fieldsync bundle"}},
        {"missing version", without(good, "version"), {"version"}},
        {"version 2", with(good, "version", 2), {"unsupported bundle version", "version 1"}},
        {"version 0", with(good, "version", 0), {"unsupported bundle version"}},
        {"version as text", with(good, "version", "1"), {"unsupported bundle version"}},
        {"version fractional", with(good, "version", 1.0), {"unsupported bundle version"}},
        {"missing schema", without(good, "schema"), {"schema"}},
        {"schema as text", with(good, "schema", "1"), {"schema"}},
        {"newer schema", with(good, "schema", schema::kSchemaVersion + 1),
         {"schema " + std::to_string(schema::kSchemaVersion + 1), "newer", "upgrade"}},
        {"missing from", without(good, "from"), {"\"from\""}},
        {"from not hex", with(good, "from", "device-one"), {"\"from\""}},
        {"from too short", with(good, "from", dev(1).hex().substr(1)), {"\"from\""}},
        {"from a number", with(good, "from", 42), {"\"from\""}},
        {"missing records", without(good, "records"), {"\"records\""}},
        {"records not an array", with(good, "records", json::object()), {"\"records\""}},
        {"bad record 2", badRecord, {"record 2: ", "unknown entity \"planet\""}},
        {"bad last record", badLast, {"record " + lastIndex + ": ", "at least one field"}},
        {"record not an object", with(good, "records", json::array({1})), {"record 0: ", "JSON object"}},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        auto b = decodeBundle(row.input);
        ASSERT_FALSE(b.ok()) << "accepted";
        if (b.error().code == ErrorCode::Internal) continue;  // threw; already reported
        EXPECT_EQ(b.error().code, ErrorCode::InvalidArgument);
        for (const auto& part : row.messageHas) EXPECT_THAT(b.error().message, HasSubstr(part));
    }
}

// Any JSON may be handed to the importer: a non-string "format" is refused
// like a wrong one, not thrown as nlohmann::json::type_error.
TEST(ChangeRecordTest, BundleRefusesNonStringFormat)
{
    const json good = toJson(sampleBundle(), S);
    for (const json& format : {json(5), json(nullptr), json::array({"fieldsync-bundle"})}) {
        SCOPED_TRACE(format.dump());
        auto b = decodeBundle(with(good, "format", format));
        ASSERT_FALSE(b.ok()) << "accepted";
        if (b.error().code == ErrorCode::Internal) continue;  // threw; already reported
        EXPECT_EQ(b.error().code, ErrorCode::InvalidArgument);
        EXPECT_THAT(b.error().message, HasSubstr("not a fieldsync bundle"));
    }
}

// A version or schema number must be compared as the number it is, not
// truncated to an int first (2^32 + 1 is not version 1).
TEST(ChangeRecordTest, BundleVersionNumbersAreNotTruncated)
{
    const json good = toJson(sampleBundle(), S);
    const uint64_t wrapsToOne = (uint64_t{1} << 32) + 1;
    auto version = decodeBundle(with(good, "version", wrapsToOne));
    EXPECT_FALSE(version.ok()) << "version " << wrapsToOne << " read as 1";
    auto schemaNumber = decodeBundle(with(good, "schema", wrapsToOne));
    EXPECT_FALSE(schemaNumber.ok()) << "schema " << wrapsToOne << " read as 1";
}

} // namespace
} // namespace fieldsync::protocol
