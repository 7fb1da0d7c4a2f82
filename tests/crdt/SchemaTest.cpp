// The fieldsync schema: its declaration, validate() and parseValue().
#include "schema/Schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <limits>
#include <string>
#include <vector>

namespace fieldsync::schema {
namespace {

using crdt::Rule;
using crdt::Value;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const EntityDef& entity(std::string_view name)
{
    const auto* e = fieldsyncSchema().entity(name);
    if (!e) throw std::logic_error("no entity " + std::string(name));
    return *e;
}

const FieldDef& field(std::string_view entityName, std::string_view fieldName)
{
    const auto* f = entity(entityName).field(fieldName);
    if (!f) throw std::logic_error("no field " + std::string(entityName) + "." + std::string(fieldName));
    return *f;
}

Status check(std::string_view e, std::string_view f, const Value& v)
{
    return validate(entity(e), field(e, f), v);
}

Result<Value> parse(std::string_view e, std::string_view f, std::string_view text)
{
    return parseValue(entity(e), field(e, f), text);
}

// ------------------------------------------------------------- declaration

TEST(SchemaTest, EntitiesInOrderWithCodes)
{
    const auto& s = fieldsyncSchema();
    std::vector<std::string> names;
    for (const auto& e : s.entities()) names.push_back(e.name);
    EXPECT_THAT(names, ElementsAre("customer", "contact", "visit", "task", "complaint", "conflict", "team_config", "photo"));
    for (size_t i = 0; i < s.entities().size(); ++i) {
        const auto& e = s.entities()[i];
        SCOPED_TRACE(e.name);
        EXPECT_EQ(e.code, static_cast<int>(i));
        EXPECT_EQ(&s.entity(e.code), &e);
        EXPECT_EQ(s.entity(e.name), &e);
        EXPECT_FALSE(e.table.empty());
        EXPECT_LE(e.fields.size(), 64u);
        for (size_t j = 0; j < e.fields.size(); ++j) {
            SCOPED_TRACE(e.fields[j].name);
            EXPECT_EQ(e.fields[j].index, static_cast<int>(j));
            EXPECT_EQ(e.field(e.fields[j].name), &e.fields[j]);
        }
    }
    EXPECT_EQ(s.entity("nope"), nullptr);
    EXPECT_EQ(s.entity("Visit"), nullptr);
    EXPECT_EQ(entity("visit").field("nope"), nullptr);
    EXPECT_THROW((void)s.entity(8), std::out_of_range);
    EXPECT_NE(s.entity(kConflictEntity), nullptr);
    // The same instance every time.
    EXPECT_EQ(&fieldsyncSchema(), &s);
}

TEST(SchemaTest, SchemaConstructorAssignsIndicesAndRefusesTooManyFields)
{
    FieldDef a;
    a.name = "a";
    a.type = FieldType::Text;
    a.rule = Rule::Lww;
    FieldDef b = a;
    b.name = "b";
    Schema s({{"one", "one", {a}}, {"two", "two", {a, b}}});
    EXPECT_EQ(s.entity("one")->code, 0);
    EXPECT_EQ(s.entity("two")->code, 1);
    EXPECT_EQ(s.entity("two")->field("b")->index, 1);

    std::vector<FieldDef> many(65, a);
    EXPECT_THROW(Schema({{"big", "big", many}}), std::logic_error);
    std::vector<FieldDef> max(64, a);
    EXPECT_NO_THROW(Schema({{"max", "max", max}}));
}

// Confinement is declared once (Schema.h, ScopeKind): the hub, the replica
// and the server's policy read it instead of naming entities.
TEST(SchemaTest, ScopeIsDeclaredOnceRootChildrenSubjectAndShared)
{
    const Schema& s = fieldsyncSchema();
    EXPECT_EQ(s.root().name, "customer");
    EXPECT_EQ(s.root().fields[static_cast<size_t>(s.root().scope.owner)].name, "owner");
    EXPECT_EQ(s.root().fields[static_cast<size_t>(s.root().scope.team)].name, "team");
    std::vector<std::string> children;
    for (const auto* e : s.children()) {
        children.push_back(e->name);
        EXPECT_EQ(e->fields[static_cast<size_t>(e->scope.parent)].name, "customer") << e->name;
    }
    EXPECT_THAT(children, ElementsAre("contact", "visit", "task", "complaint", "photo"));
    ASSERT_NE(s.subject(), nullptr);
    EXPECT_EQ(s.subject()->name, "conflict");
    EXPECT_EQ(entity("team_config").scope.kind, ScopeKind::Shared);
    EXPECT_EQ(entity("task").scope.kind, ScopeKind::Child) << "origin_visit is a reference, not its scope";
}

TEST(SchemaTest, AMisdeclaredScopeFailsAtStartUp)
{
    FieldDef owner;
    owner.name = "owner";
    owner.type = FieldType::Text;
    owner.rule = Rule::Lww;
    FieldDef team = owner;
    team.name = "team";
    team.rule = Rule::Once;
    FieldDef parent;
    parent.name = "root";
    parent.type = FieldType::Ref;
    parent.rule = Rule::Lww;
    parent.refEntity = "r";
    parent.required = true;
    const ScopeNames root{ScopeKind::Root, "owner", "team"}, child{ScopeKind::Child, "root", {}};
    EXPECT_NO_THROW(Schema({{"r", "r", {owner, team}, root}, {"c", "c", {parent}, child}}));

    FieldDef lwwTeam = team;
    lwwTeam.rule = Rule::Lww;
    EXPECT_THROW(Schema({{"r", "r", {owner, lwwTeam}, root}}), std::logic_error) << "a team that can change";
    EXPECT_THROW(Schema({{"r", "r", {owner, team}, root}, {"s", "s", {owner, team}, root}}), std::logic_error)
        << "two roots";
    FieldDef optional = parent;
    optional.required = false;
    EXPECT_THROW(Schema({{"r", "r", {owner, team}, root}, {"c", "c", {optional}, child}}), std::logic_error)
        << "a child whose parent may be missing";
    FieldDef elsewhere = parent;
    elsewhere.refEntity = "c";
    EXPECT_THROW(Schema({{"r", "r", {owner, team}, root}, {"c", "c", {elsewhere}, child}}), std::logic_error)
        << "a parent that is not the root";
    EXPECT_THROW(Schema({{"c", "c", {parent}, child}}), std::logic_error) << "a child with no root";
    // A same-root reference is a reference of a child; a text format is a text's.
    FieldDef sibling = parent;
    sibling.name = "sibling";
    sibling.refEntity = "c";
    sibling.required = false;
    sibling.sameRoot = true;
    EXPECT_NO_THROW(Schema({{"r", "r", {owner, team}, root}, {"c", "c", {parent, sibling}, child}}));
    EXPECT_THROW(Schema({{"r", "r", {owner, team, sibling}, root}, {"c", "c", {parent}, child}}), std::logic_error)
        << "a same-root reference on the root itself";
    FieldDef notRef = owner;
    notRef.name = "x";
    notRef.sameRoot = true;
    EXPECT_THROW(Schema({{"r", "r", {owner, team}, root}, {"c", "c", {parent, notRef}, child}}), std::logic_error)
        << "a same-root text";
    FieldDef hashedInteger = owner;
    hashedInteger.name = "n";
    hashedInteger.type = FieldType::Integer;
    hashedInteger.format = TextFormat::Sha256Hex;
    EXPECT_THROW(Schema({{"r", "r", {owner, team, hashedInteger}, root}}), std::logic_error) << "a formatted integer";
    EXPECT_THROW(Schema({{"r", "r", {owner}, root}}), std::logic_error) << "no team field";
}

// A reference names a row by its id: not a path, not a name, not a huge text.
TEST(SchemaTest, ReferencesAreRowIdsAndTextsAreBounded)
{
    const auto& task = entity("task");
    const auto& origin = *task.field("origin_visit");
    EXPECT_TRUE(validate(task, origin, Value(std::string("0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70"))).ok());
    for (const char* bad : {"../../etc/passwd", "0193B0A0-5C3E-7D2A-9F10-2B3C4D5E6F70", "x", "lina",
                            "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70 "}) {
        auto st = validate(task, origin, Value(std::string(bad)));
        ASSERT_FALSE(st.ok()) << bad;
        EXPECT_THAT(st.error().message, HasSubstr("expects a row id")) << bad;
    }
    const auto& notes = *entity("visit").field("notes");
    EXPECT_TRUE(validate(entity("visit"), notes, Value(std::string(kMaxTextBytes, 'x'))).ok());
    auto tooLong = validate(entity("visit"), notes, Value(std::string(kMaxTextBytes + 1, 'x')));
    ASSERT_FALSE(tooLong.ok());
    EXPECT_THAT(tooLong.error().message, HasSubstr("longer than 64 KiB"));
    EXPECT_LT(tooLong.error().message.size(), 200u) << "the message quotes no more than a little of the value";
    const auto& tags = *entity("customer").field("tags");
    EXPECT_FALSE(validate(entity("customer"), tags, Value(std::string(kMaxTagBytes + 1, 't'))).ok());
}

TEST(SchemaTest, VisitFieldRules)
{
    for (const char* name : {"checkin_at", "checkin_lat", "checkin_lng", "checkin_accuracy", "checkout_at",
                             "checkout_lat", "checkout_lng"}) {
        SCOPED_TRACE(name);
        EXPECT_EQ(field("visit", name).rule, Rule::Once);
    }
    EXPECT_EQ(field("visit", "checkin_at").type, FieldType::Time);
    EXPECT_EQ(field("visit", "checkin_lat").type, FieldType::Real);
    EXPECT_EQ(field("visit", "notes").rule, Rule::Text);
    EXPECT_EQ(field("visit", "notes").type, FieldType::Text);
    const auto& status = field("visit", "status");
    EXPECT_EQ(status.rule, Rule::Stage);
    EXPECT_EQ(status.type, FieldType::Stage);
    EXPECT_THAT(status.options, ElementsAre("planned", "checked_in", "completed"));
    EXPECT_EQ(status.stageRank("planned"), 0);
    EXPECT_EQ(status.stageRank("checked_in"), 1);
    EXPECT_EQ(status.stageRank("completed"), 2);
    EXPECT_EQ(status.stageRank("done"), -1);
    EXPECT_EQ(status.stageRank(""), -1);
    EXPECT_LT(status.stageRank("planned"), status.stageRank("checked_in"));
    EXPECT_LT(status.stageRank("checked_in"), status.stageRank("completed"));
    EXPECT_EQ(field("visit", "customer").type, FieldType::Ref);
    EXPECT_EQ(field("visit", "customer").refEntity, "customer");
    EXPECT_TRUE(field("visit", "customer").required);
    EXPECT_EQ(field("visit", "satisfaction").min, 1);
    EXPECT_EQ(field("visit", "satisfaction").max, 5);
    EXPECT_EQ(field("visit", "rep").rule, Rule::Lww);
}

// A photo (schema 5, docs/photos.md): what the picture is never changes, its
// hash and thumbnail have a checked form, and its visit or complaint must be
// of its own customer.
TEST(SchemaTest, PhotoFieldsDescribeTheBytesOnce)
{
    EXPECT_EQ(entity("photo").scope.kind, ScopeKind::Child);
    for (const char* name : {"visit", "complaint", "sha256", "size", "media_type", "width", "height", "captured_at",
                             "thumbnail"}) {
        SCOPED_TRACE(name);
        EXPECT_EQ(field("photo", name).rule, Rule::Once);
    }
    EXPECT_EQ(field("photo", "caption").rule, Rule::Lww);
    EXPECT_TRUE(field("photo", "visit").sameRoot);
    EXPECT_TRUE(field("photo", "complaint").sameRoot);
    EXPECT_FALSE(field("photo", "customer").sameRoot);
    EXPECT_TRUE(field("photo", "uploaded_at").serverOnly);
    EXPECT_TRUE(field("photo", "captured_at").captured);
    for (const char* name : {"sha256", "size", "media_type"}) EXPECT_TRUE(field("photo", name).required) << name;

    const std::string hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    EXPECT_TRUE(check("photo", "sha256", Value(hash)).ok());
    for (const std::string& bad : {hash.substr(1), hash + "0", std::string("9F") + hash.substr(2),
                                  std::string("zz") + hash.substr(2), std::string("../../etc/passwd")}) {
        auto st = check("photo", "sha256", Value(bad));
        ASSERT_FALSE(st.ok()) << bad;
        EXPECT_THAT(st.error().message, HasSubstr("photo.sha256 expects a SHA-256"));
    }
    EXPECT_TRUE(check("photo", "size", Value(int64_t{kMaxPhotoBytes})).ok());
    EXPECT_FALSE(check("photo", "size", Value(int64_t{kMaxPhotoBytes + 1})).ok());
    EXPECT_FALSE(check("photo", "size", Value(int64_t{0})).ok());
    EXPECT_TRUE(check("photo", "media_type", Value(std::string("image/jpeg"))).ok());
    EXPECT_FALSE(check("photo", "media_type", Value(std::string("image/svg+xml"))).ok());

    // "/9j/4AAQ" is FF D8 FF E0 00 10: a JPEG's first bytes.
    EXPECT_TRUE(check("photo", "thumbnail", Value(std::string("/9j/4AAQSkZJRg=="))).ok());
    EXPECT_TRUE(check("photo", "thumbnail", Value(std::string("/9j/4AAQSkZJRgA="))).ok());
    for (const std::string& bad : {std::string("iVBORw0KGgo="),       // a PNG
                                  std::string("/9j/4AAQSkZJRg="),    // not a multiple of 4
                                  std::string("/9j/4AAQ SkZJRg=="),  // a space
                                  std::string("/9j/4AAQSk=ZJRg=="),  // padding inside
                                  std::string("/9j/4AAQSkZJR==="),   // three pads
                                  std::string("/9j/4AAQ-_ZJRg=="),   // URL-safe alphabet
                                  std::string("/9j/")}) {            // nothing after the marker
        auto st = check("photo", "thumbnail", Value(bad));
        ASSERT_FALSE(st.ok()) << bad;
        EXPECT_THAT(st.error().message, HasSubstr("photo.thumbnail expects a JPEG image in base64"));
    }
}

TEST(SchemaTest, TagsAreSets)
{
    EXPECT_EQ(field("customer", "tags").rule, Rule::Set);
    EXPECT_EQ(field("customer", "tags").type, FieldType::TagSet);
    // Every TagSet field merges as a set and every set-rule field is a TagSet.
    for (const auto& e : fieldsyncSchema().entities())
        for (const auto& f : e.fields) {
            SCOPED_TRACE(e.name + "." + f.name);
            EXPECT_EQ(f.type == FieldType::TagSet, f.rule == Rule::Set);
            EXPECT_EQ(f.type == FieldType::Stage, f.rule == Rule::Stage);
            if (f.type == FieldType::Stage || f.type == FieldType::Enum) {
                EXPECT_FALSE(f.options.empty());
            }
            if (f.type == FieldType::Ref) {
                EXPECT_NE(fieldsyncSchema().entity(f.refEntity), nullptr);
            }
        }
}

TEST(SchemaTest, ConflictEntityIsServerWritten)
{
    const auto& c = entity("conflict");
    for (const auto& f : c.fields) {
        SCOPED_TRACE(f.name);
        EXPECT_EQ(f.serverOnly, f.name != "resolved");
    }
    EXPECT_NE(c.field("loser_value"), nullptr);
    EXPECT_NE(c.field("winner_clock"), nullptr);
}

TEST(SchemaTest, TypeNames)
{
    EXPECT_EQ(typeName(FieldType::Text), "text");
    EXPECT_EQ(typeName(FieldType::Integer), "integer");
    EXPECT_EQ(typeName(FieldType::Real), "number");
    EXPECT_EQ(typeName(FieldType::Stage), "stage");
    EXPECT_EQ(typeName(FieldType::TagSet), "tag set");
}

// ---------------------------------------------------------------- validate

struct GoodRow {
    const char* entity;
    const char* field;
    Value value;
};

TEST(SchemaTest, ValidateAcceptsGoodValues)
{
    const std::vector<GoodRow> rows = {
        {"customer", "name", std::string("Acme 有限公司")},
        {"customer", "phone", Value{}},
        {"customer", "phone", std::string("")},  // optional text may be empty
        {"customer", "lat", 31.23},
        {"customer", "lat", int64_t{31}},          // an integer is a number
        {"customer", "lat", -0.0},
        {"customer", "size", std::string("micro")},
        {"customer", "size", std::string("enterprise")},
        {"customer", "level", std::string("A")},
        {"customer", "tags", std::string("vip")},
        {"customer", "archived", true},
        {"customer", "archived", false},
        {"contact", "customer", std::string("0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70")},
        {"visit", "satisfaction", int64_t{1}},
        {"visit", "satisfaction", int64_t{5}},
        {"visit", "satisfaction", Value{}},
        {"visit", "planned_at", int64_t{1795305600000}},
        {"visit", "planned_at", int64_t{-1}},
        {"visit", "status", std::string("checked_in")},
        {"visit", "kind", std::string("follow_up")},
        {"visit", "order_amount", 1e12},
        {"complaint", "satisfaction_after", int64_t{3}},
        {"task", "title", std::string("call back")},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.entity) + "." + row.field + " = " + crdt::describe(row.value));
        auto st = check(row.entity, row.field, row.value);
        EXPECT_TRUE(st.ok()) << st.error().message;
    }
}

