// Names of the replica settings (Replica::setting) shared by several layers:
// the sync client writes the signed-in user's identity at login, the domain
// layer reads it to know who is acting.
#pragma once

#include <string_view>

namespace fieldsync::replica::settings {
inline constexpr std::string_view kServer = "server";      // base URL of the sync server
inline constexpr std::string_view kToken = "token";        // where older versions kept the bearer token: moved to the SecretStore on open (sync/Secrets.h)
inline constexpr std::string_view kUser = "user";          // signed-in user name
inline constexpr std::string_view kRole = "role";          // rep | manager | admin
inline constexpr std::string_view kTeam = "team";          // the user's team, absent if none
inline constexpr std::string_view kLastSync = "last_sync";  // ms of the last complete sync
inline constexpr std::string_view kDeviceKey = "device_key";  // this device's sign-in key (sync/SyncClient.h)
inline constexpr std::string_view kRevoked = "revoked";  // why the server revoked the token, until the next sign-in
} // namespace fieldsync::replica::settings
