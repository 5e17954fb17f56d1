// Executing tgtadm requests: model changes, effects, and the cases where the reference target
// deliberately differs from tgt 1.0.85 (documented in docs/target-config.md). The replies that
// match tgt are also checked against the recording in tgtadm_transcript_test.cpp.
#include <gtest/gtest.h>

#include "target-impl/config/show.hpp"
#include "tests/target-impl/config/fake_host.hpp"

namespace iscsi::target::config {
namespace {

using testing::run_line;

class Execute : public ::testing::Test {
 protected:
  void SetUp() override {
    host.files["/disk.img"] = 64ULL << 20;
    ok("--lld iscsi --op new --mode target --tid 1 -T iqn.2001-04.com.example:storage.disk1");
  }

  Execution ok(std::string_view line) {
    Execution run = run_line(line, config, host);
    EXPECT_EQ(run.reply.exit_code, 0) << line << ": " << run.reply.err;
    return run;
  }

  void refused(std::string_view line, std::string_view message) {
    SystemConfig before = config;
    Execution run = run_line(line, config, host);
    EXPECT_EQ(run.reply.err, "tgtadm: " + std::string(message) + "\n") << line;
    EXPECT_EQ(run.reply.exit_code, 22) << line;
    EXPECT_TRUE(run.effects.empty()) << line;
    EXPECT_EQ(show_targets(before, host), show_targets(config, host)) << line;
  }

  const TargetConfig& target(std::uint32_t tid) { return config.targets.at(tid); }

