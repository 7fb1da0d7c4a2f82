// Small fixed datasets for the app's tests and the screenshot tool, made
// through the same Replica and Hub code a real device and server run (no
// hand-written rows): conflicts come from two devices editing the same
// fields through an in-process Hub, rejections from Replica::reject.
#pragma once

#include "replica/Hub.h"
#include "replica/Replica.h"

#include <QString>
#include <memory>
#include <string>

namespace fieldsync::apptest {

// Before the QGuiApplication: offscreen platform, a private 0700
// XDG_RUNTIME_DIR, test-mode QStandardPaths/QSettings (never the user's).
void prepareTestEnvironment();

// Push everything pending, then pull everything (as one device's sync).
void syncThroughHub(replica::Replica& device, replica::Hub& hub);

struct ConflictFixture {
    std::string customer;  // id of the customer both devices edited
    std::unique_ptr<replica::Hub> hub;
};

// Creates, in `dir`, a hub and a second device, and makes `device` (the file
// at devicePath, already created) hold two hub conflicts on one customer
// (北京昭智教育): phone (lww: the other device's 010-6666 2222 kept, this
// device's 010-6666 1111 lost) and notes (text: needs resolution). Also signs
// the replica "in" as rep `lina` on `server` (settings only, no network).
ConflictFixture makeConflicts(const std::string& dir, replica::Replica& device, const std::string& server);

// Marks the oldest `count` pending changes of `device` as refused by the hub
// (permission_denied, "customer ... is not yours").
void rejectPending(replica::Replica& device, size_t count);

// Settings a signed-in replica holds (as SyncClient::login writes them).
void signInOffline(replica::Replica& device, const std::string& server, const std::string& user,
                   const std::string& role = "rep");

} // namespace fieldsync::apptest
