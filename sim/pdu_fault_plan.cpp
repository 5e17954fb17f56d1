#include "sim/pdu_fault_plan.hpp"

#include <algorithm>

namespace iscsi::sim {
namespace {

constexpr std::size_t kBhsLength = 48;  // RFC 7143 §11.2
constexpr std::uint64_t kDigestLength = 4;

}  // namespace

void PduScanner::scan(ByteView bytes, PduFaultEffects& effects) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (pdu_end_ == 0) {
      const std::size_t n = std::min(kBhsLength - bhs_.size(), bytes.size() - at);
      bhs_.insert(bhs_.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                  bytes.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
      offset_ += n;
      if (bhs_.size() == kBhsLength) on_header(effects);
      continue;
    }
    const std::uint64_t n = std::min<std::uint64_t>(pdu_end_ - offset_, bytes.size() - at);
    at += n;
    offset_ += n;
    if (offset_ == pdu_end_) {
      pdu_start_ = pdu_end_;
      pdu_end_ = 0;
      bhs_.clear();
    }
  }
}

void PduScanner::on_header(PduFaultEffects& effects) {
  const unsigned opcode = bhs_[0] & 0x3fu;
  const std::uint64_t ahs = std::uint64_t{bhs_[4]} * 4;
  const std::uint64_t data = load_be24(&bhs_[5]);
  const std::uint64_t padded = (data + 3) & ~std::uint64_t{3};
  const std::uint64_t total = kBhsLength + ahs + (header_digest_ ? kDigestLength : 0) + padded +
                              (data > 0 && data_digest_ ? kDigestLength : 0);
  pdu_end_ = pdu_start_ + total;
  ++seen_any_;
  ++seen_by_opcode_[opcode];
  for (const PduFault& f : faults_) {
    const bool any = f.opcode < 0;
    if (!any && static_cast<unsigned>(f.opcode) != opcode) continue;
    if ((any ? seen_any_ : seen_by_opcode_[opcode]) != f.nth) continue;
    switch (f.action) {
      case PduFaultAction::reset_after:
        effects.reset_at_delivered = std::min(effects.reset_at_delivered, pdu_end_);
        break;
      case PduFaultAction::corrupt_byte:
        if (f.byte < total) effects.corruptions.emplace_back(pdu_start_ + f.byte, f.mask);
        break;
    }
  }
  if (offset_ == pdu_end_) {
    pdu_start_ = pdu_end_;
    pdu_end_ = 0;
    bhs_.clear();
  }
}

}  // namespace iscsi::sim
