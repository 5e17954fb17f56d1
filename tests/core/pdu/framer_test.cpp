// The resumable framer: identical results at every split (C003), digests switched on after
// login, limits checked before buffering (C014), recoverable and fatal errors.
#include "core/pdu/framer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "tests/core/pdu/frame_runner.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::pdu {
namespace {

constexpr std::uint32_t kLargeLimit = 1 << 20;

void expect_pdus(const testing::FrameRun& run, const std::vector<Pdu>& pdus) {
  ASSERT_EQ(run.outcomes.size(), pdus.size());
  for (std::size_t i = 0; i < pdus.size(); ++i) {
    ASSERT_TRUE(run.outcomes[i].pdu.has_value()) << i << ": " << run.outcomes[i].error;
    EXPECT_EQ(*run.outcomes[i].pdu, pdus[i]) << i;
    EXPECT_TRUE(run.outcomes[i].observations.empty()) << i;
  }
  EXPECT_TRUE(run.clean_end);
}

class FramerDigests : public ::testing::TestWithParam<DigestOptions> {};

TEST_P(FramerDigests, MixedStreamAtEverySplit) {
  const std::vector<Pdu> pdus = test::mixed_pdus();
  const Bytes stream = test::wire_stream(pdus, GetParam());
  expect_pdus(testing::run_framer_every_way(stream, {.digests = GetParam()}), pdus);
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, FramerDigests,
                         ::testing::Values(DigestOptions{false, false}, DigestOptions{true, false},
                                           DigestOptions{false, true}, DigestOptions{true, true}));

TEST(Framer, LargeDataInPdusInAssortedChunks) {
  const DigestOptions digests{.header = true, .data = true};
  std::vector<Pdu> pdus;
  for (std::uint32_t i = 0; i < 4; ++i) {
    pdus.push_back(test::data_in({.itt = 7, .data_sn = i, .buffer_offset = i * 65536u}, {},
                                 test::pattern_bytes(65536 - i, static_cast<std::uint8_t>(i))));
  }
  const Bytes stream = test::wire_stream(pdus, digests);
  const FramerOptions options{.digests = digests, .max_data_segment_length = 65536};
  for (std::size_t chunk : {1000u, 4096u, 65536u, 65536u + 56u, 200000u}) {
    SCOPED_TRACE(chunk);
    expect_pdus(testing::run_framer(
                    stream, std::vector<std::size_t>(stream.size() / chunk + 1, chunk), options),
                pdus);
  }
}

// Pulls everything from the framer, switching digests on right after the Login
// Final-Response, as a connection does (RFC 7143 §13.1: digests start with the first PDU
// after it).
std::vector<Pdu> frame_login_then_digests(const Bytes& stream, std::size_t chunk) {
  Framer framer;
  std::vector<Pdu> out;
  for (std::size_t offset = 0; offset < stream.size(); offset += chunk) {
    const Bytes piece(
        stream.begin() + static_cast<std::ptrdiff_t>(offset),
        stream.begin() + static_cast<std::ptrdiff_t>(std::min(offset + chunk, stream.size())));
    framer.feed(piece);
    for (;;) {
      FrameEvent event = framer.next();
      if (std::holds_alternative<NeedMore>(event)) break;
      auto* decoded = std::get_if<DecodedPdu>(&event);
      if (decoded == nullptr) {
        ADD_FAILURE() << std::get<FrameError>(event).violation.to_string();
        return out;
      }
      const auto* login = std::get_if<LoginResponse>(&decoded->pdu.header);
      if (login != nullptr && login->transit && login->nsg == Stage::full_feature_phase) {
        framer.set_digests({.header = true, .data = true});
        framer.set_max_data_segment_length(kLargeLimit);
      }
      out.push_back(std::move(decoded->pdu));
    }
  }
  EXPECT_TRUE(framer.check_end_of_stream().ok());
  return out;
}

TEST(Framer, DigestsSwitchedOnAfterLoginFinalResponse) {
  std::vector<Pdu> pdus = test::mixed_pdus();
  // mixed_pdus() starts with a login request and its final response.
  ASSERT_EQ(opcode(pdus[1]), Opcode::login_response);
  Bytes stream = test::wire_stream({pdus[0], pdus[1]});
  const std::vector<Pdu> rest(pdus.begin() + 2, pdus.end());
  const Bytes ffp = test::wire_stream(rest, {.header = true, .data = true});
  stream.insert(stream.end(), ffp.begin(), ffp.end());
  // The FFP PDUs are already in the same chunk as the final response when digests switch.
  for (std::size_t chunk : {stream.size(), std::size_t{1}, std::size_t{13}, std::size_t{500}}) {
    EXPECT_EQ(frame_login_then_digests(stream, chunk), pdus) << "chunk " << chunk;
  }
}

TEST(Framer, DataSegmentLimitCheckedBeforeBuffering) {
  // C014: a 16 MiB - 1 data segment announced in the BHS is refused when the BHS arrives,
  // before a single data byte is buffered; the framer then skips the segment.
  Pdu big = test::data_out({.itt = 1}, 0, {});
  Bytes header = encode(big);
  store_be24(header.data() + 5, kMaxDataSegmentLength);
  Framer framer;  // limit 8192, as during login
  framer.feed(header);
  FrameEvent event = framer.next();
  auto* error = std::get_if<FrameError>(&event);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->violation.id(), "pdu.data-segment-too-long");
  EXPECT_FALSE(error->fatal());
  EXPECT_EQ(error->bhs, header);
  EXPECT_EQ(framer.buffered_bytes(), 0u);
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.next()));
  // Feed the skipped segment (with pad) in pieces, then a normal PDU.
  const Bytes filler(1 << 16, 0xab);
  std::size_t remaining = kMaxDataSegmentLength + 1;  // 2^24 - 1 data + 1 pad byte
  while (remaining > 0) {
    const std::size_t n = std::min(remaining, filler.size());
    framer.feed(ByteView(filler).first(n));
    EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.next()));
    EXPECT_EQ(framer.buffered_bytes(), 0u);
    remaining -= n;
  }
  const Pdu ping = test::nop_out_ping({.itt = 2}, test::pattern_bytes(8));
  const Bytes ping_bytes = encode(ping);
  framer.feed(ping_bytes);
  event = framer.next();
  ASSERT_TRUE(std::holds_alternative<DecodedPdu>(event));
  EXPECT_EQ(std::get<DecodedPdu>(event).pdu, ping);
  EXPECT_TRUE(framer.check_end_of_stream().ok());
}

