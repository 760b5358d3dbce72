// The resumable rolling-upgrade decoder of codec 1.x: frames in, message headers and payload pieces out.
//
// A header that fits one frame (every header below 64 KiB) is decoded where it lies in the input: until
// its frame is complete, decode answers NEED_MORE with nothing consumed, as in stable mode. Only a header
// spread over several frames is gathered in the stream's own buffer, bounded by max_message_size. Payload
// frames are never buffered: each call hands back the next piece of the input as a PAYLOAD event. A
// NEED_MORE answer may consume bytes (whole frames of a long header, a payload frame's header); it always
// means that nothing more can be done with the input given. After a protocol error the stream stays failed.
#pragma once

#include <ferry/codec.hpp>
#include <string>
#include <vector>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

class RollingDecoder {
 public:
  RollingDecoder(Schema schema, uint64_t max_message_size);

  // One event from the front of input. Throws ferry::sdk::Error(FERRY_ERR_PROTOCOL) for malformed input.
  sdk::Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields);

 private:
  enum class State {
    frame,    // expecting a frame header: of a message header, or of a payload when payload_remaining_ > 0
    payload,  // passing the body_left_ bytes of a payload frame through
    failed,   // a protocol error ended the stream; failure_ says which
  };

  sdk::Decoded step(std::span<const uint8_t> input, std::span<ferry_type_field> fields);
  sdk::Decoded message(std::span<const uint8_t> header, std::span<ferry_type_field> fields, size_t consumed);

  Schema schema_;
  uint64_t max_message_size_;
  size_t most_fields_ = 0;  // the largest field count of the catalogue: the storage every header needs
  State state_ = State::frame;
  uint64_t payload_remaining_ = 0;
  size_t body_left_ = 0;
  std::vector<uint8_t> gathered_;  // the frames so far of a header spread over several
  bool release_gathered_ = false;  // the last message's fields pointed into gathered_ until this call
  std::string payload_owner_;      // the type name of the message whose payload is passing, for errors
  std::string failure_;
};

}  // namespace ferry::codec_v1
