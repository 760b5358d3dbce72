#include "comm/owned_message.hpp"

#include <cstring>

namespace ferry::comm {

OwnedMessage OwnedMessage::copy_of(const ferry_type_message& message) {
  OwnedMessage owned;
  owned.type_ = message.type;
  owned.field_count_ = message.field_count;
  owned.payload_length_ = message.payload_length;
  size_t bytes = 0;
  for (size_t i = 0; i < message.field_count; ++i)
    if (message.fields[i].bytes != nullptr) bytes += message.fields[i].length;
  const size_t units = message.field_count + (bytes + sizeof(ferry_type_field) - 1) / sizeof(ferry_type_field);
  if (units == 0) return owned;
  owned.block_ = std::make_unique_for_overwrite<ferry_type_field[]>(units);
  auto* storage = reinterpret_cast<uint8_t*>(owned.block_.get() + message.field_count);
  for (size_t i = 0; i < message.field_count; ++i) {
    ferry_type_field field = message.fields[i];
    if (field.bytes != nullptr && field.length > 0) {
      std::memcpy(storage, field.bytes, field.length);
      field.bytes = storage;
      storage += field.length;
    }
    owned.block_[i] = field;
  }
  return owned;
}

}  // namespace ferry::comm
