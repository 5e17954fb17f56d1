#include "target-impl/config/target_params.hpp"

#include <gtest/gtest.h>

namespace iscsi::target::config {
namespace {

std::optional<std::string> canon(std::string_view name, std::string_view value) {
  return canonical_param_value(*find_param_spec(name), value);
}

TEST(TargetParams, DefaultsAreTgts) {
  TargetConfig t;
  EXPECT_EQ(effective_param(t, "MaxRecvDataSegmentLength"), "8192");
  EXPECT_EQ(effective_param(t, "HeaderDigest"), "None");
  EXPECT_EQ(effective_param(t, "DataDigest"), "None");
  EXPECT_EQ(effective_param(t, "InitialR2T"), "Yes");
  EXPECT_EQ(effective_param(t, "ImmediateData"), "Yes");
  EXPECT_EQ(effective_param(t, "FirstBurstLength"), "65536");
  EXPECT_EQ(effective_param(t, "MaxBurstLength"), "262144");
  EXPECT_EQ(effective_param(t, "ErrorRecoveryLevel"), "0");
  EXPECT_EQ(effective_param(t, "MaxConnections"), "1");
  EXPECT_EQ(effective_param(t, "MaxQueueCmd"), "128");
  EXPECT_EQ(effective_params(t).size(), 24U);
  EXPECT_EQ(effective_params(t).front().first, "MaxRecvDataSegmentLength");
  EXPECT_EQ(effective_params(t).back().first, "MaxQueueCmd");
}

TEST(TargetParams, NamesAreCaseInsensitive) {
  ASSERT_NE(find_param_spec("headerdigest"), nullptr);
  EXPECT_EQ(find_param_spec("headerdigest")->name, "HeaderDigest");
  EXPECT_EQ(find_param_spec("HeaderDigests"), nullptr);
  TargetConfig t;
  t.params["HeaderDigest"] = "CRC32C,None";
  EXPECT_EQ(effective_param(t, "HEADERDIGEST"), "CRC32C,None");
}

TEST(TargetParams, RangesUseStrtolAndTheTableLimits) {
  EXPECT_EQ(canon("MaxRecvDataSegmentLength", "512"), "512");
  EXPECT_EQ(canon("MaxRecvDataSegmentLength", "16777215"), "16777215");
  EXPECT_FALSE(canon("MaxRecvDataSegmentLength", "511"));
  EXPECT_FALSE(canon("MaxRecvDataSegmentLength", "16777216"));
  EXPECT_EQ(canon("MaxRecvDataSegmentLength", "0x1000"), "4096");
  EXPECT_EQ(canon("FirstBurstLength", "131072xyz"), "131072");
  EXPECT_FALSE(canon("FirstBurstLength", "xyz"));
  EXPECT_EQ(canon("ErrorRecoveryLevel", "2"), "2");
  EXPECT_FALSE(canon("ErrorRecoveryLevel", "3"));
  EXPECT_EQ(canon("DefaultTime2Wait", "0"), "0");
  EXPECT_FALSE(canon("DefaultTime2Wait", "3601"));
  EXPECT_FALSE(canon("MaxOutstandingR2T", "0"));
  EXPECT_EQ(canon("MaxOutstandingR2T", "65535"), "65535");
  EXPECT_FALSE(canon("MaxQueueCmd", "513"));
}

TEST(TargetParams, MaxOutstandingUnexpectedPdusAllowsZeroOrTwoAndMore) {
  EXPECT_EQ(canon("MaxOutstandingUnexpectedPDUs", "0"), "0");
  EXPECT_FALSE(canon("MaxOutstandingUnexpectedPDUs", "1"));
  EXPECT_EQ(canon("MaxOutstandingUnexpectedPDUs", "2"), "2");
  EXPECT_EQ(canon("MaxOutstandingUnexpectedPDUs", "-1"), "4294967295");  // as tgt
}

TEST(TargetParams, BooleansAreExactlyYesOrNo) {
  EXPECT_EQ(canon("InitialR2T", "No"), "No");
  EXPECT_EQ(canon("DataPDUInOrder", "Yes"), "Yes");
  EXPECT_FALSE(canon("InitialR2T", "no"));
  EXPECT_FALSE(canon("InitialR2T", "1"));
}

TEST(TargetParams, DigestListsEnableCrc32cAnywhereAndKeepNone) {
  EXPECT_EQ(canon("HeaderDigest", "CRC32C"), "CRC32C,None");
  EXPECT_EQ(canon("HeaderDigest", "None,CRC32C"), "CRC32C,None");
  EXPECT_EQ(canon("DataDigest", "CRC32C,None"), "CRC32C,None");
  EXPECT_EQ(canon("DataDigest", "None"), "None");
  EXPECT_EQ(canon("DataDigest", "CRC32Cfoo"), "CRC32C,None");  // tgt compares prefixes
  const ParamSpec& digest = *find_param_spec("DataDigest");
  EXPECT_EQ(display_param_value(digest, "CRC32C,None"), "CRC32C");
  EXPECT_EQ(display_param_value(digest, "None"), "None");
  EXPECT_EQ(display_param_value(*find_param_spec("MaxBurstLength"), "512"), "512");
  EXPECT_FALSE(canon("DataDigest", "None,foo"));
  EXPECT_FALSE(canon("DataDigest", "crc32c"));
  EXPECT_FALSE(canon("DataDigest", ""));
}

TEST(TargetParams, MarkersAcceptAnythingAndShowIrrelevant) {
  EXPECT_EQ(effective_param(TargetConfig{}, "OFMarkInt"), "Reject");
  EXPECT_EQ(canon("OFMarkInt", "whatever"), "Irrelevant");
}

TEST(TargetParams, RedirectNeedsAnAddressAndAReason) {
  TargetConfig t;
  EXPECT_FALSE(redirect_of(t));
  t.params["RedirectAddress"] = "10.0.0.9";
  EXPECT_FALSE(redirect_of(t));
  t.params["RedirectReason"] = "Temporary";
  auto temporary = redirect_of(t);
  ASSERT_TRUE(temporary);
  EXPECT_EQ(temporary->address, "10.0.0.9");
  EXPECT_EQ(temporary->port, "");
  EXPECT_FALSE(temporary->permanent);
  t.params["RedirectPort"] = "3261";
  t.params["RedirectReason"] = "Permanent";
  auto permanent = redirect_of(t);
  EXPECT_EQ(permanent->port, "3261");
  EXPECT_TRUE(permanent->permanent);
  t.params["RedirectAddress"] = "";
  EXPECT_FALSE(redirect_of(t));
}

}  // namespace
}  // namespace iscsi::target::config
