#pragma once
// Helpers shared by the core/text tests.
#include <string>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/text/key_value.hpp"

namespace iscsi::text::testing {

// Builds text from a literal that may hold NULs: text_of("A=1\0B=2\0"sv) keeps them.
inline Bytes bytes_of(std::string_view text) { return to_bytes(text); }

// Real login text from tgtd-libiscsi-session.pcap (frame 26, libiscsi's iscsi-inq leading
// login at CSG=1), copied byte for byte from the capture's data segment.
inline const std::string& libiscsi_login_text() {
  static const std::string text = [] {
    using namespace std::string_view_literals;
    return std::string(
        "InitiatorName=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-inq\0"
        "TargetName=iqn.2019-01.com.example:lab1\0"
        "SessionType=Normal\0"
        "HeaderDigest=None,CRC32C\0"
        "DataDigest=None\0"
        "InitialR2T=No\0"
        "ImmediateData=Yes\0"
        "MaxBurstLength=262144\0"
        "FirstBurstLength=262144\0"
        "DefaultTime2Wait=2\0"
        "DefaultTime2Retain=0\0"
        "MaxOutstandingR2T=1\0"
        "ErrorRecoveryLevel=0\0"
        "IFMarker=No\0"
        "OFMarker=No\0"
        "MaxConnections=1\0"
        "MaxRecvDataSegmentLength=262144\0"
        "DataPDUInOrder=Yes\0"
        "DataSequenceInOrder=Yes\0"sv);
  }();
  return text;
}

}  // namespace iscsi::text::testing
