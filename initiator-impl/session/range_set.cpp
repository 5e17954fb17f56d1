#include "initiator-impl/session/range_set.hpp"

#include <iterator>

#include "initiator-impl/session/session_limits.hpp"

namespace iscsi::initiator::session {

// Adds a range that does not overlap single_ when the result is still one range.
bool RangeSet::insert_single(std::uint32_t begin, std::uint32_t end) {
  if (!single_) {
    single_.emplace(begin, end);
  } else if (single_->second == begin) {
    single_->second = end;
  } else if (single_->first == end) {
    single_->first = begin;
  } else {
    return false;
  }
  covered_ += end - begin;
  return true;
}

RangeSet::Insert RangeSet::insert(std::uint32_t begin, std::uint32_t end) {
  if (end <= begin) return Insert::added;
  if (ranges_.empty()) {
    if (single_ && begin < single_->second && single_->first < end) return Insert::overlap;
    if (insert_single(begin, end)) return Insert::added;
    ranges_.emplace(single_->first, single_->second);
    single_.reset();
  }
  auto next = ranges_.lower_bound(begin);
  if (next != ranges_.end() && next->first < end) return Insert::overlap;
  auto previous = next == ranges_.begin() ? ranges_.end() : std::prev(next);
  if (previous != ranges_.end() && previous->second > begin) return Insert::overlap;
  const bool join_previous = previous != ranges_.end() && previous->second == begin;
  const bool join_next = next != ranges_.end() && next->first == end;
  if (!join_previous && !join_next && ranges_.size() >= kMaxTrackedRanges) {
    return Insert::too_many;
  }
  covered_ += end - begin;
  if (join_previous && join_next) {
    previous->second = next->second;
    ranges_.erase(next);
  } else if (join_previous) {
    previous->second = end;
  } else if (join_next) {
    const std::uint32_t next_end = next->second;
    ranges_.erase(next);
    ranges_.emplace(begin, next_end);
  } else {
    ranges_.emplace(begin, end);
  }
  return Insert::added;
}

bool RangeSet::contiguous_from_zero() const {
  if (single_) return single_->first == 0;
  return ranges_.empty() || (ranges_.size() == 1 && ranges_.begin()->first == 0);
}

}  // namespace iscsi::initiator::session
