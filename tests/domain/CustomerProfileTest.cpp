// Editing a profile (only changed fields are written; tags add and remove;
// refusals) and the per-field history the replica can show.
#include "CustomerFixture.h"

#include "domain/CustomerProfile.h"

#include "replica/Hub.h"

namespace fieldsync::domain::test {
namespace {

class CustomerProfileTest : public CustomerFixture {
protected:
    nlohmann::json row(const std::string& key) { return *r->get("customer", ids.at(key)); }
};

TEST_F(CustomerProfileTest, OnlyChangedFieldsAreWritten)
{
    ProfileEdit same;
    same.name = "北京昭智教育";
    same.phone = " 010-6234 5678 ";
    same.level = "A";
    same.addTags = {"教育"};
    const size_t before = r->pendingCount();
    auto none = updateProfile(*r, ids["zz"], same);
    FS_ASSERT_OK(none);
    EXPECT_EQ(*none, 0);
    EXPECT_EQ(r->pendingCount(), before);

    ProfileEdit edit = same;
    edit.phone = "010-6234 0000";
    edit.level = "B";
    edit.region = "";  // cleared
    edit.lifecycle = "loyal";
    edit.addTags = {"教育", "续约"};
    edit.removeTags = {"重点", "没有的"};
    auto written = updateProfile(*r, ids["zz"], edit);
    FS_ASSERT_OK(written);
    EXPECT_EQ(*written, 5) << "phone, level, region, lifecycle, tags";
    EXPECT_EQ(r->pendingCount(), before + 1) << "one write";
    const auto after = row("zz");
    EXPECT_EQ(after["phone"], "010-6234 0000");
    EXPECT_EQ(after["level"], "B");
    EXPECT_TRUE(after["region"].is_null());
    EXPECT_EQ(after["lifecycle"], "loyal");
    EXPECT_EQ(after["tags"], nlohmann::json({"教育", "续约"}));
    EXPECT_EQ(after["address"], "北京市海淀区中关村大街1号") << "not on the form: left alone";
}

TEST_F(CustomerProfileTest, BadEditsAndOtherPeoplesCustomersAreRefused)
{
    const size_t before = r->pendingCount();
    ProfileEdit e;
    e.name = " ";
    EXPECT_EQ(updateProfile(*r, ids["zz"], e).error().message, "the name cannot be empty");
    e = {};
    e.level = "E";
    EXPECT_EQ(updateProfile(*r, ids["zz"], e).error().message, "unknown level: E");
    e = {};
    e.lifecycle = "vip";
    EXPECT_EQ(updateProfile(*r, ids["zz"], e).error().code, ErrorCode::InvalidArgument);
    e = {};
    e.phone = "1";
    EXPECT_EQ(updateProfile(*r, ids["bank"], e).error().message, "customer 北京银行 is owned by wang");
    EXPECT_EQ(updateProfile(*r, ids["xm"], e).error().code, ErrorCode::PermissionDenied);
    EXPECT_EQ(updateProfile(*r, ids["gz"], e).error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(updateProfile(*r, "no-such-id", e).error().code, ErrorCode::NotFound);
    EXPECT_EQ(r->pendingCount(), before);
    signIn(*r, "wang", "manager");
    FS_ASSERT_OK(updateProfile(*r, ids["xm"], e));
    EXPECT_EQ(row("xm")["phone"], "1");
}

TEST_F(CustomerProfileTest, HistoryShowsEachFieldsWriterAndOverwrittenValues)
{
    auto hub = replica::Hub::open(":memory:", replica::Hub::Options{.time = [this] { return now; }});
    auto sync = [&](replica::Replica& device) {
        while (device.pendingCount() > 0) {
            auto batch = device.pending();
            auto pushed = hub->push(device.deviceId(), batch.after, batch.records);
            ASSERT_TRUE(pushed.ok()) << pushed.error().message;
            device.acknowledge(pushed->acked, pushed->head);
        }
        auto page = hub->pull(device.cursor(), 10000);
        device.applyRemote(page.records, page.cursor);
    };
    const int64_t created = now;
    sync(*r);
    auto other = open();
    signIn(*other, "lina", "rep");
    sync(*other);

    // Both edit the phone concurrently; the other device's later edit wins.
    now += 60'000;
    ProfileEdit mine;
    mine.phone = "010-1111 1111";
    FS_ASSERT_OK(updateProfile(*r, ids["zz"], mine));
    now += 60'000;
    ProfileEdit theirs;
    theirs.phone = "010-2222 2222";
    FS_ASSERT_OK(updateProfile(*other, ids["zz"], theirs));
    sync(*other);
    now += 60'000;
    ProfileEdit level;
    level.level = "B";
    FS_ASSERT_OK(updateProfile(*r, ids["zz"], level));  // not pushed yet
    const auto pendingLevel = [&] {
        auto h = fieldHistory(*r, "customer", ids["zz"]);
        for (const auto& f : h->fields)
            if (f.field == "level") return f.unsynced;
        return false;
    }();
    EXPECT_TRUE(pendingLevel);
    sync(*r);
    sync(*other);

    auto h = fieldHistory(*r, "customer", ids["zz"]);
    FS_ASSERT_OK(h);
    std::map<std::string, FieldVersion> byField;
    std::vector<std::string> order;
    for (const auto& f : h->fields) {
        byField[f.field] = f;
        order.push_back(f.field);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"name", "phone", "address", "region", "level", "lifecycle", "owner",
                                               "tags"}));
    EXPECT_EQ(byField["name"].writtenAt, created);
    EXPECT_TRUE(byField["name"].thisDevice);
    EXPECT_FALSE(byField["name"].unsynced);
    EXPECT_EQ(byField["phone"].value, "010-2222 2222");
    EXPECT_EQ(byField["phone"].writtenAt, created + 120'000);
    EXPECT_FALSE(byField["phone"].thisDevice);
    EXPECT_EQ(byField["phone"].device, other->deviceId().hex());
    EXPECT_EQ(byField["level"].value, "B");
    EXPECT_EQ(byField["level"].writtenAt, created + 180'000);
    EXPECT_TRUE(byField["level"].thisDevice);
    EXPECT_FALSE(byField["level"].unsynced) << "acknowledged now";
    EXPECT_EQ(byField["tags"].value, nlohmann::json({"教育", "重点"}));
    EXPECT_EQ(byField["tags"].writtenAt, created);

    ASSERT_EQ(h->overwritten.size(), 1u);
    EXPECT_EQ(h->overwritten[0].field, "phone");
    EXPECT_EQ(h->overwritten[0].value, "010-1111 1111");
    EXPECT_EQ(h->overwritten[0].writtenAt, created + 60'000);
    EXPECT_TRUE(h->overwritten[0].thisDevice);
    EXPECT_FALSE(h->overwritten[0].resolved);
    EXPECT_EQ(h->toJson()["overwritten"][0]["field"], "phone");

    EXPECT_EQ(fieldHistory(*r, "customer", "no-such-id").error().code, ErrorCode::NotFound);
    EXPECT_EQ(fieldHistory(*r, "nothing", ids["zz"]).error().code, ErrorCode::NotFound);
}

} // namespace
} // namespace fieldsync::domain::test
