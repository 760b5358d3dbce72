// The host's message model: builders agree with the catalogue, readers default what a peer did not send.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "protocol/messages_v1.hpp"
#include "support.hpp"

using namespace ferry::protocol;
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
