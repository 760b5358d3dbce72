// A codec 1.x stream in stable mode (both nodes chose the same version): messages back to back, each
// starting with its type, payloads written raw after their header.
#pragma once

#include <ferry/codec.hpp>

#include "codec_v1/decoder.hpp"
#include "codec_v1/encoder.hpp"

namespace ferry::codec_v1 {

class StableStream final : public sdk::CodecStream {
 public:
  StableStream(Schema schema, uint64_t max_message_size)
      : encoder_(schema, max_message_size), decoder_(schema, max_message_size) {}

  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) override {
    return encoder_.encode(message, output);
  }
  // Stable mode frames nothing: the whole payload follows its header as it is.
  sdk::PayloadPrefix encode_payload_prefix(uint64_t payload_remaining, std::span<uint8_t>) override {
    return sdk::PayloadPrefix{0, payload_remaining};
  }
  sdk::Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) override {
    return decoder_.decode(input, fields);
  }

 private:
  Encoder encoder_;
  Decoder decoder_;
};

}  // namespace ferry::codec_v1
