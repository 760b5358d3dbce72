#include "comm/owned_message.hpp"

#include <cstring>

#include "util/block_pool.hpp"

namespace ferry::comm {

void MessageBlockRelease::operator()(ferry_type_field* block) const noexcept {
  if (pooled)
    util::give_pooled_block(block);
  else
    delete[] block;
}

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
  // Small messages, most of them, take a block of the thread's pool: no allocator call per message.
  if (units * sizeof(ferry_type_field) <= util::kPooledBlockSize)
    owned.block_ = {static_cast<ferry_type_field*>(util::take_pooled_block()), MessageBlockRelease{true}};
  else
    owned.block_ = {new ferry_type_field[units], MessageBlockRelease{false}};
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
