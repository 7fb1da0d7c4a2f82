// Identifiers a replica makes without asking anybody (DESIGN §3: client-
// generated ids, never a server round trip).
#pragma once

#include "crdt/Clock.h"
#include "storage/Encryption.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace fieldsync::storage {
class Connection;
}

namespace fieldsync::replica {

class RowStore;

// Row ids: UUIDv7 (time-ordered, so new rows append to the B-tree) from the
// given milliseconds and 74 random bits (libsodium).
std::string newRowId(int64_t unixMillis);
crdt::DeviceId newDeviceId();
// A replica's encryption key: 32 bytes from libsodium's random source.
storage::EncryptionKey newReplicaKey();

// The id of the hub's conflict entry for (row, field, losing clock): the same
// on every replica, so an entry is recorded once however often it is seen.
std::string conflictRowId(std::string_view entity, std::string_view row, std::string_view field,
                          const crdt::Clock& loserClock);

// This database's own device id (meta `device_id`), made and registered as a
// peer on first use. The caller holds the transaction.
crdt::DeviceId ownDeviceId(storage::Connection& db, RowStore& rows);

} // namespace fieldsync::replica
