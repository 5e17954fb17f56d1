#include "initiator-impl/io/iscsi_url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace iscsi::initiator::io {
namespace {

IscsiUrl parse_ok(std::string_view text) {
  auto parsed = parse_iscsi_url(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().detail);
  return parsed.ok() ? parsed.value() : IscsiUrl{};
}

// The refusal's sentence, after checking its id.
std::string refusal(std::string_view text) {
  auto parsed = parse_iscsi_url(text);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.error().id(), "io.bad-url");
  return parsed.error().detail;
}

TEST(IscsiUrl, FullUrlWithDefaultPort) {
  const IscsiUrl url = parse_ok("iscsi://127.0.0.1/iqn.2003-01.org.example:disk/1");
  EXPECT_FALSE(url.user.has_value());
  EXPECT_FALSE(url.password.has_value());
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 3260);
  EXPECT_EQ(url.target, "iqn.2003-01.org.example:disk");
  EXPECT_EQ(url.lun, 1U);
}

TEST(IscsiUrl, PortAndLunZero) {
  const IscsiUrl url = parse_ok("iscsi://10.1.2.3:3261/iqn.2026-01.test:t/0");
  EXPECT_EQ(url.host, "10.1.2.3");
  EXPECT_EQ(url.port, 3261);
  EXPECT_EQ(url.lun, 0U);
}

TEST(IscsiUrl, UserAndPasswordSplitAtTheFirstPercent) {
  // As libiscsi: the password is everything after the first '%', '%' and ':' included.
  const IscsiUrl url = parse_ok("iscsi://alice%s3c%r:et@192.0.2.1/iqn.2026-01.test:t/2");
  EXPECT_EQ(url.user, "alice");
  EXPECT_EQ(url.password, "s3c%r:et");
}

TEST(IscsiUrl, ColonSeparatesThePasswordWhenThereIsNoPercent) {
  const IscsiUrl url = parse_ok("iscsi://bob:pw@192.0.2.1:3260/iqn.2026-01.test:t/3");
  EXPECT_EQ(url.user, "bob");
  EXPECT_EQ(url.password, "pw");
}

TEST(IscsiUrl, UserWithoutPasswordLeavesThePasswordToTheCaller) {
  const IscsiUrl url = parse_ok("iscsi://carol@192.0.2.1/iqn.2026-01.test:t/3");
  EXPECT_EQ(url.user, "carol");
  EXPECT_FALSE(url.password.has_value());
}

TEST(IscsiUrl, PortalOnlyIsADiscoveryUrl) {
  for (const char* text : {"iscsi://192.0.2.1", "iscsi://192.0.2.1/", "iscsi://192.0.2.1:3262"}) {
    const IscsiUrl url = parse_ok(text);
    EXPECT_EQ(url.host, "192.0.2.1") << text;
    EXPECT_TRUE(url.target.empty()) << text;
    EXPECT_FALSE(url.lun.has_value()) << text;
  }
}

TEST(IscsiUrl, TargetWithoutLunAndEscapesDecoded) {
  const IscsiUrl url = parse_ok("iscsi://192.0.2.1/iqn.2026-01.test%3At%2fx");
  EXPECT_EQ(url.target, "iqn.2026-01.test:t/x");
  EXPECT_FALSE(url.lun.has_value());
}

TEST(IscsiUrl, HighestFlatLun) { EXPECT_EQ(parse_ok("iscsi://192.0.2.1/iqn.x/16383").lun, 16383U); }

TEST(IscsiUrl, WrongScheme) {
  const std::string text = refusal("http://192.0.2.1/iqn.x/1");
  EXPECT_NE(text.find("character 1"), std::string::npos) << text;
  EXPECT_NE(text.find("iscsi://"), std::string::npos) << text;
}

TEST(IscsiUrl, HostNamesAreRefusedAsNotIpv4) {
  const std::string text = refusal("iscsi://storage.example.com/iqn.x/1");
  EXPECT_NE(text.find("character 9"), std::string::npos) << text;
  EXPECT_NE(text.find("\"storage.example.com\" is not an IPv4 address"), std::string::npos) << text;
}

TEST(IscsiUrl, Ipv6IsRefusedAsNotIpv4) {
  for (const char* text : {"iscsi://[::1]:3260/iqn.x/1", "iscsi://fe80::1/iqn.x/1"}) {
    const std::string sentence = refusal(text);
    EXPECT_NE(sentence.find("IPv6"), std::string::npos) << sentence;
    EXPECT_NE(sentence.find("IPv4"), std::string::npos) << sentence;
  }
}

TEST(IscsiUrl, BadDottedQuads) {
  for (const char* text :
       {"iscsi://256.0.0.1/iqn.x/1", "iscsi://1.2.3/iqn.x/1", "iscsi://1.2.3.4.5/iqn.x/1",
        "iscsi://01.2.3.4/iqn.x/1", "iscsi://1..3.4/iqn.x/1", "iscsi:///iqn.x/1"}) {
    const std::string sentence = refusal(text);
    EXPECT_NE(sentence.find("character 9"), std::string::npos) << text << ": " << sentence;
  }
}

TEST(IscsiUrl, BadPorts) {
  for (const char* text : {"iscsi://1.2.3.4:/iqn.x/1", "iscsi://1.2.3.4:0/iqn.x/1",
                           "iscsi://1.2.3.4:65536/iqn.x/1", "iscsi://1.2.3.4:32a/iqn.x/1"}) {
    const std::string sentence = refusal(text);
    EXPECT_NE(sentence.find("character 17: port"), std::string::npos) << text << ": " << sentence;
  }
}

TEST(IscsiUrl, BadLuns) {
  EXPECT_NE(refusal("iscsi://1.2.3.4/iqn.x/")
                .find("character 23: the LUN after the target name is empty"),
            std::string::npos);
  for (const char* text : {"iscsi://1.2.3.4/iqn.x/16384", "iscsi://1.2.3.4/iqn.x/-1",
                           "iscsi://1.2.3.4/iqn.x/1/2", "iscsi://1.2.3.4/iqn.x/ 1"}) {
    const std::string sentence = refusal(text);
    EXPECT_NE(sentence.find("character 23: LUN"), std::string::npos) << text << ": " << sentence;
  }
}

TEST(IscsiUrl, EmptyTargetBeforeLun) {
  EXPECT_NE(refusal("iscsi://1.2.3.4//1").find("character 17: the target name is empty"),
            std::string::npos);
}

TEST(IscsiUrl, BadEscapeInTarget) {
  for (const char* text : {"iscsi://1.2.3.4/iqn%zz/1", "iscsi://1.2.3.4/iqn%4"}) {
    EXPECT_NE(refusal(text).find("character 20: '%'"), std::string::npos) << text;
  }
}

TEST(IscsiUrl, EmptyUserOrPassword) {
  EXPECT_NE(refusal("iscsi://@1.2.3.4/iqn.x/1").find("character 9: the user name"),
            std::string::npos);
  EXPECT_NE(refusal("iscsi://u%@1.2.3.4/iqn.x/1").find("character 11: the password"),
            std::string::npos);
}

TEST(IscsiUrl, OverlongUrl) {
  const std::string text = "iscsi://1.2.3.4/" + std::string(2000, 'a') + "/1";
  EXPECT_NE(refusal(text).find("longer than"), std::string::npos);
}

}  // namespace
}  // namespace iscsi::initiator::io
