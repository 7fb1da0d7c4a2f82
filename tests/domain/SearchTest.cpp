// Pinyin readings, the search expression, and search results over the fixed
// company (CustomerFixture.h) for every form a user types — and that the
// index follows every path a row can change by.
#include "CustomerFixture.h"

#include "domain/DemoCompany.h"
#include "domain/Pinyin.h"

#include "storage/Statement.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

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


// ------------------------------------------------- key heads and the facts

// A replica file removed (with its WAL) when the test ends.
struct TempFile {
    std::string path;
    TempFile()
    {
        std::random_device rd;
        path = (std::filesystem::temp_directory_path() / ("fs-search-" + std::to_string(rd()) + ".db")).string();
    }
    ~TempFile()
    {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    }
};

TEST(KeyHeads, OnlyQueriesOfSingleLettersOrDigits)
{
    const auto bit = [](char c) { return int64_t{1} << (c >= 'a' ? c - 'a' : 26 + (c - '0')); };
    EXPECT_EQ(SearchIndex::keyHeads("b"), bit('b'));
    EXPECT_EQ(SearchIndex::keyHeads("B"), bit('b'));
    EXPECT_EQ(SearchIndex::keyHeads(" b j "), bit('b') | bit('j'));
    EXPECT_EQ(SearchIndex::keyHeads("b-j"), bit('b') | bit('j')) << "punctuation separates runs";
    EXPECT_EQ(SearchIndex::keyHeads("5"), bit('5'));
    EXPECT_EQ(SearchIndex::keyHeads("z 9"), bit('z') | bit('9'));
    EXPECT_EQ(SearchIndex::keyHeads("bj"), std::nullopt);
    EXPECT_EQ(SearchIndex::keyHeads("b 北"), std::nullopt);
    EXPECT_EQ(SearchIndex::keyHeads("北"), std::nullopt);
    EXPECT_EQ(SearchIndex::keyHeads("！"), std::nullopt);
    EXPECT_EQ(SearchIndex::keyHeads(""), std::nullopt);

    EXPECT_EQ(SearchIndex::keyHeadsOf("beijing jing bj 0106234 106234 "),
              bit('b') | bit('j') | bit('0') | bit('1'));
    EXPECT_EQ(SearchIndex::keyHeadsOf(""), 0);
}

TEST_F(SearchTest, OneCharacterTermsFindReadingsAndPhonesStartingWithThem)
{
    EXPECT_EQ(search("b"), (Names{"bank", "zz"}));
    EXPECT_EQ(search("z"), (Names{"zz", "hz", "sh", "sz", "shop"}));
    EXPECT_EQ(search("9"), (Names{"bank", "cs", "xm"})) << "95526, 139 1234…, +86 592 555…";
    EXPECT_EQ(search("b z"), Names{"zz"});
    EXPECT_EQ(search("q"), Names{"cq"});
    CustomerQuery q;
    q.search = "z";
    q.sort = CustomerSort::LastVisit;
    EXPECT_EQ(find(q), (Names{"sz", "sh", "hz", "zz", "shop"})) << "never visited first";
    q.overdueOnly = true;
    EXPECT_EQ(find(q), (Names{"sh"})) << "sz has no level; hz (C, 29 days) is not due yet";
}

