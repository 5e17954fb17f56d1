#include "target-impl/config/yaml/config_yaml.hpp"

#include <gtest/gtest.h>

#include "target-impl/config/show.hpp"
#include "tests/target-impl/config/fake_host.hpp"

namespace iscsi::target::config {
namespace {

constexpr std::string_view document = R"(# The same configuration as the tgtadm lines below.
accounts:
  - {user: alice, password: secret}
  - user: bob
    password: other
targets:
  - tid: 1
    name: iqn.2001-04.com.example:storage.disk1
    params:
      HeaderDigest: CRC32C
      MaxRecvDataSegmentLength: 65536
    luns:
      - lun: 1
        backing-store: /srv/disk1.img
      - lun: 2
        bstype: ram
        backing-store: 64M
        params: {thin_provisioning: 1, readonly: 1}
    acl:
      addresses: [ALL, 10.0.0.0/8]
      names: [iqn.1994-05.com.redhat:client]
    accounts:
      incoming: [alice]
      outgoing: bob
discovery:
  accounts:
    incoming: [alice]
)";

constexpr std::string_view lines = R"(
--op new --mode account --user alice --password secret
--op new --mode account --user bob --password other
--op new --mode target --tid 1 -T iqn.2001-04.com.example:storage.disk1
--op update --mode target --tid 1 -n HeaderDigest -v CRC32C
--op update --mode target --tid 1 -n MaxRecvDataSegmentLength -v 65536
--op new --mode logicalunit --tid 1 --lun 1 -b /srv/disk1.img
--op new --mode logicalunit --tid 1 --lun 2 --bstype ram -b 64M
--op update --mode logicalunit --tid 1 --lun 2 --params thin_provisioning=1,readonly=1
--op bind --mode target --tid 1 -I ALL
--op bind --mode target --tid 1 -I 10.0.0.0/8
--op bind --mode target --tid 1 -Q iqn.1994-05.com.redhat:client
--op bind --mode account --tid 1 --user alice
--op bind --mode account --tid 1 --user bob --outgoing
--op bind --mode account --user alice
)";

struct Loaded {
  SystemConfig config;
  LoadedConfig result;
};

Loaded load(std::string_view text) {
  testing::FakeHost host;
  host.files["/srv/disk1.img"] = 64ULL << 20;
  Loaded loaded;
  loaded.result = yaml::load_yaml(text, "t.yaml", loaded.config, host);
  return loaded;
}

std::string error_of(std::string_view text) {
  Loaded loaded = load(text);
  EXPECT_TRUE(loaded.result.error) << text;
  EXPECT_TRUE(loaded.config.targets.empty() && loaded.config.accounts.empty()) << text;
  return loaded.result.error ? loaded.result.error->to_string() : std::string();
}

TEST(ConfigYaml, MatchesTheEquivalentTgtadmLines) {
  Loaded from_yaml = load(document);
  ASSERT_FALSE(from_yaml.result.error) << from_yaml.result.error->to_string();
  testing::FakeHost host;
  host.files["/srv/disk1.img"] = 64ULL << 20;
  SystemConfig from_lines;
  LoadedConfig loaded = load_tgtadm_lines(lines, "lines.conf", from_lines, host);
  ASSERT_FALSE(loaded.error) << loaded.error->to_string();
  EXPECT_EQ(show_targets(from_yaml.config, host), show_targets(from_lines, host));
  EXPECT_EQ(show_target_params(from_yaml.config.targets.at(1)),
            show_target_params(from_lines.targets.at(1)));
  EXPECT_EQ(show_accounts(from_yaml.config), show_accounts(from_lines));
  EXPECT_EQ(show_system(from_yaml.config), show_system(from_lines));
  EXPECT_EQ(from_yaml.result.effects, loaded.effects);
}

TEST(ConfigYaml, EmptyDocumentIsEmptyConfiguration) {
  Loaded loaded = load("# nothing\n");
  EXPECT_FALSE(loaded.result.error);
  EXPECT_TRUE(loaded.config.targets.empty());
}

TEST(ConfigYaml, UnknownKeysAreErrorsAtTheKey) {
  EXPECT_EQ(error_of("targets:\n  - tid: 1\n    name: iqn.x\n    lunz: []\n"),
            "t.yaml:4:5: unknown key 'lunz' in a target (allowed: tid, name, luns, acl, "
            "accounts, params)");
  EXPECT_EQ(error_of("target: []\n"),
            "t.yaml:1:1: unknown key 'target' in the document (allowed: accounts, targets, "
            "discovery)");
  EXPECT_EQ(error_of("targets:\n  - tid: 1\n    name: x\n    luns:\n      - {lun: 1, size: 3}\n"),
            "t.yaml:5:18: unknown key 'size' in a LUN (allowed: lun, backing-store, bstype, "
            "blocksize, bsoflags, params)");
}

TEST(ConfigYaml, WrongShapesAndValuesNameLineAndColumn) {
  EXPECT_EQ(error_of("targets: {tid: 1}\n"), "t.yaml:1:10: targets must be a sequence");
  EXPECT_EQ(error_of("targets:\n  - tid: one\n    name: x\n"),
            "t.yaml:2:10: tid must be a number from 1 to 2147483647, not 'one'");
  EXPECT_EQ(error_of("targets:\n  - name: x\n"), "t.yaml:2:5: a target needs tid and name");
  EXPECT_EQ(error_of("accounts:\n  - {user: [a], password: b}\n"),
            "t.yaml:2:12: user must be a scalar");
}

TEST(ConfigYaml, RefusedRequestsCarryTgtadmsMessage) {
  EXPECT_EQ(error_of("targets:\n  - {tid: 1, name: a}\n  - {tid: 1, name: b}\n"),
            "t.yaml:3:5: tgtadm: this target already exists");
  EXPECT_EQ(error_of("targets:\n  - tid: 1\n    name: a\n    acl: {addresses: [bogus]}\n"),
            "t.yaml:4:23: tgtadm: invalid request");
  EXPECT_EQ(error_of("targets:\n  - tid: 1\n    name: a\n    params: {HeaderDigest: MD5}\n"),
            "t.yaml:4:14: tgtadm: invalid request");
  EXPECT_EQ(error_of("targets:\n  - tid: 1\n    name: a\n    accounts: {incoming: [nobody]}\n"),
            "t.yaml:4:27: tgtadm: can't find the account");
}

TEST(ConfigYaml, SyntaxErrorsNameLineAndColumn) {
  std::string error = error_of("targets:\n  - tid: 1\n    name: [unclosed\n");
  EXPECT_EQ(error.rfind("t.yaml:4:", 0), 0U) << error;
}

TEST(ConfigYaml, CommasCannotHideInLunParams) {
  EXPECT_EQ(error_of("targets:\n  - tid: 1\n    name: a\n    luns:\n"
                     "      - {lun: 1, bstype: null, params: {scsi_id: 'a,readonly=1'}}\n"),
            "t.yaml:5:50: a LUN parameter cannot contain ','");
}

}  // namespace
}  // namespace iscsi::target::config
