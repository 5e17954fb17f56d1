#pragma once
// Byte ranges [begin, end) received or solicited for one task, for the orders RFC 7143 allows
// when DataPDUInOrder or DataSequenceInOrder is No (§13.18, §13.19): any order, but never the
// same byte twice. Bounded by kMaxTrackedRanges; adjacent ranges merge, so an in-order stream
// stays one entry.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace iscsi::initiator::session {

class RangeSet {
 public:
  enum class Insert : std::uint8_t { added, overlap, too_many };

  // Adds [begin, end); an empty range is always added. Nothing changes unless `added`.
  Insert insert(std::uint32_t begin, std::uint32_t end);
  // Bytes covered, and whether they form one range starting at 0.
  std::uint64_t covered() const { return covered_; }
  bool contiguous_from_zero() const;
  std::size_t size() const { return single_ ? 1 : ranges_.size(); }

 private:
  bool insert_single(std::uint32_t begin, std::uint32_t end);

  // While the bytes form one range (an in-order stream, the usual case) it is kept here and
  // ranges_ stays empty, so a task's Data-In costs no allocation. The second disjoint range
  // moves both into ranges_ for good.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> single_;
  std::map<std::uint32_t, std::uint32_t> ranges_;  // begin -> end
  std::uint64_t covered_ = 0;
};

}  // namespace iscsi::initiator::session
