// Random and mutated input through the plugin: it never crashes, and either decodes or fails cleanly with
// a protocol error and a sentence. Seeded, so a failure reproduces.
#include <catch2/catch.hpp>
#include <random>

#include "support.hpp"

using namespace ferry::codec_test;

namespace {

// Decodes input whole and one byte at a time: both must agree, and any failure must be a clean one.
void check_clean(ferry::plugin::CodecInstance& codec, const Bytes& input, bool also_byte_by_byte) {
  auto stream = open_stable(codec, 256);
  const DecodeRun whole = decode_all(*stream, input);
  if (whole.error) {
    CHECK(whole.error->code == FERRY_ERR_PROTOCOL);
    CHECK_FALSE(whole.error->message.empty());
  }
  if (!also_byte_by_byte) return;
  auto other = open_stable(codec, 256);
  const DecodeRun bytewise = decode_all(*other, input, 1);
  CHECK(bytewise.messages == whole.messages);
  CHECK(bytewise.error.has_value() == whole.error.has_value());
  CHECK(bytewise.left_over == whole.left_over);
}

}  // namespace

TEST_CASE("random bytes never crash the decoder", "[codec][plugin][garbage]") {
  const auto codec = load_codec_1_0();
  std::mt19937_64 random(0xf3771);
  for (int i = 0; i < 5000; ++i) {
    Bytes input(random() % 97);
    for (uint8_t& byte : input) byte = static_cast<uint8_t>(random());
    if (input.size() >= 2 && random() % 2 == 0) {  // a plausible type half of the time, to get past it
      input[0] = 0;
      input[1] = static_cast<uint8_t>(random() % 8);
    }
    check_clean(*codec, input, i % 5 == 0);
  }
}

TEST_CASE("mutated valid streams never crash the decoder", "[codec][plugin][garbage]") {
  const auto codec = load_codec_1_0();
  auto encoder = open_stable(*codec);
  Bytes valid;
  for (const KnownMessage& known : known_messages_in(0)) REQUIRE_FALSE(encoder->encode(known.message, valid));
  std::mt19937_64 random(0xc0dec);
  for (int i = 0; i < 3000; ++i) {
    Bytes input = valid;
    for (uint64_t flips = 1 + random() % 4; flips > 0; --flips)
      input[random() % input.size()] = static_cast<uint8_t>(random());
    input.resize(input.size() - random() % 8);
    check_clean(*codec, input, i % 3 == 0);
  }
}
