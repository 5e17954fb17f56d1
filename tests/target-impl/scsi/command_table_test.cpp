// CommandTable: lookup by operation code and service action, replacement, ordering.
#include <gtest/gtest.h>

#include "target-impl/scsi/command_table.hpp"

namespace iscsi::target::scsi {
namespace {

void handler_a(const TaskPtr&) {}
void handler_b(const TaskPtr&) {}

CommandInfo entry(std::uint8_t opcode, std::optional<std::uint16_t> action, Handler handler) {
  CommandInfo info;
  info.opcode = opcode;
  info.service_action = action;
  info.handler = handler;
  info.cdb_length = 10;
  return info;
}

TEST(CommandTable, FindsByOpcodeAndServiceAction) {
  CommandTable table;
  table.add(entry(0x5e, 0x01, handler_a));
  table.add(entry(0x12, std::nullopt, handler_a));
  table.add(entry(0x5e, 0x00, handler_b));
  EXPECT_EQ(table.find(0x5e, 0x00)->handler, handler_b);
  EXPECT_EQ(table.find(0x5e, 0x01)->handler, handler_a);
  EXPECT_EQ(table.find(0x5e, 0x02), nullptr);
  EXPECT_EQ(table.find(0x5e, std::nullopt), nullptr);
  EXPECT_EQ(table.find(0x12, std::nullopt)->handler, handler_a);
  EXPECT_TRUE(table.knows_opcode(0x5e));
  EXPECT_TRUE(table.opcode_has_service_actions(0x5e));
  EXPECT_FALSE(table.opcode_has_service_actions(0x12));
  EXPECT_FALSE(table.knows_opcode(0x13));
}

TEST(CommandTable, FindForCdbReadsTheServiceAction) {
  CommandTable table;
  table.add(entry(0x9e, 0x10, handler_a));
  table.add(entry(0x12, std::nullopt, handler_b));
  const Bytes read_capacity16{0x9e, 0xf0 | 0x10};  // upper bits are not the service action
  EXPECT_EQ(table.find_for_cdb(read_capacity16)->handler, handler_a);
  EXPECT_EQ(table.find_for_cdb(Bytes{0x9e, 0x12}), nullptr);
  EXPECT_EQ(table.find_for_cdb(Bytes{0x12, 0x1f})->handler, handler_b);
  EXPECT_EQ(table.find_for_cdb(ByteView{}), nullptr);
  EXPECT_EQ(service_action_of(Bytes{0x9e}), 0);
}

TEST(CommandTable, LaterAdditionReplacesAndOrderIsStable) {
  CommandTable table;
  table.add(entry(0x28, std::nullopt, handler_a));
  table.add(entry(0x12, std::nullopt, handler_a));
  table.add(entry(0x5e, 0x03, handler_a));
  table.add(entry(0x5e, 0x00, handler_a));
  table.add(entry(0x28, std::nullopt, handler_b));
  ASSERT_EQ(table.all().size(), 4u);
  EXPECT_EQ(table.all()[0].opcode, 0x12);
  EXPECT_EQ(table.all()[1].opcode, 0x28);
  EXPECT_EQ(table.all()[1].handler, handler_b);
  EXPECT_EQ(table.all()[2].service_action, 0x00);
  EXPECT_EQ(table.all()[3].service_action, 0x03);
}

TEST(CommandTable, UsageHelperPrependsTheOpcode) {
  EXPECT_EQ(to_hex(cdb_usage(0x12, {0x01, 0xff, 0xff, 0xff, 0x00})), "1201ffffff00");
}

TEST(CommandTable, SpcRegistrationHasConsistentUsageData) {
  CommandTable table;
  register_spc_commands(table);
  EXPECT_GE(table.all().size(), 20u);
  for (const CommandInfo& info : table.all()) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_NE(info.handler, nullptr);
    ASSERT_EQ(info.cdb_usage.size(), info.cdb_length);
    EXPECT_EQ(info.cdb_usage[0], info.opcode);
    if (info.service_action) {
      EXPECT_EQ(info.cdb_usage[1] & 0x1f, 0x1f);
    }
  }
}

}  // namespace
}  // namespace iscsi::target::scsi
