// Fuzzes the stable-mode codec 1.x decoder (the code codec-1.0.so and codec-1.1.so ship, linked directly)
// over the real catalogue at minors 0 and 1 and a test catalogue with every field kind and a payload. For
// each, the input is decoded as one buffer and again fed in chunks the way the host feeds a socket, and it
// checks that
//   - bad input only ever fails with FERRY_ERR_PROTOCOL and a sentence, never a crash;
//   - every decoded message re-encodes to exactly the bytes it was decoded from;
//   - the chunk boundaries change nothing: same messages, same payload bytes, same failure.
#include <ferry/protocol_v1.h>

#include <algorithm>
#include <vector>

#include "chunked_decode.hpp"
#include "codec_v1/decoder.hpp"
#include "codec_v1/encoder.hpp"
#include "major1_inputs.hpp"

namespace {

using ferry::codec_fuzz::check;
using ferry::codec_fuzz::Trace;
using ferry::codec_v1::Decoder;
using ferry::codec_v1::Encoder;
using ferry::codec_v1::Schema;

// Stable mode: every decoded message re-encodes to exactly the bytes it was decoded from.
class Run {
 public:
  Run(const Schema& schema, uint64_t limit) : encoder_(schema, limit), decoder_(schema, limit) {}

  Trace feed(std::span<const uint8_t> input, size_t chunk) {
    const auto left_over =
        ferry::codec_fuzz::feed_in_chunks(input, chunk, [this](std::vector<uint8_t>& buffer) { return drain(buffer); });
    if (left_over) trace_.left_over = *left_over;
    return trace_;
  }

 private:
  // Decodes until the decoder needs more; false after a protocol error.
  bool drain(std::vector<uint8_t>& buffer) {
    for (;;) {
      const auto decoded = ferry::codec_fuzz::decode_once(decoder_, buffer, fields_, trace_);
      if (!decoded) return false;
      if (decoded->kind == FERRY_DECODE_NEED_MORE) {
        check(decoded->consumed == 0);
        return true;
      }
      record(*decoded, std::span<const uint8_t>(buffer.data(), decoded->consumed));
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded->consumed));
    }
  }

  void record(const ferry::sdk::Decoded& decoded, std::span<const uint8_t> bytes) {
    if (decoded.kind == FERRY_DECODE_PAYLOAD) {
      check(decoded.payload == bytes.data() && decoded.payload_length == bytes.size() && !bytes.empty());
      if (!in_payload_) trace_.events.push_back('P');
      in_payload_ = true;
    } else {
      check(decoded.kind == FERRY_DECODE_MESSAGE);
      std::vector<uint8_t> again(bytes.size());
      check(encoder_.encode(decoded.message, again) == bytes.size() &&
            std::equal(again.begin(), again.end(), bytes.begin()));
      trace_.events.push_back('M');
      in_payload_ = false;
    }
    trace_.events.insert(trace_.events.end(), bytes.begin(), bytes.end());
  }

  Encoder encoder_;
  Decoder decoder_;
  ferry_type_field fields_[16]{};
  Trace trace_;
  bool in_payload_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ferry::codec_fuzz::fuzz_major1<Run>(std::span<const uint8_t>(data, size));
  return 0;
}
