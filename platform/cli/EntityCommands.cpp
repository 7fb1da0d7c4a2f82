// The row commands: customer, contact, visit, task, complaint.
//
// Every entity gets set/show/list and, if it has a tombstone field,
// archive (archived) or void (voided). Customers, contacts and visits have
// their own add command with flags (`visit log`); tasks and complaints take
// FIELD=VALUE arguments. Values always go through schema::parseValue, so the
// messages for a bad value are the schema's.
#include "CliError.h"
#include "Commands.h"
#include "Output.h"

#include "domain/Cadence.h"
#include "domain/Geo.h"
#include "domain/Visits.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <ostream>

namespace fieldsync::cli {

namespace {

using nlohmann::json;
using replica::Write;
using schema::EntityDef;
using schema::FieldDef;
using schema::FieldType;

const EntityDef& entityNamed(std::string_view name)
{
    return *schema::fieldsyncSchema().entity(name);
}

const char* tombstoneOf(const EntityDef& e)
{
    if (e.field("archived")) return "archived";
    if (e.field("voided")) return "voided";
    return nullptr;
}

const FieldDef* stageOf(const EntityDef& e)
{
    for (const auto& f : e.fields)
        if (f.type == FieldType::Stage) return &f;
    return nullptr;
}

std::string fieldNames(const EntityDef& e)
{
    std::string names;
    for (const auto& f : e.fields)
        if (!f.serverOnly) names += (names.empty() ? "" : ", ") + f.name;
    return names;
}

const FieldDef& writableField(const EntityDef& e, std::string_view name)
{
    const auto* f = e.field(name);
    if (!f) usageError("unknown field " + e.name + "." + std::string(name) + " (fields: " + fieldNames(e) + ")");
    if (f->serverOnly) usageError(e.name + "." + f->name + " is written by the server only");
    return *f;
}

crdt::Value parseField(const EntityDef& e, const FieldDef& f, const std::string& text)
{
    return unwrap(schema::parseValue(e, f, text));
}

// FIELD=VALUE arguments into one write. Tag sets take comma-separated
// elements when `tagsAllowed` (add commands); elsewhere they have their own
// command.
void addAssignments(Write& write, const EntityDef& e, const std::vector<std::string>& args, size_t from,
                    bool tagsAllowed)
{
    for (size_t i = from; i < args.size(); ++i) {
        const auto& arg = args[i];
        auto eq = arg.find('=');
        if (eq == std::string::npos || eq == 0) usageError("expected FIELD=VALUE, got \"" + arg + "\"");
        const FieldDef& f = writableField(e, arg.substr(0, eq));
        std::string text = arg.substr(eq + 1);
        if (f.type == FieldType::TagSet) {
            if (!tagsAllowed)
                usageError(e.name + "." + f.name + " is a tag set: use fieldsync " + e.name + " tag ID +TAG -TAG");
            size_t start = 0;
            while (start <= text.size()) {
                size_t comma = text.find(',', start);
                std::string tag = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (!tag.empty()) {
                    parseField(e, f, tag);
                    write.add(f.name, tag);
                }
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            continue;
        }
        write.set(f.name, parseField(e, f, text));
    }
}

// Sets `field` from option `option` if it was given.
void setFromOption(Context& ctx, Write& write, const EntityDef& e, const char* option, const char* field)
{
    if (auto v = ctx.value(option)) write.set(field, parseField(e, writableField(e, field), *v));
}

void printNewId(Context& ctx, const std::string& id)
{
    if (ctx.json()) printJson(ctx.out(), json{{"id", id}});
    else ctx.out() << id << '\n';
}

std::string plural(const std::string& entity)
{
    return entity + "s";
}

// ---------------------------------------------------------------- help text

std::string describeField(const FieldDef& f)
{
    std::string d;
    switch (f.type) {
    case FieldType::Enum: {
        d = "one of ";
        for (size_t i = 0; i < f.options.size(); ++i) d += (i ? "|" : "") + f.options[i];
        break;
    }
    case FieldType::Stage: {
        d = "stage ";
        for (size_t i = 0; i < f.options.size(); ++i) d += (i ? " > " : "") + f.options[i];
        break;
    }
    case FieldType::Integer:
        d = "integer";
        if (f.min && f.max) d += " " + std::to_string(*f.min) + "-" + std::to_string(*f.max);
        break;
    case FieldType::Ref: d = f.refEntity + " id"; break;
    case FieldType::Time: d = "time"; break;
    case FieldType::TagSet: d = "tags, comma-separated when adding; then use the tag command"; break;
    default: d = std::string(schema::typeName(f.type)); break;
    }
    if (f.required) d += ", required";
    if (f.rule == crdt::Rule::Once) d += ", write-once";
    if (f.rule == crdt::Rule::Text) d += ", concurrent edits are flagged for review";
    return d;
}

std::string fieldsHelp(const EntityDef& e)
{
    size_t width = 0;
    for (const auto& f : e.fields) width = std::max(width, f.name.size());
    std::string out = "Fields (FIELD=VALUE; \"null\" or nothing clears a field):\n";
    for (const auto& f : e.fields) {
        if (f.serverOnly) continue;
        out += "  " + f.name + std::string(width - f.name.size() + 2, ' ') + describeField(f) + "\n";
    }
    return out;
}

// ---------------------------------------------------------------- reading rows

// Customers by id, for names in listings and the visit flags.
std::map<std::string, json> customersById(replica::Replica& r)
{
    std::map<std::string, json> out;
    for (auto& c : r.list("customer")) out.emplace(c["id"].get<std::string>(), std::move(c));
    return out;
}

bool isTrue(const json& row, const char* field)
{
    auto it = row.find(field);
    return it != row.end() && it->is_boolean() && it->get<bool>();
}

std::string text(const json& row, const char* field)
{
    auto it = row.find(field);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A visit's customer may be archived (its visits stay listed, flagged) or
// not on this replica at all (the visit arrived without it).
void flagCustomer(json& row, const std::map<std::string, json>& customers)
{
    auto it = customers.find(text(row, "customer"));
    row["customer_archived"] = it != customers.end() && isTrue(it->second, "archived");
    row["customer_missing"] = it == customers.end();
}

// The visit flags of domain::Visit (core/domain/Visits.h), on a listed row:
// far (distance_m beyond the team's check-in radius), no_location (checked
// in without a position), voided, and the customer flags above; "flags"
// lists the ones that are set.
void flagVisit(json& row, const std::map<std::string, json>& customers, double radiusM)
{
    flagCustomer(row, customers);
    const json& distance = row["distance_m"];
    row["far"] = distance.is_number() && distance.get<double>() > radiusM;
    row["no_location"] = !row["checkin_at"].is_null() && row["checkin_lat"].is_null();
    json flags = json::array();
    for (const char* f : {"far", "no_location", "voided", "customer_archived", "customer_missing"})
        if (isTrue(row, f)) flags.push_back(f);
    row["flags"] = flags;
}

std::string visitFlagsText(const json& row)
{
    std::string out;
    for (const auto& f : row["flags"]) {
        std::string name = f.get<std::string>();
        if (name == "far") name = "far check-in";
        for (auto& c : name)
            if (c == '_') c = ' ';
        out += (out.empty() ? "" : ", ") + name;
    }
    return out;
}

std::string customerLabel(const json& row, const std::map<std::string, json>& customers)
{
    std::string id = text(row, "customer");
    auto it = customers.find(id);
    if (it == customers.end()) return id.empty() ? "-" : id.substr(0, 8) + "… (missing)";
    return text(it->second, "name");
}

// ---------------------------------------------------------------- show / list

void showRow(Context& ctx, const EntityDef& e)
{
    auto& r = ctx.replica();
    json row = unwrap(r.get(e.name, ctx.operands()[0]));
    std::map<std::string, json> customers;
    const bool refersToCustomer = e.field("customer") && e.field("customer")->type == FieldType::Ref;
    if (refersToCustomer) customers = customersById(r);
    if (e.name == "visit") flagVisit(row, customers, domain::teamConfig(r).checkinRadiusM);
    if (ctx.json()) {
        printJson(ctx.out(), row);
        return;
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    pairs.emplace_back("id", text(row, "id"));
    for (const auto& f : e.fields) {
        if (f.serverOnly) continue;
        std::string value = formatValue(f, row[f.name]);
        if (refersToCustomer && f.name == "customer") {
            auto it = customers.find(text(row, "customer"));
            if (it == customers.end()) value += " (not on this replica)";
            else value += " (" + text(it->second, "name") + (isTrue(it->second, "archived") ? ", archived)" : ")");
        }
        pairs.emplace_back(f.name, value);
    }
    printPairs(ctx.out(), pairs);
}

struct Column {
    std::string header;
    std::string field;  // a field name, or "customer" (its name), or "flags" (visits)
};

std::vector<Column> listColumns(const EntityDef& e)
{
    if (e.name == "customer")
        return {{"ID", "id"}, {"NAME", "name"}, {"LEVEL", "level"}, {"PHONE", "phone"}, {"TAGS", "tags"},
                {"OWNER", "owner"}};
    if (e.name == "contact")
        return {{"ID", "id"},       {"CUSTOMER", "customer"}, {"NAME", "name"},       {"TITLE", "title"},
                {"PHONE", "phone"}, {"EMAIL", "email"},       {"PRIMARY", "is_primary"}};
    if (e.name == "visit")
        return {{"ID", "id"},         {"CUSTOMER", "customer"}, {"CHECK-IN", "checkin_at"}, {"STATUS", "status"},
                {"REP", "rep"},       {"OUTCOME", "outcome"},   {"FLAGS", "flags"}};
    if (e.name == "task")
        return {{"ID", "id"},         {"CUSTOMER", "customer"}, {"TITLE", "title"},
                {"ASSIGNEE", "assignee"}, {"DUE", "due"},      {"STATUS", "status"}};
    if (e.name == "complaint")
        return {{"ID", "id"},             {"CUSTOMER", "customer"}, {"RECEIVED", "received_at"},
                {"SEVERITY", "severity"}, {"STATUS", "status"},     {"HANDLER", "handler"}};
    std::vector<Column> cols{{"ID", "id"}};
    for (const auto& f : e.fields)
        if (!f.serverOnly && cols.size() < 6) cols.push_back({f.name, f.name});
    return cols;
}

void listRows(Context& ctx, const EntityDef& e)
{
    auto& r = ctx.replica();
    const char* tombstone = tombstoneOf(e);
    const bool all = ctx.flag("all");
    const auto customerFilter = ctx.value("customer");
    const bool refersToCustomer = e.field("customer") && e.field("customer")->type == FieldType::Ref;
    std::map<std::string, json> customers;
    if (refersToCustomer) customers = customersById(r);

    // A customer's visits are its timeline: voided ones stay in it, marked,
    // latest first (check-in, else planned time).
    const bool timeline = e.name == "visit" && customerFilter;
    const double radius = e.name == "visit" ? domain::teamConfig(r).checkinRadiusM : 0;
    std::vector<json> rows;
    size_t hidden = 0;
    for (auto& row : r.list(e.name)) {
        if (customerFilter && text(row, "customer") != *customerFilter) continue;
        if (tombstone && !all && !timeline && isTrue(row, tombstone)) {
            ++hidden;
            continue;
        }
        if (e.name == "visit") flagVisit(row, customers, radius);
        rows.push_back(std::move(row));
    }
    if (timeline)
        std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
            auto when = [](const json& v) {
                const json& t = v["checkin_at"].is_null() ? v["planned_at"] : v["checkin_at"];
                return t.is_null() ? INT64_MIN : t.get<int64_t>();
            };
            return when(a) > when(b);
        });
    if (ctx.json()) {
        printJson(ctx.out(), json(rows));
        return;
    }

    auto columns = listColumns(e);
    if (tombstone && all) columns.push_back({tombstone == std::string("archived") ? "ARCHIVED" : "VOIDED", tombstone});
    std::vector<std::string> headers;
    for (const auto& c : columns) headers.push_back(c.header);
    Table table(headers);
    for (const auto& row : rows) {
        std::vector<std::string> cells;
        for (const auto& c : columns) {
            if (c.field == "id") {
                cells.push_back(text(row, "id"));
            } else if (c.field == "customer" && refersToCustomer) {
                cells.push_back(customerLabel(row, customers));
            } else if (c.field == "flags") {
                cells.push_back(visitFlagsText(row));
            } else if (tombstone && c.field == tombstone) {
                cells.push_back(isTrue(row, tombstone) ? "yes" : "");
            } else {
                cells.push_back(formatValue(*e.field(c.field), row[c.field]));
            }
        }
        table.addRow(std::move(cells));
    }
    if (table.empty()) ctx.out() << "no " << plural(e.name) << (customerFilter ? " for this customer" : "") << '\n';
    else table.print(ctx.out());
    if (hidden)
        ctx.out() << "(" << hidden << " " << tombstone << " " << (hidden == 1 ? e.name : plural(e.name))
                  << " not shown; --all lists them)\n";
}

// ---------------------------------------------------------------- writes

// The replica refuses a second value for a write-once field; say so with the
// value in human form (a check-in time as a time, not milliseconds).
void checkWriteOnce(replica::Replica& r, const EntityDef& e, const std::string& id, const Write& write)
{
    auto row = r.get(e.name, id);
    if (!row) return;  // the update reports it
    for (const auto& item : write.items()) {
        const auto* f = e.field(item.field);
        if (!f || f->rule != crdt::Rule::Once || item.kind != Write::Item::Set) continue;
        const json& current = (*row)[f->name];
        if (!current.is_null() && current != crdt::toJson(item.value))
            throw CliError(ExitCode::Refused, e.name + "." + f->name + " is write-once and already set to "
                                                  + formatValue(*f, current));
    }
}

void setFields(Context& ctx, const EntityDef& e)
{
    Write write;
    addAssignments(write, e, ctx.operands(), 1, false);
    if (e.name == "visit")
        for (const auto& item : write.items())
            if (item.field == "voided" || item.field == "void_reason")
                usageError("visit." + item.field + " is set by: fieldsync visit void ID --reason TEXT (managers only)");
    auto& r = ctx.replica();
    checkWriteOnce(r, e, ctx.operands()[0], write);
    check(r.update(e.name, ctx.operands()[0], write));
}

void changeTags(Context& ctx, const EntityDef& e, const FieldDef& tags)
{
    Write write;
    for (size_t i = 1; i < ctx.operands().size(); ++i) {
        const auto& op = ctx.operands()[i];
        if (op.size() < 2 || (op[0] != '+' && op[0] != '-'))
            ctx.usageError("expected +TAG to add or -TAG to remove, got \"" + op + "\"");
        std::string tag = op.substr(1);
        parseField(e, tags, tag);
        if (op[0] == '+') write.add(tags.name, tag);
        else write.remove(tags.name, tag);
    }
    check(ctx.replica().update(e.name, ctx.operands()[0], write));
}

void tombstoneRow(Context& ctx, const EntityDef& e, const char* tombstone)
{
    Write write;
    write.set(tombstone, true);
    if (auto reason = ctx.value("reason")) write.set("void_reason", parseField(e, writableField(e, "void_reason"), *reason));
    check(ctx.replica().update(e.name, ctx.operands()[0], write));
}

void reopenRow(Context& ctx, const EntityDef& e, const FieldDef& stage)
{
    std::string to = ctx.value("stage").value_or(stage.options.front());
    parseField(e, stage, to);
    check(ctx.replica().update(e.name, ctx.operands()[0], Write().reopen(stage.name, to)));
}

void addCustomer(Context& ctx)
{
    const auto& e = entityNamed("customer");
    if (!ctx.value("name")) ctx.usageError("missing --name NAME");
    Write write;
    setFromOption(ctx, write, e, "name", "name");
    setFromOption(ctx, write, e, "phone", "phone");
    setFromOption(ctx, write, e, "level", "level");
    setFromOption(ctx, write, e, "address", "address");
    setFromOption(ctx, write, e, "region", "region");
    setFromOption(ctx, write, e, "owner", "owner");
    for (const auto& tag : ctx.values("tag")) {
        parseField(e, writableField(e, "tags"), tag);
        write.add("tags", tag);
    }
    addAssignments(write, e, ctx.operands(), 0, true);
    // A signed-in rep's new customer is theirs unless an owner is given; a
    // manager's is unowned (the public pool).
    auto& r = ctx.replica();
    const bool ownerGiven = ctx.value("owner") || std::any_of(ctx.operands().begin(), ctx.operands().end(),
                                                               [](const std::string& a) { return a.rfind("owner=", 0) == 0; });
    if (!ownerGiven && r.setting("role") == "rep")
        if (auto user = r.setting("user")) write.set("owner", *user);
    // The customer belongs to the creator's team: while unowned it is in
    // that team's public pool only (an admin, or team=NAME, may say otherwise).
    const bool teamGiven = std::any_of(ctx.operands().begin(), ctx.operands().end(),
                                       [](const std::string& a) { return a.rfind("team=", 0) == 0; });
    if (!teamGiven)
        if (auto team = r.setting("team"); team && !team->empty()) write.set("team", *team);
    // 撞单: likely duplicates already on this device stop the add unless --force.
    std::string name;
    std::vector<std::string> phones;
    for (const auto& item : write.items()) {
        if (item.kind != Write::Item::Set || !std::holds_alternative<std::string>(item.value)) continue;
        if (item.field == "name") name = std::get<std::string>(item.value);
        if (item.field == "phone") phones.push_back(std::get<std::string>(item.value));
    }
    checkDuplicatesBeforeAdd(ctx, name, phones);
    printNewId(ctx, unwrap(r.create(e.name, write)));
}

void addContact(Context& ctx)
{
    const auto& e = entityNamed("contact");
    if (!ctx.value("customer")) ctx.usageError("missing --customer ID");
    if (!ctx.value("name")) ctx.usageError("missing --name NAME");
    Write write;
    setFromOption(ctx, write, e, "customer", "customer");
    setFromOption(ctx, write, e, "name", "name");
    setFromOption(ctx, write, e, "title", "title");
    setFromOption(ctx, write, e, "phone", "phone");
    setFromOption(ctx, write, e, "email", "email");
    if (ctx.flag("primary")) write.set("is_primary", true);
    addAssignments(write, e, ctx.operands(), 0, true);
    printNewId(ctx, unwrap(ctx.replica().create(e.name, write)));
}

void logVisit(Context& ctx)
{
    const auto& e = entityNamed("visit");
    if (!ctx.value("customer")) ctx.usageError("missing --customer ID");
    const bool hasLat = ctx.value("lat").has_value(), hasLng = ctx.value("lng").has_value();
    if (hasLat != hasLng) ctx.usageError("--lat and --lng go together");
    if (ctx.value("accuracy") && !hasLat) ctx.usageError("--accuracy needs --lat and --lng");
    Write write;
    setFromOption(ctx, write, e, "customer", "customer");
    setFromOption(ctx, write, e, "rep", "rep");
    setFromOption(ctx, write, e, "kind", "kind");
    setFromOption(ctx, write, e, "notes", "notes");
    setFromOption(ctx, write, e, "outcome", "outcome");
    setFromOption(ctx, write, e, "satisfaction", "satisfaction");
    // The check-in is one write-once fact: time and place in the same clock.
    crdt::Value at = ctx.value("at") ? parseField(e, *e.field("checkin_at"), *ctx.value("at"))
                                     : crdt::Value(ctx.replica().clock().physicalMillis());
    if (crdt::isNull(at)) ctx.usageError("--at needs a time");
    write.set("checkin_at", at);
    // The device clock's reading, as domain::checkIn records it (the
    // difference from checkin_at is the correction this replica applied).
    if (const auto* ms = std::get_if<int64_t>(&at))
        write.set("checkin_device_at", *ms - ctx.replica().clock().offset());
    setFromOption(ctx, write, e, "lat", "checkin_lat");
    setFromOption(ctx, write, e, "lng", "checkin_lng");
    setFromOption(ctx, write, e, "accuracy", "checkin_accuracy");
    if (hasLat) {
        // The distance to the customer is stored with the check-in, as by
        // `visit checkin` (domain::checkIn), so the far flag works for both.
        auto number = [&](const char* option, const char* field) -> std::optional<double> {
            crdt::Value v = parseField(e, *e.field(field), *ctx.value(option));
            if (const auto* d = std::get_if<double>(&v)) return *d;
            if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
            return std::nullopt;
        };
        auto lat = number("lat", "checkin_lat"), lng = number("lng", "checkin_lng");
        std::optional<double> accuracy;
        if (ctx.value("accuracy")) accuracy = number("accuracy", "checkin_accuracy");
        check(domain::checkPosition(lat, lng, accuracy));
        if (lat && lng)
            if (auto d = domain::distanceFromCustomer(ctx.replica(), *ctx.value("customer"), *lat, *lng))
                write.set("distance_m", *d);
    }
    write.set("status", std::string("completed"));
    addAssignments(write, e, ctx.operands(), 0, true);
    printNewId(ctx, unwrap(ctx.replica().create(e.name, write)));
}

void addGeneric(Context& ctx, const EntityDef& e)
{
    Write write;
    if (e.field("customer")) setFromOption(ctx, write, e, "customer", "customer");
    // A new row starts at the first stage of its status unless told otherwise.
    if (const auto* stage = stageOf(e)) write.set(stage->name, stage->options.front());
    addAssignments(write, e, ctx.operands(), 0, true);
    printNewId(ctx, unwrap(ctx.replica().create(e.name, write)));
}

// ---------------------------------------------------------------- registration

void addListCommand(CommandTable& table, const EntityDef& e)
{
    const char* tombstone = tombstoneOf(e);
    const bool refersToCustomer = e.name != "customer" && e.field("customer");
    Command c;
    c.words = {e.name, "list"};
    c.synopsis = std::string(refersToCustomer ? "[--customer ID] " : "") + (tombstone ? "[--all] " : "") + "[--json]";
    c.summary = "list " + plural(e.name) + (tombstone ? std::string(" (") + tombstone + " ones only with --all)" : "");
    if (e.name == "visit")
        c.details = "Visits of archived customers are always listed, flagged \"customer archived\"\n"
                    "(JSON: \"customer_archived\": true); a visit whose customer is not on this\n"
                    "replica is flagged \"customer missing\" (\"customer_missing\": true). A check-in\n"
                    "beyond the team's radius is flagged \"far\", one without a position \"no location\".\n"
                    "With --customer the list is the customer's timeline: latest first, voided\n"
                    "visits included and flagged \"voided\".\n";
    c.options = [tombstone, refersToCustomer](po::options_description& d) {
        if (refersToCustomer)
            d.add_options()("customer", po::value<std::string>()->value_name("ID"), "only rows of this customer");
        if (tombstone)
            d.add_options()("all", po::bool_switch(), (std::string("include ") + tombstone + " rows").c_str());
    };
    c.run = [&e](Context& ctx) { listRows(ctx, e); };
    table.add(std::move(c));
}

void addRowCommands(CommandTable& table, const EntityDef& e)
{
    {
        Command c;
        c.words = {e.name, "set"};
        c.synopsis = "ID FIELD=VALUE [FIELD=VALUE ...]";
        c.summary = "change fields of a " + e.name + " (one write)";
        c.reference = fieldsHelp(e);
        c.minOperands = 2;
        c.maxOperands = Command::kUnbounded;
        c.run = [&e](Context& ctx) { setFields(ctx, e); };
        table.add(std::move(c));
    }
    for (const auto& f : e.fields) {
        if (f.type != FieldType::TagSet) continue;
        Command c;
        c.words = {e.name, "tag"};
        c.synopsis = "ID +TAG|-TAG [+TAG|-TAG ...]";
        c.summary = "add (+TAG) and remove (-TAG) " + f.name + " in one write";
        c.details = "A tag added on one replica while another removes it concurrently stays (add wins).\n";
        c.minOperands = 2;
        c.maxOperands = Command::kUnbounded;
        c.signedOperands = true;
        c.run = [&e, &f](Context& ctx) { changeTags(ctx, e, f); };
        table.add(std::move(c));
        break;
    }
    if (const char* tombstone = tombstoneOf(e); tombstone && !replacedByActivityCommands(e.name, "void")) {
        const bool isVoid = std::string_view(tombstone) == "voided";
        Command c;
        c.words = {e.name, isVoid ? "void" : "archive"};
        c.summary = std::string(isVoid ? "void" : "archive") + " a " + e.name + " (sets " + tombstone
            + "; it stays in sync and in --all listings)";
        c.synopsis = "ID";
        if (e.field("void_reason")) {
            c.synopsis = "ID [--reason TEXT]";
            c.options = [](po::options_description& d) {
                d.add_options()("reason", po::value<std::string>()->value_name("TEXT"), "why (void_reason)");
            };
        }
        c.minOperands = c.maxOperands = 1;
        c.run = [&e, tombstone](Context& ctx) { tombstoneRow(ctx, e, tombstone); };
        table.add(std::move(c));
    }
    if (const auto* stage = stageOf(e)) {
        Command c;
        c.words = {e.name, "reopen"};
        c.synopsis = "ID [--stage STAGE]";
        c.summary = "move " + stage->name + " back to an earlier stage (default " + stage->options.front() + ")";
        c.details = "A status only moves forward with set; reopen starts it over, and wins over\n"
                    "any stage of the old round on every replica.\n";
        c.options = [](po::options_description& d) {
            d.add_options()("stage", po::value<std::string>()->value_name("STAGE"), "the stage to reopen at");
        };
        c.minOperands = c.maxOperands = 1;
        c.run = [&e, stage](Context& ctx) { reopenRow(ctx, e, *stage); };
        table.add(std::move(c));
    }
    {
        Command c;
        c.words = {e.name, "show"};
        c.synopsis = "ID [--json]";
        c.summary = "show one " + e.name;
        c.minOperands = c.maxOperands = 1;
        c.run = [&e](Context& ctx) { showRow(ctx, e); };
        table.add(std::move(c));
    }
    if (e.name != "customer" && !replacedByActivityCommands(e.name, "list")) addListCommand(table, e);  // customer list: CustomerCommands.cpp
}

void addCustomerCommands(CommandTable& table)
{
    const auto& e = entityNamed("customer");
    table.addGroup({"customer", "the shops and companies reps visit", {}});
    Command c;
    c.words = {"customer", "add"};
    c.synopsis = "--name NAME [--phone P] [--level A|B|C|D] [--address A] [--region R] [--owner U]\n"
                 "                 [--tag T ...] [--force] [FIELD=VALUE ...]";
    c.summary = "add a customer and print its id";
    c.details = "Before saving, the customers already on this device that are probably the same\n"
                "one (same phone, same or same-sounding name, one name inside the other; see\n"
                "customer duplicates) are listed and nothing is saved (exit 4), unless --force.\n";
    c.reference = fieldsHelp(e);
    c.options = [](po::options_description& d) {
        d.add_options()
            ("name", po::value<std::string>()->value_name("NAME"), "name (required)")
            ("phone", po::value<std::string>()->value_name("P"), "phone number")
            ("level", po::value<std::string>()->value_name("A|B|C|D"), "customer level")
            ("address", po::value<std::string>()->value_name("A"), "street address")
            ("region", po::value<std::string>()->value_name("R"), "sales region")
            ("owner", po::value<std::string>()->value_name("U"), "user name of the owning rep (default for a signed-in rep: themselves)")
            ("tag", po::value<std::vector<std::string>>()->composing()->value_name("T"), "a tag (repeatable)")
            ("force", po::bool_switch(), "save even if likely duplicates exist");
    };
    c.maxOperands = Command::kUnbounded;
    c.run = addCustomer;
    table.add(std::move(c));
    addCustomerQueryCommands(table);
    addRowCommands(table, e);
}

void addContactCommands(CommandTable& table)
{
    const auto& e = entityNamed("contact");
    table.addGroup({"contact", "the people at a customer", {}});
    Command c;
    c.words = {"contact", "add"};
    c.synopsis = "--customer ID --name N [--title T] [--phone P] [--email E] [--primary] [FIELD=VALUE ...]";
    c.summary = "add a contact to a customer and print its id";
    c.reference = fieldsHelp(e);
    c.options = [](po::options_description& d) {
        d.add_options()
            ("customer", po::value<std::string>()->value_name("ID"), "the customer (required)")
            ("name", po::value<std::string>()->value_name("N"), "name (required)")
            ("title", po::value<std::string>()->value_name("T"), "job title")
            ("phone", po::value<std::string>()->value_name("P"), "phone number")
            ("email", po::value<std::string>()->value_name("E"), "email address")
            ("primary", po::bool_switch(), "the customer's primary contact");
    };
    c.maxOperands = Command::kUnbounded;
    c.run = addContact;
    table.add(std::move(c));
    addRowCommands(table, e);
}

void addVisitCommands(CommandTable& table)
{
    const auto& e = entityNamed("visit");
    table.addGroup({"visit", "a rep's check-ins at customers", {}});
    Command c;
    c.words = {"visit", "log"};
    c.synopsis = "--customer ID [--notes TEXT] [--outcome TEXT] [--kind K] [--rep U]\n"
                 "                 [--satisfaction 1-5] [--lat X --lng Y [--accuracy M]] [--at TIME] [FIELD=VALUE ...]";
    c.summary = "log a completed visit and print its id";
    c.details = "The check-in (checkin_at = --at or now, and --lat/--lng/--accuracy) is written\n"
                "once: it cannot be changed later. Status is \"completed\".\n";
    c.reference = fieldsHelp(e);
    c.options = [](po::options_description& d) {
        d.add_options()
            ("customer", po::value<std::string>()->value_name("ID"), "the customer visited (required)")
            ("notes", po::value<std::string>()->value_name("TEXT"), "visit notes")
            ("outcome", po::value<std::string>()->value_name("TEXT"), "outcome")
            ("kind", po::value<std::string>()->value_name("K"), "visit|follow_up|complaint|delivery|other")
            ("rep", po::value<std::string>()->value_name("U"), "user name of the rep")
            ("satisfaction", po::value<std::string>()->value_name("1-5"), "customer satisfaction")
            ("lat", po::value<std::string>()->value_name("X"), "check-in latitude")
            ("lng", po::value<std::string>()->value_name("Y"), "check-in longitude")
            ("accuracy", po::value<std::string>()->value_name("M"), "check-in accuracy in metres")
            ("at", po::value<std::string>()->value_name("TIME"), "check-in time (default now): 2026-11-22T09:30+08:00");
    };
    c.maxOperands = Command::kUnbounded;
    c.run = logVisit;
    table.add(std::move(c));
    addRowCommands(table, e);
}

void addGenericCommands(CommandTable& table, const EntityDef& e, const std::string& summary)
{
    table.addGroup({e.name, summary, {}});
    const bool refersToCustomer = e.field("customer") != nullptr;
    if (replacedByActivityCommands(e.name, "add")) {
        addRowCommands(table, e);
        return;
    }
    Command c;
    c.words = {e.name, "add"};
    c.synopsis = std::string(refersToCustomer ? "--customer ID " : "") + "FIELD=VALUE [FIELD=VALUE ...]";
    c.summary = "add a " + e.name + " and print its id";
    c.reference = fieldsHelp(e);
    if (refersToCustomer)
        c.options = [](po::options_description& d) {
            d.add_options()("customer", po::value<std::string>()->value_name("ID"), "the customer");
        };
    c.maxOperands = Command::kUnbounded;
    c.run = [&e](Context& ctx) { addGeneric(ctx, e); };
    table.add(std::move(c));
    addRowCommands(table, e);
}

} // namespace

void addEntityCommands(CommandTable& table)
{
    addCustomerCommands(table);
    addContactCommands(table);
    addVisitCommands(table);
    addGenericCommands(table, entityNamed("task"), "follow-ups owed to customers");
    addGenericCommands(table, entityNamed("complaint"), "customer complaints and their handling");
}

} // namespace fieldsync::cli
