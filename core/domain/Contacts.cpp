#include "domain/Contacts.h"

#include "domain/ActivityRows.h"
#include "domain/Actor.h"
#include "domain/Pinyin.h"

#include "replica/Replica.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <algorithm>

namespace fieldsync::domain {

using nlohmann::json;

namespace {

constexpr const char* kColumns = "id, customer, name, title, phone, email, birthday, is_primary, archived";

Contact read(storage::Statement& st)
{
    Contact c;
    c.id = rows::text(st, 0);
    c.customer = rows::text(st, 1);
    c.name = rows::text(st, 2);
    c.title = rows::text(st, 3);
    c.phone = rows::text(st, 4);
    c.email = rows::text(st, 5);
    c.birthday = rows::text(st, 6);
    c.primary = rows::flag(st, 7);
    c.archived = rows::flag(st, 8);
    return c;
}

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

ContactFields normalised(const ContactFields& in)
{
    return {trimmed(in.name), trimmed(in.title), trimmed(in.phone), trimmed(in.email), trimmed(in.birthday)};
}

Status checkFields(const ContactFields& f)
{
    if (f.name.empty()) return invalidArgument("a contact needs a name");
    if (!f.email.empty()) {
        const auto at = f.email.find('@');
        if (at == std::string::npos || at == 0 || at + 1 == f.email.size() || f.email.find('@', at + 1) != std::string::npos)
            return invalidArgument("not an e-mail address: " + f.email);
    }
    return Ok{};
}

// The customer may take contact writes from the acting user.
Status checkCustomer(replica::Replica& replica, const std::string& customer)
{
    auto c = rows::customer(replica.database(), customer);
    if (!c) return notFound("no customer with id " + customer);
    if (c->archived) return failedPrecondition("customer " + c->name + " (" + customer + ") is archived");
    const Actor actor = Actor::of(replica);
    if (!actor.isManager() && c->owner != actor.user)
        return Error{ErrorCode::PermissionDenied,
                     c->owner.empty() ? "customer " + c->name + " is in the public pool: claim it first"
                                      : "customer " + c->name + " is owned by " + c->owner};
    return Ok{};
}


void setText(replica::Write& w, const char* field, const std::string& value)
{
    if (value.empty())
        w.set(field, crdt::Value{});
    else
        w.set(field, value);
}

// Clears is_primary on the customer's other primary contacts (inside a batch).
Status clearOtherPrimaries(replica::Replica& replica, const std::string& customer, const std::string& keep)
{
    for (const auto& c : contactsOf(replica, customer, true))
        if (c.primary && c.id != keep) {
            Status s = replica.update("contact", c.id, replica::Write().set("is_primary", false));
            if (!s) return s;
        }
    return Ok{};
}

} // namespace

json Contact::toJson() const
{
    return {{"id", id},       {"customer", customer}, {"name", name},       {"title", title},
            {"phone", phone}, {"email", email},       {"birthday", birthday}, {"primary", primary},
            {"archived", archived}};
}

std::vector<Contact> contactsOf(replica::Replica& replica, const std::string& customer, bool includeArchived)
{
    std::vector<Contact> out;
    // `customer = ?` is served by the contact_customer index.
    storage::UsingStatement st(replica.database(),
                               std::string("SELECT ") + kColumns + " FROM contact WHERE customer = ?");
    st->bind(1, customer);
    while (st->step()) {
        Contact c = read(*st);
        if (c.archived && !includeArchived) continue;
        out.push_back(std::move(c));
    }
    Pinyin& pinyin = Pinyin::forThisThread();
    std::vector<std::pair<std::string, size_t>> keys;
    keys.reserve(out.size());
    for (size_t i = 0; i < out.size(); ++i) keys.emplace_back(pinyin.sortKey(out[i].name), i);
    std::vector<size_t> order(out.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (out[a].primary != out[b].primary) return out[a].primary;
        if (keys[a].first != keys[b].first) return keys[a].first < keys[b].first;
        return out[a].id < out[b].id;
    });
    std::vector<Contact> sorted;
    sorted.reserve(out.size());
    for (size_t i : order) sorted.push_back(std::move(out[i]));
    return sorted;
}

std::optional<Contact> findContact(replica::Replica& replica, const std::string& contactId)
{
    storage::UsingStatement st(replica.database(), std::string("SELECT ") + kColumns + " FROM contact WHERE id = ?");
    st->bind(1, contactId);
    if (!st->step()) return std::nullopt;
    return read(*st);
}

Result<std::string> addContact(replica::Replica& replica, const std::string& customer, const ContactFields& input,
                               bool primary)
{
    const ContactFields f = normalised(input);
    if (Status s = checkFields(f); !s) return s.error();
    if (Status s = checkCustomer(replica, customer); !s) return s.error();
    std::string id;
    Status written = replica.batch([&]() -> Status {
        replica::Write w;
        w.set("customer", customer).set("name", f.name);
        for (auto [field, value] : {std::pair{"title", &f.title}, std::pair{"phone", &f.phone},
                                    std::pair{"email", &f.email}, std::pair{"birthday", &f.birthday}})
            if (!value->empty()) w.set(field, *value);
        if (primary) w.set("is_primary", true);
        auto created = replica.create("contact", w);
        if (!created) return created.error();
        id = *created;
        return primary ? clearOtherPrimaries(replica, customer, id) : Status(Ok{});
    });
    if (!written) return written.error();
    return id;
}

Status updateContact(replica::Replica& replica, const std::string& contactId, const ContactFields& input)
{
    auto current = findContact(replica, contactId);
    if (!current) return notFound("no contact with id " + contactId);
    const ContactFields f = normalised(input);
    if (Status s = checkFields(f); !s) return s;
    if (Status s = checkCustomer(replica, current->customer); !s) return s;
    replica::Write w;
    if (f.name != current->name) w.set("name", f.name);
    if (f.title != current->title) setText(w, "title", f.title);
    if (f.phone != current->phone) setText(w, "phone", f.phone);
    if (f.email != current->email) setText(w, "email", f.email);
    if (f.birthday != current->birthday) setText(w, "birthday", f.birthday);
    if (w.empty()) return Ok{};
    return replica.update("contact", contactId, w);
}

Status archiveContact(replica::Replica& replica, const std::string& contactId)
{
    auto current = findContact(replica, contactId);
    if (!current) return notFound("no contact with id " + contactId);
    if (current->archived) return failedPrecondition("contact " + current->name + " is already archived");
    if (Status s = checkCustomer(replica, current->customer); !s) return s;
    return replica.archive("contact", contactId);
}

Status setPrimaryContact(replica::Replica& replica, const std::string& contactId)
{
    auto current = findContact(replica, contactId);
    if (!current) return notFound("no contact with id " + contactId);
    if (current->archived) return failedPrecondition("contact " + current->name + " is archived");
    if (Status s = checkCustomer(replica, current->customer); !s) return s;
    return replica.batch([&]() -> Status {
        if (!current->primary) {
            Status s = replica.update("contact", contactId, replica::Write().set("is_primary", true));
            if (!s) return s;
        }
        return clearOtherPrimaries(replica, current->customer, contactId);
    });
}

} // namespace fieldsync::domain
