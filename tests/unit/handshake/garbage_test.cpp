// Random garbage and random damage to valid frames never crash anything and always end in a clean
// protocol_error (or in a request for more bytes).
#include <catch2/catch.hpp>
#include <random>

#include "handshake/big_endian.hpp"
#include "handshake/frame_codec.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

Bytes random_bytes(std::mt19937_64& random, size_t max_size) {
  Bytes bytes(std::uniform_int_distribution<size_t>(0, max_size)(random));
  for (auto& byte : bytes) byte = static_cast<uint8_t>(random());
  return bytes;
}

// Feeds bytes to both roles in random pieces; whatever happens must be a clean outcome. Garbage can
// only be refused as protocol_error; a damaged but well-formed frame may also carry, say, another
// cluster's name.
void feed_both(const Bytes& bytes, std::mt19937_64& random, bool garbage = true) {
  FakeHost hosts[2];
  for (bool responder_role : {true, false}) {
    Handshake handshake = responder_role
                              ? Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1))
                              : Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});
    handshake.start();
    std::span<const uint8_t> rest(bytes);
    std::optional<Outcome> outcome;
    while (!rest.empty() && !outcome) {
      const size_t piece = std::uniform_int_distribution<size_t>(1, rest.size())(random);
      outcome = handshake.feed(rest.first(piece)).outcome;
      rest = rest.subspan(piece);
    }
    if (!outcome) outcome = handshake.end_of_stream().outcome;
    REQUIRE(outcome);
    if (auto* refusal = std::get_if<Refused>(&*outcome)) {
      REQUIRE_FALSE(refusal->refusal.reason.empty());
      // A refusal from the peer carries the peer's code.
      if (garbage && refusal->by == Side::local) REQUIRE(refusal->refusal.code == RefuseCode::protocol_error);
    }
  }
}

template <typename T>
void check_clean(const Result<T>& result) {
  if (!result.ok()) REQUIRE_THAT(result.error().reason, Catch::StartsWith("malformed "));
}

}  // namespace

TEST_CASE("Random garbage ends every handshake cleanly", "[handshake][garbage]") {
  std::mt19937_64 random(20240611);
  for (int round = 0; round < 5000; ++round) feed_both(random_bytes(random, 200), random);
}

TEST_CASE("Random garbage behind a valid header ends every handshake cleanly", "[handshake][garbage]") {
  std::mt19937_64 random(7);
  const uint16_t types[] = {frame_type::identify, frame_type::request, frame_type::accept, frame_type::refuse};
  for (int round = 0; round < 5000; ++round) {
    Bytes body = random_bytes(random, 300);
    Bytes frame(magic.begin(), magic.end());
    put_u16(frame, 1);
    put_u16(frame, types[round % 4]);
    put_u32(frame, static_cast<uint32_t>(body.size()));
    frame.insert(frame.end(), body.begin(), body.end());
    feed_both(frame, random);
  }
}

TEST_CASE("Damaged valid frames decode or fail cleanly, never crash", "[handshake][garbage]") {
  std::mt19937_64 random(99);
  const Bytes frames[] = {encode(golden_identify()), encode(golden_request()), encode(golden_accept()),
                          encode(golden_refuse())};
  for (int round = 0; round < 20000; ++round) {
    Bytes frame = frames[round % 4];
    const int damage = std::uniform_int_distribution<int>(1, 4)(random);
    for (int i = 0; i < damage; ++i) {
      const size_t at = std::uniform_int_distribution<size_t>(header_size, frame.size() - 1)(random);
      frame[at] = static_cast<uint8_t>(random());
    }
    // Each decoder on each body: every result is either a value or a reason naming the frame.
    const std::span<const uint8_t> body = std::span(frame).subspan(header_size);
    check_clean(decode_identify(body));
    check_clean(decode_request(body));
    check_clean(decode_accept(body));
    check_clean(decode_refuse(body));
    feed_both(frame, random, false);
  }
}
