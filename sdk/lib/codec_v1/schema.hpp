// The message catalogue as one protocol version sees it: the catalogue of major 1 (or, in tests, any
// other table of the same shape) and the minor whose fields and messages exist on the wire.
#pragma once

#include <ferry/protocol_v1.h>

#include <cstdint>
#include <span>
#include <string>

namespace ferry::codec_v1 {

struct Schema {
  std::span<const ferry_type_message_spec> messages;
  uint16_t major = 1;
  uint16_t minor = 0;

  // The spec of a type that exists in this minor, or nullptr.
  const ferry_type_message_spec* find(uint16_t type) const;
  // How many of spec's fields exist in this minor: always a prefix, since fields are only appended.
  size_t field_count(const ferry_type_message_spec& spec) const;
  // "1.0", for error messages.
  std::string version() const;
};

// The catalogue of protocol_v1.h at minor.
Schema protocol_v1(uint16_t minor);

// "unsigned", "bytes", ... for error messages; "absent" for FERRY_FIELD_ABSENT.
std::string field_kind_name(uint32_t kind);

}  // namespace ferry::codec_v1
