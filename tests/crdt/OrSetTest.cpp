// The add-wins observed-remove set (crdt/OrSet.h).
#include "crdt/OrSet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

namespace fieldsync::crdt {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

DeviceId dev(uint8_t last)
{
    DeviceId d;
    d.bytes[15] = last;
    return d;
}

Clock dot(Hlc hlc, uint8_t device) { return Clock{hlc, dev(device)}; }

TEST(OrSetTest, EmptySet)
{
    OrSet s;
    EXPECT_FALSE(s.contains("vip"));
    EXPECT_THAT(s.elements(), IsEmpty());
    EXPECT_THAT(s.liveDots("vip"), IsEmpty());
    EXPECT_EQ(s, OrSet{});
}

TEST(OrSetTest, AddAndElementsSorted)
{
    OrSet s;
    s.add("zeta", dot(1, 1));
    s.add("alpha", dot(2, 1));
    s.add("mid", dot(3, 1));
    s.add("Alpha", dot(4, 1));
    s.add("重要", dot(5, 1));
    s.add("alpha", dot(6, 2));  // a second add of the same element
    EXPECT_TRUE(s.contains("alpha"));
    EXPECT_FALSE(s.contains("beta"));
    EXPECT_THAT(s.elements(), ElementsAre("Alpha", "alpha", "mid", "zeta", "重要"));
    EXPECT_THAT(s.liveDots("alpha"), ElementsAre(dot(2, 1), dot(6, 2)));
}

TEST(OrSetTest, RepeatedAddOfSameDotIsIdempotent)
{
    OrSet once, twice;
    once.add("vip", dot(1, 1));
    twice.add("vip", dot(1, 1));
    twice.add("vip", dot(1, 1));
    EXPECT_EQ(once, twice);
    EXPECT_THAT(twice.liveDots("vip"), ElementsAre(dot(1, 1)));
}

TEST(OrSetTest, RemoveObservedDotsRemovesElement)
{
    OrSet s;
    s.add("vip", dot(1, 1));
    s.add("vip", dot(2, 2));
    s.add("new", dot(3, 1));
    s.remove("vip", s.liveDots("vip"));
    EXPECT_FALSE(s.contains("vip"));
    EXPECT_THAT(s.liveDots("vip"), IsEmpty());
    EXPECT_THAT(s.elements(), ElementsAre("new"));
}

TEST(OrSetTest, RemoveOnlyRemovesObservedDots)
{
    OrSet s;
    s.add("vip", dot(1, 1));
    s.add("vip", dot(2, 2));
    s.remove("vip", {dot(1, 1)});
    EXPECT_TRUE(s.contains("vip"));
    EXPECT_THAT(s.liveDots("vip"), ElementsAre(dot(2, 2)));
    // Naming a dot of another element does not touch this one.
    s.remove("other", {dot(2, 2)});
    EXPECT_TRUE(s.contains("vip"));
    EXPECT_FALSE(s.contains("other"));
}

TEST(OrSetTest, RemoveWithNoDotsChangesNothing)
{
    OrSet s;
    s.remove("vip", {});
    EXPECT_EQ(s, OrSet{});
    s.add("vip", dot(1, 1));
    OrSet before = s;
    s.remove("vip", {});
    EXPECT_EQ(s, before);
    EXPECT_TRUE(s.contains("vip"));
}

TEST(OrSetTest, ReAddAfterRemoveWithNewDot)
{
    OrSet s;
    s.add("vip", dot(1, 1));
    s.remove("vip", {dot(1, 1)});
    s.add("vip", dot(1, 1));  // the removed dot again (redelivery): stays removed
    EXPECT_FALSE(s.contains("vip"));
    s.add("vip", dot(5, 1));
    EXPECT_TRUE(s.contains("vip"));
    EXPECT_THAT(s.liveDots("vip"), ElementsAre(dot(5, 1)));
}

TEST(OrSetTest, AddWinsOverConcurrentRemove)
{
    // Both replicas start with vip added by device 1.
    OrSet a, b;
    a.add("vip", dot(1, 1));
    b.merge(a);
    // Concurrently: a removes vip (seeing dot 1), b adds vip again.
    a.remove("vip", a.liveDots("vip"));
    b.add("vip", dot(2, 2));
    EXPECT_FALSE(a.contains("vip"));
    OrSet ab = a, ba = b;
    ab.merge(b);
    ba.merge(a);
    EXPECT_TRUE(ab.contains("vip"));
    EXPECT_TRUE(ba.contains("vip"));
    EXPECT_EQ(ab, ba);
    EXPECT_THAT(ab.liveDots("vip"), ElementsAre(dot(2, 2)));
}

TEST(OrSetTest, ConcurrentRemovesBothApply)
{
    OrSet a, b;
    a.add("vip", dot(1, 1));
    b.merge(a);
    a.remove("vip", a.liveDots("vip"));
    b.remove("vip", b.liveDots("vip"));
    a.merge(b);
    EXPECT_FALSE(a.contains("vip"));
    EXPECT_THAT(a.elements(), IsEmpty());
}

TEST(OrSetTest, RemoveArrivingBeforeAddStillRemovesThatDot)
{
    OrSet s;
    s.remove("vip", {dot(1, 1)});
    EXPECT_FALSE(s.contains("vip"));
    s.add("vip", dot(1, 1));
    EXPECT_FALSE(s.contains("vip"));
    EXPECT_THAT(s.elements(), IsEmpty());
    // An add with another dot is not covered by the early tombstone.
    s.add("vip", dot(2, 1));
    EXPECT_TRUE(s.contains("vip"));

    // The same through merge, in both directions.
    OrSet tomb, added;
    tomb.remove("vip", {dot(1, 1)});
    added.add("vip", dot(1, 1));
    OrSet x = tomb, y = added;
    x.merge(added);
    y.merge(tomb);
    EXPECT_FALSE(x.contains("vip"));
    EXPECT_FALSE(y.contains("vip"));
    EXPECT_EQ(x, y);
}

// Sets built from scripted operations, for the merge laws.
std::vector<OrSet> setTable()
{
    std::vector<OrSet> t(8);
    // 0: empty
    // 1: two adds
    t[1].add("vip", dot(1, 1));
    t[1].add("new", dot(2, 1));
    // 2: vip added then removed
    t[2].add("vip", dot(1, 1));
    t[2].remove("vip", {dot(1, 1)});
    // 3: concurrent re-add of vip on another device
    t[3].add("vip", dot(1, 1));
    t[3].add("vip", dot(3, 2));
    // 4: a remove that arrived before its add
    t[4].remove("new", {dot(2, 1)});
    t[4].add("old", dot(4, 3));
    // 5: everything removed that was seen
    t[5].add("vip", dot(1, 1));
    t[5].add("vip", dot(3, 2));
    t[5].remove("vip", {dot(1, 1), dot(3, 2)});
    t[5].add("重要", dot(5, 2));
    // 6: a partial remove
    t[6].add("new", dot(2, 1));
    t[6].add("new", dot(6, 3));
    t[6].remove("new", {dot(6, 3)});
    // 7: tombstone only, for a dot nobody else has
    t[7].remove("ghost", {dot(9, 9)});
    return t;
}

TEST(OrSetTest, MergeIsCommutative)
{
    auto t = setTable();
    for (size_t i = 0; i < t.size(); ++i)
        for (size_t j = 0; j < t.size(); ++j) {
            SCOPED_TRACE(std::to_string(i) + " u " + std::to_string(j));
            OrSet ij = t[i], ji = t[j];
            ij.merge(t[j]);
            ji.merge(t[i]);
            EXPECT_EQ(ij, ji);
            EXPECT_EQ(ij.elements(), ji.elements());
        }
}

TEST(OrSetTest, MergeIsAssociative)
{
    auto t = setTable();
    for (size_t i = 0; i < t.size(); ++i)
        for (size_t j = 0; j < t.size(); ++j)
            for (size_t k = 0; k < t.size(); ++k) {
                SCOPED_TRACE(std::to_string(i) + " u " + std::to_string(j) + " u " + std::to_string(k));
                OrSet left = t[i];
                left.merge(t[j]);
                left.merge(t[k]);
                OrSet jk = t[j];
                jk.merge(t[k]);
                OrSet right = t[i];
                right.merge(jk);
                ASSERT_EQ(left, right);
            }
}

TEST(OrSetTest, MergeIsIdempotentAndEmptyIsIdentity)
{
    auto t = setTable();
    for (size_t i = 0; i < t.size(); ++i) {
        SCOPED_TRACE(i);
        OrSet twice = t[i];
        twice.merge(t[i]);
        EXPECT_EQ(twice, t[i]);
        OrSet withEmpty = t[i];
        withEmpty.merge(OrSet{});
        EXPECT_EQ(withEmpty, t[i]);
        OrSet emptyWith;
        emptyWith.merge(t[i]);
        EXPECT_EQ(emptyWith, t[i]);
    }
}

TEST(OrSetTest, MergedTableHasExpectedElements)
{
    auto t = setTable();
    OrSet all;
    for (const auto& s : t) all.merge(s);
    // vip: dots 1/1 and 3/2 are both tombstoned by set 2 and set 5 -> gone.
    // new: dot 2/1 tombstoned early by set 4, dot 6/3 removed in set 6 -> gone.
    // old and 重要 were never removed; ghost was only ever a tombstone.
    EXPECT_THAT(all.elements(), ElementsAre("old", "重要"));
    EXPECT_FALSE(all.contains("vip"));
    EXPECT_FALSE(all.contains("new"));
    EXPECT_FALSE(all.contains("ghost"));

    OrSet some = t[1];
    some.merge(t[3]);
    EXPECT_THAT(some.elements(), ElementsAre("new", "vip"));
    EXPECT_THAT(some.liveDots("vip"), UnorderedElementsAre(dot(1, 1), dot(3, 2)));
    some.merge(t[2]);  // tombstones 1/1 only
    EXPECT_THAT(some.liveDots("vip"), ElementsAre(dot(3, 2)));
}

TEST(OrSetTest, ReplicasApplyingOpsInAnyOrderConverge)
{
    struct Op {
        bool remove;
        std::string element;
        std::vector<Clock> dots;  // add: one dot
    };
    const std::vector<Op> ops = {
        {false, "vip", {dot(1, 1)}},
        {false, "new", {dot(2, 2)}},
        {true, "vip", {dot(1, 1)}},
        {false, "vip", {dot(3, 3)}},
        {true, "new", {dot(2, 2)}},
    };
    OrSet reference;
    for (const auto& op : ops) {
        if (op.remove) reference.remove(op.element, op.dots);
        else reference.add(op.element, op.dots[0]);
    }
    EXPECT_THAT(reference.elements(), ElementsAre("vip"));

    std::vector<size_t> order(ops.size());
    std::iota(order.begin(), order.end(), 0);
    do {
        OrSet s;
        for (size_t i : order) {
            const auto& op = ops[i];
            if (op.remove) s.remove(op.element, op.dots);
            else s.add(op.element, op.dots[0]);
        }
        std::string trace;
        for (size_t i : order) trace += std::to_string(i);
        ASSERT_EQ(s, reference) << "order " << trace;
    } while (std::next_permutation(order.begin(), order.end()));
}

} // namespace
} // namespace fieldsync::crdt
