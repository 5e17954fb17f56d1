#include "target-impl/server/session_registry.hpp"

#include <gtest/gtest.h>

#include <set>

namespace iscsi::target::server {
namespace {

SessionInfo session(std::uint16_t tsih, std::uint32_t tid, std::string initiator,
                    std::uint16_t isid_d) {
  SessionInfo info;
  info.tsih = tsih;
  info.tid = tid;
  info.initiator_name = std::move(initiator);
  info.isid = pdu::Isid::make(pdu::IsidType::random, 0, 1, 2, isid_d);
  return info;
}

TEST(SessionRegistry, TsihsAreNonZeroAndUniqueAmongLiveSessions) {
  SessionRegistry registry(8);
  std::set<std::uint16_t> seen;
  for (std::uint16_t i = 0; i < 8; ++i) {
    auto tsih = registry.allocate_tsih();
    ASSERT_TRUE(tsih.has_value());
    EXPECT_NE(*tsih, 0);
    EXPECT_TRUE(seen.insert(*tsih).second);
    EXPECT_TRUE(registry.add(session(*tsih, 1, "iqn.a", i)).empty());
  }
  // Bounded: the ninth has none until one ends.
  EXPECT_FALSE(registry.allocate_tsih().has_value());
  EXPECT_TRUE(registry.remove(3));
  EXPECT_TRUE(registry.allocate_tsih().has_value());
}

TEST(SessionRegistry, TsihsWrapPastFfffWithoutZeroOrALiveValue) {
  SessionRegistry registry(65535);
  std::uint16_t last = 0;
  for (int i = 0; i < 65535; ++i) {
    auto tsih = registry.allocate_tsih();
    ASSERT_TRUE(tsih.has_value());
    last = *tsih;
  }
  EXPECT_EQ(last, 0xffff);
  ASSERT_TRUE(registry.add(session(1, 1, "iqn.a", 1)).empty());
  EXPECT_EQ(registry.allocate_tsih(), 2);  // 1 is live, 0 never drawn
}

TEST(SessionRegistry, LookupSaysWhichTsihsExist) {
  SessionRegistry registry;
  ASSERT_TRUE(registry.add(session(7, 1, "iqn.a", 1)).empty());
  EXPECT_EQ(registry.lookup(7), login::TsihLookup::exists);
  EXPECT_EQ(registry.lookup(8), login::TsihLookup::unknown);
}

TEST(SessionRegistry, SameInitiatorIsidAndTargetReplacesTheOldSession) {
  SessionRegistry registry;
  ASSERT_TRUE(registry.add(session(1, 1, "iqn.a", 1)).empty());
  ASSERT_TRUE(registry.add(session(2, 2, "iqn.a", 1)).empty());  // another target
  ASSERT_TRUE(registry.add(session(3, 1, "iqn.b", 1)).empty());  // another initiator
  ASSERT_TRUE(registry.add(session(4, 1, "iqn.a", 2)).empty());  // another ISID
  const std::vector<SessionInfo> replaced = registry.add(session(5, 1, "iqn.a", 1));
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].tsih, 1);
  EXPECT_EQ(registry.size(), 4u);
  EXPECT_EQ(registry.find(1), nullptr);
}

TEST(SessionRegistry, DiscoverySessionsAreNeverReinstated) {
  SessionRegistry registry;
  SessionInfo first = session(1, 0, "iqn.a", 1);
  first.tid.reset();
  SessionInfo second = first;
  second.tsih = 2;
  ASSERT_TRUE(registry.add(first).empty());
  EXPECT_TRUE(registry.add(second).empty());
  EXPECT_EQ(registry.size(), 2u);
}

TEST(SessionRegistry, SessionsOfATargetInNexusOrder) {
  SessionRegistry registry;
  for (std::uint16_t tsih : {std::uint16_t{9}, std::uint16_t{4}, std::uint16_t{6}}) {
    SessionInfo info = session(tsih, tsih == 6 ? 2U : 1U, "iqn.a", tsih);
    info.nexus = registry.next_nexus_id();
    ASSERT_TRUE(registry.add(info).empty());
  }
  const auto listed = registry.sessions_of(1);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].tsih, 9);  // registered first
  EXPECT_EQ(listed[1].tsih, 4);
  EXPECT_EQ(registry.sessions_of(3).size(), 0u);
}

}  // namespace
}  // namespace iscsi::target::server
