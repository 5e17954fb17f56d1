// The SCSI Port test fixture (port_fixture.hpp).
#include "tests/target-impl/scsi/port_fixture.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {

LunSetup PortFixture::memory_lun(std::uint16_t lun, std::uint64_t blocks, LunFlags flags) {
  auto store = std::make_shared<iscsi::test::MemoryBlockIo>(blocks * 512);
  stores_[lun] = store;
  LunSetup setup;
  setup.lun = lun;
  setup.store = store;
  setup.size_bytes = blocks * 512;
  setup.flags = flags;
  return setup;
}

void PortFixture::build(std::vector<LunSetup> luns, bool clear_attentions) {
  luns_ = {0};
  for (const auto& lun : luns) luns_.push_back(lun.lun);
  PortSetup setup;
  setup.target_name = kTargetName;
  setup.tid = kTid;
  setup.timers = &clock_;
  setup.luns = std::move(luns);
  port_ = make_port(std::move(setup));
  add_nexus(kNexusA);
  add_nexus(kNexusB);
  if (clear_attentions) {
    clear_unit_attentions(kNexusA);
    clear_unit_attentions(kNexusB);
  }
}

Nexus PortFixture::make_nexus(NexusId id) const {
  Nexus nexus;
  nexus.id = id;
  nexus.initiator_port_name = fmt::format("iqn.1994-05.com.example:init{},i,0x23d00000000{}", id, id);
  nexus.target_port_name = fmt::format("{},t,0x0001", kTargetName);
  nexus.relative_target_port = 1;
  return nexus;
}

void PortFixture::add_nexus(NexusId id) { port_->nexus_added(make_nexus(id)); }

CommandResult PortFixture::run(Command command) {
  int calls = 0;
  bool returned = false;
  bool called_inside = false;
  CommandResult result;
  port_->execute(std::move(command), [&](CommandResult r) {
    ++calls;
    if (!returned) called_inside = true;
    result = std::move(r);
  });
  returned = true;
  EXPECT_FALSE(called_inside) << "done ran from inside execute()";
  // Completions are deferred through schedule_after(0): firing due timers delivers them.
  for (int round = 0; round < 100 && calls == 0; ++round) clock_.advance_by(runtime::Duration{0});
  EXPECT_EQ(calls, 1) << "done must run exactly once";
  clock_.advance_by(runtime::Duration{0});
  EXPECT_EQ(calls, 1) << "done ran again";
  return result;
}

CommandResult PortFixture::run(std::uint16_t lun, Bytes cdb, NexusId nexus, Bytes data_out) {
  Command command;
  command.nexus = nexus;
  command.lun = *pdu::Lun::from_number(lun);
  command.cdb = std::move(cdb);
  command.expected_data_in_length = 65536;
  command.expected_data_out_length = static_cast<std::uint32_t>(data_out.size());
  command.data_out = std::move(data_out);
  return run(std::move(command));
}

void PortFixture::clear_unit_attentions(NexusId nexus) {
  for (const std::uint16_t lun : luns_) {
    for (int i = 0; i < 32; ++i) {
      const CommandResult result = run(lun, cdb16({0x00}), nexus);
      if (result.status != kStatusCheckCondition || result.sense.size() < 3 ||
          (result.sense[2] & 0x0f) != 0x06) {
        break;
      }
    }
  }
}

Bytes cdb16(std::initializer_list<std::uint8_t> bytes) {
  Bytes cdb(bytes);
  if (cdb.size() < 16) cdb.resize(16, 0);
  return cdb;
}

Bytes expected_fixed_sense(iscsi::scsi::SenseKey key, iscsi::scsi::AdditionalSense code,
                           std::optional<iscsi::scsi::FieldPointer> field,
                           std::optional<std::uint32_t> information) {
  Bytes sense(18, 0);
  sense[0] = information ? 0xf0 : 0x70;
  sense[2] = static_cast<std::uint8_t>(key);
  if (information) store_be32(&sense[3], *information);
  sense[7] = 10;
  sense[12] = code.asc;
  sense[13] = code.ascq;
  if (field) {
    sense[15] = static_cast<std::uint8_t>(0x80 | (field->in_cdb ? 0x40 : 0) |
                                          (field->bit ? (0x08 | *field->bit) : 0));
    store_be16(&sense[16], field->byte);
  }
  return sense;
}

void expect_check_condition(const CommandResult& result, iscsi::scsi::SenseKey key,
                            iscsi::scsi::AdditionalSense code,
                            std::optional<iscsi::scsi::FieldPointer> field) {
  EXPECT_EQ(result.status, kStatusCheckCondition);
  EXPECT_EQ(to_hex(result.sense), to_hex(expected_fixed_sense(key, code, field)));
  EXPECT_TRUE(result.data_in.empty());
}

void expect_good(const CommandResult& result) {
  EXPECT_EQ(result.status, kStatusGood) << "sense " << to_hex(result.sense);
  EXPECT_TRUE(result.sense.empty());
}

}  // namespace iscsi::target::scsi::test
