// Reads the fields of one message header from a byte buffer, the same way in both modes: a cursor that
// never lets the header grow past the message size limit, and one reader per field kind.
#pragma once

#include <ferry/abi.h>

#include <span>
#include <string>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// What is being read, named only when an error needs the words.
struct Where {
  static constexpr size_t kPayloadLength = static_cast<size_t>(-1);  // an index that is not a field

  const ferry_type_message_spec& spec;
  size_t index;  // into spec.fields, or kPayloadLength

  std::string text() const;
};

std::string limit_text(uint64_t limit);

// Each read returns false when the input ends first; the caller decides whether that means "wait for more
// bytes" (stable mode) or "truncated" (a complete rolling-mode header). Malformed bytes and a header that
// grows past the limit throw ferry::sdk::Error(FERRY_ERR_PROTOCOL).
class FieldCursor {
 public:
  FieldCursor(std::span<const uint8_t> input, uint64_t limit, size_t start)
      : input_(input), limit_(limit), position_(start) {}

  bool varint(const Where& where, uint64_t& value);
  // length bytes of fixed size (a boolean, a UUID).
  bool fixed(const Where& where, size_t length, const uint8_t*& data);
  // length bytes whose count the peer declared: checked against the limit before waiting for them.
  bool declared(const Where& where, uint64_t length, const uint8_t*& data);

  size_t position() const { return position_; }

 private:
  void check_limit(const Where& where) const;

  std::span<const uint8_t> input_;
  uint64_t limit_;
  size_t position_;
};

// Reads the field where.index with its catalogue kind into field; bytes fields point into the input.
bool read_field(FieldCursor& cursor, const Where& where, ferry_type_field& field);

}  // namespace ferry::codec_v1
