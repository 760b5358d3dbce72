// The streaming messages (types 16..25 of sdk/include/ferry/protocol_v1.h, the same in protocol_v2.h) built
// from and read into the state machine's values (stream/messages.hpp). Readers default what an older peer
// did not send (a 1.0 chunk has no crc32c: 0) and name what cannot be a valid value.
#pragma once

#include <ferry/protocol_v1.h>

#include <string>
#include <variant>
#include <vector>

#include "protocol/message.hpp"
#include "stream/messages.hpp"

namespace ferry::protocol::streaming {

// Whether type is one of the streaming messages.
bool is_stream_type(uint16_t type);

// Bytes a built message points to that are not in the value itself: the encoded request list and ranges.
struct Scratch {
  std::string requests;
  std::vector<uint8_t> ranges;
};

// The message for value, pointing into value and scratch (both must outlive it). A Chunk's message carries
// its payload_length; the payload follows it on the wire.
Message build(const stream::StreamMessage& value, Scratch& scratch);

// The value of a decoded streaming message, or what is wrong with it (a malformed request list or ranges
// field). The caller has checked is_stream_type(view.type()).
std::variant<stream::StreamMessage, std::string> read(const MessageView& view);

}  // namespace ferry::protocol::streaming
