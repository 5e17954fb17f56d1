#pragma once
// Runs an external program (tshark, text2pcap, openssl, iscsim itself) from a test, with its
// output captured and a hard time limit, so a hung peer fails the test instead of hanging it.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/process/run_process.hpp"

namespace iscsi::test {

// core/process runs it (a process group of its own, killed whole at the limit).
using CommandResult = process::Result;
using CommandOptions = process::Options;

// argv[0] is looked up in PATH. Never throws; a program that cannot start gives exit code 127.
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options = {});

// "exit N", then the captured stdout and stderr: the message of a failed expectation.
std::string describe(const CommandResult& result);

// True when `program` is found in PATH (for tests that need an optional tool).
bool program_available(std::string_view program);

}  // namespace iscsi::test