TEST(Framer, LimitIsExactAndAdjustable) {
  const Pdu at_limit = test::data_in({}, {}, test::pattern_bytes(8192));
  const Pdu over_limit = test::data_in({}, {}, test::pattern_bytes(8193));
  const Bytes stream = test::wire_stream({at_limit, over_limit, at_limit});
  const testing::FrameRun run = testing::run_framer_every_way(stream);
  ASSERT_EQ(run.outcomes.size(), 3u);
  EXPECT_EQ(*run.outcomes[0].pdu, at_limit);
  EXPECT_EQ(run.outcomes[1].error.substr(0, 25), "pdu.data-segment-too-long");
  EXPECT_EQ(*run.outcomes[2].pdu, at_limit);
  const testing::FrameRun raised =
      testing::run_framer(stream, {stream.size()}, {.max_data_segment_length = 8193});
  ASSERT_EQ(raised.outcomes.size(), 3u);
  EXPECT_EQ(*raised.outcomes[1].pdu, over_limit);
}

TEST(Framer, HeaderDigestErrorIsFatalAndSticky) {
  const DigestOptions digests{.header = true, .data = true};
  const Pdu first = test::nop_out_ping({.itt = 1}, {});
  Bytes stream = encode(first, digests);
  Bytes bad = encode(test::nop_out_ping({.itt = 2}, {}), digests);
  bad[20] ^= 0x01;
  stream.insert(stream.end(), bad.begin(), bad.end());
  encode_to(test::nop_out_ping({.itt = 3}, {}), digests, stream);
  const testing::FrameRun run = testing::run_framer_every_way(stream, {.digests = digests});
  ASSERT_EQ(run.outcomes.size(), 2u);
  EXPECT_EQ(*run.outcomes[0].pdu, first);
  EXPECT_TRUE(run.outcomes[1].fatal);
  EXPECT_EQ(run.outcomes[1].error.substr(0, 26), "pdu.header-digest-mismatch");

  Framer framer({.digests = digests});
  framer.feed(stream);
  EXPECT_TRUE(std::holds_alternative<DecodedPdu>(framer.next()));
  const FrameEvent failure = framer.next();
  ASSERT_TRUE(std::holds_alternative<FrameError>(failure));
  EXPECT_TRUE(framer.failed());
  // Still failed: the same error, whatever is fed afterwards.
  const Bytes more = encode(first, digests);
  framer.feed(more);
  const FrameEvent again = framer.next();
  ASSERT_TRUE(std::holds_alternative<FrameError>(again));
  EXPECT_EQ(std::get<FrameError>(again).violation.to_string(),
            std::get<FrameError>(failure).violation.to_string());
}

