#include "domain/Actor.h"

#include "replica/Replica.h"
#include "replica/SettingKeys.h"

namespace fieldsync::domain {

std::optional<Role> roleFromString(std::string_view text)
{
    if (text == "rep") return Role::Rep;
    if (text == "manager") return Role::Manager;
    if (text == "admin") return Role::Admin;
    return std::nullopt;
}

const char* toString(Role role)
{
    switch (role) {
    case Role::Rep: return "rep";
    case Role::Manager: return "manager";
    case Role::Admin: return "admin";
    }
    return "rep";
}

Actor Actor::of(replica::Replica& replica)
{
    Actor actor;
    actor.user = replica.setting(replica::settings::kUser).value_or("");
    // An unknown role (a newer server) gets the least rights.
    if (auto role = replica.setting(replica::settings::kRole)) actor.role = roleFromString(*role).value_or(Role::Rep);
    actor.team = replica.setting(replica::settings::kTeam).value_or("");
    return actor;
}

} // namespace fieldsync::domain
