#include "domain/DemoCompany.h"

#include "schema/Schema.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace fieldsync::domain {

namespace {

using protocol::ChangeRecord;
using schema::EntityDef;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kBeijingOffset = 8 * kHour;

// SplitMix64: tiny, fast and fully specified, so a seed gives the same
// company with any compiler and standard library (std distributions do not).
class Rng {
public:
    Rng(uint64_t seed, uint64_t stream) : m_state(seed * 0x9e3779b97f4a7c15ULL ^ (stream + 1) * 0xd1b54a32d192ed03ULL)
    {
        next();
    }

    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // [0, n); the modulo bias is below 2^-40 for every n used here.
    uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
    int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1))); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
    bool chance(double p) { return unit() < p; }

    template <typename T, size_t N>
    const T& pick(const T (&items)[N])
    {
        return items[below(N)];
    }
    template <typename T>
    const T& pick(const std::vector<T>& items)
    {
        return items[below(items.size())];
    }
    // An index drawn with the given weights.
    template <size_t N>
    size_t weighted(const std::array<double, N>& weights)
    {
        double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        double x = unit() * total;
        for (size_t i = 0; i < N; ++i) {
            if (x < weights[i]) return i;
            x -= weights[i];
        }
        return N - 1;
    }

private:
    uint64_t m_state;
};

// Random streams: one per kind of row (DemoCompany.h: changing the number of
// visits leaves the customers as they were).
enum Stream : uint64_t { kDevice, kPeople, kCustomerFacts, kCustomerText, kContacts, kVisits, kTasks, kComplaints, kEvidence };

struct District {
    const char* name;
    double lat, lng;
};

struct City {
    const char* name;    // 北京
    const char* pinyin;  // team name
    const char* areaCode;
    std::vector<District> districts;
};

const std::vector<City>& cities()
{
    static const std::vector<City> list = {
        {"北京", "beijing", "010",
         {{"海淀区", 39.959, 116.298}, {"朝阳区", 39.922, 116.444}, {"东城区", 39.929, 116.416},
          {"西城区", 39.912, 116.366}, {"丰台区", 39.859, 116.287}, {"昌平区", 40.221, 116.231}}},
        {"上海", "shanghai", "021",
         {{"浦东新区", 31.222, 121.545}, {"徐汇区", 31.189, 121.437}, {"静安区", 31.229, 121.448},
          {"黄浦区", 31.232, 121.485}, {"闵行区", 31.113, 121.382}, {"杨浦区", 31.260, 121.526}}},
        {"广州", "guangzhou", "020",
         {{"天河区", 23.125, 113.361}, {"越秀区", 23.129, 113.267}, {"海珠区", 23.084, 113.317},
          {"白云区", 23.158, 113.273}, {"番禺区", 22.938, 113.384}}},
        {"深圳", "shenzhen", "0755",
         {{"南山区", 22.533, 113.931}, {"福田区", 22.541, 114.055}, {"罗湖区", 22.548, 114.132},
          {"宝安区", 22.555, 113.883}, {"龙岗区", 22.720, 114.247}}},
        {"杭州", "hangzhou", "0571",
         {{"西湖区", 30.260, 120.130}, {"上城区", 30.243, 120.169}, {"拱墅区", 30.320, 120.142},
          {"滨江区", 30.208, 120.212}, {"余杭区", 30.419, 120.300}}},
        {"成都", "chengdu", "028",
         {{"锦江区", 30.657, 104.083}, {"武侯区", 30.642, 104.043}, {"青羊区", 30.674, 104.062},
          {"成华区", 30.660, 104.101}, {"高新区", 30.579, 104.064}}},
        {"武汉", "wuhan", "027",
         {{"江汉区", 30.601, 114.270}, {"武昌区", 30.554, 114.316}, {"洪山区", 30.504, 114.343},
          {"江岸区", 30.600, 114.309}}},
        {"南京", "nanjing", "025",
         {{"鼓楼区", 32.066, 118.770}, {"玄武区", 32.049, 118.798}, {"秦淮区", 32.034, 118.794},
          {"建邺区", 32.003, 118.732}}},
        {"西安", "xian", "029",
         {{"雁塔区", 34.214, 108.948}, {"碑林区", 34.256, 108.940}, {"未央区", 34.309, 108.946},
          {"新城区", 34.266, 108.961}}},
        {"重庆", "chongqing", "023",
         {{"渝中区", 29.553, 106.569}, {"江北区", 29.606, 106.574}, {"南岸区", 29.523, 106.563},
          {"九龙坡区", 29.502, 106.511}}},
    };
    return list;
}

struct Syllable {
    const char* hanzi;
    const char* pinyin;
};

