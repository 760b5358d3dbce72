#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

const ferry_type_message_spec* Schema::find(uint16_t type) const {
  for (const ferry_type_message_spec& spec : messages)
    if (spec.type == type) return spec.since_minor <= minor ? &spec : nullptr;
  return nullptr;
}

size_t Schema::field_count(const ferry_type_message_spec& spec) const {
  size_t count = 0;
  while (count < spec.field_count && spec.fields[count].since_minor <= minor) ++count;
  return count;
}

std::string Schema::version() const { return std::to_string(major) + "." + std::to_string(minor); }

Schema protocol_v1(uint16_t minor) {
  return Schema{std::span<const ferry_type_message_spec>(ferry_v1_messages, FERRY_V1_MESSAGE_COUNT), 1, minor};
}

std::string field_kind_name(uint32_t kind) {
  switch (kind) {
    case FERRY_FIELD_ABSENT:
      return "absent";
    case FERRY_FIELD_UNSIGNED:
      return "unsigned";
    case FERRY_FIELD_SIGNED:
      return "signed";
    case FERRY_FIELD_BOOLEAN:
      return "boolean";
    case FERRY_FIELD_BYTES:
      return "bytes";
    case FERRY_FIELD_STRING:
      return "string";
    case FERRY_FIELD_UUID:
      return "uuid";
    default:
      return "unknown kind " + std::to_string(kind);
  }
}

}  // namespace ferry::codec_v1
