// Pinyin readings, the search expression, and search results over the fixed
// company (CustomerFixture.h) for every form a user types — and that the
// index follows every path a row can change by.
#include "CustomerFixture.h"

#include "domain/Pinyin.h"

#include "storage/Statement.h"

#include <gmock/gmock.h>

#include <algorithm>

namespace fieldsync::domain::test {
namespace {

using Names = std::vector<std::string>;
using ::testing::ElementsAre;

std::string joined(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
}

TEST(Pinyin, ReadsEachCharacterAsOneToneLessSyllable)
{
    Pinyin& p = Pinyin::forThisThread();
    EXPECT_EQ(joined(p.syllables("北京昭智教育")), "bei jing zhao zhi jiao yu");
    EXPECT_EQ(p.full("北京昭智教育"), "beijingzhaozhijiaoyu");
    EXPECT_EQ(p.initials("北京昭智教育"), "bjzzjy");
    EXPECT_EQ(joined(p.syllables("ABC科技 88号")), "abc ke ji 88 hao");
    EXPECT_EQ(joined(p.syllables("昭智（北京）-教育!")), "zhao zhi bei jing jiao yu");
    EXPECT_EQ(joined(p.syllables("绿色")), "lu se");
    EXPECT_EQ(joined(p.syllables("")), "");
    EXPECT_EQ(joined(p.syllables("  ，。")), "");
}

TEST(Pinyin, CommonPolyphonesAreReadAsInTheWord)
{
    Pinyin& p = Pinyin::forThisThread();
    EXPECT_EQ(joined(p.syllables("北京银行")), "bei jing yin hang");
    EXPECT_EQ(joined(p.syllables("招商银行长沙分行")), "zhao shang yin hang chang sha fen hang");
    EXPECT_EQ(joined(p.syllables("厦门")), "xia men");
    EXPECT_EQ(joined(p.syllables("重庆")), "chong qing");
    EXPECT_EQ(joined(p.syllables("杭州长城电子")), "hang zhou chang cheng dian zi");
    EXPECT_EQ(joined(p.syllables("深圳行业协会")), "shen zhen hang ye xie hui");
    // Outside the listed words ICU's reading stands.
    EXPECT_EQ(joined(p.syllables("大厦")), "da sha");
    EXPECT_EQ(joined(p.syllables("长")), "zhang");
    EXPECT_EQ(joined(p.syllables("行")), "xing");
}

TEST(Pinyin, SortKeysOrderByReadingThenByName)
{
    Pinyin& p = Pinyin::forThisThread();
    // 长沙 files under chang (before chong), not under ICU's zhang; Latin
    // names under their letters.
    Names names = {"昭智书店", "长沙湘江食品", "ABC科技", "北京银行", "重庆火锅", "厦门鹭岛", "北京昭智教育", "bj小店"};
    std::sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return p.sortKey(a) < p.sortKey(b); });
    EXPECT_EQ(names, (Names{"ABC科技", "北京银行", "北京昭智教育", "bj小店", "长沙湘江食品", "重庆火锅", "厦门鹭岛",
                            "昭智书店"}));
}

using Match = SearchIndex::Match;

TEST(MatchExpression, ChineseRunsArePhrasesOfTextLettersAndDigitsArePrefixesOfKeys)
{
    EXPECT_EQ(SearchIndex::matchExpression("bjzz"), (Match{"", "\"bjzz\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression("BJzz"), (Match{"", "\"bjzz\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression("昭智"), (Match{"\"昭 智\"", ""}));
    EXPECT_EQ(SearchIndex::matchExpression("昭"), (Match{"\"昭\"", ""}));
    EXPECT_EQ(SearchIndex::matchExpression("138"), (Match{"", "\"138\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression("abc123"), (Match{"", "\"abc123\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression(" 北京  bj "), (Match{"\"北 京\"", "\"bj\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression("昭智bj 0013"), (Match{"\"昭 智\"", "\"bj\" * AND \"0013\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression("昭-智"), (Match{"\"昭\" AND \"智\"", ""}));
}

TEST(MatchExpression, QuerySyntaxNeverPassesThrough)
{
    EXPECT_EQ(SearchIndex::matchExpression("\"x\" OR y* NEAR(z)"),
              (Match{"", "\"x\" * AND \"or\" * AND \"y\" * AND \"near\" * AND \"z\" *"}));
    EXPECT_EQ(SearchIndex::matchExpression("!!! ，。 *"), std::nullopt);
    EXPECT_EQ(SearchIndex::matchExpression(""), std::nullopt);
    EXPECT_EQ(SearchIndex::matchExpression("\xff\xfe"), std::nullopt) << "invalid UTF-8 is skipped";
}

