// Each refusal code, produced by the real negotiation, with its sentence; and the refusing side's REFUSE
// reaching the other side intact.
#include <catch2/catch.hpp>

#include "handshake/initiator.hpp"
#include "handshake/peer_checks.hpp"
#include "handshake/responder.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

constexpr Side responder = Side::local;  // check_refusal's first argument: who refuses
constexpr Side initiator = Side::peer;

}  // namespace

TEST_CASE("cluster_mismatch, found by either side", "[handshake][refusal]") {
  LocalNode other = beta();
  other.cluster = "staging";
  FakeHost hosts[2];
  check_refusal(exchange(alpha(), other, hosts[0], hosts[1]), initiator, RefuseCode::cluster_mismatch,
                "cluster: local \"staging\", peer \"prod\"");
  const Request request = make_request(other, 0, {}, nonce(1));
  CHECK(std::get<Refuse>(evaluate_request(alpha(), request, hosts[0])) ==
        Refuse{RefuseCode::cluster_mismatch, "cluster: local \"prod\", peer \"staging\""});
}

TEST_CASE("settings_mismatch names each differing setting, found by either side", "[handshake][refusal]") {
  LocalNode other = beta();
  other.settings[0].value = "4";
  other.settings[1].value = "true";
  FakeHost hosts[2];
  check_refusal(exchange(alpha(), other, hosts[0], hosts[1]), initiator, RefuseCode::settings_mismatch,
                "connections_per_peer: local 4, peer 1; paired_connections: local true, peer false");
  const Request request = make_request(other, 0, {}, nonce(1));
  CHECK(std::get<Refuse>(evaluate_request(alpha(), request, hosts[0])).reason ==
        "connections_per_peer: local 1, peer 4; paired_connections: local false, peer true");
}

TEST_CASE("unknown_node when allowed_nodes is set and lacks the peer", "[handshake][refusal]") {
  LocalNode strict = alpha();
  strict.allowed_nodes = {"gamma", "delta"};
  FakeHost hosts[2];
  check_refusal(exchange(strict, beta(), hosts[0], hosts[1]), responder, RefuseCode::unknown_node,
                "node \"beta\" is not in communication.allowed_nodes of node \"alpha\"");
  strict.allowed_nodes.push_back("beta");
  CHECK(std::holds_alternative<Accepted>(*exchange(strict, beta(), hosts[0], hosts[1]).responder));
}

TEST_CASE("A connection index beyond the agreed settings is a protocol_error", "[handshake][refusal]") {
  LocalNode paired = alpha(), peer = beta();
  paired.connection_slots = peer.connection_slots = 4;  // connections_per_peer 2, paired
  FakeHost hosts[2];
  CHECK(std::holds_alternative<Accepted>(*exchange(paired, peer, hosts[0], hosts[1], {{}, 3}).responder));
  check_refusal(exchange(paired, peer, hosts[0], hosts[1], {{}, 4}), responder, RefuseCode::protocol_error,
                "connection index 4 is out of range: the agreed settings allow 0..3");
}

TEST_CASE("already_connected: of two simultaneous connections the lower id's survives", "[handshake][refusal]") {
  FakeHost hosts[2];
  hosts[0].connection = Existing::ours;
  // alpha (lower id) is connecting to beta itself: beta's incoming connection loses.
  check_refusal(exchange(alpha(), beta(), hosts[0], hosts[1]), responder,
                RefuseCode::already_connected,
                "node \"alpha\" keeps the connection with index 0 that it initiated itself: of two simultaneous "
                "connections, the one initiated by the lower node id (10000000-0000-0000-0000-000000000042) survives");
  // The other way round, alpha's incoming connection wins at beta.
  CHECK(std::holds_alternative<Accepted>(*exchange(beta(), alpha(), hosts[0], hosts[1]).responder));
  // An existing connection the peer initiated is replaced by its reconnect.
  hosts[0].connection = Existing::theirs;
  CHECK(std::holds_alternative<Accepted>(*exchange(alpha(), beta(), hosts[0], hosts[1]).responder));
}

TEST_CASE("Two nodes connecting to each other at once keep exactly one connection", "[handshake][refusal]") {
  for (const auto& [first, second] : {std::pair{alpha(), beta()}, std::pair{beta(), alpha()}}) {
    FakeHost first_host, second_host;
    first_host.connection = second_host.connection = Existing::ours;
    // first -> second, answered by second; second -> first, answered by first.
    const Exchange one = exchange(second, first, second_host, first_host);
    const Exchange two = exchange(first, second, first_host, second_host);
    const bool one_ok = std::holds_alternative<Accepted>(*one.responder);
    const bool two_ok = std::holds_alternative<Accepted>(*two.responder);
    CHECK(one_ok != two_ok);
    CHECK((one_ok ? first.id : second.id) == alpha().id);  // the survivor was initiated by alpha
    CHECK(incoming_wins(beta().id, alpha().id));
    CHECK_FALSE(incoming_wins(alpha().id, beta().id));
  }
}

TEST_CASE("node_stopping and need_wait come from the host's readiness", "[handshake][refusal]") {
  FakeHost hosts[2];
  hosts[0].state = Readiness::stopping;
  check_refusal(exchange(alpha(), beta(), hosts[0], hosts[1]), responder, RefuseCode::node_stopping,
                "node \"alpha\" is stopping");
  hosts[0].state = Readiness::starting;
  check_refusal(exchange(alpha(), beta(), hosts[0], hosts[1]), responder, RefuseCode::need_wait,
                "node \"alpha\" is still starting; try again shortly");
}

