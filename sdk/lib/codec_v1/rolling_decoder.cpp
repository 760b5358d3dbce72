#include "codec_v1/rolling_decoder.hpp"

#include <algorithm>

#include "codec_v1/field_reader.hpp"
#include "codec_v1/frame.hpp"
#include "codec_v1/rolling_header_reader.hpp"

namespace ferry::codec_v1 {
namespace {

[[noreturn]] void protocol_error(std::string message) { throw sdk::Error(FERRY_ERR_PROTOCOL, std::move(message)); }

sdk::Decoded need_more(size_t consumed) {
  sdk::Decoded decoded;
  decoded.consumed = consumed;
  return decoded;
}

}  // namespace

RollingDecoder::RollingDecoder(Schema schema, uint64_t max_message_size)
    : schema_(schema), max_message_size_(max_message_size) {
  for (const ferry_type_message_spec& spec : schema_.messages) most_fields_ = std::max(most_fields_, spec.field_count);
}

sdk::Decoded RollingDecoder::decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) {
  if (state_ == State::failed) throw sdk::Error(FERRY_ERR_PROTOCOL, "the stream already failed: " + failure_);
  if (release_gathered_) {
    gathered_.clear();
    release_gathered_ = false;
  }
  // Checked before anything is consumed, so that the host can grow its storage and call again.
  if (state_ == State::frame && payload_remaining_ == 0 && fields.size() < most_fields_) {
    sdk::Decoded decoded;
    decoded.fields_needed = most_fields_;
    return decoded;
  }
  try {
    return step(input, fields);
  } catch (const sdk::Error& e) {
    state_ = State::failed;
    failure_ = e.what();
    throw;
  }
}

sdk::Decoded RollingDecoder::step(std::span<const uint8_t> input, std::span<ferry_type_field> fields) {
  size_t used = 0;
  for (;;) {
    const std::span<const uint8_t> rest = input.subspan(used);
    if (state_ == State::payload) {
      if (rest.empty()) return need_more(used);
      sdk::Decoded decoded;
      decoded.kind = FERRY_DECODE_PAYLOAD;
      decoded.payload = rest.data();
      decoded.payload_length = std::min(body_left_, rest.size());
      decoded.consumed = used + decoded.payload_length;
      body_left_ -= decoded.payload_length;
      payload_remaining_ -= decoded.payload_length;
      if (body_left_ == 0) state_ = State::frame;
      return decoded;
    }
    if (rest.size() < kFrameHeaderSize) return need_more(used);
    const FrameHeader frame = read_frame_header(rest);

    if (payload_remaining_ > 0) {
      if (frame.body > payload_remaining_)
        protocol_error("a payload frame of " + payload_owner_ + " carries " + std::to_string(frame.body) +
                       " bytes, but only " + std::to_string(payload_remaining_) + " bytes of its payload remain");
      if (frame.continuation != (frame.body < payload_remaining_))
        protocol_error("a payload frame of " + payload_owner_ + " carrying " + std::to_string(frame.body) + " of the " +
                       std::to_string(payload_remaining_) + " remaining bytes has its continuation bit " +
                       (frame.continuation ? "set" : "clear"));
      used += kFrameHeaderSize;
      body_left_ = frame.body;
      state_ = State::payload;
      continue;
    }

    if (gathered_.size() + frame.body > max_message_size_)
      protocol_error("a message header of at least " + std::to_string(gathered_.size() + frame.body) +
                     " bytes exceeds " + limit_text(max_message_size_));
    if (rest.size() < kFrameHeaderSize + frame.body) return need_more(used);
    const std::span<const uint8_t> body = rest.subspan(kFrameHeaderSize, frame.body);
    used += kFrameHeaderSize + frame.body;
    if (frame.continuation) {
      gathered_.insert(gathered_.end(), body.begin(), body.end());
      continue;
    }
    if (gathered_.empty()) return message(body, fields, used);
    gathered_.insert(gathered_.end(), body.begin(), body.end());
    release_gathered_ = true;
    return message(gathered_, fields, used);
  }
}

sdk::Decoded RollingDecoder::message(std::span<const uint8_t> header, std::span<ferry_type_field> fields,
                                     size_t consumed) {
  sdk::Decoded decoded;
  decoded.kind = FERRY_DECODE_MESSAGE;
  decoded.consumed = consumed;
  decoded.message = read_rolling_header(schema_, max_message_size_, header, fields);
  payload_remaining_ = decoded.message.payload_length;
  if (payload_remaining_ > 0) payload_owner_ = schema_.find(decoded.message.type)->name;
  return decoded;
}

}  // namespace ferry::codec_v1
