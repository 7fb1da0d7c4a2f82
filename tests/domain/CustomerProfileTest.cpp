// Editing a profile (only changed fields are written; tags add and remove;
// refusals) and the per-field history the replica can show.
#include "CustomerFixture.h"

#include "domain/Contacts.h"
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

TEST_F(CustomerProfileTest, AnnualSalesAndLocationAreSetAndCleared)
{
    const size_t before = r->pendingCount();
    ProfileEdit e;
    e.annualSales = 1'250'000.5;
    e.location = std::pair{39.9834, 116.3160};
    e.size = "medium";
    e.source = "展会";
    auto written = updateProfile(*r, ids["zz"], e);
    FS_ASSERT_OK(written);
    EXPECT_EQ(*written, 4) << "size, source, annual sales, location (lat and lng together)";
    EXPECT_EQ(r->pendingCount(), before + 1);
    auto after = row("zz");
    EXPECT_EQ(after["annual_sales"], 1'250'000.5);
    EXPECT_EQ(after["lat"], 39.9834);
    EXPECT_EQ(after["lng"], 116.3160);
    EXPECT_EQ(after["size"], "medium");
    EXPECT_EQ(after["source"], "展会");
    auto same = updateProfile(*r, ids["zz"], e);
    FS_ASSERT_OK(same);
    EXPECT_EQ(*same, 0);

    ProfileEdit clear;
    clear.annualSales = std::optional<double>();
    clear.location = std::optional<std::pair<double, double>>();
    written = updateProfile(*r, ids["zz"], clear);
    FS_ASSERT_OK(written);
    EXPECT_EQ(*written, 2);
    after = row("zz");
    EXPECT_TRUE(after["annual_sales"].is_null());
    EXPECT_TRUE(after["lat"].is_null());
    EXPECT_TRUE(after["lng"].is_null());
    EXPECT_EQ(after["size"], "medium") << "not on this form: left alone";

    const size_t unchanged = r->pendingCount();
    ProfileEdit bad;
    bad.annualSales = -1.0;
    EXPECT_EQ(updateProfile(*r, ids["zz"], bad).error().message, "annual sales must be a number of at least 0");
    bad = {};
    bad.location = std::pair{91.0, 116.0};
    EXPECT_EQ(updateProfile(*r, ids["zz"], bad).error().message, "latitude must be between -90 and 90");
    bad = {};
    bad.size = "huge";
    EXPECT_EQ(updateProfile(*r, ids["zz"], bad).error().message, "unknown size: huge");
    EXPECT_EQ(r->pendingCount(), unchanged);
}

TEST_F(CustomerProfileTest, CreateFollowsTheCliRulesAndWritesTheFirstContact)
{
    const size_t before = r->pendingCount();
    NewCustomer c;
    c.name = " 成都天府茶业 ";
    c.phone = "028-8888 0000";
    c.address = "成都市锦江区";
    c.region = "西南";
    c.level = "B";
    c.lifecycle = "lead";
    c.tags = {"茶叶", " ", "茶叶", "新客"};
    c.contactName = "周敏";
    c.contactTitle = "采购";
    c.contactPhone = "135 0000 1234";
    auto id = createCustomer(*r, c);
    FS_ASSERT_OK(id);
    EXPECT_EQ(r->pendingCount(), before + 2) << "the customer and its contact";
    const auto row = *r->get("customer", *id);
    EXPECT_EQ(row["name"], "成都天府茶业");
    EXPECT_EQ(row["phone"], "028-8888 0000");
    EXPECT_EQ(row["address"], "成都市锦江区");
    EXPECT_EQ(row["region"], "西南");
    EXPECT_EQ(row["level"], "B");
    EXPECT_EQ(row["lifecycle"], "lead");
    EXPECT_EQ(row["tags"], nlohmann::json({"新客", "茶叶"}));
    EXPECT_EQ(row["owner"], "lina") << "a rep's new customer is theirs";
    EXPECT_EQ(row["team"], "north");
    const auto first = contactsOf(*r, *id);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].name, "周敏");
    EXPECT_EQ(first[0].title, "采购");
    EXPECT_EQ(first[0].phone, "135 0000 1234");
    EXPECT_TRUE(first[0].primary);

    signIn(*r, "wang", "manager");
    NewCustomer pool;
    pool.name = "成都蓉城物流";
    auto poolId = createCustomer(*r, pool);
    FS_ASSERT_OK(poolId);
    const auto poolRow = *r->get("customer", *poolId);
    EXPECT_TRUE(poolRow["owner"].is_null()) << "a manager's new customer goes to the pool";
    EXPECT_EQ(poolRow["team"], "north");
    EXPECT_TRUE(contactsOf(*r, *poolId).empty());
}

TEST_F(CustomerProfileTest, CreateRefusesBadInputAndWritesNothing)
{
    const size_t before = r->pendingCount();
    const size_t customers = r->list("customer").size();
    NewCustomer c;
    c.name = "  ";
    EXPECT_EQ(createCustomer(*r, c).error().message, "the name cannot be empty");
    c.name = "成都天府茶业";
    c.level = "E";
    EXPECT_EQ(createCustomer(*r, c).error().message, "unknown level: E");
    c.level = "";
    c.lifecycle = "vip";
    EXPECT_EQ(createCustomer(*r, c).error().message, "unknown lifecycle: vip");
    c.lifecycle = "";
    c.contactPhone = "135 0000 1234";
    EXPECT_EQ(createCustomer(*r, c).error().message, "the first contact needs a name");
    EXPECT_EQ(r->pendingCount(), before);
    EXPECT_EQ(r->list("customer").size(), customers);
}

TEST_F(CustomerProfileTest, ArchiveByOwnerOrManagerOnly)
{
    const size_t before = r->pendingCount();
    EXPECT_EQ(archiveCustomer(*r, ids["bank"]).error().message, "customer 北京银行 is owned by wang");
    EXPECT_EQ(archiveCustomer(*r, ids["xm"]).error().message,
              "customer 厦门鹭岛贸易有限公司 is in the public pool: only a manager archives it");
    EXPECT_EQ(archiveCustomer(*r, ids["gz"]).error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(archiveCustomer(*r, "no-such-id").error().code, ErrorCode::NotFound);
    EXPECT_EQ(r->pendingCount(), before);
    FS_ASSERT_OK(archiveCustomer(*r, ids["zz"]));
    EXPECT_EQ(row("zz")["archived"], true);
    EXPECT_EQ(r->pendingCount(), before + 1);
    EXPECT_EQ(archiveCustomer(*r, ids["zz"]).error().message, "customer 北京昭智教育 is already archived");
    signIn(*r, "wang", "manager");
    FS_ASSERT_OK(archiveCustomer(*r, ids["xm"]));
    FS_ASSERT_OK(archiveCustomer(*r, ids["cs"]));  // lina's: a manager may
    EXPECT_EQ(row("cs")["archived"], true);
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
