// The shipped codecs (codec-1.0, codec-1.1) loaded from their .so files and driven through the host wrapper in
// both modes, as a connection drives them.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>
#include <set>

#include "plugin/catalog.hpp"
#include "protocol/messages_v1.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::plugin::CodecMode;
using ferry::plugin::DecodeKind;
using ferry::plugin::PluginError;
using ferry::plugin::StreamSettings;

namespace {

Bytes every_message_back_to_back(ferry::plugin::CodecStream& stream, uint16_t minor) {
  Bytes all;
  for (const KnownMessage& known : known_messages_in(minor)) {
    const Bytes one = encode_known(stream, known);
    all.insert(all.end(), one.begin(), one.end());
  }
  return all;
}

std::vector<OwnedMessage> owned_known_messages(uint16_t minor) {
  std::vector<OwnedMessage> owned;
  for (const KnownMessage& known : known_messages_in(minor)) owned.push_back(own_in(known.message, minor));
  return owned;
}

PluginError open_error(ferry::plugin::CodecInstance& codec, const StreamSettings& settings) {
  auto opened = codec.open(settings);
  REQUIRE(std::holds_alternative<PluginError>(opened));
  return std::get<PluginError>(opened);
}

}  // namespace

// What codec-1.1 and codec-2.0 declare.
constexpr uint64_t kMajor1Features = uint64_t{1} << FERRY_V1_FEATURE_DATA_CRC32C |
                                     uint64_t{1} << FERRY_V1_FEATURE_SKIP_HELD |
                                     uint64_t{1} << FERRY_V1_FEATURE_XXH3_DIGEST;

TEST_CASE("codec-1.0 is protocol 1.0 with no features", "[codec][plugin]") {
  const auto codec = load_codec_1_0();
  CHECK(codec->name() == "codec-1.0");
  CHECK(codec->version().text() == "1.0");
  CHECK(codec->feature_mask() == 0);
}

TEST_CASE("the known messages cover the whole catalogue", "[codec][plugin]") {
  std::set<uint16_t> types;
  for (const KnownMessage& known : known_messages()) types.insert(known.message.type());
  CHECK(types.size() == FERRY_V1_MESSAGE_COUNT);
  for (const ferry_type_message_spec& spec : ferry_v1_messages) CHECK(types.count(spec.type) == 1);
}

TEST_CASE("codec-1.1 is protocol 1.1 with the data_crc32c, skip_held and xxh3_digest features", "[codec][plugin]") {
  const auto codec = load_codec("codec-1.1");
  CHECK(codec->version().text() == "1.1");
  CHECK(codec->feature_mask() == kMajor1Features);
  auto opened = codec->open(StreamSettings{CodecMode::stable, 1, 1 << 20});
  CHECK(std::holds_alternative<std::unique_ptr<ferry::plugin::CodecStream>>(opened));
}

TEST_CASE("codec-2.0 is protocol 2.0 with the features of 1.1 and chunk_xxh3", "[codec][plugin]") {
  const auto codec = load_codec("codec-2.0");
  CHECK(codec->version().text() == "2.0");
  CHECK(codec->feature_mask() == (kMajor1Features | uint64_t{1} << FERRY_V1_FEATURE_CHUNK_XXH3));
}

TEST_CASE("codec-2.0 writes the same bytes in both modes, payloads raw", "[codec][plugin]") {
  const auto codec = load_codec("codec-2.0");
  auto stable = open_mode(*codec, CodecMode::stable);
  auto rolling = open_mode(*codec, CodecMode::rolling);
  for (const KnownMessage& known : known_messages()) CHECK(encode(*stable, known.message) == encode(*rolling, known.message));
  Bytes out;
  const auto piece = rolling->encode_payload_prefix(1 << 20, out);
  CHECK(std::get<uint64_t>(piece) == 1 << 20);
  CHECK(out.empty());
}