TEST(Framer, ByteAccountingAndBoundary) {
  const Bytes stream = test::wire_stream(test::mixed_pdus());
  Framer framer({.max_data_segment_length = kLargeLimit});
  EXPECT_TRUE(framer.at_pdu_boundary());
  framer.feed(ByteView(stream).first(100));
  while (!std::holds_alternative<NeedMore>(framer.next())) {
  }
  EXPECT_FALSE(framer.at_pdu_boundary());
  EXPECT_EQ(framer.bytes_consumed(), 100u);
  Result<void> end = framer.check_end_of_stream();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().id(), "pdu.truncated");
  framer.feed(ByteView(stream).subspan(100));
  std::size_t pdus = 0;
  while (std::holds_alternative<DecodedPdu>(framer.next())) ++pdus;
  EXPECT_EQ(pdus, test::mixed_pdus().size());
  EXPECT_EQ(framer.bytes_consumed(), stream.size());
  EXPECT_TRUE(framer.at_pdu_boundary());
  EXPECT_EQ(framer.buffered_bytes(), 0u);
}

// A reader that stops after one PDU per chunk and releases the chunk (scribbled over here)
// still gets every PDU, at every split of the stream, once retain_input() kept the rest.
TEST(Framer, RetainInputOutlivesTheChunk) {
  const std::vector<Pdu> pdus = test::mixed_pdus();
  const Bytes stream = test::wire_stream(pdus);
  for (std::size_t split = 1; split < stream.size(); ++split) {
    Framer framer({.max_data_segment_length = kLargeLimit});
    std::vector<Pdu> decoded;
    std::size_t offset = 0;
    while (offset < stream.size()) {
      Bytes chunk(
          stream.begin() + static_cast<std::ptrdiff_t>(offset),
          stream.begin() + static_cast<std::ptrdiff_t>(std::min(offset + split, stream.size())));
      offset += chunk.size();
      framer.feed(chunk);
      FrameEvent event = framer.next();
      if (auto* pdu = std::get_if<DecodedPdu>(&event)) decoded.push_back(std::move(pdu->pdu));
      ASSERT_FALSE(std::holds_alternative<FrameError>(event)) << split;
      framer.retain_input();
      std::fill(chunk.begin(), chunk.end(), std::uint8_t{0xee});
    }
    for (;;) {
      FrameEvent event = framer.next();
      if (std::holds_alternative<NeedMore>(event)) break;
      ASSERT_TRUE(std::holds_alternative<DecodedPdu>(event)) << split;
      decoded.push_back(std::move(std::get<DecodedPdu>(event).pdu));
    }
    ASSERT_EQ(decoded, pdus) << split;
    EXPECT_EQ(framer.bytes_consumed(), stream.size());
    EXPECT_TRUE(framer.at_pdu_boundary());
  }
}