constexpr Syllable kSurnames[] = {
    {"王", "wang"}, {"李", "li"},    {"张", "zhang"}, {"刘", "liu"},   {"陈", "chen"}, {"杨", "yang"},
    {"黄", "huang"}, {"赵", "zhao"},  {"吴", "wu"},    {"周", "zhou"},  {"徐", "xu"},   {"孙", "sun"},
    {"马", "ma"},   {"朱", "zhu"},   {"胡", "hu"},    {"郭", "guo"},   {"何", "he"},   {"林", "lin"},
    {"高", "gao"},  {"罗", "luo"},   {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"},  {"宋", "song"},
    {"唐", "tang"}, {"韩", "han"},   {"冯", "feng"},  {"邓", "deng"},  {"曹", "cao"},  {"彭", "peng"},
};

constexpr Syllable kGivenNames[] = {
    {"娜", "na"},       {"强", "qiang"},     {"伟", "wei"},     {"芳", "fang"},       {"敏", "min"},
    {"静", "jing"},     {"磊", "lei"},       {"洋", "yang"},    {"艳", "yan"},        {"勇", "yong"},
    {"军", "jun"},      {"杰", "jie"},       {"娟", "juan"},    {"涛", "tao"},        {"明", "ming"},
    {"超", "chao"},     {"秀英", "xiuying"}, {"丽", "li"},      {"华", "hua"},        {"平", "ping"},
    {"刚", "gang"},     {"桂英", "guiying"}, {"建华", "jianhua"}, {"晓东", "xiaodong"}, {"海燕", "haiyan"},
    {"志强", "zhiqiang"}, {"婷", "ting"},     {"鹏", "peng"},    {"辉", "hui"},        {"玲", "ling"},
    {"欣怡", "xinyi"},  {"子涵", "zihan"},   {"浩然", "haoran"}, {"宇轩", "yuxuan"},   {"思雨", "siyu"},
    {"俊杰", "junjie"}, {"佳琪", "jiaqi"},   {"文博", "wenbo"},  {"雨桐", "yutong"},   {"立新", "lixin"},
};

constexpr Syllable kBrandChars[] = {
    {"昭", "zhao"},  {"智", "zhi"},   {"华", "hua"},   {"信", "xin"},   {"博", "bo"},   {"瑞", "rui"},
    {"恒", "heng"},  {"泰", "tai"},   {"鑫", "xin"},   {"源", "yuan"},  {"康", "kang"}, {"达", "da"},
    {"宏", "hong"},  {"远", "yuan"},  {"嘉", "jia"},   {"盛", "sheng"}, {"联", "lian"}, {"创", "chuang"},
    {"新", "xin"},   {"科", "ke"},    {"海", "hai"},   {"天", "tian"},  {"中", "zhong"}, {"金", "jin"},
    {"安", "an"},    {"永", "yong"},  {"佳", "jia"},   {"德", "de"},    {"丰", "feng"}, {"明", "ming"},
    {"星", "xing"},  {"辰", "chen"},  {"锦", "jin"},   {"润", "run"},   {"通", "tong"}, {"和", "he"},
    {"益", "yi"},    {"诚", "cheng"}, {"优", "you"},   {"睿", "rui"},   {"晨", "chen"}, {"卓", "zhuo"},
    {"越", "yue"},   {"汇", "hui"},   {"启", "qi"},    {"航", "hang"},  {"聚", "ju"},   {"灵", "ling"},
    {"万", "wan"},   {"凯", "kai"},
};

struct Industry {
    const char* label;  // customer.industry
    const char* inName; // in the company name
};

constexpr Industry kIndustries[] = {
    {"教育", "教育科技"},   {"医疗", "医疗器械"},   {"餐饮", "餐饮管理"},   {"零售", "商贸"},
    {"建材", "建材"},       {"信息技术", "信息技术"}, {"食品", "食品"},       {"物流", "物流"},
    {"家居", "家居"},       {"汽车", "汽车服务"},   {"生物医药", "生物科技"}, {"文化传媒", "文化传媒"},
    {"电子", "电子科技"},   {"环保", "环保科技"},   {"酒店", "酒店管理"},
};

constexpr const char* kStreets[] = {"学院路", "中山路", "人民路", "建设路", "解放路", "和平路", "新华路",
                                    "文化路", "长江路", "科技路", "创业路", "友谊路", "光华路", "东风路",
                                    "复兴路", "滨河路", "花园路", "振兴路", "迎宾大道", "金融街"};
constexpr const char* kSources[] = {"转介绍", "展会", "电话营销", "官网咨询", "地推", "老客户推荐", "招投标", "线上广告"};
constexpr const char* kTags[] = {"重点客户", "续约", "价格敏感", "新客户", "转介绍",
                                 "连锁",     "政府采购", "需回访", "大客户", "账期长"};
constexpr const char* kCustomerNotes[] = {
    "决策人是总经理，关注售后服务", "每月初下单，账期30天",       "对价格敏感，竞品报价低5%",
    "计划明年扩大采购",             "需要开增值税专用发票",       "仓库在郊区，送货需提前预约",
    "采购流程长，需走招标",         "老板是老客户介绍来的，信任度高",
};
constexpr const char* kTitles[] = {"总经理", "采购经理", "财务主管", "店长", "行政主管",
                                   "技术负责人", "董事长", "运营总监", "采购专员"};
constexpr const char* kVisitKinds[] = {"visit", "follow_up", "complaint", "delivery", "other"};
constexpr std::array<double, 5> kVisitKindWeights = {60, 25, 5, 8, 2};
constexpr const char* kPurposes[][5] = {
    {"产品介绍", "需求调研", "合同洽谈", "新品推广", "关系维护"},
    {"售后回访", "满意度回访", "催收回款", "续约沟通", "售后回访"},
    {"投诉处理", "投诉处理", "投诉处理", "投诉处理", "投诉处理"},
    {"送货上门", "安装调试", "送货上门", "安装调试", "送货上门"},
    {"市场调研", "市场调研", "市场调研", "市场调研", "市场调研"},
};
constexpr const char* kOutcomes[] = {"意向强", "待报价", "已下单", "需再跟进", "无意向", "已解决", "已签约"};
constexpr std::array<double, 7> kOutcomeWeights = {18, 16, 20, 24, 7, 10, 5};
constexpr const char* kVisitNotes[] = {
    "介绍了新品，客户要求下周报价",   "客户反映上批货包装破损，已拍照记录", "与采购经理确认了下季度需求",
    "送货完成，客户签收",             "客户暂无采购计划，保持联系",       "对方负责人出差，改约下周",
    "演示了系统，客户很感兴趣",       "催收上月货款，承诺月底付清",       "客户对服务满意，愿意转介绍",
    "竞品在接触客户，需尽快给出方案",
};
constexpr const char* kTaskTitles[] = {"发送报价单", "安排产品演示", "回访确认满意度", "催收货款",
                                       "续签合同",   "提交样品",     "确认发货时间",   "上门安装调试"};
constexpr const char* kComplaintChannels[] = {"phone", "visit", "wechat", "email", "other"};
constexpr const char* kComplaintTexts[] = {
    "送货延迟三天，影响门店销售", "发票信息错误，需要重开", "产品质量问题：包装破损",
    "售后响应慢，电话无人接听",   "价格与合同不符",         "安装师傅未按约定时间上门",
};
constexpr const char* kResolutions[] = {"已补发货物并致歉", "已重开发票", "已更换产品", "已安排专人对接售后",
                                        "已按合同价退还差额"};
constexpr const char* kSizes[] = {"micro", "small", "medium", "large", "enterprise"};
constexpr std::array<double, 5> kSizeWeights = {25, 35, 25, 10, 5};
constexpr double kSizeSales[] = {50'000, 200'000, 800'000, 3'000'000, 10'000'000};  // typical yuan per year
constexpr const char* kLifecycles[] = {"lead", "first_purchase", "repeat", "loyal", "churned"};
constexpr std::array<double, 5> kLifecycleWeights = {15, 20, 35, 20, 10};
constexpr double kLifecycleSales[] = {0, 0.5, 1.0, 1.5, 0.4};
// Chance of being in the public pool: leads and churned customers often are.
constexpr double kPoolShareLeads = 0.35, kPoolShareOthers = 0.07;

// Row ids: UUIDv7 text, from the row's own time and the stream's random bits.
std::string rowId(Rng& rng, int64_t unixMillis)
{
    uint8_t b[16];
    uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(unixMillis, 0));
    for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
    uint64_t r1 = rng.next(), r2 = rng.next();
    for (int i = 6; i < 16; ++i) b[i] = static_cast<uint8_t>((i < 11 ? r1 : r2) >> (8 * (i % 8)));
    b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0f));
    b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3f));
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
        s += hex[b[i] >> 4];
        s += hex[b[i] & 0xf];
    }
    return s;
}

