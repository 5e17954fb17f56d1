// CdbBytes: CDBs of up to 16 bytes live inside the object (no allocation per command), longer
// ones (Extended CDB) on the heap; both keep their bytes through copies and moves.
#include "initiator-impl/session/cdb_bytes.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace iscsi::initiator::session {
namespace {

bool held_inside(const CdbBytes& cdb) {
  const auto* object = reinterpret_cast<const std::uint8_t*>(&cdb);
  return cdb.data() >= object && cdb.data() < object + sizeof(CdbBytes);
}

Bytes counting_bytes(std::size_t count) {
  Bytes bytes(count);
  for (std::size_t i = 0; i < count; ++i) bytes[i] = static_cast<std::uint8_t>(i + 1);
  return bytes;
}

TEST(CdbBytesTest, SixteenBytesAreHeldInsideTheObject) {
  const CdbBytes cdb(counting_bytes(16));
  EXPECT_TRUE(held_inside(cdb));
  EXPECT_EQ(cdb.size(), 16u);
  EXPECT_EQ(cdb, CdbBytes(counting_bytes(16)));
  const CdbBytes copy = cdb;
  EXPECT_TRUE(held_inside(copy));
  EXPECT_EQ(Bytes(copy.begin(), copy.end()), counting_bytes(16));
}

TEST(CdbBytesTest, AnExtendedCdbGoesToTheHeapAndSurvivesAMove) {
  CdbBytes cdb(counting_bytes(17));
  EXPECT_FALSE(held_inside(cdb));
  const CdbBytes moved = std::move(cdb);
  EXPECT_EQ(moved.size(), 17u);
  EXPECT_EQ(Bytes(moved.begin(), moved.end()), counting_bytes(17));
  EXPECT_EQ(moved.view().size(), 17u);
}

TEST(CdbBytesTest, FilledCdbsAreWritableAndCompareByTheirBytes) {
  CdbBytes cdb(10, 0);
  cdb[0] = 0x28;
  EXPECT_EQ(cdb, (CdbBytes{0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_NE(cdb, CdbBytes(10, 0));
  EXPECT_NE(cdb, CdbBytes(Bytes{0x28}));  // a prefix is not equal
  EXPECT_TRUE(CdbBytes().empty());
  EXPECT_EQ(CdbBytes(300, 0xff).size(), 300u);
}

}  // namespace
}  // namespace iscsi::initiator::session