TEST_CASE("every catalogue message round-trips through each plugin in each mode", "[codec][plugin]") {
  for (const Variant& variant : variants()) {
    const auto codec = load_codec(variant.codec);
    for (const KnownMessage& known : known_messages_in(variant.fields_of)) {
      INFO(variant.golden << " " << known.name);
      auto stream = open_mode(*codec, variant.mode);
      const DecodeRun run = decode_all(*stream, encode(*stream, known.message));
      REQUIRE_FALSE(run.error);
      REQUIRE(run.messages.size() == 1);
      CHECK(run.messages[0] == own_in(known.message, variant.fields_of));
      CHECK(run.left_over == 0);
    }
  }
}

TEST_CASE("typed readers see what the builders wrote", "[codec][plugin]") {
  namespace v1 = ferry::protocol::v1;
  const auto codec = load_codec_1_0();
  auto stream = open_stable(*codec);
  const Bytes padding{1, 2, 3};
  const Bytes wire = encode(*stream, v1::ping(9, 123456789, padding));
  const auto result = stream->decode(wire);
  REQUIRE(std::holds_alternative<ferry::plugin::Decoded>(result));
  const ferry::protocol::MessageView view(std::get<ferry::plugin::Decoded>(result).message);
  REQUIRE(view.type() == FERRY_MSG_PING);
  const v1::Ping ping = v1::read_ping(view);
  CHECK(ping.sequence == 9);
  CHECK(ping.sent_ns == 123456789);
  CHECK(Bytes(ping.padding.begin(), ping.padding.end()) == padding);
  CHECK(ping.padding.data() == wire.data() + wire.size() - 3);  // borrowed from the input, not copied
}

TEST_CASE("one byte at a time decodes the same messages", "[codec][plugin]") {
  for (const Variant& variant : variants()) {
    INFO(variant.golden);
    const auto codec = load_codec(variant.codec);
    auto stream = open_mode(*codec, variant.mode);
    const Bytes all = every_message_back_to_back(*stream, variant.fields_of);
    const DecodeRun run = decode_all(*stream, all, 1);
    REQUIRE_FALSE(run.error);
    CHECK(run.messages == owned_known_messages(variant.fields_of));
    CHECK(run.left_over == 0);
  }
}

TEST_CASE("many messages back to back in one buffer", "[codec][plugin]") {
  for (const Variant& variant : variants()) {
    INFO(variant.golden);
    const auto codec = load_codec(variant.codec);
    auto stream = open_mode(*codec, variant.mode);
    Bytes all;
    std::vector<OwnedMessage> expected;
    const Bytes one_of_each = every_message_back_to_back(*stream, variant.fields_of);
    const std::vector<OwnedMessage> owned = owned_known_messages(variant.fields_of);
    for (int round = 0; round < 200; ++round) {
      all.insert(all.end(), one_of_each.begin(), one_of_each.end());
      expected.insert(expected.end(), owned.begin(), owned.end());
    }
    const DecodeRun run = decode_all(*stream, all);
    REQUIRE_FALSE(run.error);
    CHECK(run.messages.size() == 200 * known_messages_in(variant.fields_of).size());
    CHECK(run.messages == expected);
  }
}

TEST_CASE("a header cut at any offset asks for more and consumes nothing", "[codec][plugin]") {
  for (const Variant& variant : variants()) {
    const auto codec = load_codec(variant.codec);
    for (const KnownMessage& known : known_messages_in(variant.fields_of)) {
      auto encoder = open_mode(*codec, variant.mode);
      const Bytes whole = encode(*encoder, known.message);
      for (size_t length = 0; length < whole.size(); ++length) {
        INFO(variant.golden << " " << known.name << " cut to " << length << " of " << whole.size() << " bytes");
        auto stream = open_mode(*codec, variant.mode);
        const auto result = stream->decode(std::span<const uint8_t>(whole.data(), length));
        REQUIRE(std::holds_alternative<ferry::plugin::Decoded>(result));
        CHECK(std::get<ferry::plugin::Decoded>(result).kind == DecodeKind::need_more);
        CHECK(std::get<ferry::plugin::Decoded>(result).consumed == 0);
      }
    }
  }
}

