// The decoder of the codec core over a test catalogue with every field kind and a payload, paths the
// shipped messages of protocol 1.0 do not reach yet.
#include <catch2/catch.hpp>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/decoder.hpp"
#include "codec_v1/encoder.hpp"
#include "kinds_fixture.hpp"
#include "protocol/message.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::codec_v1::Decoder;
using ferry::codec_v1::Encoder;
using ferry::codec_v1::Schema;
using ferry::protocol::Message;

namespace {

const Schema minor0{all_kinds_catalogue, 1, 0};
const Schema minor1{all_kinds_catalogue, 1, 1};
const auto& id = kinds_id;
const auto& blob = kinds_blob;

Message kinds_message() { return kinds_message_with("h\xc3\xa9llo"); }

// The KINDS header in minor 0: 'later' is not written.
Bytes kinds_bytes_minor0() {
  Bytes bytes = from_hex("00 01  05  d7 04  01  03 00 01 02  06 68 c3 a9 6c 6c 6f");
  bytes.insert(bytes.end(), id.begin(), id.end());
  return bytes;
}

Bytes encode(const Schema& schema, const Message& message, uint64_t limit = 1 << 20) {
  Bytes out(256);
  out.resize(Encoder(schema, limit).encode(message.view(), out));
  return out;
}

std::string error_of(Decoder& decoder, const Bytes& input) { return protocol_error_of(decoder, input); }

}  // namespace

TEST_CASE("every field kind decodes, and a field of a later minor is ABSENT", "[codec][core]") {
  const Bytes bytes = kinds_bytes_minor0();
  CHECK(encode(minor0, kinds_message()) == bytes);

  Decoder decoder(minor0, 1 << 20);
  ferry_type_field fields[16];
  const auto decoded = decoder.decode(bytes, fields);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.consumed == bytes.size());
  const OwnedMessage message = own(decoded.message);
  REQUIRE(message.fields.size() == 7);
  CHECK(message.fields[0] == OwnedField{FERRY_FIELD_UNSIGNED, 5, {}});
  CHECK(message.fields[1] == OwnedField{FERRY_FIELD_SIGNED, static_cast<uint64_t>(-300), {}});
  CHECK(message.fields[2] == OwnedField{FERRY_FIELD_BOOLEAN, 1, {}});
  CHECK(message.fields[3] == OwnedField{FERRY_FIELD_BYTES, 0, blob});
  CHECK(message.fields[4] == OwnedField{FERRY_FIELD_STRING, 0, bytes_of("h\xc3\xa9llo")});
  CHECK(message.fields[5] == OwnedField{FERRY_FIELD_UUID, 0, Bytes(id.begin(), id.end())});
  CHECK(message.fields[6] == OwnedField{FERRY_FIELD_ABSENT, 0, {}});
  // Bytes fields are not copied: they point into the input.
  CHECK(decoded.message.fields[3].bytes == bytes.data() + 7);
}

TEST_CASE("minor 1 writes and reads the field it added", "[codec][core]") {
  Bytes bytes = kinds_bytes_minor0();
  bytes.push_back(0x09);
  CHECK(encode(minor1, kinds_message()) == bytes);
  Decoder decoder(minor1, 1 << 20);
  ferry_type_field fields[16];
  const auto decoded = decoder.decode(bytes, fields);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(own(decoded.message).fields[6] == OwnedField{FERRY_FIELD_UNSIGNED, 9, {}});
}

TEST_CASE("a message type of a later minor is unknown to an earlier one", "[codec][core]") {
  Decoder old_decoder(minor0, 1 << 20);
  CHECK(error_of(old_decoder, from_hex("00 04")) == "message type 4 is unknown in protocol 1.0");
  Decoder new_decoder(minor1, 1 << 20);
  ferry_type_field fields[1];
  CHECK(new_decoder.decode(from_hex("00 04"), fields).kind == FERRY_DECODE_MESSAGE);
}

