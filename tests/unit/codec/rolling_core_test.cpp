// The rolling-upgrade format of the codec core over the test catalogue: field counts, frames, payload
// frames, and every way a peer's frames can be wrong.
#include <algorithm>
#include <catch2/catch.hpp>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/rolling_decoder.hpp"
#include "codec_v1/rolling_encoder.hpp"
#include "kinds_fixture.hpp"
#include "protocol/message.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::codec_v1::RollingDecoder;
using ferry::codec_v1::RollingEncoder;
using ferry::codec_v1::Schema;
using ferry::protocol::Message;

namespace {

const Schema minor0{all_kinds_catalogue, 1, 0};
const Schema minor1{all_kinds_catalogue, 1, 1};
const auto& id = kinds_id;
const auto& blob = kinds_blob;

Message kinds_message() { return kinds_message_with("hi"); }

// KINDS in rolling mode from minor 0 (6 fields) and from minor 1 (7, 'later' = 9 appended).
Bytes kinds_frame(bool minor1_writer) {
  Bytes body = from_hex("00 01");
  body.push_back(minor1_writer ? 7 : 6);
  const Bytes fields = from_hex("05  d7 04  01  03 00 01 02  02 68 69");
  body.insert(body.end(), fields.begin(), fields.end());
  body.insert(body.end(), id.begin(), id.end());
  if (minor1_writer) body.push_back(0x09);
  Bytes frame(3 + body.size());
  frame[2] = static_cast<uint8_t>(3 + body.size());
  std::copy(body.begin(), body.end(), frame.begin() + 3);
  return frame;
}

Bytes encode(const Schema& schema, const Message& message, uint64_t limit = 1 << 20) {
  return encode_sized(RollingEncoder(schema, limit), message);
}

ferry::sdk::Decoded decode(RollingDecoder& decoder, std::span<const uint8_t> input) {
  static ferry_type_field fields[16];
  return decoder.decode(input, fields);
}

std::string error_of(RollingDecoder& decoder, const Bytes& input) { return protocol_error_of(decoder, input); }

}  // namespace

TEST_CASE("rolling mode writes the field count of the writer's minor", "[codec][rolling]") {
  CHECK(encode(minor0, kinds_message()) == kinds_frame(false));
  CHECK(encode(minor1, kinds_message()) == kinds_frame(true));
}

TEST_CASE("an older reader skips the fields it does not know", "[codec][rolling]") {
  RollingDecoder decoder(minor0, 1 << 20);
  const Bytes frame = kinds_frame(true);
  const auto decoded = decode(decoder, frame);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.consumed == frame.size());
  const OwnedMessage message = own(decoded.message);
  REQUIRE(message.fields.size() == 7);
  CHECK(message.fields[0] == OwnedField{FERRY_FIELD_UNSIGNED, 5, {}});
  CHECK(message.fields[5] == OwnedField{FERRY_FIELD_UUID, 0, Bytes(id.begin(), id.end())});
  CHECK(message.fields[6] == OwnedField{});
  CHECK(decoded.message.fields[3].bytes == frame.data() + 11);  // not copied: it points into the frame
}

TEST_CASE("a newer reader reports the fields it did not get as absent", "[codec][rolling]") {
  RollingDecoder decoder(minor1, 1 << 20);
  const Bytes frame = kinds_frame(false);
  const auto decoded = decode(decoder, frame);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  const OwnedMessage message = own(decoded.message);
  CHECK(message.fields[4] == OwnedField{FERRY_FIELD_STRING, 0, bytes_of("hi")});
  CHECK(message.fields[6] == OwnedField{});
  const Bytes only_two = from_hex("00 00 08  00 01 02  05 03");  // KINDS with 2 fields: count and delta
  const OwnedMessage short_one = own(decode(decoder, only_two).message);
  CHECK(short_one.fields[1] == OwnedField{FERRY_FIELD_SIGNED, static_cast<uint64_t>(-2), {}});
  CHECK(short_one.fields[2] == OwnedField{});
}

