#pragma once
// The mode pages of a logical unit (SPC-4 §7.5, SBC-3 §6.4): their current, changeable and
// default values, and how a MODE SELECT page changes the logical unit.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/common/bytes.hpp"
#include "target-impl/scsi/logical_unit.hpp"

namespace iscsi::target::scsi::spc {

// SPC-4 §6.11, table 104: PC field of MODE SENSE.
enum class PageControl : std::uint8_t { current = 0, changeable = 1, defaults = 2, saved = 3 };

inline constexpr std::uint8_t kPageReadWriteErrorRecovery = 0x01;
inline constexpr std::uint8_t kPageCaching = 0x08;
inline constexpr std::uint8_t kPageControl = 0x0a;
inline constexpr std::uint8_t kPageInformationalExceptions = 0x1c;
inline constexpr std::uint8_t kPageAll = 0x3f;

// The pages this logical unit has, ascending (the controller has no medium pages).
std::vector<std::uint8_t> mode_page_codes(const LogicalUnit& lu);

// One whole page (page code byte, PAGE LENGTH, parameters) as MODE SENSE returns it; for
// `saved` the caller answers SAVING PARAMETERS NOT SUPPORTED instead. std::nullopt when the
// logical unit has no such page.
std::optional<Bytes> mode_page(const LogicalUnit& lu, std::uint8_t code, PageControl control);

// SPC-4 §6.9: MODE SELECT of one page. `page` is the whole page from the parameter list and
// has the page's length (the caller checked it). On a bit outside the changeable mask that
// differs from the current value, returns the offset of the offending byte inside `page`
// (and leaves the logical unit untouched); std::nullopt after applying the page.
struct ModeSelectError {
  std::uint16_t byte = 0;
  std::uint8_t bit = 0;
};
std::optional<ModeSelectError> apply_mode_page(LogicalUnit& lu, ByteView page);

}  // namespace iscsi::target::scsi::spc
