#include "ActivityFixture.h"

#include "domain/Export.h"
#include "domain/Visits.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fieldsync::domain::test {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class Export : public ActivityTest {
protected:
    Export()
    {
        std::string pattern = (fs::temp_directory_path() / "fieldsync-export-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed";
        m_dir = pattern;
    }
    ~Export() override
    {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }
    size_t filesInDir() const
    {
        return static_cast<size_t>(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()));
    }

    fs::path m_dir;
};

TEST(Csv, Rfc4180Quoting)
{
    EXPECT_EQ(csvField("plain 文本"), "plain 文本");
    EXPECT_EQ(csvField("a,b"), "\"a,b\"");
    EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csvField("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(csvField(""), "");
}

TEST_F(Export, VisitsByteForByte)
{
    std::string shop = customer({.name = "北京昭智教育", .level = "A", .lat = 39.9, .lng = 116.4});
    std::string id = planVisit(*m_r, {.customer = shop, .plannedAt = beijing(2026, 11, 22, 9), .purpose = "季度回访",
                                      .rep = "lina"})
                         .value();
    ASSERT_TRUE(checkIn(*m_r, id, {.at = beijing(2026, 11, 22, 9, 5), .lat = 39.9045, .lng = 116.4}).ok());
    ASSERT_TRUE(checkOut(*m_r, id,
                         {.at = beijing(2026, 11, 22, 10), .outcome = "=1+1", .notes = "说明: \"急\", 需要\n回电",
                          .satisfaction = 4, .orderAmount = 12800.5})
                    .ok());
    // Outside the range, and voided inside it: neither is exported.
    visited(shop, beijing(2026, 11, 21, 23, 59));
    std::string voided = visited(shop, beijing(2026, 11, 22, 12));
    signIn("wangqiang", "manager");
    ASSERT_TRUE(voidVisit(*m_r, voided, "重复").ok());

    const std::string expected =
        "\xEF\xBB\xBF"
        "visit_id,customer_id,customer,rep,kind,status,planned_at,checkin_at,checkout_at,checkin_lat,checkin_lng,"
        "distance_m,flags,purpose,outcome,satisfaction,order_amount,next_follow_up,notes,verdict,verdict_reasons,"
        "checkin_device_time,checkin_received_at\r\n"
        + id + "," + shop
        + ",北京昭智教育,lina,visit,completed,2026-11-22 09:00,2026-11-22 09:05,2026-11-22 10:00,39.9045,116.4,"
          "500.38,far,季度回访,'=1+1,4,12800.5,,\"说明: \"\"急\"\", 需要\n回电\","
          // Not synced: the device's own verdict; the clock was right.
          "suspicious (provisional),far,2026-11-22 09:05,\r\n";
    ExportRange range{beijing(2026, 11, 22), beijing(2026, 11, 23)};
    EXPECT_EQ(visitsCsv(*m_r, m_time, range), expected);

    const fs::path out = m_dir / "visits.csv";
    auto result = exportVisits(*m_r, m_time, range, out.string(), false);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->rows, 1u);
    EXPECT_EQ(result->bytes, expected.size());
    EXPECT_EQ(readFile(out), expected);
    EXPECT_EQ(filesInDir(), 1u);  // no temporary file left behind
}

TEST_F(Export, CustomersInARange)
{
    std::string a = customer({.name = "Comma, Inc", .level = "B", .sales = 1234.567, .lifecycle = "repeat"});
    replica::Write phone;
    phone.set("phone", std::string("+86 138 0000 0000"));
    ASSERT_TRUE(m_r->update("customer", a, phone).ok());
    std::string b = customer({.name = "华联", .level = "A", .owner = "lina"});
    std::string never = customer({.name = "没拜访过"});
    customer({.name = "已归档", .archived = true});
    visited(a, beijing(2026, 11, 3, 9));
    visited(a, beijing(2026, 11, 20, 15, 30));
    visited(b, beijing(2026, 10, 20, 9));

    const std::string header = "\xEF\xBB\xBF"
                               "customer_id,name,level,lifecycle,owner,region,phone,annual_sales,last_visit,"
                               "visits_in_range\r\n";
    EXPECT_EQ(customersCsv(*m_r, m_time, {beijing(2026, 11, 1), beijing(2026, 12, 1)}),
              header + a + ",\"Comma, Inc\",B,repeat,,,'+86 138 0000 0000,1234.57,2026-11-20 15:30,2\r\n");
    // Without a range: every customer not archived, by name.
    EXPECT_EQ(customersCsv(*m_r, m_time, {}),
              header + a + ",\"Comma, Inc\",B,repeat,,,'+86 138 0000 0000,1234.57,2026-11-20 15:30,2\r\n" + b
                  + ",华联,A,,lina,,,,2026-10-20 09:00,1\r\n" + never + ",没拜访过,,,,,,,,0\r\n");
}

TEST_F(Export, RefusesToOverwriteUnlessForced)
{
    customer({.name = "客户"});
    const fs::path out = m_dir / "customers.csv";
    {
        std::ofstream existing(out, std::ios::binary);
        existing << "keep me";
    }
    auto refused = exportCustomers(*m_r, m_time, {}, out.string(), false);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(refused.error().message, out.string() + " already exists (--force overwrites it)");
    EXPECT_EQ(readFile(out), "keep me");
    EXPECT_EQ(filesInDir(), 1u);

    auto forced = exportCustomers(*m_r, m_time, {}, out.string(), true);
    ASSERT_TRUE(forced.ok());
    EXPECT_EQ(forced->rows, 1u);
    EXPECT_EQ(readFile(out).substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(filesInDir(), 1u);
}

TEST_F(Export, UnwritableTargetLeavesNothing)
{
    const fs::path out = m_dir / "missing-dir" / "visits.csv";
    auto failed = exportVisits(*m_r, m_time, {}, out.string(), false);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, ErrorCode::Unavailable);
    EXPECT_EQ(filesInDir(), 0u);
    EXPECT_EQ(exportVisits(*m_r, m_time, {}, "", false).error().code, ErrorCode::InvalidArgument);
}

} // namespace
} // namespace fieldsync::domain::test
