#include "codec_v2/open_stream.hpp"

#include "codec_v1/decoder.hpp"
#include "codec_v1/paired_stream.hpp"
#include "codec_v2/encoder.hpp"
#include "codec_v2/header_reader.hpp"

namespace ferry::codec_v2 {

std::unique_ptr<sdk::CodecStream> open_stream(const codec_v1::Schema& schema, const sdk::StreamOptions& options) {
  codec_v1::check_max_message_size(options.max_message_size);
  // The header carries the payload length, so the payload follows it raw, whole, in both modes.
  return std::make_unique<codec_v1::PairedStream<Encoder, codec_v1::Decoder>>(schema, options.max_message_size,
                                                                             &read_header);
}

}  // namespace ferry::codec_v2
