#include "codec_v1/encoder.hpp"

#include <ferry/plugin.hpp>

#include "codec_v1/field_writer.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v1 {

size_t Encoder::encode(const ferry_type_message& message, std::span<uint8_t> output) const {
  const FieldPlan plan = plan_fields(schema_, message, max_message_size_);
  const ferry_type_message_spec& spec = *plan.spec;
  uint64_t size = 2 + plan.size;
  if (spec.has_payload) size += varint_size(message.payload_length);
  if (size > max_message_size_)
    throw sdk::Error(FERRY_ERR_LIMIT, std::string(spec.name) + " header of " + std::to_string(size) +
                                          " bytes exceeds the " + std::to_string(max_message_size_) +
                                          "-byte message size limit");
  if (size > output.size()) return static_cast<size_t>(size);

  uint8_t* out = output.data();
  *out++ = static_cast<uint8_t>(message.type >> 8);
  *out++ = static_cast<uint8_t>(message.type);
  out = write_fields(plan, message, out);
  if (spec.has_payload) write_varint(message.payload_length, out);
  return static_cast<size_t>(size);
}

}  // namespace ferry::codec_v1
