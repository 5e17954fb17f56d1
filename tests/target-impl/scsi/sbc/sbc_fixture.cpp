#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

#include "core/scsi/opcodes.hpp"

namespace iscsi::target::scsi::test {

void SbcFixture::SetUp() {
  LunFlags thin;
  thin.thin_provisioning = true;
  build({sparse_lun(kThinLun, kBlocks, thin, backing::InitialAllocation::deallocated),
         memory_lun(kThickLun, kBlocks)});
}

LunSetup SbcFixture::sparse_lun(std::uint16_t lun, std::uint64_t blocks, LunFlags flags,
                                backing::InitialAllocation initial) {
  auto sparse = backing::SparseMemoryStore::create(clock_, {blocks * 512, {}});
  EXPECT_TRUE(sparse.ok());
  auto store = backing::make_tracked_store(std::move(sparse).value(), initial);
  if (lun == kThinLun) thin_store_ = store;
  LunSetup setup;
  setup.lun = lun;
  setup.store = store;
  setup.size_bytes = blocks * 512;
  setup.flags = flags;
  return setup;
}

void SbcFixture::fill(std::uint16_t lun, std::uint64_t lba, std::uint32_t blocks,
                      std::uint8_t value) {
  expect_good(run(lun, cdb16_rw(iscsi::scsi::op::kWrite16, 0, lba, blocks), kNexusA,
                  Bytes(blocks * 512, value)));
}

Bytes SbcFixture::read(std::uint16_t lun, std::uint64_t lba, std::uint32_t blocks) {
  const CommandResult result = run(lun, cdb16_rw(iscsi::scsi::op::kRead16, 0, lba, blocks));
  expect_good(result);
  return result.data_in;
}

Bytes cdb10(std::uint8_t opcode, std::uint8_t byte1, std::uint32_t lba, std::uint16_t length) {
  Bytes cdb = cdb16({opcode, byte1});
  store_be32(&cdb[2], lba);
  store_be16(&cdb[7], length);
  return cdb;
}

Bytes cdb12(std::uint8_t opcode, std::uint8_t byte1, std::uint32_t lba, std::uint32_t length) {
  Bytes cdb = cdb16({opcode, byte1});
  store_be32(&cdb[2], lba);
  store_be32(&cdb[6], length);
  return cdb;
}

Bytes cdb16_rw(std::uint8_t opcode, std::uint8_t byte1, std::uint64_t lba, std::uint32_t length) {
  Bytes cdb = cdb16({opcode, byte1});
  store_be64(&cdb[2], lba);
  store_be32(&cdb[10], length);
  return cdb;
}

Bytes service_action_in(std::uint16_t action, std::uint64_t lba, std::uint32_t allocation) {
  Bytes cdb = cdb16({op::kServiceActionIn16, static_cast<std::uint8_t>(action)});
  store_be64(&cdb[2], lba);
  store_be32(&cdb[10], allocation);
  return cdb;
}

}  // namespace iscsi::target::scsi::test