TEST_CASE("zero padding after the declared fields is skipped; anything else is refused", "[codec][rolling]") {
  RollingDecoder decoder(minor0, 1 << 20);
  const Bytes padded = from_hex("00 00 09  00 03 00  00 00 00");  // PLAIN, no fields, 3 bytes of padding
  const auto decoded = decode(decoder, padded);
  CHECK(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.consumed == padded.size());
  RollingDecoder strict(minor0, 1 << 20);
  CHECK(error_of(strict, from_hex("00 00 08  00 03 00  00 07")) ==
        "the PLAIN header has the byte 7 at offset 4 after its 0 fields, where only zero padding may follow");
}

TEST_CASE("a header longer than one frame is gathered across frames", "[codec][rolling]") {
  Message big(kKinds);
  const Bytes blob(70000, 0xab);
  big.add_unsigned(1).add_signed(0).add_boolean(false).add_bytes(blob).add_string("").add_uuid(id);
  const Bytes wire = encode(minor0, big);
  REQUIRE(wire.size() == 3 + 65532 + 3 + (3 + 1 + 1 + 1 + 3 + 70000 + 1 + 16 - 65532));
  CHECK(wire[0] == 0x01);
  CHECK(wire[65535] == 0x00);
  for (size_t chunk : {size_t{0}, size_t{1000}, size_t{65536}}) {
    INFO("chunk " << chunk);
    RollingDecoder decoder(minor0, 1 << 20);
    ferry_type_field fields[16];
    Bytes buffer;
    size_t fed = 0;
    std::optional<OwnedMessage> message;
    while (!message) {
      const size_t piece = chunk == 0 ? wire.size() : std::min(chunk, wire.size() - fed);
      REQUIRE(piece > 0);
      buffer.insert(buffer.end(), wire.begin() + fed, wire.begin() + fed + piece);
      fed += piece;
      const auto decoded = decoder.decode(buffer, fields);
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded.consumed));
      if (decoded.kind == FERRY_DECODE_MESSAGE) message = own(decoded.message);
    }
    CHECK(fed == wire.size());
    CHECK(buffer.empty());
    CHECK(message->fields[3].bytes == blob);
  }
}

TEST_CASE("payloads travel in frames of their own, passed through as they arrive", "[codec][rolling][payload]") {
  RollingDecoder decoder(minor0, 1 << 20);
  // CHUNK: payload length 10 before the fields, offset 5; then payload frames of 4 and 6 bytes.
  const Bytes wire = from_hex("00 00 08  00 02 01 0a 05   01 00 07  a0 a1 a2 a3   00 00 09  a4 a5 a6 a7 a8 a9");
  auto decoded = decode(decoder, wire);
  REQUIRE(decoded.kind == FERRY_DECODE_MESSAGE);
  CHECK(decoded.message.payload_length == 10);
  CHECK(own(decoded.message).fields[0] == OwnedField{FERRY_FIELD_UNSIGNED, 5, {}});
  std::span<const uint8_t> rest(wire.data() + decoded.consumed, wire.size() - decoded.consumed);

  decoded = decode(decoder, rest.first(5));  // the frame header and 2 payload bytes
  CHECK(decoded.kind == FERRY_DECODE_PAYLOAD);
  CHECK(decoded.payload == rest.data() + 3);
  CHECK(decoded.payload_length == 2);
  CHECK(decoded.consumed == 5);
  rest = rest.subspan(5);
  decoded = decode(decoder, rest);
  CHECK(decoded.payload_length == 2);
  rest = rest.subspan(decoded.consumed);
  decoded = decode(decoder, rest);
  CHECK(decoded.kind == FERRY_DECODE_PAYLOAD);
  CHECK(decoded.payload_length == 6);
  CHECK(decoded.consumed == rest.size());
  CHECK(decode(decoder, {}).kind == FERRY_DECODE_NEED_MORE);

  Message chunk(kChunk, 10);
  chunk.add_unsigned(5);
  CHECK(encode(minor0, chunk) == Bytes(wire.begin(), wire.begin() + 8));
}

