// Shared fixtures of the handshake tests: two nodes, a scriptable HostState, and an in-memory exchange
// that delivers each direction's bytes split wherever a test asks.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "handshake/handshake.hpp"
#include "handshake/text.hpp"

namespace ferry::handshake::testing {

using Bytes = std::vector<uint8_t>;

inline NodeId node_id(uint8_t first) {
  NodeId id{};
  id[0] = first;
  id[15] = 0x42;
  return id;
}

inline Nonce nonce(uint8_t first) {
  Nonce value{};
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<uint8_t>(first + i);
  return value;
}

// Feature bits shared by the test codecs: 1.0 has checksum and acks, 1.1 adds compression, 2.0 has all.
inline constexpr uint64_t checksum_bit = 1, acks_bit = 2, compression_bit = 4;

inline LocalNode node(std::string name, uint8_t id_byte) {
  LocalNode local;
  local.id = node_id(id_byte);
  local.name = std::move(name);
  local.cluster = "prod";
  local.incarnation = 1000 + id_byte;
  local.settings = {{"connections_per_peer", "1"},
                    {"paired_connections", "false"},
                    {"max_message_size", "16777216"},
                    {"checksum", "crc32c"}};
  local.codecs = {{{1, 0}, checksum_bit | acks_bit}, {{1, 1}, checksum_bit | acks_bit | compression_bit}};
  local.feature_names = {{"checksum", 0}, {"acks", 1}, {"compression", 2}};
  return local;
}

// alpha (id 0x10...) responds, beta (id 0x20...) initiates, unless a test says otherwise.
inline LocalNode alpha() { return node("alpha", 0x10); }
inline LocalNode beta() { return node("beta", 0x20); }

struct FakeHost : HostState {
  Readiness state = Readiness::ready;
  Progress stored;
  Existing connection = Existing::none;
  Readiness readiness() const override { return state; }
  Progress progress(const NodeId&, uint64_t) const override { return stored; }
  Existing existing(const NodeId&, uint64_t) const override { return connection; }
};

// Feeds bytes in two pieces split at `at` (clamped), merging the Steps.
inline Step feed_split(Handshake& handshake, std::span<const uint8_t> bytes, size_t at) {
  at = std::min(at, bytes.size());
  Step first = handshake.feed(bytes.first(at));
  Step second = handshake.feed(bytes.subspan(at));
  first.send.insert(first.send.end(), second.send.begin(), second.send.end());
  if (!first.outcome) first.outcome = std::move(second.outcome);
  return first;
}

// Feeds one byte at a time.
inline Step feed_bytewise(Handshake& handshake, std::span<const uint8_t> bytes) {
  Step all;
  for (uint8_t byte : bytes) {
    Step step = handshake.feed(std::span(&byte, 1));
    all.send.insert(all.send.end(), step.send.begin(), step.send.end());
    if (step.outcome) all.outcome = std::move(step.outcome);
  }
  return all;
}

struct Exchange {
  std::optional<Outcome> responder;
  std::optional<Outcome> initiator;
  Bytes identify, request, final_frame;  // what crossed the wire, for inspection
};

struct ExchangeOptions {
  std::optional<NodeId> expected_peer = std::nullopt;
  uint64_t connection_index = 0;
  Bytes codec_bytes = {};  // appended after the responder's last frame, as a codec would send them at once
  size_t split_identify = SIZE_MAX, split_request = SIZE_MAX, split_final = SIZE_MAX;
};

// Runs a whole handshake in memory: responder speaks first, each side's bytes go to the other.
inline Exchange exchange(const LocalNode& responder_node, const LocalNode& initiator_node,
                         const HostState& responder_host, const HostState& initiator_host,
                         const ExchangeOptions& options = {}) {
  Handshake responder =
      Handshake::responder(std::make_shared<const LocalNode>(responder_node), responder_host, nonce(0xA0));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(initiator_node), initiator_host,
                                             nonce(0xB0), {options.expected_peer, options.connection_index});
  Exchange result;
  result.identify = responder.start().send;
  Step step = feed_split(initiator, result.identify, options.split_identify);
  result.request = step.send;
  if (step.outcome) result.initiator = step.outcome;
  Step answer = feed_split(responder, result.request, options.split_request);
  if (answer.outcome) result.responder = answer.outcome;
  result.final_frame = answer.send;
  Bytes wire = answer.send;
  if (answer.outcome && std::holds_alternative<Accepted>(*answer.outcome))
    wire.insert(wire.end(), options.codec_bytes.begin(), options.codec_bytes.end());
  if (!wire.empty() && !result.initiator) {
    Step last = feed_split(initiator, wire, options.split_final);
    if (last.outcome) result.initiator = last.outcome;
  }
  return result;
}

// The fixed values of the golden vectors (tests/golden/handshake/*.hex).
inline Identify golden_identify() {
  return {*parse_node_id("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70"), "alpha", "prod", 0x0123456789abcdef, nonce(0x00),
          {{"connections_per_peer", "1"}, {"checksum", "crc32c"}}};
}

inline Request golden_request() {
  return {*parse_node_id("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"),
          "beta",
          "prod",
          0xfedcba9876543210,
          0x0123456789abcdef,
          2,
          41,
          {{"connections_per_peer", "1"}, {"checksum", "crc32c"}},
          {{{1, 0}, 0x3}, {{1, 1}, 0x7}},
          {"checksum"},
          {"compression"},
          nonce(0x20),
          "127.0.0.1:7400",
          std::nullopt};
}

inline Accept golden_accept() { return {17, {1, 1}, {1, 0}, Mode::rolling, 0x3, std::nullopt}; }

inline Refuse golden_refuse() { return {RefuseCode::settings_mismatch, "connections_per_peer: local 4, peer 1"}; }

inline const Accepted& accepted(const std::optional<Outcome>& outcome) { return std::get<Accepted>(*outcome); }
inline const Refused& refused(const std::optional<Outcome>& outcome) { return std::get<Refused>(*outcome); }

// Runs alpha (responder) against beta (initiator) and checks who refused, with what; the other side must
// report the same refusal as the peer's.
inline void check_refusal(const Exchange& run, Side refuser, RefuseCode code, const std::string& sentence) {
  const std::optional<Outcome>& local = refuser == Side::local ? run.responder : run.initiator;
  const std::optional<Outcome>& remote = refuser == Side::local ? run.initiator : run.responder;
  REQUIRE(local);
  REQUIRE(remote);
  const Refused& mine = refused(local);
  CHECK(mine.by == Side::local);
  CHECK(mine.refusal.code == code);
  CHECK(mine.refusal.reason == sentence);
  const Refused& theirs = refused(remote);
  CHECK(theirs.by == Side::peer);
  CHECK(theirs.refusal == mine.refusal);
}

}  // namespace ferry::handshake::testing
