// Writes messages in the rolling-upgrade format of codec 1.x: the message header (type, field count, the
// payload length for types with a payload, then the fields of this minor) cut into frames of at most
// 64 KiB, and a frame header before each piece of payload (docs/protocol.md).
#pragma once

#include <ferry/codec.hpp>

#include <span>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

class RollingEncoder {
 public:
  RollingEncoder(Schema schema, uint64_t max_message_size) : schema_(schema), max_message_size_(max_message_size) {}

  // Returns the size of message's framed header and writes it into output when it fits; when it does not,
  // writes nothing. Throws like Encoder::encode; max_message_size bounds the header without its frame
  // headers, so that the limit means the same in both modes.
  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) const;

  // The frame header before the next piece of a payload: the piece is at most one frame's body, and the
  // continuation bit says whether more of the payload follows it.
  static sdk::PayloadPrefix payload_prefix(uint64_t payload_remaining, std::span<uint8_t> output);

 private:
  Schema schema_;
  uint64_t max_message_size_;
};

}  // namespace ferry::codec_v1
