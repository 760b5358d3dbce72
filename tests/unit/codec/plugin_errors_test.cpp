// What codec-1.0 refuses, through the plugin boundary, and the sentences it refuses with.
#include <catch2/catch.hpp>

#include "protocol/messages_v1.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::plugin::PluginError;

namespace {

PluginError decode_error(const Bytes& input, uint64_t limit = 1 << 20) {
  const auto codec = load_codec_1_0();
  auto stream = open_stable(*codec, limit);
  const DecodeRun run = decode_all(*stream, input);
  REQUIRE(run.error);
  CHECK(run.error->code == FERRY_ERR_PROTOCOL);
  return *run.error;
}

PluginError encode_error(const ferry_type_message& message, uint64_t limit = 1 << 20) {
  const auto codec = load_codec_1_0();
  auto stream = open_stable(*codec, limit);
  Bytes out{7};
  const auto error = stream->encode(message, out);
  REQUIRE(error);
  CHECK(out == Bytes{7});  // nothing appended
  return *error;
}

}  // namespace

TEST_CASE("a declared length above the limit fails before the bytes arrive", "[codec][plugin][errors]") {
  // DATA, channel 7, body declared as 17 MiB; none of the body is here yet.
  const PluginError error = decode_error(from_hex("00 05 07 80 80 c0 08"), 16 << 20);
  CHECK(error.message == "field 'body' of DATA declares 17825792 bytes, above the 16777216-byte message size limit");
}

TEST_CASE("a header growing past the limit fails as soon as it does", "[codec][plugin][errors]") {
  CHECK(decode_error(from_hex("00 05 07 64"), 102).message ==
        "field 'body' of DATA declares 100 bytes, which makes the DATA header at least 104 bytes, above the "
        "102-byte message size limit");
  CHECK(decode_error(from_hex("00 05 80 80 01"), 3).message ==
        "the DATA header exceeds the 3-byte message size limit at field 'channel' of DATA");
  CHECK(decode_error(from_hex("00 05 80 80"), 3).message == "the DATA header exceeds the 3-byte message size limit");
}

TEST_CASE("an unknown message type is named", "[codec][plugin][errors]") {
  CHECK(decode_error(from_hex("00 4d")).message == "message type 77 is unknown in protocol 1.0");
  CHECK(decode_error(from_hex("ff ff 00")).message == "message type 65535 is unknown in protocol 1.0");
  CHECK(decode_error(from_hex("00 00")).message == "message type 0 is unknown in protocol 1.0");
}

TEST_CASE("malformed varints are protocol errors naming the field", "[codec][plugin][errors]") {
  CHECK(decode_error(from_hex("00 01 80 00")).message ==
        "field 'received' of ACK: overlong varint (a shorter encoding of the same value exists)");
  CHECK(decode_error(from_hex("00 01 80 80 80 80 80 80 80 80 80 80 01")).message ==
        "field 'received' of ACK: varint longer than 10 bytes");
  CHECK(decode_error(from_hex("00 02 01 ff ff ff ff ff ff ff ff ff 02")).message ==
        "field 'sent_ns' of PING: varint overflows 64 bits");
  CHECK(decode_error(from_hex("00 05 01 81 00")).message ==
        "field 'body' of DATA: overlong varint (a shorter encoding of the same value exists)");
}

TEST_CASE("a string that is not UTF-8 is a protocol error", "[codec][plugin][errors]") {
  CHECK(decode_error(from_hex("00 04 03 41 c0 80")).message ==
        "field 'reason' of NODE_STOPPING is not valid UTF-8 (byte 1 of 3)");
}

TEST_CASE("an error after good messages still delivers the good ones first", "[codec][plugin][errors]") {
  const auto codec = load_codec_1_0();
  auto stream = open_stable(*codec);
  const DecodeRun run = decode_all(*stream, from_hex("00 06  00 01 05  00 63"));
  CHECK(run.messages.size() == 2);
  REQUIRE(run.error);
  CHECK(run.error->message == "message type 99 is unknown in protocol 1.0");
  const auto again = stream->decode(from_hex("00 06"));
  REQUIRE(std::holds_alternative<PluginError>(again));
  CHECK(std::get<PluginError>(again).message ==
        "the stream already failed: message type 99 is unknown in protocol 1.0");
}

TEST_CASE("the encoder refuses what protocol 1.0 cannot express", "[codec][plugin][errors]") {
  namespace v1 = ferry::protocol::v1;
  const ferry_type_field one_unsigned[] = {{FERRY_FIELD_UNSIGNED, 0, 1, nullptr, 0}};

  PluginError error = encode_error(ferry_type_message{77, 0, 0, nullptr, 0});
  CHECK(error.code == FERRY_ERR_INVALID_ARGUMENT);
  CHECK(error.message == "message type 77 is unknown in protocol 1.0");

  error = encode_error(ferry_type_message{FERRY_MSG_PING, 1, 0, one_unsigned, 0});
  CHECK(error.message == "PING has 3 fields in protocol 1.0 but the message carries 1");

  const auto stopping = v1::node_stopping("ok");
  const ferry_type_field wrong_kind[] = {{FERRY_FIELD_BYTES, 0, 0, stopping.field(0).bytes, 2}};
  error = encode_error(ferry_type_message{FERRY_MSG_NODE_STOPPING, 1, 0, wrong_kind, 0});
  CHECK(error.message == "field 'reason' of NODE_STOPPING is bytes, expected string");

  error = encode_error(v1::node_stopping("\xff").view());
  CHECK(error.message == "field 'reason' of NODE_STOPPING is not valid UTF-8 (byte 0)");

  error = encode_error(ferry_type_message{FERRY_MSG_ACK, 1, 0, one_unsigned, 12});
  CHECK(error.message == "ACK carries no payload, but payload_length is 12");

  const std::vector<uint8_t> body(100, 0x62);
  error = encode_error(v1::data(1, body).view(), 99);
  CHECK(error.code == FERRY_ERR_LIMIT);
  CHECK(error.message == "field 'body' of DATA has 100 bytes, above the 99-byte message size limit");

  error = encode_error(v1::ack(1).view(), 1);
  CHECK(error.code == FERRY_ERR_LIMIT);
  CHECK(error.message == "ACK header of 3 bytes exceeds the 1-byte message size limit");
}
