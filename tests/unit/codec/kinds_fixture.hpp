// The KINDS message of the test catalogue as the codec core tests write it, and the encode and error
// helpers they share across the formats (stable and rolling of major 1, major 2).
#pragma once

#include <catch2/catch.hpp>
#include <ferry/codec.hpp>

#include <span>
#include <string>
#include <string_view>

#include "all_kinds_catalogue.hpp"
#include "protocol/message.hpp"
#include "support.hpp"

namespace ferry::codec_test {

inline const protocol::Uuid kinds_id{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                     0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
inline const Bytes kinds_blob{0, 1, 2};

// KINDS with every field set and the given text (not copied: pass a literal); 'later' = 9, which only
// minor 1 has, is included.
inline protocol::Message kinds_message_with(std::string_view text) {
  protocol::Message message(kKinds);
  message.add_unsigned(5).add_signed(-300).add_boolean(true).add_bytes(kinds_blob).add_string(text);
  message.add_uuid(kinds_id);
  message.add_unsigned(9);  // 'later', which only minor 1 has
  return message;
}

// What an encoder that reports the size it needs writes for message.
template <class Encoder>
Bytes encode_sized(const Encoder& encoder, const protocol::Message& message) {
  Bytes out(encoder.encode(message.view(), {}));
  REQUIRE(encoder.encode(message.view(), out) == out.size());
  return out;
}

// The sentence decoding input fails with, checked to be a protocol error; fails the test when it decodes.
template <class Decoder>
std::string protocol_error_of(Decoder& decoder, std::span<const uint8_t> input) {
  ferry_type_field fields[16];
  try {
    decoder.decode(input, fields);
  } catch (const ferry::sdk::Error& e) {
    CHECK(e.code() == FERRY_ERR_PROTOCOL);
    return e.what();
  }
  FAIL("decoded without an error");
  return {};
}

}  // namespace ferry::codec_test