  SystemConfig config;
  testing::FakeHost host;
};

TEST_F(Execute, TargetNewAndDeleteReportEffects) {
  Execution created = ok("--op new --mode target --tid 2 -T iqn.two");
  EXPECT_EQ(created.effects, (std::vector<Effect>{{EffectKind::target_added, 2, 0}}));
  EXPECT_EQ(target(2).name, "iqn.two");
  Execution deleted = ok("--op delete --mode target --tid 2");
  EXPECT_EQ(deleted.effects, (std::vector<Effect>{{EffectKind::target_removed, 2, 0}}));
  EXPECT_EQ(config.targets.count(2), 0U);
  refused("--op new --mode target --tid 4 -T ''", "invalid request");
}

TEST_F(Execute, DeletingATargetWithSessionsNeedsForce) {
  host.nexuses[1] = {NexusInfo{1, "iqn.i", "", {{0, "127.0.0.1"}}}};
  refused("--op delete --mode target --tid 1", "this target is still active");
  Execution forced = ok("--op delete --mode target --tid 1 --force");
  EXPECT_EQ(forced.effects, (std::vector<Effect>{{EffectKind::target_removed, 1, 0}}));
}

TEST_F(Execute, FileLunIsProbedAndSized) {
  Execution run = ok("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img");
  EXPECT_EQ(run.effects, (std::vector<Effect>{{EffectKind::lun_added, 1, 1}}));
  const LunConfig& lun = target(1).luns.at(1);
  EXPECT_EQ(lun.bstype, BackingType::rdwr);
  EXPECT_EQ(lun.size_bytes, 64ULL << 20);
  EXPECT_EQ(host.probed, std::vector<std::string>{"/disk.img"});
  refused("--op new --mode logicalunit --tid 1 --lun 2 -b /missing.img", "invalid request");
}

TEST_F(Execute, RamLunsTakeASizeInEitherForm) {
  ok("--op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 64M");
  ok("--op new --mode logicalunit --tid 1 --lun 2 --backing-store ram:40G");
  ok("--op new --mode logicalunit --tid 1 --lun 3 -E ram -b ram:1G -y 4096");
  EXPECT_EQ(target(1).luns.at(1).bstype, BackingType::ram);
  EXPECT_EQ(target(1).luns.at(1).size_bytes, 64ULL << 20);
  EXPECT_EQ(target(1).luns.at(2).bstype, BackingType::ram);
  EXPECT_EQ(target(1).luns.at(2).size_bytes, 40ULL << 30);
  EXPECT_EQ(target(1).luns.at(3).block_size, 4096U);
  EXPECT_TRUE(host.probed.empty());
  refused("--op new --mode logicalunit --tid 1 --lun 4 --bstype ram -b lots", "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 4 --bstype ram", "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 4 --bstype ram -b 1000", "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 4 --bstype ram -b 65T", "invalid request");
}

TEST_F(Execute, NullLunsAreSizedAsTgtDoes) {
  ok("--op new --mode logicalunit --tid 1 --lun 1 --bstype null -b anything");
  ok("--op new --mode logicalunit --tid 1 --lun 2 --bstype null");
  EXPECT_EQ(target(1).luns.at(1).size_bytes, 1ULL << 40);
  EXPECT_TRUE(target(1).luns.at(1).params.online);
  EXPECT_EQ(target(1).luns.at(2).size_bytes, 0U);
  EXPECT_FALSE(target(1).luns.at(2).params.online);
  EXPECT_TRUE(target(1).luns.at(2).params.removable);
  EXPECT_TRUE(host.probed.empty());
}

TEST_F(Execute, LunsBeyondWhatTheEmulationServesAreRefused) {
  refused("--op new --mode logicalunit --tid 1 --lun 16384 -b /disk.img", "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img -Y cd", "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img --bsopts x", "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img -E aio -f sync",
          "invalid request");
  refused("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img -E sg", "invalid request");
  ok("--op new --mode logicalunit --tid 1 --lun 16383 -b /disk.img");
}

TEST_F(Execute, LunParamsUpdateAllOrNothing) {
  ok("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img");
  Execution run = ok(
      "--op update --mode logicalunit --tid 1 --lun 1 --params "
      "readonly=1,removable=1,thin_provisioning=1,vendor_id=VENDOR123,product_id=P,"
      "product_rev=12345,sense_format=1,lbppbe=3,optimal_xfer_len=128");
  EXPECT_EQ(run.effects, (std::vector<Effect>{{EffectKind::lun_updated, 1, 1}}));
  const LunParams& p = target(1).luns.at(1).params;
  EXPECT_TRUE(p.readonly);
  EXPECT_TRUE(p.removable);
  EXPECT_TRUE(p.thin_provisioning);
  EXPECT_EQ(p.vendor_id, "VENDOR12");  // cut to tgt's 8 bytes
  EXPECT_EQ(p.product_rev, "1234");
  EXPECT_EQ(p.sense_format, 1U);
  EXPECT_EQ(p.lbppbe, 3U);
  EXPECT_EQ(p.optimal_xfer_len, 128U);
  refused("--op update --mode logicalunit --tid 1 --lun 1 --params readonly=0,mode_page=8:0",
          "invalid request");
  EXPECT_TRUE(target(1).luns.at(1).params.readonly);
}

TEST_F(Execute, LbppbeMustFitReadCapacity16sFourBitField) {
  ok("--op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 64M");
  EXPECT_FALSE(target(1).luns.at(1).params.lbppbe.has_value());
  ok("--op update --mode logicalunit --tid 1 --lun 1 --params lbppbe=0,thin_provisioning=1");
  EXPECT_EQ(target(1).luns.at(1).params.lbppbe, 0U);
  ok("--op update --mode logicalunit --tid 1 --lun 1 --params lbppbe=15");
  EXPECT_EQ(target(1).luns.at(1).params.lbppbe, 15U);
  refused("--op update --mode logicalunit --tid 1 --lun 1 --params lbppbe=16", "invalid request");
  refused("--op update --mode logicalunit --tid 1 --lun 1 --params readonly=1,lbppbe=256",
          "invalid request");
  EXPECT_EQ(target(1).luns.at(1).params.lbppbe, 15U);  // nothing changed
  EXPECT_FALSE(target(1).luns.at(1).params.readonly);
}

// iscsim's own sanitize_ms key: a minimum SANITIZE duration in milliseconds, at most an hour.
TEST_F(Execute, SanitizeMsSetsAMinimumSanitizeDurationUpToAnHour) {
  ok("--op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 64M");
  EXPECT_FALSE(target(1).luns.at(1).params.sanitize_ms.has_value());
  ok("--op update --mode logicalunit --tid 1 --lun 1 --params sanitize_ms=6000");
  EXPECT_EQ(target(1).luns.at(1).params.sanitize_ms, 6000U);
  refused("--op update --mode logicalunit --tid 1 --lun 1 --params sanitize_ms=3600001",
          "invalid request");
  EXPECT_EQ(target(1).luns.at(1).params.sanitize_ms, 6000U);
}

TEST_F(Execute, OfflineRefusedWhilePreventRemovalIsSet) {
  ok("--op new --mode logicalunit --tid 1 --lun 1 -b /disk.img");
  host.lun_states[{1, 1}] = LunRuntimeState{true, false};
  refused("--op update --mode logicalunit --tid 1 --lun 1 --params online=0",
          "this device has Prevent Removal set");
  host.lun_states.clear();
  ok("--op update --mode logicalunit --tid 1 --lun 1 --params online=0");
  EXPECT_FALSE(target(1).luns.at(1).params.online);
}

TEST_F(Execute, PathUpdateLoadsAMedium) {
  ok("--op new --mode logicalunit --tid 1 --lun 1");
  EXPECT_FALSE(target(1).luns.at(1).params.online);
  ok("--op update --mode logicalunit --tid 1 --lun 1 --params path=/disk.img");
  EXPECT_EQ(target(1).luns.at(1).backing_store, "/disk.img");
  EXPECT_EQ(target(1).luns.at(1).size_bytes, 64ULL << 20);
  EXPECT_TRUE(target(1).luns.at(1).params.online);
  refused("--op update --mode logicalunit --tid 1 --lun 1 --params path=/nope", "invalid request");
}

TEST_F(Execute, LunUpdateAndDeleteOfTheController) {
  refused("--op update --mode logicalunit --tid 1 --lun 0 --params readonly=1", "invalid request");
  refused("--op delete --mode logicalunit --tid 1 --lun 0", "invalid request");
  refused("--op delete --mode logicalunit --tid 7 --lun 1", "can't find the target");
}

TEST_F(Execute, LunDeleteReportsEffect) {
  ok("--op new --mode logicalunit --tid 1 --lun 3 -b /disk.img");
  Execution run = ok("--op delete --mode logicalunit --tid 1 --lun 3");
  EXPECT_EQ(run.effects, (std::vector<Effect>{{EffectKind::lun_removed, 1, 3}}));
  EXPECT_TRUE(target(1).luns.empty());
}

TEST_F(Execute, AclBindStoresParsedRules) {
  ok("--op bind --mode target --tid 1 -I 10.1.2.3/16");
  ok("--op bind --mode target --tid 1 -I 10.9.9.9 -Q iqn.both");
  const TargetConfig& t = target(1);
  ASSERT_EQ(t.initiator_addresses.size(), 2U);
  EXPECT_EQ(t.initiator_addresses[0].network, 0x0A010000U);
  EXPECT_EQ(t.initiator_addresses[0].prefix_length, 16U);
  EXPECT_EQ(t.initiator_names, std::vector<std::string>{"iqn.both"});
  EXPECT_TRUE(admits(t, 0x0A01FFFFU, "x"));
  EXPECT_TRUE(admits(t, 0x01010101U, "iqn.both"));
  for (std::string_view bad : {"hostname", "300.1.1.1", "::1", "all", "10.0.0.0/33"}) {
    refused("--op bind --mode target --tid 1 -I " + std::string(bad), "invalid request");
  }
  refused("--op bind --mode target --tid 1 --host 3", "invalid request");
  ok("--op unbind --mode target --tid 1 -I 10.9.9.9 -Q iqn.both");
  EXPECT_TRUE(target(1).initiator_names.empty());
}

TEST_F(Execute, TargetUpdateStoresCanonicalValues) {
  Execution run = ok("--op update --mode target --tid 1 -n headerdigest -v None,CRC32C");
  EXPECT_EQ(run.effects, (std::vector<Effect>{{EffectKind::target_updated, 1, 0}}));
  ok("--op update --mode target --tid 1 -n MaxRecvDataSegmentLength -v 0x10000");
  ok("--op update --mode target --tid 1 -n RedirectReasonX -v Temporary-ish");
  EXPECT_EQ(target(1).params.at("HeaderDigest"), "CRC32C,None");
  EXPECT_EQ(target(1).params.at("MaxRecvDataSegmentLength"), "65536");
  EXPECT_EQ(target(1).params.at("RedirectReason"), "Temporary");
  refused("--op update --mode target --tid 1 -n RedirectCallback -v /bin/true", "invalid request");
  refused("--op update --mode target --tid 1 -n nop_interval -v -1", "invalid request");
  refused("--op update --mode target --tid 1 -n state -v offline", "invalid request");
}

TEST_F(Execute, AccountsBindToTargetsAndDiscovery) {
  ok("--op new --mode account --user alice --password secret");
  ok("--op new --mode account --user bob --password pw");
  ok("--op bind --mode account --tid 1 --user alice");
  ok("--op bind --mode account --tid 1 --user bob --outgoing");
  Execution disc = ok("--op bind --mode account --user alice");
  EXPECT_EQ(disc.effects, (std::vector<Effect>{{EffectKind::accounts_changed, 0, 0}}));
  ok("--op bind --mode account --user bob --outgoing");
  EXPECT_EQ(config.discovery_incoming_users, std::vector<std::string>{"alice"});
  EXPECT_EQ(config.discovery_outgoing_user, "bob");
  EXPECT_EQ(config.find_account("alice")->password, "secret");
  Execution deleted = ok("--op delete --mode account --user bob");
  EXPECT_EQ(deleted.effects, (std::vector<Effect>{{EffectKind::accounts_changed, 0, 0},
                                                  {EffectKind::target_updated, 1, 0}}));
  EXPECT_FALSE(target(1).outgoing_user);
  EXPECT_FALSE(config.discovery_outgoing_user);
  ok("--op unbind --mode account --user alice");
  EXPECT_TRUE(config.discovery_incoming_users.empty());
  refused("--op unbind --mode account --user alice", "can't find the account");
  refused("--op delete --mode account", "can't find the account");  // tgtd crashes here
}

TEST_F(Execute, SystemDeleteOnlyWhenNoTargetIsLeft) {
  refused("--op delete --mode system", "invalid request");
  ok("--op delete --mode target --tid 1");
  Execution run = ok("--op delete --mode system");
  EXPECT_EQ(run.effects, (std::vector<Effect>{{EffectKind::system_shutdown, 0, 0}}));
  refused("--op update --mode system --name iSNS --value On", "invalid request");
}

TEST_F(Execute, PortalLldSessionModes) {
  host.portal_list = {"127.0.0.1:3260,1"};
  EXPECT_EQ(ok("--op show --mode portal").reply.out, "Portal: 127.0.0.1:3260,1\n");
  refused("--op new --mode portal -P portal=1.2.3.4:3260", "this operation isn't supported");
  EXPECT_EQ(ok("--op show --mode lld").reply.out,
            "LLDs:\n    iscsi: ready\n        Target 1: "
            "iqn.2001-04.com.example:storage.disk1\n    iser: error\n");
  ok("--op start --mode lld");
  refused("--op show --mode session --tid 1", "invalid request");
  refused("--lld iser --op show --mode target", "can't find the driver");
}

TEST_F(Execute, LimitsAreEnforced) {
  for (std::size_t i = 0; i < max_incoming_users_per_target; ++i) {
    std::string user = "u" + std::to_string(i);
    ok("--op new --mode account --user " + user + " --password p");
    ok("--op bind --mode account --tid 1 --user " + user);
  }
  ok("--op new --mode account --user extra --password p");
  refused("--op bind --mode account --tid 1 --user extra", "too many accounts");
}

}  // namespace
}  // namespace iscsi::target::config
