// Fuzzes the rolling-upgrade decoder of codec 1.x (the code codec-1.0.so and codec-1.1.so ship, linked
// directly) as minor 0 and minor 1 of the real catalogue and of a test catalogue with every field kind and
// a payload. For each, the input is decoded as one buffer and again fed in chunks the way the host feeds a
// socket, and it checks that
//   - bad input only ever fails with FERRY_ERR_PROTOCOL and a sentence, never a crash;
//   - every decoded message re-encodes, and decoding that re-encoding gives back the same bytes when
//     encoded again (a peer's padding, skipped fields and frame cuts are not reproduced, its values are);
//   - the chunk boundaries change nothing: same messages, same payload bytes, same failure.
#include <ferry/protocol_v1.h>

#include "codec_v1/rolling_decoder.hpp"
#include "codec_v1/rolling_encoder.hpp"
#include "major1_inputs.hpp"
#include "reencoding_run.hpp"

namespace {

using ferry::codec_v1::Schema;

struct RollingCodec {
  using Encoder = ferry::codec_v1::RollingEncoder;
  using Decoder = ferry::codec_v1::RollingDecoder;
  static Decoder decoder(const Schema& schema, uint64_t limit) { return Decoder(schema, limit); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ferry::codec_fuzz::fuzz_major1<ferry::codec_fuzz::ReencodingRun<RollingCodec>>(std::span<const uint8_t>(data, size));
  return 0;
}
