// SYNCHRONIZE CACHE, PRE-FETCH, READ DEFECT DATA and SANITIZE through the Port.
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

using CacheTest = SbcFixture;

TEST_F(CacheTest, SynchronizeCacheAndPrefetchCheckTheirRange) {
  expect_good(run(kThinLun, cdb10(op::kSynchronizeCache10, 0x02, 0, 0)));
  expect_good(run(kThinLun, cdb16_rw(op::kSynchronizeCache16, 0, kBlocks - 1, 1)));
  expect_check_condition(run(kThinLun, cdb16_rw(op::kSynchronizeCache16, 0, kBlocks, 1)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_good(run(kThinLun, cdb10(op::kPreFetch10, 0x02, 0, 1)));
  expect_good(run(kThinLun, cdb16_rw(op::kPreFetch16, 0, 10, 0)));
  expect_check_condition(run(kThinLun, cdb10(op::kPreFetch10, 0, kBlocks + 1, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_check_condition(run(kThinLun, cdb16_rw(op::kPreFetch16, 0, ~std::uint64_t{0}, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
}

TEST_F(CacheTest, ReadDefectDataReturnsAnEmptyListInTheRequestedFormat) {
  Bytes cdb10_ = cdb16({op::kReadDefectData10, 0x00, 0x1d});  // PLIST, GLIST, format 101b
  store_be16(&cdb10_[7], 512);
  const CommandResult ten = run(kThinLun, cdb10_);
  expect_good(ten);
  EXPECT_EQ(to_hex(ten.data_in), "001d0000");
  Bytes cdb12_ = cdb16({op::kReadDefectData12, 0x0c});  // GLIST, format 100b
  store_be32(&cdb12_[6], 4);
  const CommandResult twelve = run(kThinLun, cdb12_);
  expect_good(twelve);
  EXPECT_EQ(to_hex(twelve.data_in), "000c0000");  // cut to the allocation length
}

Bytes sanitize_cdb(std::uint16_t action, std::uint16_t list_length) {
  Bytes cdb = cdb16({op::kSanitize, static_cast<std::uint8_t>(action)});
  store_be16(&cdb[7], list_length);
  return cdb;
}

Bytes overwrite_list(std::uint8_t count, const Bytes& pattern) {
  Bytes list(4 + pattern.size(), 0);
  list[0] = count;
  store_be16(&list[2], static_cast<std::uint16_t>(pattern.size()));
  for (std::size_t i = 0; i < pattern.size(); ++i) list[4 + i] = pattern[i];
  return list;
}

TEST_F(CacheTest, SanitizeOverwriteFillsEveryBlockWithThePattern) {
  const Bytes list = overwrite_list(1, Bytes{0xde, 0xad, 0xbe, 0xef});
  const CommandResult result =
      run(kThinLun, sanitize_cdb(sa::kSanitizeOverwrite, 8), kNexusA, list);
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, 8u);
  for (const std::uint64_t lba : {std::uint64_t{0}, kBlocks - 1}) {
    const Bytes block = read(kThinLun, lba, 1);
    EXPECT_EQ(to_hex(ByteView(block).first(8)), "deadbeefdeadbeef");
    EXPECT_EQ(to_hex(ByteView(block).last(4)), "deadbeef");
  }
}

TEST_F(CacheTest, SanitizeOverwriteParameterChecksAreInvalidFieldsInTheCdb) {
  const auto invalid = [&](std::uint16_t length, const Bytes& list) {
    expect_check_condition(run(kThinLun, sanitize_cdb(sa::kSanitizeOverwrite, length), kNexusA,
                               list),
                           SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(7));
  };
  for (std::uint16_t length = 0; length < 5; ++length) invalid(length, Bytes(length, 1));
  invalid(512 + 5, Bytes(517, 0));
  invalid(516, overwrite_list(0, Bytes(512, 1)));    // OVERWRITE COUNT 0
  invalid(516, overwrite_list(1, Bytes{}) /* pattern length 0 */);
  Bytes too_long = overwrite_list(1, Bytes(512, 1));
  store_be16(&too_long[2], 516);
  invalid(516, too_long);
}

TEST_F(CacheTest, SanitizeBlockEraseDeallocatesEverything) {
  fill(kThinLun, 0, 16, 'e');
  fill(kThinLun, kBlocks - 16, 16, 'e');
  expect_good(run(kThinLun, sanitize_cdb(sa::kSanitizeBlockErase, 0)));
  EXPECT_EQ(read(kThinLun, 0, 16), Bytes(16 * 512, 0));
  EXPECT_EQ(thin_store_->tracker().mapped_blocks(), 0u);
  fill(kThinLun, 0, 1, 'e');
  expect_good(run(kThinLun, sanitize_cdb(sa::kSanitizeCryptographicErase, 0)));
  EXPECT_EQ(thin_store_->tracker().mapped_blocks(), 0u);
  expect_good(run(kThinLun, sanitize_cdb(sa::kSanitizeExitFailureMode, 0)));
  // These take no parameter list.
  for (const std::uint16_t action : {sa::kSanitizeBlockErase, sa::kSanitizeCryptographicErase,
                                     sa::kSanitizeExitFailureMode}) {
    expect_check_condition(run(kThinLun, sanitize_cdb(action, 8), kNexusA, Bytes(8, 0)),
                           SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(7));
  }
}

TEST_F(CacheTest, SanitizeWithAnUnknownServiceActionFails) {
  const CommandResult result = run(kThinLun, sanitize_cdb(0x04, 0));
  EXPECT_EQ(result.status, kStatusCheckCondition);
  ASSERT_GE(result.sense.size(), 14u);
  EXPECT_EQ(result.sense[2] & 0x0f, static_cast<int>(SenseKey::illegal_request));
  EXPECT_EQ(result.sense[12], 0x24);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
