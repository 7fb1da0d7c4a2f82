#include "RowNames.h"

#include <QCoreApplication>

namespace fieldsync::app {

namespace {

// The translation context lupdate sees for RowNames::tr("...").
struct RowNames {
    Q_DECLARE_TR_FUNCTIONS(RowNames)
};

std::string textOf(const nlohmann::json& row, const char* field)
{
    if (!row.is_object()) return {};
    auto it = row.find(field);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The fields a pushed change set ({"set": {...}}), or the row itself.
nlohmann::json setOf(const nlohmann::json& pushed)
{
    if (pushed.is_object() && pushed.contains("set") && pushed["set"].is_object()) return pushed["set"];
    return nlohmann::json::object();
}

nlohmann::json rowOf(replica::Replica& replica, const std::string& entity, const std::string& id)
{
    if (id.empty() || !replica.schema().entity(entity)) return {};
    auto got = replica.get(entity, id);
    return got && got->is_object() ? *got : nlohmann::json();
}

QString customerName(replica::Replica& replica, const std::string& id,
                     const std::map<std::string, std::string>& knownCustomers)
{
    std::string name = textOf(rowOf(replica, "customer", id), "name");
    if (name.empty())
        if (auto it = knownCustomers.find(id); it != knownCustomers.end()) name = it->second;
    return QString::fromStdString(name);
}

bool writes(const nlohmann::json& pushed, const char* field)
{
    return setOf(pushed).contains(field);
}

} // namespace

QString rowName(replica::Replica& replica, const std::string& entity, const std::string& id,
                const nlohmann::json& pushed, const std::map<std::string, std::string>& knownCustomers)
{
    nlohmann::json row = rowOf(replica, entity, id);
    if (!row.is_object()) row = setOf(pushed);
    if (entity == "customer") {
        const QString name = row.is_object() && row.contains("name") ? QString::fromStdString(textOf(row, "name"))
                                                                      : customerName(replica, id, knownCustomers);
        if (!name.isEmpty()) return name;
    } else if (entity == "team_config") {
        const std::string team = textOf(row, "team");
        if (!team.empty()) return RowNames::tr("team %1").arg(QString::fromStdString(team));
    } else {
        const QString customer = customerName(replica, textOf(row, "customer"), knownCustomers);
        const std::string own = entity == "contact" ? textOf(row, "name")
            : entity == "task" || entity == "complaint" ? textOf(row, "title")
                                                         : std::string();
        if (!own.empty() && !customer.isEmpty())
            return RowNames::tr("%1 (%2)").arg(QString::fromStdString(own), customer);
        if (!own.empty()) return QString::fromStdString(own);
        if (!customer.isEmpty()) return customer;
    }
    return RowNames::tr("a record no longer on this device");
}

QString rejectionText(const std::string& reason, const std::string& entity, const nlohmann::json& pushed)
{
    if (reason == "not_in_scope") return RowNames::tr("It belongs to a customer that is not yours, or no longer yours.");
    if (reason == "own_team") return RowNames::tr("A new customer can only be created for your own team.");
    if (reason == "claim_lost") return RowNames::tr("Someone else claimed this customer first.");
    if (reason == "role") {
        if (entity == "visit") return RowNames::tr("Only a manager can void a visit.");
        if (entity == "team_config") return RowNames::tr("Only a manager of the team can change its settings.");
        if (entity == "customer" && writes(pushed, "owner") && !setOf(pushed).contains("name"))
            return RowNames::tr("Only a manager can reassign a customer.");
        return RowNames::tr("Your role does not allow this change.");
    }
    if (reason == "unknown_parent") return RowNames::tr("Its customer is not on the server (it may have been removed).");
    if (reason == "reparent") return RowNames::tr("A record cannot be moved to another customer.");
    if (reason == "team_fixed") return RowNames::tr("A customer cannot be moved to another team this way; a manager reassigns it.");
    if (reason == "reference") return RowNames::tr("It refers to a record you cannot see.");
    return RowNames::tr("The server did not accept this change.");
}

} // namespace fieldsync::app
