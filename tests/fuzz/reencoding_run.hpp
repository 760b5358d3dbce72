// A fuzz run for a decoder whose messages need not re-encode to the bytes they came from (a peer's
// padding, skipped fields, frame cuts or fields beyond this minor are not reproduced): each decoded
// message is encoded, decoded again and encoded again, and the two encodings must match.
#pragma once

#include <ferry/codec.hpp>

#include <cstdint>
#include <span>
#include <vector>

#include "chunked_decode.hpp"
#include "codec_v1/schema.hpp"

namespace ferry::codec_fuzz {

inline constexpr uint64_t kReencodeLimit = 1 << 24;  // defaults for fields a peer left out may outgrow its header

template <class Encoder>
std::vector<uint8_t> encode(const Encoder& encoder, const ferry_type_message& message) {
  std::vector<uint8_t> out(encoder.encode(message, {}));
  check(encoder.encode(message, out) == out.size());
  return out;
}

// Codec names the Encoder and Decoder types and makes a decoder: Codec::decoder(schema, limit).
template <class Codec>
class ReencodingRun {
 public:
  ReencodingRun(const codec_v1::Schema& schema, uint64_t limit)
      : schema_(schema), encoder_(schema, kReencodeLimit), decoder_(Codec::decoder(schema, limit)) {}

  Trace feed(std::span<const uint8_t> input, size_t chunk) {
    feed_in_chunks(input, chunk, [this](std::vector<uint8_t>& buffer) { return drain(buffer); });
    return trace_;
  }

 private:
  // Decodes until the decoder needs more; false after a protocol error.
  bool drain(std::vector<uint8_t>& buffer) {
    for (;;) {
      const auto decoded = decode_once(decoder_, buffer, fields_, trace_);
      if (!decoded) return false;
      if (decoded->kind != FERRY_DECODE_NEED_MORE) record(*decoded, buffer);
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded->consumed));
      if (decoded->kind == FERRY_DECODE_NEED_MORE) return true;
    }
  }

  void record(const sdk::Decoded& decoded, const std::vector<uint8_t>& buffer) {
    if (decoded.kind == FERRY_DECODE_PAYLOAD) {
      check(decoded.payload >= buffer.data() && decoded.payload + decoded.payload_length <= buffer.data() +
                                                                                                decoded.consumed);
      check(decoded.payload_length > 0);
      if (!in_payload_) trace_.events.push_back('P');
      in_payload_ = true;
      trace_.events.insert(trace_.events.end(), decoded.payload, decoded.payload + decoded.payload_length);
      return;
    }
    check(decoded.kind == FERRY_DECODE_MESSAGE);
    const std::vector<uint8_t> once = encode(encoder_, decoded.message);
    auto again = Codec::decoder(schema_, kReencodeLimit);
    ferry_type_field fields[16]{};
    const sdk::Decoded redecoded = again.decode(once, fields);
    check(redecoded.kind == FERRY_DECODE_MESSAGE && redecoded.consumed == once.size());
    check(encode(encoder_, redecoded.message) == once);
    trace_.events.push_back('M');
    trace_.events.insert(trace_.events.end(), once.begin(), once.end());
    in_payload_ = false;
  }

  codec_v1::Schema schema_;
  typename Codec::Encoder encoder_;
  typename Codec::Decoder decoder_;
  ferry_type_field fields_[16]{};
  Trace trace_;
  bool in_payload_ = false;
};

}  // namespace ferry::codec_fuzz
