#include "handshake/frame_codec.hpp"

#include <catch2/catch.hpp>

#include "handshake/frame_reader.hpp"
#include "handshake/record_writer.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

Frame read_one(const Bytes& bytes) {
  FrameReader reader;
  ReadStep step = reader.read(bytes);
  REQUIRE(step.frame);
  REQUIRE(step.consumed == bytes.size());
  return std::move(*step.frame);
}

}  // namespace

TEST_CASE("Every frame type survives encode then decode", "[handshake][codec]") {
  SECTION("IDENTIFY") {
    const Frame frame = read_one(encode(golden_identify()));
    CHECK(frame.type == frame_type::identify);
    auto decoded = decode_identify(frame.body);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == golden_identify());
  }
  SECTION("REQUEST") {
    const Frame frame = read_one(encode(golden_request()));
    CHECK(frame.type == frame_type::request);
    auto decoded = decode_request(frame.body);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == golden_request());
  }
  SECTION("ACCEPT") {
    const Frame frame = read_one(encode(golden_accept()));
    CHECK(frame.type == frame_type::accept);
    auto decoded = decode_accept(frame.body);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == golden_accept());
  }
  SECTION("REFUSE") {
    const Frame frame = read_one(encode(golden_refuse()));
    CHECK(frame.type == frame_type::refuse);
    auto decoded = decode_refuse(frame.body);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == golden_refuse());
  }
}

TEST_CASE("Empty lists and strings, extreme integers and a refusal code from the future round-trip",
          "[handshake][codec]") {
  Request request = golden_request();
  request.node_name.clear();
  request.settings.clear();
  request.offers.clear();
  request.required_features.clear();
  request.disabled_features.clear();
  request.incarnation = UINT64_MAX;
  request.connection_index = UINT64_MAX;
  auto decoded = decode_request(read_one(encode(request)).body);
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == request);

  const Accept accept{UINT64_MAX, {65535, 65535}, {65535, 0}, Mode::stable, UINT64_MAX, std::nullopt};
  auto accept_decoded = decode_accept(read_one(encode(accept)).body);
  REQUIRE(accept_decoded.ok());
  CHECK(accept_decoded.value() == accept);

  const Refuse future{static_cast<RefuseCode>(4242), "caf\xc3\xa9 \xf0\x9f\x9a\xa2"};
  auto refuse_decoded = decode_refuse(read_one(encode(future)).body);
  REQUIRE(refuse_decoded.ok());
  CHECK(refuse_decoded.value() == future);
  CHECK(to_string(refuse_decoded.value().code) == "code 4242");
}

TEST_CASE("Unknown tags are skipped, at the top level and inside nested records", "[handshake][codec]") {
  // A later release's REFUSE: an unknown field before, an authentication record after.
  RecordWriter refuse;
  refuse.string(0x7777, "added later").u64(tag::refuse_code, 5).string(tag::refuse_reason, "node \"a\" is stopping");
  refuse.bytes(tag::secret_proof, std::vector<uint8_t>(32, 0xAA));
  auto decoded = decode_refuse(refuse.body());
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == Refuse{RefuseCode::node_stopping, "node \"a\" is stopping"});

  // An ACCEPT whose codec records carry a patch number this release does not know.
  RecordWriter version;
  version.u64(tag::major, 1).u64(0x0023, 9).u64(tag::minor, 1);
  RecordWriter accept;
  accept.u64(tag::agreed_features, 3).nested(tag::initiator_codec, version).nested(tag::responder_codec, version);
  accept.u64(tag::mode, 1).u64(tag::received, 0).string(tag::node_name, "a known tag out of place is skipped too");
  auto accept_decoded = decode_accept(accept.body());
  REQUIRE(accept_decoded.ok());
  CHECK(accept_decoded.value() == Accept{0, {1, 1}, {1, 1}, Mode::stable, 3, std::nullopt});
}

TEST_CASE("Records may come in any order", "[handshake][codec]") {
  const Identify identify = golden_identify();
  RecordWriter shuffled;
  RecordWriter checksum, peers;
  checksum.string(tag::setting_value, "crc32c").string(tag::setting_name, "checksum");
  peers.string(tag::setting_name, "connections_per_peer").string(tag::setting_value, "1");
  shuffled.bytes(tag::nonce, identify.nonce).u64(tag::incarnation, identify.incarnation);
  shuffled.nested(tag::setting, peers).string(tag::cluster, "prod").bytes(tag::node_id, identify.node_id);
  shuffled.nested(tag::setting, checksum).string(tag::node_name, "alpha");
  auto decoded = decode_identify(shuffled.body());
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == identify);
}

TEST_CASE("Node ids and versions convert to and from text", "[handshake][codec]") {
  const auto id = parse_node_id("0F8E5C2A-7d4b-4c1e-9a3f-6b2d8e1c5a70");
  REQUIRE(id);
  CHECK(to_string(*id) == "0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70");
  CHECK_FALSE(parse_node_id("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a7"));
  CHECK_FALSE(parse_node_id("0f8e5c2a+7d4b-4c1e-9a3f-6b2d8e1c5a70"));
  CHECK_FALSE(parse_node_id("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a7g"));

  CHECK(parse_version("1.0") == Version{1, 0});
  CHECK(parse_version("65535.12") == Version{65535, 12});
  CHECK_FALSE(parse_version("65536.0"));
  CHECK_FALSE(parse_version("1"));
  CHECK_FALSE(parse_version("1.x"));
  CHECK_FALSE(parse_version(".1"));
  CHECK(to_string(Version{2, 10}) == "2.10");
}
