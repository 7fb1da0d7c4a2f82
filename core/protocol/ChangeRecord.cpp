#include "protocol/ChangeRecord.h"

#include <algorithm>

namespace fieldsync::protocol {

using nlohmann::json;

bool isValidRowId(std::string_view id)
{
    return schema::isRowId(id);
}

json toJson(const ChangeRecord& r, const schema::Schema& schema)
{
    const auto& ent = schema.entity(r.entity);
    json j = json::object();
    j["entity"] = ent.name;
    j["id"] = r.id;
    j["clock"] = r.clock.str();
    j["seen"] = r.seen;
    if (r.seq) j["seq"] = r.seq;
    if (!r.writes.empty()) {
        json set = json::object();
        for (const auto& w : r.writes) {
            const auto& fd = ent.fields.at(static_cast<size_t>(w.field));
            if (fd.type == schema::FieldType::Stage)
                set[fd.name] = {{"stage", crdt::toJson(w.value)}, {"gen", w.generation}};
            else
                set[fd.name] = crdt::toJson(w.value);
        }
        j["set"] = std::move(set);
    }
    json add = json::array(), remove = json::array();
    for (const auto& op : r.setOps) {
        json o = {{"field", ent.fields.at(static_cast<size_t>(op.field)).name}, {"value", op.element}};
        if (op.remove) {
            json dots = json::array();
            for (const auto& d : op.dots) dots.push_back(d.str());
            o["dots"] = std::move(dots);
            remove.push_back(std::move(o));
        } else {
            add.push_back(std::move(o));
        }
    }
    if (!add.empty()) j["add"] = std::move(add);
    if (!remove.empty()) j["remove"] = std::move(remove);
    return j;
}

namespace {

Error bad(std::string message) { return invalidArgument(std::move(message)); }

Result<uint64_t> position(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end()) return uint64_t{0};
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0))
        return bad(std::string("\"") + key + "\" must be a non-negative integer");
    return it->get<uint64_t>();
}

Result<std::vector<SetOp>> setOps(const json& list, const schema::EntityDef& ent, bool remove)
{
    const char* what = remove ? "remove" : "add";
    if (!list.is_array()) return bad(std::string("\"") + what + "\" must be an array");
    std::vector<SetOp> ops;
    for (const auto& o : list) {
        if (!o.is_object() || !o.contains("field") || !o["field"].is_string() || !o.contains("value"))
            return bad(std::string("each \"") + what + "\" entry needs \"field\" and \"value\"");
        const auto* fd = ent.field(o["field"].get<std::string>());
        if (!fd) return bad("unknown field " + ent.name + "." + o["field"].get<std::string>());
        if (fd->type != schema::FieldType::TagSet)
            return bad(ent.name + "." + fd->name + " is not a set field; use \"set\"");
        crdt::Value v;
        try {
            v = crdt::valueFromJson(o["value"]);
        } catch (const std::exception& e) {
            return bad(ent.name + "." + fd->name + ": " + e.what());
        }
        if (auto st = schema::validate(ent, *fd, v); !st) return st.error();  // a non-empty string
        SetOp op{fd->index, std::get<std::string>(v), remove, {}};
        if (remove) {
            if (!o.contains("dots") || !o["dots"].is_array()) return bad("a remove needs \"dots\" (an array of clocks)");
            for (const auto& d : o["dots"]) {
                auto c = d.is_string() ? crdt::Clock::parse(d.get<std::string>()) : std::nullopt;
                if (!c) return bad("malformed dot clock in remove of " + ent.name + "." + fd->name);
                op.dots.push_back(*c);
            }
        }
        ops.push_back(std::move(op));
    }
    return ops;
}

} // namespace

