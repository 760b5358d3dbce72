// The host's message model: builders agree with the catalogue, readers default what a peer did not send.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "protocol/messages_stream.hpp"
#include "protocol/messages_v1.hpp"
#include "support.hpp"

using namespace ferry::protocol;
namespace stream = ferry::stream;
using ferry::codec_test::known_messages;
using ferry::codec_test::KnownMessage;

TEST_CASE("builders write every field of the catalogue with its kind, in order", "[codec][messages]") {
  for (const KnownMessage& known : known_messages()) {
    INFO(known.name);
    const ferry_type_message_spec* spec = ferry_v1_find_message(known.message.type());
    REQUIRE(spec != nullptr);
    CHECK(known.name == spec->name);
    REQUIRE(known.message.field_count() == spec->field_count);
    for (size_t i = 0; i < spec->field_count; ++i) CHECK(known.message.field(i).kind == spec->fields[i].kind);
  }
}

TEST_CASE("readers default fields an older peer did not send", "[codec][messages]") {
  const ferry_type_field absent[3] = {};
  const MessageView all_absent(ferry_type_message{FERRY_MSG_PING, 3, 0, absent, 0});
  const v1::Ping ping = v1::read_ping(all_absent);
  CHECK(ping.sequence == 0);
  CHECK(ping.sent_ns == 0);
  CHECK(ping.padding.empty());

  const ferry_type_field only_channel[1] = {{FERRY_FIELD_UNSIGNED, 0, 4, nullptr, 0}};
  const v1::Data data = v1::read_data(MessageView(ferry_type_message{FERRY_MSG_DATA, 1, 0, only_channel, 0}));
  CHECK(data.channel == 4);
  CHECK(data.body.empty());
  CHECK(data.crc32c == 0);

  const v1::NodeStopping stopping =
      v1::read_node_stopping(MessageView(ferry_type_message{FERRY_MSG_NODE_STOPPING, 0, 0, nullptr, 0}));
  CHECK(stopping.reason.empty());
  CHECK_FALSE(stopping.restarting);
}

TEST_CASE("a view returns each kind's default for a missing field", "[codec][messages]") {
  const MessageView empty(ferry_type_message{FERRY_MSG_IDLE_CLOSE, 0, 0, nullptr, 0});
  CHECK(empty.unsigned_at(0) == 0);
  CHECK(empty.signed_at(1) == 0);
  CHECK_FALSE(empty.boolean_at(2));
  CHECK(empty.bytes_at(3).empty());
  CHECK(empty.string_at(4).empty());
  CHECK(empty.uuid_at(5) == Uuid{});
}

TEST_CASE("a view reads every kind", "[codec][messages]") {
  const Uuid id{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  Message message(99);
  message.add_unsigned(7).add_signed(-7).add_boolean(true).add_bytes(id).add_string("seven").add_uuid(id);
  const MessageView view(message.view());
  CHECK(view.unsigned_at(0) == 7);
  CHECK(view.signed_at(1) == -7);
  CHECK(view.boolean_at(2));
  CHECK(view.bytes_at(3).size() == 16);
  CHECK(view.string_at(4) == "seven");
  CHECK(view.uuid_at(5) == id);
  CHECK(view.unsigned_at(1) == 0);  // a signed field read as unsigned: the default, not a reinterpretation
}

TEST_CASE("a message refuses more fields than it has room for", "[codec][messages]") {
  Message message(1);
  for (size_t i = 0; i < Message::kMaxFields; ++i) message.add_unsigned(i);
  CHECK_THROWS_AS(message.add_unsigned(0), std::length_error);
}

TEST_CASE("streaming readers return the values the builders were given", "[codec][messages]") {
  const stream::SessionId id{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const stream::Digest digest(32, 0xab);
  const std::vector<stream::StreamMessage> values{
      stream::Prepare{id, 3, 4096, {"a", "b/c"}, 5},
      stream::PrepareAck{id, 1, 2},
      stream::FileHeader{id, 7, 1, "d/e", 100, 0755, -5, {{0, 10}, {50, 50}}, digest},
      stream::Chunk{id, 7, 1, 50, 0xffffffff, 50},
      stream::FileDone{id, 7, 1, digest},
      stream::Retry{id, 7, 1, "why"},
      stream::FileCommitted{id, 7},
      stream::Complete{id},
      stream::Failed{id, "because"},
      stream::KeepAlive{id},
      stream::FileChecked{id, 7, 1, true, {}},
      stream::FileChecked{id, 7, 1, false, digest},
  };
  for (const stream::StreamMessage& value : values) {
    streaming::Scratch scratch;
    const Message message = streaming::build(value, scratch);
    INFO(message.type());
    CHECK(streaming::is_stream_type(message.type()));
    const auto read = streaming::read(MessageView(message.view()));
    REQUIRE(std::holds_alternative<stream::StreamMessage>(read));
    CHECK(std::get<stream::StreamMessage>(read) == value);
  }
  CHECK_FALSE(streaming::is_stream_type(FERRY_MSG_DATA));
}

TEST_CASE("streaming readers name malformed lists and default what a 1.0 chunk lacks", "[codec][messages]") {
  const stream::SessionId id{};
  const std::string unterminated = "a";
  Message prepare(FERRY_MSG_STREAM_PREPARE);
  prepare.add_uuid(id).add_unsigned(0).add_unsigned(0).add_string(unterminated).add_unsigned(0);
  CHECK(std::get<std::string>(streaming::read(MessageView(prepare.view()))) ==
        "STREAM_PREPARE: the last requested path is not ended by a 00 byte");

  const std::vector<uint8_t> cut_ranges{0x80};
  Message file(FERRY_MSG_STREAM_FILE);
  file.add_uuid(id).add_unsigned(0).add_unsigned(0).add_string("f").add_unsigned(1).add_unsigned(0644);
  file.add_signed(0).add_bytes(cut_ranges).add_bytes({});
  CHECK(std::get<std::string>(streaming::read(MessageView(file.view()))) ==
        "STREAM_FILE: the ranges field ends inside a varint (range 0)");

  Message old_chunk(FERRY_MSG_STREAM_CHUNK, 9);
  old_chunk.add_uuid(id).add_unsigned(1).add_unsigned(0).add_unsigned(4);  // 1.0: no crc32c
  const auto chunk = std::get<stream::Chunk>(std::get<stream::StreamMessage>(streaming::read(MessageView(old_chunk.view()))));
  CHECK(chunk.crc32c == 0);
  CHECK(chunk.payload_length == 9);

  Message wide_crc(FERRY_MSG_STREAM_CHUNK, 1);
  wide_crc.add_uuid(id).add_unsigned(1).add_unsigned(0).add_unsigned(0).add_unsigned(uint64_t{1} << 32);
  CHECK(std::get<std::string>(streaming::read(MessageView(wide_crc.view()))) ==
        "STREAM_CHUNK: crc32c 4294967296 does not fit 32 bits");
}
