#include "pcap/frame_builder.hpp"

#include <gtest/gtest.h>

#include "tests/pcap/raw_frames.hpp"

namespace iscsi::pcap {
namespace {

constexpr runtime::Endpoint kClient{0xc0a80a05, 51000};  // 192.168.10.5
constexpr runtime::Endpoint kServer{0x0a000001, 3260};   // 10.0.0.1

TEST(OnesComplementSum, MatchesRfc1071Example) {
  // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after the end-around carry).
  const Bytes words{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(ones_complement_sum(words), 0xddf2u);
  EXPECT_EQ(fold_checksum(ones_complement_sum(words)), 0x220du);
}

TEST(OnesComplementSum, PadsAnOddLastByteWithZero) {
  const Bytes odd{0x12, 0x34, 0x56};
  EXPECT_EQ(ones_complement_sum(odd), 0x1234u + 0x5600u);
}

TEST(MacForIpv4, IsLocallyAdministeredAndCarriesTheAddress) {
  const MacAddress mac = mac_for_ipv4(0xc0a80a05);
  EXPECT_EQ(mac, (MacAddress{0x02, 0x00, 0xc0, 0xa8, 0x0a, 0x05}));
  EXPECT_EQ(mac[0] & 0x01, 0) << "must be unicast";
  EXPECT_EQ(mac[0] & 0x02, 0x02) << "must be locally administered";
}

TEST(AppendTcpFrame, LaysOutEthernetIpv4AndTcpHeaders) {
  const Bytes payload = to_bytes("hello, iscsi");
  TcpFrame frame{.source = kClient,
                 .destination = kServer,
                 .sequence_number = 0x01020304,
                 .acknowledgment_number = 0xa0b0c0d0,
                 .flags = tcp_flag::ack | tcp_flag::psh,
                 .window = 65535,
                 .ip_id = 0x1234,
                 .payload = payload};
  Bytes out{0xee};  // appends after what is already there
  append_tcp_frame(frame, out);
  ASSERT_EQ(out.size(), 1 + 14 + 20 + 20 + payload.size());
  const ByteView f = ByteView(out).subspan(1);
  EXPECT_EQ(Bytes(f.begin(), f.begin() + 6), (Bytes{0x02, 0x00, 0x0a, 0x00, 0x00, 0x01}));
  EXPECT_EQ(Bytes(f.begin() + 6, f.begin() + 12), (Bytes{0x02, 0x00, 0xc0, 0xa8, 0x0a, 0x05}));
  EXPECT_EQ(load_be16(&f[12]), 0x0800);
  const std::uint8_t* ip = &f[14];
  EXPECT_EQ(ip[0], 0x45);
  EXPECT_EQ(load_be16(ip + 2), 20 + 20 + payload.size());
  EXPECT_EQ(load_be16(ip + 4), 0x1234);
  EXPECT_EQ(load_be16(ip + 6), 0x4000) << "DF set, no fragment offset";
  EXPECT_EQ(ip[8], 64);
  EXPECT_EQ(ip[9], 6);
  EXPECT_EQ(load_be32(ip + 12), kClient.ipv4);
  EXPECT_EQ(load_be32(ip + 16), kServer.ipv4);
  const std::uint8_t* tcp = ip + 20;
  EXPECT_EQ(load_be16(tcp), kClient.port);
  EXPECT_EQ(load_be16(tcp + 2), kServer.port);
  EXPECT_EQ(load_be32(tcp + 4), 0x01020304u);
  EXPECT_EQ(load_be32(tcp + 8), 0xa0b0c0d0u);
  EXPECT_EQ(tcp[12], 0x50) << "data offset 5 words";
  EXPECT_EQ(tcp[13], 0x18);
  EXPECT_EQ(load_be16(tcp + 14), 65535);
  EXPECT_EQ(as_text(ByteView(tcp + 20, payload.size())), "hello, iscsi");
  EXPECT_TRUE(test::ipv4_checksum_ok(f));
  EXPECT_TRUE(test::tcp_checksum_ok(f));
}

TEST(AppendTcpFrame, SynCarriesAnMssOption) {
  Bytes out;
  append_tcp_frame({.source = kClient, .destination = kServer, .flags = tcp_flag::syn,
                    .mss_option = 1448, .payload = {}},
                   out);
  ASSERT_EQ(out.size(), 14u + 20 + 24);
  const std::uint8_t* tcp = &out[34];
  EXPECT_EQ(tcp[12], 0x60) << "data offset 6 words";
  EXPECT_EQ(tcp[20], 2);
  EXPECT_EQ(tcp[21], 4);
  EXPECT_EQ(load_be16(tcp + 22), 1448);
  EXPECT_TRUE(test::tcp_checksum_ok(out));
}

TEST(AppendTcpFrame, ChecksumsHoldForOddAndMaximalPayloads) {
  for (const std::size_t size : {std::size_t{1}, std::size_t{3}, std::size_t{1447},
                                 kMaxTcpPayload}) {
    Bytes payload(size);
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<std::uint8_t>(i * 31 + 7);
    Bytes out;
    append_tcp_frame({.source = kClient, .destination = kServer, .flags = tcp_flag::ack,
                      .payload = payload},
                     out);
    EXPECT_EQ(out.size(), 54 + size);
    EXPECT_TRUE(test::ipv4_checksum_ok(out)) << size;
    EXPECT_TRUE(test::tcp_checksum_ok(out)) << size;
    out.back() ^= 0x01;  // the independent check must notice a flipped payload bit
    EXPECT_FALSE(test::tcp_checksum_ok(out)) << size;
  }
  EXPECT_EQ(kMaxTcpPayload + 40, 65535u);
}

}  // namespace
}  // namespace iscsi::pcap
