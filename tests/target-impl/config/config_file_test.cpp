#include "target-impl/config/config_file.hpp"

#include <gtest/gtest.h>

#include "tests/target-impl/config/fake_host.hpp"

namespace iscsi::target::config {
namespace {

constexpr std::string_view tutorial = R"(# The tutorial's target, one-way CHAP and an IP ACL.
tgtadm --lld iscsi --op new --mode target --tid 1 -T iqn.2001-04.com.example:storage.disk1

tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b /srv/disk1.img
--lld iscsi --op bind --mode target --tid 1 -I 192.168.1.0/24   # no tgtadm prefix
sudo tgtadm --lld iscsi --op new --mode account --user 'iscsi user' --password "123456"
iscsim tgtadm --lld iscsi --op bind --mode account --tid 1 \
    --user 'iscsi user'
tgtadm --lld iscsi --op show --mode account
)";

TEST(ConfigFile, LoadsTheTutorialLines) {
  testing::FakeHost host;
  host.files["/srv/disk1.img"] = 64ULL << 20;
  SystemConfig config;
  LoadedConfig loaded = load_tgtadm_lines(tutorial, "tutorial.conf", config, host);
  ASSERT_FALSE(loaded.error) << loaded.error->to_string();
  const TargetConfig& t = config.targets.at(1);
  EXPECT_EQ(t.luns.at(1).size_bytes, 64ULL << 20);
  EXPECT_EQ(t.initiator_addresses.at(0).text, "192.168.1.0/24");
  EXPECT_EQ(t.incoming_users, std::vector<std::string>{"iscsi user"});
  EXPECT_EQ(config.find_account("iscsi user")->password, "123456");
  EXPECT_EQ(loaded.output, "Account list:\n    iscsi user\n");
  EXPECT_EQ(loaded.effects.size(), 5U);
  EXPECT_EQ(loaded.effects.front(), (Effect{EffectKind::target_added, 1, 0}));
}

TEST(ConfigFile, CrLfLinesWork) {
  testing::FakeHost host;
  SystemConfig config;
  LoadedConfig loaded = load_tgtadm_lines(
      "tgtadm --op new --mode target --tid 2 -T iqn.x\r\n\r\n# c\r\n", "crlf.conf", config, host);
  ASSERT_FALSE(loaded.error) << loaded.error->to_string();
  EXPECT_EQ(config.targets.at(2).name, "iqn.x");
}

TEST(ConfigFile, ARefusedLineNamesFileAndLineAndNothingIsApplied) {
  testing::FakeHost host;
  SystemConfig config;
  std::string text =
      "tgtadm --op new --mode target --tid 1 -T iqn.a\n"
      "\n"
      "tgtadm --op new --mode target --tid 1 \\\n"
      "  -T iqn.b\n";
  LoadedConfig loaded = load_tgtadm_lines(text, "t.conf", config, host);
  ASSERT_TRUE(loaded.error);
  EXPECT_EQ(loaded.error->to_string(), "t.conf:3: tgtadm: this target already exists");
  EXPECT_TRUE(loaded.effects.empty());
  EXPECT_TRUE(config.targets.empty());
}

TEST(ConfigFile, UsageErrorsKeepTgtadmsText) {
  testing::FakeHost host;
  SystemConfig config;
  LoadedConfig loaded = load_tgtadm_lines("tgtadm --mode target --op new --tid x\n", "u.conf",
                                          config, host);
  ASSERT_TRUE(loaded.error);
  EXPECT_EQ(loaded.error->line, 1U);
  EXPECT_EQ(loaded.error->message,
            "-t argument value 'x' invalid Try `tgtadm --help' for more information.");
}

TEST(ConfigFile, TokenizerErrorsNameTheColumn) {
  testing::FakeHost host;
  SystemConfig config;
  LoadedConfig loaded =
      load_tgtadm_lines("# ok\ntgtadm --op new --mode account --user 'bob\n", "q.conf", config, host);
  ASSERT_TRUE(loaded.error);
  EXPECT_EQ(loaded.error->to_string(), "q.conf:2:39: unterminated single quote");
}

TEST(ConfigFile, EmptyAndCommentOnlyFilesLoadNothing) {
  testing::FakeHost host;
  SystemConfig config;
  LoadedConfig loaded = load_tgtadm_lines("\n# nothing\n   \n", "e.conf", config, host);
  EXPECT_FALSE(loaded.error);
  EXPECT_TRUE(loaded.effects.empty());
  EXPECT_TRUE(config.targets.empty());
}

}  // namespace
}  // namespace iscsi::target::config
