// Mode page contents (SPC-4 §7.5.8 Control, §7.5.11 Informational Exceptions; SBC-3 §6.4.5
// Caching, §6.4.7 Read-Write Error Recovery).
#include "target-impl/scsi/spc/mode_pages.hpp"

#include <algorithm>

namespace iscsi::target::scsi::spc {
namespace {

constexpr std::uint8_t kDSense = 0x04;  // control page byte 2
constexpr std::uint8_t kSwp = 0x08;     // control page byte 4
constexpr std::uint8_t kWce = 0x04;     // caching page byte 2
constexpr std::uint8_t kRcd = 0x01;     // caching page byte 2
constexpr std::uint8_t kDexcpt = 0x08;  // informational exceptions byte 2

Bytes empty_page(std::uint8_t code, std::uint8_t length) {
  Bytes page(std::size_t{2} + length, 0);
  page[0] = code;
  page[1] = length;
  return page;
}

Bytes control_page(const ControlPage& control) {
  Bytes page = empty_page(kPageControl, 0x0a);
  // TST 000b (one task set per I_T nexus), QERR 00b, GLTSD set (no implicit log saving).
  page[2] = static_cast<std::uint8_t>(0x02 | (control.d_sense ? kDSense : 0));
  page[4] = control.swp ? kSwp : 0;
  store_be16(&page[8], 0xffff);  // BUSY TIMEOUT PERIOD: unlimited
  return page;
}

Bytes caching_page(const CachingPage& caching) {
  Bytes page = empty_page(kPageCaching, 0x12);
  page[2] = static_cast<std::uint8_t>((caching.wce ? kWce : 0) | (caching.rcd ? kRcd : 0));
  return page;
}

Bytes informational_exceptions_page() {
  Bytes page = empty_page(kPageInformationalExceptions, 0x0a);
  page[2] = kDexcpt;  // exception reporting disabled: the target has nothing to report
  return page;
}

Bytes values_page(std::uint8_t code, const ControlPage& control, const CachingPage& caching) {
  switch (code) {
    case kPageReadWriteErrorRecovery: return empty_page(code, 0x0a);
    case kPageCaching: return caching_page(caching);
    case kPageControl: return control_page(control);
    default: return informational_exceptions_page();
  }
}

Bytes changeable_page(std::uint8_t code) {
  switch (code) {
    case kPageCaching: {
      Bytes page = empty_page(code, 0x12);
      page[2] = kWce | kRcd;
      return page;
    }
    case kPageControl: {
      Bytes page = empty_page(code, 0x0a);
      page[2] = kDSense;
      page[4] = kSwp;
      return page;
    }
    default: return empty_page(code, 0x0a);
  }
}

}  // namespace

std::vector<std::uint8_t> mode_page_codes(const LogicalUnit& lu) {
  if (lu.is_controller()) return {kPageControl, kPageInformationalExceptions};
  return {kPageReadWriteErrorRecovery, kPageCaching, kPageControl, kPageInformationalExceptions};
}

std::optional<Bytes> mode_page(const LogicalUnit& lu, std::uint8_t code, PageControl control) {
  const auto codes = mode_page_codes(lu);
  if (std::find(codes.begin(), codes.end(), code) == codes.end()) return std::nullopt;
  switch (control) {
    case PageControl::current:
    case PageControl::saved:
      return values_page(code, lu.control(), lu.caching());
    case PageControl::changeable:
      return changeable_page(code);
    case PageControl::defaults:
      return values_page(code, ControlPage{}, CachingPage{});
  }
  return std::nullopt;
}

std::optional<ModeSelectError> apply_mode_page(LogicalUnit& lu, ByteView page) {
  const std::uint8_t code = page[0] & 0x3f;
  const auto current = mode_page(lu, code, PageControl::current);
  const auto mask = mode_page(lu, code, PageControl::changeable);
  if (!current || !mask || current->size() != page.size()) return ModeSelectError{0, 5};
  // SPC-4 §6.9: byte 0 carries PS (reserved in MODE SELECT) and SPF; byte 1 the length.
  for (std::size_t i = 2; i < page.size(); ++i) {
    const auto fixed = static_cast<std::uint8_t>(((*current)[i] ^ page[i]) & ~(*mask)[i]);
    if (fixed == 0) continue;
    std::uint8_t bit = 7;
    while ((fixed & (1u << bit)) == 0) --bit;
    return ModeSelectError{static_cast<std::uint16_t>(i), bit};
  }
  if (code == kPageControl) {
    lu.control().d_sense = (page[2] & kDSense) != 0;
    lu.control().swp = (page[4] & kSwp) != 0;
  } else if (code == kPageCaching) {
    lu.caching().wce = (page[2] & kWce) != 0;
    lu.caching().rcd = (page[2] & kRcd) != 0;
  }
  return std::nullopt;
}

}  // namespace iscsi::target::scsi::spc