TEST_CASE("Lasting problems are reported before passing ones", "[handshake][refusal]") {
  FakeHost hosts[2];
  hosts[0].state = Readiness::stopping;
  hosts[0].connection = Existing::ours;
  LocalNode other = beta();
  other.codecs = {{{2, 0}, 0}};
  CHECK(refused(exchange(alpha(), other, hosts[0], hosts[1]).responder).refusal.code == RefuseCode::no_common_codec);
}

TEST_CASE("no_common_codec names both sides' versions", "[handshake][refusal]") {
  LocalNode other = beta();
  other.codecs = {{{2, 0}, 0}};
  FakeHost hosts[2];
  check_refusal(exchange(alpha(), other, hosts[0], hosts[1]), responder, RefuseCode::no_common_codec,
                "no common codec major: local offers 1.0, 1.1; peer offers 2.0");
}

TEST_CASE("missing_feature names the feature and which side requires it", "[handshake][refusal]") {
  FakeHost hosts[2];
  LocalNode old = alpha();
  old.codecs = {{{1, 0}, checksum_bit | acks_bit}};
  LocalNode demanding = beta();
  demanding.features.required = {"compression"};
  check_refusal(exchange(old, demanding, hosts[0], hosts[1]), responder, RefuseCode::missing_feature,
                "feature \"compression\" required by peer: local codec 1.0 lacks it");

  LocalNode austere = alpha();
  austere.features.disabled = {"acks"};
  LocalNode needs_acks = beta();
  needs_acks.features.required = {"acks"};
  check_refusal(exchange(austere, needs_acks, hosts[0], hosts[1]), responder, RefuseCode::missing_feature,
                "feature \"acks\" required by peer: local disables it");
}

TEST_CASE("wrong_node: another node than expected, or this node itself", "[handshake][refusal]") {
  FakeHost hosts[2];
  check_refusal(exchange(alpha(), beta(), hosts[0], hosts[1], {.expected_peer = node_id(0x30)}), initiator,
                RefuseCode::wrong_node,
                "expected node 30000000-0000-0000-0000-000000000042, reached node "
                "10000000-0000-0000-0000-000000000042 (\"alpha\")");
  check_refusal(
      exchange(alpha(), alpha(), hosts[0], hosts[1]), initiator, RefuseCode::wrong_node,
      "node 10000000-0000-0000-0000-000000000042 reached itself: remove its own address from transport.peers");
  CHECK(std::get<Refuse>(evaluate_request(alpha(), make_request(alpha(), 0, {}, nonce(1)), hosts[0])).code ==
        RefuseCode::wrong_node);
  CHECK(std::holds_alternative<Accepted>(
      *exchange(alpha(), beta(), hosts[0], hosts[1], {.expected_peer = alpha().id}).initiator));
}

TEST_CASE("handshake_timeout names the limit and the frame awaited, and reaches the peer", "[handshake][refusal]") {
  FakeHost hosts[2];
  auto local = std::make_shared<const LocalNode>(alpha());
  Handshake responder_side = Handshake::responder(local, hosts[0], nonce(1));
  Handshake initiator_side = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});

  CHECK(initiator_side.feed(responder_side.start().send).send.size() > 0);
  const Step timeout = responder_side.expire(std::chrono::seconds(10));
  const Refused& mine = std::get<Refused>(*timeout.outcome);
  CHECK(mine.refusal ==
        Refuse{RefuseCode::handshake_timeout, "handshake not finished within 10s (waiting for REQUEST)"});
  CHECK_FALSE(mine.peer);  // it timed out before the initiator said who it is
  const Step delivered = initiator_side.feed(timeout.send);
  CHECK(std::get<Refused>(*delivered.outcome).by == Side::peer);
  CHECK(std::get<Refused>(*delivered.outcome).refusal == mine.refusal);
  CHECK(std::get<Refused>(*delivered.outcome).peer->name == "alpha");

  Handshake waiting = Handshake::initiator(local, hosts[1], nonce(3), {});
  CHECK(std::get<Refused>(*waiting.expire(std::chrono::milliseconds(250)).outcome).refusal.reason ==
        "handshake not finished within 250ms (waiting for IDENTIFY)");
  CHECK(waiting.expire(std::chrono::seconds(1)).send.empty());
}

TEST_CASE("protocol_error carries the decoder's reason to the peer", "[handshake][refusal]") {
  FakeHost hosts[2];
  Handshake responder_side = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1));
  Handshake initiator_side = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});
  responder_side.start();
  const Bytes garbage = {'H', 'E', 'L', 'L', 'O', ' ', 'W', 'O', 'R', 'L', 'D', '!'};
  const Step step = responder_side.feed(garbage);
  const Refused& mine = std::get<Refused>(*step.outcome);
  CHECK(mine.refusal.code == RefuseCode::protocol_error);
  CHECK(mine.refusal.reason ==
        "wrong magic 48 45 4c 4c (expected 46 45 52 59, \"FERY\"): the peer does not speak the ferry handshake");
  CHECK(std::get<Refused>(*initiator_side.feed(step.send).outcome).refusal == mine.refusal);
}

TEST_CASE("Refusal codes have stable names and a retry class", "[handshake][refusal]") {
  CHECK(to_string(RefuseCode::cluster_mismatch) == "cluster_mismatch");
  CHECK(to_string(RefuseCode::protocol_error) == "protocol_error");
  CHECK(static_cast<uint16_t>(RefuseCode::protocol_error) == 11);
  CHECK(is_transient(RefuseCode::already_connected));
  CHECK(is_transient(RefuseCode::need_wait));
  CHECK_FALSE(is_transient(RefuseCode::settings_mismatch));
  CHECK_FALSE(is_transient(static_cast<RefuseCode>(99)));
}
