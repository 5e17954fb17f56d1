#pragma once
// Fixed-width ASCII fields of INQUIRY data (SPC-4 §4.3.1: left-aligned, space padded, only
// 20h-7Eh).
#include <cstddef>
#include <string_view>

#include "core/common/bytes.hpp"

namespace iscsi::target::scsi::spc {

inline void put_ascii(std::uint8_t* out, std::size_t width, std::string_view text) {
  for (std::size_t i = 0; i < width; ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    out[i] = (c >= 0x20 && c <= 0x7e) ? static_cast<std::uint8_t>(c) : std::uint8_t{' '};
  }
}

}  // namespace iscsi::target::scsi::spc
