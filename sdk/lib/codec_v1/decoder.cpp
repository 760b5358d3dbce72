#include "codec_v1/decoder.hpp"

#include <algorithm>

namespace ferry::codec_v1 {

sdk::Decoded Decoder::decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) {
  sdk::Decoded decoded;
  switch (state_) {
    case State::failed:
      throw sdk::Error(FERRY_ERR_PROTOCOL, "the stream already failed: " + failure_);
    case State::payload:
      if (input.empty()) return decoded;
      decoded.kind = FERRY_DECODE_PAYLOAD;
      decoded.payload = input.data();
      decoded.payload_length = static_cast<size_t>(std::min<uint64_t>(payload_remaining_, input.size()));
      decoded.consumed = decoded.payload_length;
      payload_remaining_ -= decoded.payload_length;
      if (payload_remaining_ == 0) state_ = State::header;
      return decoded;
    case State::header:
      break;
  }
  try {
    return decode_header(input, fields);
  } catch (const sdk::Error& e) {
    state_ = State::failed;
    failure_ = e.what();
    throw;
  }
}

sdk::Decoded Decoder::decode_header(std::span<const uint8_t> input, std::span<ferry_type_field> fields) {
  const HeaderRead read = reader_(schema_, max_message_size_, input, fields);
  sdk::Decoded decoded;
  switch (read.status) {
    case HeaderRead::Status::need_more:
      return decoded;
    case HeaderRead::Status::need_fields:
      decoded.fields_needed = read.fields_needed;
      return decoded;
    case HeaderRead::Status::complete:
      break;
  }
  decoded.kind = FERRY_DECODE_MESSAGE;
  decoded.consumed = read.size;
  decoded.message = read.message;
  payload_remaining_ = read.message.payload_length;
  if (payload_remaining_ > 0) state_ = State::payload;
  return decoded;
}

}  // namespace ferry::codec_v1
