#include "protocol/message.hpp"

#include <algorithm>
#include <stdexcept>

namespace ferry::protocol {

void Message::too_many_fields() const {
  throw std::length_error("message type " + std::to_string(type_) + " has more than " + std::to_string(kMaxFields) +
                          " fields");
}

const ferry_type_field* MessageView::present(size_t index, uint32_t kind) const {
  if (index >= message_.field_count || message_.fields == nullptr) return nullptr;
  const ferry_type_field& field = message_.fields[index];
  return field.kind == kind ? &field : nullptr;
}

uint64_t MessageView::unsigned_at(size_t index) const {
  const ferry_type_field* field = present(index, FERRY_FIELD_UNSIGNED);
  return field != nullptr ? field->integer : 0;
}

int64_t MessageView::signed_at(size_t index) const {
  const ferry_type_field* field = present(index, FERRY_FIELD_SIGNED);
  return field != nullptr ? static_cast<int64_t>(field->integer) : 0;
}

bool MessageView::boolean_at(size_t index) const {
  const ferry_type_field* field = present(index, FERRY_FIELD_BOOLEAN);
  return field != nullptr && field->integer != 0;
}

std::span<const uint8_t> MessageView::bytes_at(size_t index) const {
  const ferry_type_field* field = present(index, FERRY_FIELD_BYTES);
  if (field == nullptr || field->bytes == nullptr) return {};
  return std::span<const uint8_t>(field->bytes, field->length);
}

std::string_view MessageView::string_at(size_t index) const {
  const ferry_type_field* field = present(index, FERRY_FIELD_STRING);
  if (field == nullptr || field->bytes == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(field->bytes), field->length);
}

Uuid MessageView::uuid_at(size_t index) const {
  Uuid uuid{};
  const ferry_type_field* field = present(index, FERRY_FIELD_UUID);
  if (field != nullptr && field->bytes != nullptr && field->length == uuid.size())
    std::copy_n(field->bytes, uuid.size(), uuid.begin());
  return uuid;
}

}  // namespace ferry::protocol
