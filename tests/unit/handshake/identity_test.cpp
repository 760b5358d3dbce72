// The handshake under TLS (docs/protocol.md §1.12): the check that the peer's certificate names the node
// it claims, on either side, refusing with identity_mismatch; and a refusal made before the handshake
// starts (tls_required), which reaches an initiator still waiting for IDENTIFY.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "handshake/frame_codec.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

// An identity check that accepts only the node named `certified`, and records whom it was asked about.
Handshake::IdentityCheck certificate_naming(std::string certified, std::vector<std::string>& asked) {
  return [certified, &asked](const Peer& peer) -> std::optional<std::string> {
    asked.push_back(peer.name);
    if (peer.name == certified) return std::nullopt;
    return "the certificate names \"" + certified + "\"";
  };
}

}  // namespace

TEST_CASE("A responder refuses an initiator its certificate does not name", "[handshake][tls]") {
  FakeHost hosts[2];
  std::vector<std::string> asked;
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(0xA0));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(0xB0), {});
  responder.check_identity_with(certificate_naming("mallory", asked));

  const Step request = initiator.feed(responder.start().send);
  const Step answer = responder.feed(request.send);
  CHECK(asked == std::vector<std::string>{"beta"});
  const Refused& local = refused(answer.outcome);
  CHECK(local.by == Side::local);
  CHECK(local.refusal.code == RefuseCode::identity_mismatch);
  CHECK(local.refusal.reason == "the certificate names \"mallory\"");

  const Step heard = initiator.feed(answer.send);
  const Refused& remote = refused(heard.outcome);
  CHECK(remote.by == Side::peer);
  CHECK(remote.refusal.code == RefuseCode::identity_mismatch);
  CHECK(remote.refusal.reason == local.refusal.reason);
}

TEST_CASE("An initiator refuses a responder its certificate does not name", "[handshake][tls]") {
  FakeHost hosts[2];
  std::vector<std::string> asked;
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(0xA0));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(0xB0), {});
  initiator.check_identity_with(certificate_naming("mallory", asked));

  const Step refusal = initiator.feed(responder.start().send);
  CHECK(asked == std::vector<std::string>{"alpha"});
  CHECK(refused(refusal.outcome).refusal.code == RefuseCode::identity_mismatch);
  const Step heard = responder.feed(refusal.send);
  const Refused& remote = refused(heard.outcome);
  CHECK(remote.by == Side::peer);
  CHECK(remote.refusal.code == RefuseCode::identity_mismatch);
}

TEST_CASE("Peers whose certificates name them complete the handshake", "[handshake][tls]") {
  FakeHost hosts[2];
  std::vector<std::string> asked_by_responder, asked_by_initiator;
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(0xA0));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(0xB0), {});
  responder.check_identity_with(certificate_naming("beta", asked_by_responder));
  initiator.check_identity_with(certificate_naming("alpha", asked_by_initiator));

  const Step request = initiator.feed(responder.start().send);
  const Step accept = responder.feed(request.send);
  REQUIRE(accept.outcome);
  CHECK(std::holds_alternative<Accepted>(*accept.outcome));
  const Step done = initiator.feed(accept.send);
  REQUIRE(done.outcome);
  CHECK(std::holds_alternative<Accepted>(*done.outcome));
  CHECK(asked_by_responder == std::vector<std::string>{"beta"});
  CHECK(asked_by_initiator == std::vector<std::string>{"alpha"});
}

TEST_CASE("A refusal before the handshake replaces IDENTIFY and reaches the initiator", "[handshake][tls]") {
  FakeHost hosts[2];
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(0xA0));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(0xB0), {});

  const Step refusal = responder.refuse_now({RefuseCode::tls_required, "TLS only"}, true);
  CHECK(refused(refusal.outcome).refusal.code == RefuseCode::tls_required);
  CHECK(responder.finished());
  const Step heard = initiator.feed(refusal.send);
  const Refused& remote = refused(heard.outcome);
  CHECK(remote.refusal.code == RefuseCode::tls_required);
  CHECK(remote.refusal.reason == "TLS only");
  CHECK_FALSE(remote.peer.has_value());
}

TEST_CASE("A refusal kept local sends nothing", "[handshake][tls]") {
  FakeHost host;
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), host, nonce(0xB0), {});
  const Step refusal = initiator.refuse_now({RefuseCode::tls_failed, "TLS handshake failed: bad certificate"}, false);
  CHECK(refusal.send.empty());
  CHECK(refused(refusal.outcome).refusal.code == RefuseCode::tls_failed);
  CHECK(to_string(RefuseCode::tls_failed) == "tls_failed");
  CHECK(to_string(RefuseCode::identity_mismatch) == "identity_mismatch");
  CHECK(to_string(RefuseCode::tls_required) == "tls_required");
}
