#include "ActivityFixture.h"

#include "domain/Complaints.h"

namespace fieldsync::domain::test {
namespace {

class Complaints : public ActivityTest {
protected:
    std::string m_shop = customer({.name = "华联超市", .level = "B"});

    std::string received(int64_t at)
    {
        return addComplaint(*m_r, {.customer = m_shop, .receivedAt = at, .channel = "phone", .severity = "high",
                                   .description = "送货晚了三天"})
            .value();
    }
    Complaint reload(const std::string& id) { return findComplaint(*m_r, id).value(); }
};

TEST_F(Complaints, StagesMoveForwardOnly)
{
    std::string id = received(beijing(2026, 11, 20, 9));
    EXPECT_EQ(reload(id).status, "received");
    ASSERT_TRUE(moveComplaint(*m_r, id, {.stage = "investigating", .handler = "wangqiang"}).ok());
    EXPECT_EQ(reload(id).handler, "wangqiang");

    // Answering needs a resolution.
    auto noResolution = moveComplaint(*m_r, id, {.stage = "answered"});
    EXPECT_EQ(noResolution.error().message, "an answered complaint needs a resolution");
    EXPECT_EQ(reload(id).status, "investigating");
    ASSERT_TRUE(moveComplaint(*m_r, id, {.stage = "answered", .resolution = "补发并赔偿运费"}).ok());

    auto back = moveComplaint(*m_r, id, {.stage = "investigating"});
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::FailedPrecondition);
    EXPECT_EQ(back.error().message,
              "complaint " + id + " is answered: a complaint only moves forward (reopen it to start over)");
    EXPECT_EQ(moveComplaint(*m_r, id, {.stage = "answered"}).error().message, "complaint " + id + " is already answered");
    EXPECT_EQ(moveComplaint(*m_r, id, {.stage = "closed"}).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(moveComplaint(*m_r, id, {.stage = "followed_up", .satisfactionAfter = 0}).error().code,
              ErrorCode::InvalidArgument);
    ASSERT_TRUE(moveComplaint(*m_r, id, {.stage = "followed_up", .satisfactionAfter = 4}).ok());
    Complaint c = reload(id);
    EXPECT_EQ(c.status, "followed_up");
    EXPECT_EQ(c.satisfactionAfter, 4);
    EXPECT_EQ(c.resolution, "补发并赔偿运费");
    EXPECT_FALSE(c.open());
}

TEST_F(Complaints, ReopenBumpsTheGeneration)
{
    std::string id = received(beijing(2026, 11, 20, 9));
    ASSERT_TRUE(moveComplaint(*m_r, id, {.stage = "answered", .resolution = "已退款"}).ok());
    const int64_t before = reload(id).generation;
    ASSERT_TRUE(reopenComplaint(*m_r, id).ok());
    Complaint c = reload(id);
    EXPECT_EQ(c.status, "received");
    EXPECT_EQ(c.generation, before + 1);
    EXPECT_TRUE(c.open());
    // In the new round the stages move forward again; the old resolution stays.
    ASSERT_TRUE(moveComplaint(*m_r, id, {.stage = "answered"}).ok());
}

TEST_F(Complaints, OpenByAge)
{
    std::string old = received(beijing(2026, 11, 1, 9));
    std::string recent = received(beijing(2026, 11, 21, 23, 30));  // yesterday in Beijing
    std::string closed = received(beijing(2026, 10, 1, 9));
    ASSERT_TRUE(moveComplaint(*m_r, closed, {.stage = "followed_up", .resolution = "ok"}).ok());
    std::string voided = received(beijing(2026, 9, 1, 9));
    ASSERT_TRUE(m_r->update("complaint", voided, replica::Write().set("voided", true)).ok());

    auto open = openComplaintsByAge(*m_r, m_time);
    ASSERT_EQ(open.size(), 2u);
    EXPECT_EQ(open[0].complaint.id, old);
    EXPECT_EQ(open[0].ageDays, 21);
    EXPECT_EQ(open[1].complaint.id, recent);
    EXPECT_EQ(open[1].ageDays, 1);
    EXPECT_EQ(listComplaints(*m_r, false).size(), 3u);
    EXPECT_EQ(moveComplaint(*m_r, voided, {.stage = "investigating"}).error().code, ErrorCode::FailedPrecondition);
}

TEST_F(Complaints, BadInput)
{
    EXPECT_EQ(addComplaint(*m_r, {.customer = "nope", .receivedAt = m_now}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(addComplaint(*m_r, {.customer = m_shop, .receivedAt = 0}).error().code, ErrorCode::InvalidArgument);
    auto badChannel = addComplaint(*m_r, {.customer = m_shop, .receivedAt = m_now, .channel = "fax"});
    EXPECT_EQ(badChannel.error().code, ErrorCode::InvalidArgument);
    EXPECT_TRUE(listComplaints(*m_r, false).empty());
    EXPECT_EQ(moveComplaint(*m_r, "nope", {.stage = "answered"}).error().code, ErrorCode::NotFound);
}

} // namespace
} // namespace fieldsync::domain::test