class SearchTest : public CustomerFixture {};

TEST_F(SearchTest, PinyinInitialsFullAndPrefixes)
{
    EXPECT_EQ(search("bjzz"), Names{"zz"});
    EXPECT_EQ(search("beijing"), (Names{"bank", "zz"}));
    EXPECT_EQ(search("beij"), (Names{"bank", "zz"}));
    EXPECT_EQ(search("zhaozhi"), (Names{"zz", "sh", "shop"})) << "照志 reads like 昭智";
    EXPECT_EQ(search("zhaoz"), (Names{"zz", "sh", "shop"}));
    EXPECT_EQ(search("jiaoyu"), Names{"zz"});
    EXPECT_EQ(search("zzjy"), Names{"zz"});
    EXPECT_EQ(search("BJZZ"), Names{"zz"});
    EXPECT_EQ(search("cs"), Names{"cs"});
    EXPECT_EQ(search("abc"), Names{"abc"});
    EXPECT_EQ(search("keji"), Names{"abc"});
    EXPECT_EQ(search("bjq"), Names{});
}

TEST_F(SearchTest, PolyphonesFindTheWordsReading)
{
    EXPECT_EQ(search("yinhang"), Names{"bank"});
    EXPECT_EQ(search("yinxing"), Names{});
    EXPECT_EQ(search("changsha"), Names{"cs"});
    EXPECT_EQ(search("xiamen"), Names{"xm"});
    EXPECT_EQ(search("chongqing"), Names{"cq"});
    EXPECT_EQ(search("changcheng"), Names{"hz"});
    EXPECT_EQ(search("hangye"), Names{"sz"});
}

TEST_F(SearchTest, ChineseSubstringsOfOneTwoAndMoreCharacters)
{
    EXPECT_EQ(search("昭"), (Names{"zz", "shop"}));
    EXPECT_EQ(search("昭智"), (Names{"zz", "shop"}));
    EXPECT_EQ(search("北京昭智"), Names{"zz"});
    EXPECT_EQ(search("北京昭智教育"), Names{"zz"});
    EXPECT_EQ(search("京昭"), Names{"zz"});
    EXPECT_EQ(search("智京"), Names{}) << "characters must be adjacent and in order";
    EXPECT_EQ(search("北京"), (Names{"bank", "zz", "shop"})) << "昭智书店's address is in 北京";
    EXPECT_EQ(search("海淀"), Names{"zz"});
    EXPECT_EQ(search("照志"), Names{"sh"});
}

TEST_F(SearchTest, ContactsByNameAndPinyin)
{
    EXPECT_EQ(search("张伟"), Names{"zz"});
    EXPECT_EQ(search("zhangwei"), Names{"zz"});
    EXPECT_EQ(search("lina"), Names{"cs"});
    EXPECT_EQ(search("王芳"), Names{"abc"});
}

TEST_F(SearchTest, PhonesByAnyRunOfDigits)
{
    EXPECT_EQ(search("0013"), Names{"zz"}) << "the contact's 138 0013 8000";
    EXPECT_EQ(search("13800138000"), Names{"zz"});
    EXPECT_EQ(search("6234"), Names{"zz"});
    EXPECT_EQ(search("555"), (Names{"sh", "xm"}));
    EXPECT_EQ(search("00001111"), Names{"abc"});
    EXPECT_EQ(search("95526"), Names{"bank"});
    EXPECT_EQ(search("021-5555"), Names{"sh"});
    EXPECT_EQ(search("99999"), Names{});
}

TEST_F(SearchTest, SeveralTermsMustAllMatch)
{
    EXPECT_EQ(search("北京 教育"), Names{"zz"});
    EXPECT_EQ(search("bj zz"), Names{"zz"});
    EXPECT_EQ(search("bj jy"), (Names{"bank", "zz"})) << "jy is also a prefix of 北京银行's jyh";
    EXPECT_EQ(search("beijing 0013"), Names{"zz"});
    EXPECT_EQ(search("beijing 555"), Names{});
}

TEST_F(SearchTest, NothingSearchableFindsNothing)
{
    auto c = customers();
    CustomerQuery q;
    q.search = "！？";
    auto page = c.list(q);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 0);
    EXPECT_TRUE(page->rows.empty());
}

