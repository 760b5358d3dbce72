// The format of major 2 (docs/protocol.md §4) over its real catalogue and over the test catalogue with
// every field kind and a payload: self-delimiting headers that any minor reads, payloads raw after them.
#include <ferry/protocol_v1.h>
#include <ferry/protocol_v2.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/decoder.hpp"
#include "codec_v2/encoder.hpp"
#include "codec_v2/header_reader.hpp"
#include "kinds_fixture.hpp"
#include "protocol/message.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::codec_v1::Decoder;
using ferry::codec_v1::Schema;
using ferry::protocol::Message;

namespace {

const Schema minor0{all_kinds_catalogue, 2, 0};
const Schema minor1{all_kinds_catalogue, 2, 1};
const auto& id = kinds_id;

Message kinds_message() { return kinds_message_with("hi"); }

Bytes kinds_bytes(bool minor1_writer) {
  Bytes bytes = from_hex(minor1_writer ? "01 1d 07" : "01 1c 06");
  const Bytes fields = from_hex("05  d7 04  01  03 00 01 02  02 68 69");
  bytes.insert(bytes.end(), fields.begin(), fields.end());
  bytes.insert(bytes.end(), id.begin(), id.end());
  if (minor1_writer) bytes.push_back(0x09);
  return bytes;
}

Bytes encode(const Schema& schema, const Message& message, uint64_t limit = 1 << 20) {
  return encode_sized(ferry::codec_v2::Encoder(schema, limit), message);
}

Decoder decoder_of(const Schema& schema, uint64_t limit = 1 << 20) {
  return Decoder(schema, limit, &ferry::codec_v2::read_header);
}

std::string error_of(const Schema& schema, const Bytes& input, uint64_t limit = 1 << 20) {
  Decoder decoder = decoder_of(schema, limit);
  return protocol_error_of(decoder, input);
}

}  // namespace

TEST_CASE("major 2 keeps the messages of 1.1 in the same positions", "[codec][v2]") {
  REQUIRE(FERRY_V2_MESSAGE_COUNT == FERRY_V1_MESSAGE_COUNT);
  for (size_t m = 0; m < FERRY_V2_MESSAGE_COUNT; ++m) {
    const ferry_type_message_spec& two = ferry_v2_messages[m];
    const ferry_type_message_spec* one = ferry_v1_find_message(two.type);
    REQUIRE(one != nullptr);
    INFO(two.name);
    CHECK(std::strcmp(one->name, two.name) == 0);
    CHECK(one->has_payload == two.has_payload);
    REQUIRE(ferry_v1_field_count(one, 1) == two.field_count);
    for (size_t f = 0; f < two.field_count; ++f) {
      CHECK(std::strcmp(one->fields[f].name, two.fields[f].name) == 0);
      CHECK(one->fields[f].kind == two.fields[f].kind);
      CHECK(two.fields[f].since_minor == 0);
    }
  }
}

TEST_CASE("a header states its length and field count", "[codec][v2]") {
  CHECK(encode(minor0, kinds_message()) == kinds_bytes(false));
  CHECK(encode(minor1, kinds_message()) == kinds_bytes(true));
}

TEST_CASE("any minor reads any other: unknown fields skipped, missing ones absent", "[codec][v2]") {
  ferry_type_field fields[16];
  const Bytes newer = kinds_bytes(true);
  Decoder old_reader = decoder_of(minor0);
  auto decoded = old_reader.decode(newer, fields);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.consumed == newer.size());
  CHECK(own(decoded.message).fields[5] == OwnedField{FERRY_FIELD_UUID, 0, Bytes(id.begin(), id.end())});
  CHECK(own(decoded.message).fields[6] == OwnedField{});

  const Bytes older = kinds_bytes(false);
  Decoder new_reader = decoder_of(minor1);
  decoded = new_reader.decode(older, fields);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(own(decoded.message).fields[4] == OwnedField{FERRY_FIELD_STRING, 0, bytes_of("hi")});
  CHECK(own(decoded.message).fields[6] == OwnedField{});
  CHECK(decoded.message.fields[3].bytes == older.data() + 8);  // not copied: it points into the input
}

TEST_CASE("a payload follows its header raw, in pieces as it arrives", "[codec][v2][payload]") {
  Message chunk(kChunk, 10);
  chunk.add_unsigned(5);
  const Bytes header = encode(minor0, chunk);
  CHECK(header == from_hex("02 03 01 0a 05"));  // type, length 3, count 1, payload length 10, offset 5
  Bytes wire = header;
  for (uint8_t b = 0; b < 10; ++b) wire.push_back(b);
  const DecodeRun run = [&] {
    Decoder decoder = decoder_of(minor0);
    ferry_type_field fields[16];
    DecodeRun out;
    std::span<const uint8_t> rest(wire);
    auto decoded = decoder.decode(rest.first(7), fields);
    REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
    out.messages.push_back(own(decoded.message));
    rest = rest.subspan(decoded.consumed);
    decoded = decoder.decode(rest.first(2), fields);
    REQUIRE(decoded.kind == FERRY_DECODE_PAYLOAD);
    CHECK(decoded.payload == rest.data());
    out.payload.insert(out.payload.end(), decoded.payload, decoded.payload + decoded.payload_length);
    rest = rest.subspan(decoded.consumed);
    decoded = decoder.decode(rest, fields);
    out.payload.insert(out.payload.end(), decoded.payload, decoded.payload + decoded.payload_length);
    CHECK(decoded.consumed == rest.size());
    return out;
  }();
  CHECK(run.messages[0].payload_length == 10);
  CHECK(run.payload == Bytes(wire.begin() + 5, wire.end()));
}

TEST_CASE("malformed major-2 headers are refused with the reason", "[codec][v2]") {
  CHECK(error_of(minor0, from_hex("63 01 00")) == "message type 99 is unknown in protocol 2.0");
  CHECK(error_of(minor0, from_hex("80 80 04")) == "message type 65536 is above 65535");
  CHECK(error_of(minor0, from_hex("80 00")) ==
        "the message type: overlong varint (a shorter encoding of the same value exists)");
  CHECK(error_of(minor0, from_hex("03 02 00 07")) ==
        "the PLAIN header has 1 bytes after its 0 fields, where it should end");
  CHECK(error_of(minor0, from_hex("01 02 06 05")) ==
        "the KINDS header ends inside field 'delta' of KINDS (its field count is 6)");
  CHECK(error_of(minor0, from_hex("01 00")) == "the KINDS header ends inside its field count");
  CHECK(error_of(minor0, from_hex("01 30"), 40) ==
        "the KINDS header declares 48 bytes after its length, which makes it 50 bytes, above the 40-byte message "
        "size limit");
  CHECK(error_of(minor0, from_hex("01 80 80 80"), 3) == "the KINDS header exceeds the 3-byte message size limit");
}

TEST_CASE("a major-2 header cut anywhere asks for more and consumes nothing", "[codec][v2]") {
  const Bytes whole = kinds_bytes(true);
  for (size_t length = 0; length < whole.size(); ++length) {
    INFO("cut to " << length);
    Decoder decoder = decoder_of(minor1);
    ferry_type_field fields[16];
    const auto decoded = decoder.decode(std::span<const uint8_t>(whole.data(), length), fields);
    CHECK(decoded.kind == FERRY_DECODE_NEED_MORE);
    CHECK(decoded.consumed == 0);
  }
}