TEST_CASE("payload pieces point into the input as it arrives, without buffering", "[codec][core][payload]") {
  Decoder decoder(minor0, 1 << 20);
  ferry_type_field fields[16];
  const Bytes first = from_hex("00 02 05 0a  a0 a1 a2 a3");  // CHUNK offset 5, 10 payload bytes, 4 of them here
  auto decoded = decoder.decode(first, fields);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.consumed == 4);
  CHECK(decoded.message.payload_length == 10);

  const std::span<const uint8_t> rest(first.data() + 4, 4);
  decoded = decoder.decode(rest, fields);
  CHECK(decoded.kind == FERRY_DECODE_PAYLOAD);
  CHECK(decoded.payload == rest.data());
  CHECK(decoded.payload_length == 4);
  CHECK(decoded.consumed == 4);

  CHECK(decoder.decode({}, fields).kind == FERRY_DECODE_NEED_MORE);

  const Bytes second = from_hex("a4 a5 a6 a7 a8 a9  00 03");  // the last 6 payload bytes, then PLAIN
  decoded = decoder.decode(second, fields);
  CHECK(decoded.kind == FERRY_DECODE_PAYLOAD);
  CHECK(decoded.payload == second.data());
  CHECK(decoded.payload_length == 6);
  decoded = decoder.decode(std::span<const uint8_t>(second.data() + 6, 2), fields);
  CHECK(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.message.type == kPlain);
}

TEST_CASE("a payload of zero bytes produces no payload event", "[codec][core][payload]") {
  Decoder decoder(minor0, 1 << 20);
  ferry_type_field fields[16];
  const Bytes input = from_hex("00 02 05 00  00 03");
  CHECK(decoder.decode(input, fields).consumed == 4);
  const auto decoded = decoder.decode(std::span<const uint8_t>(input.data() + 4, 2), fields);
  CHECK(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.message.type == kPlain);
}

TEST_CASE("a boolean byte other than 0 or 1 is a protocol error", "[codec][core]") {
  Decoder decoder(minor0, 1 << 20);
  CHECK(error_of(decoder, from_hex("00 01 05 00 02")) ==
        "field 'flag' of KINDS is the boolean byte 2, expected 0 or 1");
}

TEST_CASE("too little field storage asks for more and consumes nothing", "[codec][core]") {
  Decoder decoder(minor0, 1 << 20);
  const Bytes bytes = kinds_bytes_minor0();
  ferry_type_field small[6];
  auto decoded = decoder.decode(bytes, small);
  CHECK(decoded.fields_needed == 7);
  CHECK(decoded.consumed == 0);
  ferry_type_field enough[7];
  decoded = decoder.decode(bytes, enough);
  CHECK(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.consumed == bytes.size());
}

TEST_CASE("a stream stays failed after a protocol error", "[codec][core]") {
  Decoder decoder(minor0, 1 << 20);
  CHECK(error_of(decoder, from_hex("00 63")) == "message type 99 is unknown in protocol 1.0");
  CHECK(error_of(decoder, from_hex("00 03")) ==
        "the stream already failed: message type 99 is unknown in protocol 1.0");
}

TEST_CASE("a header may be exactly as long as the limit", "[codec][core][limit]") {
  const Bytes all_default = from_hex("00 01 00 00 00 00 00  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
  REQUIRE(all_default.size() == 23);
  ferry_type_field fields[16];
  Decoder exact(minor0, 23);
  CHECK(exact.decode(all_default, fields).consumed == 23);
  Decoder below(minor0, 22);
  CHECK(error_of(below, all_default) ==
        "the KINDS header exceeds the 22-byte message size limit at field 'id' of KINDS");
}

TEST_CASE("an incomplete header already past the limit fails before the rest arrives", "[codec][core][limit]") {
  Decoder decoder(minor0, 4);
  CHECK(error_of(decoder, from_hex("00 01 80 80 80")) == "the KINDS header exceeds the 4-byte message size limit");
  Decoder declared(minor0, 16);
  CHECK(error_of(declared, from_hex("00 01 05 00 00 0b")) ==
        "field 'blob' of KINDS declares 11 bytes, which makes the KINDS header at least 17 bytes, above the "
        "16-byte message size limit");
}