struct BadRow {
    const char* entity;
    const char* field;
    Value value;
    std::vector<std::string> messageHas;
};

TEST(SchemaTest, ValidateRejectsBadValuesNamingTheField)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<BadRow> rows = {
        // wrong type
        {"customer", "name", int64_t{5}, {"customer.name", "text", "5"}},
        {"customer", "phone", true, {"customer.phone", "text"}},
        {"customer", "lat", std::string("north"), {"customer.lat", "number", "\"north\""}},
        {"customer", "lat", true, {"customer.lat", "number"}},
        {"customer", "archived", int64_t{1}, {"customer.archived", "true or false"}},
        {"customer", "archived", std::string("true"), {"customer.archived", "true or false"}},
        {"visit", "satisfaction", 3.0, {"visit.satisfaction", "integer"}},
        {"visit", "satisfaction", std::string("3"), {"visit.satisfaction", "integer"}},
        {"visit", "planned_at", 1.5, {"visit.planned_at", "time"}},
        {"visit", "planned_at", std::string("2026-11-22"), {"visit.planned_at", "time"}},
        {"visit", "customer", int64_t{7}, {"visit.customer", "text"}},
        {"customer", "tags", int64_t{1}, {"customer.tags", "tag"}},
        {"customer", "tags", std::string(""), {"customer.tags", "non-empty tag"}},
        // enum / stage not in options, listing the options
        {"customer", "size", std::string("huge"),
         {"customer.size", "micro, small, medium, large, enterprise", "huge"}},
        {"customer", "level", std::string("a"), {"customer.level", "A, B, C, D"}},
        {"customer", "level", int64_t{1}, {"customer.level", "A, B, C, D"}},
        {"visit", "status", std::string("done"), {"visit.status", "planned, checked_in, completed", "done"}},
        {"task", "status", std::string("completed"), {"task.status", "open, done"}},
        // bounds
        {"visit", "satisfaction", int64_t{0}, {"visit.satisfaction", "between 1 and 5", "0"}},
        {"visit", "satisfaction", int64_t{6}, {"visit.satisfaction", "between 1 and 5", "6"}},
        {"visit", "satisfaction", int64_t{-100}, {"visit.satisfaction", "between 1 and 5"}},
        {"complaint", "satisfaction_after", int64_t{99}, {"complaint.satisfaction_after", "between 1 and 5"}},
        // required
        {"customer", "name", Value{}, {"customer.name", "required"}},
        {"customer", "name", std::string(""), {"customer.name", "required"}},
        {"visit", "customer", Value{}, {"visit.customer", "required"}},
        {"visit", "customer", std::string(""), {"visit.customer", "required"}},
        {"task", "title", std::string(""), {"task.title", "required"}},
        {"contact", "name", Value{}, {"contact.name", "required"}},
        // non-finite reals
        {"customer", "lat", nan, {"customer.lat", "number"}},
        {"customer", "lng", inf, {"customer.lng", "number"}},
        {"visit", "order_amount", -inf, {"visit.order_amount", "number"}},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.entity) + "." + row.field + " = " + crdt::describe(row.value));
        auto st = check(row.entity, row.field, row.value);
        ASSERT_FALSE(st.ok());
        EXPECT_EQ(st.error().code, ErrorCode::InvalidArgument);
        for (const auto& part : row.messageHas) EXPECT_THAT(st.error().message, HasSubstr(part));
    }
}

