// One-line PDU summaries.
#include "core/pdu/describe.hpp"

#include <gtest/gtest.h>

#include "tests/support/pdu_builders.hpp"

namespace iscsi::pdu {
namespace {

TEST(PduDescribe, Read10) {
  const Pdu pdu = test::scsi_read10({.itt = 0x12, .cmd_sn = 5, .exp_stat_sn = 3},
                                    {.lun = 1, .lba = 0x10, .blocks = 8});
  EXPECT_EQ(describe(pdu),
            "SCSI Command ITT=0x00000012 LUN=1 CmdSN=5 ExpStatSN=3 EDTL=4096 "
            "CDB=28 00 00 00 00 10 00 00 08 00 attr=Simple(0x01) F R DSL=0");
}

TEST(PduDescribe, LongCdbAndBidiAhs) {
  Pdu pdu = test::scsi_command({.itt = 1}, 2, test::pattern_bytes(18), 0, true, true);
  pdu.ahs.push_back(BidiReadLengthAhs{64});
  const std::string text = describe(pdu);
  EXPECT_NE(text.find("CDB=00 07 0e 15 1c 23 2a 31 38 3f 46 4d 54 5b 62 69 70 77 attr"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("BidiReadEDTL=64 AHS=2 DSL=0"), std::string::npos) << text;
}

TEST(PduDescribe, LoginResponseWithStatusAndText) {
  const Pdu pdu = test::login_response(
      {.transit = false}, {.itt = 0, .stat_sn = 7}, LoginStatus::authorization_failure,
      test::key_text({{"TargetPortalGroupTag", "1"}, {"Note", "a\"b"}}));
  const std::string text = describe(pdu);
  EXPECT_NE(text.find("Login Response ITT=0x00000000 ISID=0x80"), std::string::npos) << text;
  EXPECT_NE(text.find("Status=0x0202(Authorization failure)"), std::string::npos) << text;
  EXPECT_NE(text.find("text=\"TargetPortalGroupTag=1 Note=a\\x22b\""), std::string::npos) << text;
}

TEST(PduDescribe, LongTextIsCut) {
  const std::string value(400, 'v');
  const Pdu pdu = test::text_request({}, test::key_text({{"X-Long", value}}));
  const std::string text = describe(pdu);
  EXPECT_NE(text.find("...\""), std::string::npos);
  EXPECT_LT(text.size(), kMaxDescribedTextChars + 200);
}

TEST(PduDescribe, CodedValuesAndFlags) {
  EXPECT_EQ(describe(test::reject({.stat_sn = 4}, RejectReason::data_digest_error, {})),
            "Reject ITT=0xffffffff StatSN=4 ExpCmdSN=2 MaxCmdSN=33 "
            "Reason=Data (payload) digest error(0x02) DataSN/R2TSN=0 DSL=0");
  const Pdu data_in = test::data_in({.itt = 3, .data_sn = 2}, {.itt = 3}, {1, 2, 3}, 0x00);
  EXPECT_EQ(describe(data_in),
            "SCSI Data-In ITT=0x00000003 TTT=0xffffffff LUN=0 StatSN=1 ExpCmdSN=2 MaxCmdSN=33 "
            "DataSN=2 BufferOffset=0 Status=GOOD(0x00) ResidualCount=0 F S DSL=3");
  EXPECT_NE(describe(Header(TaskMgmtRequest{.function = static_cast<TmfFunction>(0x70)}))
                .find("Function=reserved(0x70)"),
            std::string::npos);
}

}  // namespace
}  // namespace iscsi::pdu
