#include "target-impl/session/data_in_stream.hpp"

#include <algorithm>
#include <limits>

namespace iscsi::target::session {

Residual residual_for(std::uint64_t wanted, std::uint32_t expected) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (wanted > expected) {
    return {true, false, static_cast<std::uint32_t>(std::min(wanted - expected, kMax))};
  }
  if (wanted < expected) {
    return {false, true, static_cast<std::uint32_t>(expected - wanted)};
  }
  return {};
}

DataInStream::DataInStream(Bytes data, std::uint32_t length, const DataInSettings& settings,
                           std::optional<CollapsedStatus> collapsed,
                           std::optional<pdu::Pdu> response)
    : data_(std::make_shared<const Bytes>(std::move(data))),
      length_(static_cast<std::uint32_t>(std::min<std::size_t>(data_->size(), length))),
      settings_(settings),
      collapsed_(collapsed),
      response_(std::move(response)),
      data_sn_(settings.first_data_sn) {
  settings_.max_segment = std::max<std::uint32_t>(settings_.max_segment, 1);
  settings_.max_burst = std::max<std::uint32_t>(settings_.max_burst, 1);
}

DataInPdu DataInStream::next() {
  if (offset_ >= length_) {
    DataInPdu response{std::move(*response_), {}};
    response_.reset();
    return response;
  }
  // RFC 7143 §13.13: a sequence (between F bits) carries at most MaxBurstLength bytes.
  const std::uint64_t next_boundary =
      (std::uint64_t{offset_} / settings_.max_burst + 1) * settings_.max_burst;
  const auto burst_end =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(length_, next_boundary));
  const std::uint32_t size = std::min(settings_.max_segment, burst_end - offset_);
  pdu::ScsiDataIn header;
  header.lun = settings_.lun;
  header.itt = settings_.itt;
  header.ttt = pdu::kReservedTag;
  header.data_sn = data_sn_++;
  header.buffer_offset = offset_;
  header.final = offset_ + size == burst_end;
  const bool last = offset_ + size == length_;
  if (last && collapsed_) {
    // RFC 7143 §11.7.3: S=1 only with F=1, carrying status, StatSN and the residual.
    header.final = true;
    header.status_present = true;
    header.status = collapsed_->status;
    header.residual_overflow = collapsed_->residual.overflow;
    header.residual_underflow = collapsed_->residual.underflow;
    header.residual_count = collapsed_->residual.count;
  }
  DataInPdu pdu{pdu::Pdu{header, {}, {}}, SharedData{data_, offset_, size}};
  offset_ += size;
  // The PDUs handed out keep the buffer alive until they are sent; the stream lets go.
  if (offset_ >= length_) data_.reset();
  return pdu;
}

std::uint32_t DataInStream::count_pdus(std::uint32_t length, std::uint32_t max_segment,
                                       std::uint32_t max_burst) {
  max_segment = std::max<std::uint32_t>(max_segment, 1);
  max_burst = std::max<std::uint32_t>(max_burst, 1);
  std::uint32_t count = 0;
  for (std::uint32_t offset = 0; offset < length;) {
    const std::uint32_t burst = std::min(max_burst, length - offset);
    count += static_cast<std::uint32_t>((std::uint64_t{burst} + max_segment - 1) / max_segment);
    offset += burst;
  }
  return count;
}

}  // namespace iscsi::target::session
