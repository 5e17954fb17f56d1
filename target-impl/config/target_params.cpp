#include "target-impl/config/target_params.hpp"

#include <cctype>

#include "core/cli/c_numbers.hpp"

namespace iscsi::target::config {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// tgt's digest_str_to_val: each comma-separated item must start with "None" or "CRC32C".
std::optional<std::string> canonical_digest(std::string_view value) {
  bool crc = false;
  std::size_t pos = 0;
  while (true) {
    std::string_view item = value.substr(pos);
    if (item.substr(0, 6) == "CRC32C") {
      crc = true;
    } else if (item.substr(0, 4) != "None") {
      return std::nullopt;
    }
    std::size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  // tgt keeps None allowed whatever the list says (digest_str_to_val starts from
  // DIGEST_NONE), and picks CRC32C when both sides allow it: a preference list.
  return std::string(crc ? "CRC32C,None" : "None");
}

std::optional<std::string> canonical_range(const ParamSpec& spec, std::string_view value) {
  std::uint32_t number = cli::c_strtol_to_uint(value);
  if (spec.kind == ParamKind::range_or_zero && number == 0) return std::string("0");
  if (number < spec.min || number > spec.max) return std::nullopt;
  return std::to_string(number);
}

}  // namespace

const std::vector<ParamSpec>& target_param_specs() {
  static const std::vector<ParamSpec> specs{
      {"MaxRecvDataSegmentLength", ParamKind::range, 512, 16777215, "8192"},
      {"HeaderDigest", ParamKind::digest, 0, 0, "None"},
      {"DataDigest", ParamKind::digest, 0, 0, "None"},
      {"InitialR2T", ParamKind::boolean, 0, 1, "Yes"},
      {"MaxOutstandingR2T", ParamKind::range, 1, 65535, "1"},
      {"ImmediateData", ParamKind::boolean, 0, 1, "Yes"},
      {"FirstBurstLength", ParamKind::range, 512, 16777215, "65536"},
      {"MaxBurstLength", ParamKind::range, 512, 16777215, "262144"},
      {"DataPDUInOrder", ParamKind::boolean, 0, 1, "Yes"},
      {"DataSequenceInOrder", ParamKind::boolean, 0, 1, "Yes"},
      {"ErrorRecoveryLevel", ParamKind::range, 0, 2, "0"},
      {"IFMarker", ParamKind::boolean, 0, 1, "No"},
      {"OFMarker", ParamKind::boolean, 0, 1, "No"},
      {"DefaultTime2Wait", ParamKind::range, 0, 3600, "2"},
      {"DefaultTime2Retain", ParamKind::range, 0, 3600, "20"},
      {"OFMarkInt", ParamKind::marker, 1, 65535, "Reject"},
      {"IFMarkInt", ParamKind::marker, 1, 65535, "Reject"},
      {"MaxConnections", ParamKind::range, 1, 65535, "1"},
      {"RDMAExtensions", ParamKind::boolean, 0, 1, "Yes"},
      {"TargetRecvDataSegmentLength", ParamKind::range, 512, 16777215, "262144"},
      {"InitiatorRecvDataSegmentLength", ParamKind::range, 512, 16777215, "262144"},
      {"MaxOutstandingUnexpectedPDUs", ParamKind::range_or_zero, 2, 4294967295U, "0"},
      {"MaxXmitDataSegmentLength", ParamKind::range, 512, 16777215, "8192"},
      {"MaxQueueCmd", ParamKind::range, 1, 512, "128"},
  };
  return specs;
}

const ParamSpec* find_param_spec(std::string_view name) {
  for (const ParamSpec& spec : target_param_specs()) {
    if (iequals(spec.name, name)) return &spec;
  }
  return nullptr;
}

std::optional<std::string> canonical_param_value(const ParamSpec& spec, std::string_view value) {
  switch (spec.kind) {
    case ParamKind::range:
    case ParamKind::range_or_zero:
      return canonical_range(spec, value);
    case ParamKind::boolean:
      if (value == "Yes" || value == "No") return std::string(value);
      return std::nullopt;
    case ParamKind::digest:
      return canonical_digest(value);
    case ParamKind::marker:
      // tgt has no parser for these keys and stores an uninitialised value, which shows as
      // "Irrelevant" (0) in practice; markers are not negotiated either way (RFC 7143 dropped
      // them).
      return std::string("Irrelevant");
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> effective_params(const TargetConfig& target) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(target_param_specs().size());
  for (const ParamSpec& spec : target_param_specs()) {
    auto it = target.params.find(spec.name);
    out.emplace_back(std::string(spec.name),
                     it != target.params.end() ? it->second : std::string(spec.default_value));
  }
  return out;
}

std::string display_param_value(const ParamSpec& spec, std::string_view value) {
  if (spec.kind == ParamKind::digest) {
    return value.find("CRC32C") != std::string_view::npos ? "CRC32C" : "None";
  }
  return std::string(value);
}

std::string effective_param(const TargetConfig& target, std::string_view name) {
  const ParamSpec* spec = find_param_spec(name);
  auto it = target.params.find(spec != nullptr ? spec->name : name);
  if (it != target.params.end()) return it->second;
  return spec != nullptr ? std::string(spec->default_value) : std::string();
}

std::optional<Redirect> redirect_of(const TargetConfig& target) {
  auto address = target.params.find("RedirectAddress");
  auto reason = target.params.find("RedirectReason");
  if (address == target.params.end() || address->second.empty()) return std::nullopt;
  if (reason == target.params.end()) return std::nullopt;
  Redirect redirect;
  redirect.address = address->second;
  auto port = target.params.find("RedirectPort");
  if (port != target.params.end()) redirect.port = port->second;
  redirect.permanent = reason->second == "Permanent";
  return redirect;
}

}  // namespace iscsi::target::config
