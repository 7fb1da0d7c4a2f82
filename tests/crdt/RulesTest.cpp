// The merge rules (crdt/Rules.h), table-driven: the join laws for every
// register rule over every pair and triple of a table of registers, explicit
// winner rows, every arrival order, and the hub's / device's conflict decisions.
#include "crdt/Rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

namespace fieldsync::crdt {
namespace {

DeviceId dev(uint8_t last)
{
    DeviceId d;
    d.bytes[15] = last;
    return d;
}

const DeviceId A = dev(0xa);
const DeviceId B = dev(0xb);
const DeviceId C = dev(0xc);

Register reg(Value v, Hlc hlc, DeviceId device, int64_t generation = 0, int rank = 0)
{
    return Register{std::move(v), Clock{hlc, device}, generation, rank};
}

Register reg(const char* text, Hlc hlc, DeviceId device)
{
    return reg(Value{std::string(text)}, hlc, device);
}

// Stage registers use the stages planned(0) < checked_in(1) < completed(2).
Register stage(const std::string& name, int64_t generation, Hlc hlc, DeviceId device)
{
    int rank = name == "planned" ? 0 : name == "checked_in" ? 1 : 2;
    return reg(Value{name}, hlc, device, generation, rank);
}

std::string show(const Register& r)
{
    return describe(r.value) + " g" + std::to_string(r.generation) + " r" + std::to_string(r.rank) + " @"
        + std::to_string(r.clock.hlc) + "/" + std::to_string(r.clock.device.bytes[15]);
}

// One table serves every rule: each clock names exactly one write (as in real
// data), and the registers differ in clock, in device only, in generation and
// in rank. Lww/Text/Once ignore generation and rank.
std::vector<Register> lawTable()
{
    return {
        stage("planned", 0, 100, A),
        stage("checked_in", 0, 100, B),   // equal hlc, other device
        stage("checked_in", 0, 150, C),   // same (gen, rank) as above, higher clock
        stage("completed", 0, 120, A),    // highest rank of gen 0, middling clock
        stage("planned", 1, 90, B),       // reopened: new generation, lowest clock
        stage("checked_in", 1, 400, C),
        stage("completed", 0, 500, B),    // old generation, highest clock
        stage("planned", 0, 100, A),      // the very same write again (redelivery)
        reg(std::string("text"), 300, A),
        reg(int64_t{42}, 300, B),         // equal hlc to the row above
        reg(Value{}, 50, C),              // a null write
        reg(2.5, 600, A),
    };
}

const Rule kRegisterRules[] = {Rule::Lww, Rule::Text, Rule::Once, Rule::Stage};

TEST(RulesTest, RuleNamesAndConflictLogging)
{
    EXPECT_EQ(ruleName(Rule::Lww), "lww");
    EXPECT_EQ(ruleName(Rule::Text), "text");
    EXPECT_EQ(ruleName(Rule::Set), "set");
    EXPECT_EQ(ruleName(Rule::Stage), "stage");
    EXPECT_EQ(ruleName(Rule::Once), "once");
    EXPECT_TRUE(logsConflicts(Rule::Lww));
    EXPECT_TRUE(logsConflicts(Rule::Text));
    EXPECT_TRUE(logsConflicts(Rule::Once));
    EXPECT_FALSE(logsConflicts(Rule::Stage));
    EXPECT_FALSE(logsConflicts(Rule::Set));
}

TEST(RulesTest, JoinIsCommutativeForEveryPair)
{
    auto table = lawTable();
    for (Rule rule : kRegisterRules)
        for (const auto& a : table)
            for (const auto& b : table) {
                SCOPED_TRACE(std::string(ruleName(rule)) + ": " + show(a) + " | " + show(b));
                EXPECT_EQ(join(rule, a, b), join(rule, b, a));
                // The join is one of its arguments (a register is never mixed).
                const Register& j = join(rule, a, b);
                EXPECT_TRUE(j == a || j == b);
                // Exactly one direction can strictly win for distinct writes.
                if (a.clock != b.clock) {
                    EXPECT_NE(incomingWins(rule, a, b), incomingWins(rule, b, a));
                }
            }
}

TEST(RulesTest, JoinIsAssociativeForEveryTriple)
{
    auto table = lawTable();
    for (Rule rule : kRegisterRules)
        for (const auto& a : table)
            for (const auto& b : table)
                for (const auto& c : table) {
                    SCOPED_TRACE(std::string(ruleName(rule)) + ": " + show(a) + " | " + show(b) + " | " + show(c));
                    Register left = join(rule, join(rule, a, b), c);
                    Register right = join(rule, a, join(rule, b, c));
                    ASSERT_EQ(left, right);
                }
}

TEST(RulesTest, JoinIsIdempotent)
{
    for (Rule rule : kRegisterRules)
        for (const auto& a : lawTable()) {
            SCOPED_TRACE(std::string(ruleName(rule)) + ": " + show(a));
            EXPECT_EQ(join(rule, a, a), a);
            EXPECT_FALSE(incomingWins(rule, a, a));
            // Absorption: joining the winner again changes nothing.
            for (const auto& b : lawTable()) {
                Register ab = join(rule, a, b);
                EXPECT_EQ(join(rule, ab, b), ab);
                EXPECT_EQ(join(rule, a, ab), ab);
            }
        }
}

struct WinRow {
    const char* what;
    Rule rule;
    Register current;
    Register incoming;
    bool incomingWins;
};

TEST(RulesTest, WhoWins)
{
    const std::vector<WinRow> rows = {
        {"lww: higher hlc wins", Rule::Lww, reg("old", 100, B), reg("new", 200, A), true},
        {"lww: lower hlc loses", Rule::Lww, reg("new", 200, A), reg("old", 100, B), false},
        {"lww: equal hlc, higher device wins", Rule::Lww, reg("a", 100, A), reg("b", 100, B), true},
        {"lww: equal hlc, lower device loses", Rule::Lww, reg("b", 100, B), reg("a", 100, A), false},
        {"lww: same write does not replace itself", Rule::Lww, reg("a", 100, A), reg("a", 100, A), false},
        {"lww: hlc beats device", Rule::Lww, reg("a", 101, A), reg("c", 100, C), false},
        {"text: higher hlc wins", Rule::Text, reg("old", 100, C), reg("new", 101, A), true},
        {"text: lower hlc loses", Rule::Text, reg("new", 101, A), reg("old", 100, C), false},
        {"text: equal hlc, higher device wins", Rule::Text, reg("a", 7, A), reg("c", 7, C), true},
        {"text: equal hlc, lower device loses", Rule::Text, reg("c", 7, C), reg("a", 7, A), false},
        {"once: lower hlc wins", Rule::Once, reg("second", 200, A), reg("first", 100, B), true},
        {"once: higher hlc loses", Rule::Once, reg("first", 100, B), reg("second", 200, A), false},
        {"once: equal hlc, lower device wins", Rule::Once, reg("b", 100, B), reg("a", 100, A), true},
        {"once: equal hlc, higher device loses", Rule::Once, reg("a", 100, A), reg("b", 100, B), false},
        {"once: same write", Rule::Once, reg("a", 100, A), reg("a", 100, A), false},
        {"stage: higher rank wins despite lower clock", Rule::Stage, stage("planned", 0, 500, A),
         stage("checked_in", 0, 100, B), true},
        {"stage: lower rank loses despite higher clock", Rule::Stage, stage("completed", 0, 100, A),
         stage("checked_in", 0, 500, B), false},
        {"stage: reopened generation beats a higher rank of the old one", Rule::Stage,
         stage("completed", 0, 500, A), stage("planned", 1, 100, B), true},
        {"stage: old generation loses to a reopened one", Rule::Stage, stage("planned", 1, 100, B),
         stage("completed", 0, 500, A), false},
        {"stage: equal (gen, rank), higher clock wins", Rule::Stage, stage("checked_in", 0, 100, A),
         stage("checked_in", 0, 200, B), true},
        {"stage: equal (gen, rank), lower clock loses", Rule::Stage, stage("checked_in", 0, 200, B),
         stage("checked_in", 0, 100, A), false},
        {"stage: equal (gen, rank, hlc), higher device wins", Rule::Stage, stage("checked_in", 2, 100, A),
         stage("checked_in", 2, 100, B), true},
        {"stage: generation 2 beats generation 1", Rule::Stage, stage("completed", 1, 900, C),
         stage("planned", 2, 10, A), true},
        {"stage: same write", Rule::Stage, stage("completed", 0, 100, A), stage("completed", 0, 100, A), false},
        {"set: never a register winner", Rule::Set, reg("a", 100, A), reg("b", 200, B), false},
        {"set: never a register winner (reverse)", Rule::Set, reg("b", 200, B), reg("a", 100, A), false},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        EXPECT_EQ(incomingWins(row.rule, row.current, row.incoming), row.incomingWins);
        if (row.rule != Rule::Set) {
            EXPECT_EQ(join(row.rule, row.current, row.incoming), row.incomingWins ? row.incoming : row.current);
        }
    }
}

// Folds `regs` in every order; each order must end on `expected`.
void expectSameResultInEveryOrder(Rule rule, const std::vector<Register>& regs, const Register& expected)
{
    std::vector<size_t> order(regs.size());
    std::iota(order.begin(), order.end(), 0);
    int permutations = 0;
    do {
        Register state = regs[order[0]];
        for (size_t i = 1; i < order.size(); ++i) state = join(rule, state, regs[order[i]]);
        std::string trace;
        for (size_t i : order) trace += std::to_string(i);
        ASSERT_EQ(state, expected) << ruleName(rule) << " order " << trace;
        ++permutations;
    } while (std::next_permutation(order.begin(), order.end()));
    int factorial = 1;
    for (size_t i = 2; i <= regs.size(); ++i) factorial *= static_cast<int>(i);
    EXPECT_EQ(permutations, factorial);
}

TEST(RulesTest, EveryArrivalOrderConverges)
{
    // Four writes of one register field: two share an hlc.
    std::vector<Register> writes = {
        reg("w1", 100, B),
        reg("w2", 300, A),
        reg("w3", 300, C),
        reg("w4", 200, A),
    };
    expectSameResultInEveryOrder(Rule::Lww, writes, writes[2]);   // highest clock (300, C)
    expectSameResultInEveryOrder(Rule::Text, writes, writes[2]);
    expectSameResultInEveryOrder(Rule::Once, writes, writes[0]);  // lowest clock (100, B)

    std::vector<Register> stages = {
        stage("completed", 0, 400, A),
        stage("checked_in", 0, 300, B),
        stage("planned", 1, 100, C),   // reopen
        stage("planned", 1, 150, A),   // concurrent reopen, same (gen, rank), higher clock
    };
    expectSameResultInEveryOrder(Rule::Stage, stages, stages[3]);

    // With redelivery (a duplicate in the stream) the result does not move.
    std::vector<Register> withDuplicate = {writes[0], writes[1], writes[1], writes[3], writes[2]};
    expectSameResultInEveryOrder(Rule::Lww, withDuplicate, writes[2]);
    expectSameResultInEveryOrder(Rule::Once, withDuplicate, writes[0]);
}

// ------------------------------------------------------------ decideAtHub

struct HubRow {
    const char* what;
    Rule rule;
    bool written;
    Register current;
    uint64_t arrival;
    Register incoming;
    uint64_t writerSeen;
    bool take;
    bool conflict;
};

TEST(RulesTest, DecideAtHub)
{
    const std::vector<HubRow> rows = {
        {"never written: take, no conflict", Rule::Lww, false, {}, 0, reg("x", 100, A), 0, true, false},
        {"never written (once): take", Rule::Once, false, {}, 0, reg("x", 100, A), 0, true, false},
        {"never written (stage): take", Rule::Stage, false, {}, 0, stage("planned", 0, 100, A), 0, true, false},
        {"same device, arrival > seen: no conflict", Rule::Lww, true, reg("old", 100, A), 10, reg("new", 200, A), 5,
         true, false},
        {"same device, incoming loses: no conflict", Rule::Lww, true, reg("new", 200, A), 10, reg("old", 100, A), 5,
         false, false},
        {"other device, concurrent, incoming wins: conflict", Rule::Lww, true, reg("theirs", 100, B), 10,
         reg("mine", 200, A), 5, true, true},
        {"other device, concurrent, incoming loses: conflict", Rule::Lww, true, reg("theirs", 200, B), 10,
         reg("mine", 100, A), 5, false, true},
        {"other device, concurrent, equal hlc: device decides, conflict", Rule::Lww, true, reg("theirs", 100, B), 10,
         reg("mine", 100, A), 9, false, true},
        {"other device, arrival == seen: writer had seen it", Rule::Lww, true, reg("theirs", 100, B), 10,
         reg("mine", 200, A), 10, true, false},
        {"other device, arrival < seen: writer had seen it", Rule::Lww, true, reg("theirs", 100, B), 3,
         reg("mine", 200, A), 10, true, false},
        {"other device, seen but incoming clock lower: no conflict, loses", Rule::Lww, true, reg("theirs", 200, B), 3,
         reg("mine", 100, A), 10, false, false},
        {"concurrent but equal values: nothing lost", Rule::Lww, true, reg("same", 100, B), 10, reg("same", 200, A),
         5, true, false},
        {"concurrent, equal values, incoming loses", Rule::Lww, true, reg(int64_t{3}, 200, B), 10,
         reg(int64_t{3}, 100, A), 5, false, false},
        {"concurrent, values of different types", Rule::Lww, true, reg(int64_t{1}, 100, B), 10, reg(true, 200, A), 5,
         true, true},
        {"concurrent, clearing to null", Rule::Lww, true, reg("x", 100, B), 10, reg(Value{}, 200, A), 5, true, true},
        {"text: concurrent edit conflicts", Rule::Text, true, reg("their notes", 100, B), 10,
         reg("my notes", 200, A), 5, true, true},
        {"text: concurrent edit loses and conflicts", Rule::Text, true, reg("their notes", 300, B), 10,
         reg("my notes", 200, A), 5, false, true},
        {"stage: concurrent moves never conflict (incoming ahead)", Rule::Stage, true, stage("planned", 0, 300, B),
         10, stage("completed", 0, 100, A), 5, true, false},
        {"stage: concurrent moves never conflict (incoming behind)", Rule::Stage, true,
         stage("completed", 0, 100, B), 10, stage("checked_in", 0, 300, A), 5, false, false},
        {"set: never conflicts", Rule::Set, true, reg("a", 100, B), 10, reg("b", 200, A), 5, false, false},
        {"once: lower clock wins, conflict flagged", Rule::Once, true, reg("second", 200, B), 10,
         reg("first", 100, A), 5, true, true},
        {"once: higher clock loses, conflict flagged", Rule::Once, true, reg("first", 100, B), 10,
         reg("second", 200, A), 5, false, true},
        {"once: not concurrent, no conflict", Rule::Once, true, reg("first", 100, B), 4, reg("second", 200, A), 5,
         false, false},
        {"once: equal values, no conflict", Rule::Once, true, reg(int64_t{7}, 200, B), 10, reg(int64_t{7}, 100, A),
         5, true, false},
        {"redelivery of the same write: no conflict", Rule::Lww, true, reg("x", 100, A), 10, reg("x", 100, A), 5,
         false, false},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        HubField current{row.current, row.arrival};
        HubDecision d = decideAtHub(row.rule, row.written ? &current : nullptr, row.incoming, row.writerSeen);
        EXPECT_EQ(d.takeIncoming, row.take);
        EXPECT_EQ(d.conflict, row.conflict);
    }
}

// ---------------------------------------------------------- decideOnDevice

struct DeviceRow {
    const char* what;
    Rule rule;
    bool written;
    Register current;
    bool unsyncedLocal;
    Register incoming;
    bool take;
    bool provisional;
};

TEST(RulesTest, DecideOnDevice)
{
    // This device is A; incoming changes come from B unless stated.
    const std::vector<DeviceRow> rows = {
        {"never written: take", Rule::Lww, false, {}, false, reg("x", 100, B), true, false},
        {"never written, even if flagged: take, no conflict", Rule::Lww, false, {}, true, reg("x", 100, B), true,
         false},
        {"unsynced local edit overwritten: provisional", Rule::Lww, true, reg("mine", 100, A), true,
         reg("theirs", 200, B), true, true},
        {"unsynced local edit wins: provisional", Rule::Lww, true, reg("mine", 300, A), true, reg("theirs", 200, B),
         false, true},
        {"synced local value: no provisional", Rule::Lww, true, reg("mine", 100, A), false, reg("theirs", 200, B),
         true, false},
        {"synced value loses: no provisional", Rule::Lww, true, reg("mine", 300, A), false, reg("theirs", 200, B),
         false, false},
        {"equal values: no provisional", Rule::Lww, true, reg("same", 100, A), true, reg("same", 200, B), true,
         false},
        {"text: unsynced edit overwritten", Rule::Text, true, reg("my notes", 100, A), true,
         reg("their notes", 200, B), true, true},
        {"text: unsynced edit wins", Rule::Text, true, reg("my notes", 300, A), true, reg("their notes", 200, B),
         false, true},
        {"once: incoming lower wins, provisional", Rule::Once, true, reg("mine", 200, A), true,
         reg("theirs", 100, B), true, true},
        {"once: incoming higher loses, provisional", Rule::Once, true, reg("mine", 100, A), true,
         reg("theirs", 200, B), false, true},
        {"stage: never provisional", Rule::Stage, true, stage("planned", 0, 100, A), true,
         stage("completed", 0, 200, B), true, false},
        {"stage: never provisional (loses)", Rule::Stage, true, stage("completed", 0, 100, A), true,
         stage("planned", 0, 200, B), false, false},
        {"set: never provisional", Rule::Set, true, reg("a", 100, A), true, reg("b", 200, B), false, false},
        {"echo of this device's own later write: no provisional", Rule::Lww, true, reg("mine", 100, A), true,
         reg("mine later", 200, A), true, false},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        DeviceDecision d = decideOnDevice(row.rule, row.written ? &row.current : nullptr, row.incoming,
                                          row.unsyncedLocal);
        EXPECT_EQ(d.takeIncoming, row.take);
        EXPECT_EQ(d.provisionalConflict, row.provisional);
    }
}

// The hub and the devices pick the same winner: the decisions follow incomingWins.
TEST(RulesTest, DecisionsAgreeWithIncomingWins)
{
    auto table = lawTable();
    for (Rule rule : kRegisterRules)
        for (const auto& cur : table)
            for (const auto& inc : table) {
                SCOPED_TRACE(std::string(ruleName(rule)) + ": " + show(cur) + " <- " + show(inc));
                HubField hf{cur, 10};
                EXPECT_EQ(decideAtHub(rule, &hf, inc, 5).takeIncoming, incomingWins(rule, cur, inc));
                EXPECT_EQ(decideOnDevice(rule, &cur, inc, true).takeIncoming, incomingWins(rule, cur, inc));
            }
}

} // namespace
} // namespace fieldsync::crdt
