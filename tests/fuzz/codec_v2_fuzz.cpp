// Fuzzes the decoder of codec 2.x (the code codec-2.0.so ships, linked directly; one format for both modes)
// as minor 0 of the real catalogue and as minors 0 and 1 of a test catalogue with every field kind and a
// payload. For each, the input is decoded as one buffer and again fed in chunks the way the host feeds a
// socket, and it checks that
//   - bad input only ever fails with FERRY_ERR_PROTOCOL and a sentence, never a crash;
//   - every decoded message re-encodes, and decoding that re-encoding gives back the same bytes when
//     encoded again (fields a newer peer sent beyond this minor are not reproduced, its values are);
//   - the chunk boundaries change nothing: same messages, same payload bytes, same failure.
#include <ferry/protocol_v1.h>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/decoder.hpp"
#include "codec_v2/encoder.hpp"
#include "codec_v2/header_reader.hpp"
#include "codec_v2/schema.hpp"
#include "reencoding_run.hpp"

namespace {

using ferry::codec_v1::Schema;

struct CodecV2 {
  using Encoder = ferry::codec_v2::Encoder;
  using Decoder = ferry::codec_v1::Decoder;
  static Decoder decoder(const Schema& schema, uint64_t limit) {
    return Decoder(schema, limit, &ferry::codec_v2::read_header);
  }
};

void fuzz(const Schema& schema, uint64_t limit, std::span<const uint8_t> input) {
  ferry::codec_fuzz::fuzz<ferry::codec_fuzz::ReencodingRun<CodecV2>>(schema, limit, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  fuzz(ferry::codec_v2::protocol_v2(0), 1 << 20, input);
  fuzz(Schema{ferry::codec_test::all_kinds_catalogue, 2, 0}, 48, input);
  fuzz(Schema{ferry::codec_test::all_kinds_catalogue, 2, 1}, 1 << 20, input);
  return 0;
}
