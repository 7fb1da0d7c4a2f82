// What a row is called where the user reads about it — a conflict, a refused
// change — instead of its id: a customer by its name, a contact by its name
// and its customer's, any other row by its customer's name. Looked up in the
// replica; a row the device no longer holds is named from the change itself
// (a new row's name or customer), and failing that plainly as "a record no
// longer on this device": never a UUID.
#pragma once

#include "replica/Replica.h"

#include <QString>
#include <map>
#include <string>
#include <nlohmann/json.hpp>

namespace fieldsync::app {

// `knownCustomers` (id -> name) names customers the replica no longer holds,
// e.g. a new customer whose creation was refused along with its visit.
QString rowName(replica::Replica& replica, const std::string& entity, const std::string& id,
                const nlohmann::json& pushed = nlohmann::json(),
                const std::map<std::string, std::string>& knownCustomers = {});

// Why the server refused a change, in the user's language, from the one word
// it sends (docs/api.md, push.rejected) and what the change was. An unknown
// or missing word (an older server) gets a general sentence, not the server's
// English message.
QString rejectionText(const std::string& reason, const std::string& entity, const nlohmann::json& pushed);

} // namespace fieldsync::app
