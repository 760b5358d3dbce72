#include "codec_v1/field_reader.hpp"

#include <ferry/plugin.hpp>

#include "codec_v1/utf8.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v1 {
namespace {

constexpr size_t kUuidSize = 16;

[[noreturn]] void protocol_error(std::string message) { throw sdk::Error(FERRY_ERR_PROTOCOL, std::move(message)); }

}  // namespace

std::string Where::text() const {
  if (index == kPayloadLength) return std::string("the payload length of ") + spec.name;
  return "field '" + std::string(spec.fields[index].name) + "' of " + spec.name;
}

std::string limit_text(uint64_t limit) { return "the " + std::to_string(limit) + "-byte message size limit"; }

bool FieldCursor::varint(const Where& where, uint64_t& value) {
  switch (read_varint(input_, position_, value)) {
    case VarintStatus::ok:
      check_limit(where);
      return true;
    case VarintStatus::need_more:
      return false;
    case VarintStatus::too_long:
      protocol_error(where.text() + ": varint longer than 10 bytes");
    case VarintStatus::overflow:
      protocol_error(where.text() + ": varint overflows 64 bits");
    case VarintStatus::overlong:
      protocol_error(where.text() + ": overlong varint (a shorter encoding of the same value exists)");
  }
  return false;
}

bool FieldCursor::fixed(const Where& where, size_t length, const uint8_t*& data) {
  if (length > input_.size() - position_) return false;
  data = input_.data() + position_;
  position_ += length;
  check_limit(where);
  return true;
}

bool FieldCursor::declared(const Where& where, uint64_t length, const uint8_t*& data) {
  if (length > limit_)
    protocol_error(where.text() + " declares " + std::to_string(length) + " bytes, above " + limit_text(limit_));
  if (length > limit_ - position_)
    protocol_error(where.text() + " declares " + std::to_string(length) + " bytes, which makes the " +
                   where.spec.name + " header at least " + std::to_string(position_ + length) + " bytes, above " +
                   limit_text(limit_));
  if (length > input_.size() - position_) return false;
  data = input_.data() + position_;
  position_ += length;
  return true;
}

void FieldCursor::check_limit(const Where& where) const {
  if (position_ > limit_)
    protocol_error("the " + std::string(where.spec.name) + " header exceeds " + limit_text(limit_) + " at " +
                   where.text());
}

bool read_field(FieldCursor& cursor, const Where& where, ferry_type_field& field) {
  field.kind = where.spec.fields[where.index].kind;
  const uint8_t* data = nullptr;
  uint64_t value = 0;
  switch (field.kind) {
    case FERRY_FIELD_UNSIGNED:
      return cursor.varint(where, field.integer);
    case FERRY_FIELD_SIGNED:
      if (!cursor.varint(where, value)) return false;
      field.integer = static_cast<uint64_t>(unzigzag(value));
      return true;
    case FERRY_FIELD_BOOLEAN:
      if (!cursor.fixed(where, 1, data)) return false;
      if (*data > 1)
        protocol_error(where.text() + " is the boolean byte " + std::to_string(*data) + ", expected 0 or 1");
      field.integer = *data;
      return true;
    case FERRY_FIELD_UUID:
      if (!cursor.fixed(where, kUuidSize, data)) return false;
      field.bytes = data;
      field.length = kUuidSize;
      return true;
    case FERRY_FIELD_BYTES:
    case FERRY_FIELD_STRING:
      if (!cursor.varint(where, value) || !cursor.declared(where, value, data)) return false;
      field.bytes = data;
      field.length = value;
      if (field.kind == FERRY_FIELD_STRING) {
        if (const auto bad = find_invalid_utf8(std::span<const uint8_t>(data, value)))
          protocol_error(where.text() + " is not valid UTF-8 (byte " + std::to_string(*bad) + " of " +
                         std::to_string(value) + ")");
      }
      return true;
    default:
      throw sdk::Error(FERRY_ERR_INTERNAL, where.text() + " has " + field_kind_name(field.kind) + " in the catalogue");
  }
}

}  // namespace ferry::codec_v1