std::string digits(Rng& rng, int n)
{
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng.below(10));
    return s;
}

std::string mobile(Rng& rng)
{
    return "1" + std::string(1, static_cast<char>('3' + rng.below(7))) + digits(rng, 9);
}

double round6(double x) { return std::round(x * 1e6) / 1e6; }

// A point `metres` away from (lat, lng) in a random direction.
std::pair<double, double> offset(Rng& rng, double lat, double lng, double metres)
{
    constexpr double kPi = 3.14159265358979323846;
    double angle = rng.uniform(0, 2 * kPi);
    double dLat = metres * std::cos(angle) / 111'320.0;
    double dLng = metres * std::sin(angle) / (111'320.0 * std::cos(lat * kPi / 180));
    return {round6(lat + dLat), round6(lng + dLng)};
}

// Great-circle distance in metres (haversine), as a rep's app shows it.
double distanceMetres(double lat1, double lng1, double lat2, double lng2)
{
    constexpr double kPi = 3.14159265358979323846, kEarth = 6'371'000.0;
    auto rad = [&](double d) { return d * kPi / 180; };
    double a = std::pow(std::sin(rad(lat2 - lat1) / 2), 2)
        + std::cos(rad(lat1)) * std::cos(rad(lat2)) * std::pow(std::sin(rad(lng2 - lng1) / 2), 2);
    return 2 * kEarth * std::asin(std::sqrt(a));
}

// A working moment (09:00-18:00 Beijing time) of a day `daysBefore` days
// before `today`; weekends are mostly avoided.
int64_t workingMoment(Rng& rng, int64_t today, int64_t maxDaysBefore)
{
    int64_t day = today - rng.range(1, maxDaysBefore) * kDay;
    for (int i = 0; i < 3; ++i) {
        int64_t weekday = ((day + kBeijingOffset) / kDay + 4) % 7;  // 1970-01-01 was a Thursday: 0 = Sunday
        if ((weekday != 0 && weekday != 6) || rng.chance(0.2)) break;
        day = today - rng.range(1, maxDaysBefore) * kDay;
    }
    return day + 9 * kHour + rng.range(0, 9 * 60 - 1) * kMinute + rng.range(0, 59) * 1000;
}

// What the generator remembers of a customer between the passes (compact:
// a million customers fit in tens of megabytes).
struct CustomerFacts {
    std::string id;
    int64_t created = 0;
    double lat = 0, lng = 0;
    double sales = 0;  // 0: none (a lead)
    int team = 0;
    int owner = -1;    // index in DemoCompany::users(); -1: public pool
    uint8_t city = 0, district = 0, size = 0, lifecycle = 0;
    char abc = 'C';    // class by cumulative sales
    char level = 'D';
    bool archived = false;
};

// Builds one record: every field of one row in one write.
class RecordBuilder {
public:
    RecordBuilder(const EntityDef& entity, std::string id) : m_entity(entity)
    {
        m_record.entity = entity.code;
        m_record.id = std::move(id);
    }
    RecordBuilder& set(std::string_view field, crdt::Value value)
    {
        m_record.writes.push_back({index(field), std::move(value), 0});
        return *this;
    }
    RecordBuilder& stage(std::string_view field, std::string stage)
    {
        m_record.writes.push_back({index(field), std::move(stage), 0});
        return *this;
    }
    RecordBuilder& tag(std::string_view field, std::string element)
    {
        m_record.setOps.push_back({index(field), std::move(element), false, {}});
        return *this;
    }
    ChangeRecord take() { return std::move(m_record); }

private:
    int index(std::string_view field) const
    {
        const auto* f = m_entity.field(field);
        if (!f) throw std::logic_error("demo company: no field " + m_entity.name + "." + std::string(field));
        return f->index;
    }
    const EntityDef& m_entity;
    ChangeRecord m_record;
};

// Stamps records with consecutive clocks and hands them over in batches.
class Emitter {
public:
    Emitter(const crdt::DeviceId& device, crdt::Hlc base, size_t batchSize, const DemoCompany::Sink& sink)
        : m_device(device), m_next(base), m_batchSize(std::max<size_t>(batchSize, 1)), m_sink(sink)
    {
        m_batch.reserve(std::min<size_t>(m_batchSize, 4096));
    }
    void emit(ChangeRecord record)
    {
        record.clock = {++m_next, m_device};
        m_batch.push_back(std::move(record));
        if (m_batch.size() >= m_batchSize) flush();
    }
    void flush()
    {
        if (m_batch.empty()) return;
        m_sink(m_batch);
        m_batch.clear();
    }

private:
    crdt::DeviceId m_device;
    crdt::Hlc m_next;
    size_t m_batchSize;
    const DemoCompany::Sink& m_sink;
    std::vector<ChangeRecord> m_batch;
};

struct Person {
    std::string display, login;
};

Person person(Rng& rng)
{
    const auto& s = rng.pick(kSurnames);
    const auto& g = rng.pick(kGivenNames);
    return {std::string(s.hanzi) + g.hanzi, std::string(s.pinyin) + g.pinyin};
}

} // namespace