// Zero-copy receive: data_space() is the unfilled data part of the PDU in progress (data, pad,
// digest), empty while fed input is unread or between PDUs; commit_data() counts bytes written
// there, clamped to its size, and next() checks and returns the PDU as after feed().
TEST(Framer, DataSpaceReceivesTheSegmentInPlace) {
  const DigestOptions digests{.header = false, .data = true};
  const Pdu pdu = test::data_in({.itt = 9, .data_sn = 0}, {}, test::pattern_bytes(1001, 3));
  const Bytes wire = test::wire_stream({pdu}, digests);
  const std::size_t data_part = padded_length(1001) + kDigestLength;
  ASSERT_EQ(wire.size(), kBhsLength + data_part);
  Framer framer({.digests = digests, .max_data_segment_length = kLargeLimit});
  EXPECT_TRUE(framer.data_space().empty());  // no header yet
  EXPECT_EQ(framer.pending_data_length(), 0u);
  framer.feed(ByteView(wire).first(kBhsLength + 10));
  EXPECT_TRUE(framer.data_space().empty());  // fed bytes not read yet
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.next()));
  EXPECT_EQ(framer.pending_data_length(), data_part);
  std::span<std::uint8_t> space = framer.data_space();
  ASSERT_EQ(space.size(), data_part - 10);
  EXPECT_EQ(framer.buffered_bytes(), 10u);
  std::copy_n(wire.begin() + kBhsLength + 10, 500, space.begin());
  framer.commit_data(500);
  EXPECT_EQ(framer.buffered_bytes(), 510u);
  EXPECT_EQ(framer.bytes_consumed(), kBhsLength + 510);
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.next()));
  space = framer.data_space();
  ASSERT_EQ(space.size(), data_part - 510);
  std::copy(wire.begin() + kBhsLength + 510, wire.end(), space.begin());
  framer.commit_data(space.size() + 100);  // clamped to the space
  EXPECT_EQ(framer.bytes_consumed(), wire.size());
  FrameEvent event = framer.next();
  ASSERT_TRUE(std::holds_alternative<DecodedPdu>(event));
  EXPECT_EQ(std::get<DecodedPdu>(event).pdu, pdu);
  EXPECT_TRUE(framer.at_pdu_boundary());
  EXPECT_EQ(framer.buffered_bytes(), 0u);
  EXPECT_TRUE(framer.data_space().empty());
  EXPECT_EQ(framer.pending_data_length(), 0u);
}

// With a BufferPool, a data segment is received into a pooled buffer (its memory, no new
// allocation), whether read in place or taken from fed input; segments under 4 KiB are not.
TEST(Framer, DataSegmentsUseThePoolsBuffers) {
  const DigestOptions digests{.header = false, .data = true};
  const Pdu big = test::data_in({.itt = 9, .data_sn = 0}, {}, test::pattern_bytes(65536, 3));
  const Pdu small = test::data_in({.itt = 9, .data_sn = 1}, {}, test::pattern_bytes(100, 4));
  const Bytes wire = test::wire_stream({big, small, big}, digests);
  const std::size_t big_length = kBhsLength + 65536 + kDigestLength;
  auto pool = std::make_shared<BufferPool>();
  Bytes spare(70000);
  const std::uint8_t* spare_memory = spare.data();
  pool->give(std::move(spare));
  Framer framer({.digests = digests, .max_data_segment_length = kLargeLimit});
  framer.set_buffer_pool(pool);
  // The first PDU in place: header fed, data segment read into data_space().
  framer.feed(ByteView(wire).first(kBhsLength));
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.next()));
  std::span<std::uint8_t> space = framer.data_space();
  ASSERT_EQ(space.size(), 65536u + kDigestLength);
  EXPECT_EQ(space.data(), spare_memory);
  std::copy_n(wire.begin() + kBhsLength, space.size(), space.begin());
  framer.commit_data(space.size());
  FrameEvent first = framer.next();
  ASSERT_TRUE(std::holds_alternative<DecodedPdu>(first));
  Pdu received = std::move(std::get<DecodedPdu>(first).pdu);
  EXPECT_EQ(received, big);
  EXPECT_EQ(received.data.data(), spare_memory);
  EXPECT_EQ(pool->reused(), 1u);
  pool->give(std::move(received.data));
  // The rest fed whole: the small PDU gets a buffer of its own, the big one the pooled one.
  framer.feed(ByteView(wire).subspan(big_length));
  FrameEvent second = framer.next();
  ASSERT_TRUE(std::holds_alternative<DecodedPdu>(second));
  EXPECT_EQ(std::get<DecodedPdu>(second).pdu, small);
  EXPECT_EQ(pool->size(), 1u);
  FrameEvent third = framer.next();
  ASSERT_TRUE(std::holds_alternative<DecodedPdu>(third));
  EXPECT_EQ(std::get<DecodedPdu>(third).pdu, big);
  EXPECT_EQ(std::get<DecodedPdu>(third).pdu.data.data(), spare_memory);
  EXPECT_EQ(pool->reused(), 2u);
}

