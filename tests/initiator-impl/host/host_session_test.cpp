// Sessions of an InitiatorHost: CRC32C digests set through -o update, negotiated and used by a
// WRITE then READ through InitiatorHost::session(sid); `-m session -P 2`; a session whose
// recovery runs out leaves the table; commands queue in call order; invalid command lines.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "initiator-impl/client/cdb_builders.hpp"
#include "tests/initiator-impl/host/host_lab.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::host::testing {
namespace {

std::string disk_node() { return fmt::format("-m node -T {} -p 10.0.0.2", kDisk); }

session::CommandCompleted run_command(HostLab& lab, client::Session& session,
                                      session::ScsiRequest request) {
  std::optional<session::CommandCompleted> completed;
  session.submit(std::move(request),
                 [&completed](const session::CommandCompleted& done) { completed = done; });
  if (!lab.run_until([&] { return completed.has_value(); })) throw std::runtime_error("no answer");
  return std::move(*completed);
}

TEST(HostSession, Crc32cDigestsFromTheRecordAreNegotiatedAndCarryIo) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  for (std::string_view key : {"HeaderDigest", "DataDigest"}) {
    expect_report(lab.iscsiadm(fmt::format("{} -o update -n node.conn[0].iscsi.{} -v CRC32C",
                                           disk_node(), key)),
                  0, "", "");
  }
  ASSERT_EQ(lab.iscsiadm(disk_node() + " -l").exit_code, 0);
  std::shared_ptr<client::Session> session = lab.host().session(1);
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->login_result().connection.header_digest, negotiation::Digest::crc32c);
  EXPECT_EQ(session->login_result().connection.data_digest, negotiation::Digest::crc32c);
  const iscsiadm::Report tree = lab.iscsiadm("-m session -P 2");
  EXPECT_EQ(tree.exit_code, 0);
  EXPECT_NE(tree.out.find("\t\tHeaderDigest: CRC32C\n\t\tDataDigest: CRC32C\n"), std::string::npos)
      << tree.out;

  const pdu::Lun lun = *pdu::Lun::from_number(1);
  // The first command meets the new nexus's unit attention (SPC-4 §5.14).
  (void)run_command(lab, *session,
                    client::cdb::no_data_request(lun, client::cdb::test_unit_ready()));
  const Bytes data = test::pattern_bytes(64 * 512, 0x5a);
  const session::CommandCompleted written =
      run_command(lab, *session, client::cdb::write_request(lun, 16, data, 512));
  ASSERT_FALSE(written.failure.has_value()) << written.failure->detail;
  EXPECT_EQ(written.status, 0);
  const session::CommandCompleted read =
      run_command(lab, *session, client::cdb::read_request(lun, 16, 64, 512));
  ASSERT_FALSE(read.failure.has_value()) << read.failure->detail;
  EXPECT_EQ(read.status, 0);
  EXPECT_EQ(read.data_in, data);
  EXPECT_TRUE(lab.host_trace().violations.empty());
}

TEST(HostSession, ASessionWhoseRecoveryRunsOutLeavesTheTable) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  // Two reconnect attempts (replacement_timeout 4 s, DefaultTime2Wait 2 s).
  ASSERT_EQ(lab.iscsiadm(disk_node() +
                         " -o update -n node.session.timeo.replacement_timeout -v 4")
                .exit_code,
            0);
  ASSERT_EQ(lab.iscsiadm(disk_node() + " -l").exit_code, 0);
  const runtime::ConnectionKey key = lab.host().session(1)->key();
  ASSERT_TRUE(lab.fabric().close_listener({kTargetIpv4, 3260}));
  ASSERT_TRUE(lab.fabric().reset(key));
  ASSERT_TRUE(lab.run_until([&] { return lab.host().sessions().empty(); }));
  EXPECT_EQ(lab.host().session(1), nullptr);
  expect_report(lab.iscsiadm("-m session"), 21, "", "iscsiadm: No active sessions.\n");
  // The record is free again: it can be deleted.
  expect_report(lab.iscsiadm(disk_node() + " -o delete"), 0, "", "");
}

TEST(HostSession, CommandsRunOneAtATimeInCallOrder) {
  HostLab lab;
  configure_targets(lab);
  const std::vector<iscsiadm::Report> reports = lab.iscsiadm_all(
      {"-m session", "-m discovery -t st -p 10.0.0.2", disk_node() + " -l", "-m session"});
  ASSERT_EQ(reports.size(), 4u);
  expect_report(reports[0], 21, "", "iscsiadm: No active sessions.\n");
  EXPECT_EQ(reports[1].exit_code, 0);
  EXPECT_EQ(reports[2].exit_code, 0);
  expect_report(reports[3], 0, fmt::format("tcp: [1] 10.0.0.2:3260,1 {} (non-flash)\n", kDisk),
                "");
}

TEST(HostSession, InvalidLinesAndUnknownSessionsAnswerAsIscsiadm) {
  HostLab lab;
  configure_targets(lab);
  const iscsiadm::Report both = lab.iscsiadm(disk_node() + " -l -u");
  EXPECT_EQ(both.exit_code, 7);
  EXPECT_EQ(both.out, "");
  EXPECT_EQ(both.err, "iscsiadm: Invalid parameters. Both login and logout passed in\n");
  expect_report(lab.iscsiadm("-m session -r 9"), 2, "",
                "iscsiadm: Could not get session info for sid 9\n"
                "iscsiadm: initiator reported error (2 - session not found)\n");
  expect_report(lab.iscsiadm(disk_node() + " -l"), 21, "", "iscsiadm: No records found\n");
  expect_report(lab.iscsiadm("-m fw"), 27, "",
                "iscsiadm: fw mode is not supported by iscsim (no offload hardware)\n");
}

}  // namespace
}  // namespace iscsi::initiator::host::testing
