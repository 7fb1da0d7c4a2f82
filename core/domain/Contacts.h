// Contacts (联系人): the people at a customer — read per customer through the
// `contact_customer` index (replica/Migrations.cpp), added, edited, and one of
// them marked primary.
//
// Stored in the synced `contact` entity (schema/FieldsyncSchema.cpp): customer
// (required ref), name (required), title, phone, email, birthday, is_primary,
// archived. What the domain adds:
//   - a customer's list: archived contacts left out (unless asked), the
//     primary contact first, then by name in pinyin order (Pinyin::sortKey),
//     then by id, so the order is the same on every device;
//   - primary: at most one per customer as far as this device writes it —
//     setPrimaryContact sets it on one contact and clears it on the others in
//     one batch. Two devices may each mark a different one offline; both then
//     read as primary (lww per row) until someone marks one again: the list
//     still shows a stable order (both first, by name);
//   - writes: the name must not be empty (InvalidArgument); the customer must
//     be on this replica (NotFound) and not archived (FailedPrecondition); a
//     rep writes only contacts of their own customers (PermissionDenied, the
//     server's rule said at once), a manager or admin any on the replica;
//   - an e-mail, if given, must hold one "@" with text on both sides
//     (InvalidArgument); an empty field clears it;
//   - archiving (archiveContact) sets the tombstone `archived`: the contact
//     leaves the customer's list and the search (its phone no longer finds
//     the customer), the row stays. The same rules as the writes above;
//     FailedPrecondition if already archived. An archived primary contact
//     keeps its flag but is not listed: the list's first contact is then
//     the first by name, until another is made primary.
#pragma once

#include "base/Result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

struct Contact {
    std::string id, customer, name, title, phone, email, birthday;
    bool primary = false;
    bool archived = false;

    nlohmann::json toJson() const;
};

// One customer's contacts in the order above.
std::vector<Contact> contactsOf(replica::Replica& replica, const std::string& customer, bool includeArchived = false);
std::optional<Contact> findContact(replica::Replica& replica, const std::string& contactId);

// The editable fields of a contact; empty strings clear title/phone/email/birthday.
struct ContactFields {
    std::string name, title, phone, email, birthday;
};

// Adds a contact; `primary` makes it the primary one (the others lose it, same batch).
Result<std::string> addContact(replica::Replica& replica, const std::string& customer, const ContactFields& fields,
                               bool primary = false);
// Writes only the fields that differ from the stored ones.
Status updateContact(replica::Replica& replica, const std::string& contactId, const ContactFields& fields);
Status setPrimaryContact(replica::Replica& replica, const std::string& contactId);
Status archiveContact(replica::Replica& replica, const std::string& contactId);

} // namespace fieldsync::domain
