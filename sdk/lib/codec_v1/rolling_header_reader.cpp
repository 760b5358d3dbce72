#include "codec_v1/rolling_header_reader.hpp"

#include <algorithm>
#include <ferry/plugin.hpp>

#include "codec_v1/field_reader.hpp"

namespace ferry::codec_v1 {
namespace {

constexpr size_t kPrefixSize = 3;  // type u16, field count u8

[[noreturn]] void protocol_error(std::string message) { throw sdk::Error(FERRY_ERR_PROTOCOL, std::move(message)); }

}  // namespace

ferry_type_message read_rolling_header(const Schema& schema, uint64_t max_message_size,
                                       std::span<const uint8_t> header, std::span<ferry_type_field> fields) {
  if (header.size() < kPrefixSize)
    protocol_error("a message header of " + std::to_string(header.size()) +
                   " bytes ends before its type and field count (3 bytes)");
  const uint16_t type = static_cast<uint16_t>(header[0] << 8 | header[1]);
  const ferry_type_message_spec* spec = schema.find(type);
  if (spec == nullptr)
    protocol_error("message type " + std::to_string(type) + " is unknown in protocol " + schema.version());
  const size_t sent = header[2];
  const size_t known = schema.field_count(*spec);

  FieldCursor cursor(header, max_message_size, kPrefixSize);
  const auto cut_off = [&](const Where& where) {
    protocol_error("the " + std::string(spec->name) + " header ends inside " + where.text() + " (its field count is " +
                   std::to_string(sent) + ")");
  };
  uint64_t payload_length = 0;
  if (spec->has_payload && !cursor.varint(Where{*spec, Where::kPayloadLength}, payload_length))
    cut_off(Where{*spec, Where::kPayloadLength});
  const size_t read = std::min(sent, known);
  for (size_t i = 0; i < spec->field_count; ++i) {
    fields[i] = ferry_type_field{};
    if (i < read && !read_field(cursor, Where{*spec, i}, fields[i])) cut_off(Where{*spec, i});
  }
  if (sent <= known) {
    for (size_t at = cursor.position(); at < header.size(); ++at)
      if (header[at] != 0)
        protocol_error("the " + std::string(spec->name) + " header has the byte " + std::to_string(header[at]) +
                       " at offset " + std::to_string(at) + " after its " + std::to_string(sent) +
                       " fields, where only zero padding may follow");
  }
  return ferry_type_message{type, static_cast<uint16_t>(spec->field_count), 0, fields.data(), payload_length};
}

}  // namespace ferry::codec_v1
