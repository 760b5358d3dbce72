// Writes message headers in the stable-mode format of codec 1.x: the type, the fields of this minor in
// catalogue order, then the payload length for types that carry a payload (docs/protocol.md).
#pragma once

#include <ferry/abi.h>

#include <span>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// The largest max_message_size a stream accepts: a header is buffered whole, so it must fit in memory.
inline constexpr uint64_t kLargestMessageSizeLimit = uint64_t{1} << 32;

class Encoder {
 public:
  // max_message_size is at most kLargestMessageSizeLimit (open_stream checks).
  Encoder(Schema schema, uint64_t max_message_size) : schema_(schema), max_message_size_(max_message_size) {}

  // Returns the size of message's encoded header and writes it into output when it fits; when it does not,
  // writes nothing. Throws ferry::sdk::Error: FERRY_ERR_INVALID_ARGUMENT for a message this version cannot
  // express (unknown type, missing fields, wrong kinds, invalid values), FERRY_ERR_LIMIT above the limit.
  // Fields beyond this minor's count are ignored; ABSENT fields are written as their kind's default.
  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) const;

 private:
  Schema schema_;
  uint64_t max_message_size_;
};

}  // namespace ferry::codec_v1
