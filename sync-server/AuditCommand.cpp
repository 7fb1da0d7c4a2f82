#include "AuditCommand.h"

#include "crdt/Value.h"
#include "domain/Export.h"
#include "protocol/ChangeRecord.h"
#include "schema/Schema.h"
#include "stores/Audit.h"
#include "text/TerminalText.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <ostream>

namespace fieldsync::server {
namespace po = boost::program_options;
using nlohmann::json;

namespace {

constexpr int64_t kMaxLimit = 1'000'000;
constexpr size_t kMaxChangesColumns = 80;  // the table's CHANGES cell; --json and --csv hold it whole
constexpr size_t kMaxNameColumns = 24;     // user, device and customer names in the table

const schema::Schema& theSchema() { return schema::fieldsyncSchema(); }

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct Missing : std::runtime_error {  // an unknown row, customer or device: exit 3
    using std::runtime_error::runtime_error;
};

int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// ---------------------------------------------------------------- times

// ISO 8601 in the local zone (TZ) with its offset, to the second, as the
// CLI prints times: "2026-11-22T09:30:12+08:00", or "...Z" in UTC.
std::string isoTime(int64_t ms)
{
    std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    const long offset = tm.tm_gmtoff / 60;
    if (offset == 0) return std::string(buf) + "Z";
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", offset < 0 ? '-' : '+', std::labs(offset) / 60 % 100,
                  std::labs(offset) % 60);
    return std::string(buf) + zone;
}

bool allDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// --since/--until: milliseconds since 1970; an age before now ("30m", "24h",
// "7d"); or ISO 8601 — with "Z" or "+08:00" as given, without a zone in the
// local zone (TZ), as an admin reads the times this command prints.
std::optional<int64_t> parseTime(const std::string& text, int64_t now)
{
    if (text.empty()) return std::nullopt;
    if (allDigits(text)) {
        int64_t ms = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
        return ec == std::errc() && end == text.data() + text.size() ? std::optional(ms) : std::nullopt;
    }
    if (text.size() >= 2 && allDigits(std::string_view(text).substr(0, text.size() - 1))) {
        static const std::map<char, int64_t> units{{'s', 1000}, {'m', 60'000}, {'h', 3'600'000}, {'d', 86'400'000}};
        auto unit = units.find(text.back());
        int64_t n = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
        if (unit == units.end() || ec != std::errc() || n > 100'000 * 86'400'000LL / unit->second) return std::nullopt;
        return now - n * unit->second;
    }
    const bool zoned = text.back() == 'Z'
        || (text.size() >= 16 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-')
            && text[text.size() - 3] == ':');
    const auto& visit = *theSchema().entity("visit");
    auto v = schema::parseValue(visit, *visit.field("planned_at"), text);  // the schema's ISO 8601 reader
    if (!v || !std::holds_alternative<int64_t>(*v)) return std::nullopt;
    const int64_t wall = std::get<int64_t>(*v);
    if (zoned) return wall;
    // The reader took the wall time for UTC: the same wall time, here.
    std::time_t seconds = static_cast<std::time_t>(wall / 1000 - (wall % 1000 < 0 ? 1 : 0));
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    tm.tm_isdst = -1;
    const std::time_t local = std::mktime(&tm);
    return static_cast<int64_t>(local) * 1000 + (wall - static_cast<int64_t>(seconds) * 1000);
}


// ---------------------------------------------------------------- devices

class Devices {
public:
    Devices(std::vector<DeviceInfo> devices, crdt::DeviceId server) : m_devices(std::move(devices)), m_server(server)
    {
        for (const auto& d : m_devices) m_byHex[d.device] = &d;
    }

    const DeviceInfo* find(const crdt::DeviceId& id) const
    {
        auto it = m_byHex.find(id.hex());
        return it == m_byHex.end() ? nullptr : it->second;
    }
    bool isServer(const crdt::DeviceId& id) const { return !m_server.isNull() && id == m_server; }

    // For the table: "Lina's phone (3f2a9c1d)", the name cleaned and cut,
    // never the id; the short id alone for a device the accounts do not
    // know; "[server]" (no id) for the hub itself.
    std::string label(const crdt::DeviceId& id) const
    {
        if (isServer(id)) return "[server]";
        const std::string shortId = id.hex().substr(0, 8);
        const auto* d = find(id);
        return d && !d->name.empty() ? text::fitted(d->name, kMaxNameColumns) + " (" + shortId + ")" : shortId;
    }

    // --device: a full id, a unique prefix of one (4 hex digits or more) or
    // a device's exact name.
    crdt::DeviceId resolve(const std::string& text) const
    {
        std::string lower = text;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (auto id = crdt::DeviceId::fromHex(lower)) return *id;
        const bool hex = lower.size() >= 4 && lower.find_first_not_of("0123456789abcdef") == std::string::npos;
        std::vector<const DeviceInfo*> found;
        for (const auto& d : m_devices)
            if (d.name == text || (hex && d.device.starts_with(lower))) found.push_back(&d);
        if (found.size() == 1) return *crdt::DeviceId::fromHex(found.front()->device);
        if (found.empty())
            throw Missing("no device named \"" + text + "\" or whose id starts with it ("
                          + "fieldsync-server device list names them)");
        std::string list;
        for (const auto* d : found) list += (list.empty() ? "" : ", ") + d->device + " (" + d->user + ", " + d->name + ")";
        throw Usage("--device \"" + text + "\" matches " + std::to_string(found.size()) + " devices: " + list
                    + "; give more of its id");
    }

private:
    std::vector<DeviceInfo> m_devices;
    std::map<std::string, const DeviceInfo*> m_byHex;
    crdt::DeviceId m_server;
};

// The accounts of a store that has them (device names); none otherwise.
// Never creates accounts in a store that has none.
std::unique_ptr<Accounts> existingAccounts(const StoreLocation& store, const Accounts::Options& options)
{
    if (store.kind == StoreLocation::Kind::Sqlite && !std::filesystem::exists(store.dir + "/accounts.db")) return nullptr;
    auto db = connectStore(store, "accounts.db");
    if (!db->hasTable("device")) return nullptr;
    return std::make_unique<Accounts>(std::move(db), options);
}

// ---------------------------------------------------------------- changes

// A text value bare when it reads unambiguously ("A", "completed"),
// otherwise quoted as JSON ("客户要求下周再来, 带样品" has a comma).
std::string textValue(const std::string& s)
{
    const bool bare = !s.empty() && s != "null" && s != "true" && s != "false"
        && s.find_first_of(" ,=\"'\\") == std::string::npos
        && std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    return bare ? s : json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string valueText(const schema::FieldDef& f, const crdt::Value& v)
{
    if (crdt::isNull(v)) return "null";
    if (const auto* n = std::get_if<int64_t>(&v)) return f.type == schema::FieldType::Time ? isoTime(*n) : std::to_string(*n);
    if (const auto* s = std::get_if<std::string>(&v)) return textValue(*s);
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    return crdt::toJson(v).dump();
}

// A conflict entry's loser or winner: the value as JSON text, in the
// subject field's terms. Not its writer: the entry's clocks name devices as
// the writers' records claimed them; the row's own entries name the writers
// as they signed in.
std::string conflictValue(const schema::FieldDef* subject, const std::string& valueJson)
{
    auto j = json::parse(valueJson, nullptr, false);
    if (j.is_discarded() || !subject) return valueJson;
    try {
        return valueText(*subject, crdt::valueFromJson(j));
    } catch (const std::exception&) {
        return valueJson;
    }
}

// The fields written with their values: "level=A, notes=\"...\", tags+vip".
// A conflict entry of the server's reads "visit notes: kept <winner>, lost
// <loser> (row <id>)": the values first, which the table has room for.
std::string changesText(const AuditEntry& e)
{
    const auto& entity = theSchema().entity(e.record.entity);
    if (e.byServer && entity.name == schema::kConflictEntity) {
        std::map<std::string, std::string> w;
        for (const auto& write : e.record.writes)
            if (const auto* s = std::get_if<std::string>(&write.value)) w[entity.fields.at(static_cast<size_t>(write.field)).name] = *s;
        const auto* subjectEntity = theSchema().entity(w["entity"]);
        const auto* subject = subjectEntity ? subjectEntity->field(w["field"]) : nullptr;
        return w["entity"] + " " + w["field"] + ": kept " + conflictValue(subject, w["winner_value"]) + ", lost "
            + conflictValue(subject, w["loser_value"]) + " (row " + w["row"] + ")";
    }
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    for (const auto& write : e.record.writes) {
        const auto& f = entity.fields.at(static_cast<size_t>(write.field));
        std::string v = valueText(f, write.value);
        if (f.type == schema::FieldType::Stage && write.generation) v += " (gen " + std::to_string(write.generation) + ")";
        add(f.name + "=" + v);
    }
    for (const auto& op : e.record.setOps)
        add(entity.fields.at(static_cast<size_t>(op.field)).name + (op.remove ? "-" : "+") + textValue(op.element));
    return out;
}

// ---------------------------------------------------------------- output

// Keys in the order of the header's spec (seq first), not sorted.
nlohmann::ordered_json entryJson(const AuditEntry& e, const Devices& devices, const std::string& changes)
{
    using ordered = nlohmann::ordered_json;
    const auto* known = devices.find(e.device);
    const json record = protocol::toJson(e.record, theSchema());
    ordered j;
    j["seq"] = e.seq;
    j["received_at"] = isoTime(e.receivedAt);
    j["received_at_ms"] = e.receivedAt;
    j["user"] = e.user;
    j["device"] = {{"id", e.device.hex()},
                   {"name", devices.isServer(e.device) ? ordered("server") : known ? ordered(known->name) : ordered()}};
    j["by_server"] = e.byServer;
    j["entity"] = theSchema().entity(e.record.entity).name;
    j["row"] = e.record.id;
    j["customer"] = e.customer.empty()
        ? ordered()
        : ordered{{"id", e.customer}, {"name", e.customerName ? ordered(*e.customerName) : ordered()}};
    j["clock"] = e.record.clock.str();
    j["changes"] = changes;
    for (const char* key : {"set", "add", "remove"})
        if (record.contains(key)) j[key] = ordered(record[key]);
    return j;
}

void csvLine(std::ostream& out, const std::vector<std::string>& cells)
{
    for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << cells[i];
    out << "\r\n";
}

} // namespace

int auditCommand(const std::optional<StoreLocation>& store, const std::vector<std::string>& args,
                 const Accounts::Options& accountOptions, std::ostream& out, std::ostream& err)
{
    auto fail = [&](int code, const std::string& message) {
        err << "fieldsync-server: audit: " << message << "\n";
        return code;
    };
    po::options_description opts("audit options");
    opts.add_options()("help,h", "show this help")
        ("user", po::value<std::string>()->value_name("U"), "changes pushed by this user")
        ("device", po::value<std::string>()->value_name("D"), "changes pushed from this device: its id, the start of it (4+ hex digits) "
                                             "or its exact name (see: device list)")
        ("customer", po::value<std::string>()->value_name("C"), "changes to this customer and everything hanging off it: its id or its "
                                               "exact name")
        ("row", po::value<std::string>()->value_name("ID"), "changes to this row (a visit, customer, ... id) and the conflict entries "
                                          "about it: who changed it, when, from which device")
        ("entity", po::value<std::string>()->value_name("E"), "changes to rows of this entity (customer, contact, visit, task, "
                                             "complaint, conflict, team_config)")
        ("since", po::value<std::string>()->value_name("TIME"), "received at or after TIME")
        ("until", po::value<std::string>()->value_name("TIME"), "received before TIME")
        ("before", po::value<int64_t>()->value_name("SEQ"), "only changes before this log position (the next page, newest first)")
        ("after", po::value<int64_t>()->value_name("SEQ"), "only changes after this log position (the next page, oldest first)")
        ("oldest-first", po::bool_switch(), "oldest change first (default: newest first)")
        ("limit", po::value<int64_t>()->default_value(100)->value_name("N"), "at most N changes (1 to 1,000,000)")
        ("json", po::bool_switch(), "print a JSON array, one change per line")
        ("csv", po::bool_switch(), "print CSV (RFC 4180, UTF-8 with BOM, for spreadsheets)");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return fail(2, std::string(e.what()) + " (see fieldsync-server audit --help)");
    }
    if (vm.count("help")) {
        out << "Usage: fieldsync-server --data DIR audit [--user U] [--device D] [--customer C] [--row ID]\n"
               "                        [--entity E] [--since TIME] [--until TIME] [--before SEQ]\n"
               "                        [--after SEQ] [--oldest-first] [--limit N] [--json | --csv]\n\n"
               "Queries the change log, the audit trail of every change the server accepted: who\n"
               "(user and device, as signed in) changed which row, when the server received it,\n"
               "and the fields written. Newest first. Filters combine (all must hold).\n\n"
               "TIME: 2026-11-22, 2026-11-22T09:30 (local time, TZ), 2026-11-22T09:30+08:00,\n"
               "2026-11-22T01:30Z, milliseconds since 1970, or an age: 30m, 24h, 7d.\n"
               "Entries of the device [server] are conflict entries the server wrote itself.\n\n"
               "Examples:\n"
               "  fieldsync-server --data DIR audit --row 0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70\n"
               "  fieldsync-server --data DIR audit --user lina --since 7d --csv > lina.csv\n\n"
            << opts;
        return 0;
    }
    try {
        if (!store) throw Usage("--data DIR is required (the server's data directory; or --store STORE)");
        if (vm["json"].as<bool>() && vm["csv"].as<bool>()) throw Usage("give --json or --csv, not both");
        AuditFilter filter;
        const int64_t limit = vm["limit"].as<int64_t>();
        if (limit < 1 || limit > kMaxLimit) throw Usage("--limit must be from 1 to 1000000");
        filter.limit = static_cast<size_t>(limit);
        filter.oldestFirst = vm["oldest-first"].as<bool>();
        for (const char* bound : {"before", "after"})
            if (vm.count(bound) && vm[bound].as<int64_t>() < 0)
                throw Usage(std::string("--") + bound + " takes a log position (seq), 0 or more");
        if (vm.count("before")) filter.before = static_cast<uint64_t>(vm["before"].as<int64_t>());
        if (vm.count("after")) filter.after = static_cast<uint64_t>(vm["after"].as<int64_t>());
        const int64_t now = nowMs();
        for (const char* option : {"since", "until"}) {
            if (!vm.count(option)) continue;
            auto t = parseTime(vm[option].as<std::string>(), now);
            if (!t)
                throw Usage(std::string("--") + option + " \"" + vm[option].as<std::string>()
                            + "\" is not a time: give 2026-11-22, 2026-11-22T09:30 (local time), "
                              "2026-11-22T09:30+08:00, 2026-11-22T01:30Z, milliseconds since 1970, or an age "
                              "such as 30m, 24h, 7d");
            (std::string(option) == "since" ? filter.since : filter.until) = *t;
        }
        if (filter.since && filter.until && *filter.since >= *filter.until)
            throw Usage("--since must be before --until");
        if (vm.count("entity")) {
            const auto* e = theSchema().entity(vm["entity"].as<std::string>());
            if (!e) {
                std::string names;
                for (const auto& d : theSchema().entities()) names += (names.empty() ? "" : ", ") + d.name;
                throw Usage("--entity must be one of " + names);
            }
            filter.entity = e->code;
        }
        if (vm.count("user")) filter.user = vm["user"].as<std::string>();

        auto opened = AuditLog::open(*store);
        if (!opened) return fail(opened.error().code == ErrorCode::NotFound ? 3 : 1, opened.error().message);
        AuditLog& log = **opened;
        auto accounts = existingAccounts(*store, accountOptions);
        Devices devices(accounts ? accounts->devices() : std::vector<DeviceInfo>{}, log.serverDevice());

        auto lowerId = [](std::string id) {
            std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
            return id;
        };
        if (vm.count("device")) filter.device = devices.resolve(vm["device"].as<std::string>());
        if (vm.count("row")) {
            const std::string id = lowerId(vm["row"].as<std::string>());
            if (!protocol::isValidRowId(id))
                throw Usage("--row takes a row id like 0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70");
            if (!log.findRow(id)) throw Missing("no row " + id + " on this server");
            filter.row = id;
        }
        if (vm.count("customer")) {
            const std::string text = vm["customer"].as<std::string>();
            if (protocol::isValidRowId(lowerId(text))) {
                const std::string id = lowerId(text);
                auto row = log.findRow(id);
                if (!row) throw Missing("no customer " + id + " on this server");
                if (theSchema().entity(row->entity).name != "customer")
                    throw Usage(id + " is a " + theSchema().entity(row->entity).name
                                + ", not a customer: use --row for one row");
                filter.customer = id;
            } else {
                auto ids = log.customersNamed(text);
                if (ids.empty()) throw Missing("no customer named \"" + text + "\" (give its exact name or its id)");
                if (ids.size() > 1) {
                    std::string list;
                    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
                    throw Usage(std::to_string(ids.size()) + " customers are named \"" + text
                                + "\": give the id of one: " + list);
                }
                filter.customer = ids.front();
            }
        }

        const bool asJson = vm["json"].as<bool>(), asCsv = vm["csv"].as<bool>();
        // Cells come cut to their column's width (names, changes), so the
        // table itself cuts nothing.
        text::Table table({"SEQ", "RECEIVED", "USER", "DEVICE", "ENTITY", "ROW", "CUSTOMER", "CHANGES"});
        table.setMaxCellWidth(0);
        size_t shown = 0;
        uint64_t lastSeq = 0;
        if (asJson) out << "[";
        if (asCsv) {
            out << "\xEF\xBB\xBF";  // Excel reads the Chinese text as UTF-8
            csvLine(out, {"seq", "received_at", "user", "device", "device_name", "by_server", "entity", "row",
                          "customer", "customer_name", "changes", "clock"});
        }
        const bool more = log.read(filter, [&](const AuditEntry& e) {
            const std::string changes = changesText(e);
            const auto* known = devices.find(e.device);
            if (asJson) {
                out << (shown ? ",\n  " : "\n  ")
                    << entryJson(e, devices, changes).dump(-1, ' ', false, json::error_handler_t::replace);
            } else if (asCsv) {
                const std::string deviceName = devices.isServer(e.device) ? "server" : known ? known->name : "";
                csvLine(out, {std::to_string(e.seq), isoTime(e.receivedAt), domain::csvTextField(e.user),
                              e.device.hex(), domain::csvTextField(deviceName), e.byServer ? "yes" : "",
                              theSchema().entity(e.record.entity).name, e.record.id, e.customer,
                              domain::csvTextField(e.customerName.value_or("")), domain::csvTextField(changes),
                              e.record.clock.str()});
            } else {
                const std::string device = devices.label(e.device);
                std::string customer = e.customer.empty() ? "-"
                    : e.customerName ? text::fitted(*e.customerName, kMaxNameColumns) + " (" + e.customer + ")"
                                     : e.customer;
                table.addRow({std::to_string(e.seq), isoTime(e.receivedAt), text::fitted(e.user, kMaxNameColumns),
                              device, theSchema().entity(e.record.entity).name,
                              e.record.id, customer, text::fitted(changes, kMaxChangesColumns)});
            }
            ++shown;
            lastSeq = e.seq;
        });
        if (asJson) out << (shown ? "\n]\n" : "]\n");
        if (!asJson && !asCsv && shown) table.print(out);
        out.flush();
        if (!shown) {
            std::string hint;
            if (filter.user && accounts && !accounts->user(*filter.user))
                hint = " (there is no user \"" + *filter.user + "\": fieldsync-server user list names them)";
            err << "fieldsync-server: audit: no changes match" << hint << "\n";
        } else if (more) {
            err << "fieldsync-server: audit: " << shown << (shown == 1 ? " change" : " changes") << " shown, "
                << (filter.oldestFirst ? "oldest" : "newest")
                << " first; " << (filter.oldestFirst ? "newer" : "older") << " ones match too: add "
                << (filter.oldestFirst ? "--after " : "--before ") << lastSeq << " for the next page, or raise --limit\n";
        }
        return 0;
    } catch (const Usage& e) {
        return fail(2, e.what());
    } catch (const Missing& e) {
        return fail(3, e.what());
    }
}

} // namespace fieldsync::server
