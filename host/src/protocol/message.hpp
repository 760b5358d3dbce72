// The host's version-neutral message model (DESIGN-NOTES §2): a type, typed fields by position, and the
// length of the payload that follows. Message builds one to encode; MessageView reads a decoded one and
// turns fields the peer's version lacks (FERRY_FIELD_ABSENT, or beyond its field count) into defaults.
//
// Both borrow bytes: a Message points at the buffers its builder was given, a MessageView at the codec's
// decode output (valid until the next decode call). Neither allocates.
#pragma once

#include <ferry/abi.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace ferry::protocol {

using Uuid = std::array<uint8_t, 16>;

class Message {
 public:
  // Enough for every message of the catalogue with room to append; add_* past it is a host bug.
  static constexpr size_t kMaxFields = 16;

  explicit Message(uint16_t type, uint64_t payload_length = 0) : type_(type), payload_length_(payload_length) {}

  Message& add_unsigned(uint64_t value) { return add({FERRY_FIELD_UNSIGNED, 0, value, nullptr, 0}); }
  Message& add_signed(int64_t value) { return add({FERRY_FIELD_SIGNED, 0, static_cast<uint64_t>(value), nullptr, 0}); }
  Message& add_boolean(bool value) { return add({FERRY_FIELD_BOOLEAN, 0, value ? 1u : 0u, nullptr, 0}); }
  Message& add_bytes(std::span<const uint8_t> value) {
    return add({FERRY_FIELD_BYTES, 0, 0, value.data(), value.size()});
  }
  Message& add_string(std::string_view value) {
    return add({FERRY_FIELD_STRING, 0, 0, reinterpret_cast<const uint8_t*>(value.data()), value.size()});
  }
  Message& add_uuid(const Uuid& value) { return add({FERRY_FIELD_UUID, 0, 0, value.data(), value.size()}); }

  uint16_t type() const { return type_; }
  size_t field_count() const { return count_; }
  const ferry_type_field& field(size_t index) const { return fields_[index]; }
  uint64_t payload_length() const { return payload_length_; }

  // The ABI form, pointing into this Message: valid while it lives and is not moved.
  ferry_type_message view() const {
    return ferry_type_message{type_, static_cast<uint16_t>(count_), 0, fields_.data(), payload_length_};
  }

 private:
  // Inline: a producer builds millions of messages a second, and a call per field showed in its profile.
  Message& add(const ferry_type_field& field) {
    if (count_ == kMaxFields) too_many_fields();
    fields_[count_++] = field;
    return *this;
  }
  [[noreturn]] void too_many_fields() const;

  uint16_t type_;
  uint64_t payload_length_;
  size_t count_ = 0;
  std::array<ferry_type_field, kMaxFields> fields_{};
};

class MessageView {
 public:
  explicit MessageView(const ferry_type_message& message) : message_(message) {}

  uint16_t type() const { return message_.type; }
  size_t field_count() const { return message_.field_count; }
  uint64_t payload_length() const { return message_.payload_length; }

  // Each returns the field at index when it is present with that kind, and the kind's default (0, false,
  // empty, the nil UUID) when the peer's version lacks it. A codec reports every field with its catalogue
  // kind, so a mismatch cannot come from the wire.
  uint64_t unsigned_at(size_t index) const;
  int64_t signed_at(size_t index) const;
  bool boolean_at(size_t index) const;
  std::span<const uint8_t> bytes_at(size_t index) const;
  std::string_view string_at(size_t index) const;
  Uuid uuid_at(size_t index) const;

 private:
  const ferry_type_field* present(size_t index, uint32_t kind) const;

  ferry_type_message message_;
};

}  // namespace ferry::protocol
