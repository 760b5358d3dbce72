// Fuzz target of the node handshake: the input is what a peer sends. It goes to a responder and to an
// initiator, with and without a cluster secret (split into pieces chosen by the input's first byte), and
// every frame it contains is decoded, re-encoded and decoded again, which must give the same value. Any
// crash, sanitizer report or broken round trip is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "handshake/frame_codec.hpp"
#include "handshake/frame_reader.hpp"
#include "handshake/handshake.hpp"
#include "handshake/text.hpp"

using namespace ferry::handshake;

namespace {

// Accepts the golden vectors' nodes, so that the corpus reaches the negotiation and the ACCEPT checks.
std::shared_ptr<const LocalNode> local_node() {
  static const auto local = [] {
    auto node = std::make_shared<LocalNode>();
    node->id = *parse_node_id("5c3d0c1e-0000-4000-8000-00000000f022");
    node->name = "fuzz";
    node->cluster = "prod";
    node->incarnation = 42;
    node->settings = {{"connections_per_peer", "1"}, {"checksum", "crc32c"}};
    node->codecs = {{{1, 0}, 0x3}, {{1, 1}, 0x7}};
    node->feature_names = {{"checksum", 0}, {"acks", 1}, {"compression", 2}};
    node->features.required = {"checksum"};
    return node;
  }();
  return local;
}

// The same node holding a cluster secret, so that the proofs of docs/protocol.md §1.11 are checked too.
std::shared_ptr<const LocalNode> local_node_with_secret() {
  static const auto local = [] {
    auto node = std::make_shared<LocalNode>(*local_node());
    const std::string secret = "correct horse battery staple";
    node->cluster_secret.assign(secret.begin(), secret.end());
    return node;
  }();
  return local;
}

struct Host : HostState {
  Readiness readiness() const override { return Readiness::ready; }
  Progress progress(const NodeId&, uint64_t) const override { return {0x0123456789abcdef, 3}; }
  Existing existing(const NodeId&, uint64_t) const override { return Existing::none; }
};

template <typename T>
void round_trip(const Result<T>& decoded, Result<T> (*decode)(std::span<const uint8_t>)) {
  if (!decoded) return;
  const std::vector<uint8_t> again = encode(decoded.value());
  const auto redecoded = decode(std::span(again).subspan(header_size));
  if (!redecoded || !(redecoded.value() == decoded.value())) std::abort();
}

void decode_every_frame(std::span<const uint8_t> input) {
  FrameReader reader;
  while (!input.empty()) {
    ReadStep step = reader.read(input);
    input = input.subspan(step.consumed);
    if (step.error || !step.frame) return;
    const std::span<const uint8_t> body = step.frame->body;
    round_trip(decode_identify(body), decode_identify);
    round_trip(decode_request(body), decode_request);
    round_trip(decode_accept(body), decode_accept);
    round_trip(decode_refuse(body), decode_refuse);
  }
}

void drive(Handshake handshake, std::span<const uint8_t> input, size_t piece) {
  handshake.start();
  bool done = false;
  while (!input.empty() && !done) {
    const size_t take = std::min(piece, input.size());
    done = handshake.feed(input.first(take)).outcome.has_value();
    input = input.subspan(take);
  }
  if (!done && !handshake.end_of_stream().outcome) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  decode_every_frame(input);
  // The first byte picks how the stream is cut; the whole input is still fed, so corpus files stay plain
  // frames.
  const size_t piece = size > 0 ? 1 + data[0] % 64 : 1;
  const Host host;
  drive(Handshake::responder(local_node(), host, Nonce{}), input, piece);
  drive(Handshake::initiator(local_node(), host, Nonce{}, {}), input, piece);
  drive(Handshake::initiator(local_node(), host, Nonce{}, {}), input, size + 1);
  drive(Handshake::responder(local_node_with_secret(), host, Nonce{}), input, piece);
  drive(Handshake::initiator(local_node_with_secret(), host, Nonce{}, {}), input, piece);
  return 0;
}
