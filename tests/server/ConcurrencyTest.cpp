// Pushes and pulls at the same time, as the network threads make them: pulls
// are served by read-only hub connections while pushes merge (SyncApi.h). A
// puller must end with every position exactly once and in order — never one
// skipped because it committed while the pull was reading, never one twice.
// The same hunt with two server instances on one store (two processes behind
// one address, each with its own connections): every request goes to the
// instance the round picks, so a pull on one instance races pushes merged by
// the other — the case a global sequence assigned outside the writer lock
// would get wrong (docs/scale-out.md).
#include "ServerTestSupport.h"

#include <atomic>
#include <thread>

namespace fieldsync::server::test {
namespace {

class ConcurrencyTest : public ServerFixture {
protected:
    void hunt(SyncApi& one, SyncApi& two);
};

TEST_F(ConcurrencyTest, PullersRacingPushersSeeEveryPositionExactlyOnceInOrder)
{
    hunt(*api, *api);
}

TEST_F(ConcurrencyTest, TwoInstancesOnOneStoreLoseAndRepeatNothing)
{
    auto second = secondInstance();
    hunt(*api, *second->api);
    EXPECT_EQ(second->hub->dump().dump(), hub->dump().dump()) << "both instances read the same state";
}

// Pushers and pullers alternate between instances one and two, round by round.
void ConcurrencyTest::hunt(SyncApi& one, SyncApi& two)
{
    struct Pusher {
        Device* device;
        std::string owner;
    };
    std::vector<Pusher> pushers = {{&signedIn("lina-phone", "lina"), "lina"},
                                   {&signedIn("wang-phone", "wang"), "wang"},
                                   {&signedIn("zhang-tablet", "zhang"), "zhang"}};
    Device& adminPuller = signedIn("admin-desktop", "admin");
    Device& managerPuller = signedIn("zhang-desktop", "zhang");
    const int rounds = 25;

    std::atomic<int> running{static_cast<int>(pushers.size())};
    std::vector<std::thread> threads;
    for (auto& p : pushers) {
        threads.emplace_back([&, p] {
            for (int round = 0; round < rounds; ++round) {
                Via via(round % 2 ? two : one);
                for (int i = 0; i < 3; ++i) {
                    auto c = p.device->replica->create(
                        "customer", Write().set("name", p.owner + " " + std::to_string(round) + "-" + std::to_string(i))
                                        .set("owner", p.owner));
                    if (!c.ok()) {
                        ADD_FAILURE() << c.error().message;
                        continue;
                    }
                    (void)p.device->replica->create("visit", Write().set("customer", *c).set("notes", "v"));
                }
                SyncOutcome out;
                HttpResponse r = exchange(*p.device, out);
                if (r.status != 200) ADD_FAILURE() << p.owner << ": " << r.body;
            }
            --running;
        });
    }
    // Each puller records the position of every change it receives.
    auto pullLoop = [&](Device& d, std::vector<uint64_t>& seqs) {
        for (int guard = 0; guard < 100000; ++guard) {
            Via via(guard % 2 ? one : two);
            const bool pushersDone = running.load() == 0;
            HttpResponse r = post("/v1/sync", syncBody(d, false, 7), d.token);
            if (r.status != 200) {
                ADD_FAILURE() << d.name << ": " << r.body;
                return;
            }
            json b = bodyOf(r);
            for (const auto& c : b["pull"]["changes"]) seqs.push_back(c["seq"].get<uint64_t>());
            SyncOutcome out;
            apply(d, r, out);
            // Done once a pull that started after the last push says no more.
            if (pushersDone && !b["pull"]["more"].get<bool>()) return;
        }
        ADD_FAILURE() << d.name << " never caught up";
    };
    std::vector<uint64_t> adminSeqs, managerSeqs;
    threads.emplace_back([&] { pullLoop(adminPuller, adminSeqs); });
    threads.emplace_back([&] { pullLoop(managerPuller, managerSeqs); });
    for (auto& t : threads) t.join();

    const uint64_t head = hub->head();
    ASSERT_EQ(head, pushers.size() * rounds * 6u) << "every change was merged once";
    std::vector<uint64_t> all(head);
    for (uint64_t i = 0; i < head; ++i) all[i] = i + 1;
    // Every change is visible to both (the manager's team owns all of them):
    // both saw exactly 1..head, each once, in order.
    EXPECT_EQ(adminSeqs, all);
    EXPECT_EQ(managerSeqs, all);
    EXPECT_EQ(adminPuller->dump().dump(), hub->dump().dump());
    EXPECT_EQ(managerPuller->dump().dump(), hub->dump().dump());
}

} // namespace
} // namespace fieldsync::server::test
