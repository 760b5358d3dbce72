#include "comm/owned_message.hpp"

#include <algorithm>

namespace ferry::comm {

OwnedMessage OwnedMessage::copy_of(const protocol::Message& message) {
  OwnedMessage owned;
  owned.type_ = message.type();
  owned.payload_length_ = message.payload_length();
  owned.fields_.reserve(message.field_count());
  size_t bytes = 0;
  for (size_t i = 0; i < message.field_count(); ++i) bytes += message.field(i).length;
  owned.storage_.reserve(bytes);  // no reallocation below, so the pointers taken stay valid
  for (size_t i = 0; i < message.field_count(); ++i) {
    ferry_type_field field = message.field(i);
    if (field.bytes != nullptr && field.length > 0) {
      const size_t offset = owned.storage_.size();
      owned.storage_.insert(owned.storage_.end(), field.bytes, field.bytes + field.length);
      field.bytes = owned.storage_.data() + offset;
    }
    owned.fields_.push_back(field);
  }
  return owned;
}

}  // namespace ferry::comm
