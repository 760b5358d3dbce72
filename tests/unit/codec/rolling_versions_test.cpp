// The point of rolling-upgrade mode: a 1.0 node and a 1.1 node, each speaking its own minor through its
// own shipped plugin, understand each other. The older side skips the fields it does not know; the newer
// side gets absent fields, which the host's readers turn into defaults.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>

#include "protocol/messages_v1.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::plugin::CodecMode;
namespace v1 = ferry::protocol::v1;

namespace {

// Everything the writer's rolling stream encodes from the known messages, decoded by the reader's.
std::vector<OwnedMessage> across(const std::string& writer, const std::string& reader, size_t chunk) {
  const auto writing_codec = load_codec(writer);
  const auto reading_codec = load_codec(reader);
  auto out = open_mode(*writing_codec, CodecMode::rolling);
  auto in = open_mode(*reading_codec, CodecMode::rolling);
  Bytes wire;
  // 1.1 sends no type that 1.0 lacks to a 1.0 peer (docs/protocol.md §2.8).
  for (const KnownMessage& known : known_messages_in(0)) {
    const Bytes one = encode_known(*out, known);
    wire.insert(wire.end(), one.begin(), one.end());
  }
  const DecodeRun run = decode_all(*in, wire, chunk);
  REQUIRE_FALSE(run.error);
  CHECK(run.left_over == 0);
  return run.messages;
}

std::vector<OwnedMessage> known_in(uint16_t minor) {
  std::vector<OwnedMessage> owned;
  for (const KnownMessage& known : known_messages_in(minor)) owned.push_back(own_in(known.message, minor));
  return owned;
}

}  // namespace

TEST_CASE("a 1.0 node reads every message of a 1.1 node, skipping the fields 1.1 added", "[codec][rolling]") {
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}}) {
    INFO("chunk " << chunk);
    CHECK(across("codec-1.1", "codec-1.0", chunk) == known_in(0));
  }
}

TEST_CASE("a 1.1 node reads every message of a 1.0 node, the fields 1.0 lacks absent", "[codec][rolling]") {
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}}) {
    INFO("chunk " << chunk);
    CHECK(across("codec-1.0", "codec-1.1", chunk) == known_in(0));
  }
}

TEST_CASE("the host reads defaults for what an older peer did not send", "[codec][rolling]") {
  const auto old_codec = load_codec("codec-1.0");
  const auto new_codec = load_codec("codec-1.1");
  auto old_side = open_mode(*old_codec, CodecMode::rolling);
  auto new_side = open_mode(*new_codec, CodecMode::rolling);
  const Bytes body = bytes_of("chunk");

  Bytes wire = encode(*old_side, v1::data(2, body, 0x1234));
  auto result = new_side->decode(wire);
  REQUIRE(std::holds_alternative<ferry::plugin::Decoded>(result));
  const v1::Data data = v1::read_data(ferry::protocol::MessageView(std::get<ferry::plugin::Decoded>(result).message));
  CHECK(data.channel == 2);
  CHECK(Bytes(data.body.begin(), data.body.end()) == body);
  CHECK(data.crc32c == 0);

  wire = encode(*old_side, v1::node_stopping("bye", true));
  result = new_side->decode(wire);
  const v1::NodeStopping stopping =
      v1::read_node_stopping(ferry::protocol::MessageView(std::get<ferry::plugin::Decoded>(result).message));
  CHECK(stopping.reason == "bye");
  CHECK_FALSE(stopping.restarting);

  wire = encode(*new_side, v1::data(2, body, 0x1234));
  result = new_side->decode(wire);
  CHECK(v1::read_data(ferry::protocol::MessageView(std::get<ferry::plugin::Decoded>(result).message)).crc32c == 0x1234);
}
