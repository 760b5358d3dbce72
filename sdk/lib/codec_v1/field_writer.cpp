#include "codec_v1/field_writer.hpp"

#include <cstring>
#include <ferry/plugin.hpp>

#include "codec_v1/utf8.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v1 {
namespace {

constexpr size_t kUuidSize = 16;

[[noreturn]] void invalid(std::string message) { throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, std::move(message)); }

std::string describe(const ferry_type_message_spec& spec, size_t index) {
  return "field '" + std::string(spec.fields[index].name) + "' of " + spec.name;
}

// Checks one field against its spec and returns its encoded size.
uint64_t field_size(const ferry_type_message_spec& spec, size_t index, const ferry_type_field& field, uint64_t limit) {
  const uint32_t kind = spec.fields[index].kind;
  if (field.kind == FERRY_FIELD_ABSENT) return kind == FERRY_FIELD_UUID ? kUuidSize : 1;
  if (field.kind != kind)
    invalid(describe(spec, index) + " is " + field_kind_name(field.kind) + ", expected " + field_kind_name(kind));
  switch (kind) {
    case FERRY_FIELD_UNSIGNED:
    case FERRY_FIELD_SIGNED:
      return varint_size(kind == FERRY_FIELD_SIGNED ? zigzag(static_cast<int64_t>(field.integer)) : field.integer);
    case FERRY_FIELD_BOOLEAN:
      if (field.integer > 1)
        invalid(describe(spec, index) + " is the boolean " + std::to_string(field.integer) + ", expected 0 or 1");
      return 1;
    case FERRY_FIELD_UUID:
      if (field.length != kUuidSize || field.bytes == nullptr)
        invalid(describe(spec, index) + " is a UUID of " + std::to_string(field.length) + " bytes, expected 16");
      return kUuidSize;
    default:                     // BYTES, STRING
      if (field.length > limit)  // before reading them: a length that large cannot be sent anyway
        throw sdk::Error(FERRY_ERR_LIMIT, describe(spec, index) + " has " + std::to_string(field.length) +
                                              " bytes, above the " + std::to_string(limit) +
                                              "-byte message size limit");
      if (field.bytes == nullptr && field.length > 0)
        invalid(describe(spec, index) + " has " + std::to_string(field.length) + " bytes but no pointer to them");
      if (kind == FERRY_FIELD_STRING) {
        const auto bad = find_invalid_utf8(std::span<const uint8_t>(field.bytes, field.length));
        if (bad) invalid(describe(spec, index) + " is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
      }
      return varint_size(field.length) + field.length;
  }
}

uint8_t* write_field(uint32_t kind, const ferry_type_field& field, uint8_t* out) {
  if (field.kind == FERRY_FIELD_ABSENT) {
    const size_t size = kind == FERRY_FIELD_UUID ? kUuidSize : 1;
    std::memset(out, 0, size);  // 0, false, an empty string or bytes, the nil UUID
    return out + size;
  }
  switch (kind) {
    case FERRY_FIELD_UNSIGNED:
      return out + write_varint(field.integer, out);
    case FERRY_FIELD_SIGNED:
      return out + write_varint(zigzag(static_cast<int64_t>(field.integer)), out);
    case FERRY_FIELD_BOOLEAN:
      *out = static_cast<uint8_t>(field.integer);
      return out + 1;
    case FERRY_FIELD_UUID:
      std::memcpy(out, field.bytes, kUuidSize);
      return out + kUuidSize;
    default:  // BYTES, STRING
      out += write_varint(field.length, out);
      if (field.length > 0) std::memcpy(out, field.bytes, field.length);
      return out + field.length;
  }
}

}  // namespace

FieldPlan plan_fields(const Schema& schema, const ferry_type_message& message, uint64_t limit) {
  FieldPlan plan;
  plan.spec = schema.find(message.type);
  if (plan.spec == nullptr)
    invalid("message type " + std::to_string(message.type) + " is unknown in protocol " + schema.version());
  const ferry_type_message_spec& spec = *plan.spec;
  plan.count = schema.field_count(spec);
  if (message.field_count < plan.count)
    invalid(std::string(spec.name) + " has " + std::to_string(plan.count) + " fields in protocol " + schema.version() +
            " but the message carries " + std::to_string(message.field_count));
  if (plan.count > 0 && message.fields == nullptr) invalid(std::string(spec.name) + " message has no field array");
  if (!spec.has_payload && message.payload_length != 0)
    invalid(std::string(spec.name) + " carries no payload, but payload_length is " +
            std::to_string(message.payload_length));
  // No overflow: each field is at most the limit (at most 2^32 bytes) and there are at most 65535 of them.
  for (size_t i = 0; i < plan.count; ++i) plan.size += field_size(spec, i, message.fields[i], limit);
  return plan;
}

uint8_t* write_fields(const FieldPlan& plan, const ferry_type_message& message, uint8_t* out) {
  for (size_t i = 0; i < plan.count; ++i) out = write_field(plan.spec->fields[i].kind, message.fields[i], out);
  return out;
}

}  // namespace ferry::codec_v1
