#include "codec_v2/encoder.hpp"

#include <ferry/plugin.hpp>

#include "codec_v1/field_writer.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v2 {

using codec_v1::varint_size;
using codec_v1::write_varint;

size_t Encoder::encode(const ferry_type_message& message, std::span<uint8_t> output) const {
  const codec_v1::FieldPlan plan = codec_v1::plan_fields(schema_, message, max_message_size_);
  const ferry_type_message_spec& spec = *plan.spec;
  uint64_t body = varint_size(plan.count) + plan.size;
  if (spec.has_payload) body += varint_size(message.payload_length);
  const uint64_t size = varint_size(message.type) + varint_size(body) + body;
  if (size > max_message_size_)
    throw sdk::Error(FERRY_ERR_LIMIT, std::string(spec.name) + " header of " + std::to_string(size) +
                                          " bytes exceeds the " + std::to_string(max_message_size_) +
                                          "-byte message size limit");
  if (size > output.size()) return static_cast<size_t>(size);

  uint8_t* out = output.data();
  out += write_varint(message.type, out);
  out += write_varint(body, out);
  out += write_varint(plan.count, out);
  if (spec.has_payload) out += write_varint(message.payload_length, out);
  codec_v1::write_fields(plan, message, out);
  return static_cast<size_t>(size);
}

}  // namespace ferry::codec_v2
