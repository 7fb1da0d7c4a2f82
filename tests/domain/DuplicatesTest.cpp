// Duplicate suggestions (撞单): phone normalization, core names, and the
// suggestions over the fixed company.
#include "CustomerFixture.h"

#include "domain/Duplicates.h"

namespace fieldsync::domain::test {
namespace {

TEST(NormalizePhone, DropsCountryCodeTrunkZeroAndPunctuation)
{
    EXPECT_EQ(normalizePhone("+86 138-0013-8000"), "13800138000");
    EXPECT_EQ(normalizePhone("0086 13800138000"), "13800138000");
    EXPECT_EQ(normalizePhone("8613800138000"), "13800138000");
    EXPECT_EQ(normalizePhone("13800138000"), "13800138000");
    EXPECT_EQ(normalizePhone("010-6234 5678"), "1062345678");
    EXPECT_EQ(normalizePhone("+86 10 62345678"), "1062345678");
    EXPECT_EQ(normalizePhone("95526"), "") << "too short to compare";
    EXPECT_EQ(normalizePhone("tel: n/a"), "");
}

TEST(CoreName, DropsCompanyFormsBracketsAndPunctuation)
{
    EXPECT_EQ(coreName("厦门鹭岛贸易有限公司"), "厦门鹭岛贸易");
    EXPECT_EQ(coreName("北京昭智教育科技股份有限公司"), "北京昭智教育科技");
    EXPECT_EQ(coreName("昭智（北京）教育集团"), "昭智教育");
    EXPECT_EQ(coreName("ABC Technology Co., Ltd."), "abctechnology");
    EXPECT_EQ(coreName("北京 昭智-教育"), "北京昭智教育");
    EXPECT_EQ(coreName("公司"), "公司") << "a name that is only a suffix stays";
}

class DuplicatesTest : public CustomerFixture {
protected:
    std::vector<std::string> suggest(const std::string& name, std::vector<std::string> phones = {})
    {
        SearchIndex index(*r);
        std::vector<std::string> out;
        for (const auto& s : findDuplicates(index, {name, std::move(phones), {}}))
            out.push_back(keys.at(s.id) + ":" + s.reason);
        return out;
    }
};

using Found = std::vector<std::string>;

TEST_F(DuplicatesTest, SameNameAfterCompanyForms)
{
    EXPECT_EQ(suggest("北京昭智教育有限公司"), Found{"zz:same_name"});
    EXPECT_EQ(suggest("厦门鹭岛贸易"), Found{"xm:same_name"}) << "pool customers are suggested too";
}

TEST_F(DuplicatesTest, SamePinyinAndContainedNames)
{
    EXPECT_EQ(suggest("北京照志教育"), Found{"zz:same_pinyin"});
    EXPECT_EQ(suggest("昭智教育"), Found{"zz:name_contains"});
    EXPECT_EQ(suggest("北京银行股份有限公司朝阳支行"), Found{"bank:name_contains"});
    EXPECT_EQ(suggest("昭"), Found{}) << "one character is too little to compare";
    EXPECT_EQ(suggest("全新客户"), Found{});
}

TEST_F(DuplicatesTest, SamePhoneOfTheCustomerOrAContact)
{
    EXPECT_EQ(suggest("新客户", {"+86 138-0013-8000"}), Found{"zz:same_phone"}) << "张伟's mobile";
    EXPECT_EQ(suggest("新客户", {"010 62345678"}), Found{"zz:same_phone"});
    EXPECT_EQ(suggest("新客户", {"0086 137 0000 1111"}), Found{"abc:same_phone"});
    // The strongest reason is the one shown, once per customer, strongest first.
    EXPECT_EQ(suggest("昭智教育", {"13912345678"}), (Found{"cs:same_phone", "zz:name_contains"}));
    EXPECT_EQ(suggest("北京昭智教育", {"13800138000"}), Found{"zz:same_phone"});
}

TEST_F(DuplicatesTest, ArchivedCustomersAreNotSuggested)
{
    EXPECT_EQ(suggest("广州绿色家园", {"020-1234 5678"}), Found{});
}

TEST_F(DuplicatesTest, OnDemandForAStoredCustomer)
{
    auto added = r->create("customer", Write().set("name", "昭智教育(北京)有限公司"s).set("phone", "+86 21 5555 8888"s));
    ASSERT_TRUE(added.ok());
    keys[*added] = "new";
    SearchIndex index(*r);
    auto found = duplicatesOf(index, *added);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].id, ids["sh"]);
    EXPECT_EQ((*found)[0].reason, "same_phone");
    EXPECT_EQ((*found)[0].detail, "+86 21 5555 8888");
    EXPECT_EQ((*found)[0].owner, std::nullopt);
    EXPECT_EQ((*found)[1].id, ids["zz"]);
    EXPECT_EQ((*found)[1].reason, "name_contains");
    EXPECT_EQ((*found)[1].detail, "北京昭智教育");
    EXPECT_EQ((*found)[1].toJson()["owner"], "lina");
    EXPECT_EQ(duplicatesOf(index, "no-such-id").error().code, ErrorCode::NotFound);
}

} // namespace
} // namespace fieldsync::domain::test
