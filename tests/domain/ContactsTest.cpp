// Contacts: one customer's list through the contact_customer index (primary
// first, then pinyin order), adding, editing, marking one primary, refusals.
#include "CustomerFixture.h"

#include "domain/Contacts.h"

#include "storage/Database.h"
#include "storage/Statement.h"

namespace fieldsync::domain::test {
namespace {

using Names = std::vector<std::string>;

class ContactsTest : public CustomerFixture {
protected:
    Names names(const std::string& key, bool includeArchived = false)
    {
        Names out;
        for (const auto& c : contactsOf(*r, ids.at(key), includeArchived))
            out.push_back(c.name + (c.primary ? "*" : ""));
        return out;
    }
};

TEST_F(ContactsTest, ACustomersContactsPrimaryFirstThenPinyinOrder)
{
    FS_ASSERT_OK(addContact(*r, ids["zz"], {"周杰", "采购经理", "139 1111 2222", "zhou@zz.cn", ""}));
    FS_ASSERT_OK(addContact(*r, ids["zz"], {"安然", "", "", "", ""}));
    auto boss = addContact(*r, ids["zz"], {"  王总 ", "总经理", "", "", "1970-05-01"}, /*primary=*/true);
    FS_ASSERT_OK(boss);
    auto gone = addContact(*r, ids["zz"], {"白离职", "", "", "", ""});
    FS_ASSERT_OK(gone);
    FS_ASSERT_OK(r->archive("contact", *gone));

    // 安 an < 张 zhang < 周 zhou; 王总 first as the primary; other customers' contacts never show.
    EXPECT_EQ(names("zz"), (Names{"王总*", "安然", "张伟", "周杰"}));
    EXPECT_EQ(names("zz", true), (Names{"王总*", "安然", "白离职", "张伟", "周杰"}));
    EXPECT_EQ(names("cs"), (Names{"李娜"}));
    EXPECT_EQ(names("xm"), Names{});

    auto c = findContact(*r, *boss);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->name, "王总") << "trimmed";
    EXPECT_EQ(c->title, "总经理");
    EXPECT_EQ(c->birthday, "1970-05-01");
    EXPECT_EQ(c->customer, ids["zz"]);
    EXPECT_EQ(c->toJson()["primary"], true);
    EXPECT_FALSE(findContact(*r, "no-such-id"));
}

TEST_F(ContactsTest, TheQueryUsesTheCustomerIndex)
{
    storage::Statement plan(r->database(),
                            "EXPLAIN QUERY PLAN SELECT id, customer, name, title, phone, email, birthday, is_primary, "
                            "archived FROM contact WHERE customer = ?");
    std::string detail;
    while (plan.step()) detail += plan.getText(3) + "\n";
    EXPECT_NE(detail.find("USING INDEX contact_customer"), std::string::npos) << detail;
}

TEST_F(ContactsTest, MarkingAPrimaryClearsTheOthersInOneBatch)
{
    auto a = addContact(*r, ids["zz"], {"安然", "", "", "", ""}, true);
    FS_ASSERT_OK(a);
    EXPECT_EQ(names("zz"), (Names{"安然*", "张伟"}));
    const size_t before = r->pendingCount();
    FS_ASSERT_OK(setPrimaryContact(*r, contacts["张伟"]));
    EXPECT_EQ(names("zz"), (Names{"张伟*", "安然"}));
    EXPECT_EQ(r->pendingCount(), before + 2);
    FS_ASSERT_OK(setPrimaryContact(*r, contacts["张伟"]));
    EXPECT_EQ(names("zz"), (Names{"张伟*", "安然"})) << "again: nothing changes";

    // A new primary takes it from the old one.
    FS_ASSERT_OK(addContact(*r, ids["zz"], {"周杰", "", "", "", ""}, true));
    EXPECT_EQ(names("zz"), (Names{"周杰*", "安然", "张伟"}));
}

TEST_F(ContactsTest, EditingWritesOnlyWhatChanged)
{
    const std::string id = contacts["张伟"];
    const size_t before = r->pendingCount();
    FS_ASSERT_OK(updateContact(*r, id, {"张伟", "", "138 0013 8000", "", ""}));
    EXPECT_EQ(r->pendingCount(), before) << "nothing differed: nothing written";
    FS_ASSERT_OK(updateContact(*r, id, {"张伟", "财务总监", "", "zw@zz.cn", ""}));
    auto c = findContact(*r, id);
    EXPECT_EQ(c->title, "财务总监");
    EXPECT_EQ(c->phone, "") << "an empty field clears it";
    EXPECT_EQ(c->email, "zw@zz.cn");
    EXPECT_TRUE((*r->get("contact", id))["phone"].is_null());
}

TEST_F(ContactsTest, ArchivingTakesAContactOffTheListAndTheSearch)
{
    auto boss = addContact(*r, ids["zz"], {"王总", "总经理", "186 0000 7777", "", ""}, /*primary=*/true);
    FS_ASSERT_OK(boss);
    CustomerQuery byPhone;
    byPhone.search = "18600007777";
    EXPECT_EQ(find(byPhone), Names{"zz"});
    const size_t before = r->pendingCount();
    FS_ASSERT_OK(archiveContact(*r, *boss));
    EXPECT_EQ(r->pendingCount(), before + 1);
    EXPECT_EQ(names("zz"), (Names{"张伟"}));
    EXPECT_EQ(names("zz", true), (Names{"王总*", "张伟"}));
    EXPECT_EQ(find(byPhone), Names{}) << "an archived contact's phone no longer finds the customer";
    EXPECT_EQ(archiveContact(*r, *boss).error().message, "contact 王总 is already archived");
    EXPECT_EQ(archiveContact(*r, "no-such-id").error().code, ErrorCode::NotFound);
    // Another rep's customer: refused (the server's rule, said at once).
    const auto bankContact = addContact(*r, ids["bank"], {"赵行长", "", "", "", ""});
    EXPECT_EQ(bankContact.error().code, ErrorCode::PermissionDenied);
    signIn(*r, "wang", "manager");
    auto teller = addContact(*r, ids["bank"], {"赵行长", "", "", "", ""});
    FS_ASSERT_OK(teller);
    signIn(*r, "lina", "rep");
    EXPECT_EQ(archiveContact(*r, *teller).error().message, "customer 北京银行 is owned by wang");
    EXPECT_EQ(names("bank"), (Names{"赵行长"}));
}

TEST_F(ContactsTest, BadInputAndOtherPeoplesCustomersAreRefused)
{
    const size_t before = r->pendingCount();
    auto noName = addContact(*r, ids["zz"], {"  ", "", "", "", ""});
    ASSERT_FALSE(noName.ok());
    EXPECT_EQ(noName.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(noName.error().message, "a contact needs a name");
    for (const char* bad : {"zw", "@zz.cn", "zw@", "a@b@c"})
        EXPECT_EQ(addContact(*r, ids["zz"], {"张三", "", "", bad, ""}).error().message,
                  std::string("not an e-mail address: ") + bad);
    EXPECT_EQ(addContact(*r, "no-such-id", {"张三", "", "", "", ""}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(addContact(*r, ids["gz"], {"张三", "", "", "", ""}).error().code, ErrorCode::FailedPrecondition);
    // lina is a rep: wang's customer and the pool are not hers.
    auto others = addContact(*r, ids["bank"], {"张三", "", "", "", ""});
    EXPECT_EQ(others.error().code, ErrorCode::PermissionDenied);
    EXPECT_EQ(others.error().message, "customer 北京银行 is owned by wang");
    EXPECT_EQ(addContact(*r, ids["xm"], {"张三", "", "", "", ""}).error().message,
              "customer 厦门鹭岛贸易有限公司 is in the public pool: claim it first");
    EXPECT_EQ(updateContact(*r, contacts["张伟"], {"", "", "", "", ""}).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(updateContact(*r, "no-such-id", {"x", "", "", "", ""}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(setPrimaryContact(*r, "no-such-id").error().code, ErrorCode::NotFound);
    EXPECT_EQ(r->pendingCount(), before);

    // A manager may write any customer's contacts on the replica.
    signIn(*r, "wang", "manager");
    FS_ASSERT_OK(addContact(*r, ids["xm"], {"张三", "", "", "", ""}));
}

} // namespace
} // namespace fieldsync::domain::test
