// `tgtadm --op update --mode logicalunit --params k=v,...`: the keys of tgt's lu_config
// (usr/spc.c) that a disk emulation can honour. Numbers are read with atoi as tgt reads them,
// so "readonly=yes" means 0; unknown keys make the whole request "invalid request" (tgt applies
// the keys before the bad one; here nothing changes).
#include "core/cli/c_numbers.hpp"
#include "target-impl/config/execute_detail.hpp"

namespace iscsi::target::config::detail {

// "sync", "direct" or both, in any order, as tgt's str_to_open_flags; printed sync first.
std::optional<std::string> canonical_oflags(std::string_view text) {
  bool sync = false;
  bool direct = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t colon = text.find(':', pos);
    std::string_view item = text.substr(pos, colon == std::string_view::npos ? text.npos : colon - pos);
    if (item == "sync") {
      sync = true;
    } else if (item == "direct") {
      direct = true;
    } else {
      return std::nullopt;
    }
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  if (sync && direct) return std::string("sync:direct");
  return std::string(sync ? "sync" : "direct");
}

namespace {

// tgt's attribute sizes (usr/tgtd.h); longer values are cut as match_strncpy cuts them.
constexpr std::size_t scsi_id_len = 36;
constexpr std::size_t scsi_sn_len = 36;
constexpr std::size_t vendor_id_len = 8;
constexpr std::size_t product_id_len = 16;
constexpr std::size_t product_rev_len = 4;
constexpr std::size_t max_params_per_request = 64;
// READ CAPACITY(16)'s LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT is 4 bits (SBC-3 §5.16.2).
// tgt stores lbppbe=N in an unsigned char without a check, so 16 and up spill into the
// LBPME/LBPRZ bits of its answer; here they are an invalid request instead.
constexpr std::uint32_t max_lbppbe = 15;
// sanitize_ms (iscsim's own key) is capped at one hour.
constexpr std::uint32_t max_sanitize_ms = 3'600'000;

std::string cut(std::string_view value, std::size_t length) {
  return std::string(value.substr(0, length));
}

std::uint32_t atoi_u32(std::string_view value) {
  int number = cli::c_atoi(value);
  return number < 0 ? 0U : static_cast<std::uint32_t>(number);
}

std::optional<AdmError> load_path(LunConfig& lun, std::string_view path, ExecutionHost& host) {
  lun.backing_store = std::string(path);
  if (lun.bstype == BackingType::rdwr || lun.bstype == BackingType::aio) {
    auto size = host.probe_backing_store(lun);
    if (!size) return AdmError::invalid_request;
    lun.size_bytes = *size;
  }
  lun.params.online = true;
  return std::nullopt;
}

std::optional<AdmError> apply_flag(LunConfig& lun, std::string_view key, std::string_view value,
                                   const LunRuntimeState& state) {
  bool on = cli::c_atoi(value) != 0;
  if (key == "removable") {
    lun.params.removable = on;
  } else if (key == "readonly") {
    lun.params.readonly = on;
  } else if (key == "thin_provisioning") {
    lun.params.thin_provisioning = on;
  } else if (key == "online") {
    if (!on && state.prevent_removal) return AdmError::prevent_removal;
    lun.params.online = on;
  } else if (key == "sense_format") {
    lun.params.sense_format = on ? 1 : 0;
  } else {
    return AdmError::invalid_request;
  }
  return std::nullopt;
}

std::optional<AdmError> apply_one(LunConfig& lun, std::string_view key, std::string_view value,
                                  ExecutionHost& host, const LunRuntimeState& state) {
  if (key == "scsi_id") lun.scsi_id = cut(value, scsi_id_len);
  else if (key == "scsi_sn") lun.scsi_sn = cut(value, scsi_sn_len);
  else if (key == "vendor_id") lun.params.vendor_id = cut(value, vendor_id_len);
  else if (key == "product_id") lun.params.product_id = cut(value, product_id_len);
  else if (key == "product_rev") lun.params.product_rev = cut(value, product_rev_len);
  else if (key == "lbppbe") {
    const std::uint32_t lbppbe = atoi_u32(value);
    if (lbppbe > max_lbppbe) return AdmError::invalid_request;
    lun.params.lbppbe = lbppbe;
  }
  else if (key == "la_lba") lun.params.la_lba = atoi_u32(value);
  else if (key == "optimal_xfer_gran") lun.params.optimal_xfer_gran = atoi_u32(value);
  else if (key == "optimal_xfer_len") lun.params.optimal_xfer_len = atoi_u32(value);
  else if (key == "sanitize_ms") {
    const std::uint32_t ms = atoi_u32(value);
    if (ms > max_sanitize_ms) return AdmError::invalid_request;
    lun.params.sanitize_ms = ms;
  }
  else if (key == "path") return load_path(lun, value, host);
  else if (key == "bsoflags") {
    auto flags = canonical_oflags(value);
    if (!flags || lun.bstype != BackingType::rdwr) return AdmError::invalid_request;
    lun.bsoflags = *flags;
  } else {
    // mode_page and bsopts are not modelled; anything else is unknown to tgt too.
    return apply_flag(lun, key, value, state);
  }
  return std::nullopt;
}

}  // namespace

std::optional<AdmError> apply_lun_params(LunConfig& lun, std::string_view params,
                                         ExecutionHost& host, const LunRuntimeState& state) {
  std::size_t pos = 0;
  std::size_t count = 0;
  while (pos <= params.size()) {
    std::size_t comma = params.find(',', pos);
    std::string_view item =
        params.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (!item.empty()) {
      if (++count > max_params_per_request) return AdmError::invalid_request;
      std::size_t eq = item.find('=');
      if (eq == std::string_view::npos) return AdmError::invalid_request;
      if (auto error = apply_one(lun, item.substr(0, eq), item.substr(eq + 1), host, state)) {
        return error;
      }
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return std::nullopt;
}

}  // namespace iscsi::target::config::detail
