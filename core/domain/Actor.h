// Actor: who is using this replica, as far as the domain rules care.
//
// The sync client stores the signed-in user's name, role and team in the
// replica's settings at login (replica/SettingKeys.h); the domain layer reads
// them back here, so every rule that depends on the role ("a manager can void
// a visit", "a rep claims from the pool") works offline. The server checks
// the same rules again on push (sync-server/api/Scope): the device's check is
// for a clear message at once, the server's is the one that counts.
#pragma once

#include <optional>
#include <string>

namespace fieldsync::replica {
class Replica;
}

namespace fieldsync::domain {

enum class Role { Rep, Manager, Admin };

std::optional<Role> roleFromString(std::string_view text);
const char* toString(Role role);

struct Actor {
    std::string user;   // empty: nobody signed in on this replica yet
    Role role = Role::Rep;
    std::string team;   // empty: no team

    bool signedIn() const { return !user.empty(); }
    bool isManager() const { return role == Role::Manager || role == Role::Admin; }

    // The identity stored in the replica's settings; a replica nobody has
    // signed in on acts as an anonymous rep.
    static Actor of(replica::Replica& replica);
};

} // namespace fieldsync::domain
