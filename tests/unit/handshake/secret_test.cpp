// Cluster-secret authentication: proofs in both directions, and a missing, wrong, replayed or reflected
// proof refused with authentication_failed (docs/protocol.md §1.11).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>

#include <digest/hmac_sha256.hpp>

#include "handshake/frame_codec.hpp"
#include "handshake/responder.hpp"
#include "handshake/secret_proof.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

std::vector<uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

LocalNode with_secret(LocalNode node, std::string_view secret) {
  node.cluster_secret = bytes_of(secret);
  return node;
}

const std::string_view secret = "correct horse battery staple";

std::string hex(std::span<const uint8_t> bytes) { return ferry::digest::to_hex(bytes); }

// The bytes of a frame after its header.
std::span<const uint8_t> body(const Bytes& frame) { return std::span(frame).subspan(header_size); }

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(std::string_view contents)
      : path(std::filesystem::temp_directory_path() / ("ferry-secret-test-" + std::to_string(::getpid()))) {
    std::ofstream(path, std::ios::binary) << contents;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("HMAC-SHA-256 gives the RFC 4231 answer", "[handshake][secret]") {
  const auto key = bytes_of("Jefe");
  const auto first = bytes_of("what do ya want ");
  const auto second = bytes_of("for nothing?");
  const std::span<const uint8_t> parts[] = {first, second};
  CHECK(hex(ferry::digest::hmac_sha256(key, parts)) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("The worked proofs of docs/protocol.md", "[handshake][secret]") {
  const ProofContext context{golden_identify().nonce, golden_request().nonce, golden_identify().node_id,
                             golden_request().node_id};
  const auto key = bytes_of(secret);
  CHECK(hex(secret_proof(key, Role::initiator, context)) ==
        "70220a6f49f0df91c52c3bf3ae64fd621b3792fb50874d657da79fcd9008f313");
  CHECK(hex(secret_proof(key, Role::responder, context)) ==
        "e11ea05b6f6f2f16fd79fb94824d22fff260166f91c7a145ec30087459ca8661");
}

TEST_CASE("Both sides holding the secret prove it to each other", "[handshake][secret]") {
  FakeHost hosts[2];
  const Exchange run = exchange(with_secret(alpha(), secret), with_secret(beta(), secret), hosts[0], hosts[1]);
  CHECK(std::holds_alternative<Accepted>(*run.responder));
  CHECK(std::holds_alternative<Accepted>(*run.initiator));
  CHECK(decode_identify(body(run.identify)).value().secret_asked);
  CHECK(decode_request(body(run.request)).value().proof.has_value());
  CHECK(decode_accept(body(run.final_frame)).value().proof.has_value());
}

TEST_CASE("Without secrets no proof travels", "[handshake][secret]") {
  FakeHost hosts[2];
  const Exchange run = exchange(alpha(), beta(), hosts[0], hosts[1]);
  CHECK_FALSE(decode_identify(body(run.identify)).value().secret_asked);
  CHECK_FALSE(decode_request(body(run.request)).value().proof.has_value());
  CHECK_FALSE(decode_accept(body(run.final_frame)).value().proof.has_value());
}

TEST_CASE("An initiator without the secret is refused by the responder", "[handshake][secret]") {
  FakeHost hosts[2];
  check_refusal(exchange(with_secret(alpha(), secret), beta(), hosts[0], hosts[1]), Side::local,
                RefuseCode::authentication_failed,
                "node \"beta\" gave no proof of the cluster secret that node \"alpha\" requires "
                "(communication.cluster_secret_file)");
}

TEST_CASE("An initiator with a wrong secret is refused by the responder", "[handshake][secret]") {
  FakeHost hosts[2];
  check_refusal(exchange(with_secret(alpha(), secret), with_secret(beta(), "correct horse battery stapler"), hosts[0],
                         hosts[1]),
                Side::local, RefuseCode::authentication_failed,
                "node \"beta\" gave a wrong proof of the cluster secret: its secret differs from node \"alpha\"'s, "
                "or the handshake was replayed");
}

TEST_CASE("An initiator holding a secret refuses a responder that asks for none", "[handshake][secret]") {
  FakeHost hosts[2];
  check_refusal(exchange(alpha(), with_secret(beta(), secret), hosts[0], hosts[1]), Side::peer,
                RefuseCode::authentication_failed,
                "node \"alpha\" asks for no proof of a cluster secret, but node \"beta\" holds one "
                "(communication.cluster_secret_file): both need the same secret");
}

TEST_CASE("A replayed REQUEST fails against the responder's fresh nonce", "[handshake][secret]") {
  FakeHost hosts[2];
  const auto responder_node = std::make_shared<const LocalNode>(with_secret(alpha(), secret));
  const Exchange recorded = exchange(*responder_node, with_secret(beta(), secret), hosts[0], hosts[1]);
  REQUIRE(std::holds_alternative<Accepted>(*recorded.responder));

  Handshake again = Handshake::responder(responder_node, hosts[0], nonce(0xA1));
  again.start();
  const Step step = again.feed(recorded.request);
  REQUIRE(step.outcome);
  CHECK(std::get<Refused>(*step.outcome).refusal.code == RefuseCode::authentication_failed);
  CHECK(decode_refuse(body(step.send)).value().code == RefuseCode::authentication_failed);
}

TEST_CASE("A proof is bound to its role and to both node ids", "[handshake][secret]") {
  const auto key = bytes_of(secret);
  const ProofContext context{nonce(1), nonce(2), node_id(0x10), node_id(0x20)};
  const Proof proof = secret_proof(key, Role::initiator, context);
  CHECK(proof != secret_proof(key, Role::responder, context));
  CHECK(proof != secret_proof(key, Role::initiator, {nonce(1), nonce(2), node_id(0x20), node_id(0x10)}));
  CHECK(proof != secret_proof(key, Role::initiator, {nonce(2), nonce(1), node_id(0x10), node_id(0x20)}));
}

TEST_CASE("An initiator closes on an ACCEPT without the responder's proof, sending nothing", "[handshake][secret]") {
  FakeHost host;
  const auto node = std::make_shared<const LocalNode>(with_secret(beta(), secret));
  Handshake initiator = Handshake::initiator(node, host, nonce(0xB0), {});
  Identify identify = make_identify(with_secret(alpha(), secret), nonce(0xA0));
  REQUIRE_FALSE(initiator.feed(encode(identify)).outcome);

  Accept accept{0, {1, 1}, {1, 1}, Mode::stable, 0, std::nullopt};
  SECTION("missing") {}
  SECTION("wrong") { accept.proof = Proof{}; }
  const Step step = initiator.feed(encode(accept));
  REQUIRE(step.outcome);
  CHECK(step.send.empty());
  const Refused& refusal = std::get<Refused>(*step.outcome);
  CHECK(refusal.by == Side::local);
  CHECK(refusal.refusal.code == RefuseCode::authentication_failed);
}

TEST_CASE("The secret file: line ends trimmed, too short or missing refused", "[handshake][secret]") {
  {
    const TempFile file("0123456789abcdef\r\n");
    CHECK(read_cluster_secret(file.path.string()).value() == bytes_of("0123456789abcdef"));
  }
  {
    const TempFile file("short\n");
    CHECK(read_cluster_secret(file.path.string()).error().reason ==
          "communication.cluster_secret_file \"" + file.path.string() +
              "\" holds 5 bytes; at least 16 are needed (line ends at its end do not count)");
  }
  const auto missing = read_cluster_secret("/nonexistent/ferry-secret");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().reason ==
        "communication.cluster_secret_file \"/nonexistent/ferry-secret\": cannot open it: No such file or directory");
}
