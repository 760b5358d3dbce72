#include "codec_v1/encoder.hpp"

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

size_t Encoder::encode(const ferry_type_message& message, std::span<uint8_t> output) const {
  const ferry_type_message_spec* spec = schema_.find(message.type);
  if (spec == nullptr)
    invalid("message type " + std::to_string(message.type) + " is unknown in protocol " + schema_.version());
  const size_t count = schema_.field_count(*spec);
  if (message.field_count < count)
    invalid(std::string(spec->name) + " has " + std::to_string(count) + " fields in protocol " + schema_.version() +
            " but the message carries " + std::to_string(message.field_count));
  if (count > 0 && message.fields == nullptr) invalid(std::string(spec->name) + " message has no field array");
  if (!spec->has_payload && message.payload_length != 0)
    invalid(std::string(spec->name) + " carries no payload, but payload_length is " +
            std::to_string(message.payload_length));

  // No overflow: each field is at most the limit (at most 2^32 bytes) and there are at most 65535 of them.
  uint64_t size = 2;
  for (size_t i = 0; i < count; ++i) size += field_size(*spec, i, message.fields[i], max_message_size_);
  if (spec->has_payload) size += varint_size(message.payload_length);
  if (size > max_message_size_)
    throw sdk::Error(FERRY_ERR_LIMIT, std::string(spec->name) + " header of " + std::to_string(size) +
                                          " bytes exceeds the " + std::to_string(max_message_size_) +
                                          "-byte message size limit");
  if (size > output.size()) return static_cast<size_t>(size);

  uint8_t* out = output.data();
  *out++ = static_cast<uint8_t>(message.type >> 8);
  *out++ = static_cast<uint8_t>(message.type);
  for (size_t i = 0; i < count; ++i) out = write_field(spec->fields[i].kind, message.fields[i], out);
  if (spec->has_payload) write_varint(message.payload_length, out);
  return static_cast<size_t>(size);
}

}  // namespace ferry::codec_v1
