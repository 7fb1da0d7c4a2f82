#include "domain/Actor.h"

#include "replica/Replica.h"
#include "replica/SettingKeys.h"

#include <gtest/gtest.h>

namespace fieldsync::domain {
namespace {

namespace keys = replica::settings;

TEST(Actor, AnonymousRepBeforeSignIn)
{
    auto r = replica::Replica::open(":memory:");
    Actor a = Actor::of(*r);
    EXPECT_FALSE(a.signedIn());
    EXPECT_EQ(a.role, Role::Rep);
    EXPECT_FALSE(a.isManager());
}

TEST(Actor, ReadsTheSignedInIdentity)
{
    auto r = replica::Replica::open(":memory:");
    r->setSetting(keys::kUser, "wangqiang");
    r->setSetting(keys::kRole, "manager");
    r->setSetting(keys::kTeam, "north");
    Actor a = Actor::of(*r);
    EXPECT_EQ(a.user, "wangqiang");
    EXPECT_EQ(a.role, Role::Manager);
    EXPECT_EQ(a.team, "north");
    EXPECT_TRUE(a.isManager());
}

TEST(Actor, UnknownRoleGetsTheLeastRights)
{
    auto r = replica::Replica::open(":memory:");
    r->setSetting(keys::kUser, "x");
    r->setSetting(keys::kRole, "superuser");
    EXPECT_EQ(Actor::of(*r).role, Role::Rep);
    EXPECT_EQ(roleFromString("admin"), Role::Admin);
    EXPECT_EQ(std::string(toString(Role::Manager)), "manager");
}

} // namespace
} // namespace fieldsync::domain
