// The initiator holds the responder to what the REQUEST offered; it refuses a bad ACCEPT without sending
// anything, because the responder has already switched to its codec.
#include <catch2/catch.hpp>

#include "handshake/frame_codec.hpp"
#include "handshake/initiator.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

// Brings an initiator (beta) to the point where it awaits ACCEPT, then feeds it `accept`.
Step answer_with(const Bytes& accept_frame, LocalNode initiator_node = beta()) {
  FakeHost hosts[2];
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1));
  Handshake initiator =
      Handshake::initiator(std::make_shared<const LocalNode>(std::move(initiator_node)), hosts[1], nonce(2), {});
  const Step request = initiator.feed(responder.start().send);
  REQUIRE_FALSE(request.outcome);
  return initiator.feed(accept_frame);
}

std::string refusal_of(const Accept& accept, RefuseCode code, LocalNode initiator_node = beta()) {
  const Step step = answer_with(encode(accept), std::move(initiator_node));
  CHECK(step.send.empty());
  const Refused& refusal = std::get<Refused>(*step.outcome);
  CHECK(refusal.by == Side::local);
  CHECK(refusal.refusal.code == code);
  CHECK(refusal.peer->name == "alpha");
  return refusal.refusal.reason;
}

}  // namespace

TEST_CASE("An ACCEPT within the offers is accepted", "[handshake][accept]") {
  const Step step = answer_with(encode(Accept{5, {1, 1}, {1, 0}, Mode::rolling, checksum_bit, std::nullopt}));
  const Accepted& done = std::get<Accepted>(*step.outcome);
  CHECK(done.peer_received == 5);
  CHECK(done.agreement.local_codec == Version{1, 0});
  CHECK(done.agreement.peer_codec == Version{1, 1});
}

TEST_CASE("An ACCEPT outside the offers is a protocol error", "[handshake][accept]") {
  CHECK(refusal_of({0, {3, 0}, {3, 0}, Mode::stable, 0, std::nullopt}, RefuseCode::protocol_error) ==
        "ACCEPT assigns codec 3.0 to this node, which offered 1.0, 1.1");
  CHECK(refusal_of({0, {1, 0}, {1, 1}, Mode::stable, 0, std::nullopt}, RefuseCode::protocol_error) ==
        "ACCEPT pairs codecs 1.1 and 1.0 in stable mode");
  CHECK(refusal_of({0, {1, 1}, {1, 1}, Mode::rolling, 0, std::nullopt}, RefuseCode::protocol_error) ==
        "ACCEPT pairs codecs 1.1 and 1.1 in rolling mode, which needs one major and two minors");
  CHECK(refusal_of({0, {2, 0}, {1, 1}, Mode::rolling, 0, std::nullopt}, RefuseCode::protocol_error) ==
        "ACCEPT pairs codecs 1.1 and 2.0 in rolling mode, which needs one major and two minors");
  CHECK(refusal_of({0, {1, 0}, {1, 0}, Mode::stable, compression_bit, std::nullopt}, RefuseCode::protocol_error) ==
        "ACCEPT agrees features 0x4, which codec 1.0 lacks or this node disables");
  LocalNode austere = beta();
  austere.features.disabled = {"acks"};
  CHECK(refusal_of({0, {1, 1}, {1, 1}, Mode::stable, acks_bit, std::nullopt}, RefuseCode::protocol_error, austere) ==
        "ACCEPT agrees features 0x2, which codec 1.1 lacks or this node disables");
}

TEST_CASE("An ACCEPT that leaves out a feature this node requires is missing_feature", "[handshake][accept]") {
  LocalNode demanding = beta();
  demanding.features.required = {"acks", "compression"};
  CHECK(refusal_of({0, {1, 1}, {1, 1}, Mode::stable, acks_bit, std::nullopt}, RefuseCode::missing_feature, demanding) ==
        "feature \"compression\" required by local: the peer's ACCEPT leaves it out");
}

TEST_CASE("A malformed ACCEPT is refused without a reply", "[handshake][accept]") {
  const Bytes empty_accept = {'F', 'E', 'R', 'Y', 0, 1, 0, 3, 0, 0, 0, 0};
  const Step step = answer_with(empty_accept);
  CHECK(step.send.empty());
  CHECK(std::get<Refused>(*step.outcome).refusal.reason == "malformed ACCEPT: missing tag 0x0009 (received)");
}