Result<ChangeRecord> recordFromJson(const json& j, const schema::Schema& schema)
{
    if (!j.is_object()) return bad("a change must be a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it) {
        static const char* known[] = {"entity", "id", "clock", "seen", "seq", "set", "add", "remove"};
        bool ok = false;
        for (const char* k : known) ok = ok || it.key() == k;
        if (!ok) return bad("unknown key \"" + it.key() + "\" in a change");
    }
    if (!j.contains("entity") || !j["entity"].is_string()) return bad("a change needs \"entity\" (a string)");
    const auto* ent = schema.entity(j["entity"].get<std::string>());
    if (!ent) return bad("unknown entity \"" + j["entity"].get<std::string>() + "\"");
    ChangeRecord r;
    r.entity = ent->code;
    if (!j.contains("id") || !j["id"].is_string() || !isValidRowId(j["id"].get<std::string>()))
        return bad("a change needs \"id\": a row id like 0193b0a0-5c3e-7d2a-9f10-2b3c4d5e6f70");
    r.id = j["id"].get<std::string>();
    auto clock = j.contains("clock") && j["clock"].is_string() ? crdt::Clock::parse(j["clock"].get<std::string>())
                                                                : std::nullopt;
    if (!clock || clock->hlc == 0) return bad("a change needs \"clock\" of the form <16 hex digits>@<32 hex digits>");
    r.clock = *clock;
    auto seen = position(j, "seen");
    if (!seen) return seen.error();
    r.seen = *seen;
    auto seq = position(j, "seq");
    if (!seq) return seq.error();
    r.seq = *seq;
    if (auto it = j.find("set"); it != j.end()) {
        if (!it->is_object()) return bad("\"set\" must be an object of field: value");
        for (auto f = it->begin(); f != it->end(); ++f) {
            const auto* fd = ent->field(f.key());
            if (!fd) return bad("unknown field " + ent->name + "." + f.key());
            if (fd->type == schema::FieldType::TagSet)
                return bad(ent->name + "." + fd->name + " is a set field; use \"add\"/\"remove\"");
            FieldWrite w;
            w.field = fd->index;
            try {
                if (fd->type == schema::FieldType::Stage) {
                    if (!f->is_object() || !f->contains("stage") || !f->contains("gen")
                        || !(*f)["gen"].is_number_integer() || (*f)["gen"].get<int64_t>() < 0)
                        return bad(ent->name + "." + fd->name + " expects {\"stage\": name, \"gen\": n}");
                    w.value = crdt::valueFromJson((*f)["stage"]);
                    w.generation = (*f)["gen"].get<int64_t>();
                    if (crdt::isNull(w.value)) return bad(ent->name + "." + fd->name + " stage cannot be null");
                } else {
                    w.value = crdt::valueFromJson(*f);
                }
            } catch (const std::exception& e) {
                return bad(ent->name + "." + fd->name + ": " + e.what());
            }
            if (fd->type == schema::FieldType::Real && std::holds_alternative<int64_t>(w.value))
                w.value = static_cast<double>(std::get<int64_t>(w.value));
            // "required" is a rule for creating a row locally; a later record
            // may not clear the field either.
            if (auto st = schema::validate(*ent, *fd, w.value); !st) return st.error();
            r.writes.push_back(std::move(w));
        }
    }
    for (const char* key : {"add", "remove"}) {
        if (auto it = j.find(key); it != j.end()) {
            auto ops = setOps(*it, *ent, std::string_view(key) == "remove");
            if (!ops) return ops.error();
            for (auto& op : *ops) r.setOps.push_back(std::move(op));
        }
    }
    if (r.writes.empty() && r.setOps.empty()) return bad("a change must write at least one field");
    // JSON objects come back in key order; records keep writes in field order.
    std::sort(r.writes.begin(), r.writes.end(), [](const auto& a, const auto& b) { return a.field < b.field; });
    return r;
}

json toJson(const Bundle& b, const schema::Schema& schema)
{
    json records = json::array();
    for (const auto& r : b.records) records.push_back(toJson(r, schema));
    return {{"format", "fieldsync-bundle"},
            {"version", 1},
            {"schema", schema::kSchemaVersion},
            {"from", b.from.hex()},
            {"records", std::move(records)}};
}

Result<Bundle> bundleFromJson(const json& j, const schema::Schema& schema)
{
    if (!j.is_object() || !j.contains("format") || !j["format"].is_string()
        || j["format"].get<std::string>() != "fieldsync-bundle")
        return bad("not a fieldsync bundle (missing \"format\": \"fieldsync-bundle\")");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int64_t>() != 1)
        return bad("unsupported bundle version; this build reads version 1");
    if (!j.contains("schema") || !j["schema"].is_number_integer() || j["schema"].get<int64_t>() < 1)
        return bad("bundle has no schema version");
    if (j["schema"].get<int64_t>() > schema::kSchemaVersion)
        return bad("bundle was written with schema " + std::to_string(j["schema"].get<int64_t>())
                   + ", newer than this build's " + std::to_string(schema::kSchemaVersion) + "; upgrade fieldsync");
    Bundle b;
    auto from = j.contains("from") && j["from"].is_string() ? crdt::DeviceId::fromHex(j["from"].get<std::string>())
                                                            : std::nullopt;
    if (!from) return bad("bundle has no valid \"from\" device id");
    b.from = *from;
    if (!j.contains("records") || !j["records"].is_array()) return bad("bundle has no \"records\" array");
    size_t n = 0;
    for (const auto& rj : j["records"]) {
        auto r = recordFromJson(rj, schema);
        if (!r) return invalidArgument("record " + std::to_string(n) + ": " + r.error().message);
        b.records.push_back(std::move(*r));
        ++n;
    }
    return b;
}

} // namespace fieldsync::protocol
