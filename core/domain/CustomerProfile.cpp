#include "domain/CustomerProfile.h"

#include "domain/Actor.h"
#include "domain/Geo.h"

#include "crdt/Clock.h"
#include "crdt/Value.h"
#include "replica/Replica.h"
#include "replica/RowState.h"
#include "schema/Schema.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace fieldsync::domain {

using nlohmann::json;

namespace {

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string stored(const json& row, const char* field)
{
    auto it = row.find(field);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string deviceHex(std::string_view blob)
{
    crdt::DeviceId d;
    if (blob.size() == d.bytes.size()) std::copy(blob.begin(), blob.end(), d.bytes.begin());
    return d.hex();
}

} // namespace

Result<int> updateProfile(replica::Replica& replica, const std::string& customerId, const ProfileEdit& edit)
{
    auto row = replica.get("customer", customerId);
    if (!row) return row.error();
    const std::string name = stored(*row, "name");
    if ((*row)["archived"] == true) return failedPrecondition("customer " + name + " (" + customerId + ") is archived");
    const Actor actor = Actor::of(replica);
    const std::string owner = stored(*row, "owner");
    if (!actor.isManager() && owner != actor.user)
        return Error{ErrorCode::PermissionDenied, owner.empty()
                                                      ? "customer " + name + " is in the public pool: claim it first"
                                                      : "customer " + name + " is owned by " + owner};

    const auto& entity = *replica.schema().entity("customer");
    replica::Write w;
    int fields = 0;
    auto text = [&](const char* field, const std::optional<std::string>& value) -> Status {
        if (!value) return Ok{};
        const std::string v = field == std::string_view("notes") ? *value : trimmed(*value);
        if (v == stored(*row, field)) return Ok{};
        if (v.empty()) {
            if (entity.field(field)->required) return invalidArgument(std::string("the ") + field + " cannot be empty");
            w.set(field, crdt::Value{});
        } else {
            const auto& options = entity.field(field)->options;
            if (!options.empty() && std::find(options.begin(), options.end(), v) == options.end())
                return invalidArgument(std::string("unknown ") + field + ": " + v);
            w.set(field, v);
        }
        ++fields;
        return Ok{};
    };
    for (auto [field, value] : {std::pair{"name", &edit.name}, std::pair{"phone", &edit.phone},
                                std::pair{"address", &edit.address}, std::pair{"region", &edit.region},
                                std::pair{"industry", &edit.industry}, std::pair{"level", &edit.level},
                                std::pair{"lifecycle", &edit.lifecycle}, std::pair{"size", &edit.size},
                                std::pair{"source", &edit.source}, std::pair{"notes", &edit.notes}})
        if (Status s = text(field, *value); !s) return s.error();

    auto number = [&](const char* field) -> std::optional<double> {
        auto it = row->find(field);
        return it != row->end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
    };
    if (edit.annualSales) {
        const std::optional<double>& sales = *edit.annualSales;
        if (sales && (!std::isfinite(*sales) || *sales < 0))
            return invalidArgument("annual sales must be a number of at least 0");
        if (sales != number("annual_sales")) {
            if (sales) w.set("annual_sales", *sales);
            else w.set("annual_sales", crdt::Value{});
            ++fields;
        }
    }
    if (edit.location) {
        const auto& at = *edit.location;
        if (at)
            if (Status s = checkPosition(at->first, at->second, std::nullopt); !s) return s.error();
        const auto lat = number("lat"), lng = number("lng");
        const bool same = at ? lat == at->first && lng == at->second : !lat && !lng;
        if (!same) {
            if (at) w.set("lat", at->first).set("lng", at->second);
            else w.set("lat", crdt::Value{}).set("lng", crdt::Value{});
            ++fields;
        }
    }

    std::set<std::string> tags;
    if (auto it = row->find("tags"); it != row->end() && it->is_array())
        for (const auto& t : *it)
            if (t.is_string()) tags.insert(t.get<std::string>());
    bool tagsChanged = false;
    for (const auto& t : edit.removeTags)
        if (tags.count(trimmed(t))) {
            w.remove("tags", trimmed(t));
            tagsChanged = true;
        }
    for (const auto& raw : edit.addTags) {
        const std::string t = trimmed(raw);
        if (t.empty() || tags.count(t)) continue;
        w.add("tags", t);
        tags.insert(t);
        tagsChanged = true;
    }
    if (tagsChanged) ++fields;
    if (w.empty()) return 0;
    Status written = replica.update("customer", customerId, w);
    if (!written) return written.error();
    return fields;
}

Result<std::string> createCustomer(replica::Replica& replica, const NewCustomer& input)
{
    const auto& entity = *replica.schema().entity("customer");
    const std::string name = trimmed(input.name);
    if (name.empty()) return invalidArgument("the name cannot be empty");
    replica::Write w;
    w.set("name", name);
    for (auto [field, value] : {std::pair{"phone", &input.phone}, std::pair{"address", &input.address},
                                std::pair{"region", &input.region}, std::pair{"level", &input.level},
                                std::pair{"lifecycle", &input.lifecycle}}) {
        const std::string v = trimmed(*value);
        if (v.empty()) continue;
        const auto& options = entity.field(field)->options;
        if (!options.empty() && std::find(options.begin(), options.end(), v) == options.end())
            return invalidArgument(std::string("unknown ") + field + ": " + v);
        w.set(field, v);
    }
    std::set<std::string> tags;
    for (const auto& raw : input.tags)
        if (const std::string t = trimmed(raw); !t.empty() && tags.insert(t).second) w.add("tags", t);
    const std::string contactName = trimmed(input.contactName), contactTitle = trimmed(input.contactTitle),
                      contactPhone = trimmed(input.contactPhone);
    if (contactName.empty() && (!contactTitle.empty() || !contactPhone.empty()))
        return invalidArgument("the first contact needs a name");

    const Actor actor = Actor::of(replica);
    if (actor.signedIn() && !actor.isManager()) w.set("owner", actor.user);
    if (!actor.team.empty()) w.set("team", actor.team);

    std::string id;
    Status written = replica.batch([&]() -> Status {
        auto created = replica.create("customer", w);
        if (!created) return created.error();
        id = *created;
        if (contactName.empty()) return Ok{};
        replica::Write c;
        c.set("customer", id).set("name", contactName).set("is_primary", true);
        if (!contactTitle.empty()) c.set("title", contactTitle);
        if (!contactPhone.empty()) c.set("phone", contactPhone);
        auto contact = replica.create("contact", c);
        if (!contact) return contact.error();
        return Ok{};
    });
    if (!written) return written.error();
    return id;
}

Status archiveCustomer(replica::Replica& replica, const std::string& customerId)
{
    auto row = replica.get("customer", customerId);
    if (!row) return row.error();
    const std::string name = stored(*row, "name");
    if ((*row)["archived"] == true) return failedPrecondition("customer " + name + " is already archived");
    const Actor actor = Actor::of(replica);
    const std::string owner = stored(*row, "owner");
    if (!actor.isManager() && owner != actor.user)
        return Error{ErrorCode::PermissionDenied, owner.empty()
                                                      ? "customer " + name + " is in the public pool: only a manager archives it"
                                                      : "customer " + name + " is owned by " + owner};
    return replica.archive("customer", customerId);
}

json FieldHistory::toJson() const
{
    json out{{"fields", json::array()}, {"overwritten", json::array()}};
    for (const auto& f : fields)
        out["fields"].push_back({{"field", f.field},
                                 {"value", f.value},
                                 {"written_at", f.writtenAt},
                                 {"device", f.device},
                                 {"this_device", f.thisDevice},
                                 {"unsynced", f.unsynced}});
    for (const auto& o : overwritten)
        out["overwritten"].push_back({{"field", o.field},
                                      {"value", o.value},
                                      {"written_at", o.writtenAt ? json(*o.writtenAt) : json(nullptr)},
                                      {"device", o.device},
                                      {"this_device", o.thisDevice},
                                      {"detected_at", o.detectedAt},
                                      {"resolved", o.resolved}});
    return out;
}

Result<FieldHistory> fieldHistory(replica::Replica& replica, const std::string& entityName, const std::string& id)
{
    const schema::EntityDef* entity = replica.schema().entity(entityName);
    if (!entity) return notFound("no entity " + entityName);
    auto row = replica.get(entityName, id);
    if (!row) return row.error();

    auto& db = replica.database();
    std::map<int64_t, std::string> devices;  // peer number -> hex id
    {
        storage::UsingStatement st(db, "SELECT idx, device FROM peer");
        while (st->step()) devices[st->getInt(0)] = deviceHex(st->getBlobView(1));
    }
    const std::string self = replica.deviceId().hex();
    const crdt::Hlc acked = replica.acked();

    FieldHistory out;
    std::vector<std::optional<FieldVersion>> byField(entity->fields.size());
    {
        storage::UsingStatement st(db, "SELECT _clocks FROM \"" + entity->table + "\" WHERE id = ?");
        st->bind(1, id);
        if (st->step())
            for (const auto& g : replica::decodeClockGroups(st->getBlobView(0)))
                for (size_t i = 0; i < entity->fields.size(); ++i) {
                    if (!(g.mask & (uint64_t{1} << i))) continue;
                    FieldVersion v;
                    v.field = entity->fields[i].name;
                    v.writtenAt = crdt::hlcMillis(g.hlc);
                    v.device = devices.count(g.peer) ? devices[g.peer] : std::string();
                    v.thisDevice = v.device == self;
                    v.unsynced = v.thisDevice && g.hlc > acked;
                    byField[i] = std::move(v);
                }
    }
    // Set fields: the latest live add stands for "when it was last changed".
    {
        storage::UsingStatement st(db, "SELECT field, hlc, peer FROM set_dot WHERE entity = ? AND \"row\" = ? "
                                       "AND removed = 0 ORDER BY hlc DESC");
        st->bind(1, int64_t{entity->code}).bind(2, id);
        while (st->step()) {
            const auto field = static_cast<size_t>(st->getInt(0));
            if (field >= byField.size() || byField[field]) continue;
            FieldVersion v;
            v.field = entity->fields[field].name;
            const auto hlc = static_cast<crdt::Hlc>(st->getInt(1));
            v.writtenAt = crdt::hlcMillis(hlc);
            v.device = devices.count(st->getInt(2)) ? devices[st->getInt(2)] : std::string();
            v.thisDevice = v.device == self;
            v.unsynced = v.thisDevice && hlc > acked;
            byField[field] = std::move(v);
        }
    }
    for (auto& v : byField)
        if (v) {
            auto it = row->find(v->field);
            v->value = it != row->end() ? *it : json(nullptr);
            out.fields.push_back(std::move(*v));
        }

    for (const auto& c : replica.conflicts(true)) {
        if (c.entity != entityName || c.row != id) continue;
        OverwrittenValue o;
        o.field = c.field;
        o.value = c.loserValue;
        if (auto clock = crdt::Clock::parse(c.loserClock)) {
            o.writtenAt = crdt::hlcMillis(clock->hlc);
            o.device = clock->device.hex();
            o.thisDevice = o.device == self;
        }
        o.detectedAt = c.detectedAt;
        o.resolved = c.resolved;
        out.overwritten.push_back(std::move(o));
    }
    std::stable_sort(out.overwritten.begin(), out.overwritten.end(),
                     [](const OverwrittenValue& a, const OverwrittenValue& b) { return a.detectedAt > b.detectedAt; });
    return out;
}

} // namespace fieldsync::domain
