// A codec 1.x stream in rolling-upgrade mode (the nodes speak two minors of major 1): every message header
// in frames with its field count, every payload piece in a frame of its own.
#pragma once

#include <ferry/codec.hpp>

#include "codec_v1/rolling_decoder.hpp"
#include "codec_v1/rolling_encoder.hpp"

namespace ferry::codec_v1 {

class RollingStream final : public sdk::CodecStream {
 public:
  RollingStream(Schema schema, uint64_t max_message_size)
      : encoder_(schema, max_message_size), decoder_(schema, max_message_size) {}

  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) override {
    return encoder_.encode(message, output);
  }
  sdk::PayloadPrefix encode_payload_prefix(uint64_t payload_remaining, std::span<uint8_t> output) override {
    return RollingEncoder::payload_prefix(payload_remaining, output);
  }
  sdk::Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) override {
    return decoder_.decode(input, fields);
  }

 private:
  RollingEncoder encoder_;
  RollingDecoder decoder_;
};

}  // namespace ferry::codec_v1
