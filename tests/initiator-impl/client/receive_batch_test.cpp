// client::Connection's hint for receive coalescing (StreamHandler::receive_batch_bytes(), used
// by core/asio's streams): a quarter of the Data-In its reads in flight still expect, and
// nothing when no read is in flight. The simulator's streams never ask, so the test does,
// through the lab's CountingNetwork.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "initiator-impl/client/cdb_builders.hpp"
#include "tests/initiator-impl/client/client_lab.hpp"

namespace iscsi::initiator::client::testing {
namespace {

constexpr std::string_view kHintDisk = "iqn.2026-01.test.lab:receive-batch";

TEST(ClientReceiveBatch, AQuarterOfTheDataInOfTheReadsInFlight) {
  ClientLab lab;
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kHintDisk));
  lab.configure("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 1M");
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL");
  LoginRequest request = lab.request(kHintDisk);
  request.connection.batching.max_commands_per_write = 1;  // every command leaves at once
  const LoginOutcome outcome = lab.login(std::move(request));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  const pdu::Lun lun = *pdu::Lun::from_number(1);
  lab.command(*outcome.session, cdb::no_data_request(lun, cdb::test_unit_ready()));
  EXPECT_EQ(lab.client_network().receive_batch_hint(), 0u) << "nothing in flight";

  unsigned completed = 0;
  unsigned failed = 0;
  const auto count = [&](const session::CommandCompleted& done) {
    ++completed;
    if (done.failure || done.status != 0) ++failed;
  };
  constexpr unsigned kReads = 16;
  for (unsigned i = 0; i < kReads; ++i) {
    outcome.session->submit(cdb::read_request(lun, std::uint64_t{i} * 8, 8, 512), count);
  }
  EXPECT_EQ(lab.client_network().receive_batch_hint(), kReads * 4096 / 4);
  // A write expects no Data-In.
  outcome.session->submit(cdb::write_request(lun, 512, Bytes(4096, 0x5a), 512), count);
  EXPECT_EQ(lab.client_network().receive_batch_hint(), kReads * 4096 / 4);

  ASSERT_TRUE(lab.run_until([&] { return completed == kReads + 1; }));
  EXPECT_EQ(failed, 0u);
  EXPECT_EQ(lab.client_network().receive_batch_hint(), 0u) << "every read answered";
}

}  // namespace
}  // namespace iscsi::initiator::client::testing