// -------------------------------------------------------------- parseValue

// Hand computed: 2026-01-01 is day 56*365 + 14 leap days = 20454 since the
// epoch; Nov 22 is day-of-year 304 + 21 = 325 more; 20779 days * 86 400 000 ms.
constexpr int64_t kNov22 = 20779LL * 86'400'000;  // 2026-11-22T00:00:00Z = 1795305600000
static_assert(kNov22 == 1795305600000);
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kMinute = 60'000;

struct ParseRow {
    const char* entity;
    const char* field;
    const char* text;
    Value expected;
};

TEST(SchemaTest, ParseValueGoodText)
{
    const std::vector<ParseRow> rows = {
        // integers
        {"visit", "satisfaction", "3", int64_t{3}},
        {"visit", "satisfaction", "1", int64_t{1}},
        {"visit", "satisfaction", "5", int64_t{5}},
        // reals
        {"customer", "lat", "31.2", 31.2},
        {"customer", "lng", "-121.5", -121.5},
        {"customer", "annual_sales", "1e6", 1e6},
        {"customer", "lat", "0", 0.0},
        {"customer", "lat", "42", 42.0},  // a real field parses to a double
        // bools
        {"customer", "archived", "true", true},
        {"customer", "archived", "false", false},
        {"customer", "archived", "1", true},
        {"customer", "archived", "0", false},
        {"customer", "archived", "yes", true},
        {"customer", "archived", "no", false},
        // times
        {"visit", "planned_at", "1795305600000", int64_t{1795305600000}},
        {"visit", "planned_at", "0", int64_t{0}},
        {"visit", "planned_at", "2026-11-22", int64_t{kNov22}},
        {"visit", "planned_at", "2026-11-22T09:30", int64_t{kNov22 + 9 * kHour + 30 * kMinute}},
        {"visit", "planned_at", "2026-11-22 09:30", int64_t{kNov22 + 9 * kHour + 30 * kMinute}},
        {"visit", "planned_at", "2026-11-22T09:30Z", int64_t{kNov22 + 9 * kHour + 30 * kMinute}},
        {"visit", "planned_at", "2026-11-22T09:30:15Z", int64_t{kNov22 + 9 * kHour + 30 * kMinute + 15'000}},
        {"visit", "planned_at", "2026-11-22T09:30+08:00", int64_t{kNov22 + 1 * kHour + 30 * kMinute}},
        {"visit", "planned_at", "2026-11-22T09:30-05:00", int64_t{kNov22 + 14 * kHour + 30 * kMinute}},
        {"visit", "planned_at", "2026-11-22T09:30:15+05:30", int64_t{kNov22 + 4 * kHour + 15'000}},
        {"visit", "planned_at", "2026-11-22T01:00+08:00", int64_t{kNov22 - 7 * kHour}},  // previous UTC day
        {"visit", "planned_at", "1970-01-01", int64_t{0}},
        {"visit", "planned_at", "2024-02-29", int64_t{19782LL * 86'400'000}},  // leap day
        {"visit", "checkin_at", "2026-11-22T00:00:00Z", int64_t{kNov22}},
        // text-like fields keep the text as is
        {"customer", "name", "Acme 有限公司", std::string("Acme 有限公司")},
        {"customer", "level", "B", std::string("B")},
        {"visit", "status", "completed", std::string("completed")},
        {"customer", "tags", "vip", std::string("vip")},
        {"visit", "customer", "0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70",
         std::string("0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70")},
        // null / empty unset an optional field
        {"customer", "phone", "null", Value{}},
        {"customer", "phone", "", Value{}},
        {"visit", "satisfaction", "null", Value{}},
        {"visit", "planned_at", "", Value{}},
        {"customer", "archived", "null", Value{}},
        {"customer", "lat", "", Value{}},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.entity) + "." + row.field + " <- \"" + row.text + "\"");
        auto v = parse(row.entity, row.field, row.text);
        ASSERT_TRUE(v.ok()) << v.error().message;
        EXPECT_EQ(*v, row.expected) << crdt::describe(*v);
    }
}

struct ParseBadRow {
    const char* entity;
    const char* field;
    const char* text;
    std::vector<std::string> messageHas;
};

TEST(SchemaTest, ParseValueRejectsBadText)
{
    const std::vector<ParseBadRow> rows = {
        // integers
        {"visit", "satisfaction", "three", {"visit.satisfaction", "integer", "three"}},
        {"visit", "satisfaction", "3.5", {"visit.satisfaction", "integer"}},
        {"visit", "satisfaction", "3x", {"visit.satisfaction", "integer"}},
        {"visit", "satisfaction", " 3", {"visit.satisfaction", "integer"}},
        {"visit", "satisfaction", "99999999999999999999", {"visit.satisfaction", "integer"}},
        {"visit", "satisfaction", "6", {"visit.satisfaction", "between 1 and 5"}},
        {"visit", "satisfaction", "0", {"visit.satisfaction", "between 1 and 5"}},
        // reals
        {"customer", "lat", "north", {"customer.lat", "number", "north"}},
        {"customer", "lat", "1.5.2", {"customer.lat", "number"}},
        {"customer", "lat", "1,5", {"customer.lat", "number"}},
        {"customer", "lat", "inf", {"customer.lat", "number"}},
        {"customer", "lat", "nan", {"customer.lat", "number"}},
        {"customer", "lat", "1e999", {"customer.lat", "number"}},
        // bools
        {"customer", "archived", "maybe", {"customer.archived", "true or false", "maybe"}},
        {"customer", "archived", "2", {"customer.archived", "true or false"}},
        {"customer", "archived", "TRUE", {"customer.archived", "true or false"}},
        {"customer", "archived", "y", {"customer.archived", "true or false"}},
        // times
        {"visit", "planned_at", "tomorrow", {"visit.planned_at", "time", "tomorrow"}},
        {"visit", "planned_at", "2026-11", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026/11/22", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-13-01", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-00-10", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-32", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-00", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T25:00", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09:60", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09:3", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09:30:1", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09:30+8", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09:30+0800", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22T09:30ZZ", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "2026-11-22X", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "12:30", {"visit.planned_at", "time"}},
        {"visit", "planned_at", "1.5", {"visit.planned_at", "time"}},
        // enum / stage
        {"customer", "level", "E", {"customer.level", "A, B, C, D"}},
        {"visit", "status", "done", {"visit.status", "planned, checked_in, completed"}},
        // required fields cannot be unset
        {"customer", "name", "null", {"customer.name", "required"}},
        {"customer", "name", "", {"customer.name", "required"}},
        {"visit", "customer", "null", {"visit.customer", "required"}},
        {"task", "title", "", {"task.title", "required"}},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(std::string(row.entity) + "." + row.field + " <- \"" + row.text + "\"");
        auto v = parse(row.entity, row.field, row.text);
        ASSERT_FALSE(v.ok()) << "parsed as " << crdt::describe(*v);
        EXPECT_EQ(v.error().code, ErrorCode::InvalidArgument);
        for (const auto& part : row.messageHas) EXPECT_THAT(v.error().message, HasSubstr(part));
    }
}

// Times that name no instant must be refused, not normalised into another one.
TEST(SchemaTest, ParseValueRejectsImpossibleTimes)
{
    const std::vector<std::string> bad = {
        "2026-02-30",         // would silently become 2026-03-02
        "2026-02-29",         // 2026 is not a leap year
        "2026-04-31",
        "2026-11-22T-1:30",   // negative hour read by from_chars
        "2026-11-22T09:-5",   // negative minute
        "2026-11-22T09:30:-1",
        "2026-11-22T09:30+-1:00",
        "2026-11-22T09:30+99:00",
    };
    for (const auto& text : bad) {
        SCOPED_TRACE(text);
        auto v = parse("visit", "planned_at", text);
        EXPECT_FALSE(v.ok()) << "accepted as " << crdt::describe(*v) << " ms";
        if (!v.ok()) {
            EXPECT_EQ(v.error().code, ErrorCode::InvalidArgument);
        }
    }
}

} // namespace
} // namespace fieldsync::schema
