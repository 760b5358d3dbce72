// The golden vectors pin every message of every shipped version in both modes byte for byte: each decodes
// to its known values (fields its minor lacks come back absent), re-encodes to itself, and the known
// values encode to exactly the vector.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::codec_test;

namespace {

std::string vector_path(const Variant& variant, const std::string& name) {
  return std::string(FERRY_GOLDEN_DIR) + "/" + variant.golden + "/" + name + ".hex";
}

}  // namespace

TEST_CASE("every catalogue message has a golden vector in every version and mode", "[codec][golden]") {
  for (const Variant& variant : variants()) {
    for (const ferry_type_message_spec& spec : ferry_v1_messages) {
      if (spec.since_minor > variant.fields_of) continue;
      INFO(variant.golden << " " << spec.name);
      CHECK_FALSE(read_hex_file(vector_path(variant, spec.name)).empty());
    }
  }
}

TEST_CASE("golden vectors decode to their values and re-encode byte for byte", "[codec][golden]") {
  for (const Variant& variant : variants()) {
    const auto codec = load_codec(variant.codec);
    for (const KnownMessage& known : known_messages_in(variant.fields_of)) {
      INFO(variant.golden << " " << known.name);
      const Bytes vector = read_hex_file(vector_path(variant, known.name));
      auto stream = open_mode(*codec, variant.mode);

      const auto result = stream->decode(vector);
      REQUIRE(std::holds_alternative<ferry::plugin::Decoded>(result));
      const auto& decoded = std::get<ferry::plugin::Decoded>(result);
      REQUIRE(decoded.kind == ferry::plugin::DecodeKind::message);
      CHECK(own(decoded.message) == own_in(known.message, variant.fields_of));
      CHECK(encode_with_payload(*open_mode(*codec, variant.mode), decoded.message, known.payload) == vector);

      const Bytes rest(vector.begin() + static_cast<ptrdiff_t>(decoded.consumed), vector.end());
      const DecodeRun payload = decode_all(*stream, rest);
      CHECK_FALSE(payload.error);
      CHECK(payload.messages.empty());
      CHECK(payload.payload == known.payload);
      CHECK(payload.left_over == 0);

      CHECK(encode_with_payload(*open_mode(*codec, variant.mode), known.message.view(), known.payload) == vector);
    }
  }
}
