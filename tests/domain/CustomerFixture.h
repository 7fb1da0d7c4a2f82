// A small fixed company for the customer tests: eleven customers with
// contacts, phones, levels, tags, regions, stages, owners (and the pool),
// one archived, and visits at fixed times before a fake "now".
#pragma once

#include "domain/Customers.h"
#include "domain/SearchIndex.h"

#include "replica/Replica.h"
#include "replica/SettingKeys.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::domain::test {

using namespace std::string_literals;
using replica::Write;

// 2026-11-22T00:00:00Z: the fake clock starts here.
inline constexpr int64_t kNow = 1'795'305'600'000;
inline constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

#define FS_ASSERT_OK(expr)                                                                   \
    do {                                                                                     \
        const auto& fs_status_ = (expr);                                                     \
        ASSERT_TRUE(fs_status_.ok()) << #expr << ": " << fs_status_.error().message;         \
    } while (0)

class CustomerFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        r = open();
        signIn(*r, "lina", "rep");
        add("zz", "北京昭智教育", "010-6234 5678", "北京市海淀区中关村大街1号", "华北", "A", "repeat", "lina",
            {"教育", "重点"});
        add("bank", "北京银行", "95526", "北京市西城区金融大街", "华北", "A", "loyal", "wang", {"金融"});
        add("cs", "长沙湘江食品", "0731-8888 1234", "长沙市岳麓区", "华中", "B", "first_purchase", "lina", {"食品"});
        add("xm", "厦门鹭岛贸易有限公司", "+86 592 555 0101", "厦门市思明区", "华南", "C", "lead", std::nullopt, {});
        add("cq", "重庆火锅连锁", "023-6666 7777", "重庆市渝中区", "西南", "B", "churned", "wang", {"餐饮"});
        add("sh", "上海照志文化", "021-5555 8888", "上海市黄浦区", "华东", "D", "lead", std::nullopt, {});
        add("gz", "广州绿色家园", "020-1234 5678", "广州市天河区", "华南", "C", "repeat", "lina", {});
        add("abc", "ABC科技有限公司", "400-800-1234", "上海市浦东新区", "华东", "A", "repeat", "lina",
            {"科技", "重点"});
        add("hz", "杭州长城电子", "0571-8765 4321", "杭州市西湖区", "华东", "C", "loyal", "lina", {});
        add("sz", "深圳行业协会", "0755-2222 3333", "深圳市福田区", "华南", std::nullopt, "lead", std::nullopt, {});
        add("shop", "昭智书店", std::nullopt, "北京市朝阳区", "华北", "D", "lead", "lina", {});
        FS_ASSERT_OK(r->archive("customer", ids["gz"]));
        contact("zz", "张伟", "138 0013 8000");
        contact("cs", "李娜", "13912345678");
        contact("abc", "王芳", "+86 137-0000-1111");

        visit("zz", -3 * kDay);
        visit("bank", -10 * kDay);
        visit("bank", -1 * kDay, /*voided=*/true);
        visit("cq", -5 * kDay);
        visit("abc", -20 * kDay);
        visit("hz", -29 * kDay);
        visit("sh", -100 * kDay);
        visit("shop", -1 * kDay);
    }

    std::unique_ptr<replica::Replica> open()
    {
        return replica::Replica::open(":memory:", replica::Replica::Options{.time = [this] { return now; }});
    }

    static void signIn(replica::Replica& replica, const std::string& user, const std::string& role)
    {
        replica.setSetting(replica::settings::kUser, user);
        replica.setSetting(replica::settings::kRole, role);
        replica.setSetting(replica::settings::kTeam, "north"s);
    }

    void add(const std::string& key, const std::string& name, const std::optional<std::string>& phone,
             const std::string& address, const std::string& region, const std::optional<std::string>& level,
             const std::string& stage, const std::optional<std::string>& owner, const std::vector<std::string>& tags)
    {
        Write w;
        w.set("name", name).set("address", address).set("region", region).set("lifecycle", stage);
        if (phone) w.set("phone", *phone);
        if (level) w.set("level", *level);
        if (owner) w.set("owner", *owner);
        for (const auto& t : tags) w.add("tags", t);
        auto id = r->create("customer", w);
        ASSERT_TRUE(id.ok()) << id.error().message;
        ids[key] = *id;
        keys[*id] = key;
    }

    void contact(const std::string& key, const std::string& name, const std::string& phone)
    {
        auto id = r->create("contact", Write().set("customer", ids.at(key)).set("name", name).set("phone", phone));
        ASSERT_TRUE(id.ok()) << id.error().message;
        contacts[name] = *id;
    }

    std::string visit(const std::string& key, int64_t offsetMs, bool voided = false)
    {
        Write w;
        w.set("customer", ids.at(key)).set("rep", "lina"s).set("checkin_at", now + offsetMs)
            .set("status", "completed"s);
        if (voided) w.set("voided", true);
        auto id = r->create("visit", w);
        EXPECT_TRUE(id.ok()) << id.error().message;
        return id.ok() ? *id : std::string();
    }

    Customers customers() { return Customers(*r, Customers::Options{.time = [this] { return now; }, .zone = "Asia/Shanghai"}); }

    // The keys of a page's rows, in order.
    std::vector<std::string> keysOf(const CustomerPage& page) const
    {
        std::vector<std::string> out;
        for (const auto& row : page.rows) out.push_back(keys.count(row.id) ? keys.at(row.id) : row.id);
        return out;
    }

    std::vector<std::string> find(const CustomerQuery& q)
    {
        auto c = customers();
        auto page = c.list(q);
        EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
        if (!page.ok()) return {};
        EXPECT_EQ(page->total, static_cast<int64_t>(page->rows.size())) << "a test page holds every match";
        return keysOf(*page);
    }

    std::vector<std::string> search(const std::string& text)
    {
        CustomerQuery q;
        q.search = text;
        return find(q);
    }

    int64_t now = kNow;
    std::unique_ptr<replica::Replica> r;
    std::map<std::string, std::string> ids;   // key -> id
    std::map<std::string, std::string> keys;  // id -> key
    std::map<std::string, std::string> contacts;
};

} // namespace fieldsync::domain::test
