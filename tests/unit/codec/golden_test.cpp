// The golden vectors pin the stable-mode format of codec 1.0 byte for byte: each decodes to its known
// values, re-encodes to itself, and the known values encode to exactly the vector.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::codec_test;

TEST_CASE("every catalogue message has a golden vector", "[codec][golden]") {
  for (const ferry_type_message_spec& spec : ferry_v1_messages) {
    INFO(spec.name);
    CHECK_FALSE(read_hex_file(std::string(FERRY_GOLDEN_DIR) + "/" + spec.name + ".hex").empty());
  }
}

TEST_CASE("golden vectors decode to their values and re-encode byte for byte", "[codec][golden]") {
  const auto codec = load_codec_1_0();
  for (const KnownMessage& known : known_messages()) {
    INFO(known.name);
    const Bytes vector = read_hex_file(std::string(FERRY_GOLDEN_DIR) + "/" + known.name + ".hex");
    auto stream = open_stable(*codec);

    const auto result = stream->decode(vector);
    REQUIRE(std::holds_alternative<ferry::plugin::Decoded>(result));
    const auto& decoded = std::get<ferry::plugin::Decoded>(result);
    REQUIRE(decoded.kind == ferry::plugin::DecodeKind::message);
    CHECK(decoded.consumed == vector.size());
    CHECK(own(decoded.message) == own(known.message.view()));

    Bytes again;
    REQUIRE_FALSE(stream->encode(decoded.message, again));
    CHECK(again == vector);
    CHECK(encode(*stream, known.message) == vector);
  }
}
