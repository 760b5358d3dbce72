#include "codec_v2/header_reader.hpp"

#include <algorithm>
#include <ferry/plugin.hpp>

#include "codec_v1/field_reader.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v2 {
namespace {

using codec_v1::limit_text;
using codec_v1::VarintStatus;

[[noreturn]] void protocol_error(std::string message) { throw sdk::Error(FERRY_ERR_PROTOCOL, std::move(message)); }

// Reads a varint at position; false when the input ends inside it. what() names it in errors; it is only
// called on an error, so that decoding a well-formed message builds no strings.
template <typename Describe>
bool varint(std::span<const uint8_t> input, size_t& position, uint64_t& value, const Describe& what) {
  switch (codec_v1::read_varint(input, position, value)) {
    case VarintStatus::ok:
      return true;
    case VarintStatus::need_more:
      return false;
    case VarintStatus::too_long:
      protocol_error(what() + ": varint longer than 10 bytes");
    case VarintStatus::overflow:
      protocol_error(what() + ": varint overflows 64 bits");
    case VarintStatus::overlong:
      protocol_error(what() + ": overlong varint (a shorter encoding of the same value exists)");
  }
  return false;
}

}  // namespace

codec_v1::HeaderRead read_header(const codec_v1::Schema& schema, uint64_t max_message_size,
                                 std::span<const uint8_t> input, std::span<ferry_type_field> fields) {
  codec_v1::HeaderRead result;
  // A type or length varint still incomplete beyond the limit can only end above it. (It returns nothing,
  // so that every return is of `result`, built in the caller's memory: a copy of it here cost a stall per
  // message.)
  const auto check_incomplete = [&](const auto& what) {
    if (input.size() > max_message_size) protocol_error(what() + " exceeds " + limit_text(max_message_size));
  };
  size_t position = 0;
  uint64_t type = 0;
  if (!varint(input, position, type, [] { return std::string("the message type"); })) {
    check_incomplete([] { return std::string("the message type"); });
    return result;
  }
  if (type > 0xffff) protocol_error("message type " + std::to_string(type) + " is above 65535");
  const ferry_type_message_spec* spec = schema.find(static_cast<uint16_t>(type));
  if (spec == nullptr)
    protocol_error("message type " + std::to_string(type) + " is unknown in protocol " + schema.version());
  // Only errors name the message: a well-formed one costs no string.
  const char* const name = spec->name;
  if (fields.size() < spec->field_count) {
    result.status = codec_v1::HeaderRead::Status::need_fields;
    result.fields_needed = spec->field_count;
    return result;
  }
  uint64_t length = 0;
  if (!varint(input, position, length, [&] { return "the header length of " + std::string(name); })) {
    check_incomplete([&] { return "the " + std::string(name) + " header"; });
    return result;
  }
  if (length > max_message_size || position + length > max_message_size)
    protocol_error("the " + std::string(name) + " header declares " + std::to_string(length) + " bytes after its length, " +
                   "which makes it " + std::to_string(position + length) + " bytes, above " +
                   limit_text(max_message_size));
  if (input.size() - position < length) return result;

  const std::span<const uint8_t> body = input.subspan(position, static_cast<size_t>(length));
  size_t at = 0;
  uint64_t sent = 0;
  if (!varint(body, at, sent, [&] { return "the field count of " + std::string(name); }))
    protocol_error("the " + std::string(name) + " header ends inside its field count");
  codec_v1::FieldCursor cursor(body, max_message_size, at);
  const auto cut_off = [&](const codec_v1::Where& where) {
    protocol_error("the " + std::string(name) + " header ends inside " + where.text() + " (its field count is " +
                   std::to_string(sent) + ")");
  };
  uint64_t payload_length = 0;
  const codec_v1::Where payload_where{*spec, codec_v1::Where::kPayloadLength};
  if (spec->has_payload && !cursor.varint(payload_where, payload_length)) cut_off(payload_where);
  const size_t known = schema.field_count(*spec);
  const size_t read = static_cast<size_t>(std::min<uint64_t>(sent, known));
  for (size_t i = 0; i < spec->field_count; ++i) {
    fields[i] = ferry_type_field{};
    const codec_v1::Where where{*spec, i};
    if (i < read && !codec_v1::read_field(cursor, where, fields[i])) cut_off(where);
  }
  if (sent <= known && cursor.position() != body.size())
    protocol_error("the " + std::string(name) + " header has " + std::to_string(body.size() - cursor.position()) +
                   " bytes after its " + std::to_string(sent) + " fields, where it should end");

  result.status = codec_v1::HeaderRead::Status::complete;
  result.size = position + body.size();
  result.message = ferry_type_message{static_cast<uint16_t>(type), static_cast<uint16_t>(spec->field_count), 0,
                                      fields.data(), payload_length};
  return result;
}

}  // namespace ferry::codec_v2
