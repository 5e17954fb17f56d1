// `iscsim iscsi-iname`: open-iscsi's iscsi-iname (2.1.8). Prints a new initiator name, the
// prefix, ':' and six random bytes in lowercase hex (initiator-impl/iscsiadm/iname.hpp), for
// $ISCSIM_HOME/initiatorname.iscsi or `iscsim iscsiadm ... -n node.name`. The bytes come from
// the OS generator, so every run prints a different name.
#include <cstdio>
#include <memory>
#include <string>

#include "apps/iscsim/commands.hpp"
#include "core/asio/rng.hpp"
#include "initiator-impl/iscsiadm/iname.hpp"

namespace iscsim {
namespace {

// iscsi-iname's bound: an iSCSI name holds at most 223 bytes (RFC 7143 §4.2.7.1), and ':' plus
// up to 12 hex digits follow the prefix.
constexpr std::size_t kMaxInamePrefix = 210;

struct InameOptions {
  std::string prefix{iscsi::initiator::iscsiadm::kDefaultInamePrefix};
  bool initiator_name_line = false;
};

int run_iscsi_iname(const InameOptions& options) {
  if (options.prefix.size() > kMaxInamePrefix) {
    std::fprintf(stderr,
                 "iscsim iscsi-iname: error: prefix too long (%zu characters; at most %zu, so "
                 "that the name stays within 223 bytes)\n",
                 options.prefix.size(), kMaxInamePrefix);
    return 1;
  }
  iscsi::asio::OsRng rng;
  const std::string name = iscsi::initiator::iscsiadm::make_initiator_name(rng, options.prefix);
  std::printf("%s%s\n", options.initiator_name_line ? "InitiatorName=" : "", name.c_str());
  return 0;
}

}  // namespace

void register_iscsi_iname_command(CLI::App& app) {
  auto options = std::make_shared<InameOptions>();
  auto* cmd = app.add_subcommand(
      "iscsi-iname",
      "open-iscsi's iscsi-iname: print a new iSCSI initiator name, PREFIX:XXXXXXXXXXXX, where "
      "the part after ':' is six random bytes from the OS generator, each in lowercase hex "
      "without zero padding (6 to 12 digits), as open-iscsi 2.1.8 prints them. Every run "
      "prints a different name: generate it once and keep it (initiatorname.iscsi)");
  cmd->add_option("-p,--prefix", options->prefix,
                  "The IQN prefix before ':' (at most 210 characters)")
      ->capture_default_str();
  cmd->add_flag("-g,--generate-iname-prefix", options->initiator_name_line,
                "Print the name as an initiatorname.iscsi line: InitiatorName=<name>");
  cmd->callback([options] { set_exit_code(run_iscsi_iname(*options)); });
}

}  // namespace iscsim