// A data digest error found after an in-place receive is the same recoverable error.
TEST(Framer, DataSpaceDigestErrorIsRecoverable) {
  const DigestOptions digests{.header = false, .data = true};
  const std::vector<Pdu> pdus = {
      test::data_in({.itt = 1, .data_sn = 0}, {}, test::pattern_bytes(300, 1)),
      test::data_in({.itt = 2, .data_sn = 0}, {}, test::pattern_bytes(40, 2))};
  Bytes wire = test::wire_stream(pdus, digests);
  wire[kBhsLength + 7] ^= 0x01;  // a data byte of the first PDU
  const FramerOptions options{.digests = digests, .max_data_segment_length = kLargeLimit};
  const testing::FrameRun copied = testing::run_framer(wire, {kBhsLength}, options);
  std::size_t in_place = 0;
  const testing::FrameRun direct =
      testing::run_framer_direct(wire, {kBhsLength}, options, &in_place);
  EXPECT_EQ(in_place, padded_length(300) + kDigestLength);
  EXPECT_EQ(direct, copied);
  ASSERT_EQ(direct.outcomes.size(), 2u);
  EXPECT_FALSE(direct.outcomes[0].error.empty());
  EXPECT_FALSE(direct.outcomes[0].fatal);
  ASSERT_TRUE(direct.outcomes[1].pdu.has_value());
  EXPECT_EQ(*direct.outcomes[1].pdu, pdus[1]);
}

// Large Data-In received the way the asio stream does (segment in place, then a header-sized
// read, then the next segment in place) decode exactly as when copied.
TEST(Framer, LargeDataInReceivedInPlace) {
  std::vector<Pdu> pdus;
  for (std::uint32_t i = 0; i < 3; ++i) {
    pdus.push_back(test::data_in({.itt = 7, .data_sn = i, .buffer_offset = i * 65536u}, {},
                                 test::pattern_bytes(65536 - i, static_cast<std::uint8_t>(i))));
  }
  const Bytes stream = test::wire_stream(pdus);
  const FramerOptions options{.max_data_segment_length = 65536};
  for (std::size_t chunk : {48u, 1000u, 65536u, 65536u + 100u}) {
    SCOPED_TRACE(chunk);
    std::size_t in_place = 0;
    expect_pdus(
        testing::run_framer_direct(
            stream, std::vector<std::size_t>(stream.size() / chunk + 1, chunk), options, &in_place),
        pdus);
    EXPECT_GT(in_place, 0u);
  }
}

TEST(Framer, MaxDataSegmentLengthIsClamped) {
  Framer framer;
  EXPECT_EQ(framer.options().max_data_segment_length, kDefaultMaxRecvDataSegmentLength);
  framer.set_max_data_segment_length(0xffffffff);
  EXPECT_EQ(framer.options().max_data_segment_length, kMaxDataSegmentLength);
}

TEST(Framer, EmptyStream) {
  const testing::FrameRun run = testing::run_framer({}, {}, {});
  EXPECT_TRUE(run.outcomes.empty());
  EXPECT_TRUE(run.clean_end);
}

}  // namespace
}  // namespace iscsi::pdu
