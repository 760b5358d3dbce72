#include "codec_v1/header_reader.hpp"

#include <ferry/plugin.hpp>

#include "codec_v1/field_reader.hpp"

namespace ferry::codec_v1 {
namespace {

constexpr size_t kTypeSize = 2;

[[noreturn]] void protocol_error(std::string message) { throw sdk::Error(FERRY_ERR_PROTOCOL, std::move(message)); }

}  // namespace

HeaderRead read_header(const Schema& schema, uint64_t max_message_size, std::span<const uint8_t> input,
                       std::span<ferry_type_field> fields) {
  HeaderRead result;
  if (input.size() < kTypeSize) return result;
  const uint16_t type = static_cast<uint16_t>(input[0] << 8 | input[1]);
  const ferry_type_message_spec* spec = schema.find(type);
  if (spec == nullptr)
    protocol_error("message type " + std::to_string(type) + " is unknown in protocol " + schema.version());
  if (kTypeSize > max_message_size)
    protocol_error("the " + std::string(spec->name) + " header exceeds " + limit_text(max_message_size));
  if (fields.size() < spec->field_count) {
    result.status = HeaderRead::Status::need_fields;
    result.fields_needed = spec->field_count;
    return result;
  }

  // An incomplete header already longer than the limit can only end above it. (It returns nothing, so that
  // every return is of `result`, built in the caller's memory: a copy of it here cost a stall per message.)
  const auto check_incomplete = [&] {
    if (input.size() > max_message_size)
      protocol_error("the " + std::string(spec->name) + " header exceeds " + limit_text(max_message_size));
  };
  FieldCursor cursor(input, max_message_size, kTypeSize);
  for (size_t i = 0; i < spec->field_count; ++i) {
    fields[i] = ferry_type_field{};  // FERRY_FIELD_ABSENT unless this minor has the field
    if (spec->fields[i].since_minor > schema.minor) continue;
    if (!read_field(cursor, Where{*spec, i}, fields[i])) {
      check_incomplete();
      return result;
    }
  }
  uint64_t payload_length = 0;
  if (spec->has_payload && !cursor.varint(Where{*spec, Where::kPayloadLength}, payload_length)) {
    check_incomplete();
    return result;
  }

  result.status = HeaderRead::Status::complete;
  result.size = cursor.position();
  result.message.type = type;
  result.message.field_count = static_cast<uint16_t>(spec->field_count);
  result.message.fields = fields.data();
  result.message.payload_length = payload_length;
  return result;
}

}  // namespace ferry::codec_v1