// The list a search gives — one character (key heads) or more (FTS), any
// filter the facts hold, any sort, any page — is exactly the unsearched list
// with the same filter and sort, kept to the customers the raw FTS match
// finds. Over a generated company, so ties, never-visited customers and
// every level occur.
TEST(SearchFacts, SameRowsInTheSameOrderAsTheUnsearchedList)
{
    auto r = replica::Replica::open(":memory:", replica::Replica::Options{.time = [] { return kNow; }});
    r->setSetting(replica::settings::kUser, "admin"s);
    r->setSetting(replica::settings::kRole, "admin"s);
    DemoOptions o;
    o.reps = 6;
    o.customers = 300;
    o.visits = 900;
    o.seed = 11;
    o.today = beijingMidnight(kNow);
    auto demo = DemoCompany::make(o);
    ASSERT_TRUE(demo.ok());
    demo->generate(500, [&](std::span<const protocol::ChangeRecord> batch) { r->applyRemote(batch); });
    Customers customers(*r, Customers::Options{.time = [] { return kNow; }, .zone = "Asia/Shanghai"});

    auto ftsMatches = [&](const std::string& typed) {
        auto m = SearchIndex::matchExpression(typed);
        std::set<std::string> ids;
        std::string sql = m->keys.empty() ? "SELECT d.customer FROM search_text t JOIN search_doc d ON d.docid = t.rowid "
                                            "WHERE search_text MATCH ?1"
                                          : "SELECT d.customer FROM search_keys k JOIN search_doc d ON d.docid = k.rowid "
                                            "WHERE search_keys MATCH ?1";
        storage::Statement st(r->database(), sql);
        st.bind(1, m->keys.empty() ? m->text : m->keys);
        while (st.step()) ids.insert(st.getText(0));
        return ids;
    };
    int checked = 0;
    for (const std::string typed : {"b", "z", "s", "x", "5", "1", "b j", "zh", "bj", "sh", "138", "华", "科技"}) {
        customers.index().refresh();
        const auto matches = ftsMatches(typed);
        ASSERT_FALSE(matches.empty()) << typed;
        for (int filter = 0; filter < 3; ++filter)
            for (auto sort : {CustomerSort::Name, CustomerSort::LastVisit, CustomerSort::Level})
                for (bool desc : {false, true}) {
                    CustomerQuery all;
                    all.sort = sort;
                    all.descending = desc;
                    all.limit = 1000;
                    if (filter == 1) all.level = "B";
                    if (filter == 2) all.overdueOnly = true;
                    auto everyone = customers.list(all);
                    ASSERT_TRUE(everyone.ok());
                    std::vector<std::string> expected;
                    for (const auto& row : everyone->rows)
                        if (matches.count(row.id)) expected.push_back(row.id);
                    for (int offset : {0, 7}) {
                        CustomerQuery q = all;
                        q.search = typed;
                        q.limit = 10;
                        q.offset = offset;
                        auto page = customers.list(q);
                        ASSERT_TRUE(page.ok());
                        EXPECT_EQ(page->total, static_cast<int64_t>(expected.size())) << typed << " filter " << filter;
                        std::vector<std::string> want(expected.begin() + std::min<size_t>(offset, expected.size()),
                                                      expected.begin() + std::min<size_t>(offset + 10, expected.size()));
                        std::vector<std::string> got;
                        for (const auto& row : page->rows) got.push_back(row.id);
                        EXPECT_EQ(got, want) << typed << " filter " << filter << " sort " << static_cast<int>(sort)
                                             << " desc " << desc << " offset " << offset;
                        ++checked;
                    }
                }
    }
    EXPECT_EQ(checked, 13 * 3 * 3 * 2 * 2);
}

// A file indexed by a release before domain track 2 (no key heads, no
// generation): the upgrade re-indexes every entry once, and one-character
// searches then find what the FTS prefix query finds.
TEST_F(SearchTest, AnIndexFromTrackOneIsRebuiltWithKeyHeads)
{
    EXPECT_EQ(search("b"), (Names{"bank", "zz"}));
    auto& db = r->database();
    // Back to track 1's shape, as an earlier release left it.
    db.exec("DROP TABLE search_state");
    db.exec("ALTER TABLE search_doc DROP COLUMN key_heads");
    db.exec("UPDATE _migration_track SET version = 1 WHERE name = 'domain'");
    SearchIndex upgraded(*r);
    EXPECT_EQ(upgraded.refresh(), 11u) << "every customer re-indexed once";
    storage::Statement zero(db, "SELECT count(*) FROM search_doc WHERE key_heads = 0");
    ASSERT_TRUE(zero.step());
    EXPECT_EQ(zero.getInt(0), 0);
    EXPECT_EQ(search("b"), (Names{"bank", "zz"}));
    EXPECT_EQ(search("z"), (Names{"zz", "hz", "sh", "sz", "shop"}));
    EXPECT_EQ(search("bjzz"), Names{"zz"});
}

