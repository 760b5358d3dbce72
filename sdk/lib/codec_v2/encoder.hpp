// Writes message headers in the format of major 2 (docs/protocol.md §4): type, header length, field count,
// the payload length for types with a payload, then the fields of this minor. The header states its own
// length, so the same bytes serve stable and rolling-upgrade mode.
#pragma once

#include <ferry/abi.h>

#include <span>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v2 {

class Encoder {
 public:
  Encoder(codec_v1::Schema schema, uint64_t max_message_size) : schema_(schema), max_message_size_(max_message_size) {}

  // Returns the size of message's encoded header and writes it into output when it fits; when it does not,
  // writes nothing. Throws ferry::sdk::Error like the encoder of major 1 (the same checks and sentences).
  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) const;

 private:
  codec_v1::Schema schema_;
  uint64_t max_message_size_;
};

}  // namespace ferry::codec_v2
