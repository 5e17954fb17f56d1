#pragma once
// The SBC test fixture: the shared Port fixture plus LUNs on the reference target's own stores
// (a thin LUN on a TrackedStore over a SparseMemoryStore), and CDB builders.
#include <cstdint>
#include <memory>

#include "target-impl/scsi/backing/sparse_memory_store.hpp"
#include "target-impl/scsi/backing/tracked_store.hpp"
#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {

using iscsi::scsi::AdditionalSense;
using iscsi::scsi::FieldPointer;
using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

inline constexpr std::uint16_t kThinLun = 1;   // 2048 blocks, thin, sparse memory
inline constexpr std::uint16_t kThickLun = 2;  // 2048 blocks, fully provisioned, MemoryBlockIo
inline constexpr std::uint64_t kBlocks = 2048;

class SbcFixture : public PortFixture {
 protected:
  void SetUp() override;
  LunSetup sparse_lun(std::uint16_t lun, std::uint64_t blocks, LunFlags flags,
                      backing::InitialAllocation initial);

  // Writes `blocks` blocks of `fill` at `lba` with WRITE(16) and expects GOOD.
  void fill(std::uint16_t lun, std::uint64_t lba, std::uint32_t blocks, std::uint8_t fill);
  // Reads with READ(16) and expects GOOD.
  Bytes read(std::uint16_t lun, std::uint64_t lba, std::uint32_t blocks);

  std::shared_ptr<backing::TrackedStore> thin_store_;
};

// CDB builders (16 bytes, zero padded).
Bytes cdb10(std::uint8_t opcode, std::uint8_t byte1, std::uint32_t lba, std::uint16_t length);
Bytes cdb12(std::uint8_t opcode, std::uint8_t byte1, std::uint32_t lba, std::uint32_t length);
Bytes cdb16_rw(std::uint8_t opcode, std::uint8_t byte1, std::uint64_t lba, std::uint32_t length);
// SERVICE ACTION IN (16) with a service action, an LBA and an allocation length.
Bytes service_action_in(std::uint16_t action, std::uint64_t lba, std::uint32_t allocation);

inline FieldPointer cdb_field(std::uint16_t byte, std::optional<std::uint8_t> bit = {}) {
  return FieldPointer{true, byte, bit};
}
inline FieldPointer list_field(std::uint16_t byte, std::optional<std::uint8_t> bit = {}) {
  return FieldPointer{false, byte, bit};
}

}  // namespace iscsi::target::scsi::test