// One Customers object across edits: its in-memory facts follow this
// connection's refreshes (level, visit, archive, rename, a new customer)
// and another connection's.
TEST(SearchFacts, FollowEditsOfThisConnectionAndOthers)
{
    TempFile file;
    auto opts = replica::Replica::Options{.time = [] { return kNow; }};
    auto r = replica::Replica::open(file.path, opts);
    r->setSetting(replica::settings::kUser, "admin"s);
    r->setSetting(replica::settings::kRole, "admin"s);
    auto add = [&](replica::Replica& on, const std::string& name, const std::string& level) {
        auto id = on.create("customer", Write().set("name", name).set("level", level));
        EXPECT_TRUE(id.ok());
        return id.ok() ? *id : std::string();
    };
    const std::string bj = add(*r, "北京昭智教育", "A");
    const std::string bb = add(*r, "北京银行", "B");
    Customers customers(*r, Customers::Options{.time = [] { return kNow; }, .zone = "Asia/Shanghai"});
    auto ids = [&](CustomerQuery q) {
        std::vector<std::string> out;
        auto page = customers.list(q);
        EXPECT_TRUE(page.ok());
        if (page.ok())
            for (const auto& row : page->rows) out.push_back(row.id);
        return out;
    };
    CustomerQuery b;
    b.search = "b";
    CustomerQuery levelA = b;
    levelA.level = "A";
    CustomerQuery overdue = b;
    overdue.overdueOnly = true;
    EXPECT_EQ(ids(b), (std::vector<std::string>{bb, bj}));
    EXPECT_EQ(ids(levelA), std::vector<std::string>{bj});
    EXPECT_EQ(ids(overdue), (std::vector<std::string>{bb, bj})) << "never visited";

    FS_ASSERT_OK(r->update("customer", bb, Write().set("level", "A"s)));
    EXPECT_EQ(ids(levelA), (std::vector<std::string>{bb, bj}));
    FS_ASSERT_OK(r->create("visit", Write().set("customer", bj).set("checkin_at", kNow - kDay)));
    EXPECT_EQ(ids(overdue), std::vector<std::string>{bb});
    FS_ASSERT_OK(r->archive("customer", bb));
    EXPECT_EQ(ids(b), std::vector<std::string>{bj});
    FS_ASSERT_OK(r->update("customer", bj, Write().set("name", "安徽昭智教育"s)));
    EXPECT_EQ(ids(b), std::vector<std::string>{}) << "renamed: no reading starts with b";
    CustomerQuery a;
    a.search = "a";
    EXPECT_EQ(ids(a), std::vector<std::string>{bj});
    const std::string later = add(*r, "阿里巴巴", "C");
    EXPECT_EQ(ids(a), (std::vector<std::string>{later, bj})) << "a new customer takes its place in name order";

    // Another connection to the same file edits and refreshes first.
    auto other = replica::Replica::open(file.path, opts);
    FS_ASSERT_OK(other->update("customer", later, Write().set("name", "安顺百货"s)));
    {
        SearchIndex there(*other);
        EXPECT_EQ(there.refresh(), 1u);
    }
    EXPECT_EQ(ids(a), (std::vector<std::string>{bj, later})) << "安徽 (an hui) now before 安顺 (an shun)";
    FS_ASSERT_OK(other->update("customer", bj, Write().set("archived", true)));
    {
        SearchIndex there(*other);
        EXPECT_EQ(there.refresh(), 1u);
    }
    EXPECT_EQ(ids(a), std::vector<std::string>{later});
}

} // namespace
} // namespace fieldsync::domain::test
