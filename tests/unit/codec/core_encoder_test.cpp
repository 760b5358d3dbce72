// The encoder of the codec core: defaults for absent fields, what it refuses and how it says so.
#include <catch2/catch.hpp>
#include <ferry/plugin.hpp>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/encoder.hpp"
#include "protocol/message.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::codec_v1::Encoder;
using ferry::codec_v1::Schema;
using ferry::protocol::Message;

namespace {

const Schema minor0{all_kinds_catalogue, 1, 0};

// The error an encode throws, as "code: sentence".
std::string refusal(const ferry_type_message& message, uint64_t limit = 1 << 20) {
  Bytes out(256);
  try {
    Encoder(minor0, limit).encode(message, out);
  } catch (const ferry::sdk::Error& e) {
    return std::to_string(e.code()) + ": " + e.what();
  }
  return "accepted";
}

// A KINDS message of six valid fields, with field index replaced by raw.
std::string refusal_with_field(size_t index, const ferry_type_field& raw) {
  ferry_type_field fields[6] = {{FERRY_FIELD_UNSIGNED, 0, 1, nullptr, 0}, {FERRY_FIELD_SIGNED, 0, 1, nullptr, 0},
                                {FERRY_FIELD_BOOLEAN, 0, 0, nullptr, 0},  {FERRY_FIELD_BYTES, 0, 0, nullptr, 0},
                                {FERRY_FIELD_STRING, 0, 0, nullptr, 0},   {FERRY_FIELD_ABSENT, 0, 0, nullptr, 0}};
  fields[index] = raw;
  return refusal(ferry_type_message{kKinds, 6, 0, fields, 0});
}

}  // namespace

TEST_CASE("absent fields are written as their kind's default", "[codec][core][encode]") {
  const ferry_type_field absent[6] = {};
  Bytes out(64);
  out.resize(Encoder(minor0, 1 << 20).encode(ferry_type_message{kKinds, 6, 0, absent, 0}, out));
  CHECK(out == from_hex("00 01 00 00 00 00 00  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
}

TEST_CASE("fields beyond the version's count are ignored", "[codec][core][encode]") {
  Message six(kPlain);
  six.add_unsigned(1).add_unsigned(2);  // PLAIN has no fields at all
  Bytes out(8);
  out.resize(Encoder(minor0, 1 << 20).encode(six.view(), out));
  CHECK(out == from_hex("00 03"));
}

TEST_CASE("a buffer too small gets the size needed and stays untouched", "[codec][core][encode]") {
  Message chunk(kChunk, 300);
  chunk.add_unsigned(1);
  Bytes out(4, 0xee);
  CHECK(Encoder(minor0, 1 << 20).encode(chunk.view(), out) == 5);  // type, offset, payload length 300
  CHECK(out == Bytes(4, 0xee));
  out.resize(5);
  CHECK(Encoder(minor0, 1 << 20).encode(chunk.view(), out) == 5);
  CHECK(out == from_hex("00 02 01 ac 02"));
}

TEST_CASE("the encoder names what it refuses", "[codec][core][encode]") {
  const uint8_t bad_utf8[] = {0x41, 0xc0, 0x80};
  const uint8_t five[5] = {};
  CHECK(refusal(ferry_type_message{77, 0, 0, nullptr, 0}) == "1: message type 77 is unknown in protocol 1.0");
  CHECK(refusal(ferry_type_message{kNewer, 0, 0, nullptr, 0}) == "1: message type 4 is unknown in protocol 1.0");
  CHECK(refusal(ferry_type_message{kKinds, 5, 0, nullptr, 0}) ==
        "1: KINDS has 6 fields in protocol 1.0 but the message carries 5");
  CHECK(refusal(ferry_type_message{kPlain, 0, 0, nullptr, 12}) ==
        "1: PLAIN carries no payload, but payload_length is 12");
  CHECK(refusal_with_field(0, {FERRY_FIELD_STRING, 0, 0, five, 5}) ==
        "1: field 'count' of KINDS is string, expected unsigned");
  CHECK(refusal_with_field(0, {9, 0, 0, nullptr, 0}) ==
        "1: field 'count' of KINDS is unknown kind 9, expected unsigned");
  CHECK(refusal_with_field(2, {FERRY_FIELD_BOOLEAN, 0, 2, nullptr, 0}) ==
        "1: field 'flag' of KINDS is the boolean 2, expected 0 or 1");
  CHECK(refusal_with_field(3, {FERRY_FIELD_BYTES, 0, 0, nullptr, 3}) ==
        "1: field 'blob' of KINDS has 3 bytes but no pointer to them");
  CHECK(refusal_with_field(4, {FERRY_FIELD_STRING, 0, 0, bad_utf8, 3}) ==
        "1: field 'text' of KINDS is not valid UTF-8 (byte 1)");
  CHECK(refusal_with_field(5, {FERRY_FIELD_UUID, 0, 0, five, 5}) ==
        "1: field 'id' of KINDS is a UUID of 5 bytes, expected 16");
}

TEST_CASE("the encoder refuses a header above the limit, naming both sizes", "[codec][core][encode][limit]") {
  const Bytes body(100, 0x61);
  Message message(kKinds);
  message.add_unsigned(1).add_signed(1).add_boolean(true).add_bytes(body).add_string("").add_uuid({});
  CHECK(refusal(message.view(), 100) == "8: KINDS header of 123 bytes exceeds the 100-byte message size limit");
  CHECK(refusal(message.view(), 99) == "8: field 'blob' of KINDS has 100 bytes, above the 99-byte message size limit");
  CHECK(refusal(message.view(), 123) == "accepted");
}