TEST_CASE("payload frames must match what remains of the payload", "[codec][rolling][payload]") {
  const Bytes chunk = from_hex("00 00 08  00 02 01 0a 05");
  RollingDecoder too_long(minor0, 1 << 20);
  Bytes input = chunk;
  for (uint8_t b : from_hex("00 00 0e  00 00 00 00 00 00 00 00 00 00 00")) input.push_back(b);
  CHECK(decode(too_long, input).kind == FERRY_DECODE_MESSAGE);
  CHECK(error_of(too_long, Bytes(input.begin() + 8, input.end())) ==
        "a payload frame of CHUNK carries 11 bytes, but only 10 bytes of its payload remain");

  RollingDecoder early_end(minor0, 1 << 20);
  CHECK(decode(early_end, chunk).kind == FERRY_DECODE_MESSAGE);
  CHECK(error_of(early_end, from_hex("00 00 07  00 00 00 00")) ==
        "a payload frame of CHUNK carrying 4 of the 10 remaining bytes has its continuation bit clear");

  RollingDecoder late_end(minor0, 1 << 20);
  CHECK(decode(late_end, chunk).kind == FERRY_DECODE_MESSAGE);
  CHECK(error_of(late_end, from_hex("01 00 0d  00 00 00 00 00 00 00 00 00 00")) ==
        "a payload frame of CHUNK carrying 10 of the 10 remaining bytes has its continuation bit set");
}

TEST_CASE("malformed frames and headers are refused with the reason", "[codec][rolling]") {
  const auto error = [](const Bytes& input, uint64_t limit = 1 << 20) {
    RollingDecoder decoder(minor0, limit);
    return error_of(decoder, input);
  };
  CHECK(error(from_hex("80 00 06  00 03 00")) ==
        "frame flags 0x80 set reserved bits (only bit 0, continuation, is defined)");
  CHECK(error(from_hex("00 00 03")) ==
        "frame length 3 is below 4: a frame counts its 3-byte header and carries at least one byte");
  CHECK(error(from_hex("00 00 05  00 03")) == "a message header of 2 bytes ends before its type and field count (3 bytes)");
  CHECK(error(from_hex("00 00 06  00 63 00")) == "message type 99 is unknown in protocol 1.0");
  CHECK(error(from_hex("00 00 07  00 01 06 05")) ==
        "the KINDS header ends inside field 'delta' of KINDS (its field count is 6)");
  CHECK(error(from_hex("00 00 0a  00 01 01 ff ff ff ff")) ==
        "the KINDS header ends inside field 'count' of KINDS (its field count is 1)");
  CHECK(error(from_hex("00 00 09  00 01 01 05 00 00"), 5) == "a message header of at least 6 bytes exceeds the "
                                                             "5-byte message size limit");
  CHECK(error(from_hex("01 00 06  00 01 01  01 00 06 00 00 00"), 5) ==
        "a message header of at least 6 bytes exceeds the 5-byte message size limit");
}

TEST_CASE("a rolling stream stays failed after a protocol error", "[codec][rolling]") {
  RollingDecoder decoder(minor0, 1 << 20);
  CHECK(error_of(decoder, from_hex("02 00 06  00 03 00")) ==
        "frame flags 0x02 set reserved bits (only bit 0, continuation, is defined)");
  CHECK(error_of(decoder, from_hex("00 00 06  00 03 00")) ==
        "the stream already failed: frame flags 0x02 set reserved bits (only bit 0, continuation, is defined)");
}

TEST_CASE("too little field storage asks for the catalogue's largest count before consuming", "[codec][rolling]") {
  RollingDecoder decoder(minor0, 1 << 20);
  const Bytes frame = kinds_frame(false);
  ferry_type_field small[6];
  auto decoded = decoder.decode(frame, small);
  CHECK(decoded.fields_needed == 7);
  CHECK(decoded.consumed == 0);
  ferry_type_field enough[7];
  decoded = decoder.decode(frame, enough);
  CHECK(decoded.kind == FERRY_DECODE_MESSAGE);
}
