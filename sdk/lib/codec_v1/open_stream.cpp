#include "codec_v1/open_stream.hpp"

#include "codec_v1/decoder.hpp"
#include "codec_v1/encoder.hpp"
#include "codec_v1/paired_stream.hpp"
#include "codec_v1/rolling_decoder.hpp"
#include "codec_v1/rolling_encoder.hpp"

namespace ferry::codec_v1 {
namespace {

// Stable mode (both nodes chose the same version): messages back to back, each starting with its type,
// payloads written raw after their header: stable mode frames nothing.
using StableStream = PairedStream<Encoder, Decoder>;
// Rolling-upgrade mode (the nodes speak two minors of major 1): every message header in frames with its
// field count, every payload piece in a frame of its own.
using RollingStream = PairedStream<RollingEncoder, RollingDecoder, RollingEncoder>;

}  // namespace

std::unique_ptr<sdk::CodecStream> open_stream(const Schema& schema, const sdk::StreamOptions& options) {
  check_max_message_size(options.max_message_size);
  if (options.mode == FERRY_CODEC_MODE_ROLLING)
    return std::make_unique<RollingStream>(schema, options.max_message_size);
  return std::make_unique<StableStream>(schema, options.max_message_size);
}

}  // namespace ferry::codec_v1