int64_t beijingMidnight(int64_t unixMillis)
{
    int64_t local = unixMillis + kBeijingOffset;
    int64_t day = local / kDay - (local % kDay < 0 ? 1 : 0);
    return day * kDay - kBeijingOffset;
}

Result<DemoCompany> DemoCompany::make(const DemoOptions& options)
{
    if (options.reps < 1 || options.reps > DemoOptions::kMaxReps)
        return invalidArgument("reps must be from 1 to " + std::to_string(DemoOptions::kMaxReps));
    if (options.customers < 0 || options.customers > DemoOptions::kMaxCustomers)
        return invalidArgument("customers must be from 0 to " + std::to_string(DemoOptions::kMaxCustomers));
    if (options.visits < 0 || options.visits > DemoOptions::kMaxVisits)
        return invalidArgument("visits must be from 0 to " + std::to_string(DemoOptions::kMaxVisits));
    if (options.visits > 0 && options.customers == 0) return invalidArgument("visits need at least one customer");
    if (options.today <= 0) return invalidArgument("today must be a day after 1970-01-01");

    DemoCompany company;
    company.m_options = options;
    company.m_options.today = beijingMidnight(options.today);

    Rng device(options.seed, kDevice);
    for (size_t i = 0; i < 16; i += 8) {
        uint64_t bits = device.next();
        for (size_t j = 0; j < 8; ++j) company.m_device.bytes[i + j] = static_cast<uint8_t>(bits >> (8 * j));
    }

    Rng rng(options.seed, kPeople);
    std::unordered_set<std::string> logins{"admin"};
    auto uniqueLogin = [&](const std::string& base) {
        std::string name = base;
        for (int n = 2; !logins.insert(name).second; ++n) name = base + std::to_string(n);
        return name;
    };
    company.m_users.push_back({"admin", "系统管理员", Role::Admin, "", "demo-admin"});
    const int teams = (options.reps + kRepsPerTeam - 1) / kRepsPerTeam;
    const auto& cityList = cities();
    for (int t = 0; t < teams; ++t) {
        const City& city = cityList[static_cast<size_t>(t) % cityList.size()];
        std::string name = city.pinyin;
        if (t >= static_cast<int>(cityList.size())) name += "-" + std::to_string(t / cityList.size() + 1);
        // Even team sizes: the first (reps % teams) teams get one more.
        int size = options.reps / teams + (t < options.reps % teams ? 1 : 0);
        Person m = person(rng);
        std::string manager = uniqueLogin(m.login);
        company.m_teams.push_back({name, city.name, manager});
        company.m_users.push_back({manager, m.display, Role::Manager, name, "demo-" + manager});
        for (int r = 0; r < size; ++r) {
            Person p = person(rng);
            std::string login = uniqueLogin(p.login);
            company.m_users.push_back({login, p.display, Role::Rep, name, "demo-" + login});
        }
    }
    return company;
}