TEST_F(SearchTest, ArchivedCustomersOnlyWhenAskedFor)
{
    EXPECT_EQ(search("广州"), Names{});
    CustomerQuery q;
    q.search = "广州";
    q.includeArchived = true;
    EXPECT_EQ(find(q), Names{"gz"});
}

// ---------------------------------------------------------------- freshness

TEST_F(SearchTest, FollowsLocalUpdatesOfNamesContactsAndArchive)
{
    EXPECT_EQ(search("hangye"), Names{"sz"});
    FS_ASSERT_OK(r->update("customer", ids["sz"], Write().set("name", "深圳创新协会"s)));
    EXPECT_EQ(search("hangye"), Names{});
    EXPECT_EQ(search("chuangxin"), Names{"sz"});
    EXPECT_EQ(search("创新"), Names{"sz"});

    auto contact = r->create("contact", Write().set("customer", ids["hz"]).set("name", "赵敏"s).set("phone", "186 1234 5678"s));
    ASSERT_TRUE(contact.ok());
    EXPECT_EQ(search("186123"), Names{"hz"});
    EXPECT_EQ(search("zhaomin"), Names{"hz"});
    FS_ASSERT_OK(r->archive("contact", *contact));
    EXPECT_EQ(search("186123"), Names{});
    EXPECT_EQ(search("zhaomin"), Names{});

    CustomerQuery levelA;
    levelA.level = "A";
    FS_ASSERT_OK(r->update("customer", ids["cs"], Write().set("level", "A"s)));
    EXPECT_EQ(find(levelA), (Names{"abc", "bank", "zz", "cs"})) << "filters follow the row too";
    FS_ASSERT_OK(r->archive("customer", ids["cs"]));
    EXPECT_EQ(search("changsha"), Names{});
    FS_ASSERT_OK(r->update("customer", ids["cs"], Write().set("archived", false)));
    EXPECT_EQ(search("changsha"), Names{"cs"});
}

TEST_F(SearchTest, FollowsRemoteApplyAndEviction)
{
    EXPECT_EQ(search("jiaoyu"), Names{"zz"});
    // A second device receives everything as remote changes.
    auto other = open();
    other->importBundle(r->exportBundle());
    {
        Customers there(*other, Customers::Options{.time = [this] { return now; }, .zone = "Asia/Shanghai"});
        CustomerQuery q;
        q.search = "bjzz";
        auto page = there.list(q);
        ASSERT_TRUE(page.ok());
        ASSERT_EQ(page->rows.size(), 1u);
        EXPECT_EQ(page->rows[0].id, ids["zz"]);
    }
    // An edit made there arrives here by bundle.
    FS_ASSERT_OK(other->update("customer", ids["zz"], Write().set("name", "北京昭智科技"s)));
    r->importBundle(other->exportBundle());
    EXPECT_EQ(search("jiaoyu"), Names{});
    EXPECT_EQ(search("keji"), (Names{"abc", "zz"}));
    EXPECT_EQ(search("bjzzkj"), Names{"zz"});

    // Eviction (the customer left the other device's scope) drops its entry.
    other->evict(std::vector<std::string>{ids["bank"]});
    Customers there(*other, Customers::Options{.time = [this] { return now; }, .zone = "Asia/Shanghai"});
    CustomerQuery q;
    q.search = "yinhang";
    auto page = there.list(q);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 0);
    storage::Statement docs(other->database(), "SELECT count(*) FROM search_doc WHERE customer = ?");
    docs.bind(1, ids["bank"]);
    ASSERT_TRUE(docs.step());
    EXPECT_EQ(docs.getInt(0), 0);
}

TEST_F(SearchTest, RefreshTouchesOnlyWhatChanged)
{
    SearchIndex index(*r);
    EXPECT_EQ(index.refresh(), 11u) << "the first refresh indexes every customer";
    EXPECT_EQ(index.refresh(), 0u);
    FS_ASSERT_OK(r->update("customer", ids["zz"], Write().set("notes", "下周回访"s)));
    EXPECT_EQ(index.refresh(), 0u) << "notes are neither searched nor filtered";
    FS_ASSERT_OK(r->update("customer", ids["zz"], Write().set("level", "B"s)));
    EXPECT_EQ(index.refresh(), 1u) << "a level is filtered by";
    visit("zz", 0);
    EXPECT_EQ(index.refresh(), 1u) << "a visit moves the last visit";
}

} // namespace
} // namespace fieldsync::domain::test
