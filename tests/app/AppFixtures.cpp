#include "AppFixtures.h"

#include "replica/SettingKeys.h"

#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cstdlib>
#include <stdexcept>

namespace fieldsync::apptest {

namespace settings = replica::settings;

void prepareTestEnvironment()
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // Lives as long as the process; 0700 as Qt wants it.
    static QTemporaryDir runtime;
    QFile::setPermissions(runtime.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", runtime.path().toUtf8());
    QStandardPaths::setTestModeEnabled(true);
    // Test machines have no keystore: the replicas' keys and tokens go to key
    // files, by the explicit opt-in (SecretStores.h), in a folder of their own.
    static QTemporaryDir secrets;
    qputenv("FIELDSYNC_SECRETS_DIR", secrets.path().toUtf8());
}

void syncThroughHub(replica::Replica& device, replica::Hub& hub)
{
    for (;;) {
        auto batch = device.pending();
        if (batch.records.empty()) break;
        auto pushed = hub.push(device.deviceId(), batch.after, batch.records);
        if (!pushed) throw std::runtime_error("fixture push refused: " + pushed.error().message);
        device.acknowledge(pushed->acked, pushed->head);
    }
    for (;;) {
        auto page = hub.pull(device.cursor());
        device.applyRemote(page.records, page.cursor);
        if (!page.more) break;
    }
}

void signInOffline(replica::Replica& device, const std::string& server, const std::string& user,
                   const std::string& role)
{
    device.setSetting(settings::kServer, server);
    device.setSetting(settings::kToken, "fixture-token");
    device.setSetting(settings::kUser, user);
    device.setSetting(settings::kRole, role);
    device.setSetting(settings::kTeam, "north");
}

ConflictFixture makeConflicts(const std::string& dir, replica::Replica& device, const std::string& server)
{
    ConflictFixture f;
    f.hub = replica::Hub::open(dir + "/fixture-hub.db");
    // The other device's clock runs a minute ahead, so its edits win
    // whatever the timing (both writes may fall in the same millisecond).
    replica::Replica::Options ahead;
    ahead.time = [] { return crdt::systemTimeSource()() + 60'000; };
    auto other = replica::Replica::open(dir + "/fixture-other.db", ahead);
    signInOffline(device, server, "lina");

    replica::Write create;
    create.set("name", std::string("北京昭智教育"))
        .set("phone", std::string("010-6666 0000"))
        .set("level", std::string("A"))
        .set("owner", std::string("lina"))
        .set("notes", std::string("周三上午拜访"));
    auto id = device.create("customer", create);
    if (!id) throw std::runtime_error(id.error().message);
    f.customer = *id;
    syncThroughHub(device, *f.hub);
    syncThroughHub(*other, *f.hub);

    // Concurrent edits: neither device has seen the other's.
    replica::Write mine, theirs;
    mine.set("phone", std::string("010-6666 1111")).set("notes", std::string("周三上午拜访，带样品"));
    theirs.set("phone", std::string("010-6666 2222")).set("notes", std::string("改到周四下午"));
    if (!device.update("customer", f.customer, mine) || !other->update("customer", f.customer, theirs))
        throw std::runtime_error("fixture edits refused");
    syncThroughHub(device, *f.hub);
    syncThroughHub(*other, *f.hub);
    syncThroughHub(device, *f.hub);
    return f;
}

void rejectPending(replica::Replica& device, size_t count)
{
    auto batch = device.pending(count);
    std::vector<replica::Rejection> rejections;
    for (const auto& r : batch.records)
        rejections.push_back({r.clock.hlc, "permission_denied", "customer " + r.id + ": the customer is owned by someone else",
                              "not_in_scope"});
    device.reject(rejections, {});
}

} // namespace fieldsync::apptest