DemoCounts DemoCompany::generate(size_t batchSize, const Sink& sink) const
{
    const auto& schema = schema::fieldsyncSchema();
    const auto& customerEntity = *schema.entity("customer");
    const auto& contactEntity = *schema.entity("contact");
    const auto& visitEntity = *schema.entity("visit");
    const auto& taskEntity = *schema.entity("task");
    const auto& complaintEntity = *schema.entity("complaint");
    const auto& cityList = cities();
    const int64_t today = m_options.today;
    const uint64_t seed = m_options.seed;
    DemoCounts counts;
    Emitter out(m_device, crdt::hlcFromMillis(today), batchSize, sink);

    // Who is in which team, by index in m_users.
    std::vector<std::vector<int>> teamReps(m_teams.size());
    std::vector<int> teamManager(m_teams.size(), 0);
    std::unordered_map<std::string, size_t> teamIndex;
    for (size_t t = 0; t < m_teams.size(); ++t) teamIndex[m_teams[t].name] = t;
    for (size_t u = 0; u < m_users.size(); ++u) {
        const auto& user = m_users[u];
        if (user.team.empty()) continue;
        size_t t = teamIndex.at(user.team);
        if (user.role == Role::Rep) teamReps[t].push_back(static_cast<int>(u));
        else teamManager[t] = static_cast<int>(u);
    }

    // Pass 1: the facts of every customer (team, place, size, sales, owner).
    std::vector<CustomerFacts> customers(static_cast<size_t>(m_options.customers));
    {
        Rng rng(seed, kCustomerFacts);
        // Customers per team in proportion to its reps.
        std::vector<size_t> teamSlots;
        for (size_t t = 0; t < m_teams.size(); ++t)
            for (size_t r = 0; r < teamReps[t].size(); ++r) teamSlots.push_back(t);
        for (size_t i = 0; i < customers.size(); ++i) {
            auto& c = customers[i];
            c.team = static_cast<int>(rng.pick(teamSlots));
            c.city = static_cast<uint8_t>(static_cast<size_t>(c.team) % cityList.size());
            const City& city = cityList[c.city];
            c.district = static_cast<uint8_t>(rng.below(city.districts.size()));
            const District& d = city.districts[c.district];
            // Spread around the district centre, denser near it.
            std::tie(c.lat, c.lng) = offset(rng, d.lat, d.lng, 3000 * std::sqrt(rng.unit()));
            c.created = today - rng.range(30, 1500) * kDay + rng.range(0, kDay - 1);
            c.id = rowId(rng, c.created);
            c.size = static_cast<uint8_t>(rng.weighted(kSizeWeights));
            c.lifecycle = static_cast<uint8_t>(rng.weighted(kLifecycleWeights));
            // Pareto(alpha 1.3) around the size's typical sales: a few
            // customers carry most of the sales, as ABC analysis expects.
            double pareto = std::min(std::pow(1 - rng.unit(), -1 / 1.3), 40.0);
            double sales = kSizeSales[c.size] * kLifecycleSales[c.lifecycle] * 0.3 * pareto * rng.uniform(0.7, 1.3);
            c.sales = std::round(sales / 100) * 100;
            // The first few customers are always owned, so visits have somewhere to go.
            bool pool = i >= m_teams.size()
                && rng.chance(c.lifecycle == 0 || c.lifecycle == 4 ? kPoolShareLeads : kPoolShareOthers);
            // Drawn either way: one customer's draws never shift the next one's.
            const auto& reps = teamReps[static_cast<size_t>(c.team)];
            int rep = reps[rng.below(reps.size())];
            c.owner = pool ? -1 : rep;
            c.archived = rng.chance(0.01);
        }
        // ABC by cumulative sales: A up to 75 %, B up to 95 %, C the rest.
        std::vector<size_t> bySales;
        double total = 0;
        for (size_t i = 0; i < customers.size(); ++i)
            if (customers[i].sales > 0) {
                bySales.push_back(i);
                total += customers[i].sales;
            }
        std::stable_sort(bySales.begin(), bySales.end(),
                         [&](size_t a, size_t b) { return customers[a].sales > customers[b].sales; });
        double running = 0;
        for (size_t i : bySales) {
            double before = running / total;
            running += customers[i].sales;
            customers[i].abc = before < 0.75 ? 'A' : before < 0.95 ? 'B' : 'C';
        }
    }

    // Pass 2: customer rows. The level is the rep's judgement: mostly the
    // ABC class, sometimes one off; leads and churned customers are D.
    {
        Rng rng(seed, kCustomerText);
        std::unordered_set<std::string> names;
        names.reserve(customers.size() * 2);
        for (auto& c : customers) {
            const City& city = cityList[c.city];
            const District& district = city.districts[c.district];
            const auto& industry = rng.pick(kIndustries);
            const char* suffix = "有限公司";
            if (c.size == 4) suffix = rng.chance(0.5) ? "集团有限公司" : "股份有限公司";
            else if (c.size == 3) suffix = rng.chance(0.4) ? "股份有限公司" : "有限公司";
            else if (rng.chance(0.2)) suffix = "有限责任公司";
            std::string name;
            for (int attempt = 0; attempt < 16 && (name.empty() || names.count(name)); ++attempt) {
                const auto& a = rng.pick(kBrandChars);
                const Syllable* b = &rng.pick(kBrandChars);
                while (b == &a) b = &rng.pick(kBrandChars);
                name = std::string(city.name) + a.hanzi + b->hanzi + industry.inName + suffix;
            }
            // A crowded market: branches are companies too.
            if (names.count(name)) {
                std::string base = name + district.name;
                name = base + "分公司";
                for (int n = 2; names.count(name); ++n) name = base + "第" + std::to_string(n) + "分公司";
            }
            names.insert(name);

            c.level = 'D';
            if (c.lifecycle != 0 && c.lifecycle != 4) {
                c.level = c.abc;
                double shift = rng.unit();
                if (shift < 0.08 && c.level != 'A') --c.level;
                else if (shift < 0.16 && c.level != 'C') ++c.level;
            }

            RecordBuilder r(customerEntity, c.id);
            r.set("name", name);
            r.set("phone", rng.chance(0.6) ? std::string(city.areaCode) + "-" + std::to_string(rng.range(5, 8)) + digits(rng, 7)
                                           : mobile(rng));
            std::string address = std::string(city.name) + "市" + district.name + rng.pick(kStreets)
                + std::to_string(rng.range(1, 300)) + "号";
            if (rng.chance(0.4)) address += std::to_string(rng.range(1, 12)) + "号楼" + std::to_string(rng.range(1, 28))
                    + "0" + std::to_string(rng.range(1, 9)) + "室";
            r.set("address", address);
            r.set("lat", c.lat).set("lng", c.lng);
            r.set("region", std::string(city.name) + "市" + district.name);
            r.set("industry", std::string(industry.label));
            r.set("size", std::string(kSizes[c.size]));
            r.set("level", std::string(1, c.level));
            r.set("lifecycle", std::string(kLifecycles[c.lifecycle]));
            r.set("source", std::string(rng.pick(kSources)));
            if (c.sales > 0) r.set("annual_sales", c.sales);
            if (c.owner >= 0) r.set("owner", m_users[static_cast<size_t>(c.owner)].name);
            if (rng.chance(0.3)) r.set("notes", std::string(rng.pick(kCustomerNotes)));
            if (c.archived) r.set("archived", true);
            std::vector<const char*> tags;
            if (c.level == 'A') tags.push_back("重点客户");
            for (int n = static_cast<int>(rng.below(3)); n > 0; --n) {
                const char* t = rng.pick(kTags);
                if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
            }
            for (const char* t : tags) r.tag("tags", t);
            out.emit(r.take());
            ++counts.customers;
            if (c.owner < 0) ++counts.pool;
        }
    }

    // Contacts: 1-3 per customer, the first one primary.
    {
        Rng rng(seed, kContacts);
        for (const auto& c : customers) {
            int n = 1 + static_cast<int>(rng.weighted(std::array<double, 3>{50, 35, 15}));
            for (int k = 0; k < n; ++k) {
                const auto& s = rng.pick(kSurnames);
                const auto& g = rng.pick(kGivenNames);
                RecordBuilder r(contactEntity, rowId(rng, c.created + k));
                r.set("customer", c.id);
                r.set("name", std::string(s.hanzi) + g.hanzi);
                const char* title = rng.pick(kTitles);
                r.set("title", std::string(k == 0 && c.size >= 3 ? "采购经理" : title));
                r.set("phone", mobile(rng));
                if (rng.chance(0.5))
                    r.set("email", std::string(g.pinyin) + "." + s.pinyin + "@" + rng.pick(kBrandChars).pinyin
                                       + rng.pick(kBrandChars).pinyin + (rng.chance(0.7) ? ".com" : ".cn"));
                if (rng.chance(0.3)) {
                    char birthday[16];
                    std::snprintf(birthday, sizeof birthday, "%04d-%02d-%02d", static_cast<int>(rng.range(1960, 1998)),
                                  static_cast<int>(rng.range(1, 12)), static_cast<int>(rng.range(1, 28)));
                    r.set("birthday", std::string(birthday));
                }
                r.set("is_primary", k == 0);
                out.emit(r.take());
                ++counts.contacts;
            }
        }
    }

    // Visits: to owned customers, by their owner, A more often than D.
    std::vector<std::string> lastVisit(customers.size());
    std::vector<size_t> owned;
    std::vector<double> cumulative;
    for (size_t i = 0; i < customers.size(); ++i) {
        if (customers[i].owner < 0) continue;
        static constexpr double kLevelWeight[] = {8, 4, 2, 1};
        owned.push_back(i);
        cumulative.push_back((cumulative.empty() ? 0 : cumulative.back()) + kLevelWeight[customers[i].level - 'A']);
    }
    auto pickOwned = [&](Rng& rng) {
        double x = rng.unit() * cumulative.back();
        size_t k = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
        return owned[std::min(k, owned.size() - 1)];
    };
    {
        Rng rng(seed, kVisits);
        // Evidence of check-ins on a stream of its own, so the rest of the
        // company is the same as before it existed: a few clocks off by
        // 10-90 minutes, a few stays too short to be a visit.
        Rng evidence(seed, kEvidence);
        const int planned = m_options.visits / 20;
        for (int v = 0; v < m_options.visits; ++v) {
            size_t ci = pickOwned(rng);
            const auto& c = customers[ci];
            size_t kind = rng.weighted(kVisitKindWeights);
            if (v < planned) {
                int64_t at = today + rng.range(0, 6) * kDay + rng.range(18, 34) * 30 * kMinute;
                RecordBuilder r(visitEntity, rowId(rng, at));
                r.set("customer", c.id).set("rep", m_users[static_cast<size_t>(c.owner)].name);
                r.set("kind", std::string(kVisitKinds[kind])).set("planned_at", at);
                r.set("purpose", std::string(kPurposes[kind][rng.below(5)]));
                r.stage("status", "planned");
                out.emit(r.take());
                ++counts.visits;
                continue;
            }
            int64_t at = workingMoment(rng, today, 120);
            std::string id = rowId(rng, at);
            RecordBuilder r(visitEntity, id);
            r.set("customer", c.id).set("rep", m_users[static_cast<size_t>(c.owner)].name);
            r.set("kind", std::string(kVisitKinds[kind]));
            if (rng.chance(0.4)) r.set("planned_at", at - at % (30 * kMinute));
            r.set("checkin_at", at);
            const bool clockOff = evidence.chance(0.03), shortStay = evidence.chance(0.03);
            const int64_t clockError = evidence.range(10, 90) * kMinute;
            r.set("checkin_device_at", clockOff ? at - clockError : at);
            double where = rng.unit();
            std::optional<std::pair<double, double>> place;
            if (where < 0.85) place = offset(rng, c.lat, c.lng, rng.uniform(10, 300));         // at the customer
            else if (where < 0.92) place = offset(rng, c.lat, c.lng, rng.uniform(2000, 15000)); // far away
            if (place) {
                r.set("checkin_lat", place->first).set("checkin_lng", place->second);
                r.set("checkin_accuracy", std::round(rng.uniform(5, where < 0.85 ? 30 : 80)));
                r.set("distance_m", std::round(distanceMetres(c.lat, c.lng, place->first, place->second)));
            }
            if (rng.chance(0.8)) {
                const int64_t stay = rng.range(15, 120) * kMinute;
                r.set("checkout_at", at + (shortStay ? 2 * kMinute : stay));
                if (place) {
                    auto leave = offset(rng, place->first, place->second, rng.uniform(0, 50));
                    r.set("checkout_lat", leave.first).set("checkout_lng", leave.second);
                }
            }
            r.set("purpose", std::string(kPurposes[kind][rng.below(5)]));
            if (rng.chance(0.7)) r.set("notes", std::string(rng.pick(kVisitNotes)));
            size_t outcome = rng.weighted(kOutcomeWeights);
            r.set("outcome", std::string(kOutcomes[outcome]));
            if (rng.chance(0.75))
                r.set("satisfaction", static_cast<int64_t>(5 - rng.weighted(std::array<double, 5>{35, 35, 18, 8, 4})));
            if (rng.chance(0.5)) r.set("next_follow_up", beijingMidnight(at) + rng.range(7, 30) * kDay + 10 * kHour);
            if (outcome == 2 || outcome == 6) {
                double amount = c.sales > 0 ? c.sales / static_cast<double>(rng.range(6, 24)) : rng.uniform(2000, 20000);
                r.set("order_amount", std::round(amount / 10) * 10);
            }
            r.stage("status", "completed");
            if (rng.chance(0.01)) r.set("voided", true).set("void_reason", std::string("重复录入"));
            out.emit(r.take());
            ++counts.visits;
            lastVisit[ci] = std::move(id);
        }
    }

    // Follow-up tasks for owners, due around today.
    if (!owned.empty()) {
        Rng rng(seed, kTasks);
        for (int t = 0; t < m_options.customers / 2; ++t) {
            size_t ci = pickOwned(rng);
            const auto& c = customers[ci];
            int64_t due = today + rng.range(-14, 21) * kDay + 18 * kHour;
            RecordBuilder r(taskEntity, rowId(rng, due - 14 * kDay));
            r.set("customer", c.id).set("assignee", m_users[static_cast<size_t>(c.owner)].name);
            r.set("due", due).set("title", std::string(rng.pick(kTaskTitles)));
            r.stage("status", rng.chance(due < today ? 0.6 : 0.1) ? "done" : "open");
            if (!lastVisit[ci].empty() && rng.chance(0.6)) r.set("origin_visit", lastVisit[ci]);
            out.emit(r.take());
            ++counts.tasks;
        }
    }

    // Complaints in every stage of handling.
    if (!owned.empty()) {
        Rng rng(seed, kComplaints);
        static constexpr const char* kStages[] = {"received", "investigating", "answered", "followed_up"};
        for (int k = 0; k < m_options.customers / 15; ++k) {
            size_t ci = pickOwned(rng);
            const auto& c = customers[ci];
            int64_t at = workingMoment(rng, today, 60);
            RecordBuilder r(complaintEntity, rowId(rng, at));
            r.set("customer", c.id).set("received_at", at);
            r.set("channel", std::string(rng.pick(kComplaintChannels)));
            r.set("description", std::string(rng.pick(kComplaintTexts)));
            static constexpr const char* kSeverities[] = {"low", "medium", "high"};
            r.set("severity", std::string(kSeverities[rng.weighted(std::array<double, 3>{40, 40, 20})]));
            int handler = rng.chance(0.7) ? c.owner : teamManager[static_cast<size_t>(c.team)];
            r.set("handler", m_users[static_cast<size_t>(handler)].name);
            size_t stage = rng.below(4);
            r.stage("status", kStages[stage]);
            if (stage >= 2) r.set("resolution", std::string(rng.pick(kResolutions)));
            if (stage == 3)
                r.set("satisfaction_after", static_cast<int64_t>(5 - rng.weighted(std::array<double, 5>{30, 40, 20, 7, 3})));
            out.emit(r.take());
            ++counts.complaints;
        }
    }
    out.flush();
    return counts;
}

std::vector<ChangeRecord> DemoCompany::records() const
{
    std::vector<ChangeRecord> all;
    generate(4096, [&](std::span<const ChangeRecord> batch) { all.insert(all.end(), batch.begin(), batch.end()); });
    return all;
}

} // namespace fieldsync::domain
