// A codec stream made of an encoder and a decoder of one schema, side by side: the shape of the streams of
// major 1 (stable and rolling mode) and of major 2. Header-only, so that it builds into each codec plugin.
#pragma once

#include <ferry/codec.hpp>

#include <cstdint>
#include <span>
#include <string>

#include "codec_v1/encoder.hpp"
#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// What every open_stream checks first: refuses a max_message_size outside 1..kLargestMessageSizeLimit with
// ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT).
inline void check_max_message_size(uint64_t max_message_size) {
  if (max_message_size == 0 || max_message_size > kLargestMessageSizeLimit)
    throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "max_message_size " + std::to_string(max_message_size) +
                                                     " is outside 1.." + std::to_string(kLargestMessageSizeLimit));
}

// Framing of payloads in a format whose header carries the payload length: the payload follows its header
// as it is, whole.
struct RawPayload {
  static sdk::PayloadPrefix payload_prefix(uint64_t payload_remaining, std::span<uint8_t>) {
    return sdk::PayloadPrefix{0, payload_remaining};
  }
};

// Framing::payload_prefix(payload_remaining, output) says how payload bytes are framed. Decoder is built
// from the schema, the size limit and decoder_args.
template <class Encoder, class Decoder, class Framing = RawPayload>
class PairedStream final : public sdk::CodecStream {
 public:
  template <class... DecoderArgs>
  PairedStream(Schema schema, uint64_t max_message_size, DecoderArgs... decoder_args)
      : encoder_(schema, max_message_size), decoder_(schema, max_message_size, decoder_args...) {}

  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) override {
    return encoder_.encode(message, output);
  }
  sdk::PayloadPrefix encode_payload_prefix(uint64_t payload_remaining, std::span<uint8_t> output) override {
    return Framing::payload_prefix(payload_remaining, output);
  }
  sdk::Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) override {
    return decoder_.decode(input, fields);
  }

 private:
  Encoder encoder_;
  Decoder decoder_;
};

}  // namespace ferry::codec_v1
