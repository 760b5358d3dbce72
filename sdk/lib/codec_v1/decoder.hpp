// The resumable stable-mode decoder of codec 1.x: message headers and the payloads that follow them.
//
// Between calls it keeps its state and the count of payload bytes still due, never input bytes, so the
// host owns every byte: when the input holds less than a whole header, decode answers NEED_MORE with
// nothing consumed and the host calls again with the same bytes and more. Payloads are never buffered: each call hands back the next piece of the
// input as a PAYLOAD event. After a protocol error the stream stays failed.
#pragma once

#include <ferry/codec.hpp>
#include <string>

#include "codec_v1/header_reader.hpp"
#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// Reads one header from the front of the input; read_header is the stable-mode layout of major 1, and a
// major with another header layout passes its own (the payload rules stay the same).
using HeaderReaderFn = HeaderRead (*)(const Schema& schema, uint64_t max_message_size, std::span<const uint8_t> input,
                                      std::span<ferry_type_field> fields);

class Decoder {
 public:
  Decoder(Schema schema, uint64_t max_message_size, HeaderReaderFn reader = &read_header)
      : schema_(schema), max_message_size_(max_message_size), reader_(reader) {}

  // One event from the front of input. Throws ferry::sdk::Error(FERRY_ERR_PROTOCOL) for malformed input.
  sdk::Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields);

 private:
  enum class State {
    header,   // expecting the next message header
    payload,  // passing payload_remaining_ bytes of the current message through
    failed,   // a protocol error ended the stream; failure_ says which
  };

  sdk::Decoded decode_header(std::span<const uint8_t> input, std::span<ferry_type_field> fields);

  Schema schema_;
  uint64_t max_message_size_;
  HeaderReaderFn reader_;
  State state_ = State::header;
  uint64_t payload_remaining_ = 0;
  std::string failure_;
};

}  // namespace ferry::codec_v1
