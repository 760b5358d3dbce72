#include "codec_v1/rolling_encoder.hpp"

#include <algorithm>
#include <cstring>

#include "codec_v1/field_writer.hpp"
#include "codec_v1/frame.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v1 {
namespace {

constexpr size_t kMaxRollingFields = 255;  // the field count is one byte

}  // namespace

size_t RollingEncoder::encode(const ferry_type_message& message, std::span<uint8_t> output) const {
  const FieldPlan plan = plan_fields(schema_, message, max_message_size_);
  const ferry_type_message_spec& spec = *plan.spec;
  if (plan.count > kMaxRollingFields)
    throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, std::string(spec.name) + " has " + std::to_string(plan.count) +
                                                     " fields; rolling-upgrade mode counts at most 255");
  uint64_t header = 3 + plan.size;
  if (spec.has_payload) header += varint_size(message.payload_length);
  if (header > max_message_size_)
    throw sdk::Error(FERRY_ERR_LIMIT, std::string(spec.name) + " header of " + std::to_string(header) +
                                          " bytes exceeds the " + std::to_string(max_message_size_) +
                                          "-byte message size limit");
  const uint64_t frames = (header + kMaxFrameBody - 1) / kMaxFrameBody;
  const uint64_t size = header + frames * kFrameHeaderSize;
  if (size > output.size()) return static_cast<size_t>(size);

  // The header is written after room for every frame header, then each frame's piece moves down to sit
  // behind its own frame header; a piece never moves onto bytes not yet moved.
  uint8_t* const base = output.data();
  uint8_t* out = base + frames * kFrameHeaderSize;
  *out++ = static_cast<uint8_t>(message.type >> 8);
  *out++ = static_cast<uint8_t>(message.type);
  *out++ = static_cast<uint8_t>(plan.count);
  if (spec.has_payload) out += write_varint(message.payload_length, out);
  write_fields(plan, message, out);

  const uint8_t* piece = base + frames * kFrameHeaderSize;
  uint8_t* frame = base;
  for (uint64_t left = header; left > 0;) {
    const size_t body = static_cast<size_t>(std::min<uint64_t>(left, kMaxFrameBody));
    left -= body;
    write_frame_header(left > 0, body, frame);
    std::memmove(frame + kFrameHeaderSize, piece, body);
    frame += kFrameHeaderSize + body;
    piece += body;
  }
  return static_cast<size_t>(size);
}

sdk::PayloadPrefix RollingEncoder::payload_prefix(uint64_t payload_remaining, std::span<uint8_t> output) {
  if (payload_remaining == 0) return sdk::PayloadPrefix{0, 0};
  const size_t body = static_cast<size_t>(std::min<uint64_t>(payload_remaining, kMaxFrameBody));
  if (output.size() < kFrameHeaderSize) return sdk::PayloadPrefix{kFrameHeaderSize, body};
  write_frame_header(body < payload_remaining, body, output.data());
  return sdk::PayloadPrefix{kFrameHeaderSize, body};
}

}  // namespace ferry::codec_v1
