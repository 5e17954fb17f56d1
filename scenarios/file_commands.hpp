#pragma once
// The two shell commands a tgtadm tutorial uses to make a backing-store file before tgtadm
// names it (issue 6: "a backing-store file path named by a tutorial line becomes a sparse
// in-memory LUN whose size comes from a scenario key or from an earlier truncate/dd step"):
//
//   truncate -s 1G /home/disk1.img
//   dd if=/dev/zero of=/home/disk1.img bs=1M count=1024
//
// In the simulator such a line only records the file's size; the LUN a later tgtadm line puts
// on that path is a sparse in-memory one of that size. The forms follow GNU coreutils: sizes
// K, M, G, T, P (powers of 1024) and KB, MB, GB, TB, PB (powers of 1000) for truncate; for dd
// also c (1), w (2), b (512) and kB (1000).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::scenarios {

struct FileCommand {
  std::string path;
  std::uint64_t bytes = 0;  // the file's size after the command
};

struct FileCommandParse {
  std::optional<FileCommand> command;
  std::string error;  // set when `command` is not: which word, and what was expected
};

// True for the programs parse_file_command() knows ("truncate", "dd").
bool is_file_command(std::string_view program);

// `words` as the shell split them, words[0] the program. dd's size is (seek + count) * bs;
// only `if=/dev/zero` (or no if=) is accepted, since nothing else has a meaning here.
FileCommandParse parse_file_command(const std::vector<std::string>& words);

}  // namespace iscsi::scenarios