TEST_CASE("encode appends, retrying a header larger than the first guess", "[codec][plugin]") {
  namespace v1 = ferry::protocol::v1;
  const auto codec = load_codec_1_0();
  auto stream = open_stable(*codec);
  const Bytes body(100000, 0x5a);
  Bytes out{0xaa, 0xbb, 0xcc};
  REQUIRE_FALSE(stream->encode(v1::data(3, body), out));
  REQUIRE(out.size() == 3 + 2 + 1 + 3 + body.size());
  CHECK(Bytes(out.begin(), out.begin() + 9) == from_hex("aa bb cc  00 05  03  a0 8d 06"));
  const DecodeRun run = decode_all(*stream, Bytes(out.begin() + 3, out.end()));
  REQUIRE(run.messages.size() == 1);
  CHECK(run.messages[0].fields[1].bytes == body);
}

TEST_CASE("stable mode writes no payload prefix", "[codec][plugin]") {
  const auto codec = load_codec_1_0();
  auto stream = open_stable(*codec);
  Bytes out{1};
  const auto piece = stream->encode_payload_prefix(1 << 20, out);
  REQUIRE(std::holds_alternative<uint64_t>(piece));
  CHECK(std::get<uint64_t>(piece) == 1 << 20);
  CHECK(out == Bytes{1});
}

TEST_CASE("rolling mode cuts a long header into frames of at most 64 KiB", "[codec][plugin]") {
  namespace v1 = ferry::protocol::v1;
  const auto codec = load_codec_1_0();
  auto stream = open_mode(*codec, CodecMode::rolling);
  const Bytes body(100000, 0x5a);
  Bytes out;
  REQUIRE_FALSE(stream->encode(v1::data(3, body), out));
  const size_t header = 2 + 1 + 1 + 3 + body.size();  // type, count, channel, body length, body
  REQUIRE(out.size() == header + 2 * 3);
  CHECK(Bytes(out.begin(), out.begin() + 9) == from_hex("01 ff ff  00 05  02  03  a0 8d"));
  CHECK(Bytes(out.begin() + 65535, out.begin() + 65538) == from_hex("00 86 ae"));  // 3 + the last 34475 bytes
  const DecodeRun run = decode_all(*stream, out, 4096);
  REQUIRE_FALSE(run.error);
  REQUIRE(run.messages.size() == 1);
  CHECK(run.messages[0].fields[1].bytes == body);
  CHECK(run.left_over == 0);
}

TEST_CASE("rolling mode puts each payload piece in a frame of its own", "[codec][plugin]") {
  const auto codec = load_codec_1_0();
  auto stream = open_mode(*codec, CodecMode::rolling);
  Bytes out;
  auto piece = stream->encode_payload_prefix(100000, out);
  REQUIRE(std::holds_alternative<uint64_t>(piece));
  CHECK(std::get<uint64_t>(piece) == 65532);
  CHECK(out == from_hex("01 ff ff"));
  out.clear();
  piece = stream->encode_payload_prefix(10, out);
  CHECK(std::get<uint64_t>(piece) == 10);
  CHECK(out == from_hex("00 00 0d"));
}

TEST_CASE("unknown modes, unknown features and impossible limits are refused", "[codec][plugin]") {
  const auto codec = load_codec_1_0();
  CHECK(open_error(*codec, StreamSettings{static_cast<CodecMode>(7), 0, 1 << 20}).message == "unknown codec mode 7");
  const PluginError features = open_error(*codec, StreamSettings{CodecMode::rolling, 0x5, 1 << 20});
  CHECK(features.code == FERRY_ERR_INVALID_ARGUMENT);
  CHECK(features.message == "agreed features 0x5 include bits this codec does not support (its mask is 0x0)");
  CHECK(open_error(*codec, StreamSettings{CodecMode::rolling, 0, 0}).message ==
        "max_message_size 0 is outside 1..4294967296");
  CHECK(open_error(*codec, StreamSettings{CodecMode::stable, 0, (uint64_t{1} << 32) + 1}).code ==
        FERRY_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a stream keeps its codec, and so the library, alive", "[codec][plugin]") {
  auto codec = load_codec_1_0();
  auto stream = open_stable(*codec);
  codec.reset();
  CHECK(decode_all(*stream, encode(*stream, ferry::protocol::v1::ack(1))).messages.size() == 1);
}
